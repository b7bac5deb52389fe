"""The community's policies, one rule each.

Who sees results, which groups are shown, and which are under-represented.

Every view (member page, dashboard, export, CLI) asks these functions instead of deciding for
itself, so that two views can never disagree on a policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .choices import ConsultationStatus, Visibility
from .consultation import Consultation

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "MIN_GROUP_SIZE",
    "RepresentationRule",
    "results_visible",
    "smallest_group_shown",
]

#: Groups of a member attribute with fewer answering members than this are left out of a
#: comparison by attribute that others read (the exports, the proposed draft, an anonymous
#: consultation's dashboard), so that no one's stance is singled out.
MIN_GROUP_SIZE = 3

_TOL = 1e-9


def results_visible(consultation: Consultation, *, submitted: bool) -> bool:
    """Return whether a visitor may see the community's results of ``consultation`` now.

    Parameters
    ----------
    consultation : Consultation
        Its ``visibility`` and ``status`` decide.
    submitted : bool
        Whether the visitor is a member who has submitted a card in this consultation
        (proved by their token); ``False`` for anyone else.

    Returns
    -------
    bool
        Never when visibility is ``never``. Otherwise, once the consultation is closed, to
        anyone with the link; before that, only when visibility is ``after_submission`` and
        only to a member who has submitted.

    """
    if consultation.visibility is Visibility.NEVER:
        return False
    if consultation.status is ConsultationStatus.CLOSED:
        return True
    return consultation.visibility is Visibility.AFTER_SUBMISSION and submitted


def smallest_group_shown(consultation: Consultation) -> int:
    """Return how many answering members a group needs to be shown in a comparison.

    Parameters
    ----------
    consultation : Consultation
        Its ``anonymous`` flag decides.

    Returns
    -------
    int
        :data:`MIN_GROUP_SIZE` when the consultation is anonymous, so that no one's stance
        is singled out by a small group; 1 otherwise, since names are shown anyway.

    """
    return MIN_GROUP_SIZE if consultation.anonymous else 1


@dataclass(frozen=True)
class RepresentationRule:
    """When a group counts as under-represented among those who answered.

    Attributes
    ----------
    max_gap_points : float
        A group whose respondent share is at least this many percentage points below its
        roster share is under-represented (default 10: a group that is 30% of the roster
        and 20% or less of those who answered).
    min_rate_ratio : float
        A group whose response rate is below this fraction of the overall response rate is
        under-represented (default 0.5: under half the overall rate). Small groups rarely
        move the shares by 10 points, so this test is what catches them.
    min_roster : int
        Only groups with at least this many members on the roster are flagged.

    Notes
    -----
    A group is flagged when it has at least ``min_roster`` members on the roster **and**
    (``gap_points <= -max_gap_points`` **or**
    ``response_rate < min_rate_ratio * overall response rate``). While nobody has answered
    there is no respondent share and no group is flagged: every group is simply waiting.

    """

    max_gap_points: float = 10.0
    min_rate_ratio: float = 0.5
    min_roster: int = 1

    def __post_init__(self) -> None:
        if not self.max_gap_points >= 0:
            raise ValueError(f"max_gap_points must be non-negative, got {self.max_gap_points!r}")
        if not 0 <= self.min_rate_ratio <= 1:
            raise ValueError(f"min_rate_ratio must be in [0, 1], got {self.min_rate_ratio!r}")
        if self.min_roster < 1:
            raise ValueError(f"min_roster must be at least 1, got {self.min_roster!r}")

    def flag(self, roster: NDArray[np.int64], gap_points: NDArray[np.float64],
             response_rate: NDArray[np.float64], overall_rate: float) -> NDArray[np.bool_]:
        """Return the ``under_represented`` flag of each group (vectorised).

        Parameters
        ----------
        roster : ndarray of int
            Members of each group on the roster.
        gap_points : ndarray of float
            Respondent share minus roster share, in percentage points (``nan`` when nobody
            answered).
        response_rate : ndarray of float
            Share of each group's members who answered.
        overall_rate : float
            Share of all members who answered.

        Returns
        -------
        ndarray of bool

        """
        import numpy as np  # here, not at the top: member pages import the model

        with np.errstate(invalid="ignore"):
            by_gap = gap_points <= -self.max_gap_points + _TOL
            by_rate = response_rate < self.min_rate_ratio * overall_rate - _TOL
        return (np.asarray(roster) >= self.min_roster) & (by_gap | by_rate)
