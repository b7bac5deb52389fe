"""The member's page in Voila: the brief, a position card, proposals, and results."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w

from .. import model as m
from ..errors import (
    ConsultationNotOpen,
    CopWidgetsError,
    InvalidToken,
    NotFound,
    ValidationError,
)
from ..i18n import (
    N_,
    format_datetime,
    format_list,
    format_number,
    plural_translator,
    translator,
)
from ..scales import PASS_LABEL, get_scale
from ..services.results import published_results
from ..store import Store
from ..words.links import ASK_FOR_A_NEW_LINK, LINK_OPENS_NO_CARD, link_refusal_reason
from .brief import brief_html
from .card_row import NOT_ANSWERED, PASS, StatementRow
from .common import FIT_WIDTH, FULL_WIDTH, LABEL_BESIDE, Message, SharedLooks, esc, tagged
from .discussion_view import DiscussionView
from .distribution import distribution_html
from .draft_notice import draft_notice
from .problems import problem_in_words, rule_in_words

__all__ = ["MemberPage", "PASS"]



class MemberPage(w.VBox):
    """Everything a member sees through their invitation link.

    Parameters
    ----------
    store : Store
        The store; every write goes through its verbs with the member's token.
    consultation_id : int
        From the link's ``c`` parameter.
    token : str or None
        From the link's ``t`` parameter, read on the server side. It alone decides who the
        member is: an unknown or revoked token gets a refusal and no form.
    language : str, optional
        Overrides the consultation's language (the link's ``lang`` parameter).
    """

    def __init__(self, store: Store, consultation_id: int | None, token: str | None,
                 language: str | None = None):
        # Each widget is given its final classes and layout when it is made, and the page
        # opens its own model last, with its children: every change after a model opened
        # is one more message for the kernel and Voila. Alike widgets share their layout and
        # style (SharedLooks): none of these is ever changed through one widget.
        self._store = store
        self._token = token  # kept private: never a synced trait
        self.looks = looks = SharedLooks()
        self.message = Message(**looks.of(w.HTML))
        self.rows: list[StatementRow] = []
        self.results = w.HTML(**looks.of(w.HTML))
        try:
            if consultation_id is None:
                raise InvalidToken("link-incomplete")
            self.consultation = store.get_consultation(consultation_id)
            self.member = store.get_member_for_token(consultation_id, token)
        except (InvalidToken, NotFound) as exc:
            known = getattr(self, "consultation", None)  # a bad token for a real consultation
            shown = language or (known.language if known else "en")
            _ = translator(shown)
            self.refusal = Message(**looks.of(w.HTML))
            self.refusal.show(
                _(LINK_OPENS_NO_CARD) + " "
                + _(link_refusal_reason("not-found" if isinstance(exc, NotFound) else exc.code))
                + " " + _(ASK_FOR_A_NEW_LINK),
                "error",
            )
            self.form = None
            super().__init__([self.refusal], **looks.of(w.VBox),
                             _dom_classes=["cop-member-page", f"cop-lang-{shown}"])
            return
        self.refusal = None
        self.language = language or self.consultation.language
        self._ = _ = translator(self.language)
        self.ngettext = plural_translator(self.language)
        self.scale = get_scale(self.consultation.scale)
        development = store.get_development(self.consultation.development_id)
        self.statements = store.list_statements(consultation_id)
        options = [(_(level.label), level.value) for level in self.scale.levels]
        options.append((_(PASS_LABEL), PASS))
        self.rows = [StatementRow(i, s, options, _, self.language, looks)
                     for i, s in enumerate(self.statements, start=1)]
        # continuous_update=False: the text reaches the kernel on blur, before a click on
        # Submit; typed-then-clicked text was otherwise lost behind ipywidgets' throttling.
        field = looks.of(w.Textarea, FULL_WIDTH, LABEL_BESIDE)
        button = looks.of(w.Button, FIT_WIDTH)
        self.concerns = w.Textarea(
            continuous_update=False, description=_("Overall concerns (optional)"), **field)
        self.impact = w.Textarea(
            continuous_update=False, description=_("Impact on your own practice (optional)"),
            **field)
        self.save_draft = w.Button(description=_("Save draft"), icon="save", **button,
                                   tooltip=_("Keep your answers without submitting them"))
        self.submit = w.Button(description=_("Submit my position"), button_style="primary",
                               icon="check", **button,
                               tooltip=_("Send your position to the community"))
        self.proposal = w.Textarea(
            continuous_update=False, description=_("Propose a new statement"),
            placeholder=_("A statement others could agree or disagree with"), **field)
        self.propose = w.Button(description=_("Send proposal"), **button,
                                tooltip=_("The facilitator reviews it before it is added"))
        self.save_draft.on_click(lambda _b: self._save(m.CardStatus.DRAFT))
        self.submit.on_click(lambda _b: self._save(m.CardStatus.SUBMITTED))
        self.propose.on_click(self._propose)
        self.status = w.HTML(**looks.of(w.HTML))
        # Which statements are not answered yet, just before the buttons: read before Submit
        # is reached, and kept up to date as the member answers (see _check_unanswered).
        self.unanswered = w.HTML(**looks.of(w.HTML), _dom_classes=["cop-unanswered-notice"])
        self.form = w.VBox([
            w.HTML(tagged("h3", _("Your position")) + "<p>"
                   + esc(_("For each statement, choose the answer closest to your view, or "
                           "'pass / unsure'. Reasons help the community understand you."))
                   + self._abstain_or_pass() + "</p>", **looks.of(w.HTML)),
            *self.rows, self.concerns, self.impact,
            self.unanswered,
            self.message.beside(self.save_draft, self.submit, looks=looks),
            w.HTML(tagged("h3", _("Something missing?")), **looks.of(w.HTML)),
            self.proposal, self.message.beside(self.propose, looks=looks),
        ], **looks.of(w.VBox), _dom_classes=["cop-card"])
        # the endorsement page opens in this kernel with the same token, so the token never
        # has to travel in a link inside the page
        self.draft_notice, button = draft_notice(store, self.consultation.id, self._,
                                                 self.language, self.show_draft, looks)
        if button is not None:
            self.open_draft = button
        refusal = self.consultation.card_refusal(store.now())
        brief = brief_html(development, self.consultation, _, self.language,
                           accepting=refusal is None)
        # other members' reasons once the member has submitted (issue 13)
        self.discussion = DiscussionView(store, self.consultation, self.member.id, token,
                                         self.statements, self.language, self._revised)
        self._load_earlier(refusal)  # checks the unanswered once, after filling every row
        for row in self.rows:
            row.stance.observe(self._check_unanswered, names="value")
        # the template sets <html lang> from the cop-lang- class
        super().__init__([w.HTML(brief, **looks.of(w.HTML)), self.draft_notice, self.status,
                          self.form, self.discussion, self.results], **looks.of(w.VBox),
                         _dom_classes=["cop-member-page", f"cop-lang-{self.language}"])

    def _abstain_or_pass(self) -> str:
        """Return, escaped, what tells "Abstain" from "Pass / unsure" where a scale has both."""
        if not any(getattr(level, "category", None) == "abstain" or level.label == "Abstain"
                   for level in self.scale.levels):
            return ""
        return " " + esc(self._("\u201cAbstain\u201d means you choose to stay out of the "
                                "decision on this statement; \u201cPass / unsure\u201d means "
                                "you cannot judge it or have no view yet."))

    def _check_unanswered(self, _change: object = None) -> list[StatementRow]:
        """Name and mark the statements not answered yet, once the member has answered one.

        Submitting without them stays allowed: the notice just before the buttons says which
        they are and that they are left out; each row says "Not answered yet" and gets a
        border. Nothing is marked on an untouched card.
        """
        _ = self._
        missing = [row for row in self.rows if row.stance.value is None]
        started = len(missing) < len(self.rows)
        for row in self.rows:
            row.flag_unanswered(started and row in missing)
        if not (started and missing):
            self.unanswered.value = ""
            return missing
        # plain numbers, not links: a link here would be a tab stop between the last box
        # and Save draft; the rows themselves are marked
        numbers = format_list([esc(format_number(row.number, self.language))
                               for row in missing], self.language)
        words = esc(self.ngettext(
            "Not answered yet: statement {numbers}. You can still submit; it is left out.",
            "Not answered yet: statements {numbers}. You can still submit; they are left out.",
            len(missing)) if not getattr(self, "_submitted", False) else self.ngettext(
            "Not answered yet: statement {numbers}. Answer it and submit again to add it.",
            "Not answered yet: statements {numbers}. Answer them and submit again to add them.",
            len(missing)))
        self.unanswered.value = (
            '<div class="cop-unanswered-list" style="color:#bf360c;font-weight:bold">'
            + words.format(numbers=numbers) + "</div>")
        return missing

    def show_draft(self) -> None:
        """Replace the page with the endorsement page of the latest draft."""
        from .endorse import EndorsementPage

        self.endorsement = EndorsementPage(self._store, self.consultation.id, self._token,
                                           self.language)
        back = w.Button(description=self._("Back to my position card"), icon="arrow-left",
                        layout=w.Layout(width="auto"))
        card_view = list(self.children)
        back.on_click(lambda _b: setattr(self, "children", card_view))
        self.children = [back, self.endorsement]

    # -- behaviour ----------------------------------------------------------------------

    def _load_earlier(self, refusal: str | None) -> None:
        _ = self._
        card = self._store.get_card(self.consultation.id, self._token)
        # Held in Python, never in a synced trait: the browser can set any widget's value.
        self._submitted = self._store.get_card(self.consultation.id, self._token,
                                               include_drafts=False) is not None
        self.round = self._store.get_round(self.consultation.id)
        #: The status lines, each replaced when it no longer holds (see _show_status).
        self._lines: dict[str, str] = {"round": self.status.value}
        earlier = self._show_previous_round() if self.round.number > 1 else None
        self._lines["round"] = self.status.value
        self._lines["saved"] = self._saved_line(card, welcome=True)
        if card is not None:
            self._fill(card)
        elif earlier is not None:
            self._fill(earlier)
            self._lines["saved"] = ("<p>" + esc(_("Your answers from the previous round are "
                                                  "filled in; submit to confirm or change "
                                                  "them.")) + "</p>")
        if refusal is not None:
            heading = (_("Answers are not accepted yet:") if refusal == "consultation-draft"
                       else _("Answers are no longer accepted:"))
            self._lines["closed"] = (
                "<p>" + tagged("strong", heading) + " "
                + esc(self._closed_reason(refusal, self.consultation.deadline)) + ".</p>")
        self.status.value = "".join(self._lines.values())
        if refusal is not None:
            for widget in (self.save_draft, self.submit, self.propose):
                widget.disabled = True
        self._check_unanswered()
        self._show_results(self._submitted)

    def _saved_line(self, card: m.PositionCard | None, *, welcome: bool = False) -> str:
        """Return, as HTML, what the page holds: the last saved version and its state."""
        _ = self._
        if card is None:
            return ""
        saved = format_datetime(card.saved_at, self.language)
        if card.status is m.CardStatus.SUBMITTED:
            line = _("Your last saved version (submitted, {saved}) is filled in below; "
                     "submitting again replaces it, and earlier versions are kept.")
        elif self._submitted:
            line = _("Your last saved version (draft, {saved}) is filled in below; your "
                     "submitted position counts until you submit again.")
        else:
            line = _("Your last saved version (draft, {saved}) is filled in below; it is not "
                     "submitted yet.")
        line = line.format(saved=saved)
        if welcome:
            line = _("Welcome back.") + " " + line
        return f"<p>{esc(line)}</p>"

    def _fill(self, card: m.PositionCard) -> None:
        by_statement = {r.statement_id: r for r in card.responses}
        for row in self.rows:
            if row.statement.id in by_statement:
                row.fill(by_statement[row.statement.id])
        self.concerns.value, self.impact.value = card.concerns, card.impact

    def _show_previous_round(self) -> m.PositionCard | None:
        """Show the previous round's distribution and the member's own earlier stance.

        Returns the member's submitted card of the previous round, if any.
        """
        _ = self._
        previous = self.round.number - 1
        counts = published_results(self._store, self.consultation, previous).counts
        earlier = self._store.get_card(self.consultation.id, self._token,
                                       round_number=previous, include_drafts=False)
        own = {r.statement_id: r.stance for r in earlier.responses} if earlier else {}
        for row in self.rows:
            row.show_previous(previous, counts.get(row.statement.id, {}), self.scale,
                              own.get(row.statement.id, NOT_ANSWERED))
        self.status.value = ("<p>"
                             + tagged("strong", _("Round {number}.").format(
                                 number=self.round.number))
                             + " "
                             + esc(_("Under each statement you see how the community "
                                     "answered in the previous round, and your own answer "
                                     "then. You may keep or change your position."))
                             + "</p>")
        return earlier

    def _collect(self) -> list[m.StanceResponse]:
        """Return the answers on the card, in card order.

        Raises
        ------
        ValidationError
            A reason breaks a rule, or is written under a statement left unanswered (it
            would be lost); the field names the row (``row3.rationale``), see
            :meth:`_labels`.

        """
        responses = []
        for row in self.rows:
            try:
                response = row.response()
            except ValidationError as exc:
                raise exc.moved(f"row{row.number}.{exc.field}", show_value=False) from None
            if response is not None:
                responses.append(response)
            elif row.rationale.value.strip():
                raise ValidationError(f"row{row.number}.stance", "reason-without-stance")
        return responses

    def _save(self, status: m.CardStatus) -> None:
        _ = self._
        if status is m.CardStatus.SUBMITTED:
            wrapper = _("Your position was not submitted: {problem}")
        else:
            wrapper = _("Your draft was not saved: {problem}")
        self.message.at(self.submit)  # beside the buttons it shares with Save draft
        try:
            responses = self._collect()
        except ValidationError as exc:
            self.message.show(wrapper.format(problem=self._problem(exc)), "error")
            return
        try:
            card = self._store.save_card(self.consultation.id, self._token, responses,
                                         concerns=self.concerns.value,
                                         impact=self.impact.value, status=status)
        except CopWidgetsError as exc:
            self.message.show(wrapper.format(problem=self._problem(exc)), "error")
            return
        missing = [format_number(row.number, self.language) for row in self.rows
                   if row.stance.value is None]
        if status is m.CardStatus.SUBMITTED:
            text = _("Thank you: your position is submitted.")
            if missing:
                text += " " + self.ngettext(
                    "Left unanswered: statement {numbers}.",
                    "Left unanswered: statements {numbers}.", len(missing)).format(
                    numbers=format_list(missing, self.language))
            text += " " + _("You can come back with the same link to revise it; "
                            "earlier versions are kept.")
        else:
            text = _("Draft saved. It is not submitted yet.")
        version = _("version {number}").format(number=card.revision)
        self.message.show(f"{text} ({version})", "ok")
        self._submitted = self._submitted or status is m.CardStatus.SUBMITTED
        # the line about the last saved version says what was saved just now
        self._lines["saved"] = self._saved_line(card)
        self.status.value = "".join(self._lines.values())
        self._check_unanswered()
        self._show_results(self._submitted)

    def _propose(self, _button: object = None) -> None:
        _ = self._
        self.message.at(self.propose)
        try:
            self._store.propose_statement(self.consultation.id, self._token, self.proposal.value)
        except CopWidgetsError as exc:
            self.message.show(_("Your statement was not sent: {problem}").format(
                problem=self._problem(exc)), "error")
            return
        self.proposal.value = ""
        self.message.show(_("Thank you: your statement was sent to the facilitator, who will "
                            "review it before adding it to the card."), "ok")

    def _revised(self, statement_id: int, stance: int | None) -> None:
        """Show on the card an answer the member changed in the discussion, and the results."""
        for row in self.rows:
            if row.statement.id == statement_id:
                row.stance.value = PASS if stance is None else stance
        self._show_results(True)

    def _show_results(self, submitted: bool) -> None:
        _ = self._
        self.discussion.show(submitted)
        if not m.results_visible(self.consultation, submitted=submitted):
            if self.consultation.visibility is m.Visibility.AFTER_CLOSE:
                later = _("Results will be shown here when the consultation closes.")
                self.results.value = f"<p>{esc(later)}</p>"
            return
        results = published_results(self._store, self.consultation)
        own = {r.statement.id: r.response().stance for r in self.rows
               if r.response() is not None}
        self.results.value = (tagged("h3", _("Where the community stands"))
                              + distribution_html(results.scale, results.statements,
                                                  results.counts, _, own,
                                                  language=self.language)
                              + self.discussion.where_html())

    def _closed_reason(self, code: str | None, deadline: dt.datetime | None) -> str | None:
        """Why cards are not accepted, from the refusal's code, in the page's language.

        ``code`` is :meth:`~cop_widgets.model.Consultation.card_refusal`'s, or a refusal's
        (``None``: cards are accepted); ``deadline`` is the consultation's.
        """
        if code is None:
            return None
        if code == "deadline-passed":
            return self._("the deadline {deadline} has passed").format(
                deadline=format_datetime(deadline, self.language))
        return self._(_CLOSED[code])

    def _labels(self) -> dict[str, str]:
        """Return the boxes of this page by their field names in the model, for error messages."""
        _ = self._
        labels = {}
        for row in self.rows:
            labels[f"row{row.number}.rationale"] = _("Your reason on statement {number}").format(
                number=row.number)
            labels[f"row{row.number}.stance"] = _("Your stance on statement {number}").format(
                number=row.number)
        # the store numbers the answers it was given, unanswered statements left out
        answered = [row for row in self.rows if row.stance.value is not None]
        labels.update({f"responses[{i}].rationale": labels[f"row{row.number}.rationale"]
                       for i, row in enumerate(answered)})
        labels.update(concerns=_("Overall concerns"), impact=_("Impact on your own practice"),
                      text=_("Proposed statement"))
        return labels

    def _problem(self, exc: CopWidgetsError) -> str:
        """Return the problem in an error, in words for the member.

        A consultation that stopped accepting cards is said in the page's language, and so
        are the rules a member can break by typing, against the label of the box on the page
        (:func:`~cop_widgets.widgets.problems.problem_in_words`).
        """
        if isinstance(exc, ConsultationNotOpen) and exc.code in _CARD_REFUSALS:
            return self._closed_reason(exc.code, exc.params.get("deadline"))
        if exc.code in _LIMIT_REFUSALS:  # a sentence to the member; no box is at fault
            return rule_in_words(exc, self._, self.language)
        return problem_in_words(exc, self._, self._labels(), self.language, show_value=False)


#: Why a consultation refuses cards, by the code of its refusal, for a member.
_CLOSED = {
    "consultation-draft": N_("the facilitator has not opened the consultation yet"),
    "consultation-closed": N_("the facilitator has closed the consultation"),
}
_CARD_REFUSALS = {*_CLOSED, "deadline-passed"}
#: The store's limits on how much one member writes (model.policies), said to the member.
_LIMIT_REFUSALS = {"too-many-pending-proposals", "saving-too-often", "too-many-revisions"}

