"""Where the stances lie: share on one side, quantiles of the level values, mean position.

Quantiles use the averaged inverted CDF (Hyndman & Fan's definition 2, see
:func:`quantile`), which suits ordinal data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .counts import Measure, as_rows, checked_values, measure, shares_on_values

__all__ = ["percent_agreement", "quantile", "median", "iqr", "mean_position"]


def percent_agreement(counts: ArrayLike, polarity: ArrayLike, side: int = 1) -> Measure:
    """Share of stances on the levels of one polarity.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    polarity : array_like of int, shape (k,)
        Polarity of each level (+1, 0, -1), same order as ``counts``.
    side : {1, -1, 0}
        1 for the share agreeing (the usual "percent agreement"), -1 for the share
        disagreeing, 0 for the share neither.

    Returns
    -------
    float or ndarray
        A share in [0, 1] (not a percentage); ``nan`` when there is no stance.

    """
    c, one = as_rows(counts)
    pol = np.asarray(polarity)
    if pol.shape != (c.shape[1],):
        raise ValueError("polarity must have one entry per level")
    if side not in (-1, 0, 1):
        raise ValueError("side must be 1, 0 or -1")
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = c[:, pol == side].sum(axis=1) / n
    return measure(result, one)


def quantile(counts: ArrayLike, values: ArrayLike, q: float) -> Measure:
    """Quantile of the level values, with the averaged inverted CDF.

    The ``q``-quantile is the value of the lowest level whose cumulative share reaches
    ``q``; when that cumulative share equals ``q`` exactly, it is the midpoint between that
    level's value and the value of the next level that holds stances. This is Hyndman &
    Fan's definition 2 (``numpy.quantile(..., method="averaged_inverted_cdf")`` on the
    stances expanded one per member). It suits ordinal data: the result is a level value
    except at an exact tie, where the midpoint is the only choice that does not favour one
    side, so reversing the scale mirrors every quantile, and an even split between
    "strongly disagree" and "strongly agree" has its median in the middle of the scale
    rather than at one end.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    values : array_like, shape (k,)
        Level values, strictly increasing; the quantile is one of them or the midpoint of two.
    q : float
        Probability, strictly between 0 and 1.

    Returns
    -------
    float or ndarray
        The quantile on the values' scale; ``nan`` when there is no stance.

    """
    if not 0 < q < 1:
        raise ValueError("q must be strictly between 0 and 1")
    c, one = as_rows(counts)
    v = checked_values(values, c.shape[1])
    n = c.sum(axis=1)
    cum = np.cumsum(c, axis=1)
    target = (q * n)[:, np.newaxis]
    # Tolerance: exact for integer counts below 10**9, forgiving for shares.
    tol = (1e-9 * n)[:, np.newaxis]
    lo = np.argmax(cum >= target - tol, axis=1)
    hi = np.argmax(cum > target + tol, axis=1)
    result = (v[lo] + v[hi]) / 2
    result[n == 0] = np.nan
    return measure(result, one)


def median(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Median of the level values: :func:`quantile` at one half.

    Parameters
    ----------
    counts, values : array_like
        As in :func:`quantile`.

    Returns
    -------
    float or ndarray
        A level value, or the midpoint of two at an exact tie; ``nan`` without stances.

    """
    return quantile(counts, values, 0.5)


def iqr(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Interquartile range Q3 - Q1 of the level values, quartiles as in :func:`quantile`.

    The result is in the units of ``values``: on a scale with values 1..k it counts steps
    between adjacent levels.

    Parameters
    ----------
    counts, values : array_like
        As in :func:`quantile`; the range is in the units of ``values``.

    Returns
    -------
    float or ndarray
        A non-negative number; ``nan`` when there is no stance.

    """
    c, one = as_rows(counts)
    q3 = np.asarray(quantile(c, values, 0.75), dtype=np.float64)
    q1 = np.asarray(quantile(c, values, 0.25), dtype=np.float64)
    return measure(q3 - q1, one)


def mean_position(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Mean value, rescaled so that the scale runs from -1 to 1.

    ``2 (mu - X_min) / (X_max - X_min) - 1``, with ``mu`` the mean value of the stances and
    ``X_min``, ``X_max`` the extreme values of the scale: -1 when everyone is on the level
    of least agreement, 1 when everyone is on the level of most agreement, 0 at the middle.
    Comparable across scales.

    Parameters
    ----------
    counts, values : array_like
        As in :func:`quantile`; only the first and last value set the width of the scale.

    Returns
    -------
    float or ndarray
        In [-1, 1]; ``nan`` when there is no stance. A one-level scale gives 0.

    """
    p, v, n, one = shares_on_values(counts, values)
    width = v[-1] - v[0]
    if width == 0:
        return measure(np.where(n > 0, 0.0, np.nan), one)
    result = np.clip(2.0 * (p @ v - v[0]) / width - 1.0, -1.0, 1.0)
    return measure(result, one)
