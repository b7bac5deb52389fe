"""Bridging reasons: which reasons are endorsed across groups, not just by many (issue 13).

The decision
------------
A reason is ranked by Pol.is's *group-informed consensus* of its endorsements given its
impressions: the product over groups ``g`` of ``(e_g + 1) / (s_g + 2)``, where ``s_g`` is
the number of members of group ``g`` the reason was shown to and ``e_g`` the number of
members of ``g`` who mark it "Speaks for me too". Each factor is the add-one estimate of
the share of group ``g`` the reason speaks for, so the product is high only when the reason
speaks for members of every group: a reason endorsed by all of one group and none of the
other ranks below one endorsed by some of both.

Why not Community Notes' matrix-factorisation intercept: a community of practice has tens of
members, not hundreds of thousands of raters. A matrix-factorisation intercept needs many
ratings per rater and both helpful and not-helpful ratings (a discussion records
endorsements and impressions only), is not deterministic without fixed seeds, and cannot
be explained to members in one sentence. The group-informed consensus is transparent,
needs no training, and rewards exactly a reason endorsed in every group.

Groups are exactly the labels of the mapping given (opinion groups, or a roster attribute
where there are none; see :class:`cop_widgets.model.discussion.GroupSource`), each label
once. A member not in the mapping counts in no group (their endorsement still counts in the
total :attr:`ReasonStanding.endorsements`). An empty mapping means one group: everyone the
reason was shown to. An endorsement by a member who was not recorded as shown the reason
still counts in ``e_g``, and ``s_g`` is taken as at least ``e_g``, so a factor never
exceeds 1. A group where nobody saw a reason gives it ``(0 + 1) / (0 + 2) = 0.5``, as it
does every reason alike.

Reasons are ranked by that product (highest first), ties by more endorsements, then fewer
impressions, then the record's own order (the consultation's secret order, never the
author's id). Numbers only: the words are the presentation's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...model.discussion import DiscussionRecord, Reason, ReasonKey

__all__ = ["ReasonStanding", "rank_reasons", "bridging_by_key"]


@dataclass(frozen=True)
class ReasonStanding:
    """How a reason stands in the discussion: its exposure, endorsements and bridging.

    Attributes
    ----------
    reason : Reason
        The reason (its author's id is server-side only).
    shown : int
        Members it was shown to (impressions).
    endorsements : int
        Members who mark it "Speaks for me too", in a group or not.
    bridging : float
        The group-informed consensus, product over groups of ``(e_g + 1) / (s_g + 2)``;
        between 0 and 1.
    by_group : dict of str to (int, int)
        Group label to ``(e_g, s_g)``, the endorsed and shown counts that entered the
        product (``s_g`` at least ``e_g``), labels sorted. Empty when the mapping of groups
        was empty (one group, everyone: then ``(endorsements, max(shown, endorsements))``).

    """

    reason: Reason
    shown: int
    endorsements: int
    bridging: float
    by_group: dict[str, tuple[int, int]]


def _members_by_key(pairs: Iterable[tuple[ReasonKey, int]]) -> dict[ReasonKey, set[int]]:
    """Return each reason key with the set of members paired with it (each pair once)."""
    found: defaultdict[ReasonKey, set[int]] = defaultdict(set)
    for key, member in pairs:
        found[key].add(member)
    return found


def _tally(members: set[int], groups: Mapping[int, str],
           index: Mapping[str, int]) -> list[int]:
    """Return how many of ``members`` are in each group (``index``: label to position)."""
    counts = [0] * len(index)
    for member in members:
        label = groups.get(member)
        if label is not None:
            counts[index[label]] += 1
    return counts


def rank_reasons(record: DiscussionRecord, groups: Mapping[int, str]) -> list[ReasonStanding]:
    """Rank the record's reasons by their bridging (group-informed consensus).

    Parameters
    ----------
    record : DiscussionRecord
        The discussion's reasons, impressions and endorsements.
    groups : mapping of int to str
        Member id to group label. Empty: everyone is in one group.

    Returns
    -------
    list of ReasonStanding
        One per reason of ``record.reasons``, highest bridging first; ties by more
        endorsements, then fewer impressions, then the record's order.

    Examples
    --------
    Two groups; endorsed by 2 of the 3 members of A shown it and 1 of the 2 of B:
    ``(2 + 1) / (3 + 2) * (1 + 1) / (2 + 2) = 0.3``.

    """
    shown_to = _members_by_key(record.impressions)
    endorsed_by = _members_by_key(record.endorsements)
    labels = sorted(set(groups.values()))
    index = {label: i for i, label in enumerate(labels)}
    empty: set[int] = set()
    keyed = []
    for position, reason in enumerate(record.reasons):
        shown = shown_to.get(reason.key, empty)
        endorsers = endorsed_by.get(reason.key, empty)
        if labels:
            seen = _tally(shown, groups, index)
            liked = _tally(endorsers, groups, index)
            pairs = [(e, max(s, e)) for e, s in zip(liked, seen, strict=True)]
        else:
            pairs = [(len(endorsers), max(len(shown), len(endorsers)))]
        numerator = denominator = 1
        for e, s in pairs:  # exact integers, one rounding: equal products tie exactly
            numerator *= e + 1
            denominator *= s + 2
        standing = ReasonStanding(
            reason=reason, shown=len(shown), endorsements=len(endorsers),
            bridging=numerator / denominator,
            by_group=dict(zip(labels, pairs, strict=True)) if labels else {})
        keyed.append(((-standing.bridging, -standing.endorsements, standing.shown, position),
                      standing))
    keyed.sort(key=lambda entry: entry[0])
    return [standing for _, standing in keyed]


def bridging_by_key(standings: Iterable[ReasonStanding]) -> dict[ReasonKey, ReasonStanding]:
    """Return each standing under its reason's key, in the order given.

    Parameters
    ----------
    standings : iterable of ReasonStanding
        As :func:`rank_reasons` returns them.

    Returns
    -------
    dict of ReasonKey to ReasonStanding

    """
    return {standing.reason.key: standing for standing in standings}
