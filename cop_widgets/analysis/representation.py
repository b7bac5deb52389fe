"""Representation: who is on the roster, who answered, and weighting answers to the roster.

A joint response is only as legitimate as the voices in it. These functions show the
facilitator which groups of the community are missing from the answers, and offer a
post-stratified view of the results in which each group counts as much as its share of the
roster.

Inputs are the frames of :meth:`Store.members_frame` (one row per member: ``member_id``,
``name``, ``email``, ``external_id``, ``invited``, ``responded``, then one column per
attribute) and :meth:`Store.responses_frame` (``member_id``, ``statement_id``, ``stance``
with ``<NA>`` for a pass). Every function is pure and its result does not depend on the
order of the rows or on the values of ``member_id`` (beyond their identity).

Groups
------
A member's group for an attribute is the attribute's value as text; a missing or blank
value puts the member in the group ``"(not given)"``
(:data:`cop_widgets.analysis.summary.NOT_GIVEN`), which is a group like any other: people
who did not say their role are still people whose voice is missing. Groups are ordered by
name with ``"(not given)"`` last, as in :func:`cop_widgets.analysis.summary.by_attribute`.

Weighting
---------
Post-stratification gives every respondent of a *cell* (a combination of groups of the
chosen attributes) the weight ``roster share of the cell / respondent share of the cell``.
Weighted, every cell counts as much as it does on the roster, and the weights average 1
over respondents. A cell with members on the roster but nobody who answered cannot be
weighted up (there is no answer to weight); see :func:`poststratification_weights` for
what is done then.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..i18n import (
    Words,
    format_list,
    format_percent,
)
from . import ordinal
from .ordinal import ordered_levels
from .summary import (
    NOT_GIVEN,
    ConsensusRule,
    _level_index,
    _member_groups,
    _statement_codes,
    statement_summary,
)

if TYPE_CHECKING:
    from ..scales import Scale

__all__ = [
    "ALL_MEMBERS",
    "MEMBER_COLUMNS",
    "NOT_GIVEN",
    "REPRESENTATION_COLUMNS",
    "COMPARE_COLUMNS",
    "RepresentationRule",
    "EmptyCell",
    "WeightingResult",
    "attribute_columns",
    "representation",
    "representation_overall",
    "representation_all",
    "poststratification_weights",
    "weighted_summary",
    "weighted_columns",
    "compare_raw_weighted",
    "weighting_note",
]

MEMBER_COLUMNS = ("member_id", "name", "email", "external_id", "invited", "responded")
"""Columns of :meth:`Store.members_frame` that are not attributes."""

ALL_MEMBERS = "(all members)"
"""Label of the overall row (``representation(..., overall=True)``)."""

REPRESENTATION_COLUMNS = (
    "roster", "invited", "responded", "missing", "roster_share", "respondent_share",
    "response_rate", "gap_points", "under_represented",
)
"""Columns of :func:`representation`, in order."""

COMPARE_COLUMNS = (
    "n", "n_effective", "pct_agree_raw", "pct_agree_weighted", "difference", "class_raw",
    "class_weighted",
)
"""Columns of :func:`compare_raw_weighted`, in order."""

_TOL = 1e-9


# -- representation ---------------------------------------------------------------------


@dataclass(frozen=True)
class RepresentationRule:
    """When a group counts as under-represented among those who answered.

    Attributes
    ----------
    max_gap_points : float
        A group whose respondent share is at least this many percentage points below its
        roster share is under-represented (default 10: a group that is 30% of the roster
        and 20% or less of those who answered).
    min_rate_ratio : float
        A group whose response rate is below this fraction of the overall response rate is
        under-represented (default 0.5: under half the overall rate). Small groups rarely
        move the shares by 10 points, so this test is what catches them.
    min_roster : int
        Only groups with at least this many members on the roster are flagged.

    Notes
    -----
    A group is flagged when it has at least ``min_roster`` members on the roster **and**
    (``gap_points <= -max_gap_points`` **or**
    ``response_rate < min_rate_ratio * overall response rate``). While nobody has answered
    there is no respondent share and no group is flagged: every group is simply waiting.

    """

    max_gap_points: float = 10.0
    min_rate_ratio: float = 0.5
    min_roster: int = 1

    def __post_init__(self) -> None:
        if not self.max_gap_points >= 0:
            raise ValueError(f"max_gap_points must be non-negative, got {self.max_gap_points!r}")
        if not 0 <= self.min_rate_ratio <= 1:
            raise ValueError(f"min_rate_ratio must be in [0, 1], got {self.min_rate_ratio!r}")
        if self.min_roster < 1:
            raise ValueError(f"min_roster must be at least 1, got {self.min_roster!r}")

    def flag(self, roster: NDArray[np.int64], gap_points: NDArray[np.float64],
             response_rate: NDArray[np.float64], overall_rate: float) -> NDArray[np.bool_]:
        """Return the ``under_represented`` flag of each group (vectorised).

        Parameters
        ----------
        roster : ndarray of int
            Members of each group on the roster.
        gap_points : ndarray of float
            Respondent share minus roster share, in percentage points (``nan`` when nobody
            answered).
        response_rate : ndarray of float
            Share of each group's members who answered.
        overall_rate : float
            Share of all members who answered.

        Returns
        -------
        ndarray of bool

        """
        with np.errstate(invalid="ignore"):
            by_gap = gap_points <= -self.max_gap_points + _TOL
            by_rate = response_rate < self.min_rate_ratio * overall_rate - _TOL
        return (np.asarray(roster) >= self.min_roster) & (by_gap | by_rate)


def attribute_columns(members: pd.DataFrame) -> list[str]:
    """Return the attribute columns of a members frame (every column not in MEMBER_COLUMNS).

    Parameters
    ----------
    members : DataFrame
        As from :meth:`Store.members_frame`.

    Returns
    -------
    list of str
        In the order of the frame.

    """
    return [c for c in members.columns if c not in MEMBER_COLUMNS]


def _flags(members: pd.DataFrame, column: str) -> NDArray[np.bool_]:
    """Return a boolean column as a numpy array (missing counts as False)."""
    if column not in members.columns:
        raise KeyError(f"members have no {column!r} column")
    return members[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def _group_codes(members: pd.DataFrame, attribute: str) -> tuple[NDArray[np.intp], list[str]]:
    """Return each member's group code (in row order) and the group names.

    Names are sorted with ``NOT_GIVEN`` last; only groups with members appear.
    """
    labels = _member_groups(members, attribute).to_numpy()
    present = set(labels.tolist())
    names = sorted(present - {NOT_GIVEN})
    if NOT_GIVEN in present:
        names.append(NOT_GIVEN)
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
    invited = _flags(members, "invited")
    responded = _flags(members, "responded")
    n, r = len(members), int(responded.sum())
    row = _table(np.array([n]), np.array([int(invited.sum())]), np.array([r]), n, r,
                 RepresentationRule(), pd.Index([ALL_MEMBERS]))
    row["under_represented"] = False
    return row.iloc[0].rename(ALL_MEMBERS)


def representation(members: pd.DataFrame, attribute: str,
                   rule: RepresentationRule | None = None, *,
                   overall: bool = False) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame
        Indexed by ``group`` (by name, ``"(not given)"`` last; every group with at least one
        member), with columns:

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
    codes, names = _group_codes(members, attribute)
    invited = _flags(members, "invited")
    responded = _flags(members, "responded")
    g = len(names)
    roster = np.bincount(codes, minlength=g)
    inv = np.bincount(codes[invited], minlength=g)
    resp = np.bincount(codes[responded], minlength=g)
    index = pd.Index(names, dtype=object, name="group")
    table = _table(roster, inv, resp, len(members), int(responded.sum()), rule, index)
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
        :data:`MEMBER_COLUMNS`.
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


# -- post-stratification ----------------------------------------------------------------


class EmptyCell(NamedTuple):
    """A cell with members on the roster and nobody who answered.

    Attributes
    ----------
    cell : dict of str to str
        The group of each attribute, e.g. ``{"role": "coordinator", "region": "north"}``.
    roster : int
        Members of the cell on the roster.

    """

    cell: dict[str, str]
    roster: int


@dataclass(frozen=True)
class WeightingResult:
    """Post-stratification weights and what was done to get them.

    Attributes
    ----------
    weights : Series
        Float weights named ``"weight"``, indexed by ``member_id``, one per respondent on the
        roster (roster order). They average 1; all 1 when the answers are not weighted.
    empty_cells : list of EmptyCell
        Cells of the *requested* crossing of attributes with members on the roster but
        nobody who answered, in cell order.
    note : str
        What was done, in plain words.
    attributes : tuple of str
        The attributes asked for.
    used : tuple of str
        The attributes the weights were built on; empty when not weighted.
    cells : DataFrame
        One row per cell of ``used`` (indexed by those attributes), with ``roster``,
        ``respondents``, ``roster_share``, ``respondent_share``, ``weight``; empty when not
        weighted.
    unmatched : int
        Respondents given who are not on the roster (left out of ``weights``).

    """

    weights: pd.Series
    empty_cells: list[EmptyCell]
    note: str
    attributes: tuple[str, ...]
    used: tuple[str, ...]
    cells: pd.DataFrame
    unmatched: int = 0

    @property
    def weighted(self) -> bool:
        """Whether the answers are weighted at all."""
        return bool(self.used)


class _Crossing(NamedTuple):
    """Cells of a crossing of attributes, with per-member cell codes."""

    attributes: tuple[str, ...]
    member_cell: NDArray[np.intp]  # cell of each member, roster order
    labels: list[tuple[str, ...]]  # group names of each cell
    roster: NDArray[np.int64]
    respondents: NDArray[np.int64]


def _crossing(codes: dict[str, NDArray[np.intp]], names: dict[str, list[str]],
              attributes: tuple[str, ...], responded: NDArray[np.bool_]) -> _Crossing:
    stacked = np.column_stack([codes[a] for a in attributes])
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1).astype(np.intp)
    c = len(unique)
    labels = [tuple(names[a][i] for a, i in zip(attributes, row, strict=True))
              for row in unique.tolist()]
    return _Crossing(attributes, inverse, labels, np.bincount(inverse, minlength=c),
                     np.bincount(inverse[responded], minlength=c))


class _Words(Words):
    """The words of one language (English by default), with members counted."""

    def members(self, count: int) -> str:
        return self.ngettext("{count} member", "{count} members", count).format(
            count=self.number(count))


def _cell_words(attributes: Sequence[str], labels: Sequence[str],
                words: _Words | None = None) -> str:
    """E.g. ``role coordinator and region not given``."""
    words = words or _Words()
    _ = words.gettext
    return format_list((_("{attribute} not given").format(attribute=a) if v == NOT_GIVEN
                        else _("{attribute} {value}").format(attribute=a, value=v)
                        for a, v in zip(attributes, labels, strict=True)), words.language)


def _members_words(attributes: Sequence[str], labels: Sequence[str],
                   words: _Words | None = None) -> str:
    """E.g. ``Members whose role is coordinator and who did not give their region``."""
    words = words or _Words()
    _ = words.gettext
    parts = [_("who did not give their {attribute}").format(attribute=a) if v == NOT_GIVEN
             else _("whose {attribute} is {value}").format(attribute=a, value=v)
             for a, v in zip(attributes, labels, strict=True)]
    return _("Members {conditions}").format(conditions=format_list(parts, words.language))


def _describe(attributes: tuple[str, ...], empty: Sequence[EmptyCell],
              used: tuple[str, ...], respondents: int, unmatched: int,
              words: _Words | None = None) -> str:
    """Say what the weighting did: the ``note`` of a :class:`WeightingResult`.

    ``respondents`` are those on the roster who answered; ``used`` is empty when the
    answers are not weighted.
    """
    words = words or _Words()
    _, ngettext, number = words.gettext, words.ngettext, words.number
    after = ("" if not unmatched else " " + ngettext(
        "{count} person who answered is not on the roster and left out of the weighting.",
        "{count} people who answered are not on the roster and left out of the weighting.",
        unmatched).format(count=number(unmatched)))
    if respondents == 0:
        return _("Nobody on the roster has answered yet, so there is nothing to weight.") \
            + after
    crossing_words = " × ".join(attributes)
    used_words = " × ".join(used)
    if not empty:
        return _("Answers are weighted by {attributes} so that each group counts as much as "
                 "its share of the roster.").format(attributes=used_words) + after
    listed = [_("{cell}: {members} on the roster").format(
        cell=_cell_words(attributes, tuple(e.cell.values()), words),
        members=words.members(e.roster)) for e in empty[:5]]
    if len(empty) > 5:
        listed.append(_("and {count} more").format(count=number(len(empty) - 5)))
    if len(attributes) == 1:
        head = ngettext(
            "{count} group of {attributes} has members on the roster but nobody who answered "
            "({cells}), so no answer can stand in for those members",
            "{count} groups of {attributes} have members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members", len(empty))
    else:
        head = ngettext(
            "{count} combination of {attributes} has members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members",
            "{count} combinations of {attributes} have members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members", len(empty))
    head = head.format(count=number(len(empty)), attributes=crossing_words,
                       cells="; ".join(listed))
    if not used:
        return _("{head}; even one attribute at a time some group has nobody who answered, "
                 "so the results are not weighted: every answer counts once.").format(
            head=head) + after
    return _("{head}; the weighting uses {attributes} instead, so that each {attributes} "
             "group counts as much as its share of the roster.").format(
        head=head, attributes=used_words) + after


def _no_weighting(ids: NDArray, responded: NDArray[np.bool_], attributes: tuple[str, ...],
                  empty: list[EmptyCell], note: str, unmatched: int) -> WeightingResult:
    weights = pd.Series(np.ones(int(responded.sum())), index=pd.Index(ids[responded],
                        name="member_id"), name="weight", dtype=np.float64)
    return WeightingResult(weights, empty, note, attributes, (), pd.DataFrame(), unmatched)


def poststratification_weights(members: pd.DataFrame, attributes: str | Sequence[str], *,
                               respondents: Iterable[object] | None = None
                               ) -> WeightingResult:
    """Weight respondents so that each cell of the attributes counts as on the roster.

    A respondent in cell ``c`` gets ``(N_c / N) / (n_c / n)``, with ``N_c`` and ``n_c`` the
    roster members and the respondents of the cell, ``N`` and ``n`` the totals. The weights
    average 1 over respondents, so a weighted count is on the scale of a raw count.

    Parameters
    ----------
    members : DataFrame
        ``member_id`` (unique), the attribute columns and, unless ``respondents`` is given,
        ``responded``.
    attributes : str or sequence of str
        One attribute or several; cells are the combinations of their groups that occur
        on the roster (missing values are the group ``"(not given)"``). Order matters for
        the fallback: attributes listed first are kept longest.
    respondents : iterable, optional
        The ``member_id`` of those who answered, instead of the ``responded`` column (e.g.
        the members present in a responses frame). Ids not on the roster are counted in
        ``unmatched`` and left out.

    Returns
    -------
    WeightingResult
        ``weights``, ``empty_cells``, ``note`` and what was used.

    Notes
    -----
    A cell with members on the roster and no respondent cannot be weighted: its share of
    the roster would have to be carried by nobody. Such cells of the requested crossing are
    listed in ``empty_cells`` and the weighting falls back, in this order:

    1. the crossing of all the attributes, if it has no empty cell;
    2. otherwise the crossings of fewer attributes, largest first; among crossings of the
       same size, the one keeping the attributes listed earliest; the first with no empty
       cell is used (so two attributes fall back to the first alone, then the second
       alone);
    3. otherwise no weighting: every weight is 1 and the weighted results equal the raw
       ones.

    The ``note`` says in plain words which of these happened and which cells were empty.
    While nobody has answered there is nothing to weight: ``weights`` is empty.

    Raises
    ------
    KeyError
        If an attribute (or ``responded``) is not a column of ``members``.
    ValueError
        If no attribute is given, one is given twice, or ``member_id`` is not unique.

    """
    attrs = (attributes,) if isinstance(attributes, str) else tuple(attributes)
    if not attrs:
        raise ValueError("give at least one attribute to weight by")
    if len(set(attrs)) != len(attrs):
        raise ValueError(f"attributes given twice: {list(attrs)}")
    codes: dict[str, NDArray[np.intp]] = {}
    names: dict[str, list[str]] = {}
    for a in attrs:
        codes[a], names[a] = _group_codes(members, a)
    ids = members["member_id"].to_numpy()
    unmatched = 0
    if respondents is None:
        responded = _flags(members, "responded")
    else:
        given = pd.unique(pd.Series(list(respondents), dtype=object))
        on_roster = pd.Index(ids).isin(given)
        responded = np.asarray(on_roster, dtype=bool)
        unmatched = len(given) - int(responded.sum())
    n_roster, n_resp = len(members), int(responded.sum())
    if n_resp == 0:
        return _no_weighting(ids, responded, attrs, [],
                             _describe(attrs, [], (), n_resp, unmatched), unmatched)

    full = _crossing(codes, names, attrs, responded)
    empty = [EmptyCell(dict(zip(attrs, lab, strict=True)), int(r))
             for lab, r, s in zip(full.labels, full.roster, full.respondents, strict=True)
             if s == 0]
    chosen: _Crossing | None = None
    if not empty:
        chosen = full
    else:
        for size in range(len(attrs) - 1, 0, -1):
            for subset in itertools.combinations(attrs, size):
                candidate = _crossing(codes, names, subset, responded)
                if (candidate.respondents > 0).all():
                    chosen = candidate
                    break
            if chosen is not None:
                break

    if chosen is None:
        note = _describe(attrs, empty, (), n_resp, unmatched)
        return _no_weighting(ids, responded, attrs, empty, note, unmatched)

    weight_of_cell = ((chosen.roster * n_resp) / (n_roster * chosen.respondents)
                      ).astype(np.float64)
    weights = pd.Series(weight_of_cell[chosen.member_cell[responded]],
                        index=pd.Index(ids[responded], name="member_id"), name="weight")
    cells = pd.DataFrame({
        "roster": chosen.roster, "respondents": chosen.respondents,
        "roster_share": chosen.roster / n_roster,
        "respondent_share": chosen.respondents / n_resp, "weight": weight_of_cell,
    }, index=pd.MultiIndex.from_tuples(chosen.labels, names=list(chosen.attributes))
        if len(chosen.attributes) > 1
        else pd.Index([lab[0] for lab in chosen.labels], dtype=object,
                      name=chosen.attributes[0]))
    note = _describe(attrs, empty, chosen.attributes, n_resp, unmatched)
    return WeightingResult(weights, empty, note, attrs, chosen.attributes, cells, unmatched)


# -- weighted figures -------------------------------------------------------------------


def weighted_columns(scale: Scale) -> tuple[str, ...]:
    """Return the columns of :func:`weighted_summary` for ``scale``, in order.

    Parameters
    ----------
    scale : Scale
        The consultation's scale.

    Returns
    -------
    tuple of str
        With one ``share_<value>`` column per level, least agreement first.

    """
    shares = tuple(f"share_{v}" for v in ordered_levels(scale).values.tolist())
    return ("n", "n_stance", "n_effective", "pass_share", *shares, "pct_agree",
            "pct_disagree", "median", "iqr", "consensus", "agreement", "class", "direction")


def _weight_array(weights: pd.Series | WeightingResult) -> pd.Series:
    series = weights.weights if isinstance(weights, WeightingResult) else weights
    if not series.index.is_unique:
        raise ValueError("weights must have one entry per member_id")
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("weights must be finite and non-negative")
    return pd.Series(values, index=series.index)


def weighted_summary(responses: pd.DataFrame, weights: pd.Series | WeightingResult,
                     scale: Scale, rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Summarise the stances on each statement with every answer weighted by its member.

    The weighted counterpart of :func:`cop_widgets.analysis.summary.statement_summary`:
    indexed the same way, so that raw and weighted figures can be shown side by side.

    Parameters
    ----------
    responses : DataFrame
        ``member_id``, ``statement_id``, ``stance`` (``<NA>`` = pass).
    weights : Series or WeightingResult
        Non-negative weight per ``member_id`` (e.g. from
        :func:`poststratification_weights`). Answers of members with no weight are left
        out. Only ratios of weights matter.
    scale : Scale
        The consultation's scale; a stance not on it raises ``ValueError``.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.

    Returns
    -------
    DataFrame
        Indexed by ``statement_id`` (ascending; every statement of ``responses``, even one
        whose answers were all left out), columns :func:`weighted_columns`:

        ``n``, ``n_stance``
            Answers (passes included) and stances that carry a weight (plain counts).
        ``n_effective``
            Kish's effective number of stances ``(Σw)² / Σw²``: how many unweighted
            stances carry as much information; equal to ``n_stance`` when all weights are
            equal.
        ``pass_share``
            Weighted share of passes among the answers.
        ``share_<value>``
            Weighted share of the stances on each level (least agreement first; passes
            excluded, so they sum to 1).
        ``pct_agree``, ``pct_disagree``
            Weighted shares of stances agreeing / disagreeing.
        ``median``, ``iqr``, ``consensus``, ``agreement``
            :mod:`ordinal` measures on the weighted distribution (the median is the
            weighted median of the level values, midpoint at an exact tie).
        ``class``, ``direction``
            As in :class:`ConsensusRule`, from the weighted figures.

        Measures are ``nan`` and the class ``"no answers"`` where no weighted stance
        remains.

    """
    rule = rule or ConsensusRule()
    w_series = _weight_array(weights)
    levels = ordered_levels(scale)
    k = len(levels.values)
    codes, index = _statement_codes(responses["statement_id"])
    level = _level_index(responses["stance"], levels.values)
    m = len(index)
    found = w_series.index.get_indexer(pd.Index(responses["member_id"]))
    has = found >= 0
    w = np.where(has, w_series.to_numpy()[np.maximum(found, 0)], 0.0)
    tally = np.bincount(codes * (k + 1) + level, weights=w,
                        minlength=m * (k + 1)).reshape(m, k + 1)
    stance = has & (level < k)
    n = np.bincount(codes[has], minlength=m)
    n_stance = np.bincount(codes[stance], minlength=m)
    sw = np.bincount(codes[stance], weights=w[stance], minlength=m)
    sw2 = np.bincount(codes[stance], weights=w[stance] ** 2, minlength=m)
    counts = tally[:, :-1]
    total = tally.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_effective = np.where(sw2 > 0, sw ** 2 / sw2, np.where(n_stance > 0, 0.0, np.nan))
        pass_share = tally[:, -1] / total
        shares = counts / counts.sum(axis=1)[:, np.newaxis]
    pct_agree = np.asarray(ordinal.percent_agreement(counts, levels.polarity, 1), np.float64)
    pct_disagree = np.asarray(ordinal.percent_agreement(counts, levels.polarity, -1),
                              np.float64)
    iqr = np.asarray(ordinal.iqr(counts, levels.values), dtype=np.float64)
    agreement = np.asarray(ordinal.van_der_eijk(counts), dtype=np.float64)
    classes, directions = rule.classify(pct_agree, pct_disagree, iqr, agreement, scale)
    data: dict[str, object] = {
        "n": n.astype(np.int64), "n_stance": n_stance.astype(np.int64),
        "n_effective": n_effective, "pass_share": pass_share,
    }
    for j, v in enumerate(levels.values.tolist()):
        data[f"share_{v}"] = shares[:, j]
    data |= {
        "pct_agree": pct_agree, "pct_disagree": pct_disagree,
        "median": np.asarray(ordinal.median(counts, levels.values), dtype=np.float64),
        "iqr": iqr,
        "consensus": np.asarray(ordinal.tastle_wierman(counts, levels.values), np.float64),
        "agreement": agreement, "class": classes, "direction": directions,
    }
    return pd.DataFrame(data, index=index)


def compare_raw_weighted(responses: pd.DataFrame, members: pd.DataFrame,
                         attributes: str | Sequence[str], scale: Scale,
                         rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Put raw and post-stratified agreement side by side, statement by statement.

    The respondents are the members present in ``responses`` (so the comparison is between
    the same answers counted two ways); they are weighted with
    :func:`poststratification_weights` on ``attributes``, with its fallback.

    Parameters
    ----------
    responses : DataFrame
        ``member_id``, ``statement_id``, ``stance``.
    members : DataFrame
        The roster: ``member_id`` and the attribute columns.
    attributes : str or sequence of str
        Attributes to weight by.
    scale : Scale
        The consultation's scale.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.

    Returns
    -------
    DataFrame
        Indexed by ``statement_id`` (ascending), columns :data:`COMPARE_COLUMNS`:

        ``n``
            Answers, passes included (raw).
        ``n_effective``
            Kish's effective number of weighted stances.
        ``pct_agree_raw``, ``pct_agree_weighted``
            Share of stances agreeing, unweighted and weighted.
        ``difference``
            ``pct_agree_weighted - pct_agree_raw`` (a share: 0.05 is 5 points).
        ``class_raw``, ``class_weighted``
            The consensus class each way.

        Answers of members not on the roster count in the raw figures only.

    """
    result = poststratification_weights(members, attributes,
                                        respondents=pd.unique(responses["member_id"]))
    raw = statement_summary(responses, scale, rule)
    weighted = weighted_summary(responses, result, scale, rule)
    return pd.DataFrame({
        "n": raw["n"], "n_effective": weighted["n_effective"],
        "pct_agree_raw": raw["pct_agree"], "pct_agree_weighted": weighted["pct_agree"],
        "difference": weighted["pct_agree"] - raw["pct_agree"],
        "class_raw": raw["class"], "class_weighted": weighted["class"],
    }, index=raw.index)


# -- plain words ------------------------------------------------------------------------


def _pct(share: float, words: _Words | None = None) -> str:
    words = words or _Words()
    if 0 < share < 0.005:
        return words.gettext("under {percent}").format(
            percent=format_percent(0.01, words.language))
    return format_percent(share, words.language)


def _times(weight: float, words: _Words | None = None) -> str:
    """How much more (or less) one answer counts, in words."""
    words = words or _Words()
    _ = words.gettext
    if abs(weight - 1) < 0.05:
        return _("about as much as an average answer")
    if weight > 1:
        rounded = round(weight, 1)
        if rounded == 2:
            return _("about twice as much")
        return _("about {times} times as much").format(times=words.number(rounded))
    if abs(weight - 0.5) < 0.05:
        return _("about half as much")
    return _("about {percent} as much").format(percent=format_percent(weight, words.language))


def weighting_note(result: WeightingResult, max_groups: int = 4, *,
                   language: str | None = None) -> str:
    """Explain in plain words what the weighting does for this data.

    Parameters
    ----------
    result : WeightingResult
        From :func:`poststratification_weights`.
    max_groups : int
        Describe at most this many groups, those whose answers are adjusted most.
    language : str, optional
        The language of the paragraph (English by default, where it begins with
        ``result.note``); numbers and percentages are written the way it writes them.

    Returns
    -------
    str
        One paragraph: what was weighted (and any empty cell or fallback), the groups whose
        answers count more or less and by how much, and the effective number of answers.

    """
    words = _Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    parts = [_describe(result.attributes, result.empty_cells, result.used,
                       len(result.weights), result.unmatched, words)]
    if not result.weighted:
        if len(result.weights):
            parts.append(_("Raw and weighted results are the same."))
        return " ".join(parts)
    cells = result.cells
    weight = cells["weight"].to_numpy(dtype=np.float64)
    distortion = np.abs(np.log(weight))
    order = np.argsort(-distortion, kind="stable")
    notable = [i for i in order if distortion[i] >= math.log(1.1)]
    if not notable:
        parts.append(_("Those who answered mirror the roster closely (no group's answers "
                       "count more than {percent} more or less), so weighting changes "
                       "little.").format(percent=format_percent(0.1, words.language)))
    for i in notable[:max_groups]:
        label = cells.index[i]
        labels = label if isinstance(label, tuple) else (label,)
        rs, ps = float(cells["roster_share"].iloc[i]), float(cells["respondent_share"].iloc[i])
        parts.append(_("{members} are {roster_share} of the roster but {answered_share} of "
                       "those who answered, so each of their answers counts {times} in the "
                       "weighted results.").format(
            members=_members_words(result.used, labels, words),
            roster_share=_pct(rs, words), answered_share=_pct(ps, words),
            times=_times(float(weight[i]), words)))
    if len(notable) > max_groups:
        others = len(notable) - max_groups
        parts.append(ngettext("{count} other group is adjusted less.",
                              "{count} other groups are adjusted less.", others).format(
            count=number(others)))
    w = result.weights.to_numpy(dtype=np.float64)
    n = len(w)
    effective = float(w.sum() ** 2 / (w ** 2).sum())
    if notable and effective < n - 0.5:
        parts.append(ngettext(
            "Because some answers count more than others, the {count} answer carries about "
            "as much information as {effective} unweighted one; small groups weighted up "
            "make the weighted figures less certain.",
            "Because some answers count more than others, the {count} answers carry about "
            "as much information as {effective} unweighted ones; small groups weighted up "
            "make the weighted figures less certain.", n).format(
            count=number(n), effective=number(round(effective))))
    return " ".join(parts)
