"""The distributions every ordinal measure takes: levels in order, checked counts, shares.

A distribution is the number of stances on each level of a scale, ordered from least to
most agreement. It is either one distribution (1-D, shape ``(k,)``) or many at once (2-D,
shape ``(m, k)``, one row per statement); measures return a ``float`` for one and an array of
shape ``(m,)`` for many.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from ...scales import Scale

__all__ = ["Measure", "OrderedLevels", "ordered_levels", "as_rows", "checked_values",
           "measure", "row_shares", "shares_on_values"]

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
    ordinal : ndarray of bool
        Whether each level is ordinal; the others are categories of their own
        (:attr:`cop_widgets.scales.Level.category`), out of every ordinal measure.
    categories : tuple of (str or None)
        Each level's category code, ``None`` for an ordinal level.
    apart : tuple of (str or None)
        Each level's code of a share reported apart (:attr:`~cop_widgets.scales.Level.apart`).

    """

    values: NDArray[np.int64]
    polarity: NDArray[np.int64]
    labels: tuple[str, ...]
    ordinal: NDArray[np.bool_]
    categories: tuple[str | None, ...]
    apart: tuple[str | None, ...]

    @property
    def positions(self) -> NDArray[np.int64]:
        """The ordinal levels' positions, ``1..k``, least agreement first.

        The values the ordinal measures read (median, IQR, Tastle & Wierman, mean
        position): evenly spaced whatever the stored values.
        """
        return np.arange(1, int(self.ordinal.sum()) + 1, dtype=np.int64)

    @property
    def ordinal_polarity(self) -> NDArray[np.int64]:
        """The polarity of the ordinal levels, least agreement first."""
        return self.polarity[self.ordinal]


def ordered_levels(scale: Scale) -> OrderedLevels:
    """Return the levels of ``scale`` ordered from least to most agreement.

    Parameters
    ----------
    scale : Scale
        Any scale.

    Returns
    -------
    OrderedLevels
        ``values``, ``polarity``, ``labels``, ``ordinal``, ``categories`` and ``apart``
        in the order of a tally over every level. The ordinal measures take the columns
        of the ordinal levels only (``counts[..., levels.ordinal]``), at ``positions``.

    """
    levels = sorted(scale.levels, key=lambda level: level.value)
    return OrderedLevels(
        np.array([level.value for level in levels], dtype=np.int64),
        np.array([level.polarity for level in levels], dtype=np.int64),
        tuple(level.label for level in levels),
        np.array([level.ordinal for level in levels], dtype=bool),
        tuple(level.category for level in levels),
        tuple(level.apart for level in levels),
    )


def as_rows(counts: ArrayLike) -> tuple[NDArray[np.float64], bool]:
    """Return counts as a float 2-D array and whether the input was one distribution.

    Raises
    ------
    ValueError
        If the counts are not 1-D or 2-D, have no level, or are negative or not finite.

    """
    arr = np.asarray(counts, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(f"counts must be 1-D or 2-D, not {arr.ndim}-D")
    if arr.shape[-1] < 1:
        raise ValueError("counts need at least one level")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("counts must be finite and non-negative")
    return (arr[np.newaxis, :], True) if arr.ndim == 1 else (arr, False)


def checked_values(values: ArrayLike, k: int) -> NDArray[np.float64]:
    """Return the level values as floats, checked: one per level, strictly increasing.

    Raises
    ------
    ValueError
        If there is not one value per level or they do not strictly increase.

    """
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (k,):
        raise ValueError(f"values must have one entry per level ({k}), got shape {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(np.diff(v) <= 0):
        raise ValueError("values must be finite and strictly increasing (least agreement first)")
    return v


def measure(result: NDArray[np.float64], one: bool) -> Measure:
    """Return a plain float for one distribution, the array of row results for many."""
    return float(result[0]) if one else result


def row_shares(c: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return row totals and row shares (``nan`` rows where the total is 0)."""
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = c / n[:, np.newaxis]
    return n, p


def shares_on_values(counts: ArrayLike, values: ArrayLike) -> tuple[
        NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], bool]:
    """Check a distribution and its level values for a measure that uses the values.

    Returns
    -------
    shares : ndarray, shape (m, k)
        Row shares (``nan`` rows where there is no stance).
    values : ndarray, shape (k,)
        The level values, checked.
    totals : ndarray, shape (m,)
        Stances per row.
    one : bool
        Whether ``counts`` was one distribution.

    """
    c, one = as_rows(counts)
    v = checked_values(values, c.shape[1])
    n, p = row_shares(c)
    return p, v, n, one
