"""The frame of a workbench editor: buttons whose actions report, then show the store's truth."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..i18n import plural_translator, translator
from .common import ConsultationView, Message, guarded

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["ConsultationEditor"]


class ConsultationEditor(ConsultationView, w.VBox):
    """A box that edits one consultation through buttons, each reported in :attr:`message`.

    After every action, whether it succeeded or was refused, the editor redraws itself from
    the store (:meth:`refresh`) and then calls ``on_change``, so that no view shows a state
    the store does not hold. Assigning :attr:`consultation_id` redraws it for that
    consultation; a subclass assigns it last in its constructor, once its widgets exist.

    Parameters
    ----------
    store : Store
        Where the consultation lives.
    consultation_id : int
        The consultation edited.
    on_change : callable, optional
        Called with no argument after every action.
    language : str, optional
        Language of the editor (``en``, ``fr``, ``es``); English by default.

    Attributes
    ----------
    message : Message
        What happened, or which field broke which rule.

    """

    def __init__(self, store: Store, consultation_id: int,
                 on_change: Callable[[], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        self.store = store
        self.on_change = on_change
        self.language = language
        self._ = translator(language)
        self.ngettext = plural_translator(language)
        self.message = Message(language=language)
        super().__init__(**kwargs)

    def refresh(self) -> None:
        """Redraw the editor from the store; every editor defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define refresh()")

    def show_consultation(self) -> None:
        """Draw the editor for :attr:`consultation_id` (see :meth:`refresh`)."""
        self.refresh()

    def connect(self, actions: dict[w.Button, Callable[[], str | None]]) -> None:
        """Run each action when its button is clicked (see :meth:`guard`)."""
        for button, action in actions.items():
            button.on_click(self.guard(action))

    def guard(self, action: Callable[[], str | None], *,
              at: Any = None) -> Callable[[Any], None]:
        """Wrap ``action`` as a click handler.

        A domain error is shown in :attr:`message`, a returned sentence as success; either
        way the editor then refreshes and calls ``on_change``. The message appears at the
        place of ``at``, else beside the button clicked (see
        :meth:`~cop_widgets.widgets.common.Message.beside`).
        """

        def run() -> str | None:
            try:
                return action()
            finally:
                self.refresh()
                if self.on_change is not None:
                    self.on_change()

        return guarded(self.message, run, at=at)
