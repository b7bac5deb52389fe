"""Small pieces every widget shares: escaping, messages, labelled fields."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import traitlets

from ..errors import CopWidgetsError

__all__ = ["esc", "tagged", "Message", "labelled", "guarded", "full_width", "fit_width",
           "fit_field", "ConsultationView", "SharedLooks", "FULL_WIDTH", "FIT_WIDTH",
           "LABEL_BESIDE"]

#: The Layout properties of :func:`full_width` and :func:`fit_width`.
FULL_WIDTH = {"width": "100%", "margin": "2px 0"}
FIT_WIDTH = {"width": "auto", "max_width": "100%"}
#: The style of a field whose label stays beside it, as wide as its words.
LABEL_BESIDE = {"description_width": "initial"}


def full_width(**style: str) -> w.Layout:
    """Return a new Layout as wide as its container (each field needs its own).

    A Layout is a widget: two fields sharing one are hidden, moved or resized together.
    ``style`` adds other Layout properties (``height="8em"``, ``max_width="36em"``...).
    ipywidgets gives every widget a 2 px margin all round, which would push a field 100%
    wide 4 px out of its box: this one keeps its margin above and below only.
    """
    return w.Layout(**{**FULL_WIDTH, **style})


#: Widest a labelled choice or date grows: room for a long label and its value.
FIELD_MAX_WIDTH = "44em"


def fit_field(widget: w.Widget) -> w.Widget:
    """Give a labelled field without a width of its own the width of its box; return it.

    A choice, a date or a time grows to :data:`FIELD_MAX_WIDTH` at most. ipywidgets
    makes such a field 300 px wide, label included: a long label left a
    drop-down showing "aft" and a date "04/30/2". A field with a width is left alone.
    """
    layout = widget.layout
    if not layout.width:
        layout.width = "auto"
        layout.max_width = (FIELD_MAX_WIDTH if isinstance(
            widget, (w.Dropdown, w.DatePicker, w.TimePicker, w.Checkbox)) else "100%")
    return widget


def fit_width(**style: str) -> w.Layout:
    """Return a new Layout as wide as its words, never wider than its container.

    For buttons: ipywidgets makes a button 148 px wide and cuts longer words with "…".
    ``style`` adds other Layout properties.
    """
    return w.Layout(**{**FIT_WIDTH, **style})


class SharedLooks:
    """Layout and style models shared by the widgets of one page that look alike.

    ipywidgets gives each widget a Layout model, and most widgets a style model, of their
    own. Each is one more model the kernel opens, the browser asks for and Voila relays:
    on the member page 108 of 169 models were layouts and styles, most of them empty or
    alike. ipywidgets lets many widgets share one Layout or style instance; this hands out
    one per set of properties, for one page.

    A widget given a shared layout must never change it (``row.layout.border = ...``
    would change every widget sharing it): assign it another one instead
    (``row.layout = looks.layout(border=...)``), or give it a Layout of its own.
    """

    def __init__(self) -> None:
        self._models: dict[tuple, w.Widget] = {}

    def layout(self, **properties: str) -> w.Layout:
        """Return the page's Layout with these properties (one model per set of them)."""
        return self._model(w.Layout, properties)

    def style(self, kind: type[w.Widget], **properties: Any) -> w.Widget:
        """Return the page's style model of class ``kind`` with these properties."""
        return self._model(kind, properties)

    def of(self, widget: type[w.Widget], layout: dict[str, str] | None = None,
           style: dict[str, Any] | None = None) -> dict[str, w.Widget]:
        """Return ``layout=`` (and ``style=``, if ``widget`` has one) keywords for ``widget``.

        ``w.HTML(text, **looks.of(w.HTML))`` shares the page's plain layout and HTML style.
        """
        kwargs = {"layout": self.layout(**(layout or {}))}
        trait = widget.class_traits().get("style")
        if trait is not None:
            kwargs["style"] = self.style(trait.klass, **(style or {}))
        return kwargs

    def models(self) -> list[w.Widget]:
        """Return the shared models made so far."""
        return list(self._models.values())

    def _model(self, kind: type[w.Widget], properties: dict[str, Any]) -> w.Widget:
        key = (kind, tuple(sorted(properties.items())))
        model = self._models.get(key)
        if model is None or model.comm is None:  # none yet, or closed
            model = self._models[key] = kind(**properties)
        return model


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
        # The template makes this widget's box a polite live region that is in the page
        # before any text arrives, so screen readers announce each new message. (Given
        # here rather than added after: each change after the widget opened is a message.)
        classes = [*kwargs.pop("_dom_classes", ()), "cop-message-area"]
        super().__init__(*args, _dom_classes=classes, **kwargs)
        #: The language errors are told in, and the labels of the fields of the widget that
        #: shows them (see :meth:`problem`).
        self.language = language
        self.labels = labels or {}
        #: Places beside the controls (see :meth:`beside`), by the key of their control,
        #: and the key the next message is shown at.
        self._slots: dict[Any, w.HTML] = {}
        self._at: Any = None
        self.kind = self.text = ""

    def slot(self, *keys: Any, layout: w.Layout | None = None,
             style: w.Widget | None = None) -> w.HTML:
        """Return a new place for this message, shown when an action of ``keys`` reports.

        A key is the button whose click reports (see :func:`guarded`) or any other value
        an action passes to :meth:`at`. Once a message has places, it is itself not put on
        the page: each report appears in the place of its action and empties the others.
        A place made again for a key (a redrawn row) replaces the old one and shows the
        message if it was there. ``layout`` and ``style`` are the place's (by default its
        own, with ``min_width="0"``).
        """
        place = w.HTML(layout=layout or w.Layout(min_width="0"),
                       _dom_classes=["cop-message-area", "cop-message-beside"],
                       **({"style": style} if style is not None else {}))
        for key in keys:
            self._slots[key] = place
        if self._at in keys:
            place.value = self.value
        return place

    def beside(self, *buttons: w.Widget, keys: tuple[Any, ...] = (),
               looks: SharedLooks | None = None) -> w.HBox:
        """Return ``buttons`` in a row followed by a place for what they cause.

        The row wraps: the message sits right of the buttons on a wide page and under them
        on a phone. ``keys`` are other keys reported at the same place (default: each button
        that is a :class:`ipywidgets.Button`). With ``looks``, the row and the place share
        the page's layouts and style (see :class:`SharedLooks`) instead of their own.
        """
        keys = keys or tuple(b for b in buttons if isinstance(b, w.Button))
        # in the row, the place takes what is left of it, or a line of its own on a phone
        place_layout = {"min_width": "0", "flex": "1 1 14em", "margin": "0 0 0 4px"}
        row_layout = {"flex_flow": "row wrap", "align_items": "center"}
        if looks is None:
            place = self.slot(*keys, layout=w.Layout(**place_layout))
            layout = w.Layout(**row_layout)
        else:
            place = self.slot(*keys, layout=looks.layout(**place_layout),
                              style=looks.of(w.HTML)["style"])
            layout = looks.layout(**row_layout)
        return w.HBox([*buttons, place], layout=layout, _dom_classes=["cop-action-row"])

    def at(self, key: Any) -> Message:
        """Show the next messages at the place of ``key`` (``None``: the message itself)."""
        self._at = key
        return self

    def place(self) -> w.HTML | None:
        """Return the place where the message is shown now, or ``None`` if it is itself.

        A key without a place of its own reports at the place made for ``None``, if any.
        """
        place = self._slots.get(self._at)
        if place is None or place.comm is None:  # no place, or its row was redrawn away
            place = self._slots.get(None)
        return place

    def _render(self, value: str) -> None:
        self.value = value
        shown = self.place()
        for place in {id(p): p for p in self._slots.values()}.values():
            place.value = value if place is shown else ""

    def show(self, text: str, kind: str = "info") -> None:
        """Show ``text`` (escaped) in the style ``kind``: ``ok``, ``error`` or ``info``.

        Errors are also an assertive alert; other messages rely on the surrounding polite
        live region.
        """
        role = ' role="alert"' if kind == "error" else ""
        self._render(
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
        """Remove the message, wherever it is shown."""
        self._render("")
        self.kind = ""
        self.text = ""


def labelled(label: str, widget: w.Widget, help_text: str = "") -> w.VBox:
    """Return ``widget`` under a visible label; the label is also its accessible name.

    A field without a width of its own is given room for its label and its value (see
    :func:`fit_field`). The Voila template puts the label above the field on a phone.
    """
    if hasattr(widget, "description") and not getattr(widget, "description", ""):
        widget.description = label
        widget.style = LABEL_BESIDE
        if help_text:
            widget.tooltip = help_text
        fit_field(widget)
        return w.VBox([widget])
    parts: list[w.Widget] = [w.Label(label), widget]
    if help_text:
        parts.append(w.HTML(f'<small>{esc(help_text)}</small>'))
    return w.VBox(parts)


def refreshed_at(_: Callable[[str], str], now: Any) -> str:
    """Say when a view was refreshed (``Refreshed at 14:05:09 UTC.``), in the page's words.

    Parameters
    ----------
    _ : callable
        The page's translator.
    now : datetime
        The store's clock at the refresh (UTC).
    """
    return _("Refreshed at {time} UTC.").format(time=f"{now:%H:%M:%S}")


def guarded(message: Message, action: Callable[[], str | None], *,
            at: Any = None) -> Callable[[Any], None]:
    """Wrap a button callback: domain errors become a message, success shows the result.

    The message is shown at the place of ``at``, else of the button clicked (see
    :meth:`Message.beside`), so that it appears next to what caused it.
    """

    def handler(button: Any = None) -> None:
        message.at(at if at is not None else button)
        try:
            result = action()
        except CopWidgetsError as exc:
            message.show(message.problem(exc), "error")
        else:
            if result:
                message.show(result, "ok")

    return handler
