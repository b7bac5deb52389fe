"""The member's side of the discussion phase (issue 13): others' reasons, where one stands.

After submitting their card, while the facilitator keeps the discussion open, a member reads
a few reasons of other members under each statement, side by side (agree, disagree,
unsure), and may:

- mark a reason "Speaks for me too" (a toggle; only the count is shown, never who);
- reply to a reason (a question or a counterpoint), read by the facilitator first;
- change their answer, pointing to the reason that changed their mind if they wish.

Who the member is comes from their token alone, held by
:class:`~cop_widgets.services.member_discussion.MemberDiscussion` on the server side. A
reason's key (which holds its author's id) stays in Python: the drop-downs carry the index
of a reason on the page, never a key or an id.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .. import model as m
from ..errors import CopWidgetsError
from ..i18n import N_, format_number, format_percent, plural_translator, translator
from ..model.discussion import REPLY_MAX, Reason, ReasonKey, Side
from ..scales import PASS_LABEL
from ..services.member_discussion import MemberDiscussion
from ..store import Store
from ..words.discussion import SIDE_HEADINGS, SPEAKS_FOR_ME, group_name
from .common import Message, esc, fit_field, fit_width, full_width, tagged
from .problems import problem_in_words, rule_in_words

__all__ = ["DiscussionView", "StatementDiscussion", "HIDDEN", "WAITING", "OPEN"]

#: What the section shows: nothing, the line that it opens after submitting, or the reasons.
HIDDEN, WAITING, OPEN = "hidden", "waiting", "open"
#: The drop-down value of a pass on the "Change my answer" form (levels are their values).
PASS = "pass"


class DiscussionView(w.VBox):
    """What other members said, on a member's page, while the discussion is open.

    Parameters
    ----------
    store : Store
        The store; every write goes through its verbs with the member's token.
    consultation : Consultation
        The consultation.
    member_id : int
        The member, as the store found them from the token (server-side only).
    token : str
        The member's invitation token.
    statements : list of Statement
        The statements of the card, in card order (their numbers are the card's).
    language : str
        The page's language.
    on_revised : callable, optional
        Called with ``(statement_id, stance)`` after the member changed an answer here, so
        that the page's card shows it too.

    """

    def __init__(self, store: Store, consultation: m.Consultation, member_id: int, token: str,
                 statements: list[m.Statement], language: str,
                 on_revised: Callable[[int, int | None], None] | None = None):
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("cop-discussion")
        self._store, self._token, self._member_id = store, token, member_id
        self.consultation = consultation
        self.statements = statements
        self.language = language
        self._ = translator(language)
        self.ngettext = plural_translator(language)
        self.on_revised = on_revised
        self.state = HIDDEN
        self.discussion: MemberDiscussion | None = None
        self.blocks: list[StatementDiscussion] = []

    def show(self, submitted: bool) -> None:
        """Show what the discussion offers the member now.

        Nothing when no discussion is open; before the member submits, one line saying the
        reasons open once they do; after, the reasons of other members under each statement.
        Shown again in the same state (after a save), the reasons on the page stay and their
        own answers are read again.
        """
        fresh = MemberDiscussion(self._store, self.consultation, self._member_id, self._token)
        state = HIDDEN if not fresh.is_open else OPEN if submitted else WAITING
        if state == OPEN and self.state == OPEN and self.discussion is not None:
            self.discussion.load(choose=False)
            for block in self.blocks:
                block.show_own()
            return
        self.discussion = fresh
        if submitted and fresh.phase is not None:
            fresh.load(choose=state == OPEN)  # where the member stands needs the answers
        self.state = state
        self.blocks = []
        _ = self._
        if state == HIDDEN:
            self.children = []
        elif state == WAITING:
            self.children = [w.HTML(
                '<p class="cop-discussion-waiting">'
                + esc(_("Other members' reasons open here once you submit your position."))
                + "</p>")]
        else:
            self.children = self._open_children(fresh)

    def _open_children(self, discussion: MemberDiscussion) -> list[w.Widget]:
        _ = self._
        intro = w.HTML(
            tagged("h3", _("What other members said")) + "<p>"
            + esc(_("Mark the reasons that speak for you too, ask a question or add a "
                    "counterpoint, and change your answer if a reason changed your mind. "
                    "Other members never see who marked a reason or wrote a reply."))
            + "</p>")
        for number, statement in enumerate(self.statements, start=1):
            self.blocks.append(StatementDiscussion(self, discussion, number, statement))
        return [intro, *self.blocks]

    def where_html(self) -> str:
        """Return, as HTML, the opinion group the member's answers are closest to, or ``""``.

        Only after the member submitted, when the discussion took opinion groups and the
        closest group is at least as large as the smallest group shown.
        """
        discussion = self.discussion
        if discussion is None or discussion.phase is None or self.state == WAITING:
            return ""
        stand = discussion.where_you_stand()
        if stand is None:
            return ""
        _, language = self._, self.language
        name = group_name(stand.group, "opinion", _)
        closest = self.ngettext(
            "Your answers are closest to {group} ({count} member).",
            "Your answers are closest to {group} ({count} members).", stand.size).format(
            group=name, count=format_number(stand.size, language))
        numbers = {s.id: i for i, s in enumerate(self.statements, start=1)}
        lines = []
        for statement_id, side, share in stand.apart:
            if statement_id not in numbers or side not in _APART:
                continue
            most, some = _APART[side]
            template = _(most if share > 0.5 else some)
            lines.append("<li>" + esc(template.format(
                group=name, number=format_number(numbers[statement_id], language),
                percent=format_percent(share, language))) + "</li>")
        apart = ""
        if lines:
            apart = ("<p>" + esc(_("What sets {group} apart:").format(group=name)) + "</p>"
                     + "<ul>" + "".join(lines) + "</ul>")
        return ('<div class="cop-where-you-stand">'
                + tagged("h4", _("Where you stand")) + f"<p>{esc(closest)}</p>{apart}</div>")


#: What sets a group apart, by direction: when most of the group is on that side, and when
#: fewer than half are (but more than elsewhere).
_APART = {
    "agree": (N_("Most of {group} agree with statement {number}: {percent}"),
              N_("In {group}, {percent} agree with statement {number}")),
    "disagree": (N_("Most of {group} disagree with statement {number}: {percent}"),
                 N_("In {group}, {percent} disagree with statement {number}")),
}


def _subheading(text: str) -> str:
    """Return a heading under a statement (h5, as large as the text around it), escaped."""
    return f'<h5 style="font-size:1em;margin:0.6em 0 0.2em">{esc(text)}</h5>'


def _pressed(toggle: w.ToggleButton) -> None:
    """Show a tick on a pressed toggle: its state seen without telling two greys apart."""
    toggle.icon = "check" if toggle.value else ""


#: Refusals said as a rule alone (the discussion's state, the member's limits), by code.
_RULES_ALONE = {"discussion-not-open", "submit-first", "no-such-reason", "own-reason",
                "reason-not-shown", "too-many-pending-replies", "stance-unchanged",
                "credit-elsewhere", "saving-too-often", "too-many-revisions"}


class StatementDiscussion(w.VBox):
    """One statement in the discussion: the member's answer, others' reasons, two forms.

    The reasons are numbered within the statement ("Reason 1"...), the numbers the two forms'
    drop-downs use; their keys stay in :attr:`_keys`, in Python.
    """

    def __init__(self, view: DiscussionView, discussion: MemberDiscussion, number: int,
                 statement: m.Statement):
        self.view, self.discussion = view, discussion
        self.number, self.statement = number, statement
        self._ = _ = view._
        self.language = view.language
        self.message = Message()
        sides = discussion.selection.get(statement.id, {})
        self.reasons: list[Reason] = [r for side in Side for r in sides.get(side, [])]
        self._keys: list[ReasonKey] = [r.key for r in self.reasons]
        self.own = w.HTML()
        self.toggles: list[w.ToggleButton] = []
        self.counts: list[w.HTML] = []
        self._undoing: set[int] = set()  # toggles being put back after a refusal
        parts: list[w.Widget] = [
            w.HTML(f'<h4 style="margin:0">{esc(format_number(number, self.language))}. '
                   f"{esc(statement.text)}</h4>"),
            self.own]
        if not self.reasons:
            parts.append(w.HTML("<p>" + esc(_("No other member has given a reason on this "
                                              "statement yet.")) + "</p>"))
        index = 0
        for side in Side:
            if not sides.get(side):
                continue
            parts.append(w.HTML(_subheading(_(SIDE_HEADINGS[side.value]))))
            for _reason in sides[side]:
                parts.append(self._reason_box(index))
                index += 1
        if self.reasons:
            parts += self._reply_form()
        parts += self._revise_form()
        super().__init__(parts, layout=full_width(border="1px solid #bdbdbd", padding="8px",
                                                  margin="6px 0"))
        self.add_class("cop-discussion-statement")
        self.show_own()

    # -- what is shown --------------------------------------------------------------------

    def _label(self, index: int) -> str:
        return self._("Reason {number}").format(number=format_number(index + 1, self.language))

    def _reason_box(self, index: int) -> w.VBox:
        reason, key = self.reasons[index], self._keys[index]
        replies = self.discussion.replies.get(key, [])
        text = (f'<div class="cop-reason-text"><strong>{esc(self._label(index))}.</strong> '
                f"{esc(reason.text)}</div>")
        toggle = w.ToggleButton(value=key in self.discussion.mine,
                                description=self._(SPEAKS_FOR_ME), layout=fit_width())
        toggle.add_class("cop-speaks-for-me")
        _pressed(toggle)
        count = w.HTML(layout=w.Layout(min_width="0"))
        count.add_class("cop-reason-count")
        self.toggles.append(toggle)
        self.counts.append(count)
        self._show_count(index)
        toggle.observe(lambda change, i=index: self._endorse(i, change["new"]), names="value")
        parts: list[w.Widget] = [w.HTML(text),
                                 self.message.beside(toggle, count, keys=(toggle,))]
        if replies:
            parts.append(w.HTML(
                '<div class="cop-replies"><span>' + esc(self._("Replies:")) + "</span><ul>"
                + "".join(f"<li>{esc(reply)}</li>" for reply in replies) + "</ul></div>"))
        box = w.VBox(parts, layout=full_width(border_left="4px solid #90a4ae",
                                              padding="0 0 0 8px", margin="6px 0"))
        box.add_class("cop-reason")
        return box

    def _show_count(self, index: int) -> None:
        key = self._keys[index]
        count = self.discussion.endorsements.get(key, 0)
        mine = key in self.discussion.mine
        if not count:
            words = self._("Nobody has marked it yet.")
        elif mine:
            words = self.view.ngettext(
                "Marked by {count} member: you.",
                "Marked by {count} members, you among them.", count)
        else:
            words = self.view.ngettext("Marked by {count} member.",
                                       "Marked by {count} members.", count)
        words = words.format(count=format_number(count, self.language))
        self.counts[index].value = f'<span class="cop-count">{esc(words)}</span>'

    def show_own(self) -> None:
        """Show the member's own answer on the statement (read again after a save)."""
        _ = self._
        if self.discussion.answered(self.statement.id):
            stance = self.discussion.own_stance(self.statement.id)
            line = _("Your answer: {answer}.").format(
                answer=_(self.discussion.scale.label(stance)))
        else:
            line = _("You did not answer this statement.")
        self.own.value = f'<p class="cop-own-answer" style="margin:0"><em>{esc(line)}</em></p>'

    # -- the forms ------------------------------------------------------------------------

    def _reply_form(self) -> list[w.Widget]:
        _ = self._
        self.reply_to = fit_field(w.Dropdown(
            options=[(self._label(i), i) for i in range(len(self.reasons))], value=0,
            description=_("Reply to"), style={"description_width": "initial"}))
        self.reply_text = w.Textarea(
            continuous_update=False,
            description=_("Your reply: a question or a counterpoint"),
            placeholder=_("At most {limit} characters").format(
                limit=format_number(REPLY_MAX, self.language)),
            style={"description_width": "initial"}, layout=full_width())
        self.send_reply = w.Button(description=_("Send reply"), layout=fit_width())
        self.send_reply.on_click(self._reply)
        return [w.HTML(_subheading(_("Reply to a reason"))), self.reply_to, self.reply_text,
                self.message.beside(self.send_reply)]

    def _revise_form(self) -> list[w.Widget]:
        _ = self._
        scale = self.discussion.scale
        options = [(_(level.label), level.value) for level in scale.levels]
        options.append((_(PASS_LABEL), PASS))
        current = self.discussion.own_stance(self.statement.id)
        answered = self.discussion.answered(self.statement.id)
        self.new_answer = fit_field(w.Dropdown(
            options=options, value=(PASS if current is None else current) if answered
            else options[0][1],
            description=_("Your new answer"), style={"description_width": "initial"}))
        self.credit = fit_field(w.Dropdown(
            options=[(_("No reason in particular"), -1)]
            + [(self._label(i), i) for i in range(len(self.reasons))], value=-1,
            description=_("What changed your mind?"), style={"description_width": "initial"}))
        self.save_answer = w.Button(description=_("Save my new answer"), layout=fit_width())
        self.save_answer.on_click(self._revise)
        return [w.HTML(_subheading(_("Change my answer"))), self.new_answer, self.credit,
                self.message.beside(self.save_answer)]

    # -- what the member does -------------------------------------------------------------

    def _problem(self, exc: CopWidgetsError) -> str:
        """Return a refusal in words: a rule alone, or the box at fault and its rule."""
        _ = self._
        if exc.code in _RULES_ALONE:  # a sentence to the member; no box is at fault
            return rule_in_words(exc, _, self.language)
        labels = {"reply": _("Your reply"), "stance": _("Your new answer"),
                  "credit": _("What changed your mind?")}
        return problem_in_words(exc, _, labels, self.language, show_value=False)

    def _endorse(self, index: int, on: bool) -> None:
        toggle = self.toggles[index]
        if index in self._undoing:
            return
        self.message.at(toggle)
        try:
            self.discussion.endorse(self._keys[index], bool(on))
            _pressed(toggle)
        except CopWidgetsError as exc:
            self._undoing.add(index)  # put the toggle back without asking the store again
            try:
                toggle.value = not on
            finally:
                self._undoing.discard(index)
            self.message.show(self._("Your mark was not saved: {problem}").format(
                problem=self._problem(exc)), "error")
            return
        self.message.clear()
        self._show_count(index)

    def _reply(self, _button: object = None) -> None:
        _ = self._
        self.message.at(self.send_reply)
        index = self.reply_to.value
        if not isinstance(index, int) or not 0 <= index < len(self._keys):
            return
        try:
            self.discussion.reply(self._keys[index], self.reply_text.value)
        except CopWidgetsError as exc:
            self.message.show(_("Your reply was not sent: {problem}").format(
                problem=self._problem(exc)), "error")
            return
        self.reply_text.value = ""
        self.message.show(_("Thank you: your reply to {reason} waits for the facilitator, "
                            "who reads it before other members see it.").format(
            reason=self._label(index)), "ok")

    def _revise(self, _button: object = None) -> None:
        _ = self._
        self.message.at(self.save_answer)
        chosen = self.new_answer.value
        stance = None if chosen == PASS else int(chosen)
        index = self.credit.value
        credit = (self._keys[index] if isinstance(index, int) and 0 <= index < len(self._keys)
                  else None)
        try:
            self.discussion.revise(self.statement.id, stance, credit=credit)
        except CopWidgetsError as exc:
            self.message.show(_("Your answer was not changed: {problem}").format(
                problem=self._problem(exc)), "error")
            return
        self.credit.value = -1
        self.show_own()
        answer = _(self.discussion.scale.label(stance))
        self.message.show(_("Your answer on statement {number} is now: {answer}. Your earlier "
                            "answers are kept.").format(
            number=format_number(self.number, self.language), answer=answer), "ok")
        if self.view.on_revised is not None:
            self.view.on_revised(self.statement.id, stance)
