"""The format-neutral blocks an export is laid out in, and the base of their writers.

:func:`cop_widgets.export.document.build_document` turns a report into a list of
:data:`Block`; each format (``markdown``, ``html``, ``docx``) is a :class:`BlockWriter`
with one method per kind of block. Every text in a block other than :class:`MarkdownBody`
is *plain text*: each writer escapes it for its format. :class:`MarkdownBody` holds
Markdown that each writer parses with raw HTML off (see :mod:`cop_widgets.export._markdown`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import DEFAULT_LANGUAGE, N_, format_number, translator

if TYPE_CHECKING:
    from .report_parts import ReportFigure

__all__ = [
    "CHARTS_LEFT_OUT",
    "SECTION_LEVEL",
    "Span",
    "Heading",
    "Paragraph",
    "ItemList",
    "Quote",
    "MarkdownBody",
    "Table",
    "FigureBlock",
    "Block",
    "BlockWriter",
]

#: The note of a figure whose chart an export leaves out (an English msgid).
CHARTS_LEFT_OUT = N_("chart left out of this export; the text gives the same numbers")
#: Heading level of the sections; a heading inside a section's Markdown is pushed below it.
SECTION_LEVEL = 2


@dataclass(frozen=True)
class Span:
    """A run of plain text, optionally bold, italic or a link (``http``/``https`` only)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 is the title, 2 a section, 3 a subsection."""

    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of spans; ``note`` marks a remark about the export itself."""

    spans: tuple[Span, ...]
    note: bool = False


@dataclass(frozen=True)
class ItemList:
    """A bulleted (or numbered) list of plain-text items."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Quote:
    """A block quote of plain text (a member's words)."""

    text: str

    @property
    def paragraphs(self) -> list[str]:
        """The quote's non-blank lines, each a paragraph (one empty one if it has none)."""
        return [p for p in str(self.text).split("\n") if p.strip()] or [""]


@dataclass(frozen=True)
class MarkdownBody:
    """A section's Markdown; its headings go below :data:`SECTION_LEVEL`."""

    source: str
    heading_offset: int = SECTION_LEVEL


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells with a caption; ``numeric`` columns align right.

    A non-empty cell of ``flag_column`` is a warning (``under-represented``): writers
    may make it stand out. ``text_column`` holds long text (a statement, a reason) that a
    writer keeps readable on a narrow screen; by default the second column of a table of
    more than four.
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    flag_column: int | None = None
    text_column: int | None = None


@dataclass(frozen=True, eq=False)
class FigureBlock:
    """A numbered chart with its text alternative as caption, in ``language``."""

    number: int
    item: ReportFigure
    language: str = DEFAULT_LANGUAGE

    @property
    def caption_title(self) -> str:
        """``"Figure 2. Who has been heard"``."""
        _ = translator(self.language)
        return _("Figure {number}. {title}").format(
            number=format_number(self.number, self.language), title=self.item.title)

    @property
    def left_out(self) -> str:
        """The note that says the chart was left out, in the figure's language."""
        return translator(self.language)(CHARTS_LEFT_OUT)


Block = Heading | Paragraph | ItemList | Quote | MarkdownBody | Table | FigureBlock


class BlockWriter(ABC):
    """Write blocks in one format: :meth:`write` calls the method of each block's kind.

    A format subclasses it with one method per kind of block; :meth:`write` keeps the
    order of the blocks, which is the order of the export.
    """

    _METHODS = {Heading: "heading", Paragraph: "paragraph", ItemList: "item_list",
                Quote: "quote", MarkdownBody: "markdown", Table: "table",
                FigureBlock: "figure"}

    def write(self, blocks: Iterable[Block]) -> None:
        """Write every block, in order."""
        for block in blocks:
            getattr(self, self._METHODS[type(block)])(block)

    @abstractmethod
    def heading(self, block: Heading) -> None:
        """Write a heading."""

    @abstractmethod
    def paragraph(self, block: Paragraph) -> None:
        """Write a paragraph of spans."""

    @abstractmethod
    def item_list(self, block: ItemList) -> None:
        """Write a bulleted or numbered list."""

    @abstractmethod
    def quote(self, block: Quote) -> None:
        """Write a block quote, paragraph by paragraph (:attr:`Quote.paragraphs`)."""

    @abstractmethod
    def markdown(self, block: MarkdownBody) -> None:
        """Write a section's Markdown, parsed with raw HTML off."""

    @abstractmethod
    def table(self, block: Table) -> None:
        """Write a table with its caption."""

    @abstractmethod
    def figure(self, block: FigureBlock) -> None:
        """Write a figure: its chart (or the note that it was left out) and its caption."""
