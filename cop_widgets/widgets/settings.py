"""Settings of a consultation: scale, anonymity, visibility, deadline, language, status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..errors import ValidationError
from ..i18n import LANGUAGES, N_, format_date, format_datetime, translator
from ..scales import SCALES
from ..vocabulary import LANGUAGE_NAMES
from .common import (
    ConsultationView,
    Message,
    esc,
    fit_width,
    full_width,
    guarded,
    labelled,
    tagged,
)
from .problems import refused_edit_in_words

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ConsultationSettings",
    "new_consultation",
    "offered_deadline",
    "VISIBILITY_CHOICES",
    "LANGUAGE_CHOICES",
    "status_in_words",
]

#: When members may see results, in words (English msgids; translated where shown).
VISIBILITY_CHOICES: list[tuple[str, str]] = [
    (N_("after they submit"), m.Visibility.AFTER_SUBMISSION.value),
    (N_("after the consultation closes"), m.Visibility.AFTER_CLOSE.value),
    (N_("never"), m.Visibility.NEVER.value),
]

#: Languages of the member pages, each named in itself (not translated).
LANGUAGE_CHOICES: list[tuple[str, str]] = [(LANGUAGE_NAMES[code], code) for code in LANGUAGES]

_DEFAULT_TIME = dt.time(23, 59)


def new_consultation(store: Store, development_id: int, title: str,
                     **settings: Any) -> m.Consultation:
    """Create a draft consultation about a stored development.

    Without a ``deadline`` in ``settings``, a request for opinion starts with the
    requester's deadline (see :func:`offered_deadline`).

    Parameters
    ----------
    store : Store
        Where it is saved.
    development_id : int
        The development the community answers.
    title : str
        The question put to the community.
    **settings
        Other :class:`~cop_widgets.model.Consultation` fields (``scale``, ``anonymous``...).

    Returns
    -------
    Consultation
        The saved consultation, with its id.

    Raises
    ------
    ValidationError
        A field breaks a rule; nothing is written.
    NotFound
        The development does not exist.

    """
    if "deadline" not in settings:
        settings["deadline"] = offered_deadline(store.get_development(development_id),
                                                store.now())
    return store.add_consultation(m.Consultation(development_id, title, **settings))


def offered_deadline(development: m.Development, now: dt.datetime) -> dt.datetime | None:
    """Return the deadline a consultation about ``development`` starts with, or ``None``.

    A request for opinion gives the requester's deadline (set at intake) at 23:59 UTC on
    that day, if it is still ahead of ``now``; the facilitator can change it in Settings.
    """
    requested = development.requester_deadline
    if requested is None:
        return None
    deadline = dt.datetime.combine(requested, _DEFAULT_TIME, tzinfo=dt.timezone.utc)
    return deadline if deadline > now else None


def status_in_words(consultation: m.Consultation, language: str | None = None) -> str:
    """Return the status of a consultation as a sentence for the facilitator.

    ``language`` is the facilitator's (English by default), not the member pages'.
    """
    _ = translator(language)
    status = consultation.status
    deadline = " " + (
        _("The deadline is {deadline}.").format(
            deadline=format_datetime(consultation.deadline, language))
        if consultation.deadline else _("There is no deadline."))
    if status is m.ConsultationStatus.DRAFT:
        return (_("Draft: members cannot answer yet. Open it when the statements and the "
                  "roster are ready.") + deadline)
    if status is m.ConsultationStatus.OPEN:
        return _("Open: members can fill in their position cards.") + deadline
    return _("Closed: no more cards are accepted. You can open it again.")


class ConsultationSettings(ConsultationView, w.VBox):
    """Settings and status of one consultation.

    Parameters
    ----------
    store : Store
        Where the consultation lives.
    consultation_id : int
        The consultation to configure.
    on_change : callable, optional
        Called with the saved consultation after every successful change.
    language : str, optional
        Language of the form (``en``, ``fr``, ``es``); English by default. The scale's
        levels are previewed in the language chosen for the member pages.

    Attributes
    ----------
    consultation_id : int or None
        The consultation configured; assigning another one loads its settings.
    title, scale, anonymous, visibility, deadline_date, deadline_time, language
        The settings' widgets (the deadline is in UTC; an empty date means no deadline).
    save_button : ipywidgets.Button
        Saves the settings.
    open_button, close_button : ipywidgets.Button
        Open the consultation to cards, or close it.
    status : ipywidgets.HTML
        The status in words.
    message : Message
        What happened, or which field broke which rule.
    consultation : Consultation
        The consultation as last read or saved.

    """

    def __init__(self, store: Store, consultation_id: int,
                 on_change: Callable[[m.Consultation], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        self.store = store
        self.on_change = on_change
        self.ui_language = language
        self._ = _ = translator(language)
        self.message = Message(language=language, labels={
            "title": _("Question put to the community"),
            "deadline_date": _("Deadline date (UTC, optional)")})

        self.title = w.Text(layout=full_width())
        self.scale = w.Dropdown(options=[(_(s.name), key) for key, s in SCALES.items()])
        self.scale_levels = w.HTML()
        self.anonymous = w.Checkbox(indent=False)
        self.receipts = w.Checkbox(indent=False)
        self.visibility = w.Dropdown(options=[(_(label), value)
                                              for label, value in VISIBILITY_CHOICES])
        self.deadline_date = w.DatePicker()
        self.deadline_time = w.TimePicker()
        self.deadline_note = w.HTML()
        self.language = w.Dropdown(options=LANGUAGE_CHOICES)
        self.save_button = w.Button(description=_("Save settings"), icon="save",
                                    button_style="primary", layout=fit_width())
        self.status = w.HTML()
        self.open_button = w.Button(description=_("Open to members"), icon="play",
                                    button_style="success", layout=fit_width())
        self.close_button = w.Button(description=_("Close"), icon="stop",
                                     button_style="warning", layout=fit_width())
        self.round_button = w.Button(description=_("Start the next round"), icon="repeat",
                                     layout=fit_width(),
                                     tooltip=_("Delphi: members see this round's results and "
                                               "their own answers, and may revise"))

        self.scale.observe(self._show_levels, names="value")
        self.language.observe(self._show_levels, names="value")
        self.save_button.on_click(guarded(self.message, self.save))
        self.open_button.on_click(guarded(self.message, self.open_consultation))
        self.close_button.on_click(guarded(self.message, self.close_consultation))
        self.round_button.on_click(guarded(self.message, self.next_round))
        # Clearing the date clears the time too: no deadline, rather than a lone time.
        self.deadline_date.observe(self._date_cleared, names="value")

        super().__init__([
            w.HTML(tagged("h3", _("Settings"))),
            labelled(_("Question put to the community"), self.title),
            labelled(_("Stance scale"), self.scale,
                     _("Cannot change once members have saved cards.")),
            self.scale_levels,
            labelled(_("Anonymous: never show a name beside a position"), self.anonymous),
            labelled(_("Members see the community's results"), self.visibility),
            labelled(_("Deadline date (UTC, optional)"), self.deadline_date,
                     _("Leave empty for no deadline.")),
            labelled(_("Deadline time (UTC)"), self.deadline_time,
                     _("Empty means 23:59 on the deadline date.")),
            self.deadline_note,
            labelled(_("Language of the member pages"), self.language),
            labelled(_("Email a receipt to members when they submit"), self.receipts,
                     _("Off by default. Receipts wait in the outbox until sent (Roster & "
                       "invitations: Send waiting messages, or cop-widgets send). They name "
                       "no stance.")),
            self.message.beside(self.save_button),
            w.HTML(tagged("h3", _("Status"))),
            self.status,
            self.message.beside(self.open_button, self.close_button, self.round_button),
        ], **kwargs)
        self.consultation_id = consultation_id  # loads it

    def show_consultation(self) -> None:
        """Fill the form with the settings of :attr:`consultation_id` (see :meth:`load`)."""
        self.message.clear()
        self.load()

    # -- behaviour --------------------------------------------------------------------

    def _show_levels(self, _change: Any = None) -> None:
        scale = SCALES.get(self.scale.value)
        if scale is None:
            self.scale_levels.value = ""
            return
        members_ = translator(self.language.value)  # the member pages' language
        items = "".join(f"<li>{esc(members_(level.label))}</li>" for level in scale.levels)
        self.scale_levels.value = (tagged("small", self._("Levels, as members see them:"))
                                   + f"<ul>{items}</ul>")

    def load(self) -> m.Consultation:
        """Fill the form from the store."""
        consultation = self.store.get_consultation(self.consultation_id)
        self._show(consultation)
        self.title.value = consultation.title
        self.scale.value = consultation.scale
        self._show_levels()
        self.anonymous.value = consultation.anonymous
        self.visibility.value = consultation.visibility.value
        deadline = consultation.deadline
        self.deadline_date.value = deadline.date() if deadline else None
        self.deadline_time.value = deadline.time().replace(second=0, microsecond=0) \
            if deadline else None
        self.language.value = consultation.language
        self.receipts.value = consultation.receipts
        self._note_requested(consultation)
        return consultation

    def _note_requested(self, consultation: m.Consultation) -> None:
        """Say, beside the deadline, when the requester wants the community's answer."""
        development = self.store.get_development(consultation.development_id)
        requested = development.requester_deadline
        if requested is None:
            self.deadline_note.value = ""
            return
        self.deadline_note.value = tagged("small", self._(
            "{requester} wants the answer by {date} (set at intake). A new consultation "
            "starts with that deadline; set an earlier one to leave time for the joint "
            "response.").format(requester=development.requester or self._("The requester"),
                                date=format_date(requested, self.ui_language)))

    def _show(self, consultation: m.Consultation) -> None:
        self.consultation = consultation
        _ = self._
        current = self.store.get_round(consultation.id)
        round_words = _("Round {number}.").format(number=current.number)
        self.status.value = (f"<p>{esc(status_in_words(consultation, self.ui_language))} "
                             f"{esc(round_words)}</p>")
        self.round_button.description = _("Start round {number}").format(
            number=current.number + 1)
        self.open_button.description = (_("Open again") if consultation.status
                                        is m.ConsultationStatus.CLOSED else _("Open to members"))
        self.open_button.disabled = consultation.status is m.ConsultationStatus.OPEN
        self.close_button.disabled = consultation.status is not m.ConsultationStatus.OPEN

    def _date_cleared(self, change: dict) -> None:
        if change["new"] is None:
            self.deadline_time.value = None

    def deadline(self) -> dt.datetime | None:
        """Return the deadline chosen in the form (aware, UTC), or ``None``.

        Raises
        ------
        ValidationError
            A time is given without a date (it would be dropped without a word).

        """
        if self.deadline_date.value is None:
            if self.deadline_time.value is not None:
                raise ValidationError("deadline_date", "time-without-date")
            return None
        time = self.deadline_time.value or _DEFAULT_TIME
        return dt.datetime.combine(self.deadline_date.value, time, tzinfo=dt.timezone.utc)

    def _changed(self, consultation: m.Consultation) -> None:
        self._show(consultation)
        if self.on_change is not None:
            self.on_change(consultation)

    def save(self) -> str | None:
        """Save the settings; return what happened, in words.

        A setting the store refuses is put back to its stored value in the form, and the
        refusal is said as a sentence beside the button (nothing else is saved either).
        """
        try:
            consultation = self.store.update_consultation(
                self.consultation_id,
                title=self.title.value,
                scale=self.scale.value,
                anonymous=self.anonymous.value,
                visibility=self.visibility.value,
                deadline=self.deadline(),
                language=self.language.value,
                receipts=self.receipts.value,
            )
        except ValidationError as exc:
            if not self._put_back(exc.field):
                raise
            self.message.show(refused_edit_in_words(exc, self._, self._names(),
                                                    self.ui_language), "error")
            return None
        self._changed(consultation)
        note = ""
        if consultation.deadline and consultation.deadline < self.store.now():
            note = " " + self._("Note: the deadline has already passed, so no card is "
                                "accepted.")
        return self._("Settings saved.") + note

    def _names(self) -> dict[str, str]:
        """Return the settings by their field names, as a sentence names them."""
        _ = self._
        return {"title": _("the question put to the community"),
                "scale": _("the stance scale"), "anonymous": _("anonymity"),
                "visibility": _("when members see the results"),
                "deadline": _("the deadline"),
                "language": _("the language of the member pages"),
                "receipts": _("receipts by email")}

    def _put_back(self, field: str) -> bool:
        """Put the stored value of ``field`` back in the form; say whether it is a field here."""
        stored = self.store.get_consultation(self.consultation_id)
        if field in ("title", "scale", "anonymous", "language", "receipts"):
            getattr(self, field).value = getattr(stored, field)
        elif field == "visibility":
            self.visibility.value = stored.visibility.value
        elif field == "deadline":
            deadline = stored.deadline
            self.deadline_date.value = deadline.date() if deadline else None
            self.deadline_time.value = (deadline.time().replace(second=0, microsecond=0)
                                        if deadline else None)
        else:
            return False
        return True

    def open_consultation(self) -> str:
        """Open the consultation to cards (it needs at least one accepted statement)."""
        consultation = self.store.open_consultation(self.consultation_id)
        self._changed(consultation)
        return self._("The consultation is open: members with a link can answer.")

    def next_round(self) -> str:
        """Start the next Delphi round and open the consultation to it."""
        new_round = self.store.add_round(self.consultation_id, reopen=True)
        self._changed(self.store.get_consultation(self.consultation_id))
        return self._("Round {number} is open: members see the previous round's results and "
                      "their own answers, and may revise. Earlier rounds are kept.").format(
            number=new_round.number)

    def close_consultation(self) -> str:
        """Close the consultation: no more cards are accepted."""
        consultation = self.store.close_consultation(self.consultation_id)
        self._changed(consultation)
        return self._("The consultation is closed: no more cards are accepted.")
