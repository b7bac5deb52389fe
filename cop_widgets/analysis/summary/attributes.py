"""Stances within the groups of a member attribute: a summary per group, and cruxes.

A member's group is the attribute's value as text; a missing or blank value, or a member
absent from the roster, puts them in the group :data:`NOT_GIVEN`. Groups are ordered by name
with :data:`NOT_GIVEN` then :data:`OTHER_GROUPS` last (:func:`group_order`).

Every group of the members given is compared. Which groups a reader may see on their own is
decided before, by :mod:`cop_widgets.analysis.disclosure`: the analysis service hands these
functions the roster with the small groups merged, so that no group's figures follow by
subtraction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...model.policies import MIN_GROUP_SIZE
from ...vocabulary import NOT_GIVEN, OTHER_GROUPS
from .. import ordinal
from ..ordinal import ordered_levels
from .classes import ConsensusRule
from .statements import level_index, statement_codes, summarise, tally_levels

if TYPE_CHECKING:
    from ...scales import Scale

__all__ = ["NOT_GIVEN", "CRUX_COLUMNS", "group_order", "member_groups", "by_attribute",
           "cruxes"]

CRUX_COLUMNS = (
    "statement_id", "spread", "pct_agree_max_group", "pct_agree_min_group", "group_high",
    "group_low", "mean_high", "mean_low", "n_groups",
)
"""Columns of :func:`cruxes`, in order."""


def group_order(labels: object) -> list[str]:
    """Return the distinct group labels in the order groups are shown.

    By name, then :data:`NOT_GIVEN`, then :data:`OTHER_GROUPS` (the small groups merged).
    """
    present = set(labels)
    names = sorted(present - {NOT_GIVEN, OTHER_GROUPS})
    return names + [code for code in (NOT_GIVEN, OTHER_GROUPS) if code in present]


def member_groups(members: pd.DataFrame, attribute: str) -> pd.Series:
    """Return each member's group label (``NOT_GIVEN`` when missing), indexed by member_id."""
    if attribute not in members.columns:
        raise KeyError(f"members have no attribute column {attribute!r}")
    ids = members["member_id"]
    if ids.duplicated().any():
        raise ValueError("member_id must be unique in members")

    def label(value: object) -> str:
        if isinstance(value, str):
            return value if value.strip() else NOT_GIVEN
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    column = members[attribute].astype(object)
    missing = column.isna().to_numpy()
    labels = {value: label(value) for value in pd.unique(column[~missing])}
    mapped = np.array([labels.get(v, NOT_GIVEN) if not m else NOT_GIVEN
                       for v, m in zip(column, missing, strict=True)], dtype=object)
    return pd.Series(mapped, index=ids.to_numpy(), dtype=object)


def _grouped_tally(responses: pd.DataFrame, members: pd.DataFrame, attribute: str,
                   scale: Scale):
    """Tally per (group, statement).

    Returns
    -------
    tuple
        ``(tally (g, s, k + 1), group labels, group sizes, statement index)``, groups in
        :func:`group_order`, every group with an answering member.

    """
    levels = ordered_levels(scale)
    k = len(levels.values)
    groups = member_groups(members, attribute)
    # Work on the distinct answering members, then spread their group to the rows.
    mcodes, answering = pd.factorize(responses["member_id"])
    if (mcodes < 0).any():
        raise ValueError("member_id must not be missing")
    found = groups.index.get_indexer(answering)
    member_label = np.where(found >= 0, groups.to_numpy()[np.maximum(found, 0)], NOT_GIVEN)
    names = group_order(member_label.tolist())
    member_gcode = pd.Index(names, dtype=object).get_indexer(member_label)
    g = len(names)
    sizes = np.bincount(member_gcode, minlength=g)  # members with at least one answer
    gcodes = member_gcode[mcodes]
    scodes, index = statement_codes(responses["statement_id"])
    level = level_index(responses["stance"], levels.values)
    s = len(index)
    tally = tally_levels(gcodes * s + scodes, level, g * s, k).reshape(g, s, k + 1)
    return tally, names, sizes, index


def by_attribute(responses: pd.DataFrame, members: pd.DataFrame, attribute: str,
                 scale: Scale, rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Summarise the stances on each statement within each group of a member attribute.

    Parameters
    ----------
    responses : DataFrame
        ``member_id``, ``statement_id``, ``stance``.
    members : DataFrame
        ``member_id`` (unique) and the ``attribute`` column.
    attribute : str
        Column of ``members`` to group by. Missing values (``None``, ``NaN``, blank text),
        and members of ``responses`` absent from ``members``, go to the group
        ``"(not given)"``. Group names are the values as text.
    scale : Scale
        The consultation's scale.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.

    Returns
    -------
    DataFrame
        MultiIndex ``(group, statement_id)``: every group with an answering member, in
        :func:`group_order` (by name, ``"(not given)"`` then ``"(other groups)"`` last),
        and for each group the statements it answered (at least one answer, passes
        included). Columns ``group_size`` (members of the group with at least one answer in
        ``responses``, the same on every row of the group) then the columns of
        :func:`statement_summary`.

    Raises
    ------
    KeyError
        If ``members`` has no ``attribute`` column.

    """
    tally, names, sizes, index = _grouped_tally(responses, members, attribute, scale)
    g, s = len(names), len(index)
    flat = tally.reshape(g * s, tally.shape[-1])
    answered = flat.sum(axis=1) > 0
    multi = pd.MultiIndex.from_arrays(
        [np.repeat(np.array(names, dtype=object), s), np.tile(index.to_numpy(), g)],
        names=["group", "statement_id"],
    )
    frame = summarise(flat[answered], scale, rule, multi[answered])
    frame.insert(0, "group_size", np.repeat(sizes, s)[answered])
    return frame


def cruxes(responses: pd.DataFrame, members: pd.DataFrame, attribute: str, scale: Scale,
           top: int | None = None, min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Find the statements that split the groups of a member attribute the most.

    A group's *position* on a statement is the mean ordinal position of its members'
    stances (categories such as Kaner's "Abstain" and passes left out) rescaled to
    [-1, 1] (:func:`ordinal.mean_position`: -1 all on the level of least agreement, 1
    all on the level of most agreement), so spreads are comparable across scales. The
    *spread* of a statement is the highest group position minus the lowest, in [0, 2].

    Parameters
    ----------
    responses, members, scale
        As in :func:`by_attribute`.
    attribute : str
        Column of ``members`` to group by. Members who did not give it (the
        ``"(not given)"`` group of :func:`by_attribute`) take no part: they are not a group
        that can hold a side. The merged small groups (``"(other groups)"``) take part:
        they are members who hold a side together, as the comparison by group shows them.
    top : int, optional
        Keep only the first ``top`` statements.
    min_group_size : int
        A group counts on a statement only when at least this many of its members took an
        ordinal stance on it (passes and categories do not count); a statement needs two
        such groups to appear.

    Returns
    -------
    DataFrame
        One row per statement, sorted by ``spread`` descending (ties by ``statement_id``),
        with columns ``statement_id``, ``spread``, ``pct_agree_max_group`` and
        ``pct_agree_min_group`` (share of stances agreeing in the group with the highest and
        the lowest position), ``group_high`` and ``group_low`` (those groups; on a tie
        the first by name is high and the last is low), ``mean_high`` and ``mean_low``
        (their positions), and ``n_groups`` (groups that counted).

    """
    if top is not None and top < 0:
        raise ValueError("top must be non-negative")
    levels = ordered_levels(scale)
    tally, names, _, index = _grouped_tally(responses, members, attribute, scale)
    real = np.array([nm != NOT_GIVEN for nm in names], dtype=bool)
    tally = tally[real]
    names = [nm for nm, ok in zip(names, real, strict=True) if ok]
    g, s = len(names), len(index)
    if g == 0 or s == 0:
        return pd.DataFrame({c: [] for c in CRUX_COLUMNS})
    # The ordinal stances only: a pass or a category of its own holds no position.
    counts = tally[:, :, :-1].reshape(g * s, tally.shape[-1] - 1)[:, levels.ordinal]
    n_stance = counts.sum(axis=1).reshape(g, s)
    position = np.asarray(ordinal.mean_position(counts, levels.positions),
                          dtype=np.float64).reshape(g, s)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = (counts[:, levels.ordinal_polarity == 1].sum(axis=1).reshape(g, s) / n_stance)
    ok = n_stance >= max(min_group_size, 1)
    n_groups = ok.sum(axis=0)
    high = np.argmax(np.where(ok, position, -np.inf), axis=0)
    # On a tie the high group is the first by name and the low group the last, so that
    # they differ whenever two groups count.
    low = g - 1 - np.argmin(np.where(ok, position, np.inf)[::-1], axis=0)
    cols = np.arange(s)
    keep = n_groups >= 2
    names_arr = np.array(names, dtype=object)
    frame = pd.DataFrame({
        "statement_id": index.to_numpy(),
        "spread": position[high, cols] - position[low, cols],
        "pct_agree_max_group": pct[high, cols],
        "pct_agree_min_group": pct[low, cols],
        "group_high": names_arr[high],
        "group_low": names_arr[low],
        "mean_high": position[high, cols],
        "mean_low": position[low, cols],
        "n_groups": n_groups,
    })[keep]
    frame = frame.sort_values("spread", ascending=False, kind="stable", ignore_index=True)
    return frame if top is None else frame.head(top)
