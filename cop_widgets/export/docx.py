"""A Word (.docx) export with python-docx.

Headings, paragraphs, bulleted and numbered lists and block quotes come from the draft's
Markdown through a small renderer over markdown-it's syntax tree (raw HTML off, so member
tags stay text); tallies and methodology are Word tables; charts are PNG images rendered
offline by vl-convert, with their text alternative as caption and as the image's
description. Word text is never interpreted as markup, so escaping here means dropping the
control characters XML refuses. Links are written as text followed by their address. The
document's language (its properties, and the proofing language of its text) is the report's.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from ..i18n import translator
from . import _markdown
from . import blocks as b
from ._markdown import clean_text
from .document import build_document
from .report import Report

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.text.paragraph import Paragraph as DocxParagraph
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["render_docx", "build_docx"]

MONOSPACE = "Consolas"
INDENT = Inches(0.3)
PICTURE_WIDTH = Inches(6.2)
MARGIN = Inches(0.9)


def _add_text(paragraph: DocxParagraph, text: str, *, bold: bool = False,
              italic: bool = False, code: bool = False) -> None:
    run = paragraph.add_run(clean_text(text))
    run.bold = bold or None
    run.italic = italic or None
    if code:
        run.font.name = MONOSPACE


def _style(doc: DocumentType, name: str, fallback: str = "Normal") -> str:
    names = {s.name for s in doc.styles}
    return name if name in names else fallback


# -- Markdown (draft sections) ------------------------------------------------------------


class _MarkdownWriter:
    """Write a Markdown syntax tree into a document, block by block."""

    def __init__(self, doc: DocumentType):
        self.doc = doc

    def blocks(self, nodes: list[SyntaxTreeNode], *, list_depth: int = 0,
               quote_depth: int = 0, first_style: str | None = None,
               prefix: str = "") -> None:
        for node in nodes:
            self.block(node, list_depth=list_depth, quote_depth=quote_depth,
                       first_style=first_style, prefix=prefix)
            first_style, prefix = None, ""  # only the first paragraph of an item is marked

    def _paragraph(self, list_depth: int, quote_depth: int,
                   style: str | None) -> DocxParagraph:
        if style is None:
            if quote_depth:
                style = "Quote"
            elif list_depth:
                style = f"List Continue {list_depth}" if list_depth > 1 else "List Continue"
            else:
                style = "Normal"
        paragraph = self.doc.add_paragraph(style=_style(self.doc, style))
        if quote_depth and list_depth:
            paragraph.paragraph_format.left_indent = INDENT * (list_depth + quote_depth)
        elif quote_depth > 1:
            paragraph.paragraph_format.left_indent = INDENT * quote_depth
        return paragraph

    def block(self, node: SyntaxTreeNode, *, list_depth: int, quote_depth: int,
              first_style: str | None, prefix: str) -> None:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1:])
            paragraph = self.doc.add_heading(level=min(level, 9))
            self.inline(paragraph, node)
        elif kind == "paragraph":
            paragraph = self._paragraph(list_depth, quote_depth, first_style)
            if prefix:
                _add_text(paragraph, prefix)
            self.inline(paragraph, node)
        elif kind in ("bullet_list", "ordered_list"):
            depth = min(list_depth + 1, 3)
            start = int(node.attrs.get("start", 1) or 1) if kind == "ordered_list" else 1
            for i, item in enumerate(node.children):
                if kind == "bullet_list":
                    style = "List Bullet" if depth == 1 else f"List Bullet {depth}"
                    mark = ""
                else:  # numbers written out: Word's list numbering runs on across lists
                    style = "List Continue" if depth == 1 else f"List Continue {depth}"
                    mark = f"{start + i}. "
                if quote_depth:
                    style = "Quote"
                self.blocks(item.children, list_depth=depth, quote_depth=quote_depth,
                            first_style=style, prefix=mark)
        elif kind == "blockquote":
            self.blocks(node.children, list_depth=list_depth, quote_depth=quote_depth + 1)
        elif kind in ("fence", "code_block"):
            paragraph = self._paragraph(list_depth, quote_depth, None)
            _add_text(paragraph, node.content.rstrip("\n"), code=True)
        elif kind == "hr":
            paragraph = self.doc.add_paragraph("* * *")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif node.children:
            self.blocks(node.children, list_depth=list_depth, quote_depth=quote_depth)
        elif node.content.strip():
            _add_text(self._paragraph(list_depth, quote_depth, None), node.content)

    def inline(self, paragraph: DocxParagraph, node: SyntaxTreeNode) -> None:
        for child in node.children:
            if child.type == "inline":
                self._runs(paragraph, child.children, bold=False, italic=False)

    def _runs(self, paragraph: DocxParagraph, nodes: list[SyntaxTreeNode], *, bold: bool,
              italic: bool) -> None:
        for node in nodes:
            kind = node.type
            if kind in ("text", "text_special"):
                _add_text(paragraph, node.content, bold=bold, italic=italic)
            elif kind == "softbreak":
                _add_text(paragraph, " ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "strong":
                self._runs(paragraph, node.children, bold=True, italic=italic)
            elif kind == "em":
                self._runs(paragraph, node.children, bold=bold, italic=True)
            elif kind == "code_inline":
                _add_text(paragraph, node.content, bold=bold, italic=italic, code=True)
            elif kind == "link":
                self._runs(paragraph, node.children, bold=bold, italic=italic)
                href = str(node.attrs.get("href", ""))
                label = "".join(c.content for c in node.children)
                if href and href != label:
                    _add_text(paragraph, f" ({href})", bold=bold, italic=italic)
            elif node.children:
                self._runs(paragraph, node.children, bold=bold, italic=italic)
            else:
                _add_text(paragraph, node.content, bold=bold, italic=italic)


# -- blocks -------------------------------------------------------------------------------


def _spans(paragraph: DocxParagraph, spans: tuple[b.Span, ...], note: bool) -> None:
    for span in spans:
        text = span.text
        if span.href and span.href != span.text:
            text = f"{text} ({span.href})"
        _add_text(paragraph, text, bold=span.bold, italic=span.italic or note)


def _caption(doc: DocumentType, text: str, bold_prefix: str = "") -> None:
    paragraph = doc.add_paragraph(style=_style(doc, "Caption"))
    if bold_prefix:
        _add_text(paragraph, bold_prefix, bold=True)
    _add_text(paragraph, text)


def _table(doc: DocumentType, table: b.Table) -> None:
    _caption(doc, table.caption)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = _style(doc, "Table Grid", "Normal Table")
    for r, cells in enumerate((table.header, *table.rows)):
        for c, text in enumerate(cells):
            cell = grid.cell(r, c)
            paragraph = cell.paragraphs[0]
            _add_text(paragraph, text, bold=r == 0)
            for run in paragraph.runs:
                run.font.size = Pt(8.5 if len(table.header) > 6 else 10)
            if c in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if len(table.header) > 6:  # the statement table: give the text room, numbers little
        grid.autofit = False
        widths = [Inches(0.3), Inches(1.9)] + [Inches(0.45)] * (len(table.header) - 3)
        widths.append(Inches(0.85))
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
    if table.rows:  # repeat the header row on every page
        grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _figure(doc: DocumentType, block: b.FigureBlock, charts: bool) -> None:
    figure = block.item.figure
    if charts:
        from ..charts.render import to_png

        doc.add_picture(io.BytesIO(to_png(figure.chart)), width=PICTURE_WIDTH)
        picture = doc.inline_shapes[-1]
        properties = picture._inline.docPr
        properties.set("descr", clean_text(figure.text))
        properties.set("title", clean_text(block.caption_title))
        _caption(doc, figure.text, f"{block.caption_title}. ")
    else:
        _caption(doc, f"({block.left_out}) {figure.text}", f"{block.caption_title}. ")


class _Writer(b.BlockWriter):
    """Write blocks into a Word document: styles for lists and quotes, tables, pictures."""

    def __init__(self, doc: DocumentType, charts: bool):
        self.doc, self.charts = doc, charts
        self.markdown_writer = _MarkdownWriter(doc)

    def heading(self, block: b.Heading) -> None:
        self.doc.add_heading(clean_text(block.text), level=block.level)

    def paragraph(self, block: b.Paragraph) -> None:
        _spans(self.doc.add_paragraph(), block.spans, block.note)

    def item_list(self, block: b.ItemList) -> None:
        for i, item in enumerate(block.items, start=1):
            if block.ordered:
                paragraph = self.doc.add_paragraph(style=_style(self.doc, "List Continue"))
                _add_text(paragraph, f"{i}. ")
            else:
                paragraph = self.doc.add_paragraph(style=_style(self.doc, "List Bullet"))
            _add_text(paragraph, item)

    def quote(self, block: b.Quote) -> None:
        for text in block.paragraphs:
            _add_text(self.doc.add_paragraph(style=_style(self.doc, "Quote")), text)

    def markdown(self, block: b.MarkdownBody) -> None:
        self.markdown_writer.blocks(_markdown.tree(block.source, block.heading_offset).children)

    def table(self, block: b.Table) -> None:
        _table(self.doc, block)

    def figure(self, block: b.FigureBlock) -> None:
        _figure(self.doc, block, self.charts)


def _language_tag(language: str) -> str:
    """Return the language with its most likely country, as Word names it (``fr-FR``)."""
    from babel import Locale

    locale = Locale.parse(language)
    if locale.territory is None:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(locale.language, "")
        locale = Locale.parse(likely) if likely else locale
    return "-".join(part for part in (locale.language, locale.territory) if part)


def _set_language(doc: DocumentType, language: str) -> None:
    """Make ``language`` the proofing language of every run (the default run properties)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)


def build_docx(report: Report, *, charts: bool = True) -> DocumentType:
    """Build the Word document of a report (see :func:`render_docx`)."""
    _ = translator(report.language)
    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = MARGIN
    tag = _language_tag(report.language)
    _set_language(doc, tag)
    properties = doc.core_properties
    properties.title = clean_text(_("Joint response: {title}").format(
        title=report.development.title))[:255]
    properties.subject = clean_text(report.consultation.title)[:255]
    properties.author = "cop-widgets"
    properties.last_modified_by = "cop-widgets"
    properties.comments = ""
    properties.keywords = _("joint response; community of practice")
    properties.language = tag
    exported = report.methodology.exported_at.replace(tzinfo=None)
    properties.created = properties.modified = exported
    _Writer(doc, charts).write(build_document(report))
    return doc


def render_docx(report: Report, *, charts: bool = True) -> bytes:
    """Return a report as a Word document: the bytes of a ``.docx`` file.

    With ``charts`` the charts are PNG images, each with its text alternative as caption
    and as the picture's description; without, each figure keeps only its caption.
    """
    buffer = io.BytesIO()
    build_docx(report, charts=charts).save(buffer)
    return buffer.getvalue()
