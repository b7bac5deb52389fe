"""Rows of the store's tables to model dataclasses, and model dataclasses to column values.

``*_from(row)`` builds the model object from a row of its table; ``*_values(obj)`` gives the
columns the store writes for it (its id and timestamps aside, which the store sets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, TypeVar

import sqlalchemy as sa

from .. import model as m
from ..errors import ValidationError

__all__ = [
    "aware", "replace_fields",
    "development_from", "development_values", "consultation_from", "consultation_values",
    "round_from", "statement_from", "statement_values", "member_from", "member_values",
    "invitation_from", "card_from", "draft_from", "endorsement_from",
]

Model = TypeVar("Model")


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Return ``value`` as an aware UTC datetime; a naive one is taken to be UTC already.

    SQLite hands timestamps back naive (in UTC), PostgreSQL aware: both come out the same.
    """
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def replace_fields(current: Model, changes: Mapping[str, Any]) -> Model:
    """Return ``current`` with ``changes`` applied, validated again by the dataclass.

    Raises
    ------
    ValidationError
        ``changes`` names the id, or a field the dataclass does not have.

    """
    if "id" in changes:
        raise ValidationError("id", "id-fixed")
    unknown = set(changes) - set(current.__dataclass_fields__)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "not-changeable")
    return replace(current, **changes)


def development_values(d: m.Development) -> dict[str, Any]:
    """Return the ``developments`` columns of ``d``."""
    return {"kind": d.kind.value, "title": d.title, "summary": d.summary,
            "source_url": d.source_url, "date": d.date, "requester": d.requester,
            "requester_deadline": d.requester_deadline, "questions": list(d.questions)}


def development_from(r: sa.Row) -> m.Development:
    """Return the development of a ``developments`` row."""
    return m.Development(r.kind, r.title, r.summary, r.source_url, r.date, r.requester,
                         r.requester_deadline, tuple(r.questions or ()), id=r.id)


def consultation_values(c: m.Consultation) -> dict[str, Any]:
    """Return the ``consultations`` columns of ``c``."""
    return {"development_id": c.development_id, "title": c.title, "scale": c.scale,
            "anonymous": c.anonymous, "visibility": c.visibility.value,
            "deadline": c.deadline, "status": c.status.value, "language": c.language,
            "receipts": c.receipts}


def consultation_from(r: sa.Row) -> m.Consultation:
    """Return the consultation of a ``consultations`` row."""
    return m.Consultation(r.development_id, r.title, r.scale, bool(r.anonymous), r.visibility,
                          aware(r.deadline), r.status, r.language, id=r.id,
                          receipts=bool(r.receipts))


def round_from(r: sa.Row) -> m.Round:
    """Return the round of a ``rounds`` row."""
    return m.Round(r.consultation_id, r.number, aware(r.opened_at), id=r.id)


def statement_values(s: m.Statement) -> dict[str, Any]:
    """Return the ``statements`` columns of ``s``."""
    return {"consultation_id": s.consultation_id, "text": s.text, "proposed_by": s.proposed_by,
            "moderation": s.moderation.value, "position": s.position,
            "external_id": s.external_id}


def statement_from(r: sa.Row) -> m.Statement:
    """Return the statement of a ``statements`` row."""
    return m.Statement(r.consultation_id, r.text, r.proposed_by, r.moderation, r.position,
                       r.external_id, id=r.id)


def member_values(mb: m.Member) -> dict[str, Any]:
    """Return the ``members`` columns of ``mb``."""
    return {"consultation_id": mb.consultation_id, "name": mb.name, "email": mb.email,
            "attributes": dict(mb.attributes), "external_id": mb.external_id}


def member_from(r: sa.Row) -> m.Member:
    """Return the member of a ``members`` row."""
    return m.Member(r.consultation_id, r.name, r.email, dict(r.attributes or {}),
                    r.external_id, id=r.id)


def invitation_from(r: sa.Row) -> m.Invitation:
    """Return the invitation of an ``invitations`` row."""
    return m.Invitation(r.consultation_id, r.member_id, r.token_hash, aware(r.created_at),
                        aware(r.revoked_at), id=r.id)


def card_from(r: sa.Row, responses: list[m.StanceResponse]) -> m.PositionCard:
    """Return the card of a ``cards`` row, with its answers (from ``card_responses``)."""
    return m.PositionCard(r.consultation_id, r.round_id, r.member_id, tuple(responses),
                          r.concerns, r.impact, r.status, r.revision, aware(r.saved_at),
                          id=r.id)


def draft_from(r: sa.Row) -> m.Draft:
    """Return the draft of a ``drafts`` row."""
    return m.Draft(r.consultation_id, dict(r.sections), r.version, aware(r.created_at),
                   id=r.id, shared_at=aware(r.shared_at), finalised_at=aware(r.finalised_at))


def endorsement_from(r: sa.Row) -> m.Endorsement:
    """Return the endorsement of an ``endorsements`` row."""
    return m.Endorsement(r.draft_id, r.member_id, r.kind, r.reason, aware(r.created_at),
                         id=r.id)
