"""Per-statement summaries of stances: shares, ordinal measures and a consensus class.

Input is the frame of :meth:`Store.responses_frame`: one row per member and answered
statement, with columns ``member_id``, ``statement_id`` and ``stance`` (nullable integer,
``<NA>`` is a pass); other columns are ignored. Member attributes come from
:meth:`Store.members_frame`. Every function is pure: the result depends only on the multiset
of (member, statement, stance) rows, so shuffling rows or renaming members changes nothing.
Statements appear in ascending ``statement_id`` order.

Counting
--------
``n`` counts answers including passes; ``n_stance`` counts stances (non-pass answers) and is
the base of every share of stances and every ordinal measure; ``pass_share = n_pass / n``.
A statement whose answers are all passes has ``nan`` measures and class ``"no answers"``.

Classes (see :class:`ConsensusRule`)
------------------------------------
``"consensus"``, ``"polarised"``, ``"leaning"``, ``"divided"`` or ``"no answers"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from . import ordinal
from .ordinal import ordered_levels

if TYPE_CHECKING:
    from ..scales import Scale

__all__ = [
    "CLASSES",
    "MIN_GROUP_SIZE",
    "NOT_GIVEN",
    "SUMMARY_COLUMNS",
    "ConsensusRule",
    "classify",
    "statement_summary",
    "stance_distribution",
    "by_attribute",
    "cruxes",
]

NOT_GIVEN = "(not given)"
#: Groups of a member attribute with fewer answering members than this are left out of a
#: comparison by attribute that others read (the exports, the proposed draft, an anonymous
#: consultation's dashboard), so that no one's stance is singled out.
MIN_GROUP_SIZE = 3
"""Group of the members who did not give the attribute (in :func:`by_attribute`)."""

CLASSES = ("consensus", "leaning", "divided", "polarised", "no answers")
"""Every value of the ``class`` column."""

SUMMARY_COLUMNS = (
    "n", "n_pass", "n_stance", "pass_share", "agree", "neutral", "disagree", "pct_agree",
    "pct_disagree", "median", "iqr", "consensus", "agreement", "dispersion", "class",
    "direction", "divergence",
)
"""Columns of :func:`statement_summary`, in order."""

CRUX_COLUMNS = (
    "statement_id", "spread", "pct_agree_max_group", "pct_agree_min_group", "group_high",
    "group_low", "mean_high", "mean_low", "n_groups",
)


@dataclass(frozen=True)
class ConsensusRule:
    """Thresholds that sort statements into classes.

    Attributes
    ----------
    min_agree : float
        Share of stances on one side needed for consensus (Delphi's usual 75%).
    max_disagree : float
        Largest share of stances on the other side that consensus tolerates.
    max_iqr : float
        Largest interquartile range for consensus, stated in steps of a 5-point scale. On a
        ``k``-level scale the limit is ``max_iqr * (k - 1) / 4`` steps between adjacent
        levels (1 step on likert5, 1.75 on kaner8, 0.25 on agree_disagree). The IQR is
        measured on the level values and converted to steps by dividing by the value step
        ``(X_max - X_min) / (k - 1)`` (1 on likert5 and kaner8, 2 on agree_disagree).
    polarised_below : float
        A statement whose van der Eijk agreement A is below this is polarised.
    polarised_below_two_levels : float
        The same threshold for two-level scales (agree / disagree), where A reads
        ``1 - 4 * min(share agreeing, share disagreeing)``: every split beyond 75/25 has
        A < 0 there, so the default -0.6 calls polarised only splits closer than 60/40
        (a 70/30 split is "leaning", as on a 5-point scale answered only at the ends).

    Notes
    -----
    Each statement gets the first class whose test it passes, in this order:

    1. ``"no answers"``: no stance (only passes, or nothing).
    2. ``"consensus"``: IQR within the limit and either (share agreeing >= ``min_agree`` and
       share disagreeing <= ``max_disagree``), direction ``"agree"``, or the mirror (share
       disagreeing >= ``min_agree`` and share agreeing <= ``max_disagree``), direction
       ``"disagree"``: consensus *against* the statement is consensus too.
    3. ``"polarised"``: A < ``polarised_below`` (``polarised_below_two_levels`` on a
       two-level scale).
    4. ``"leaning"``: one side holds at least half of the stances and more than the other
       side (an exact tie between the sides is not leaning); direction is that side.
    5. ``"divided"``: anything else.

    Consensus is tested before polarisation because a consensus with a small opposing
    minority at the far end may have a low A; a statement cannot pass both tests with the
    default thresholds, since 85% on one end and 15% on the other already gives A = 0.4.

    """

    min_agree: float = 0.75
    max_disagree: float = 0.15
    max_iqr: float = 1.0
    polarised_below: float = 0.0
    polarised_below_two_levels: float = -0.6

    def __post_init__(self) -> None:
        for name in ("min_agree", "max_disagree"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, got {value!r}")
        if not self.max_iqr >= 0:
            raise ValueError(f"max_iqr must be non-negative, got {self.max_iqr!r}")
        for name in ("polarised_below", "polarised_below_two_levels"):
            if not -1 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in [-1, 1], got {getattr(self, name)!r}")

    def iqr_limit(self, n_levels: int) -> float:
        """Return the IQR limit in steps between adjacent levels of an ``n_levels`` scale."""
        return self.max_iqr * (n_levels - 1) / 4

    def classify(self, pct_agree: ArrayLike, pct_disagree: ArrayLike, iqr: ArrayLike,
                 agreement: ArrayLike, scale: Scale) -> tuple[NDArray[np.object_],
                                                              NDArray[np.object_]]:
        """Classify statements from their shares and measures (vectorised).

        Parameters
        ----------
        pct_agree, pct_disagree : array_like of float
            Shares of stances agreeing / disagreeing (``nan`` when there is no stance).
        iqr : array_like of float
            Interquartile range on the scale's values.
        agreement : array_like of float
            Van der Eijk's A.
        scale : Scale
            The scale the stances are on.

        Returns
        -------
        classes : ndarray of str
            One of :data:`CLASSES` per statement.
        directions : ndarray of object
            ``"agree"`` or ``"disagree"`` for consensus and leaning statements, else None.

        """
        agree = np.asarray(pct_agree, dtype=np.float64)
        disagree = np.asarray(pct_disagree, dtype=np.float64)
        a = np.asarray(agreement, dtype=np.float64)
        values = ordered_levels(scale).values
        k = len(values)
        step = (values[-1] - values[0]) / (k - 1) if k > 1 else 1.0
        steps = np.asarray(iqr, dtype=np.float64) / step
        none = np.isnan(agree) | np.isnan(disagree)
        with np.errstate(invalid="ignore"):
            narrow = steps <= self.iqr_limit(k) + 1e-12
            cons_agree = narrow & (agree >= self.min_agree) & (disagree <= self.max_disagree)
            cons_disagree = (narrow & (disagree >= self.min_agree)
                             & (agree <= self.max_disagree) & ~cons_agree)
            threshold = self.polarised_below if k > 2 else self.polarised_below_two_levels
            polarised = a < threshold
            lean_agree = (agree >= 0.5) & (agree > disagree)
            lean_disagree = (disagree >= 0.5) & (disagree > agree)
        consensus = cons_agree | cons_disagree
        classes = np.select(
            [none, consensus, polarised, lean_agree | lean_disagree],
            ["no answers", "consensus", "polarised", "leaning"], "divided",
        ).astype(object)
        directions = np.full(agree.shape, None, dtype=object)
        directed = ~none & (consensus | (~polarised & (lean_agree | lean_disagree)))
        up = np.where(consensus, cons_agree, lean_agree)
        directions[directed & up] = "agree"
        directions[directed & ~up] = "disagree"
        return classes, directions


def classify(summary: pd.DataFrame, scale: Scale,
             rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Re-classify an existing summary, e.g. with a different rule.

    Parameters
    ----------
    summary : DataFrame
        With columns ``pct_agree``, ``pct_disagree``, ``iqr``, ``agreement`` (from
        :func:`statement_summary` or :func:`by_attribute`).
    scale : Scale
        The scale of the stances.
    rule : ConsensusRule, optional
        Thresholds; the defaults when omitted.

    Returns
    -------
    DataFrame
        Columns ``class`` and ``direction``, on the index of ``summary``.

    """
    rule = rule or ConsensusRule()
    classes, directions = rule.classify(summary["pct_agree"], summary["pct_disagree"],
                                        summary["iqr"], summary["agreement"], scale)
    return pd.DataFrame({"class": classes, "direction": directions}, index=summary.index)


# -- counting ---------------------------------------------------------------------------


def _level_index(stance: pd.Series, values: NDArray[np.int64]) -> NDArray[np.intp]:
    """Map stances to level positions (least agreement first); passes map to ``len(values)``."""
    raw = pd.to_numeric(stance).to_numpy(dtype=np.float64, na_value=np.nan)
    is_pass = np.isnan(raw)
    k = len(values)
    pos = np.searchsorted(values, np.where(is_pass, values[0], raw))
    pos = np.minimum(pos, k - 1)
    bad = ~is_pass & (values[pos] != raw)
    if bad.any():
        wrong = sorted(set(raw[bad].tolist()))[:5]
        raise ValueError(f"stances not on the scale: {wrong} (values {values.tolist()})")
    return np.where(is_pass, k, pos)


def _statement_codes(statement_id: pd.Series) -> tuple[NDArray[np.intp], pd.Index]:
    codes, uniques = pd.factorize(statement_id, sort=True)
    if (codes < 0).any():
        raise ValueError("statement_id must not be missing")
    return codes, pd.Index(uniques, name="statement_id")


def _tally(keys: NDArray[np.intp], level: NDArray[np.intp], n_keys: int,
           k: int) -> NDArray[np.int64]:
    """Count rows per key and level; column ``k`` holds passes. Shape ``(n_keys, k + 1)``."""
    flat = keys.astype(np.int64) * (k + 1) + level
    return np.bincount(flat, minlength=n_keys * (k + 1)).reshape(n_keys, k + 1)


def _summarise(tally: NDArray[np.int64], scale: Scale, rule: ConsensusRule | None,
               index: pd.Index) -> pd.DataFrame:
    """Build the summary columns from a tally of shape ``(m, k + 1)``."""
    rule = rule or ConsensusRule()
    levels = ordered_levels(scale)
    counts = tally[:, :-1]
    n_pass = tally[:, -1]
    n_stance = counts.sum(axis=1)
    n = n_stance + n_pass
    pol = levels.polarity
    agree = counts[:, pol == 1].sum(axis=1)
    neutral = counts[:, pol == 0].sum(axis=1)
    disagree = counts[:, pol == -1].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pass_share = n_pass / n
        pct_agree = agree / n_stance
        pct_disagree = disagree / n_stance
    iqr = np.asarray(ordinal.iqr(counts, levels.values), dtype=np.float64)
    consensus = np.asarray(ordinal.tastle_wierman(counts, levels.values), dtype=np.float64)
    agreement = np.asarray(ordinal.van_der_eijk(counts), dtype=np.float64)
    classes, directions = rule.classify(pct_agree, pct_disagree, iqr, agreement, scale)
    return pd.DataFrame(
        {
            "n": n, "n_pass": n_pass, "n_stance": n_stance, "pass_share": pass_share,
            "agree": agree, "neutral": neutral, "disagree": disagree,
            "pct_agree": pct_agree, "pct_disagree": pct_disagree,
            "median": np.asarray(ordinal.median(counts, levels.values), dtype=np.float64),
            "iqr": iqr, "consensus": consensus, "agreement": agreement,
            "dispersion": np.asarray(ordinal.leik(counts), dtype=np.float64),
            "class": classes, "direction": directions, "divergence": 1.0 - consensus,
        },
        index=index,
    )


# -- public -----------------------------------------------------------------------------


def statement_summary(responses: pd.DataFrame, scale: Scale,
                      rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Summarise the stances on each statement.

    Parameters
    ----------
    responses : DataFrame
        ``member_id``, ``statement_id``, ``stance`` (``<NA>`` = pass), one row per member
        and answered statement.
    scale : Scale
        The consultation's scale; a stance not on it raises ``ValueError``.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.

    Returns
    -------
    DataFrame
        Indexed by ``statement_id`` (ascending; every statement with at least one answer),
        with columns:

        ``n``, ``n_pass``, ``n_stance``
            Answers including passes, passes, stances.
        ``pass_share``
            ``n_pass / n``.
        ``agree``, ``neutral``, ``disagree``
            Stances on levels of polarity +1, 0, -1.
        ``pct_agree``, ``pct_disagree``
            ``agree / n_stance`` and ``disagree / n_stance`` (shares, not percentages).
        ``median``, ``iqr``
            On the level values (:func:`ordinal.median`, :func:`ordinal.iqr`).
        ``consensus``
            Tastle & Wierman consensus, [0, 1].
        ``agreement``
            Van der Eijk's A, [-1, 1].
        ``dispersion``
            Leik's ordinal dispersion, [0, 1].
        ``class``, ``direction``
            See :class:`ConsensusRule`.
        ``divergence``
            ``1 - consensus``, in [0, 1]: 0 when every stance is on one level, 1 for an
            even split between the extremes. Sort charts by it, most divergent first.

        Measures are ``nan`` (and ``class`` is ``"no answers"``) where ``n_stance`` is 0.

    """
    levels = ordered_levels(scale)
    codes, index = _statement_codes(responses["statement_id"])
    level = _level_index(responses["stance"], levels.values)
    tally = _tally(codes, level, len(index), len(levels.values))
    return _summarise(tally, scale, rule, index)


def stance_distribution(responses: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """Count the answers on each level of each statement, in long format.

    Parameters
    ----------
    responses : DataFrame
        ``statement_id``, ``stance`` (``<NA>`` = pass).
    scale : Scale
        The consultation's scale.

    Returns
    -------
    DataFrame
        One row per statement (ascending) and level, levels from least to most agreement
        then the pass, every level present even with a zero count. Columns:

        ``statement_id``
        ``stance``
            The level value (``Int64``), ``<NA>`` for the pass.
        ``label``
            The level in words; :data:`cop_widgets.scales.PASS_LABEL` for the pass.
        ``polarity``
            +1, 0, -1 (``Int64``), ``<NA>`` for the pass.
        ``count``
            Answers on that level.
        ``share``
            ``count / n`` with ``n`` the statement's answers *including passes*, so that
            the shares of a statement sum to 1.

    """
    from ..scales import PASS_LABEL

    levels = ordered_levels(scale)
    k = len(levels.values)
    codes, index = _statement_codes(responses["statement_id"])
    level = _level_index(responses["stance"], levels.values)
    tally = _tally(codes, level, len(index), k)
    m = len(index)
    n = tally.sum(axis=1)
    stance = pd.array(np.tile(np.append(levels.values, 0), m), dtype="Int64")
    polarity = pd.array(np.tile(np.append(levels.polarity, 0), m), dtype="Int64")
    is_pass = np.tile(np.arange(k + 1) == k, m)
    stance[is_pass] = pd.NA
    polarity[is_pass] = pd.NA
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (tally / n[:, np.newaxis]).ravel()
    return pd.DataFrame({
        "statement_id": np.repeat(index.to_numpy(), k + 1),
        "stance": stance,
        "label": np.tile(np.array([*levels.labels, PASS_LABEL], dtype=object), m),
        "polarity": polarity,
        "count": tally.ravel(),
        "share": share,
    })


def _member_groups(members: pd.DataFrame, attribute: str) -> pd.Series:
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
                   scale: Scale, min_group_size: int):
    """Tally per (group, statement).

    Returns
    -------
    tuple
        ``(tally (g, s, k + 1), group labels, group sizes, statement index)``, groups
        ordered by name with ``NOT_GIVEN`` last, only groups of at least ``min_group_size``
        answering members.

    """
    levels = ordered_levels(scale)
    k = len(levels.values)
    groups = _member_groups(members, attribute)
    # Work on the distinct answering members, then spread their group to the rows.
    mcodes, answering = pd.factorize(responses["member_id"])
    if (mcodes < 0).any():
        raise ValueError("member_id must not be missing")
    found = groups.index.get_indexer(answering)
    member_label = np.where(found >= 0, groups.to_numpy()[np.maximum(found, 0)], NOT_GIVEN)
    names = sorted(set(member_label.tolist()) - {NOT_GIVEN})
    if (member_label == NOT_GIVEN).any():
        names.append(NOT_GIVEN)
    member_gcode = pd.Index(names, dtype=object).get_indexer(member_label)
    g = len(names)
    sizes = np.bincount(member_gcode, minlength=g)  # members with at least one answer
    gcodes = member_gcode[mcodes]
    scodes, index = _statement_codes(responses["statement_id"])
    level = _level_index(responses["stance"], levels.values)
    s = len(index)
    tally = _tally(gcodes * s + scodes, level, g * s, k).reshape(g, s, k + 1)
    keep = sizes >= min_group_size
    return (tally[keep], [nm for nm, ok in zip(names, keep, strict=True) if ok],
            sizes[keep], index)


def by_attribute(responses: pd.DataFrame, members: pd.DataFrame, attribute: str,
                 scale: Scale, rule: ConsensusRule | None = None,
                 min_group_size: int = 1) -> pd.DataFrame:
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
    min_group_size : int
        Leave out groups with fewer answering members than this.

    Returns
    -------
    DataFrame
        MultiIndex ``(group, statement_id)``: groups by name with ``"(not given)"`` last,
        and for each group the statements it answered (at least one answer, passes
        included). Columns ``group_size`` (members of the group with at least one answer in
        ``responses``, the same on every row of the group) then the columns of
        :func:`statement_summary`.

    Raises
    ------
    KeyError
        If ``members`` has no ``attribute`` column.

    """
    tally, names, sizes, index = _grouped_tally(responses, members, attribute, scale,
                                                min_group_size)
    g, s = len(names), len(index)
    flat = tally.reshape(g * s, tally.shape[-1])
    answered = flat.sum(axis=1) > 0
    multi = pd.MultiIndex.from_arrays(
        [np.repeat(np.array(names, dtype=object), s), np.tile(index.to_numpy(), g)],
        names=["group", "statement_id"],
    )
    frame = _summarise(flat[answered], scale, rule, multi[answered])
    frame.insert(0, "group_size", np.repeat(sizes, s)[answered])
    return frame


def cruxes(responses: pd.DataFrame, members: pd.DataFrame, attribute: str, scale: Scale,
           top: int | None = None, min_group_size: int = 3) -> pd.DataFrame:
    """Find the statements that split the groups of a member attribute the most.

    A group's *position* on a statement is the mean value of its members' stances rescaled
    to [-1, 1] (:func:`ordinal.mean_position`: -1 all on the level of least agreement, 1
    all on the level of most agreement), so spreads are comparable across scales. The
    *spread* of a statement is the highest group position minus the lowest, in [0, 2].

    Parameters
    ----------
    responses : DataFrame
        ``member_id``, ``statement_id``, ``stance``.
    members : DataFrame
        ``member_id`` (unique) and the ``attribute`` column.
    attribute : str
        Column of ``members`` to group by. Members who did not give it (the
        ``"(not given)"`` group of :func:`by_attribute`) take no part: they are not a group
        that can hold a side.
    scale : Scale
        The consultation's scale.
    top : int, optional
        Keep only the first ``top`` statements.
    min_group_size : int
        A group counts on a statement only when at least this many of its members took a
        stance on it (passes do not count); a statement needs two such groups to appear.

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
    tally, names, _, index = _grouped_tally(responses, members, attribute, scale, 1)
    real = np.array([nm != NOT_GIVEN for nm in names], dtype=bool)
    tally = tally[real]
    names = [nm for nm, ok in zip(names, real, strict=True) if ok]
    g, s = len(names), len(index)
    if g == 0 or s == 0:
        return pd.DataFrame({c: [] for c in CRUX_COLUMNS})
    counts = tally[:, :, :-1].reshape(g * s, tally.shape[-1] - 1)
    n_stance = counts.sum(axis=1).reshape(g, s)
    position = np.asarray(ordinal.mean_position(counts, levels.values),
                          dtype=np.float64).reshape(g, s)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = (counts[:, levels.polarity == 1].sum(axis=1).reshape(g, s) / n_stance)
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
