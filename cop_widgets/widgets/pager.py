"""One page of a long list at a time: previous and next buttons and "21–40 of 1,000".

A list of a thousand proposals drawn at once is thousands of widgets in the kernel and the
browser; a :class:`Pager` lets its owner draw a bounded page of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import ipywidgets as w

from ..i18n import format_number, translator
from .common import esc

__all__ = ["PAGE_SIZE", "Pager", "discard"]

#: Items a page shows by default.
PAGE_SIZE = 25

T = TypeVar("T")


class Pager(w.HBox):
    """Choose which page of a list its owner draws.

    Parameters
    ----------
    on_turn : callable
        Called with no argument after :meth:`turn`; the owner redraws its list, calling
        :meth:`page` for the items to draw.
    page_size : int
        Items a page shows.
    language : str, optional
        Language of the buttons and the position.

    Attributes
    ----------
    start : int
        Index (from 0) of the first item on the page.
    total : int
        Items in the list when it was last paged.
    previous_button, next_button : ipywidgets.Button
        Turn to the page before or after.
    position : ipywidgets.HTML
        Which items are shown, "21–40 of 1,000". The pager is hidden while the whole list
        fits on one page.

    """

    def __init__(self, on_turn: Callable[[], None], *, page_size: int = PAGE_SIZE,
                 language: str | None = None):
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size!r}")
        _ = self._ = translator(language)
        self.language = language
        self.page_size = page_size
        self.start = 0
        self.total = 0
        self._on_turn = on_turn
        self.previous_button = w.Button(description=_("Previous"), icon="chevron-left",
                                        tooltip=_("Show the previous page of the list"))
        self.next_button = w.Button(description=_("Next"), icon="chevron-right",
                                    tooltip=_("Show the next page of the list"))
        self.position = w.HTML()
        self.previous_button.on_click(lambda _b: self.turn(-1))
        self.next_button.on_click(lambda _b: self.turn(+1))
        super().__init__([self.previous_button, self.position, self.next_button],
                         layout=w.Layout(align_items="center", display="none"))
        self.add_class("cop-pager")

    def page(self, items: Sequence[T]) -> tuple[int, Sequence[T]]:
        """Return ``(offset, items on the current page)`` and show where they stand.

        The page is kept within the list: when the list has shrunk below :attr:`start`
        (the last item of the last page was moderated), the last page is shown.
        """
        self.total = len(items)
        last_start = max(0, (self.total - 1) // self.page_size * self.page_size)
        self.start = max(0, min(self.start, last_start))
        shown = items[self.start:self.start + self.page_size]
        self._draw(len(shown))
        return self.start, shown

    def show_index(self, index: int) -> None:
        """Make the page holding item ``index`` (from 0) the current one, at the next draw."""
        self.start = max(0, index) // self.page_size * self.page_size

    def turn(self, step: int) -> None:
        """Move ``step`` pages (``-1`` back, ``+1`` on), then let the owner redraw."""
        self.start = max(0, self.start + step * self.page_size)
        self._on_turn()

    def _draw(self, shown: int) -> None:
        language = self.language
        self.layout.display = None if self.total > self.page_size else "none"
        self.position.value = "<span>" + esc(self._("{first}\u2013{last} of {total}").format(
            first=format_number(self.start + 1 if shown else 0, language),
            last=format_number(self.start + shown, language),
            total=format_number(self.total, language))) + "</span>"
        self.previous_button.disabled = self.start == 0
        self.next_button.disabled = self.start + self.page_size >= self.total


def discard(widgets: Sequence[w.Widget]) -> None:
    """Close ``widgets`` that were taken off the page, with everything under them.

    A redrawn list builds new rows; closing the old ones (their layouts and styles too, which
    each widget here owns) frees them in the kernel and the browser, so redrawing after
    every action does not pile up widgets. Only for widgets no other part of a page shows.
    """
    for widget in widgets:
        discard(getattr(widget, "children", ()) or ())
        for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
            if isinstance(part, w.Widget):
                part.close()
        widget.close()
