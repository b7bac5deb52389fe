"""Ordinal measures on a distribution of counts over the ordered levels of a scale.

Every function takes ``counts``: the number of stances on each level, **ordered from least
to most agreement** (ascending stored value; note that :attr:`Scale.levels` lists the
levels the other way round, as members see them; :func:`ordered_levels` gives the arrays in
the order used here). Passes are not levels and are never part of ``counts``.

``counts`` is either one distribution (1-D, shape ``(k,)``), and the function returns a
``float``, or many at once (2-D, shape ``(m, k)``, one row per statement), and the function
returns a float array of shape ``(m,)``. Rows are handled independently and the work is
vectorised over rows. A distribution with no stances gives ``nan``.

Counts need not be integers (shares work too), but must be finite and non-negative. Every
measure depends only on the shares ``counts / counts.sum()``, so multiplying all counts by
the same factor changes nothing.

Measures
--------
- :func:`percent_agreement`: share of stances on levels of one polarity.
- :func:`median`, :func:`iqr`, :func:`quantile`: on the level values, with the
  averaged-inverted-CDF quantile (see :func:`quantile`).
- :func:`tastle_wierman`: Tastle & Wierman (2007) consensus, 1 full consensus, 0 an even
  split between the two extreme levels.
- :func:`van_der_eijk`: van der Eijk (2001) agreement A, 1 full agreement, 0 uniform,
  -1 an even split between the extremes.
- :func:`leik`: Leik (1966) ordinal dispersion, 0 all on one level, 1 an even split between
  the extremes.
- :func:`mean_position`: the mean value rescaled to [-1, 1].

References
----------
.. [1] Tastle, W. J., & Wierman, M. J. (2007). Consensus and dissention: A measure of
   ordinal dispersion. International Journal of Approximate Reasoning, 45(3), 531-545.
.. [2] van der Eijk, C. (2001). Measuring agreement in ordered rating scales. Quality &
   Quantity, 35(3), 325-341.
.. [3] Leik, R. K. (1966). A measure of ordinal consensus. Pacific Sociological Review,
   9(2), 85-90.
.. [4] Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. The
   American Statistician, 50(4), 361-365.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from ..scales import Scale

__all__ = [
    "OrderedLevels",
    "ordered_levels",
    "percent_agreement",
    "quantile",
    "median",
    "iqr",
    "tastle_wierman",
    "van_der_eijk",
    "pattern_agreement",
    "leik",
    "mean_position",
]

Measure = float | NDArray[np.float64]
"""A float for one distribution, an array of shape ``(m,)`` for ``m`` distributions."""


class OrderedLevels(NamedTuple):
    """The levels of a scale as arrays, ordered from least to most agreement.

    Attributes
    ----------
    values : ndarray of int64
        Stored values, strictly increasing.
    polarity : ndarray of int64
        +1 agreeing, 0 neither, -1 disagreeing.
    labels : tuple of str
        The levels in words.

    """

    values: NDArray[np.int64]
    polarity: NDArray[np.int64]
    labels: tuple[str, ...]


def ordered_levels(scale: Scale) -> OrderedLevels:
    """Return the levels of ``scale`` ordered from least to most agreement.

    Parameters
    ----------
    scale : Scale
        Any scale.

    Returns
    -------
    OrderedLevels
        ``values``, ``polarity`` and ``labels`` in the order ``counts`` use.

    """
    levels = sorted(scale.levels, key=lambda level: level.value)
    return OrderedLevels(
        np.array([level.value for level in levels], dtype=np.int64),
        np.array([level.polarity for level in levels], dtype=np.int64),
        tuple(level.label for level in levels),
    )


# -- helpers ----------------------------------------------------------------------------


def _counts_2d(counts: ArrayLike) -> tuple[NDArray[np.float64], bool]:
    """Return counts as a float 2-D array and whether the input was one distribution."""
    arr = np.asarray(counts, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(f"counts must be 1-D or 2-D, not {arr.ndim}-D")
    if arr.shape[-1] < 1:
        raise ValueError("counts need at least one level")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("counts must be finite and non-negative")
    return (arr[np.newaxis, :], True) if arr.ndim == 1 else (arr, False)


def _values(values: ArrayLike, k: int) -> NDArray[np.float64]:
    """Check level values: one per level, strictly increasing."""
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (k,):
        raise ValueError(f"values must have one entry per level ({k}), got shape {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(np.diff(v) <= 0):
        raise ValueError("values must be finite and strictly increasing (least agreement first)")
    return v


def _out(result: NDArray[np.float64], one: bool) -> Measure:
    return float(result[0]) if one else result


def _shares(c: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return row totals and row shares (``nan`` rows where the total is 0)."""
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = c / n[:, np.newaxis]
    return n, p


# -- measures ---------------------------------------------------------------------------


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
    c, one = _counts_2d(counts)
    pol = np.asarray(polarity)
    if pol.shape != (c.shape[1],):
        raise ValueError("polarity must have one entry per level")
    if side not in (-1, 0, 1):
        raise ValueError("side must be 1, 0 or -1")
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = c[:, pol == side].sum(axis=1) / n
    return _out(result, one)


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
        Level values, strictly increasing.
    q : float
        Probability, strictly between 0 and 1.

    Returns
    -------
    float or ndarray
        The quantile on the values' scale; ``nan`` when there is no stance.

    """
    if not 0 < q < 1:
        raise ValueError("q must be strictly between 0 and 1")
    c, one = _counts_2d(counts)
    v = _values(values, c.shape[1])
    n = c.sum(axis=1)
    cum = np.cumsum(c, axis=1)
    target = (q * n)[:, np.newaxis]
    # Tolerance: exact for integer counts below 10**9, forgiving for shares.
    tol = (1e-9 * n)[:, np.newaxis]
    lo = np.argmax(cum >= target - tol, axis=1)
    hi = np.argmax(cum > target + tol, axis=1)
    result = (v[lo] + v[hi]) / 2
    result[n == 0] = np.nan
    return _out(result, one)


def median(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Median of the level values (averaged inverted CDF, see :func:`quantile`).

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    values : array_like, shape (k,)
        Level values, strictly increasing.

    Returns
    -------
    float or ndarray
        ``nan`` when there is no stance.

    """
    return quantile(counts, values, 0.5)


def iqr(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Interquartile range Q3 - Q1 of the level values (averaged inverted CDF).

    Quartiles as in :func:`quantile`. The result is in the units of ``values``: on a scale
    with values 1..k it counts steps between adjacent levels.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    values : array_like, shape (k,)
        Level values, strictly increasing.

    Returns
    -------
    float or ndarray
        A non-negative number; ``nan`` when there is no stance.

    """
    c, one = _counts_2d(counts)
    q3 = np.asarray(quantile(c, values, 0.75), dtype=np.float64)
    q1 = np.asarray(quantile(c, values, 0.25), dtype=np.float64)
    return _out(q3 - q1, one)


def tastle_wierman(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Tastle & Wierman consensus.

    ``Cns = 1 + sum_i p_i log2(1 - |X_i - mu| / (X_max - X_min))`` where ``p_i`` is the
    share on level ``i``, ``X_i`` its value, ``mu = sum_i p_i X_i`` the mean, and ``X_max``,
    ``X_min`` the extreme values *of the scale* (not of the answers). Levels with no
    stances contribute nothing (``0 log 0 = 0``).

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    values : array_like, shape (k,)
        Level values, strictly increasing.

    Returns
    -------
    float or ndarray
        In [0, 1]: 1 when every stance is on one level, 0 for an even split between the two
        extreme levels; ``nan`` when there is no stance. A one-level scale gives 1.

    """
    c, one = _counts_2d(counts)
    v = _values(values, c.shape[1])
    n, p = _shares(c)
    width = v[-1] - v[0]
    if width == 0:
        result = np.where(n > 0, 1.0, np.nan)
        return _out(result, one)
    mu = p @ v
    inner = 1.0 - np.abs(v[np.newaxis, :] - mu[:, np.newaxis]) / width
    # A level with stances is never at distance `width` from the mean unless rounding says
    # so (a tiny share at one end); clip so that 0 * log2(0) cannot turn into nan or -inf.
    logs = np.log2(np.clip(inner, np.finfo(np.float64).tiny, 1.0))
    with np.errstate(invalid="ignore"):
        result = 1.0 + np.where(p > 0, p * logs, 0.0).sum(axis=1)
    result = np.clip(result, 0.0, 1.0)
    result[n == 0] = np.nan
    return _out(result, one)


def leik(counts: ArrayLike) -> Measure:
    """Leik's ordinal dispersion.

    ``D = 2 / (k - 1) * sum_{i=1}^{k-1} min(F_i, 1 - F_i)`` where ``F_i`` is the cumulative
    share up to level ``i``. Only the order of the levels matters, not their values.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.

    Returns
    -------
    float or ndarray
        In [0, 1]: 0 when every stance is on one level, 1 for an even split between the
        two extreme levels; ``nan`` when there is no stance. A one-level scale gives 0.

    """
    c, one = _counts_2d(counts)
    k = c.shape[1]
    n, p = _shares(c)
    if k == 1:
        return _out(np.where(n > 0, 0.0, np.nan), one)
    f = np.cumsum(p, axis=1)[:, :-1]
    result = np.clip(2.0 * np.minimum(f, 1.0 - f).sum(axis=1) / (k - 1), 0.0, 1.0)
    result[n == 0] = np.nan
    return _out(result, one)


@lru_cache(maxsize=32)
def _triples(k: int) -> NDArray[np.intp]:
    """All index triples ``i < j < l`` of ``k`` levels, shape ``(C(k, 3), 3)``."""
    return np.array(list(itertools.combinations(range(k), 3)), dtype=np.intp).reshape(-1, 3)


def pattern_agreement(pattern: ArrayLike) -> Measure:
    """Van der Eijk's agreement A of one or more layers (binary patterns).

    For ``k >= 3`` levels, with ``S`` the number of occupied levels in the pattern, ``TU``
    the number of triples of levels ``i < j < l`` occupied as 110 or 011 and ``TDU`` those
    occupied as 101 (all other triples do not count)::

        U = ((k - 2) TU - (k - 1) TDU) / ((k - 2) (TU + TDU))   (U = 1 if TU + TDU = 0)
        A = U (1 - (S - 1) / (k - 1))

    For ``k = 2`` there are no triples; the two levels are read as the two extremes of a
    longer scale: one occupied level gives 1 and both occupied give -1 (the pattern 10...01
    gives -1 on every longer scale). For ``k = 1`` a pattern gives 1.

    Parameters
    ----------
    pattern : array_like of bool, shape (k,) or (m, k)
        Occupied levels, least agreement first. Each pattern must occupy at least one level.

    Returns
    -------
    float or ndarray
        In [-1, 1].

    """
    pat = np.asarray(pattern, dtype=bool)
    one = pat.ndim == 1
    pat = np.atleast_2d(pat)
    k = pat.shape[1]
    s = pat.sum(axis=1)
    if np.any(s == 0):
        raise ValueError("a pattern must occupy at least one level")
    if k == 1:
        return _out(np.ones(len(pat)), one)
    if k == 2:
        return _out(np.where(s == 1, 1.0, -1.0), one)
    tri = _triples(k)
    a, b, c = pat[:, tri[:, 0]], pat[:, tri[:, 1]], pat[:, tri[:, 2]]
    tdu = (a & ~b & c).sum(axis=1)
    tu = ((a & b & ~c) | (~a & b & c)).sum(axis=1)
    total = tu + tdu
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(total == 0, 1.0,
                     ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * np.maximum(total, 1)))
    return _out(u * (1.0 - (s - 1) / (k - 1)), one)


def van_der_eijk(counts: ArrayLike) -> Measure:
    """Van der Eijk's agreement A, by the layered algorithm.

    The distribution is peeled into layers: take the smallest non-zero count ``m``; the
    layer is the binary pattern of the levels that still hold stances, and weighs
    ``m * S / N`` (its stances over all stances); subtract ``m`` from every occupied level
    and repeat until nothing is left. ``A`` is the weighted sum of the layers' agreement
    (:func:`pattern_agreement`). Only the order of the levels matters, not their values.

    Two-level scales (agree / disagree): the two levels are read as the two extremes of a
    longer scale, so that a layer occupying both counts as polarised (-1). This gives
    ``A = 1 - 4 min(p_1, p_2) = 2 |p_1 - p_2| - 1``, the A the same shares would get on the
    end levels of any longer scale: 1 when all stances are on one side, -1 for an even
    split. On two levels a uniform distribution *is* the even split between the extremes,
    so it reads -1 there, not 0. (The unmodified formula has no triples to count on two
    levels and would give ``|p_1 - p_2|``, which can never flag a polarised statement.)

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.

    Returns
    -------
    float or ndarray
        In [-1, 1]: 1 when every stance is on one level, 0 for a uniform distribution
        (``k >= 3``), -1 for an even split between the two extreme levels; ``nan`` when
        there is no stance.

    Notes
    -----
    Vectorised: the layer thresholds of a row are its sorted counts, so layer ``j`` is the
    pattern ``counts >= sorted[j]`` with weight ``(sorted[j] - sorted[j - 1]) * S_j / N``;
    the agreement of each distinct pattern is computed once.

    """
    c, one = _counts_2d(counts)
    m, k = c.shape
    n = c.sum(axis=1)
    ordered = np.sort(c, axis=1)
    steps = np.diff(ordered, axis=1, prepend=0.0)  # (m, k): layer thickness
    patterns = c[:, np.newaxis, :] >= ordered[:, :, np.newaxis]  # (m, layer, level)
    live = steps > 0
    result = np.zeros(m)
    if np.any(live):
        layers = patterns[live]  # (L, k), each occupies at least one level
        codes = layers @ (np.int64(1) << np.arange(k, dtype=np.int64))
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        a = np.asarray(pattern_agreement(layers[first]), dtype=np.float64)[inverse.ravel()]
        weights = steps[live] * layers.sum(axis=1)
        contrib = np.zeros((m, k))
        contrib[live] = weights * a
        with np.errstate(invalid="ignore", divide="ignore"):
            result = contrib.sum(axis=1) / n
    result = np.clip(result, -1.0, 1.0)
    result[n == 0] = np.nan
    return _out(result, one)


def mean_position(counts: ArrayLike, values: ArrayLike) -> Measure:
    """Mean value, rescaled so that the scale runs from -1 to 1.

    ``2 (mu - X_min) / (X_max - X_min) - 1``, with ``mu`` the mean value of the stances and
    ``X_min``, ``X_max`` the extreme values of the scale: -1 when everyone is on the level
    of least agreement, 1 when everyone is on the level of most agreement, 0 at the middle.
    Comparable across scales.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first.
    values : array_like, shape (k,)
        Level values, strictly increasing.

    Returns
    -------
    float or ndarray
        In [-1, 1]; ``nan`` when there is no stance. A one-level scale gives 0.

    """
    c, one = _counts_2d(counts)
    v = _values(values, c.shape[1])
    n, p = _shares(c)
    width = v[-1] - v[0]
    if width == 0:
        return _out(np.where(n > 0, 0.0, np.nan), one)
    result = np.clip(2.0 * (p @ v - v[0]) / width - 1.0, -1.0, 1.0)
    return _out(result, one)
