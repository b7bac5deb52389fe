"""The discussion phase: members meet each other's reasons (issue 13). Records only; no I/O.

A *reason* is the reason a member gave for their stance on a statement, in their latest
submitted card of the current round. It is addressed by a :data:`ReasonKey`, the pair
``(statement_id, author_id)``: the author's id stays on the server (in the store, the
analysis and the kernel), and is never shown, synced to a page, exported or printed.

What members do with a reason:

- it is *shown* to them (an impression, recorded once per member and reason);
- they mark it "Speaks for me too" (an endorsement of the reason, which they may take back);
- they reply to it (a question or a counterpoint), moderated before others read it;
- they change their own stance on the statement after reading, and may credit the reason
  that changed their mind (a :class:`StanceCredit`).

The *side* of a reason is the side of its author's stance: agree (polarity +1), disagree
(polarity -1), or unsure (polarity 0: neither, a category such as Kaner's "More discussion
needed", or pass).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from .choices import ModerationState
from .fields import LIMITS, moment, required_id, set_field, text

if TYPE_CHECKING:
    from ..scales import Scale

__all__ = ["ReasonKey", "Side", "side_of", "Reason", "Reply", "StanceCredit", "Discussion",
           "GroupSource", "StanceRevision", "DiscussionRecord", "REPLY_MAX",
           "REASONS_PER_SIDE"]

#: ``(statement_id, author_id)``: which member's reason under which statement.
ReasonKey = tuple[int, int]

#: Longest reply, in characters.
REPLY_MAX = LIMITS["reply"]

#: How many reasons of each side a member is shown under a statement, by default.
REASONS_PER_SIDE = 3


class Side(str, Enum):
    """The side of a stance: the reasons under a statement are shown side by side."""

    AGREE = "agree"
    DISAGREE = "disagree"
    UNSURE = "unsure"


def side_of(scale: Scale, stance: int | None) -> Side:
    """Return the side of ``stance`` on ``scale`` (``None``, the pass, is unsure).

    Parameters
    ----------
    scale : Scale
        The consultation's scale.
    stance : int or None
        A stored stance value, or ``None`` for pass / unsure.

    Returns
    -------
    Side
        :attr:`Side.AGREE` for a level of polarity +1, :attr:`Side.DISAGREE` for -1, and
        :attr:`Side.UNSURE` otherwise.

    Raises
    ------
    ValidationError
        ``not-one-of`` for a value the scale does not have.

    """
    if stance is None:
        return Side.UNSURE
    polarity = next((level.polarity for level in scale.levels if level.value == stance), None)
    if polarity is None:
        from ..errors import ValidationError

        raise ValidationError("stance", "not-one-of", stance,
                              allowed=", ".join(map(str, scale.values)))
    return Side.AGREE if polarity > 0 else Side.DISAGREE if polarity < 0 else Side.UNSURE


@dataclass(frozen=True)
class Reason:
    """A member's reason under a statement, as the discussion reads it.

    Attributes
    ----------
    statement_id : int
        The statement.
    author_id : int
        Who gave it. Server-side only: never shown, synced, exported or printed.
    stance : int or None
        The author's stance on the statement in the same card (``None``: pass / unsure).
    side : Side
        The side of that stance.
    text : str
        The reason, as written.

    """

    statement_id: int
    author_id: int
    stance: int | None
    side: Side
    text: str

    @property
    def key(self) -> ReasonKey:
        """The reason's :data:`ReasonKey`."""
        return (self.statement_id, self.author_id)


@dataclass(frozen=True)
class Reply:
    """A reply to a reason: a question or a counterpoint, moderated before it is shown.

    Attributes
    ----------
    reason : ReasonKey
        The reason replied to.
    member_id : int
        Who replied. Server-side only, like :attr:`Reason.author_id`.
    text : str
        The reply (1 to :data:`REPLY_MAX` characters).
    moderation : ModerationState
        Pending until the facilitator accepts or rejects it; only accepted replies are
        shown to members.
    created_at : datetime, optional
        When it was written.
    id : int, optional
        Set by the store.

    """

    reason: ReasonKey
    member_id: int
    text: str
    moderation: ModerationState = ModerationState.PENDING
    created_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        required_id("statement_id", self.reason[0])
        required_id("author_id", self.reason[1])
        required_id("member_id", self.member_id)
        set_field(self, "text", text("reply", self.text, "reply"))
        set_field(self, "moderation", ModerationState.parse("moderation", self.moderation))
        if self.created_at is not None:
            set_field(self, "created_at", moment("created_at", self.created_at))


@dataclass(frozen=True)
class StanceCredit:
    """A member's word that a reason changed their mind on a statement.

    Attributes
    ----------
    member_id : int
        Who changed their mind (server-side only).
    reason : ReasonKey
        The reason credited; it was shown to the member and is not their own.
    created_at : datetime
        When (the time of the card revision that changed the stance).

    """

    member_id: int
    reason: ReasonKey
    created_at: dt.datetime


class GroupSource(str, Enum):
    """Where the groups the bridging rank reads come from."""

    OPINION = "opinion"  # Pol.is-style opinion groups of the answers
    ROSTER = "roster"  # a roster attribute (there were no opinion groups)
    NONE = "none"  # everyone in one group (neither could be found)


@dataclass(frozen=True)
class Discussion:
    """A consultation's discussion phase, and the groups taken when it opened.

    Attributes
    ----------
    consultation_id : int
        The consultation.
    opened_at : datetime
        When the facilitator opened it.
    closed_at : datetime or None
        When the facilitator closed it (``None`` while open).
    groups : dict of int to str
        Member id to group label, as taken when the discussion opened (or last retaken):
        the groups endorsements are counted across. Server-side only.
    source : GroupSource
        Where the groups come from.
    attribute : str
        For :attr:`GroupSource.ROSTER`, the roster attribute; else ``""``.
    apart : dict of str to list
        For opinion groups: each group's label to what sets it apart, a list of
        ``[statement_id, "agree" or "disagree", share in the group (0-1), share elsewhere]``.

    """

    consultation_id: int
    opened_at: dt.datetime
    closed_at: dt.datetime | None = None
    groups: dict[int, str] = field(default_factory=dict)
    source: GroupSource = GroupSource.NONE
    attribute: str = ""
    apart: dict[str, list] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        """Whether members can read, endorse and reply now (the consultation aside)."""
        return self.closed_at is None


@dataclass(frozen=True)
class StanceRevision:
    """One member's stance on one statement in one submitted revision of their card.

    Attributes
    ----------
    member_id : int
        The member (server-side only).
    statement_id : int
        The statement.
    stance : int or None
        The stance (``None``: pass / unsure).
    saved_at : datetime
        When that revision was submitted.

    """

    member_id: int
    statement_id: int
    stance: int | None
    saved_at: dt.datetime


@dataclass(frozen=True)
class DiscussionRecord:
    """Everything the discussion analysis reads of one consultation, read at once.

    Everything is of the current round and of accepted statements.

    Attributes
    ----------
    reasons : list of Reason
        Each member's reason under each statement (latest submitted card, non-empty
        reason), statement by statement in card order, and under a statement in the
        consultation's secret order (:mod:`cop_widgets.model.ordering`), never by time.
    impressions : list of (ReasonKey, int)
        Which reason was shown to which member (once each).
    endorsements : list of (ReasonKey, int)
        Which reason a member marks "Speaks for me too" now (taken-back marks are gone).
    replies : list of Reply
        Every reply, whatever its moderation.
    credits : list of StanceCredit
        Every reason credited with a change of mind, oldest first.
    first_shown : dict of (int, int) to datetime
        ``(member_id, statement_id)`` to when a reason under the statement was first shown
        to the member.
    revisions : list of StanceRevision
        Each member's stance on each statement as it changed over their submitted
        revisions, oldest first: the first stance, then each change (a revision that left a
        stance as it was is not repeated); empty when the reader did not ask for them.

    """

    reasons: list[Reason] = field(default_factory=list)
    impressions: list[tuple[ReasonKey, int]] = field(default_factory=list)
    endorsements: list[tuple[ReasonKey, int]] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    credits: list[StanceCredit] = field(default_factory=list)
    first_shown: dict[tuple[int, int], dt.datetime] = field(default_factory=dict)
    revisions: list[StanceRevision] = field(default_factory=list)
