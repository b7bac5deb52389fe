"""Representation: who is on the roster and who answered, group by group.

A joint response is only as legitimate as the voices in it. These functions show the
facilitator which groups of the community are missing from the answers; which of them count
as under-represented is the model's policy
(:class:`cop_widgets.model.policies.RepresentationRule`).

Input is the frame of :meth:`Store.members_frame` (one row per member: ``member_id``,
``name``, ``email``, ``external_id``, ``invited``, ``responded``, then one column per
attribute). Every function is pure and its result does not depend on the order of the rows
or on the values of ``member_id`` (beyond their identity).

Groups
------
A member's group for an attribute is the attribute's value as text; a missing or blank
value puts the member in the group ``"(not given)"``
(:data:`cop_widgets.analysis.summary.NOT_GIVEN`), which is a group like any other: people
who did not say their role are still people whose voice is missing. Groups are ordered by
name with ``"(not given)"`` last, as in :func:`cop_widgets.analysis.summary.by_attribute`.

In an anonymous consultation the groups too small to be shown are merged into
``"(other groups)"`` (:mod:`cop_widgets.analysis.disclosure`): :func:`representation` takes
the merge's labels, adds the merged groups' counts into one row, and flags that row when it,
or any group merged into it, is under-represented, so that a missing group is still
reported without being named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..model.policies import RepresentationRule
from ..vocabulary import ALL_MEMBERS, ROSTER_COLUMNS
from .disclosure import merged_members
from .summary.attributes import group_order, member_groups

__all__ = [
    "REPRESENTATION_COLUMNS",
    "attribute_columns",
    "roster_flag",
    "group_codes",
    "representation",
    "representation_overall",
    "representation_all",
]

REPRESENTATION_COLUMNS = (
    "roster", "invited", "responded", "missing", "roster_share", "respondent_share",
    "response_rate", "gap_points", "under_represented",
)
"""Columns of :func:`representation`, in order."""


def attribute_columns(members: pd.DataFrame) -> list[str]:
    """Return the attribute columns of a members frame (every column not in ROSTER_COLUMNS).

    Parameters
    ----------
    members : DataFrame
        As from :meth:`Store.members_frame`.

    Returns
    -------
    list of str
        In the order of the frame.

    """
    return [c for c in members.columns if c not in ROSTER_COLUMNS]


def roster_flag(members: pd.DataFrame, column: str) -> NDArray[np.bool_]:
    """Return a boolean column of the roster (``invited``, ``responded``) as a numpy array.

    Parameters
    ----------
    members : DataFrame
        As from :meth:`Store.members_frame`.
    column : str
        The column; a missing value counts as False.

    Returns
    -------
    ndarray of bool
        In row order.

    Raises
    ------
    KeyError
        If ``members`` has no such column.

    """
    if column not in members.columns:
        raise KeyError(f"members have no {column!r} column")
    return members[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def group_codes(members: pd.DataFrame, attribute: str) -> tuple[NDArray[np.intp], list[str]]:
    """Return each member's group code (in row order) and the group names.

    Parameters
    ----------
    members : DataFrame
        ``member_id`` (unique) and the ``attribute`` column.
    attribute : str
        Column to group by; missing or blank values form the group ``"(not given)"``.

    Returns
    -------
    codes : ndarray of intp
        Position of each member's group in ``names``.
    names : list of str
        The groups with members, by name with ``"(not given)"`` then ``"(other groups)"``
        last.

    """
    labels = member_groups(members, attribute).to_numpy()
    names = group_order(labels.tolist())
    codes = pd.Index(names, dtype=object).get_indexer(labels)
    return codes.astype(np.intp), names


def _table(roster: NDArray[np.int64], invited: NDArray[np.int64],
           responded: NDArray[np.int64], total_roster: int, total_responded: int,
           rule: RepresentationRule, index: pd.Index) -> pd.DataFrame:
    """Build the representation columns from counts per group."""
    with np.errstate(invalid="ignore", divide="ignore"):
        roster_share = roster / total_roster if total_roster else np.full(len(roster), np.nan)
        respondent_share = (responded / total_responded if total_responded
                            else np.full(len(roster), np.nan))
        response_rate = responded / roster
    gap = 100.0 * (respondent_share - roster_share)
    overall_rate = total_responded / total_roster if total_roster else math.nan
    return pd.DataFrame(
        {
            "roster": roster.astype(np.int64), "invited": invited.astype(np.int64),
            "responded": responded.astype(np.int64),
            "missing": (roster - responded).astype(np.int64),
            "roster_share": np.asarray(roster_share, dtype=np.float64),
            "respondent_share": np.asarray(respondent_share, dtype=np.float64),
            "response_rate": np.asarray(response_rate, dtype=np.float64),
            "gap_points": np.asarray(gap, dtype=np.float64),
            "under_represented": rule.flag(roster, gap, response_rate, overall_rate),
        },
        index=index,
    )


def representation_overall(members: pd.DataFrame) -> pd.Series:
    """Participation of the whole roster, with the columns of :func:`representation`.

    Parameters
    ----------
    members : DataFrame
        ``member_id``, ``invited``, ``responded``.

    Returns
    -------
    Series
        Named :data:`ALL_MEMBERS`, indexed by :data:`REPRESENTATION_COLUMNS`: ``roster``,
        ``invited``, ``responded``, ``missing`` (counts), ``roster_share`` 1,
        ``respondent_share`` 1 (``nan`` while nobody answered), ``response_rate``,
        ``gap_points`` 0 (``nan`` while nobody answered), ``under_represented`` False.

    """
    invited = roster_flag(members, "invited")
    responded = roster_flag(members, "responded")
    n, r = len(members), int(responded.sum())
    row = _table(np.array([n]), np.array([int(invited.sum())]), np.array([r]), n, r,
                 RepresentationRule(), pd.Index([ALL_MEMBERS]))
    row["under_represented"] = False
    return row.iloc[0].rename(ALL_MEMBERS)


def _by_group(members: pd.DataFrame, attribute: str,
              rule: RepresentationRule) -> pd.DataFrame:
    """Return the representation table of every group of ``attribute`` (no overall row)."""
    codes, names = group_codes(members, attribute)
    invited = roster_flag(members, "invited")
    responded = roster_flag(members, "responded")
    g = len(names)
    roster = np.bincount(codes, minlength=g)
    inv = np.bincount(codes[invited], minlength=g)
    resp = np.bincount(codes[responded], minlength=g)
    index = pd.Index(names, dtype=object, name="group")
    return _table(roster, inv, resp, len(members), int(responded.sum()), rule, index)


def _merged(members: pd.DataFrame, attribute: str, rule: RepresentationRule,
            labels: Mapping[str, str]) -> pd.DataFrame:
    """Return the table of the merged groups, flagging a merged row whose parts are flagged."""
    parts = _by_group(members, attribute, rule)
    table = _by_group(merged_members(members, attribute, labels), attribute, rule)
    for label in table.index:
        inside = [g for g, to in labels.items() if to == label and g != label
                  and g in parts.index]
        if inside and parts.loc[inside, "under_represented"].any():
            table.loc[label, "under_represented"] = True
    return table


def representation(members: pd.DataFrame, attribute: str,
                   rule: RepresentationRule | None = None, *,
                   overall: bool = False,
                   labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Compare who answered with who is on the roster, group by group.

    Parameters
    ----------
    members : DataFrame
        ``member_id`` (unique), ``invited``, ``responded`` (booleans; missing counts as
        False) and the ``attribute`` column, as from :meth:`Store.members_frame`.
    attribute : str
        Column to group by; missing or blank values form the group ``"(not given)"``.
    rule : RepresentationRule, optional
        When a group is flagged; the defaults (gap of 10 points or more, or a response rate
        under half the overall rate) when omitted.
    overall : bool
        Append a last row :data:`ALL_MEMBERS` from :func:`representation_overall`.
    labels : mapping of str to str, optional
        The label each group is shown under
        (:attr:`cop_widgets.analysis.disclosure.GroupMerge.labels`): groups with one label
        become one row, counts added, and that row is flagged when the rule flags it or any
        group in it.

    Returns
    -------
    DataFrame
        Indexed by ``group`` (by name, ``"(not given)"`` then ``"(other groups)"`` last;
        every group with at least one member), with columns:

        ``roster``, ``invited``, ``responded``, ``missing``
            Members on the roster, with an open invitation, who answered, who did not
            (``roster - responded``).
        ``roster_share``
            ``roster / total roster``.
        ``respondent_share``
            ``responded / total responded``; ``nan`` while nobody answered.
        ``response_rate``
            ``responded / roster``.
        ``gap_points``
            ``100 * (respondent_share - roster_share)``: percentage points, negative when
            the group is under-represented among those who answered.
        ``under_represented``
            See :class:`RepresentationRule`.

    Raises
    ------
    KeyError
        If a needed column is missing.
    ValueError
        If ``member_id`` is not unique.

    """
    rule = rule or RepresentationRule()
    if labels is not None and any(to != g for g, to in labels.items()):
        table = _merged(members, attribute, rule, labels)
    else:
        table = _by_group(members, attribute, rule)
    if overall:
        total = representation_overall(members)
        table.loc[ALL_MEMBERS] = total
        table = table.astype({c: np.int64 for c in ("roster", "invited", "responded",
                                                    "missing")} | {"under_represented": bool})
    return table


def representation_all(members: pd.DataFrame, rule: RepresentationRule | None = None, *,
                       overall: bool = False) -> dict[str, pd.DataFrame]:
    """Return :func:`representation` for every attribute column of ``members``.

    Parameters
    ----------
    members : DataFrame
        As from :meth:`Store.members_frame`; attributes are the columns not in
        :data:`ROSTER_COLUMNS`.
    rule : RepresentationRule, optional
        As in :func:`representation`.
    overall : bool
        As in :func:`representation`.

    Returns
    -------
    dict of str to DataFrame
        One table per attribute, in the order of the columns.

    """
    return {attribute: representation(members, attribute, rule, overall=overall)
            for attribute in attribute_columns(members)}
