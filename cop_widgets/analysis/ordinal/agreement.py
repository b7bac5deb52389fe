"""How far the stances agree: van der Eijk's agreement A, by the layered algorithm.

A distribution is peeled into layers (binary patterns of occupied levels); each layer's
agreement comes from the triples of levels it occupies, and A is their weighted sum.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .counts import Measure, as_rows, measure

__all__ = ["pattern_agreement", "van_der_eijk"]


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
        return measure(np.ones(len(pat)), one)
    if k == 2:
        return measure(np.where(s == 1, 1.0, -1.0), one)
    tri = _triples(k)
    a, b, c = pat[:, tri[:, 0]], pat[:, tri[:, 1]], pat[:, tri[:, 2]]
    tdu = (a & ~b & c).sum(axis=1)
    tu = ((a & b & ~c) | (~a & b & c)).sum(axis=1)
    total = tu + tdu
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(total == 0, 1.0,
                     ((k - 2) * tu - (k - 1) * tdu) / ((k - 2) * np.maximum(total, 1)))
    return measure(u * (1.0 - (s - 1) / (k - 1)), one)


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
        Stances per level, least agreement first; two levels are read as the two extremes.

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
    c, one = as_rows(counts)
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
    return measure(result, one)
