"""The community's policies, one rule each.

Who sees results, which groups are shown, which are under-represented, and how much one
member may write (proposals waiting for moderation, card saves).

Every view (member page, dashboard, export, CLI) asks these functions instead of deciding for
itself, so that two views can never disagree on a policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .choices import ConsultationStatus, Visibility
from .consultation import Consultation

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "CARD_SAVE_LIMIT",
    "MAX_PENDING_PROPOSALS",
    "MAX_PENDING_REPLIES",
    "MIN_GROUP_SIZE",
    "CardSaveLimit",
    "RepresentationRule",
    "results_visible",
    "smallest_group_shown",
]

#: In an anonymous consultation, groups of a member attribute with fewer answering members
#: than this are merged into "(other groups)", with the smallest other group when they are
#: too few together, in every comparison by attribute (see ``analysis.disclosure``), so that
#: no one's stance is singled out, even by subtraction.
MIN_GROUP_SIZE = 3

#: How many of one member's proposed statements may wait for moderation at once. Once the
#: facilitator accepts or rejects some, the member may propose again; a script cannot bury
#: the facilitator's Statements tab under hundreds of proposals.
MAX_PENDING_PROPOSALS = 5

#: How many of one member's replies to other members' reasons may wait for moderation at
#: once (the discussion phase), for the same reason as :data:`MAX_PENDING_PROPOSALS`.
MAX_PENDING_REPLIES = 5

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


@dataclass(frozen=True)
class CardSaveLimit:
    """How often, and how many times in a round, one member may save their card.

    Attributes
    ----------
    max_saves : int
        Saves allowed within any :attr:`window` (default 30). A member who saves a few
        drafts and submits never comes near it; a script saving in a loop is stopped.
    window : datetime.timedelta
        The sliding window the saves are counted in (default 10 minutes).
    max_revisions : int
        Revisions one member may save in one round (default 200): with the text limits of
        :data:`~cop_widgets.model.fields.LIMITS` on each save, this bounds what one member
        can store however long the consultation stays open.

    """

    max_saves: int = 30
    window: dt.timedelta = dt.timedelta(minutes=10)
    max_revisions: int = 200

    def __post_init__(self) -> None:
        if self.max_saves < 1:
            raise ValueError(f"max_saves must be at least 1, got {self.max_saves!r}")
        if self.window <= dt.timedelta(0):
            raise ValueError(f"window must be positive, got {self.window!r}")
        if self.max_revisions < 1:
            raise ValueError(f"max_revisions must be at least 1, got {self.max_revisions!r}")

    def wait(self, saved_at: Iterable[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
        """Return how long the member must wait before saving again, or ``None``.

        Parameters
        ----------
        saved_at : iterable of datetime
            When the member's latest saves were stored (at least the last
            :attr:`max_saves` of them, in any order; aware datetimes).
        now : datetime
            The store's time (aware).

        Returns
        -------
        datetime.timedelta or None
            ``None`` while fewer than :attr:`max_saves` saves fall within the :attr:`window`
            before ``now``; else the time until the oldest of the latest :attr:`max_saves`
            leaves the window (at least one second).

        """
        recent = sorted((s for s in saved_at if s > now - self.window), reverse=True)
        if len(recent) < self.max_saves:
            return None
        oldest_counted = recent[self.max_saves - 1]
        return max(oldest_counted + self.window - now, dt.timedelta(seconds=1))


#: The limit the store applies to every member's card saves.
CARD_SAVE_LIMIT = CardSaveLimit()
