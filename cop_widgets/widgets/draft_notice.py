"""The member page's notice of the joint response: a draft to answer, or the final text."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..errors import NotFound
from ..i18n import format_datetime
from ..store import Store
from .common import SharedLooks, esc, tagged

__all__ = ["draft_notice"]


def draft_notice(store: Store, consultation_id: int, _: Callable[[str], str], language: str,
                 on_open: Callable[[], None],
                 looks: SharedLooks | None = None) -> tuple[w.VBox, w.Button | None]:
    """Return the notice of the version put to the members, and its button (if any).

    Parameters
    ----------
    store : Store
        Where the version put to the members is read (never a private one).
    consultation_id : int
        The member's consultation.
    _ : callable
        The page's translation.
    language : str
        The page's language, for the date of a final response.
    on_open : callable
        Called when the member asks to read it.
    looks : SharedLooks, optional
        The page's shared layouts and styles (by default, models of the notice's own).

    Returns
    -------
    tuple
        An empty box and ``None`` while no version is put to the members.
    """
    looks = looks or SharedLooks()
    try:
        draft = store.get_draft(consultation_id)
    except NotFound:
        return w.VBox(**looks.of(w.VBox)), None
    if draft.final:
        head = _("The joint response is final")
        words = _("version {number}, finalised on {moment}").format(
            number=draft.version, moment=format_datetime(draft.finalised_at, language))
        label, ask = _("Read the final joint response"), ""
    else:
        head = _("A draft joint response is ready")
        words = _("version {number}").format(number=draft.version)
        label = _("Read the draft joint response")
        ask = " " + _("Read it and say whether you can stand behind it.")
    button = w.Button(description=label, icon="file-text", button_style="info",
                      **looks.of(w.Button, {"width": "auto"}))
    button.on_click(lambda _b: on_open())
    notice = w.HTML("<p>" + tagged("strong", head) + f" ({esc(words)})." + esc(ask) + "</p>",
                    **looks.of(w.HTML))
    return w.VBox([notice, button], **looks.of(w.VBox)), button
