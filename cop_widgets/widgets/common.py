"""Small pieces every widget shares: escaping, messages, labelled fields."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets

from ..errors import CopWidgetsError

__all__ = ["esc", "tagged", "Message", "labelled", "guarded", "full_width", "ConsultationView"]


def full_width(**style: str) -> w.Layout:
    """Return a new Layout as wide as its container (each field needs its own).

    A Layout is a widget: two fields sharing one are hidden, moved or resized together.
    ``style`` adds other Layout properties (``height="8em"``...).
    """
    return w.Layout(width="100%", **style)


class ConsultationView(traitlets.HasTraits):
    """Mixin of a widget that shows one consultation: setting its id redraws it.

    A widget mixing it in sets :attr:`consultation_id` last in its constructor (which draws
    it the first time) and defines :meth:`show_consultation`.

    Attributes
    ----------
    consultation_id : int or None
        The consultation shown; assigning another one redraws the widget for it.

    """

    consultation_id = traitlets.Int(None, allow_none=True)

    @traitlets.observe("consultation_id")
    def _consultation_changed(self, change: dict) -> None:
        if change["new"] is not None:
            self.show_consultation()

    def show_consultation(self) -> None:
        """Draw the widget for :attr:`consultation_id`; every view defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define show_consultation()")


def esc(value: Any) -> str:
    """Escape any value for an ipywidgets ``HTML`` value (which is not sanitised)."""
    return html.escape("" if value is None else str(value), quote=True)


def tagged(tag: str, text: Any) -> str:
    """Return ``text``, escaped, inside ``<tag>...</tag>`` (``tagged("h3", _("Results"))``).

    Translated strings are passed here rather than written inside f-strings, which Babel
    does not read for ``_()`` calls on Python 3.11.
    """
    return f"<{tag}>{esc(text)}</{tag}>"


class Message(w.HTML):
    """A status line: success, error or information, always escaped, read by screen readers."""

    _STYLES = {
        "ok": "color:#1b5e20;",
        "error": "color:#b71c1c;font-weight:bold;",
        "info": "color:#263238;",
    }

    def __init__(self, *args: Any, language: str | None = None,
                 labels: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        #: The language errors are told in, and the labels of the fields of the widget that
        #: shows them (see :meth:`problem`).
        self.language = language
        self.labels = labels or {}
        # The template makes this widget's box a polite live region that is in the page
        # before any text arrives, so screen readers announce each new message.
        self.add_class("cop-message-area")

    def show(self, text: str, kind: str = "info") -> None:
        """Show ``text`` (escaped) in the style ``kind``: ``ok``, ``error`` or ``info``.

        Errors are also an assertive alert; other messages rely on the surrounding polite
        live region.
        """
        role = ' role="alert"' if kind == "error" else ""
        self.value = (
            f'<div{role} class="cop-message cop-{kind}" '
            f'style="{self._STYLES.get(kind, "")}">{esc(text)}</div>'
        )
        self.kind = kind
        self.text = text

    def problem(self, exc: CopWidgetsError) -> str:
        """Return ``exc`` in words: its field and rule in :attr:`language`."""
        from ..i18n import translator
        from .problems import problem_in_words

        return problem_in_words(exc, translator(self.language), self.labels,
                                language=self.language)

    def clear(self) -> None:
        """Remove the message."""
        self.value = ""
        self.kind = ""
        self.text = ""


def labelled(label: str, widget: w.Widget, help_text: str = "") -> w.VBox:
    """Return ``widget`` under a visible label; the label is also its accessible name."""
    if hasattr(widget, "description") and not getattr(widget, "description", ""):
        widget.description = label
        widget.style = {"description_width": "initial"}
        if help_text:
            widget.tooltip = help_text
        return w.VBox([widget])
    parts: list[w.Widget] = [w.Label(label), widget]
    if help_text:
        parts.append(w.HTML(f'<small>{esc(help_text)}</small>'))
    return w.VBox(parts)


def guarded(message: Message, action: Callable[[], str | None]) -> Callable[[Any], None]:
    """Wrap a button callback: domain errors become a message, success shows the result."""

    def handler(_button: Any = None) -> None:
        try:
            result = action()
        except CopWidgetsError as exc:
            message.show(message.problem(exc), "error")
        else:
            if result:
                message.show(result, "ok")

    return handler
