"""How spread the stances are: Tastle & Wierman's consensus and Leik's ordinal dispersion."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .counts import Measure, as_rows, measure, row_shares, shares_on_values

__all__ = ["tastle_wierman", "leik"]


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
        Level values, strictly increasing; the first and last set the width of the scale.

    Returns
    -------
    float or ndarray
        In [0, 1]: 1 when every stance is on one level, 0 for an even split between the two
        extreme levels; ``nan`` when there is no stance. A one-level scale gives 1.

    """
    p, v, n, one = shares_on_values(counts, values)
    width = v[-1] - v[0]
    if width == 0:
        return measure(np.where(n > 0, 1.0, np.nan), one)
    mu = p @ v
    inner = 1.0 - np.abs(v[np.newaxis, :] - mu[:, np.newaxis]) / width
    # A level with stances is never at distance `width` from the mean unless rounding says
    # so (a tiny share at one end); clip so that 0 * log2(0) cannot turn into nan or -inf.
    logs = np.log2(np.clip(inner, np.finfo(np.float64).tiny, 1.0))
    with np.errstate(invalid="ignore"):
        result = 1.0 + np.where(p > 0, p * logs, 0.0).sum(axis=1)
    result = np.clip(result, 0.0, 1.0)
    result[n == 0] = np.nan
    return measure(result, one)


def leik(counts: ArrayLike) -> Measure:
    """Leik's ordinal dispersion.

    ``D = 2 / (k - 1) * sum_{i=1}^{k-1} min(F_i, 1 - F_i)`` where ``F_i`` is the cumulative
    share up to level ``i``. Only the order of the levels matters, not their values.

    Parameters
    ----------
    counts : array_like, shape (k,) or (m, k)
        Stances per level, least agreement first: only the order of the levels matters.

    Returns
    -------
    float or ndarray
        In [0, 1]: 0 when every stance is on one level, 1 for an even split between the
        two extreme levels; ``nan`` when there is no stance. A one-level scale gives 0.

    """
    c, one = as_rows(counts)
    k = c.shape[1]
    n, p = row_shares(c)
    if k == 1:
        return measure(np.where(n > 0, 0.0, np.nan), one)
    f = np.cumsum(p, axis=1)[:, :-1]
    result = np.clip(2.0 * np.minimum(f, 1.0 - f).sum(axis=1) / (k - 1), 0.0, 1.0)
    result[n == 0] = np.nan
    return measure(result, one)
