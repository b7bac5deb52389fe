"""Which reasons a member is shown under each statement (issue 13, item 1).

Each side (agree, disagree, unsure) has its own slots, so the side with fewer voices is
always heard, however few reasons it has: one disagreeing reason against twenty agreeing
ones is shown beside three of them. Within a side:

1. the first slot holds the side's most bridging reason (:mod:`.bridging`);
2. then the reasons this member has not been shown yet, fewest impressions first, so that
   every reason gets read (exploration);
3. then the remaining ones, most bridging first.

Ties go by the order of the standings given (:func:`.bridging.rank_reasons`'s order: never
the author's id). A member is never shown their own reason. The choice is deterministic:
the same standings, member and impressions give the same reasons.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence

from ...model.discussion import REASONS_PER_SIDE, Reason, ReasonKey, Side
from .bridging import ReasonStanding

__all__ = ["select_reasons"]


def _pick(side: list[tuple[int, ReasonStanding, bool]], per_side: int) -> list[Reason]:
    """Choose up to ``per_side`` of one side's ``(order, standing, unseen)`` entries."""
    first = min(side, key=lambda entry: (-entry[1].bridging, entry[0]))
    rest = [entry for entry in side if entry is not first]
    chosen = [first, *heapq.nsmallest(per_side - 1, (entry for entry in rest if entry[2]),
                                      key=lambda entry: (entry[1].shown, entry[0]))]
    if len(chosen) < per_side:
        chosen += heapq.nsmallest(per_side - len(chosen),
                                  (entry for entry in rest if not entry[2]),
                                  key=lambda entry: (-entry[1].bridging, entry[0]))
    return [standing.reason for _, standing, _ in chosen]


def select_reasons(standings: Sequence[ReasonStanding], viewer_id: int,
                   seen: Collection[ReasonKey], per_side: int = REASONS_PER_SIDE,
                   ) -> dict[int, dict[Side, list[Reason]]]:
    """Return the reasons to show ``viewer_id`` under each statement, side by side.

    Parameters
    ----------
    standings : sequence of ReasonStanding
        Every reason's standing, as :func:`.bridging.rank_reasons` returns them.
    viewer_id : int
        The member reading (server-side only); their own reasons are left out.
    seen : collection of ReasonKey
        The reasons already shown to this member (their impressions).
    per_side : int, optional
        Slots per side (default :data:`~cop_widgets.model.discussion.REASONS_PER_SIDE`).

    Returns
    -------
    dict of int to dict of Side to list of Reason
        Statement id to side to the reasons chosen, sides in the order agree, disagree,
        unsure, and only the sides with a reason left. Statements with no reason left are
        left out; statements come in the order they first appear in ``standings``.

    """
    if per_side < 1:
        return {}
    seen = set(seen)
    sides: dict[int, dict[Side, list[tuple[int, ReasonStanding, bool]]]] = {}
    for order, standing in enumerate(standings):
        reason = standing.reason
        if reason.author_id == viewer_id:
            continue
        unseen = (reason.statement_id, reason.author_id) not in seen
        sides.setdefault(reason.statement_id, {}).setdefault(reason.side, []).append(
            (order, standing, unseen))
    return {statement: {side: _pick(by_side[side], per_side)
                        for side in Side if side in by_side}
            for statement, by_side in sides.items()}
