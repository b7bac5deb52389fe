"""Per-statement summaries of stances: counts, shares, ordinal measures and the class.

Also the counting every summary shares (stances to level positions, statements to rows,
tallies) and the measures of a tally, so that weighted and grouped summaries compute
them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ...scales import APART, CATEGORIES
from .. import ordinal
from ..ordinal import ordered_levels
from .classes import ConsensusRule

if TYPE_CHECKING:
    from ...scales import Scale

__all__ = ["SUMMARY_COLUMNS", "level_index", "statement_codes", "tally_levels",
           "category_counts", "stance_measures", "summarise", "statement_summary",
           "stance_distribution"]

SUMMARY_COLUMNS = (
    "n", "n_pass", "n_stance", "pass_share", "n_abstain", "abstain_share",
    "n_more_discussion", "more_discussion_share", "agree", "neutral", "disagree",
    "pct_agree", "pct_disagree", "reluctant_support", "pct_reluctant_support", "median",
    "iqr", "consensus", "agreement", "dispersion", "class", "direction", "divergence",
)
"""Columns of :func:`statement_summary`, in order."""


def level_index(stance: pd.Series, values: NDArray[np.int64]) -> NDArray[np.intp]:
    """Map stances to level positions (least agreement first); passes map to ``len(values)``.

    Raises
    ------
    ValueError
        If a stance is not one of ``values``.

    """
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


def statement_codes(statement_id: pd.Series) -> tuple[NDArray[np.intp], pd.Index]:
    """Return each row's statement position and the statements, ascending.

    Raises
    ------
    ValueError
        If a ``statement_id`` is missing.

    """
    codes, uniques = pd.factorize(statement_id, sort=True)
    if (codes < 0).any():
        raise ValueError("statement_id must not be missing")
    return codes, pd.Index(uniques, name="statement_id")


def tally_levels(keys: NDArray[np.intp], level: NDArray[np.intp], n_keys: int,
                 k: int) -> NDArray[np.int64]:
    """Count rows per key and level; column ``k`` holds passes. Shape ``(n_keys, k + 1)``."""
    flat = keys.astype(np.int64) * (k + 1) + level
    return np.bincount(flat, minlength=n_keys * (k + 1)).reshape(n_keys, k + 1)


def category_counts(counts: NDArray[np.float64], scale: Scale) -> dict[str, NDArray]:
    """Return, per category code of :data:`cop_widgets.scales.CATEGORIES`, its answers.

    Parameters
    ----------
    counts : ndarray, shape (m, k)
        Answers (or weighted answers) on every level, least agreement first; passes
        excluded.
    scale : Scale
        The scale of the levels; a code none of its levels has counts 0.

    Returns
    -------
    dict of str to ndarray
        ``{code: answers in that category}``, one entry per row.

    """
    cats = np.array(ordered_levels(scale).categories, dtype=object)
    return {code: counts[:, cats == code].sum(axis=1) for code in CATEGORIES}


def stance_measures(counts: NDArray[np.float64], scale: Scale,
                    rule: ConsensusRule | None = None,
                    passes: NDArray[np.float64] | None = None) -> dict[str, NDArray]:
    """Return the shares, ordinal measures and class of each row of a distribution.

    Parameters
    ----------
    counts : ndarray, shape (m, k)
        Answers (or weighted answers) on *every* level, least agreement first; passes
        excluded. The ordinal measures take the ordinal levels only (at their positions
        ``1..k``); the categories (Kaner's "Abstain", "More discussion needed") are counted
        as shares of all answers.
    scale : Scale
        The scale of the levels.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.
    passes : ndarray, shape (m,), optional
        Passes per row: part of the base of the categories' shares. None when omitted.

    Returns
    -------
    dict of str to ndarray
        ``pct_agree``, ``pct_disagree`` (shares of the ordinal stances),
        ``pct_reluctant_support`` (and one ``pct_<code>`` per code of
        :data:`cop_widgets.scales.APART`: the share of the ordinal stances on the level
        reported apart), ``median``, ``iqr`` (on the positions), ``consensus`` (Tastle &
        Wierman), ``agreement`` (van der Eijk), ``dispersion`` (Leik), one ``<code>_share``
        per category (its share of all answers, passes included), ``class`` and
        ``direction``, one entry per row; ordinal measures are ``nan`` for a row without
        an ordinal stance.

    """
    rule = rule or ConsensusRule()
    levels = ordered_levels(scale)
    counts = np.asarray(counts, dtype=np.float64)
    ordinal_counts = counts[:, levels.ordinal]
    polarity, positions = levels.ordinal_polarity, levels.positions

    def floats(values: object) -> NDArray[np.float64]:
        return np.asarray(values, dtype=np.float64)

    n_ordinal = ordinal_counts.sum(axis=1)
    total = counts.sum(axis=1) + (0.0 if passes is None else np.asarray(passes, np.float64))
    apart = np.array(levels.apart, dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = {f"{code}_share": n / total
                  for code, n in category_counts(counts, scale).items()}
        reported = {f"pct_{code}": counts[:, apart == code].sum(axis=1) / n_ordinal
                    for code in APART}
    pct_agree = floats(ordinal.percent_agreement(ordinal_counts, polarity, 1))
    pct_disagree = floats(ordinal.percent_agreement(ordinal_counts, polarity, -1))
    iqr = floats(ordinal.iqr(ordinal_counts, positions))
    agreement = floats(ordinal.van_der_eijk(ordinal_counts))
    classes, directions = rule.classify(pct_agree, pct_disagree, iqr, agreement, scale,
                                        more_discussion=shares["more_discussion_share"])
    return {
        "pct_agree": pct_agree, "pct_disagree": pct_disagree, **reported,
        "median": floats(ordinal.median(ordinal_counts, positions)), "iqr": iqr,
        "consensus": floats(ordinal.tastle_wierman(ordinal_counts, positions)),
        "agreement": agreement, "dispersion": floats(ordinal.leik(ordinal_counts)),
        **shares, "class": classes, "direction": directions,
    }


def summarise(tally: NDArray[np.int64], scale: Scale, rule: ConsensusRule | None,
              index: pd.Index) -> pd.DataFrame:
    """Build the columns of :func:`statement_summary` from a tally of shape ``(m, k + 1)``."""
    levels = ordered_levels(scale)
    counts = tally[:, :-1]
    n_pass = tally[:, -1]
    ordinal_counts = counts[:, levels.ordinal]
    polarity = levels.ordinal_polarity
    n_stance = ordinal_counts.sum(axis=1)
    n = counts.sum(axis=1) + n_pass
    with np.errstate(invalid="ignore", divide="ignore"):
        pass_share = n_pass / n
    measures = stance_measures(counts, scale, rule, passes=n_pass)
    apart = np.array(levels.apart, dtype=object)
    data = {"n": n, "n_pass": n_pass, "n_stance": n_stance, "pass_share": pass_share}
    for code, count in category_counts(counts, scale).items():
        data[f"n_{code}"] = count
    data |= {
        "agree": ordinal_counts[:, polarity == 1].sum(axis=1),
        "neutral": ordinal_counts[:, polarity == 0].sum(axis=1),
        "disagree": ordinal_counts[:, polarity == -1].sum(axis=1),
    }
    data |= {code: counts[:, apart == code].sum(axis=1) for code in APART}
    data |= measures
    data["divergence"] = 1.0 - measures["consensus"]
    return pd.DataFrame(data, index=index)[list(SUMMARY_COLUMNS)]


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
            Answers including passes, passes, ordinal stances (answers on an ordinal
            level: the base of every ordinal share and measure).
        ``pass_share``
            ``n_pass / n``.
        ``n_abstain``, ``abstain_share``, ``n_more_discussion``, ``more_discussion_share``
            Answers in each category of :data:`cop_widgets.scales.CATEGORIES` (Kaner's
            "Abstain", "More discussion needed"; 0 on a scale without it), and their share
            of all answers, passes included.
        ``agree``, ``neutral``, ``disagree``
            Ordinal stances on levels of polarity +1, 0, -1.
        ``pct_agree``, ``pct_disagree``
            ``agree / n_stance`` and ``disagree / n_stance`` (shares, not percentages).
        ``reluctant_support``, ``pct_reluctant_support``
            Stances on the level reported apart (Kaner's "Don't like it, but will support
            it", counted in ``agree``) and their share of ``n_stance``.
        ``median``, ``iqr``
            On the ordinal positions ``1..k`` (:func:`ordinal.median`,
            :func:`ordinal.iqr`; :meth:`cop_widgets.scales.Scale.position`).
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

        Ordinal measures are ``nan`` where ``n_stance`` is 0; ``class`` is then
        ``"more discussion"`` if a member asked for it, else ``"no answers"``.

    """
    levels = ordered_levels(scale)
    codes, index = statement_codes(responses["statement_id"])
    level = level_index(responses["stance"], levels.values)
    tally = tally_levels(codes, level, len(index), len(levels.values))
    return summarise(tally, scale, rule, index)


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
        ``category``
            ``None`` for an ordinal level, else its category code
            (:attr:`cop_widgets.scales.Level.category`); ``"pass"`` for the pass.
        ``count``
            Answers on that level.
        ``share``
            ``count / n`` with ``n`` the statement's answers *including passes*, so that
            the shares of a statement sum to 1.

    """
    from ...scales import PASS_CATEGORY, PASS_LABEL

    levels = ordered_levels(scale)
    k = len(levels.values)
    codes, index = statement_codes(responses["statement_id"])
    level = level_index(responses["stance"], levels.values)
    tally = tally_levels(codes, level, len(index), k)
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
        "category": np.tile(np.array([*levels.categories, PASS_CATEGORY], dtype=object), m),
        "count": tally.ravel(),
        "share": share,
    })
