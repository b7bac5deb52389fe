"""The discussion phase as every facilitator view reads it: one load, one answer.

The Discussion tab, the Divergence tab's "What we learned from each other", the drafting
desk's proposal, the exports and ``cop-widgets analyze`` all read a
:class:`DiscussionAnalysis` (``ConsultationAnalysis.discussion``), so they rank the same
reasons the same way and count the same changes of mind.

The rules it applies, each decided in one place:

- the groups a reason's endorsements are counted across are those taken when the
  facilitator opened the discussion (:func:`take_groups`): the opinion groups of the
  answers, or where there are none the roster groups of the first attribute, merged as
  every comparison by group is (:meth:`ConsultationAnalysis.shown_members`), or else one
  group. Taken before members read each other, they are the divides a bridging reason
  crosses; a member who changes their mind after reading stays in the group they were in;
- bridging: Pol.is's group-informed consensus of a reason's endorsements given its
  impressions (:mod:`cop_widgets.analysis.deliberation.bridging`);
- opinion change by group: a group with fewer compared members than the smallest group
  shown is merged, per statement, into "(other groups)" with a complementary group if
  needed (:func:`cop_widgets.analysis.disclosure.merge_small_groups`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import model as m
from ..model.discussion import GroupSource, Side, side_of

if TYPE_CHECKING:
    from ..analysis.deliberation.bridging import ReasonStanding
    from ..analysis.deliberation.change import ChangeRow
    from ..model.discussion import Discussion, DiscussionRecord, ReasonKey, Reply
    from ..store import Store
    from .analysis import ConsultationAnalysis

__all__ = ["GroupsTaken", "take_groups", "open_discussion", "DiscussionAnalysis"]

#: At most this many statements say what sets an opinion group apart, on a member's page.
APART_TOP = 2
#: At most this many reasons are quoted under a statement in the proposed joint response.
DRAFT_QUOTES = 2


@dataclass(frozen=True)
class GroupsTaken:
    """The groups a discussion counts endorsements across (see :func:`take_groups`)."""

    groups: dict[int, str]
    source: GroupSource
    attribute: str = ""
    apart: dict[str, list] = field(default_factory=dict)


def take_groups(analysis: ConsultationAnalysis) -> GroupsTaken:
    """Return the groups of ``analysis`` to count a discussion's endorsements across.

    Opinion groups when the answers have them (labelled ``"A"``, ``"B"``... as the
    Divergence tab names them, with what sets each apart); else the roster groups of the
    default attribute as they are shown (small groups merged); else one group.
    """
    groups = analysis.groups()
    if groups.note is None:
        labels = {int(member): chr(65 + int(group))
                  for member, group in groups.labels.items() if group is not None
                  and group == group}  # <NA> is not clustered
        return GroupsTaken(labels, GroupSource.OPINION, apart=_apart(analysis))
    attribute = analysis.attribute()
    if attribute is not None:
        members = analysis.shown_members(attribute)
        answered = members[members["responded"]]
        labels = {int(i): str(v) for i, v in zip(answered["member_id"], answered[attribute],
                                                 strict=True)}
        if len(set(labels.values())) >= 2:
            return GroupsTaken(labels, GroupSource.ROSTER, attribute=attribute)
    return GroupsTaken({}, GroupSource.NONE)


def _apart(analysis: ConsultationAnalysis) -> dict[str, list]:
    """Each opinion group's most representative statements: ``[id, direction, share]``."""
    frame = analysis.representative(top=APART_TOP)
    apart: dict[str, list] = {}
    for row in frame.itertuples():
        if not bool(row.significant):
            continue
        apart.setdefault(chr(65 + int(row.group)), []).append(
            [int(row.statement_id), str(row.direction), round(float(row.p), 4)])
    return apart


def open_discussion(store: Store, consultation_id: int) -> Discussion:
    """Open (or reopen) the discussion of a consultation, taking its groups now.

    Raises
    ------
    ConsultationNotOpen
        When the consultation is not open (the store's rule).
    """
    from .analysis import ConsultationAnalysis

    taken = take_groups(ConsultationAnalysis(store, consultation_id))
    return store.open_discussion(consultation_id, taken.groups, taken.source,
                                 attribute=taken.attribute, apart=taken.apart)


class DiscussionAnalysis:
    """A consultation's discussion, read once: reasons ranked, replies, opinion change.

    Parameters
    ----------
    analysis : ConsultationAnalysis
        The consultation's analysis; its store, statements and smallest group are used.

    """

    def __init__(self, analysis: ConsultationAnalysis):
        self.analysis = analysis
        self.store = analysis.store
        self.phase: Discussion | None = self.store.get_discussion(analysis.consultation_id)

    @cached_property
    def record(self) -> DiscussionRecord:
        """Everything of the discussion, read in one go (accepted statements only)."""
        return self.store.discussion_record(self.analysis.consultation_id)

    @property
    def groups(self) -> dict[int, str]:
        """The groups taken when the discussion opened (empty before it opens)."""
        return dict(self.phase.groups) if self.phase is not None else {}

    @property
    def source(self) -> GroupSource:
        """Where :attr:`groups` come from."""
        return self.phase.source if self.phase is not None else GroupSource.NONE

    @cached_property
    def standings(self) -> list[ReasonStanding]:
        """Every reason, most bridging first."""
        from ..analysis.deliberation.bridging import rank_reasons

        return rank_reasons(self.record, self.groups)

    def replies(self, moderation: m.ModerationState | None = None) -> list[Reply]:
        """Return the replies (of one moderation state), each reason's in the store's order."""
        return [r for r in self.record.replies
                if moderation is None or r.moderation is moderation]

    def accepted_replies(self) -> dict[ReasonKey, int]:
        """How many accepted replies each reason has."""
        return Counter(r.reason for r in self.replies(m.ModerationState.ACCEPTED))

    @cached_property
    def change(self) -> list[ChangeRow]:
        """Opinion change per statement: everyone, then each group shown (small ones merged)."""
        from ..analysis.deliberation.change import opinion_change

        rows = opinion_change(self.record, self.analysis.scale, self.groups)
        return _merge_small(rows, self.analysis.smallest_group,
                            [reason.key for reason in self.record.reasons])

    def overall_change(self) -> list[ChangeRow]:
        """Return the rows of :attr:`change` for everyone (one per statement)."""
        return [row for row in self.change if row.group is None]

    @property
    def opened(self) -> bool:
        """Whether the facilitator ever opened the discussion (open now or closed since)."""
        return self.phase is not None

    def top_bridging(self, statement_id: int, limit: int | None = None,
                     ) -> list[ReasonStanding]:
        """Return the most bridging reasons under a statement that someone endorsed.

        A reason nobody marked "Speaks for me too" bridges nothing, so it is left out
        however high its rank; the others keep :attr:`standings`' order.
        """
        found = [s for s in self.standings
                 if s.reason.statement_id == statement_id and s.endorsements > 0]
        return found if limit is None else found[:limit]

    def bridging_texts(self, limit: int = DRAFT_QUOTES) -> dict[int, list[str]]:
        """Each statement's :meth:`top_bridging` reasons, as text (none before it opened)."""
        if not self.opened:
            return {}
        texts: dict[int, list[str]] = {}
        for statement in self.analysis.statements:
            found = [s.reason.text for s in self.top_bridging(statement.id, limit)]
            if found:
                texts[statement.id] = found
        return texts

    def latest_sides(self) -> dict[tuple[int, int], Side]:
        """``(member_id, statement_id)`` to the side of the member's latest submitted stance."""
        import pandas as pd

        frame, scale = self.analysis.responses, self.analysis.scale
        return {(int(member), int(statement)):
                side_of(scale, None if pd.isna(stance) else int(stance))
                for member, statement, stance in zip(
                    frame["member_id"], frame["statement_id"], frame["stance"], strict=True)}

    def endorsed_by_side(self, limit: int = DRAFT_QUOTES) -> dict[int, dict[Side, list[str]]]:
        """Return the reasons each side of a statement marked "Speaks for me too" most.

        A reason's endorsements under a statement are counted among the members whose own
        latest submitted stance on that statement is on the side (agree or disagree); a
        reason of any side may be among them. Most endorsed first, ties in
        :attr:`standings`' order (never an author's id); at most ``limit`` per side, and
        only reasons with at least one such endorsement. Empty before the discussion opened.

        Returns
        -------
        dict of int to dict of Side to list of str
            Statement id to side to the reasons' text.
        """
        if not self.opened:
            return {}
        sides = self.latest_sides()
        rank = {s.reason.key: i for i, s in enumerate(self.standings)}
        texts = {s.reason.key: s.reason.text for s in self.standings}
        counts: dict[tuple[int, Side], Counter] = {}
        for key, member in set(self.record.endorsements):
            side = sides.get((member, key[0]))
            if key in rank and side in (Side.AGREE, Side.DISAGREE):
                counts.setdefault((key[0], side), Counter())[key] += 1
        result: dict[int, dict[Side, list[str]]] = {}
        for (statement, side), counter in counts.items():
            best = sorted(counter, key=lambda key: (-counter[key], rank[key]))[:limit]
            result.setdefault(statement, {})[side] = [texts[key] for key in best]
        return result

    # -- what the CLI and the exports print --------------------------------------------

    def numbers(self) -> dict[int, int]:
        """Each accepted statement's card number."""
        return {s.id: i for i, s in enumerate(self.analysis.statements, start=1)}

    def statement_ids(self) -> dict[int, str]:
        """Each accepted statement as ``cop-widgets analyze`` names it: external id, else id."""
        return {s.id: s.external_id or str(s.id) for s in self.analysis.statements}

    def reasons_data(self) -> list[dict[str, Any]]:
        """Return ``[{statement, number, side, text, shown, endorsements, bridging}]``.

        Most bridging first (:attr:`standings`).
        ``statement`` names the statement as the rest of ``cop-widgets analyze``'s JSON does
        (its external id, else its id), ``number`` is its card number. There is no author
        field, in any consultation. Empty before the discussion opened.
        """
        if not self.opened:
            return []
        numbers, ids = self.numbers(), self.statement_ids()
        return [{"statement": ids[s.reason.statement_id],
                 "number": numbers[s.reason.statement_id], "side": s.reason.side.value,
                 "text": s.reason.text, "shown": s.shown, "endorsements": s.endorsements,
                 "bridging": round(s.bridging, 4)}
                for s in self.standings if s.reason.statement_id in numbers]

    def change_data(self) -> list[dict[str, Any]]:
        """Return ``[{statement, number, compared, moved, toward_agree, toward_disagree}]``.

        For every member compared (the rows of :meth:`overall_change`), ``statement`` and
        ``number`` as in :meth:`reasons_data`. Empty before the discussion opened.
        """
        if not self.opened:
            return []
        numbers, ids = self.numbers(), self.statement_ids()
        return [{"statement": ids[row.statement_id], "number": numbers[row.statement_id],
                 "compared": row.compared, "moved": row.moved,
                 "toward_agree": row.toward_agree, "toward_disagree": row.toward_disagree}
                for row in self.overall_change() if row.statement_id in numbers]


def _merge_small(rows: list[ChangeRow], threshold: int,
                 order_of: Sequence[ReasonKey] = ()) -> list[ChangeRow]:
    """Merge, statement by statement, the groups with too few compared members."""
    from ..analysis.disclosure import merge_small_groups
    from ..vocabulary import OTHER_GROUPS

    merged: list[ChangeRow] = []
    by_statement: dict[int, list[ChangeRow]] = {}
    for row in rows:
        by_statement.setdefault(row.statement_id, []).append(row)
    for statement_rows in by_statement.values():
        everyone = [r for r in statement_rows if r.group is None]
        grouped = [r for r in statement_rows if r.group is not None]
        merged.extend(everyone)
        if not grouped:
            continue
        merge = merge_small_groups({r.group: r.compared for r in grouped}, threshold)
        kept = [r for r in grouped if merge.labels[r.group] != OTHER_GROUPS]
        others = [r for r in grouped if merge.labels[r.group] == OTHER_GROUPS]
        merged.extend(kept)
        if others and kept:  # every group merged would only repeat the row for everyone
            merged.append(_sum_rows(others, OTHER_GROUPS, order_of))
    return merged


def _sum_rows(rows: list[ChangeRow], label: str,
              order_of: Sequence[ReasonKey] = ()) -> ChangeRow:
    """Return one row adding up ``rows`` (groups merged), labelled ``label``.

    ``order_of``: the record's reasons' keys in order, to break ties between credits.
    """
    from ..analysis.deliberation.change import ChangeRow

    transitions: Counter = Counter()
    credited: Counter = Counter()
    for row in rows:
        transitions.update(row.transitions)
        credited.update(row.credited)
    order = {key: i for i, key in enumerate(order_of)} if order_of else {}
    return ChangeRow(statement_id=rows[0].statement_id, group=label,
                     compared=sum(r.compared for r in rows), moved=sum(r.moved for r in rows),
                     toward_agree=sum(r.toward_agree for r in rows),
                     toward_disagree=sum(r.toward_disagree for r in rows),
                     # as opinion_change orders them: by before then after, the pass last;
                     # most credited first, ties in the record's order (never an author's id)
                     transitions={pair: transitions[pair] for pair in sorted(
                         transitions, key=lambda pair: (_stance_key(pair[0]),
                                                        _stance_key(pair[1])))},
                     credited={key: credited[key] for key in sorted(
                         credited, key=lambda key: (-credited[key],
                                                    order.get(key, len(order))))})


def _stance_key(stance: int | None) -> tuple[bool, int]:
    return (stance is None, stance if stance is not None else 0)
