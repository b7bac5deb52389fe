"""Opinion change during the discussion, as deliberative polling measures it (issue 13, item 5).

For each member and statement, the stance *before* is the one in their latest submitted
revision saved at or before the moment they were first shown a reason under the statement
(``DiscussionRecord.first_shown``); the stance *after* is their latest submitted one. A
member never shown a reason under the statement, or with no revision saved by then, is not
compared. A member *moved* when the two differ (a pass counting as a stance).

Direction (:func:`direction`): the sides are compared first, agree above unsure above
disagree (a pass and a category such as Kaner's "More discussion needed" are unsure, as
:func:`cop_widgets.model.discussion.side_of` says); on the same side, between two ordinal
levels, the higher :meth:`Scale.position <cop_widgets.scales.Scale.position>` is more
agreement. Otherwise a move has no direction: Kaner's "Abstain" to "More discussion needed"
is a move toward neither.

Counts only, of every compared member and of each group: small groups are not withheld here.
The services apply :mod:`cop_widgets.analysis.disclosure` before anything is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ...model.discussion import DiscussionRecord, ReasonKey, Side, StanceRevision, side_of
from ...scales import Scale

__all__ = ["ChangeRow", "opinion_change", "lean", "direction", "net_movement"]

_SIDE_RANK = {Side.AGREE: 1, Side.UNSURE: 0, Side.DISAGREE: -1}


@dataclass(frozen=True)
class ChangeRow:
    """How members moved on one statement: everyone compared, or one group.

    Attributes
    ----------
    statement_id : int
        The statement.
    group : str or None
        The group label; ``None`` for every member compared.
    compared : int
        Members with a stance before and after (see the module's description).
    moved : int
        Of them, members whose stance after differs from the one before.
    toward_agree, toward_disagree : int
        Of those who moved, how many moved toward agreement, and toward disagreement (a
        move may have neither direction).
    transitions : dict of (int or None, int or None) to int
        ``(before, after)`` stances to the members who moved so (stored values; ``None``
        is a pass), sorted by before then after, the pass last.
    credited : dict of ReasonKey to int
        The reasons credited by the members who moved (the latest credit of each on the
        statement), to how many credited each; most credited first, ties in the order of
        the record's reasons. Server-side only: a key holds the author's id.

    """

    statement_id: int
    group: str | None
    compared: int
    moved: int
    toward_agree: int
    toward_disagree: int
    transitions: dict[tuple[int | None, int | None], int] = field(default_factory=dict)
    credited: dict[ReasonKey, int] = field(default_factory=dict)


def lean(scale: Scale, stance: int | None) -> int:
    """Return the side of ``stance`` as a number: 1 agree, 0 unsure (or pass), -1 disagree."""
    return _SIDE_RANK[side_of(scale, stance)]


def direction(scale: Scale, before: int | None, after: int | None) -> int:
    """Return 1 if ``before`` -> ``after`` moves toward agreement, -1 toward disagreement, else 0.

    Parameters
    ----------
    scale : Scale
        The consultation's scale.
    before, after : int or None
        Stored stances (``None``: pass / unsure).

    Returns
    -------
    int
        The sides are compared first (:func:`lean`); on the same side, two ordinal levels
        by :meth:`Scale.position <cop_widgets.scales.Scale.position>`; otherwise 0.

    """
    a, b = lean(scale, before), lean(scale, after)
    if a != b:
        return 1 if b > a else -1
    if before is None or after is None:
        return 0
    p, q = scale.position(before), scale.position(after)
    if p is None or q is None or p == q:
        return 0
    return 1 if q > p else -1


def net_movement(row: ChangeRow) -> int:
    """Return the net movement of a row: toward agreement minus toward disagreement."""
    return row.toward_agree - row.toward_disagree


def _stance_key(stance: int | None) -> tuple[bool, int]:
    return (stance is None, stance if stance is not None else 0)


def _before_after(revisions: list[StanceRevision], first: dt.datetime,
                  ) -> tuple[int | None, int | None] | None:
    """Return the stances before ``first`` and latest (``None``: nothing saved by then)."""
    ordered = sorted(revisions, key=lambda revision: revision.saved_at)
    earlier = [revision for revision in ordered if revision.saved_at <= first]
    if not earlier:
        return None
    return earlier[-1].stance, ordered[-1].stance


def _row(statement_id: int, group: str | None, moves: list[tuple], scale: Scale,
         order: Mapping[ReasonKey, tuple[int, int]]) -> ChangeRow:
    """Count ``moves``, each ``(before, after, credited key or None)``."""
    transitions: dict[tuple[int | None, int | None], int] = {}
    credited: dict[ReasonKey, int] = {}
    toward = {1: 0, -1: 0, 0: 0}
    moved = 0
    for before, after, credit in moves:
        if before == after:
            continue
        moved += 1
        toward[direction(scale, before, after)] += 1
        transitions[(before, after)] = transitions.get((before, after), 0) + 1
        if credit is not None:
            credited[credit] = credited.get(credit, 0) + 1
    return ChangeRow(
        statement_id=statement_id, group=group, compared=len(moves), moved=moved,
        toward_agree=toward[1], toward_disagree=toward[-1],
        transitions={pair: transitions[pair] for pair in sorted(
            transitions, key=lambda pair: (_stance_key(pair[0]), _stance_key(pair[1])))},
        credited={key: credited[key] for key in sorted(
            credited, key=lambda key: (-credited[key], order[key]))})


def opinion_change(record: DiscussionRecord, scale: Scale,
                   groups: Mapping[int, str]) -> list[ChangeRow]:
    """Count who moved on each statement after reading others' reasons, and which way.

    Parameters
    ----------
    record : DiscussionRecord
        Read with its revisions (``revisions`` empty gives rows of nobody compared).
    scale : Scale
        The consultation's scale.
    groups : mapping of int to str
        Member id to group label; a member not in it counts in the row of everyone only.

    Returns
    -------
    list of ChangeRow
        Per statement (in the order of the record's reasons, then any other statement of
        the revisions by id): the row of everyone (``group`` ``None``), then one per group
        label among the members compared, labels sorted.

    """
    statements = list(dict.fromkeys(reason.statement_id for reason in record.reasons))
    known = set(statements)
    statements += sorted({r.statement_id for r in record.revisions} - known)
    cards: dict[tuple[int, int], list[StanceRevision]] = {}
    for revision in record.revisions:
        cards.setdefault((revision.member_id, revision.statement_id), []).append(revision)
    credit_of: dict[tuple[int, int], ReasonKey] = {}
    for credit in sorted(record.credits, key=lambda credit: credit.created_at):
        credit_of[(credit.member_id, credit.reason[0])] = credit.reason
    order = {reason.key: (0, i) for i, reason in enumerate(record.reasons)}
    for i, credit in enumerate(record.credits):  # a credited reason gone from the record
        order.setdefault(credit.reason, (1, i))
    moves: dict[int, list[tuple[str | None, tuple]]] = {s: [] for s in statements}
    for (member, statement), revisions in cards.items():
        first = record.first_shown.get((member, statement))
        pair = None if first is None else _before_after(revisions, first)
        if pair is None:
            continue
        before, after = pair
        moves[statement].append(
            (groups.get(member), (before, after, credit_of.get((member, statement)))))
    rows = []
    for statement in statements:
        compared = moves[statement]
        rows.append(_row(statement, None, [move for _, move in compared], scale, order))
        for label in sorted({label for label, _ in compared if label is not None}):
            rows.append(_row(statement, label,
                             [move for own, move in compared if own == label], scale, order))
    return rows
