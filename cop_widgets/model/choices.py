"""The closed sets of values the model accepts: kinds, states and visibility."""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..errors import ValidationError

__all__ = [
    "DevelopmentKind",
    "Visibility",
    "ConsultationStatus",
    "ModerationState",
    "CardStatus",
    "EndorsementKind",
]


class _Choice(str, Enum):
    @classmethod
    def parse(cls, field_name: str, value: Any):
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValidationError(field_name, "not-one-of", value, allowed=allowed) from None


class DevelopmentKind(_Choice):
    """What kind of external development the community answers."""

    POLICY = "policy"
    TECHNOLOGY = "technology"
    MANAGEMENT_CHANGE = "management_change"
    REQUEST_FOR_OPINION = "request_for_opinion"
    OTHER = "other"


class Visibility(_Choice):
    """When members may see the community's results."""

    AFTER_SUBMISSION = "after_submission"
    AFTER_CLOSE = "after_close"
    NEVER = "never"


class ConsultationStatus(_Choice):
    """Life cycle of a consultation."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ModerationState(_Choice):
    """Moderation state of a statement."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class CardStatus(_Choice):
    """A saved draft of a position card, or a submitted one."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class EndorsementKind(_Choice):
    """A member's answer to a draft joint response."""

    ENDORSE = "endorse"
    CAN_LIVE_WITH = "can_live_with"
    BLOCK = "block"
