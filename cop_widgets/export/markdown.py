"""A Markdown export, with its charts as PNG files beside it.

Plain text is escaped with :func:`~cop_widgets.export._markdown.md_text` (built on
:func:`~cop_widgets.words.draft.md_escape`); draft sections are re-emitted from their
parsed tokens with every text escaped, so the file shows members' words literally even in a
viewer that renders raw HTML. Tables are pipe tables (GitHub-flavoured Markdown).
"""

from __future__ import annotations

from urllib.parse import quote

from . import _markdown
from . import blocks as b
from ._markdown import md_text
from .document import build_document
from .report import Report

__all__ = ["render_markdown", "image_name"]


def image_name(stem: str, key: str) -> str:
    """Return the file name of a chart beside the Markdown file: ``<stem>-<key>.png``."""
    return f"{stem}-{key}.png"


class _Writer(b.BlockWriter):
    """Write blocks as Markdown, one string a block, and the charts as PNG images."""

    def __init__(self, charts: bool, stem: str):
        self.charts, self.stem = charts, stem
        self.parts: list[str] = []
        self.images: dict[str, bytes] = {}

    def heading(self, block: b.Heading) -> None:
        self.parts.append("#" * block.level + " " + md_text(block.text))

    def paragraph(self, block: b.Paragraph) -> None:
        text = "".join(_span(s, i == 0) for i, s in enumerate(block.spans)).strip()
        self.parts.append(f"*{text}*" if block.note and not text.startswith("*") else text)

    def item_list(self, block: b.ItemList) -> None:
        self.parts.append("\n".join((f"{i}. " if block.ordered else "- ") + md_text(item)
                                    for i, item in enumerate(block.items, start=1)))

    def quote(self, block: b.Quote) -> None:
        self.parts.append("\n>\n".join("> " + md_text(p) for p in block.paragraphs))

    def markdown(self, block: b.MarkdownBody) -> None:
        self.parts.append(_markdown.to_markdown(block.source, block.heading_offset))

    def table(self, block: b.Table) -> None:
        def row(cells: tuple[str, ...]) -> str:
            return "| " + " | ".join(md_text(c, line_start=False) or " " for c in cells) + " |"

        rule = "| " + " | ".join("---:" if i in block.numeric else "---"
                                 for i in range(len(block.header))) + " |"
        lines = [f"**{md_text(block.caption)}**", "", row(block.header), rule]
        self.parts.append("\n".join(lines + [row(r) for r in block.rows]))

    def figure(self, block: b.FigureBlock) -> None:
        figure = block.item.figure
        title = md_text(block.caption_title, line_start=False)
        if not self.charts:
            self.parts.append(f"*{title}* ({md_text(block.left_out)}). {md_text(figure.text)}")
            return
        from ..charts.render import to_png

        name = image_name(self.stem, block.item.key)
        self.images[name] = to_png(figure.chart)
        self.parts.append(f"![{title}]({quote(name)})\n\n*{title}.* {md_text(figure.text)}")


def _span(span: b.Span, line_start: bool) -> str:
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
    writer = _Writer(charts, stem)
    writer.write(build_document(report))
    return "\n\n".join(p for p in writer.parts if p) + "\n", writer.images
