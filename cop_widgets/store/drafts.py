"""Store verbs for the joint response: its draft versions and members' endorsements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ConsultationNotOpen, NotFound, ValidationError
from ..model.ordering import endorsements_scope, seeded_order
from . import schema as t
from .base import StoreBase
from .ordering import order_secret
from .rows import consultation_from, draft_from, endorsement_from

__all__ = ["DraftVerbs", "endorsement_refusal"]


def endorsement_refusal(consultation: m.Consultation, draft: m.Draft,
                        latest_version: int) -> ValidationError | None:
    """Return why an answer to ``draft`` is refused now, or ``None`` if it is taken.

    Endorsement is open while the consultation is open (it closes when the facilitator
    closes the consultation), and only the latest version of the draft can be answered:
    an answer to a version the facilitator has since replaced would count for a text no
    one is asked to stand behind any more.

    Parameters
    ----------
    consultation : Consultation
        The draft's consultation.
    draft : Draft
        The version a member answers.
    latest_version : int
        The newest version of the consultation's draft.

    Returns
    -------
    ValidationError or None
        :class:`ConsultationNotOpen` with code ``endorsements-not-open`` (the consultation
        is a draft) or ``endorsement-closed`` (it is closed); :class:`ValidationError`
        ``draft-superseded`` on ``draft`` (a later version exists).

    """
    if consultation.status is m.ConsultationStatus.DRAFT:
        return ConsultationNotOpen("status", "endorsements-not-open")
    if consultation.status is not m.ConsultationStatus.OPEN:
        return ConsultationNotOpen("draft", "endorsement-closed")
    if draft.version != latest_version:
        return ValidationError("draft", "draft-superseded", version=draft.version,
                               latest=latest_version)
    return None


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
        """Record the token holder's answer to a draft; a later answer supersedes it.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        NotFound
            No such draft.
        ValidationError
            The draft is another consultation's, the answer is malformed (a block needs a
            reason), or :func:`endorsement_refusal` refuses it: the consultation is not
            open (``endorsements-not-open``, ``endorsement-closed``) or a later version of
            the draft exists (``draft-superseded``). Nothing is written.

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            # Share-lock the consultation: a new version (add_draft) or closing waits.
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock="share"))
            draft = self._draft_here(conn, consultation_id, draft_id)
            refusal = endorsement_refusal(consultation, draft,
                                          self._latest_version(conn, consultation_id))
            if refusal is not None:
                raise refusal
            now = self.now()
            endorsement = m.Endorsement(draft_id, member.id, kind, reason, now)
            new_id = conn.execute(t.endorsements.insert().values(
                draft_id=draft_id, member_id=member.id, kind=endorsement.kind.value,
                reason=endorsement.reason, created_at=now,
            )).inserted_primary_key[0]
        return replace(endorsement, id=new_id)

    def get_endorsement_refusal(self, consultation_id: int,
                                draft_id: int) -> ValidationError | None:
        """Return why an answer to draft ``draft_id`` would be refused now, or ``None``.

        The refusal :meth:`add_endorsement` would raise for a valid member and answer, for
        a page to say before a member writes one. Raises :class:`NotFound` or
        :class:`ValidationError` (``not-a-draft-here``) as that verb does.
        """
        with self._read() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation"))
            draft = self._draft_here(conn, consultation_id, draft_id)
            return endorsement_refusal(consultation, draft,
                                       self._latest_version(conn, consultation_id))

    def _draft_here(self, conn: Connection, consultation_id: int, draft_id: int) -> m.Draft:
        """Return draft ``draft_id``; refuse one of another consultation."""
        draft = draft_from(self._one(conn, t.drafts, draft_id, "draft"))
        if draft.consultation_id != consultation_id:
            raise ValidationError("draft_id", "not-a-draft-here", draft_id)
        return draft

    @staticmethod
    def _latest_version(conn: Connection, consultation_id: int) -> int:
        return conn.execute(sa.select(sa.func.max(t.drafts.c.version))
                            .where(t.drafts.c.consultation_id == consultation_id)).scalar()

    def list_endorsements(self, draft_id: int) -> list[m.Endorsement]:
        """Return each member's latest answer to a draft.

        The order says nothing of who answered or when: it is the permutation of the
        members that the consultation's secret draws for this draft
        (:func:`cop_widgets.model.ordering.seeded_order`), the same on every reading, and
        another for each draft.
        """
        with self._read() as conn:
            consultation_id = conn.execute(
                sa.select(t.drafts.c.consultation_id).where(t.drafts.c.id == draft_id)
            ).scalar()
            if consultation_id is None:
                return []
            secret = order_secret(conn, consultation_id)
            rows = conn.execute(sa.select(t.endorsements)
                                .where(t.endorsements.c.draft_id == draft_id)
                                .order_by(t.endorsements.c.id)).all()
        latest = {r.member_id: r for r in rows}
        return seeded_order((endorsement_from(r) for r in latest.values()), secret,
                            endorsements_scope(draft_id), key=lambda e: str(e.member_id))
