"""Domain exceptions: every one names what was wrong in words a facilitator can act on."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CopWidgetsError",
    "ValidationError",
    "NotFound",
    "InvalidToken",
    "ConsultationNotOpen",
]


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class CopWidgetsError(Exception):
    """Base class of every error cop-widgets raises on purpose."""


class ValidationError(CopWidgetsError, ValueError):
    """A value breaks a rule of the domain.

    Parameters
    ----------
    field : str
        The name of the field, as the user sees it (``"title"``, ``"responses[2].stance"``).
    rule : str
        The rule that was broken, in words (``"must not be empty"``).
    value : object, optional
        The offending value; shown shortened in the message. Pass ``show_value=False``
        for secrets.
    show_value : bool
        Whether the value may appear in the message.

    """

    def __init__(self, field: str, rule: str, value: Any = None, *, show_value: bool = True):
        self.field = field
        self.rule = rule
        self.value = value if show_value else None
        message = f"{field}: {rule}"
        if show_value and value is not None:
            message += f" (got {_short(value)})"
        super().__init__(message)


class NotFound(CopWidgetsError, LookupError):
    """A record that was asked for does not exist.

    Parameters
    ----------
    entity : str
        What was looked for (``"consultation"``).
    key : object
        The id or key that was not found.

    """

    def __init__(self, entity: str, key: Any):
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {key!r} does not exist")


class InvalidToken(ValidationError):
    """An invitation token is missing, unknown, revoked, or for another consultation."""

    def __init__(self, rule: str = "is not a valid invitation for this consultation"):
        super().__init__("token", rule, show_value=False)


class ConsultationNotOpen(ValidationError):
    """A card or endorsement arrived while the consultation does not accept it."""
