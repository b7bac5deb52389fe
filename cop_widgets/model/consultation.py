"""The consultation and what it is about: the development, its rounds and its statements."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ValidationError
from ..i18n import LANGUAGES
from ..scales import SCALES
from .choices import ConsultationStatus, DevelopmentKind, ModerationState, Visibility
from .fields import (
    LIMITS,
    MAX_ID,
    boolean,
    calendar_date,
    moment,
    optional_id,
    required_id,
    set_field,
    text,
)

__all__ = ["Development", "Consultation", "Round", "Statement"]

_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


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
        set_field(self, "id", optional_id("id", self.id))
        set_field(self, "kind", DevelopmentKind.parse("kind", self.kind))
        set_field(self, "title", text("title", self.title, "title"))
        set_field(self, "summary", text("summary", self.summary, "summary", required=False))
        url = text("source_url", self.source_url, "source_url", required=False)
        if url and not _URL.match(url):
            raise ValidationError("source_url", "not-a-link", url)
        set_field(self, "source_url", url)
        set_field(self, "date", calendar_date("date", self.date, required=False))
        questions = self.questions or ()
        if not isinstance(questions, Iterable):
            raise ValidationError("questions", "not-a-question-list", questions)
        if isinstance(questions, str):
            questions = [q for q in questions.splitlines()]
        questions = tuple(
            text(f"questions[{i}]", q, "question")
            for i, q in enumerate(q for q in questions if q and str(q).strip())
        )
        if len(questions) > LIMITS["questions"]:
            raise ValidationError("questions", "too-many-questions", limit=LIMITS["questions"])
        requester = text("requester", self.requester, "requester", required=False)
        deadline = calendar_date("requester_deadline", self.requester_deadline, required=False)
        if self.kind is DevelopmentKind.REQUEST_FOR_OPINION:
            if not requester:
                raise ValidationError("requester", "request-requires")
            if deadline is None:
                raise ValidationError("requester_deadline", "request-requires")
            if not questions:
                raise ValidationError("questions", "request-needs-question")
        else:
            for name, value in (
                ("requester", requester),
                ("requester_deadline", deadline),
                ("questions", questions),
            ):
                if value:
                    raise ValidationError(name, "request-only", value)
        set_field(self, "requester", requester)
        set_field(self, "requester_deadline", deadline)
        set_field(self, "questions", questions)


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
    receipts : bool
        If true, a member with an email address gets a receipt (no stance in it) each time
        they submit a card. Off by default.

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
    receipts: bool = False

    def __post_init__(self) -> None:
        set_field(self, "development_id", required_id("development_id", self.development_id))
        set_field(self, "title", text("title", self.title, "title"))
        if not isinstance(self.scale, str) or self.scale not in SCALES:
            raise ValidationError("scale", "not-one-of", self.scale, allowed=", ".join(SCALES))
        set_field(self, "anonymous", boolean("anonymous", self.anonymous))
        set_field(self, "visibility", Visibility.parse("visibility", self.visibility))
        set_field(self, "deadline", moment("deadline", self.deadline, required=False))
        set_field(self, "status", ConsultationStatus.parse("status", self.status))
        language = text("language", self.language, "language")
        if language not in LANGUAGES:
            raise ValidationError("language", "not-one-of", language,
                                  allowed=", ".join(LANGUAGES))
        set_field(self, "language", language)
        set_field(self, "id", optional_id("id", self.id))
        set_field(self, "receipts", boolean("receipts", self.receipts))

    def card_refusal(self, now: dt.datetime) -> str | None:
        """Return why a card cannot be accepted at ``now``, as a code, or ``None`` if it can.

        Parameters
        ----------
        now : datetime
            The moment of the attempt (aware, UTC).

        Returns
        -------
        str or None
            ``consultation-draft`` or ``consultation-closed`` when the consultation is not
            open, ``deadline-passed`` when its :attr:`deadline` has passed (codes of
            :data:`cop_widgets.error_codes.RULES`); ``None`` when cards are accepted.

        """
        if self.status is ConsultationStatus.DRAFT:
            return "consultation-draft"
        if self.status is ConsultationStatus.CLOSED:
            return "consultation-closed"
        if self.deadline is not None and now > self.deadline:
            return "deadline-passed"
        return None

    def accepts_cards(self, now: dt.datetime) -> bool:
        """Return whether a card may be saved at ``now`` (aware, UTC).

        ``True`` while the consultation is open and its deadline has not passed; see
        :meth:`card_refusal` for why not.
        """
        return self.card_refusal(now) is None


@dataclass(frozen=True)
class Round:
    """A round of position cards (Delphi rounds; most consultations have one)."""

    consultation_id: int
    number: int = 1
    opened_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        set_field(self, "consultation_id", required_id("consultation_id", self.consultation_id))
        set_field(self, "number", required_id("number", self.number))
        set_field(self, "opened_at", moment("opened_at", self.opened_at, required=False))
        set_field(self, "id", optional_id("id", self.id))


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
        set_field(self, "consultation_id", required_id("consultation_id", self.consultation_id))
        set_field(self, "text", text("text", self.text, "statement"))
        set_field(self, "proposed_by", optional_id("proposed_by", self.proposed_by))
        set_field(self, "moderation", ModerationState.parse("moderation", self.moderation))
        if (isinstance(self.position, bool) or not isinstance(self.position, int)
                or not 0 <= self.position <= MAX_ID):
            raise ValidationError("position", "not-a-position", self.position, limit=MAX_ID)
        set_field(self, "external_id", text("external_id", self.external_id, "external_id",
                                       required=False))
        set_field(self, "id", optional_id("id", self.id))
