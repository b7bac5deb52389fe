"""Disclosure control of comparisons by group: small groups merged into one, never dropped.

In an anonymous consultation a group of one or two answering members shows their stances as
good as named. Leaving such a group out is not enough: the whole community's figures are
shown, and so are the other groups', so the missing group's figures follow by subtraction
(the whole minus every group shown). Statistical offices meet the same problem in published
tables with two standard steps, applied here to each member attribute on its own:

1. *Threshold rule with category collapsing* (primary step): every group with fewer members
   than the threshold is merged into one group, :data:`~cop_widgets.vocabulary.OTHER_GROUPS`.
2. *Complementary suppression* (secondary step): when the merged group would itself hold
   fewer members than the threshold, the smallest group still shown is merged with it too.
   One is always enough, since every group shown reaches the threshold. This holds when the
   merged groups hold nobody who answered as well: shown alone, "(other groups)" with
   nobody would say of every member in it that they did not answer (and a reader who knows
   the groups would tell which group it is).

After both steps every group shown, the merged group included, has at least the threshold
number of members, and the only figures a reader can derive by subtracting the groups shown
from the whole are the merged group's, which reach the threshold too. The one exception is
a consultation where even all the groups together are under it: then everything is one
group, the same as the whole community's figures. With a threshold of 1 (a consultation
that is not anonymous) every group is shown as it is.

A group's size may be counted in several ways at once (members with an answer, members with
a submitted card): a group is small when any count is under the threshold, and the merged
group needs each count to reach the threshold. Functions here return numbers and codes; the
words are the presentation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..vocabulary import NOT_GIVEN, OTHER_GROUPS
from .summary.attributes import member_groups

__all__ = ["OTHER_GROUPS", "GroupMerge", "merge_small_groups", "group_sizes",
           "merged_members"]


@dataclass(frozen=True)
class GroupMerge:
    """Which groups of one attribute are shown under their own name, and which are merged.

    Attributes
    ----------
    labels : dict of str to str
        Every group (in the order given) to the label it is shown under: its own name, or
        :data:`OTHER_GROUPS`.
    primary : tuple of str
        The groups under the threshold (merged by the threshold rule), in group order.
    complementary : tuple of str
        The group merged with them so that they cannot be found by subtraction (none or
        one).
    threshold : int
        The smallest number of members a group shown has.

    """

    labels: dict[str, str]
    primary: tuple[str, ...]
    complementary: tuple[str, ...]
    threshold: int

    @property
    def merged(self) -> tuple[str, ...]:
        """Every group shown as :data:`OTHER_GROUPS`, in group order."""
        return tuple(g for g, label in self.labels.items() if label == OTHER_GROUPS)

    @property
    def shown(self) -> tuple[str, ...]:
        """Every group shown under its own name, in group order."""
        return tuple(g for g, label in self.labels.items() if label != OTHER_GROUPS)


def _counts(sizes: Mapping[str, int | Sequence[int]]) -> np.ndarray:
    """Return the sizes as a (groups, counts) integer array."""
    rows = [np.atleast_1d(np.asarray(v, dtype=np.int64)) for v in sizes.values()]
    if not rows:
        return np.zeros((0, 1), dtype=np.int64)
    widths = {len(r) for r in rows}
    if len(widths) != 1 or widths == {0}:
        raise ValueError("every group needs the same number of counts, at least one")
    counts = np.vstack(rows)
    if (counts < 0).any():
        raise ValueError("group sizes must be non-negative")
    return counts


def merge_small_groups(sizes: Mapping[str, int | Sequence[int]],
                       threshold: int) -> GroupMerge:
    """Merge the groups under ``threshold`` into one, with a complementary group if needed.

    Parameters
    ----------
    sizes : mapping of str to int or sequence of int
        Each group's members, in the order groups are shown (the order breaks ties). Give
        several counts per group (the same number for every group) to protect several
        tables at once, e.g. ``(members with an answer, members with a submitted card)``.
    threshold : int
        The smallest group shown (:func:`cop_widgets.model.policies.smallest_group_shown`);
        at 1 or below every group is shown.

    Returns
    -------
    GroupMerge
        A group is *primary* when one of its counts is under ``threshold`` (zero included).
        When, for some count, the primary groups together hold fewer than ``threshold``
        members (none included), the smallest group left (by its counts in order, then by
        the order given) is *complementary*. Both are labelled :data:`OTHER_GROUPS`; every
        other group keeps its name.

    Raises
    ------
    ValueError
        If a size is negative, or groups have different numbers of counts.

    """
    names = list(sizes)
    counts = _counts(sizes)
    if threshold <= 1:
        return GroupMerge({g: g for g in names}, (), (), max(int(threshold), 1))
    small = (counts < threshold).any(axis=1)
    primary = [g for g, s in zip(names, small, strict=True) if s]
    complementary: list[str] = []
    total = counts[small].sum(axis=0)
    if primary and (total < threshold).any() and not small.all():
        left = [i for i in range(len(names)) if not small[i]]
        pick = min(left, key=lambda i: (*counts[i].tolist(), i))
        complementary.append(names[pick])
    merged = set(primary) | set(complementary)
    labels = {g: OTHER_GROUPS if g in merged else g for g in names}
    return GroupMerge(labels, tuple(primary), tuple(complementary), int(threshold))


def group_sizes(members: pd.DataFrame, attribute: str,
                answering: Iterable[object] | None = None) -> dict[str, tuple[int, ...]]:
    """Count each group's members who responded, and who answered, for one attribute.

    Parameters
    ----------
    members : DataFrame
        ``member_id`` (unique), ``responded`` and the ``attribute`` column, as from
        ``Store.members_frame``.
    attribute : str
        The attribute; groups as in :func:`cop_widgets.analysis.summary.by_attribute`.
    answering : iterable, optional
        The ``member_id`` of the members with an answer in the figures compared (those of a
        responses frame). An id not on the roster counts in the ``"(not given)"`` group,
        as it does in :func:`~cop_widgets.analysis.summary.by_attribute`.

    Returns
    -------
    dict of str to tuple of int
        Each group, by name with ``"(not given)"`` last, to ``(responded,)``, or
        ``(responded, answering)`` when ``answering`` is given.

    """
    labels = member_groups(members, attribute)
    responded = members["responded"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    counted = [pd.Series(labels.to_numpy()[responded]).value_counts()]
    present = set(labels.tolist())
    if answering is not None:
        ids = pd.unique(pd.Series(list(answering), dtype=object))
        found = labels.index.get_indexer(pd.Index(ids))
        answer_labels = np.where(found >= 0, labels.to_numpy()[np.maximum(found, 0)],
                                 NOT_GIVEN) if len(ids) else np.array([], dtype=object)
        counted.append(pd.Series(answer_labels, dtype=object).value_counts())
        present |= set(answer_labels.tolist())
    order = sorted(present - {NOT_GIVEN}) + ([NOT_GIVEN] if NOT_GIVEN in present else [])
    return {g: tuple(int(c.get(g, 0)) for c in counted) for g in order}


def merged_members(members: pd.DataFrame, attribute: str,
                   labels: Mapping[str, str]) -> pd.DataFrame:
    """Return ``members`` with each member's group of ``attribute`` replaced by its label.

    Parameters
    ----------
    members : DataFrame
        ``member_id`` (unique) and the ``attribute`` column.
    attribute : str
        The column relabelled; the others are left as they are.
    labels : mapping of str to str
        :attr:`GroupMerge.labels`. A group it does not name keeps its name.

    Returns
    -------
    DataFrame
        A copy, with ``attribute`` as text: every comparison by ``attribute`` of it (by
        group, cruxes, participation, weighting) sees the merged group as one group.

    """
    groups = member_groups(members, attribute)
    frame = members.copy()
    frame[attribute] = [labels.get(g, g) for g in groups.to_numpy()]
    return frame
