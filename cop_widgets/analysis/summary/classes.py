"""The consensus classes of a statement and the rule that sorts statements into them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..ordinal import ordered_levels

if TYPE_CHECKING:
    from ...scales import Scale

__all__ = ["CLASSES", "ConsensusRule", "classify"]

CLASSES = ("consensus", "leaning", "divided", "polarised", "no answers")
"""Every value of the ``class`` column."""


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
