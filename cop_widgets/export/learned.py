"""The export's section "What we learned from each other", and the discussion's method.

:func:`learned` reads a consultation's discussion (:class:`~cop_widgets.services.
deliberation.DiscussionAnalysis`, the one reading every view shares) into a
:class:`Learned`: counts and the reasons' text only, never a member's id, name or roster
id, in any consultation. :func:`learned_blocks` lays it out after the stances on each
statement: per statement, how many members were compared, moved, toward agreement or
disagreement and the net; the moves from one stance to another; the reasons credited with a
change of mind; the most bridging reasons; then the same counts by group.
:func:`discussion_method_blocks` says in the Methodology how the groups were taken, how
reasons were ranked and why, how a change of mind is counted, and that replies were
moderated.

A consultation whose discussion was never opened has neither: the section and the
methodology's paragraph are left out (no sentence claims a discussion that did not happen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import N_, Words
from ..model import ModerationState
from ..words.discussion import (
    BRIDGING_RULE,
    CHANGE_RULE,
    GROUPS_RULE,
    LEARNED_TITLE,
    REASON_GONE,
    SIDE_WORDS,
    SPEAKS_FOR_ME,
    group_name,
)
from .blocks import SECTION_LEVEL, Block, Heading, ItemList, Paragraph, Span, Table
from .values import fmt_moment

if TYPE_CHECKING:
    from ..services.analysis import ConsultationAnalysis

__all__ = ["Move", "BridgingReason", "GroupChange", "StatementLearned", "Learned",
           "BRIDGING_SHOWN", "DISCUSSION_METHOD_TITLE", "learned", "learned_blocks",
           "discussion_method_blocks"]

#: At most this many bridging reasons are listed under each statement.
BRIDGING_SHOWN = 3
#: The Methodology's subsection on the discussion (an English msgid).
DISCUSSION_METHOD_TITLE = N_("The discussion of reasons")


@dataclass(frozen=True)
class Move:
    """Members who moved from one stance to another (stance labels: English msgids)."""

    before: str
    after: str
    count: int


@dataclass(frozen=True)
class BridgingReason:
    """A reason among the most bridging under a statement: its text and counts only."""

    text: str
    side: str
    shown: int
    endorsements: int


@dataclass(frozen=True)
class GroupChange:
    """Opinion change on a statement in one group (``group`` as the discussion labels it)."""

    number: int
    group: str
    compared: int
    moved: int
    toward_agree: int
    toward_disagree: int

    @property
    def net(self) -> int:
        """Toward agreement minus toward disagreement."""
        return self.toward_agree - self.toward_disagree


@dataclass(frozen=True)
class StatementLearned:
    """What changed on one statement, and the reasons that bridged it.

    Attributes
    ----------
    number, text : int, str
        The statement's card number and text.
    compared, moved, toward_agree, toward_disagree : int
        Every member compared (:data:`~cop_widgets.words.discussion.CHANGE_RULE`).
    moves : tuple of Move
        The stances before and after of the members who moved, with how many moved so.
    credited : tuple of (str or None, int)
        The reasons credited with a change of mind, with how many credited each (``None``:
        a reason its author has since changed or removed).
    reasons : tuple of BridgingReason
        The most bridging reasons someone endorsed, at most :data:`BRIDGING_SHOWN`.

    """

    number: int
    text: str
    compared: int
    moved: int
    toward_agree: int
    toward_disagree: int
    moves: tuple[Move, ...] = ()
    credited: tuple[tuple[str | None, int], ...] = ()
    reasons: tuple[BridgingReason, ...] = ()

    @property
    def net(self) -> int:
        """Toward agreement minus toward disagreement."""
        return self.toward_agree - self.toward_disagree


@dataclass(frozen=True)
class Learned:
    """A consultation's discussion as an export shows it: counts and reasons' text only.

    Attributes
    ----------
    opened_at, closed_at : datetime, datetime or None
        When the discussion opened, and closed (``None``: still open).
    source, attribute : str
        Where the groups come from (a :class:`~cop_widgets.model.discussion.GroupSource`
        value) and, for roster groups, the attribute.
    statements : tuple of StatementLearned
        Every accepted statement, in card order.
    groups : tuple of GroupChange
        The change in each group shown (small groups merged), statement by statement.
    reasons, shown, endorsements : int
        Reasons given, times a reason was shown to a member, "Speaks for me too" marks.
    replies : dict of str to int
        Replies by moderation state (``pending``, ``accepted``, ``rejected``...).

    """

    opened_at: dt.datetime
    closed_at: dt.datetime | None
    source: str
    attribute: str
    statements: tuple[StatementLearned, ...]
    groups: tuple[GroupChange, ...]
    reasons: int
    shown: int
    endorsements: int
    replies: dict[str, int]


def learned(analysis: ConsultationAnalysis) -> Learned | None:
    """Read a consultation's discussion for an export; ``None`` when it was never opened."""
    discussion = analysis.discussion
    phase = discussion.phase
    if phase is None:
        return None
    scale = analysis.scale
    texts = {s.reason.key: s.reason.text for s in discussion.standings}
    rows = {row.statement_id: row for row in discussion.overall_change()}
    numbers = discussion.numbers()
    statements = []
    for statement in analysis.statements:
        row = rows.get(statement.id)
        reasons = tuple(BridgingReason(s.reason.text, s.reason.side.value, s.shown,
                                       s.endorsements)
                        for s in discussion.top_bridging(statement.id, BRIDGING_SHOWN))
        if row is None:
            statements.append(StatementLearned(numbers[statement.id], statement.text,
                                               0, 0, 0, 0, reasons=reasons))
            continue
        statements.append(StatementLearned(
            numbers[statement.id], statement.text, row.compared, row.moved,
            row.toward_agree, row.toward_disagree,
            moves=tuple(Move(scale.label(before), scale.label(after), count)
                        for (before, after), count in row.transitions.items()),
            credited=tuple((texts.get(key), count)
                           for key, count in row.credited.items()),
            reasons=reasons))
    groups = tuple(GroupChange(numbers[row.statement_id], str(row.group), row.compared,
                               row.moved, row.toward_agree, row.toward_disagree)
                   for row in discussion.change
                   if row.group is not None and row.statement_id in numbers)
    record = discussion.record
    replies: dict[str, int] = {}
    for reply in record.replies:
        replies[reply.moderation.value] = replies.get(reply.moderation.value, 0) + 1
    return Learned(phase.opened_at, phase.closed_at, discussion.source.value,
                   phase.attribute, tuple(statements), groups, len(record.reasons),
                   len(set(record.impressions)), len(set(record.endorsements)), replies)


def _change_header(w: Words) -> tuple[str, ...]:
    _ = w.gettext
    return (_("Compared"), _("Moved"), _("Toward agreement"), _("Toward disagreement"),
            _("Net"))


def _counts(compared: int, moved: int, agree: int, disagree: int, w: Words
            ) -> tuple[str, ...]:
    net = agree - disagree
    return (w.number(compared), w.number(moved), w.number(agree), w.number(disagree),
            ("+" if net > 0 else "") + w.number(net))


def _statement_blocks(item: StatementLearned, w: Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = [Heading(_("{number}. {statement}").format(
        number=w.number(item.number), statement=item.text), 3)]
    if item.compared:
        blocks.append(Paragraph((Span(w.ngettext(
            "{compared} member was compared: {moved} moved, {agree} toward agreement and "
            "{disagree} toward disagreement.",
            "{compared} members were compared: {moved} moved, {agree} toward agreement and "
            "{disagree} toward disagreement.", item.compared).format(
            compared=w.number(item.compared), moved=w.number(item.moved),
            agree=w.number(item.toward_agree), disagree=w.number(item.toward_disagree))),)))
    else:
        blocks.append(Paragraph((Span(_("No member was compared on this statement.")),)))
    if item.moves:
        blocks.append(Paragraph((Span(_("The moves:")),)))
        blocks.append(ItemList(tuple(
            _("{before} \u2192 {after}: {count}").format(
                before=_(move.before), after=_(move.after), count=w.number(move.count))
            for move in item.moves)))
    if item.credited:
        blocks.append(Paragraph((Span(_("The reasons credited with a change of mind:")),)))
        blocks.append(ItemList(tuple(
            (_("{reason}: {count}").format(reason=_(REASON_GONE), count=w.number(count))
             if text is None else
             _("\u201c{reason}\u201d: {count}").format(reason=text, count=w.number(count)))
            for text, count in item.credited)))
    if item.reasons:
        blocks.append(Table(
            _("The most bridging reasons under statement {number}").format(
                number=w.number(item.number)),
            (_("Reason"), _("Side"), _("Shown to"), _(SPEAKS_FOR_ME)),
            tuple((r.text, _(SIDE_WORDS[r.side]), w.number(r.shown),
                   w.number(r.endorsements)) for r in item.reasons), numeric=(2, 3),
            text_column=0))
    return blocks


def learned_blocks(data: Learned | None, w: Words) -> list[Block]:
    """Lay out the section "What we learned from each other" (nothing when ``data`` is None).

    Parameters
    ----------
    data : Learned or None
        From :func:`learned`.
    w : Words
        The report's language.

    Returns
    -------
    list of Block
        The section: its heading, the counts, the table of change per statement, each
        statement's moves, credited and bridging reasons, then the change by group.
    """
    if data is None:
        return []
    _, lang = w.gettext, w.language
    when = (_("The discussion of reasons opened {opened} and closed {closed}.") if
            data.closed_at is not None else
            _("The discussion of reasons opened {opened} and is still open.")).format(
        opened=fmt_moment(data.opened_at, lang), closed=fmt_moment(data.closed_at, lang))
    accepted = data.replies.get(ModerationState.ACCEPTED.value, 0)
    counts = w.ngettext(
        "{reasons} reason was given; reasons were shown {shown} times and marked "
        "\u201c{speaks}\u201d {endorsements} times; members wrote {replies} replies, "
        "{accepted} of them accepted by the facilitator.",
        "{reasons} reasons were given; reasons were shown {shown} times and marked "
        "\u201c{speaks}\u201d {endorsements} times; members wrote {replies} replies, "
        "{accepted} of them accepted by the facilitator.", data.reasons).format(
        reasons=w.number(data.reasons), shown=w.number(data.shown),
        speaks=_(SPEAKS_FOR_ME), endorsements=w.number(data.endorsements),
        replies=w.number(sum(data.replies.values())), accepted=w.number(accepted))
    blocks: list[Block] = [
        Heading(_(LEARNED_TITLE), SECTION_LEVEL),
        Paragraph((Span(when + " " + counts + " " + _(
            "Counts only: no member who gave, marked or credited a reason is named.")),)),
        Table(_("Opinion change on each statement"), ("#", _("Statement"), *_change_header(w)),
              tuple((w.number(s.number), s.text,
                     *_counts(s.compared, s.moved, s.toward_agree, s.toward_disagree, w))
                    for s in data.statements), numeric=(0, 2, 3, 4, 5, 6)),
    ]
    for item in data.statements:
        if item.compared or item.reasons:
            blocks += _statement_blocks(item, w)
    if data.groups:
        blocks += [Heading(_("Opinion change by group"), 3), Table(
            _("Opinion change on each statement, by group"),
            ("#", _("Group"), *_change_header(w)),
            tuple((w.number(g.number), group_name(g.group, data.source, _),
                   *_counts(g.compared, g.moved, g.toward_agree, g.toward_disagree, w))
                  for g in data.groups), numeric=(0, 2, 3, 4, 5, 6))]
    return blocks


def discussion_method_blocks(data: Learned | None, w: Words) -> list[Block]:
    """Say in the Methodology how the discussion's groups, ranking and change were made.

    Nothing when ``data`` is None: the methodology does not claim a discussion.
    """
    if data is None:
        return []
    _ = w.gettext
    groups = _(GROUPS_RULE[data.source]).format(attribute=data.attribute)
    moderated = _(
        "Members' replies to reasons were read by the facilitator before any other member "
        "saw them, as proposed statements are; only accepted replies were shown. Members "
        "were shown reasons without their authors, and never their own.")
    return [Heading(_(DISCUSSION_METHOD_TITLE), 3), Paragraph((Span(groups),)),
            Paragraph((Span(_(BRIDGING_RULE)),)), Paragraph((Span(_(CHANGE_RULE)),)),
            Paragraph((Span(moderated),))]
