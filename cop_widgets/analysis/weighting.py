"""Weighting answers to the roster: post-stratification weights and weighted figures.

Post-stratification gives every respondent of a *cell* (a combination of groups of the
chosen attributes) the weight ``roster share of the cell / respondent share of the cell``.
Weighted, every cell counts as much as it does on the roster, and the weights average 1
over respondents. A cell with members on the roster but nobody who answered cannot be
weighted up (there is no answer to weight); see :func:`poststratification_weights` for
what is done then.

Inputs are the frames of :meth:`Store.members_frame` and :meth:`Store.responses_frame`
(``member_id``, ``statement_id``, ``stance`` with ``<NA>`` for a pass); groups are those of
:mod:`cop_widgets.analysis.representation`. In an anonymous consultation the analysis
service weights by the groups as shown, the small ones merged into ``"(other groups)"``
(:mod:`cop_widgets.analysis.disclosure`): raw and weighted figures side by side are two
sums over the groups, and with a small group as a cell of its own they would give its
figures away. Merging sparse cells is also what survey weighting does with them. Results
are numbers and codes: the sentences that explain a weighting are written by
:mod:`cop_widgets.words.weighting`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .ordinal import ordered_levels
from .representation import group_codes, roster_flag
from .summary import ConsensusRule, statement_summary
from .summary.statements import level_index, stance_measures, statement_codes

if TYPE_CHECKING:
    from ..scales import Scale

__all__ = [
    "COMPARE_COLUMNS",
    "WEIGHTING_NOTES",
    "EmptyCell",
    "WeightingResult",
    "poststratification_weights",
    "weighted_summary",
    "weighted_columns",
    "compare_raw_weighted",
]

COMPARE_COLUMNS = (
    "n", "n_effective", "pct_agree_raw", "pct_agree_weighted", "difference", "class_raw",
    "class_weighted",
)
"""Columns of :func:`compare_raw_weighted`, in order."""

WEIGHTING_NOTES = ("nobody-answered", "weighted", "fallback", "not-weighted")
"""Every value of :attr:`WeightingResult.note`."""


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
    attributes: tuple[str, ...]
    used: tuple[str, ...]
    cells: pd.DataFrame
    unmatched: int = 0

    @property
    def weighted(self) -> bool:
        """Whether the answers are weighted at all."""
        return bool(self.used)

    @property
    def note(self) -> str:
        """What was done, as a code of :data:`WEIGHTING_NOTES`.

        ``"nobody-answered"`` (nothing to weight), ``"weighted"`` (by every attribute
        asked for), ``"fallback"`` (by fewer attributes, because of ``empty_cells``) or
        ``"not-weighted"`` (even one attribute at a time some group has nobody who
        answered). :func:`cop_widgets.words.weighting.weighting_note` says it in words.
        """
        if not len(self.weights):
            return "nobody-answered"
        if not self.used:
            return "not-weighted"
        return "fallback" if self.empty_cells else "weighted"


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


def _no_weighting(ids: NDArray, responded: NDArray[np.bool_], attributes: tuple[str, ...],
                  empty: list[EmptyCell], unmatched: int) -> WeightingResult:
    weights = pd.Series(np.ones(int(responded.sum())), index=pd.Index(ids[responded],
                        name="member_id"), name="weight", dtype=np.float64)
    return WeightingResult(weights, empty, attributes, (), pd.DataFrame(), unmatched)


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
        ``weights``, ``empty_cells``, what was used, and ``note``, a code for what was
        done.

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

    The ``note`` says which of these happened (a code; ``empty_cells`` lists the cells).
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
        codes[a], names[a] = group_codes(members, a)
    ids = members["member_id"].to_numpy()
    unmatched = 0
    if respondents is None:
        responded = roster_flag(members, "responded")
    else:
        given = pd.unique(pd.Series(list(respondents), dtype=object))
        on_roster = pd.Index(ids).isin(given)
        responded = np.asarray(on_roster, dtype=bool)
        unmatched = len(given) - int(responded.sum())
    n_roster, n_resp = len(members), int(responded.sum())
    if n_resp == 0:
        return _no_weighting(ids, responded, attrs, [], unmatched)

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
        return _no_weighting(ids, responded, attrs, empty, unmatched)

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
    return WeightingResult(weights, empty, attrs, chosen.attributes, cells, unmatched)


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
    scale, rule
        As in :func:`cop_widgets.analysis.summary.statement_summary`.

    Returns
    -------
    DataFrame
        Indexed by ``statement_id`` (ascending; every statement of ``responses``, even one
        whose answers were all left out), columns :func:`weighted_columns`:

        ``n``, ``n_stance``
            Answers (passes included) and ordinal stances that carry a weight (plain
            counts).
        ``n_effective``
            Kish's effective number of stances ``(Σw)² / Σw²``: how many unweighted
            stances carry as much information; equal to ``n_stance`` when all weights are
            equal.
        ``pass_share``
            Weighted share of passes among the answers.
        ``share_<value>``
            Weighted share of the ordinal stances on each ordinal level (least agreement
            first; passes and categories excluded, so they sum to 1); on a level that is
            a category of its own (Kaner's "Abstain", "More discussion needed"), its
            weighted share of all answers, passes included.
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
    w_series = _weight_array(weights)
    levels = ordered_levels(scale)
    k = len(levels.values)
    codes, index = statement_codes(responses["statement_id"])
    level = level_index(responses["stance"], levels.values)
    m = len(index)
    found = w_series.index.get_indexer(pd.Index(responses["member_id"]))
    has = found >= 0
    w = np.where(has, w_series.to_numpy()[np.maximum(found, 0)], 0.0)
    tally = np.bincount(codes * (k + 1) + level, weights=w,
                        minlength=m * (k + 1)).reshape(m, k + 1)
    stance = has & (level < k)
    stance[stance] = levels.ordinal[level[stance]]  # ordinal stances: the categories apart
    n = np.bincount(codes[has], minlength=m)
    n_stance = np.bincount(codes[stance], minlength=m)
    sw = np.bincount(codes[stance], weights=w[stance], minlength=m)
    sw2 = np.bincount(codes[stance], weights=w[stance] ** 2, minlength=m)
    counts = tally[:, :-1]
    total = tally.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_effective = np.where(sw2 > 0, sw ** 2 / sw2, np.where(n_stance > 0, 0.0, np.nan))
        pass_share = tally[:, -1] / total
        ordinal_total = counts[:, levels.ordinal].sum(axis=1)[:, np.newaxis]
        # a level's share of the ordinal stances; a category's share of all answers
        shares = np.where(levels.ordinal, counts / ordinal_total,
                          counts / total[:, np.newaxis])
    data: dict[str, object] = {
        "n": n.astype(np.int64), "n_stance": n_stance.astype(np.int64),
        "n_effective": n_effective, "pass_share": pass_share,
    }
    for j, v in enumerate(levels.values.tolist()):
        data[f"share_{v}"] = shares[:, j]
    data |= stance_measures(counts, scale, rule, passes=tally[:, -1])
    return pd.DataFrame(data, index=index)[list(weighted_columns(scale))]


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
