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

__all__ = ["CLASSES", "SPLIT_CLASSES", "ConsensusRule", "classify"]

CLASSES = ("consensus", "leaning", "divided", "polarised", "neutral", "more discussion",
           "no answers")
"""Every value of the ``class`` column."""

#: The classes that say the community splits: both need members on both sides.
SPLIT_CLASSES = ("divided", "polarised")


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
        scale of ``k`` ordinal levels the limit is ``max_iqr * (k - 1) / 4`` steps between
        adjacent levels (1 step on likert5, 1.25 on kaner8's six ordinal levels, 0.25 on
        agree_disagree). The IQR is measured on the ordinal positions ``1..k``
        (:meth:`cop_widgets.scales.Scale.position`), one step apart.
    polarised_below : float
        A statement whose van der Eijk agreement A is below this is polarised.
    polarised_below_two_levels : float
        The same threshold for two-level scales (agree / disagree), where A reads
        ``1 - 4 * min(share agreeing, share disagreeing)``: every split beyond 75/25 has
        A < 0 there, so the default -0.6 calls polarised only splits closer than 60/40
        (a 70/30 split is "leaning", as on a 5-point scale answered only at the ends).
    max_more_discussion : float
        Largest share of the answers (passes included) asking for more discussion (Kaner's
        "More discussion needed") that a conclusion tolerates; the default is
        ``max_disagree``'s: a request for more discussion holds a decision back at least as
        much as a disagreement does.

    Notes
    -----
    Shares agreeing and disagreeing, the IQR and A are computed on the *ordinal* stances
    only: a pass and a category of its own (Kaner's "Abstain", "More discussion needed")
    are not points on the scale. Each statement gets the first class whose test it passes,
    in this order:

    1. ``"no answers"``: no ordinal stance and nobody asking for more discussion (only
       passes or abstentions, or nothing).
    2. ``"more discussion"``: more than ``max_more_discussion`` of the answers ask for more
       discussion, or some do and nobody took an ordinal stance.
    3. ``"consensus"``: IQR within the limit and either (share agreeing >= ``min_agree`` and
       share disagreeing <= ``max_disagree``), direction ``"agree"``, or the mirror (share
       disagreeing >= ``min_agree`` and share agreeing <= ``max_disagree``), direction
       ``"disagree"``: consensus *against* the statement is consensus too.
    4. Nobody on one side (or on either): ``"leaning"`` towards the side that holds at
       least half of the stances, else ``"neutral"`` (most stances neither agree nor
       disagree). A statement is never polarised or divided when nobody is on the other
       side, whatever A says (on Kaner's scale, endorsement and reluctant support are
       far apart but on one side).
    5. ``"polarised"``: A < ``polarised_below`` (``polarised_below_two_levels`` on a
       two-level scale).
    6. ``"leaning"``: one side holds at least half of the stances and more than the other
       side (an exact tie between the sides is not leaning); direction is that side.
    7. ``"divided"``: anything else.

    Consensus is tested before polarisation because a consensus with a small opposing
    minority at the far end may have a low A; a statement cannot pass both tests with the
    default thresholds, since 85% on one end and 15% on the other already gives A = 0.4.

    """

    min_agree: float = 0.75
    max_disagree: float = 0.15
    max_iqr: float = 1.0
    polarised_below: float = 0.0
    polarised_below_two_levels: float = -0.6
    max_more_discussion: float = 0.15

    def __post_init__(self) -> None:
        for name in ("min_agree", "max_disagree", "max_more_discussion"):
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
                 agreement: ArrayLike, scale: Scale,
                 more_discussion: ArrayLike | None = None) -> tuple[NDArray[np.object_],
                                                                    NDArray[np.object_]]:
        """Classify statements from their shares and measures (vectorised).

        Parameters
        ----------
        pct_agree, pct_disagree : array_like of float
            Shares of the ordinal stances agreeing / disagreeing (``nan`` when there is no
            ordinal stance).
        iqr : array_like of float
            Interquartile range on the ordinal positions ``1..k``.
        agreement : array_like of float
            Van der Eijk's A.
        scale : Scale
            The scale the stances are on.
        more_discussion : array_like of float, optional
            Share of the answers asking for more discussion (0 when omitted).

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
        more = (np.zeros(agree.shape) if more_discussion is None
                else np.nan_to_num(np.asarray(more_discussion, dtype=np.float64)))
        k = len(ordered_levels(scale).positions)
        steps = np.asarray(iqr, dtype=np.float64)  # positions are one step apart
        none = np.isnan(agree) | np.isnan(disagree)
        wants_more = (more > self.max_more_discussion + 1e-12) | (none & (more > 0))
        with np.errstate(invalid="ignore"):
            narrow = steps <= self.iqr_limit(k) + 1e-12
            cons_agree = narrow & (agree >= self.min_agree) & (disagree <= self.max_disagree)
            cons_disagree = (narrow & (disagree >= self.min_agree)
                             & (agree <= self.max_disagree) & ~cons_agree)
            threshold = self.polarised_below if k > 2 else self.polarised_below_two_levels
            one_sided = (agree <= 0) | (disagree <= 0)
            polarised = (a < threshold) & ~one_sided
            lean_agree = (agree >= 0.5) & (agree > disagree)
            lean_disagree = (disagree >= 0.5) & (disagree > agree)
        consensus = cons_agree | cons_disagree
        leaning = lean_agree | lean_disagree
        classes = np.select(
            [wants_more, none, consensus, one_sided & leaning, one_sided, polarised, leaning],
            ["more discussion", "no answers", "consensus", "leaning", "neutral", "polarised",
             "leaning"], "divided",
        ).astype(object)
        directions = np.full(agree.shape, None, dtype=object)
        directed = np.isin(classes, ("consensus", "leaning"))
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
        With columns ``pct_agree``, ``pct_disagree``, ``iqr``, ``agreement`` and
        ``more_discussion_share`` (from :func:`statement_summary` or
        :func:`by_attribute`; a summary without the last is read as nobody asking).
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
    more = summary["more_discussion_share"] if "more_discussion_share" in summary else None
    classes, directions = rule.classify(summary["pct_agree"], summary["pct_disagree"],
                                        summary["iqr"], summary["agreement"], scale,
                                        more_discussion=more)
    return pd.DataFrame({"class": classes, "direction": directions}, index=summary.index)
