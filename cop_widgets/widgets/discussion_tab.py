"""The Discussion tab: the facilitator opens the exchange of reasons, moderates, and ranks.

Members meet each other's reasons while the discussion is open (issue 13). Here the
facilitator:

- opens it (which takes the groups endorsements are counted across: see
  :func:`~cop_widgets.services.deliberation.open_discussion`), takes the groups again while
  it is open, and closes it;
- accepts or rejects the replies members wrote to a reason, as proposals are moderated,
  before other members read them (a page at a time, :class:`~.pager.Pager`);
- reads the reasons ranked by bridging, with their counts.

Counts only, in every consultation: never who wrote a reason, who replied to it or who
marked it "Speaks for me too".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..i18n import format_datetime, format_list, format_number
from ..model.discussion import Discussion, Reason, ReasonKey, Reply
from ..words.discussion import BRIDGING_RULE, GROUPS_RULE, SIDE_WORDS, SPEAKS_FOR_ME, group_name
from .common import esc, fit_width, tagged
from .editor import ConsultationEditor
from .pager import Pager, discard

if TYPE_CHECKING:
    from ..services.deliberation import DiscussionAnalysis
    from ..store import Store

__all__ = ["DiscussionTab", "ReplyRow", "RANKED_PAGE"]

#: Reasons the ranking shows a page at a time.
RANKED_PAGE = 50
#: Where the message of a moderation is shown: above the replies waiting (the row goes).
_PENDING = "pending"


class ReplyRow(w.VBox):
    """A member's reply to a reason, waiting for moderation; nobody's name is shown.

    Attributes
    ----------
    reply : Reply
        The reply.
    accept_button, reject_button : ipywidgets.Button
        Show it to the members, or turn it down.

    """

    def __init__(self, reply: Reply, about: str, *, gettext: Callable[[str], str]):
        self.reply = reply
        _ = gettext
        self.accept_button = w.Button(layout=fit_width(), description=_("Accept"), icon="check",
                                      button_style="success",
                                      tooltip=_("Show this reply to the members"))
        self.reject_button = w.Button(layout=fit_width(), description=_("Reject"), icon="ban",
                                      tooltip=_("Turn this reply down: no member will see it"))
        super().__init__([
            w.HTML(f"<small>{esc(about)}</small>"
                   f"<div class='cop-reply'>{esc(reply.text)}</div>"),
            w.HBox([self.accept_button, self.reject_button],
                   layout=w.Layout(flex_flow="row wrap")),
        ], layout=w.Layout(border="1px solid #ddd", padding="4px", margin="2px 0"))


class DiscussionTab(ConsultationEditor):
    """Open, follow and close one consultation's discussion of reasons.

    Parameters
    ----------
    store, consultation_id, on_change, language
        As for every :class:`~cop_widgets.widgets.editor.ConsultationEditor`.
    **kwargs
        Passed to ``ipywidgets.VBox``.

    Attributes
    ----------
    state : ipywidgets.HTML
        Whether the discussion is open, since when, and where its groups come from.
    open_button, retake_button, close_button : ipywidgets.Button
        Open the discussion (taking the groups now), take the groups again while it is
        open, close it.
    reply_pager : Pager
        Which page of the replies waiting is shown (25 a page).
    reply_rows : list of ReplyRow
        The replies waiting for moderation on the current page, in the store's order.
    ranking_pager : Pager
        Which page of the ranked reasons is shown (:data:`RANKED_PAGE` a page).
    ranking : ipywidgets.HTML
        The reasons ranked by bridging, with their counts, and the rule.
    message : Message
        What happened, or why it was refused, beside the buttons that caused it.

    """

    def __init__(self, store: Store, consultation_id: int,
                 on_change: Callable[[], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        super().__init__(store, consultation_id, on_change, language=language, **kwargs)
        _ = self._
        self.reply_rows: list[ReplyRow] = []
        self.state = w.HTML()
        self.open_button = w.Button(
            layout=fit_width(), description=_("Open the discussion"), icon="comments",
            button_style="primary",
            tooltip=_("Let members read, endorse and reply to each other's reasons; the "
                      "groups endorsements are counted across are taken now"))
        self.retake_button = w.Button(
            layout=fit_width(), description=_("Take the groups again"), icon="refresh",
            tooltip=_("Take the groups again from the answers as they are now (new answers "
                      "may form other opinion groups); endorsements already given are "
                      "counted across the new groups"))
        self.close_button = w.Button(
            layout=fit_width(), description=_("Close the discussion"), icon="stop",
            tooltip=_("Members stop seeing other members' reasons; everything they did "
                      "stays counted"))
        self.reply_pager = Pager(self.refresh, language=language)
        self.reply_count = w.HTML()
        self.reply_box = w.VBox()
        self.ranking_pager = Pager(self.refresh, page_size=RANKED_PAGE, language=language)
        self.ranking = w.HTML()
        self.children = (
            w.HTML(tagged("h3", _("Discussion of reasons"))),
            self.state,
            self.message.beside(self.open_button, self.retake_button, self.close_button),
            w.HTML(tagged("h4", _("Replies waiting for you"))),
            self.reply_count,
            self.message.slot(_PENDING),
            self.reply_pager,
            self.reply_box,
            w.HTML(tagged("h4", _("Reasons ranked by bridging"))),
            self.ranking_pager,
            self.ranking,
        )
        self.connect({self.open_button: self.open_discussion,
                      self.retake_button: self.retake_groups,
                      self.close_button: self.close_discussion})
        self.add_class("cop-discussion-tab")
        self.consultation_id = consultation_id  # draws it

    # -- drawing ------------------------------------------------------------------------

    def _discussion(self) -> DiscussionAnalysis:
        from ..services.analysis import ConsultationAnalysis

        return ConsultationAnalysis(self.store, self.consultation_id).discussion

    def refresh(self) -> None:
        """Read the discussion from the store and redraw every part of the tab."""
        discussion = self._discussion()
        phase = discussion.phase
        is_open = phase is not None and phase.is_open
        self.open_button.disabled = is_open
        self.open_button.description = (self._("Open the discussion again") if phase is not None
                                         and not is_open else self._("Open the discussion"))
        self.retake_button.disabled = self.close_button.disabled = not is_open
        self.state.value = self._state_html(discussion)
        numbers = discussion.numbers()
        reasons = {reason.key: reason for reason in discussion.record.reasons}
        self._draw_replies(discussion.replies(m.ModerationState.PENDING), numbers, reasons)
        self.ranking.value = self._ranking_html(discussion, numbers)

    def _state_html(self, discussion: DiscussionAnalysis) -> str:
        _, language = self._, self.language
        phase = discussion.phase
        if phase is None:
            return tagged("p", _(
                "The discussion has not been opened. While it is open, members who have "
                "submitted their answers read a few other members' reasons under each "
                "statement, mark those that speak for them too, reply to them, and may "
                "change their answers."))
        if phase.is_open:
            said = _("The discussion has been open since {moment}.").format(
                moment=format_datetime(phase.opened_at, language))
        else:
            said = _("The discussion was closed on {moment}. Members no longer see other "
                     "members' reasons; what they did is still counted below.").format(
                moment=format_datetime(phase.closed_at, language))
        groups = _(GROUPS_RULE[phase.source.value]).format(attribute=phase.attribute)
        labels = sorted(set(phase.groups.values()))
        if len(labels) > 1:
            groups += " " + _("Groups: {groups}.").format(groups=format_list(
                [group_name(label, phase.source.value, _) for label in labels], language))
        return tagged("p", said) + tagged("p", groups)

    def _about(self, reply: Reply, numbers: dict[int, int],
               reasons: dict[ReasonKey, Reason]) -> str:
        """Say what a reply answers: the statement's number, the reason's side and its words."""
        _ = self._
        statement_id = reply.reason[0]
        number = (format_number(numbers[statement_id], self.language)
                  if statement_id in numbers else "?")
        reason = reasons.get(reply.reason)
        if reason is None:
            return _("A reply to a reason under statement {number} that its author has "
                     "since changed:").format(number=number)
        return _("A reply to a reason of a member who answered \u201c{side}\u201d to "
                 "statement {number}: \u201c{reason}\u201d").format(
            side=_(SIDE_WORDS[reason.side.value]), number=number, reason=reason.text)

    def _draw_replies(self, pending: list[Reply], numbers: dict[int, int],
                      reasons: dict[ReasonKey, Reason]) -> None:
        _ = self._
        offset, shown = self.reply_pager.page(pending)
        old, self.reply_rows = self.reply_box.children, []
        for reply in shown:
            row = ReplyRow(reply, self._about(reply, numbers, reasons), gettext=_)
            row.accept_button.on_click(self.guard(
                lambda r=reply: self.moderate(r, m.ModerationState.ACCEPTED), at=_PENDING))
            row.reject_button.on_click(self.guard(
                lambda r=reply: self.moderate(r, m.ModerationState.REJECTED), at=_PENDING))
            self.reply_rows.append(row)
        self.reply_box.children = tuple(self.reply_rows) or (
            w.HTML(tagged("p", _("No reply is waiting."))),)
        discard(old)
        self.reply_count.value = tagged("p", self.ngettext(
            "{count} reply waiting: members see a reply only once you accept it.",
            "{count} replies waiting: members see a reply only once you accept it.",
            len(pending)).format(count=format_number(len(pending), self.language))
        ) if pending else ""

    def _ranking_html(self, discussion: DiscussionAnalysis, numbers: dict[int, int]) -> str:
        _, language = self._, self.language
        standings = [s for s in discussion.standings if s.reason.statement_id in numbers]
        rule = "<p>" + tagged("small", _(BRIDGING_RULE)) + "</p>"
        if discussion.phase is None:  # nothing is endorsed across groups not taken yet
            self.ranking_pager.page([])
            return tagged("p", _("Reasons are ranked here once the discussion is open.")) + rule
        if not standings:
            return tagged("p", _("No reason to rank yet: reasons appear here once members "
                                 "have given them with their answers.")) + rule
        offset, shown = self.ranking_pager.page(standings)
        replies = discussion.accepted_replies()
        # on a phone the table scrolls: the reason keeps a readable width, not a word a line
        heads = "".join(
            f"<th scope='col'{wide}>{esc(h)}</th>" for h, wide in (
                (_("Rank"), ""), (_("Statement"), ""), (_("Side"), ""),
                (_("Reason"), " style='min-width:14em'"), (_("Shown to"), ""),
                (_("\u201c{speaks}\u201d").format(speaks=_(SPEAKS_FOR_ME)), ""),
                (_("Accepted replies"), ""), (_("Bridging"), "")))
        rows = []
        for rank, standing in enumerate(shown, start=offset + 1):
            reason = standing.reason
            cells = [format_number(numbers[reason.statement_id], language),
                     _(SIDE_WORDS[reason.side.value]), reason.text,
                     format_number(standing.shown, language),
                     format_number(standing.endorsements, language),
                     format_number(replies.get(reason.key, 0), language),
                     format_number(standing.bridging, language, digits=2)]
            rows.append(f"<tr><th scope='row'>{esc(format_number(rank, language))}</th>"
                        + "".join(f"<td>{esc(cell)}</td>" for cell in cells) + "</tr>")
        note = ""
        if len(standings) > RANKED_PAGE:
            note = tagged("p", _("{count} reasons in all, {size} a page: the most bridging "
                                 "first.").format(count=format_number(len(standings), language),
                                                  size=format_number(RANKED_PAGE, language)))
        return (note + f"<table class='cop-table cop-ranking'><thead><tr>{heads}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>" + rule)

    # -- actions ------------------------------------------------------------------------

    def open_discussion(self) -> str:
        """Open the discussion (or open it again), taking the groups now."""
        from ..services.deliberation import open_discussion

        phase = open_discussion(self.store, self.consultation_id)
        return self._("The discussion is open: members who have submitted their answers now "
                      "read each other's reasons. {groups}").format(
            groups=self._groups_said(phase))

    def retake_groups(self) -> str:
        """Take the groups again while the discussion is open."""
        from ..errors import ValidationError
        from ..services.deliberation import open_discussion

        phase = self.store.get_discussion(self.consultation_id)
        if phase is None or not phase.is_open:
            raise ValidationError("discussion", "discussion-not-open")
        phase = open_discussion(self.store, self.consultation_id)
        return self._("Took the groups again. {groups}").format(groups=self._groups_said(phase))

    def close_discussion(self) -> str:
        """Close the discussion: members stop reading each other's reasons."""
        self.store.close_discussion(self.consultation_id)
        return self._("The discussion is closed: members no longer see other members' "
                      "reasons.")

    def moderate(self, reply: Reply, state: m.ModerationState) -> str:
        """Accept or reject a reply waiting for moderation."""
        self.store.moderate_reply(reply.id, state)
        if state is m.ModerationState.ACCEPTED:
            return self._("Reply accepted: members now see it under its reason.")
        return self._("Reply rejected: no member will see it.")

    def _groups_said(self, phase: Discussion) -> str:
        count = len(set(phase.groups.values())) or 1
        return self.ngettext("Endorsements are counted across {count} group.",
                             "Endorsements are counted across {count} groups.",
                             count).format(count=format_number(count, self.language))
