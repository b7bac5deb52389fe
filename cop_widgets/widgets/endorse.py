"""The member's endorsement page: read the joint response put to the members and answer it.

Members read only the version the facilitator put to them (never a version saved
privately) and answer it while the store takes answers; once finalised, the page shows the
final response and its date, without a form.
"""

from __future__ import annotations

import ipywidgets as w

from .. import model as m
from ..errors import CopWidgetsError, InvalidToken, NotFound
from ..i18n import format_datetime, translator
from ..store import Store
from ..vocabulary import ENDORSEMENT_CHOICES
from ..words.draft import SECTION_TITLES, SECTIONS
from ..words.links import ASK_FOR_A_NEW_LINK
from .common import Message, esc, fit_width, full_width, tagged
from .markdown_view import render_markdown
from .problems import problem_in_words, rule_in_words

__all__ = ["EndorsementPage"]

#: Refusals of the draft on screen itself (not of the answer): the form is of no more use.
_NOT_TAKEN = frozenset({"draft-superseded", "draft-not-shared", "endorsement-closed",
                        "endorsements-not-open", "response-finalised"})
#: Refusals after which the page has a newer text to show: a later version, or the final one.
_NEWER_TEXT = frozenset({"draft-superseded", "response-finalised"})


def draft_html(draft: m.Draft, _=str) -> str:
    """Return a draft's sections as safe HTML, in the usual order.

    The section titles (``SECTION_TITLES``, extracted for the catalogue by ``babel.cfg``)
    are translated; the sections' text is the facilitator's and is shown as written.
    """
    keys = [k for k in SECTIONS if k in draft.sections]
    keys += [k for k in draft.sections if k not in keys]
    return "".join(
        f"<section><h3>{esc(_(SECTION_TITLES.get(k, k)))}</h3>"
        f"{render_markdown(draft.sections[k])}</section>" for k in keys)


class EndorsementPage(w.VBox):
    """A member answers the version put to them: endorse, can live with, or block (reason).

    Parameters
    ----------
    store : Store
        The store.
    consultation_id : int or None
        From the link's ``c`` parameter.
    token : str or None
        From the link's ``t`` parameter: the only thing that says who the member is.
    language : str, optional
        Overrides the consultation's language.
    """

    def __init__(self, store: Store, consultation_id: int | None, token: str | None,
                 language: str | None = None):
        super().__init__()
        self.add_class("cop-endorse-page")
        self._store, self._token = store, token
        self.message = Message()
        self.form = None
        try:
            if consultation_id is None:
                raise InvalidToken("link-incomplete")
            self.consultation = store.get_consultation(consultation_id)
            self.member = store.get_member_for_token(consultation_id, token)
        except (InvalidToken, NotFound):
            known = getattr(self, "consultation", None)  # a bad token for a real consultation
            shown = language or (known.language if known else "en")
            _ = translator(shown)
            self.add_class(f"cop-lang-{shown}")
            self.message.show(_("This link does not open the draft joint response.") + " "
                              + _(ASK_FOR_A_NEW_LINK), "error")
            self.children = [self.message]
            return
        self.language = language or self.consultation.language
        self.add_class(f"cop-lang-{self.language}")
        self._ = translator(self.language)
        self.latest_button: w.Button | None = None
        self._show_latest()

    def _show_latest(self) -> None:
        """Show the members' version, with the form while the store takes answers to it."""
        _ = self._
        store, consultation = self._store, self.consultation
        self.form = None
        self.message.clear()
        title = w.HTML(f"<h2>{esc(consultation.title)}</h2>")
        try:  # the version put to the members: never one saved privately
            self.draft = store.get_draft(consultation.id)
        except NotFound:
            self.message.show(_("There is no draft to read yet. The facilitator will send "
                                "it when it is ready."), "info")
            self.children = [title, self.message]
            return
        text = w.HTML(draft_html(self.draft, _))
        if self.draft.final:
            final = _("The final joint response, version {number}, finalised on "
                      "{moment}.").format(number=self.draft.version, moment=format_datetime(
                          self.draft.finalised_at, self.language))
            self.add_class("cop-endorse-final")
            self.message.show(_("This response is final: answers are closed, and the "
                                "answers given to it are kept as they were."), "info")
            self.children = [w.HTML(f"<h2>{esc(consultation.title)}</h2>"
                                    f"<p>{esc(final)}</p>"), text, self.message]
            return
        heading = w.HTML(
            f"<h2>{esc(consultation.title)}</h2>"
            "<p>" + esc(_("Draft joint response, version {number}.").format(
                number=self.draft.version)) + " "
            + esc(_("Blocks and their reasons are recorded in the divergent views."))
            + "</p>")
        # The store's own rule (open consultation, latest version): the page says it first.
        refusal = store.get_endorsement_refusal(consultation.id, self.draft.id)
        if refusal is not None:  # the rule alone: a sentence of its own
            rule = rule_in_words(refusal, _, self.language)
            self.message.show(rule[:1].upper() + rule[1:] + ".", "info")
            self.children = [heading, text, self.message]
            return
        self.choice = w.RadioButtons(
            options=[(_(words), kind) for kind, words in ENDORSEMENT_CHOICES.items()],
            value=None, description=_("Your answer"), style={"description_width": "initial"})
        self.reason = w.Textarea(
            continuous_update=False, description=_("Why? (needed to block)"),
            style={"description_width": "initial"}, layout=full_width())
        self.submit = w.Button(description=_("Send my answer"), button_style="primary",
                               icon="check", layout=fit_width())
        self.submit.on_click(lambda _b: self._answer())
        self.form = w.VBox([self.choice, self.reason, self.submit])
        self.form.add_class("cop-endorse-form")
        earlier = [e for e in store.list_endorsements(self.draft.id)
                   if e.member_id == self.member.id]
        if earlier:
            self.choice.value = earlier[-1].kind.value
            self.reason.value = earlier[-1].reason
        self.children = [
            heading, text,
            w.HTML(tagged("h3", _("Can you stand behind it?"))),
            self.form, self.message,
        ]

    def _in_words(self, exc: CopWidgetsError) -> str:
        return problem_in_words(exc, self._, {"reason": self._("Your reason")}, self.language,
                                show_value=False)

    def _answer(self) -> None:
        _ = self._
        if self.choice.value is None:
            self.message.show(_("kind: choose endorse, can live with, or block"), "error")
            return
        try:
            self._store.add_endorsement(self.consultation.id, self._token, self.draft.id,
                                        self.choice.value, self.reason.value)
        except CopWidgetsError as exc:
            self.message.show(_("Your answer was not recorded: {problem}").format(
                problem=self._in_words(exc)), "error")
            if exc.code in _NOT_TAKEN:
                self._offer_latest(exc.code)
            return
        self.message.show(_("Thank you: your answer is recorded. You can change it with the "
                            "same link until the facilitator finalises the response or "
                            "closes the consultation."), "ok")

    def _offer_latest(self, code: str) -> None:
        """After a refusal of the draft on screen: no more answers to it, and a way on."""
        self.submit.disabled = True
        self.form.children = [self.choice, self.reason]
        if code not in _NEWER_TEXT:
            return
        words = (self._("Read the final response") if code == "response-finalised"
                 else self._("Read the latest version"))
        self.latest_button = w.Button(description=words, icon="refresh",
                                      layout=w.Layout(width="auto"))
        self.latest_button.on_click(lambda _b: self._show_latest())
        self.children = [*self.children, self.latest_button]
