"""A Markdown export, with its charts as PNG files beside it.

Plain text is escaped with :func:`~cop_widgets.export._markdown.md_text` (built on
:func:`~cop_widgets.analysis.draft.md_escape`); draft sections are re-emitted from their
parsed tokens with every text escaped, so the file shows members' words literally even in a
viewer that renders raw HTML. Tables are pipe tables (GitHub-flavoured Markdown).
"""

from __future__ import annotations

from urllib.parse import quote

from ..i18n import translator
from . import _markdown
from ._markdown import md_text
from .document import (
    CHARTS_LEFT_OUT,
    FigureBlock,
    Heading,
    ItemList,
    MarkdownBody,
    Paragraph,
    Quote,
    Span,
    Table,
    build_document,
)
from .report import Report

__all__ = ["render_markdown", "image_name"]


def image_name(stem: str, key: str) -> str:
    """Return the file name of a chart beside the Markdown file: ``<stem>-<key>.png``."""
    return f"{stem}-{key}.png"


def _span(span: Span, line_start: bool) -> str:
    core = md_text(span.text, line_start=line_start and not (span.bold or span.italic))
    if not core:
        return " " if span.text else ""
    if span.href:
        href = span.href.replace("(", "%28").replace(")", "%29")
        core = f"[{core}]({href})"
    if span.italic:
        core = f"*{core}*"
    if span.bold:
        core = f"**{core}**"
    lead = " " if span.text[:1].isspace() else ""
    trail = " " if span.text[-1:].isspace() else ""
    return lead + core + trail


def _paragraph(block: Paragraph) -> str:
    text = "".join(_span(s, i == 0) for i, s in enumerate(block.spans)).strip()
    return f"*{text}*" if block.note and not text.startswith("*") else text


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(md_text(c, line_start=False) or " " for c in cells) + " |"

    rule = "| " + " | ".join("---:" if i in table.numeric else "---"
                             for i in range(len(table.header))) + " |"
    lines = [f"**{md_text(table.caption)}**", "", row(table.header), rule]
    lines += [row(r) for r in table.rows]
    return "\n".join(lines)


def _figure(block: FigureBlock, charts: bool, stem: str,
            images: dict[str, bytes]) -> str:
    figure = block.item.figure
    title = md_text(block.caption_title, line_start=False)
    if not charts:
        left_out = translator(block.language)(CHARTS_LEFT_OUT)
        return f"*{title}* ({md_text(left_out)}). {md_text(figure.text)}"
    from ..charts.render import to_png

    name = image_name(stem, block.item.key)
    images[name] = to_png(figure.chart)
    return f"![{title}]({quote(name)})\n\n*{title}.* {md_text(figure.text)}"


def render_markdown(report: Report, *, charts: bool = True,
                    stem: str = "report") -> tuple[str, dict[str, bytes]]:
    """Render a report as Markdown, and its charts as PNG images.

    Parameters
    ----------
    report : Report
        From :func:`~cop_widgets.export.report.build_report`.
    charts : bool
        Render the charts; when false each figure keeps its text and a note says the
        chart was left out.
    stem : str
        Stem of the Markdown file's name: images are named ``<stem>-<key>.png`` and linked
        relatively.

    Returns
    -------
    text : str
        The Markdown document.
    images : dict of str to bytes
        PNG bytes by file name (empty when ``charts`` is false).

    """
    images: dict[str, bytes] = {}
    parts = []
    for block in build_document(report):
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + md_text(block.text))
        elif isinstance(block, Paragraph):
            parts.append(_paragraph(block))
        elif isinstance(block, ItemList):
            parts.append("\n".join(
                (f"{i}. " if block.ordered else "- ") + md_text(item)
                for i, item in enumerate(block.items, start=1)))
        elif isinstance(block, Quote):
            paragraphs = [p for p in str(block.text).split("\n") if p.strip()] or [""]
            parts.append("\n>\n".join("> " + md_text(p) for p in paragraphs))
        elif isinstance(block, MarkdownBody):
            parts.append(_markdown.to_markdown(block.source, block.heading_offset))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, FigureBlock):
            parts.append(_figure(block, charts, stem, images))
    return "\n\n".join(p for p in parts if p) + "\n", images
