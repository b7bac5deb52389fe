"""What one member reads and does in the discussion phase, read once and without pandas.

The member page runs in a kernel per visitor, so this reads the store directly and ranks
with the pure-Python :mod:`cop_widgets.analysis.deliberation`; it ranks exactly as
:class:`~cop_widgets.services.deliberation.DiscussionAnalysis` does (same record, same
groups), so the reasons a member is shown first are the ones the facilitator sees rise.

Who the member is comes from the invitation token alone (the store checks it on every
write); the member's id is held here, on the server, and never synced to the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import model as m
from ..model.discussion import REASONS_PER_SIDE, GroupSource
from ..model.policies import smallest_group_shown
from ..scales import get_scale

if TYPE_CHECKING:
    from ..model.discussion import Discussion, Reason, ReasonKey, Reply, Side
    from ..store import Store

__all__ = ["MemberDiscussion", "WhereYouStand"]


@dataclass(frozen=True)
class WhereYouStand:
    """The opinion group a member's answers are closest to, and what sets it apart.

    Attributes
    ----------
    group : str
        The group's letter (``"A"``...).
    size : int
        Members in the group when the discussion opened.
    apart : list of (int, str, float)
        Statement id, ``"agree"`` or ``"disagree"``, and the share of the group on that side.

    """

    group: str
    size: int
    apart: list[tuple[int, str, float]] = field(default_factory=list)


class MemberDiscussion:
    """The discussion as one member takes part in it.

    Parameters
    ----------
    store : Store
        The store.
    consultation : Consultation
        The consultation.
    member_id : int
        The member, as the store found them from their token.
    token : str
        Their invitation token; every write goes through it.
    per_side : int
        At most this many reasons of each side under a statement.

    """

    def __init__(self, store: Store, consultation: m.Consultation, member_id: int, token: str,
                 per_side: int = REASONS_PER_SIDE):
        self._store, self._token = store, token
        self.consultation = consultation
        self.member_id = member_id
        self.per_side = per_side
        self.scale = get_scale(consultation.scale)
        self.phase: Discussion | None = store.get_discussion(consultation.id)
        self.selection: dict[int, dict[Side, list[Reason]]] = {}
        self.endorsements: Counter = Counter()
        self.mine: set[ReasonKey] = set()
        self.replies: dict[ReasonKey, list[str]] = {}
        self._latest: dict[int, dict[int, int | None]] = {}

    @property
    def is_open(self) -> bool:
        """Whether the member can read, endorse and reply now.

        The discussion is open and the consultation accepts cards (open, its deadline not
        passed): the store refuses every act of the discussion otherwise.
        """
        return (self.phase is not None and self.phase.is_open
                and self.consultation.accepts_cards(self._store.now()))

    def load(self, choose: bool = True) -> None:
        """Read the discussion, choose the reasons to show, and record them as shown.

        Parameters
        ----------
        choose : bool
            ``False`` reads the counts, replies and stances again but keeps
            :attr:`selection` (the reasons already on the page) and records nothing: a page
            that is redrawn after a save does not change the reasons under the member's eyes.

        """
        from ..analysis.deliberation.bridging import rank_reasons
        from ..analysis.deliberation.selection import select_reasons

        record = self._store.discussion_record(self.consultation.id)
        if choose:
            groups = self.phase.groups if self.phase is not None else {}
            standings = rank_reasons(record, groups)
            seen = {key for key, viewer in record.impressions if viewer == self.member_id}
            self.selection = select_reasons(standings, self.member_id, seen, self.per_side)
        self.endorsements = Counter(key for key, _member in record.endorsements)
        self.mine = {key for key, member in record.endorsements if member == self.member_id}
        self.replies = {}
        for reply in record.replies:
            if reply.moderation is m.ModerationState.ACCEPTED:
                self.replies.setdefault(reply.reason, []).append(reply.text)
        self._latest = {}
        for revision in record.revisions:  # oldest first: the last one stays
            self._latest.setdefault(revision.member_id, {})[revision.statement_id] = (
                revision.stance)
        if choose and self.is_open:
            shown = [r.key for sides in self.selection.values() for rs in sides.values()
                     for r in rs]
            self._store.record_impressions(self.consultation.id, self._token, shown)

    def own_stance(self, statement_id: int) -> int | None:
        """Return the member's latest submitted stance on a statement (``None``: pass or none)."""
        return self._latest.get(self.member_id, {}).get(statement_id)

    def answered(self, statement_id: int) -> bool:
        """Whether the member's latest submitted card answers the statement."""
        return statement_id in self._latest.get(self.member_id, {})

    # -- what the member does -------------------------------------------------------------

    def endorse(self, key: ReasonKey, on: bool) -> int:
        """Mark (or unmark) a reason "Speaks for me too"; return its count now."""
        count = self._store.set_reason_endorsement(self.consultation.id, self._token, key, on)
        self.endorsements[key] = count
        (self.mine.add if on else self.mine.discard)(key)
        return count

    def reply(self, key: ReasonKey, text: str) -> Reply:
        """Send a reply to a reason; the facilitator reads it before anyone else."""
        return self._store.add_reply(self.consultation.id, self._token, key, text)

    def revise(self, statement_id: int, stance: int | None,
               credit: ReasonKey | None = None) -> m.PositionCard:
        """Change the member's stance on a statement, crediting a reason if they wish."""
        card = self._store.revise_stance(self.consultation.id, self._token, statement_id,
                                         stance, credit=credit)
        self._latest.setdefault(self.member_id, {})[statement_id] = stance
        return card

    # -- where the member stands ----------------------------------------------------------

    def where_you_stand(self) -> WhereYouStand | None:
        """Return the opinion group closest to the member's answers now, if it may be named.

        ``None`` without opinion groups, without answers, or when the closest group is
        smaller than the smallest group shown (naming it would narrow down who is in it).
        Closeness: the mean, over the statements the member answered, of the distance
        between the member's side (+1, 0, -1) and the group's mean side.
        """
        from ..analysis.deliberation.change import lean

        phase = self.phase
        own = self._latest.get(self.member_id)
        if phase is None or phase.source is not GroupSource.OPINION or not own:
            return None
        sizes = Counter(phase.groups.values())
        sums: dict[str, Counter] = {}
        counts: dict[str, Counter] = {}
        for member, stances in self._latest.items():
            group = phase.groups.get(member)
            if group is None or member == self.member_id:
                continue
            for statement_id, stance in stances.items():
                sums.setdefault(group, Counter())[statement_id] += lean(self.scale, stance)
                counts.setdefault(group, Counter())[statement_id] += 1
        best: tuple[float, str] | None = None
        for group in sorted(counts):
            shared = [sid for sid in own if counts[group][sid]]
            if not shared:
                continue
            distance = sum(abs(lean(self.scale, own[sid]) - sums[group][sid] / counts[group][sid])
                           for sid in shared) / len(shared)
            if best is None or distance < best[0]:
                best = (distance, group)
        if best is None or sizes[best[1]] < smallest_group_shown(self.consultation):
            return None
        apart = [(int(sid), str(side), float(share))
                 for sid, side, share in phase.apart.get(best[1], [])]
        return WhereYouStand(best[1], sizes[best[1]], apart)
