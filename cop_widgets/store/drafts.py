"""Store verbs for the joint response: its draft versions and members' endorsements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import sqlalchemy as sa

from .. import model as m
from ..errors import ConsultationNotOpen, NotFound, ValidationError
from . import schema as t
from .base import StoreBase
from .rows import consultation_from, draft_from, endorsement_from

__all__ = ["DraftVerbs"]


class DraftVerbs(StoreBase):
    """Save, get and list draft versions; record and list members' endorsements."""

    def add_draft(self, consultation_id: int, sections: Mapping[str, str]) -> m.Draft:
        """Save a new version of the joint response."""
        draft = m.Draft(consultation_id, sections)
        with self.transaction() as conn:
            self._one(conn, t.consultations, consultation_id, "consultation", lock=True)
            version = (conn.execute(
                sa.select(sa.func.max(t.drafts.c.version))
                .where(t.drafts.c.consultation_id == consultation_id)
            ).scalar() or 0) + 1
            now = self.now()
            new_id = conn.execute(t.drafts.insert().values(
                consultation_id=consultation_id, version=version, sections=dict(draft.sections),
                created_at=now,
            )).inserted_primary_key[0]
        return replace(draft, id=new_id, version=version, created_at=now)

    def get_draft(self, consultation_id: int, version: int | None = None) -> m.Draft:
        """Return draft ``version``, or the latest one. Raises :class:`NotFound`."""
        query = sa.select(t.drafts).where(t.drafts.c.consultation_id == consultation_id)
        if version is None:
            query = query.order_by(t.drafts.c.version.desc()).limit(1)
        else:
            query = query.where(t.drafts.c.version == version)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("draft", f"{consultation_id}/{version or 'latest'}")
        return draft_from(row)

    def list_drafts(self, consultation_id: int) -> list[m.Draft]:
        """Return every version of the joint response, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.drafts)
                                .where(t.drafts.c.consultation_id == consultation_id)
                                .order_by(t.drafts.c.version))
            return [draft_from(r) for r in rows]

    def add_endorsement(self, consultation_id: int, token: str, draft_id: int,
                        kind: m.EndorsementKind | str, reason: str = "") -> m.Endorsement:
        """Record the token holder's answer to a draft; a later answer supersedes it."""
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            draft = draft_from(self._one(conn, t.drafts, draft_id, "draft"))
            if draft.consultation_id != consultation_id:
                raise ValidationError("draft_id", "not-a-draft-here", draft_id)
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation"))
            if consultation.status is m.ConsultationStatus.DRAFT:
                raise ConsultationNotOpen("status", "endorsements-not-open")
            now = self.now()
            endorsement = m.Endorsement(draft_id, member.id, kind, reason, now)
            new_id = conn.execute(t.endorsements.insert().values(
                draft_id=draft_id, member_id=member.id, kind=endorsement.kind.value,
                reason=endorsement.reason, created_at=now,
            )).inserted_primary_key[0]
        return replace(endorsement, id=new_id)

    def list_endorsements(self, draft_id: int) -> list[m.Endorsement]:
        """Return each member's latest answer to a draft."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.endorsements)
                                .where(t.endorsements.c.draft_id == draft_id)
                                .order_by(t.endorsements.c.id)).all()
        latest = {r.member_id: r for r in rows}
        return [endorsement_from(r) for r in latest.values()]
