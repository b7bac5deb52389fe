"""The domain model: plain, validated dataclasses. No I/O, no widgets.

Every constructor validates its values and raises :class:`~cop_widgets.errors.ValidationError`
naming the field and the rule. Text limits are documented in :data:`LIMITS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .errors import ValidationError
from .scales import SCALES

__all__ = [
    "LIMITS",
    "DevelopmentKind",
    "Visibility",
    "ConsultationStatus",
    "ModerationState",
    "CardStatus",
    "EndorsementKind",
    "Development",
    "Consultation",
    "Round",
    "Statement",
    "Member",
    "Invitation",
    "StanceResponse",
    "PositionCard",
    "Draft",
    "Endorsement",
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
    "section": 50_000,
    "language": 10,
    "external_id": 100,
}

#: Attribute names that would collide with roster columns.
RESERVED_ATTRIBUTES = frozenset(
    {"member_id", "name", "email", "external_id", "invited", "responded", "group"}
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


class _Choice(str, Enum):
    @classmethod
    def parse(cls, field_name: str, value: Any):
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValidationError(field_name, f"must be one of {allowed}", value) from None


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


# -- validators ---------------------------------------------------------------------------


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
        raise ValidationError(field_name, "must be text", value)
    value = value.strip()
    if required and not value:
        raise ValidationError(field_name, "must not be empty")
    limit = LIMITS[limit_key]
    if len(value) > limit:
        raise ValidationError(
            field_name, f"must be at most {limit} characters, not {len(value)}", value
        )
    if "\x00" in value:
        raise ValidationError(field_name, "must not contain NUL characters", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field_name, "must not contain unpaired surrogate characters",
                              value) from None
    return value


#: Largest id or position the databases store (32-bit integer columns).
MAX_ID = 2**31 - 1


def _optional_id(field_name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(field_name, f"must be a positive whole number (at most {MAX_ID})",
                              value)
    return value


def _required_id(field_name: str, value: Any) -> int:
    result = _optional_id(field_name, value)
    if result is None:
        raise ValidationError(field_name, "is required")
    return result


def _date(field_name: str, value: Any, *, required: bool = True) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise ValidationError(field_name, "is required")
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
    raise ValidationError(field_name, "must be a date (YYYY-MM-DD)", value)


def moment(field_name: str, value: Any, *, required: bool = True) -> dt.datetime | None:
    """Return ``value`` as an aware UTC datetime; naive datetimes are taken as UTC."""
    if value is None or value == "":
        if required:
            raise ValidationError(field_name, "is required")
        return None
    if isinstance(value, str):
        stripped = value.strip()
        try:  # a date alone means the end of that day, as for a date object
            value = (dt.date.fromisoformat(stripped) if len(stripped) == 10
                     else dt.datetime.fromisoformat(stripped))
        except ValueError:
            raise ValidationError(
                field_name, "must be a date and time (YYYY-MM-DDTHH:MM)", value
            ) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(23, 59, 59))
    return _to_utc(field_name, value)


def _to_utc(field_name: str, value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise ValidationError(field_name, "must be a date and time", value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValidationError(field_name, "must be a date and time between years 1 and 9999 "
                              "(UTC)", value) from None


def _bool(field_name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field_name, "must be true or false", value)
    return value


def _set(obj: Any, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)


# -- entities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Development:
    """An external development the community must answer.

    Attributes
    ----------
    kind : DevelopmentKind
        policy, technology, management_change, request_for_opinion or other.
    title : str
        Short title (required, at most 200 characters).
    summary : str
        What happened, in the facilitator's words (at most 10,000 characters).
    source_url : str
        Link to the source (``http`` or ``https``), or empty.
    date : datetime.date or None
        When the development was announced.
    requester, requester_deadline, questions
        For a request for opinion only: who asks, by when they want the answer, and the
        questions they asked (at least one). Must stay empty for other kinds.

    """

    kind: DevelopmentKind | str
    title: str
    summary: str = ""
    source_url: str = ""
    date: dt.date | str | None = None
    requester: str = ""
    requester_deadline: dt.date | str | None = None
    questions: tuple[str, ...] = ()
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "kind", DevelopmentKind.parse("kind", self.kind))
        _set(self, "title", text("title", self.title, "title"))
        _set(self, "summary", text("summary", self.summary, "summary", required=False))
        url = text("source_url", self.source_url, "source_url", required=False)
        if url and not _URL.match(url):
            raise ValidationError("source_url", "must start with http:// or https://", url)
        _set(self, "source_url", url)
        _set(self, "date", _date("date", self.date, required=False))
        questions = self.questions or ()
        if not isinstance(questions, Iterable):
            raise ValidationError("questions", "must be a list of questions", questions)
        if isinstance(questions, str):
            questions = [q for q in questions.splitlines()]
        questions = tuple(
            text(f"questions[{i}]", q, "question")
            for i, q in enumerate(q for q in questions if q and str(q).strip())
        )
        if len(questions) > LIMITS["questions"]:
            raise ValidationError("questions", f"must be at most {LIMITS['questions']} questions")
        requester = text("requester", self.requester, "requester", required=False)
        deadline = _date("requester_deadline", self.requester_deadline, required=False)
        if self.kind is DevelopmentKind.REQUEST_FOR_OPINION:
            if not requester:
                raise ValidationError("requester", "is required for a request for opinion")
            if deadline is None:
                raise ValidationError(
                    "requester_deadline", "is required for a request for opinion"
                )
            if not questions:
                raise ValidationError(
                    "questions", "a request for opinion needs at least one question"
                )
        else:
            for name, value in (
                ("requester", requester),
                ("requester_deadline", deadline),
                ("questions", questions),
            ):
                if value:
                    raise ValidationError(name, "is only for a request for opinion", value)
        _set(self, "requester", requester)
        _set(self, "requester_deadline", deadline)
        _set(self, "questions", questions)
        _set(self, "id", _optional_id("id", self.id))


@dataclass(frozen=True)
class Consultation:
    """One joint-response process about one development.

    Attributes
    ----------
    development_id : int
        The development being answered.
    title : str
        The question put to the community.
    scale : str
        Key of the stance scale (see :data:`cop_widgets.scales.SCALES`).
    anonymous : bool
        If true, no name is ever shown beside a position.
    visibility : Visibility
        When members may see results: after_submission, after_close or never.
    deadline : datetime or None
        Cards are refused after this moment (UTC).
    status : ConsultationStatus
        draft, open or closed. Cards are accepted only while open.
    language : str
        Language of the member pages (``en``, ``fr``, ``es``).

    """

    development_id: int
    title: str
    scale: str = "likert5"
    anonymous: bool = True
    visibility: Visibility | str = Visibility.AFTER_SUBMISSION
    deadline: dt.datetime | str | None = None
    status: ConsultationStatus | str = ConsultationStatus.DRAFT
    language: str = "en"
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "development_id", _required_id("development_id", self.development_id))
        _set(self, "title", text("title", self.title, "title"))
        if not isinstance(self.scale, str) or self.scale not in SCALES:
            raise ValidationError("scale", f"must be one of {', '.join(SCALES)}", self.scale)
        _set(self, "anonymous", _bool("anonymous", self.anonymous))
        _set(self, "visibility", Visibility.parse("visibility", self.visibility))
        _set(self, "deadline", moment("deadline", self.deadline, required=False))
        _set(self, "status", ConsultationStatus.parse("status", self.status))
        language = text("language", self.language, "language")
        if language not in ("en", "fr", "es"):
            raise ValidationError("language", "must be one of en, fr, es", language)
        _set(self, "language", language)
        _set(self, "id", _optional_id("id", self.id))

    def accepts_cards(self, now: dt.datetime) -> str | None:
        """Return why a card cannot be accepted at ``now``, or ``None`` if it can."""
        if self.status is not ConsultationStatus.OPEN:
            return f"the consultation is {self.status.value}, not open"
        if self.deadline is not None and now > self.deadline:
            return f"the deadline {self.deadline:%Y-%m-%d %H:%M} UTC has passed"
        return None


@dataclass(frozen=True)
class Round:
    """A round of position cards (Delphi rounds; most consultations have one)."""

    consultation_id: int
    number: int = 1
    opened_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "consultation_id", _required_id("consultation_id", self.consultation_id))
        _set(self, "number", _required_id("number", self.number))
        _set(self, "opened_at", moment("opened_at", self.opened_at, required=False))
        _set(self, "id", _optional_id("id", self.id))


@dataclass(frozen=True)
class Statement:
    """A statement members take a stance on.

    Attributes
    ----------
    consultation_id : int
        The consultation it belongs to.
    text : str
        The statement (at most 500 characters).
    proposed_by : int or None
        The member who proposed it, or ``None`` for the facilitator.
    moderation : ModerationState
        pending, accepted, rejected or withdrawn; only accepted statements are on cards.
    position : int
        Order on the card (ascending).
    external_id : str
        Id in another system (a Pol.is comment id), or empty.

    """

    consultation_id: int
    text: str
    proposed_by: int | None = None
    moderation: ModerationState | str = ModerationState.ACCEPTED
    position: int = 0
    external_id: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "consultation_id", _required_id("consultation_id", self.consultation_id))
        _set(self, "text", text("text", self.text, "statement"))
        _set(self, "proposed_by", _optional_id("proposed_by", self.proposed_by))
        _set(self, "moderation", ModerationState.parse("moderation", self.moderation))
        if (isinstance(self.position, bool) or not isinstance(self.position, int)
                or not 0 <= self.position <= MAX_ID):
            raise ValidationError("position", f"must be a whole number from 0 to {MAX_ID}",
                                  self.position)
        _set(self, "external_id", text("external_id", self.external_id, "external_id",
                                       required=False))
        _set(self, "id", _optional_id("id", self.id))


@dataclass(frozen=True)
class Member:
    """A member of the community invited to a consultation.

    Attributes
    ----------
    consultation_id : int
        The consultation whose roster holds the member.
    name : str
        Name as the facilitator knows it (never shown beside a position when anonymous).
    email : str
        Optional email address.
    attributes : dict of str to str
        Free-form attributes (role, region, organisation type...).
    external_id : str
        Id in another system (a Pol.is participant id), or empty.

    """

    consultation_id: int
    name: str
    email: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    external_id: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "consultation_id", _required_id("consultation_id", self.consultation_id))
        _set(self, "name", text("name", self.name, "name"))
        email = text("email", self.email, "email", required=False)
        if email and not _EMAIL.match(email):
            raise ValidationError("email", "must look like name@example.org", email)
        _set(self, "email", email)
        if not isinstance(self.attributes, Mapping):
            raise ValidationError("attributes", "must be a mapping of names to values")
        if len(self.attributes) > LIMITS["attributes"]:
            raise ValidationError(
                "attributes", f"must be at most {LIMITS['attributes']} attributes"
            )
        attributes: dict[str, str] = {}
        for key, value in self.attributes.items():
            key = text("attributes (name)", key, "attribute_key")
            if key.lower() in RESERVED_ATTRIBUTES:
                reserved = ", ".join(sorted(RESERVED_ATTRIBUTES))
                raise ValidationError("attributes (name)", f"must not be one of {reserved}", key)
            attributes[key] = text(f"attributes[{key}]", "" if value is None else str(value),
                                   "attribute_value", required=False)
        _set(self, "attributes", attributes)
        _set(self, "external_id", text("external_id", self.external_id, "external_id",
                                       required=False))
        _set(self, "id", _optional_id("id", self.id))


@dataclass(frozen=True)
class Invitation:
    """An invitation of one member to one consultation; only the token's hash is kept."""

    consultation_id: int
    member_id: int
    token_hash: str
    created_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "consultation_id", _required_id("consultation_id", self.consultation_id))
        _set(self, "member_id", _required_id("member_id", self.member_id))
        if not isinstance(self.token_hash, str) or not re.fullmatch(r"[0-9a-f]{64}",
                                                                     self.token_hash):
            raise ValidationError("token_hash", "must be a SHA-256 hex digest", show_value=False)
        _set(self, "created_at", moment("created_at", self.created_at, required=False))
        _set(self, "revoked_at", moment("revoked_at", self.revoked_at, required=False))
        _set(self, "id", _optional_id("id", self.id))

    @property
    def revoked(self) -> bool:
        """Whether the invitation no longer admits its member."""
        return self.revoked_at is not None


@dataclass(frozen=True)
class StanceResponse:
    """A member's stance on one statement: a level of the scale, or ``None`` for a pass."""

    statement_id: int
    stance: int | None = None
    rationale: str = ""

    def __post_init__(self) -> None:
        _set(self, "statement_id", _required_id("statement_id", self.statement_id))
        if self.stance is not None and (
            isinstance(self.stance, bool) or not isinstance(self.stance, int)
        ):
            raise ValidationError("stance", "must be a level of the scale or a pass", self.stance)
        _set(self, "rationale", text("rationale", self.rationale, "rationale", required=False))


@dataclass(frozen=True)
class PositionCard:
    """One member's position in one round: a stance per statement, and their reasons.

    Each save is a new revision; the latest submitted revision is the member's position.

    Attributes
    ----------
    consultation_id, round_id, member_id : int
        Where the card belongs and whose it is (set by the store from the token).
    responses : tuple of StanceResponse
        At most one per statement; a statement left out was not answered.
    concerns : str
        Overall concerns (at most 5,000 characters).
    impact : str
        The impact on the member's own practice (at most 5,000 characters).
    status : CardStatus
        draft or submitted.
    revision : int
        1 for the first save, then 2, 3...

    """

    consultation_id: int
    round_id: int
    member_id: int
    responses: tuple[StanceResponse, ...] = ()
    concerns: str = ""
    impact: str = ""
    status: CardStatus | str = CardStatus.SUBMITTED
    revision: int | None = None
    saved_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        for name in ("consultation_id", "round_id", "member_id"):
            _set(self, name, _required_id(name, getattr(self, name)))
        if not isinstance(self.responses or (), Iterable):
            raise ValidationError("responses", "must be a list of stance responses",
                                  self.responses)
        responses = tuple(_as_response(i, r) for i, r in enumerate(self.responses or ()))
        seen: set[int] = set()
        for i, response in enumerate(responses):
            if response.statement_id in seen:
                raise ValidationError(
                    f"responses[{i}].statement_id", "answers a statement twice",
                    response.statement_id,
                )
            seen.add(response.statement_id)
        _set(self, "responses", responses)
        _set(self, "concerns", text("concerns", self.concerns, "concerns", required=False))
        _set(self, "impact", text("impact", self.impact, "impact", required=False))
        _set(self, "status", CardStatus.parse("status", self.status))
        _set(self, "revision", _optional_id("revision", self.revision))
        _set(self, "saved_at", moment("saved_at", self.saved_at, required=False))
        _set(self, "id", _optional_id("id", self.id))

    def check_scale(self, scale_key: str) -> None:
        """Raise if a stance is not a level of the scale ``scale_key``."""
        scale = SCALES[scale_key]
        for i, response in enumerate(self.responses):
            if response.stance is not None and response.stance not in scale:
                raise ValidationError(
                    f"responses[{i}].stance",
                    f"must be one of {', '.join(map(str, sorted(scale.values)))} or a pass "
                    f"on the scale {scale.key}",
                    response.stance,
                )


def _as_response(index: int, value: Any) -> StanceResponse:
    if isinstance(value, StanceResponse):
        return value
    if isinstance(value, Mapping):
        try:
            return StanceResponse(**value)
        except TypeError as exc:
            raise ValidationError(f"responses[{index}]", str(exc)) from None
        except ValidationError as exc:
            raise ValidationError(f"responses[{index}].{exc.field}", exc.rule, exc.value) from None
    raise ValidationError(f"responses[{index}]", "must be a stance response", value)


@dataclass(frozen=True)
class Draft:
    """One version of the joint response: named Markdown sections."""

    consultation_id: int
    sections: Mapping[str, str]
    version: int | None = None
    created_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "consultation_id", _required_id("consultation_id", self.consultation_id))
        if not isinstance(self.sections, Mapping) or not self.sections:
            raise ValidationError("sections", "must name at least one section")
        sections = {
            text("sections (name)", k, "title"): text(f"sections[{k}]", v, "section",
                                                        required=False)
            for k, v in self.sections.items()
        }
        if not any(v.strip() for v in sections.values()):
            raise ValidationError("sections", "at least one section must have text: members "
                                  "would be asked to endorse an empty response")
        _set(self, "sections", sections)
        _set(self, "version", _optional_id("version", self.version))
        _set(self, "created_at", moment("created_at", self.created_at, required=False))
        _set(self, "id", _optional_id("id", self.id))


@dataclass(frozen=True)
class Endorsement:
    """A member's answer to a draft: endorse, can live with, or block, with a reason."""

    draft_id: int
    member_id: int
    kind: EndorsementKind | str
    reason: str = ""
    created_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        _set(self, "draft_id", _required_id("draft_id", self.draft_id))
        _set(self, "member_id", _required_id("member_id", self.member_id))
        _set(self, "kind", EndorsementKind.parse("kind", self.kind))
        reason = text("reason", self.reason, "reason", required=False)
        if self.kind is EndorsementKind.BLOCK and not reason:
            raise ValidationError("reason", "a block needs a reason")
        _set(self, "reason", reason)
        _set(self, "created_at", moment("created_at", self.created_at, required=False))
        _set(self, "id", _optional_id("id", self.id))


def parse_attributes_csv_row(row: Mapping[str, Any], skip: Iterable[str]) -> dict[str, str]:
    """Return the attribute columns of a roster CSV row (every column not in ``skip``)."""
    skipped = {s.lower() for s in skip}
    return {
        str(k).strip(): str(v or "").strip()
        for k, v in row.items()
        if k is not None and str(k).strip() and str(k).strip().lower() not in skipped
    }
