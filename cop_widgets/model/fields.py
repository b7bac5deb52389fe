"""Field validation shared by every record: text limits, ids, dates, moments and flags.

Each helper returns the value normalised or raises :class:`~cop_widgets.errors.ValidationError`
naming the field and the rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import ValidationError

__all__ = [
    "LIMITS",
    "MAX_ID",
    "text",
    "moment",
    "optional_id",
    "required_id",
    "calendar_date",
    "to_utc",
    "boolean",
    "set_field",
]

#: Maximum length, in characters, of every free-text field.
LIMITS: dict[str, int] = {
    "title": 200,
    "summary": 10_000,
    "source_url": 2_000,
    "requester": 200,
    "question": 1_000,
    "questions": 20,  # number of questions
    "statement": 500,
    "name": 200,
    "email": 320,
    "attribute_key": 60,
    "attribute_value": 200,
    "attributes": 20,  # number of attributes
    "rationale": 2_000,
    "concerns": 5_000,
    "impact": 5_000,
    "reason": 2_000,
    "reply": 500,
    "section": 50_000,
    "language": 10,
    "external_id": 100,
}


def text(field_name: str, value: Any, limit_key: str, *, required: bool = True) -> str:
    """Return ``value`` stripped, checking type, emptiness and length.

    Parameters
    ----------
    field_name : str
        Name used in the error.
    value : object
        The candidate text; ``None`` counts as empty.
    limit_key : str
        Key into :data:`LIMITS`.
    required : bool
        Whether an empty text is an error.

    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field_name, "not-text", value)
    value = value.strip()
    if required and not value:
        raise ValidationError(field_name, "empty")
    limit = LIMITS[limit_key]
    if len(value) > limit:
        raise ValidationError(field_name, "too-long", value, limit=limit, length=len(value))
    if "\x00" in value:
        raise ValidationError(field_name, "nul-character", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field_name, "unpaired-surrogate", value) from None
    return value


#: Largest id or position the databases store (32-bit integer columns).
MAX_ID = 2**31 - 1


def optional_id(field_name: str, value: Any) -> int | None:
    """Return ``value`` if it is ``None`` or an id from 1 to :data:`MAX_ID`, else raise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(field_name, "not-an-id", value, limit=MAX_ID)
    return value


def required_id(field_name: str, value: Any) -> int:
    """Return ``value`` if it is an id from 1 to :data:`MAX_ID`; ``None`` is an error."""
    result = optional_id(field_name, value)
    if result is None:
        raise ValidationError(field_name, "required")
    return result


def calendar_date(field_name: str, value: Any, *, required: bool = True) -> dt.date | None:
    """Return ``value`` as a date (a datetime keeps its day, a text is ``YYYY-MM-DD``)."""
    if value is None or value == "":
        if required:
            raise ValidationError(field_name, "required")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(field_name, "not-a-date", value)


def moment(field_name: str, value: Any, *, required: bool = True) -> dt.datetime | None:
    """Return ``value`` as an aware UTC datetime; naive datetimes are taken as UTC."""
    if value is None or value == "":
        if required:
            raise ValidationError(field_name, "required")
        return None
    if isinstance(value, str):
        stripped = value.strip()
        try:  # a date alone means the end of that day, as for a date object
            value = (dt.date.fromisoformat(stripped) if len(stripped) == 10
                     else dt.datetime.fromisoformat(stripped))
        except ValueError:
            raise ValidationError(field_name, "not-a-moment-text", value) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(23, 59, 59))
    return to_utc(field_name, value)


def to_utc(field_name: str, value: Any) -> dt.datetime:
    """Return the datetime ``value`` in UTC; a naive one is taken as UTC already."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(field_name, "not-a-moment", value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValidationError(field_name, "moment-out-of-range", value) from None


def boolean(field_name: str, value: Any) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (not merely truthy), else raise."""
    if not isinstance(value, bool):
        raise ValidationError(field_name, "not-a-boolean", value)
    return value


def set_field(obj: Any, name: str, value: Any) -> None:
    """Set ``name`` on the frozen dataclass ``obj`` while it validates itself."""
    object.__setattr__(obj, name, value)
