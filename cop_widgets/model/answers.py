"""What members write: stance responses on position cards, drafts and endorsements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..scales import SCALES
from .choices import CardStatus, EndorsementKind
from .fields import moment, optional_id, required_id, set_field, text

__all__ = ["StanceResponse", "PositionCard", "Draft", "Endorsement", "endorsement_counts"]


@dataclass(frozen=True)
class StanceResponse:
    """A member's stance on one statement: a level of the scale, or ``None`` for a pass."""

    statement_id: int
    stance: int | None = None
    rationale: str = ""

    def __post_init__(self) -> None:
        set_field(self, "statement_id", required_id("statement_id", self.statement_id))
        if self.stance is not None and (
            isinstance(self.stance, bool) or not isinstance(self.stance, int)
        ):
            raise ValidationError("stance", "not-a-stance", self.stance)
        set_field(self, "rationale", text("rationale", self.rationale, "rationale", required=False))


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
            set_field(self, name, required_id(name, getattr(self, name)))
        if not isinstance(self.responses or (), Iterable):
            raise ValidationError("responses", "not-a-response-list", self.responses)
        responses = tuple(_as_response(i, r) for i, r in enumerate(self.responses or ()))
        seen: set[int] = set()
        for i, response in enumerate(responses):
            if response.statement_id in seen:
                raise ValidationError(f"responses[{i}].statement_id", "answered-twice",
                                      response.statement_id)
            seen.add(response.statement_id)
        set_field(self, "responses", responses)
        set_field(self, "concerns", text("concerns", self.concerns, "concerns", required=False))
        set_field(self, "impact", text("impact", self.impact, "impact", required=False))
        set_field(self, "status", CardStatus.parse("status", self.status))
        set_field(self, "revision", optional_id("revision", self.revision))
        set_field(self, "saved_at", moment("saved_at", self.saved_at, required=False))
        set_field(self, "id", optional_id("id", self.id))

    def check_scale(self, scale_key: str) -> None:
        """Raise if a stance is not a level of the scale ``scale_key``."""
        scale = SCALES[scale_key]
        for i, response in enumerate(self.responses):
            if response.stance is not None and response.stance not in scale:
                raise ValidationError(f"responses[{i}].stance", "off-the-scale", response.stance,
                                      levels=", ".join(map(str, sorted(scale.values))),
                                      scale=scale.key)


def _as_response(index: int, value: Any) -> StanceResponse:
    if isinstance(value, StanceResponse):
        return value
    if isinstance(value, Mapping):
        try:
            return StanceResponse(**value)
        except TypeError as exc:
            raise ValidationError(f"responses[{index}]", "response-fields",
                                  detail=str(exc)) from None
        except ValidationError as exc:
            raise exc.moved(f"responses[{index}].{exc.field}") from None
    raise ValidationError(f"responses[{index}]", "not-a-response", value)


@dataclass(frozen=True)
class Draft:
    """One version of the joint response: named Markdown sections, and where it stands.

    A version is saved privately (``shared_at`` is ``None``: members see nothing of it),
    may then be put to the members (``shared_at``: endorsement opens on it), and the
    version put to them may be finalised (``finalised_at``: the response is final, its
    answers frozen). The rules of these steps are the store's
    (:mod:`cop_widgets.store.drafts`).
    """

    consultation_id: int
    sections: Mapping[str, str]
    version: int | None = None
    created_at: dt.datetime | None = None
    id: int | None = None
    shared_at: dt.datetime | None = None
    finalised_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        set_field(self, "consultation_id", required_id("consultation_id", self.consultation_id))
        if not isinstance(self.sections, Mapping) or not self.sections:
            raise ValidationError("sections", "no-sections")
        sections = {
            text("sections (name)", k, "title"): text(f"sections[{k}]", v, "section",
                                                        required=False)
            for k, v in self.sections.items()
        }
        if not any(v.strip() for v in sections.values()):
            raise ValidationError("sections", "empty-draft")
        set_field(self, "sections", sections)
        set_field(self, "version", optional_id("version", self.version))
        set_field(self, "created_at", moment("created_at", self.created_at, required=False))
        set_field(self, "id", optional_id("id", self.id))
        set_field(self, "shared_at", moment("shared_at", self.shared_at, required=False))
        set_field(self, "finalised_at", moment("finalised_at", self.finalised_at,
                                               required=False))
        if self.finalised_at is not None and self.shared_at is None:
            raise ValidationError("finalised_at", "final-not-shared")

    @property
    def shared(self) -> bool:
        """Whether this version has been put to the members."""
        return self.shared_at is not None

    @property
    def final(self) -> bool:
        """Whether this version is the finalised joint response."""
        return self.finalised_at is not None


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
        set_field(self, "draft_id", required_id("draft_id", self.draft_id))
        set_field(self, "member_id", required_id("member_id", self.member_id))
        set_field(self, "kind", EndorsementKind.parse("kind", self.kind))
        reason = text("reason", self.reason, "reason", required=False)
        if self.kind is EndorsementKind.BLOCK and not reason:
            raise ValidationError("reason", "block-needs-reason")
        set_field(self, "reason", reason)
        set_field(self, "created_at", moment("created_at", self.created_at, required=False))
        set_field(self, "id", optional_id("id", self.id))


def endorsement_counts(endorsements: Iterable[Endorsement]) -> dict[str, int]:
    """Count the answers to a draft by kind.

    Returns
    -------
    dict of str to int
        Every kind's value (``endorse``, ``can_live_with``, ``block``, in that order) with
        its number of answers, zero included.

    """
    counts = dict.fromkeys((kind.value for kind in EndorsementKind), 0)
    for endorsement in endorsements:
        counts[endorsement.kind.value] += 1
    return counts
