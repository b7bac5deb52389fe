"""Intake: the facilitator records the external development the community will answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from .. import model as m
from ..i18n import N_, translator
from .common import Message, fit_width, full_width, guarded, labelled, tagged

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["IntakeForm", "KIND_CHOICES"]

#: The kinds of development, in words, as the dropdown shows them (English msgids,
#: translated where shown).
KIND_CHOICES: list[tuple[str, str]] = [
    (N_("A new policy"), m.DevelopmentKind.POLICY.value),
    (N_("A new technology"), m.DevelopmentKind.TECHNOLOGY.value),
    (N_("A change in management"), m.DevelopmentKind.MANAGEMENT_CHANGE.value),
    (N_("A request for our opinion"), m.DevelopmentKind.REQUEST_FOR_OPINION.value),
    (N_("Something else"), m.DevelopmentKind.OTHER.value),
]

_RFO = m.DevelopmentKind.REQUEST_FOR_OPINION.value


class IntakeForm(w.VBox):
    """Form that creates or updates a :class:`~cop_widgets.model.Development`.

    Parameters
    ----------
    store : Store
        Where the development is saved.
    development_id : int, optional
        Edit this development; without it, Save creates a new one (and later saves
        update that new one).
    on_saved : callable, optional
        Called with the saved development after every successful save.
    language : str, optional
        Language of the form (``en``, ``fr``, ``es``); English by default.

    Attributes
    ----------
    development_id : int or None
        The development edited; assigning one fills the form with it, ``None`` empties
        the form (the next save creates a new development).
    kind, title, summary, source_url, date : ipywidgets.Widget
        The fields every development has.
    requester, requester_deadline, questions : ipywidgets.Widget
        The fields of a request for opinion, inside :attr:`request_box`, which is shown
        only when the kind is a request for opinion.
    save_button : ipywidgets.Button
        Saves the development.
    message : Message
        Says what was saved, or which field broke which rule.
    development : Development or None
        The last saved (or loaded) development.

    """

    development_id = traitlets.Int(None, allow_none=True)

    def __init__(self, store: Store, development_id: int | None = None,
                 on_saved: Callable[[m.Development], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        self.store = store
        self.on_saved = on_saved
        self.development: m.Development | None = None
        self._ = _ = translator(language)

        self.kind = w.Dropdown(options=[(_(label), value) for label, value in KIND_CHOICES],
                               value=m.DevelopmentKind.POLICY.value)
        self.title = w.Text(placeholder=_("e.g. New national guideline on remote monitoring"),
                            layout=full_width())
        self.summary = w.Textarea(placeholder=_("What happened, in your own words"),
                                  layout=full_width(height="8em"))
        self.source_url = w.Text(placeholder="https://...", layout=full_width())
        self.date = w.DatePicker()
        self.requester = w.Text(placeholder=_("e.g. Ministry of Health"), layout=full_width())
        self.requester_deadline = w.DatePicker()
        self.questions = w.Textarea(placeholder=_("One question per line"),
                                    layout=full_width(height="6em"))
        self.save_button = w.Button(description=_("Save development"), button_style="primary",
                                    icon="save", layout=fit_width())
        self.message = Message(language=language)

        self.request_box = w.VBox([
            w.HTML(tagged("b", _("Request for opinion"))),
            labelled(_("Who asks for our opinion"), self.requester),
            labelled(_("By when they want our answer"), self.requester_deadline),
            labelled(_("Their questions (one per line)"), self.questions,
                     _("Each line becomes one question; blank lines are ignored.")),
        ])
        self.kind.observe(self._on_kind, names="value")
        self.save_button.on_click(guarded(self.message, self.save))

        super().__init__([
            labelled(_("Kind of development"), self.kind),
            labelled(_("Title"), self.title, _("Required; at most 200 characters.")),
            labelled(_("Summary"), self.summary),
            labelled(_("Link to the source (optional)"), self.source_url,
                     _("Must start with http:// or https://")),
            labelled(_("Date it was announced (optional)"), self.date),
            self.request_box,
            self.message.beside(self.save_button),
        ], **kwargs)
        self.development_id = development_id  # fills the form
        self._on_kind()

    # -- behaviour --------------------------------------------------------------------

    def _on_kind(self, _change: Any = None) -> None:
        shown = self.kind.value == _RFO
        self.request_box.layout.display = "" if shown else "none"

    @traitlets.observe("development_id")
    def _on_development(self, change: Any) -> None:
        if change["new"] is None:
            self._empty()
        else:
            self._fill(self.store.get_development(change["new"]))

    def load(self, development_id: int) -> m.Development:
        """Fill the form with a stored development; later saves update it."""
        if development_id == self.development_id:
            self._fill(self.store.get_development(development_id))  # read it again
        else:
            self.development_id = development_id
        return self.development

    def _fill(self, development: m.Development) -> None:
        self.development = development
        self.kind.value = development.kind.value
        self.title.value = development.title
        self.summary.value = development.summary
        self.source_url.value = development.source_url
        self.date.value = development.date
        self.requester.value = development.requester
        self.requester_deadline.value = development.requester_deadline
        self.questions.value = "\n".join(development.questions)
        self.message.clear()

    def clear(self) -> None:
        """Empty the form; the next save creates a new development."""
        if self.development_id is None:
            self._empty()
        else:
            self.development_id = None  # empties it

    def _empty(self) -> None:
        self.development = None
        self.kind.value = m.DevelopmentKind.POLICY.value
        for field in (self.title, self.summary, self.source_url, self.requester,
                      self.questions):
            field.value = ""
        self.date.value = self.requester_deadline.value = None
        self.message.clear()

    def values(self) -> dict[str, Any]:
        """Return the form's values as :class:`Development` fields.

        The request-for-opinion fields are left empty unless the kind is a request for
        opinion, so a form switched from one kind to another still saves.
        """
        is_request = self.kind.value == _RFO
        return {
            "kind": self.kind.value,
            "title": self.title.value,
            "summary": self.summary.value,
            "source_url": self.source_url.value,
            "date": self.date.value,
            "requester": self.requester.value if is_request else "",
            "requester_deadline": self.requester_deadline.value if is_request else None,
            "questions": tuple(
                q.strip() for q in self.questions.value.splitlines() if q.strip()
            ) if is_request else (),
        }

    def save(self) -> str:
        """Create or update the development; return what happened, in words.

        Raises
        ------
        ValidationError
            A field breaks a rule; nothing is written.

        """
        _ = self._
        values = self.values()
        if self.development_id is None:
            saved = self.store.add_development(m.Development(**values))
            done = _("Saved the new development \u201c{title}\u201d.")
        else:
            saved = self.store.update_development(self.development_id, **values)
            done = _("Saved the changes to \u201c{title}\u201d.")
        self.development = saved
        self.development_id = saved.id  # later saves update it
        if saved.kind is not m.DevelopmentKind.REQUEST_FOR_OPINION:
            self.requester.value = ""
            self.requester_deadline.value = None
            self.questions.value = ""
        if self.on_saved is not None:
            self.on_saved(saved)
        return done.format(title=saved.title)
