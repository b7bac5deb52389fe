"""Store verbs for the joint response: its versions, their steps, and members' answers.

A version is saved privately (:meth:`DraftVerbs.add_draft`), put to the members
(:meth:`DraftVerbs.share_draft`) and, once they have answered, finalised
(:meth:`DraftVerbs.finalise_draft`). Which answers are taken is decided in one place,
:func:`endorsement_refusal`.
"""

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
                        shared: m.Draft | None) -> ValidationError | None:
    """Return why an answer to ``draft`` is refused now, or ``None`` if it is taken.

    The endorsement window, the one rule every page and verb follows: answers are taken
    while the consultation is open (they close when the facilitator closes it), only on
    the version put to the members (a version saved privately is not theirs to answer; an
    answer to one the facilitator has since replaced would count for a text no one is
    asked to stand behind any more), and never once the response is finalised (its tally
    is frozen, even if the consultation were opened again).

    Parameters
    ----------
    consultation : Consultation
        The draft's consultation.
    draft : Draft
        The version a member answers.
    shared : Draft or None
        The version put to the members (the newest shared one), ``None`` before the first.

    Returns
    -------
    ValidationError or None
        ``response-finalised`` (with ``moment``) once ``shared`` is final;
        :class:`ConsultationNotOpen` ``endorsements-not-open`` (the consultation is a
        draft) or ``endorsement-closed`` (it is closed); ``draft-not-shared`` (with
        ``version``) for a version never put to the members; ``draft-superseded`` (with
        ``version`` and ``latest``) when a later version has been put to them.

    """
    if shared is not None and shared.final:
        return ValidationError("draft", "response-finalised", moment=shared.finalised_at)
    if consultation.status is m.ConsultationStatus.DRAFT:
        return ConsultationNotOpen("status", "endorsements-not-open")
    if consultation.status is not m.ConsultationStatus.OPEN:
        return ConsultationNotOpen("draft", "endorsement-closed")
    if shared is None or not draft.shared:
        return ValidationError("draft", "draft-not-shared", version=draft.version)
    if draft.version != shared.version:
        return ValidationError("draft", "draft-superseded", version=draft.version,
                               latest=shared.version)
    return None


class DraftVerbs(StoreBase):
    """Save, share, finalise and read versions; record and list members' answers."""

    def add_draft(self, consultation_id: int, sections: Mapping[str, str], *,
                  share: bool = False) -> m.Draft:
        """Save a new version of the joint response, privately unless ``share``.

        Members see nothing of a private version: they keep reading (and answering) the
        version put to them. ``share=True`` saves and puts it to them in one step, under
        :meth:`share_draft`'s rules.

        Raises
        ------
        NotFound
            No such consultation.
        ValidationError
            ``response-finalised`` once the response is final (no version follows it);
            with ``share``, ``share-needs-open`` unless the consultation is open.

        """
        draft = m.Draft(consultation_id, sections)
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            shared = self._shared(conn, consultation_id)
            self._refuse_if_final(shared)
            if share:
                self._refuse_unless_shareable(consultation)
            version = (conn.execute(
                sa.select(sa.func.max(t.drafts.c.version))
                .where(t.drafts.c.consultation_id == consultation_id)
            ).scalar() or 0) + 1
            now = self.now()
            shared_at = now if share else None
            new_id = conn.execute(t.drafts.insert().values(
                consultation_id=consultation_id, version=version, sections=dict(draft.sections),
                created_at=now, shared_at=shared_at,
            )).inserted_primary_key[0]
        return replace(draft, id=new_id, version=version, created_at=now, shared_at=shared_at)

    def share_draft(self, consultation_id: int, version: int) -> m.Draft:
        """Put version ``version`` to the members: endorsement opens on it.

        One version is open for endorsement at a time: putting a newer one supersedes the
        one the members had (answers to that one stay recorded, under its version).
        Putting the version they already have again changes nothing.

        Raises
        ------
        NotFound
            No such consultation or version.
        ValidationError
            ``share-needs-open`` unless the consultation is open; ``share-older-version``
            for a version older than the one the members have (saving its text again makes
            it the newest); ``response-finalised`` once the response is final.

        """
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            draft = self._version(conn, consultation_id, version)
            shared = self._shared(conn, consultation_id)
            self._refuse_if_final(shared)
            self._refuse_unless_shareable(consultation)
            if shared is not None and shared.version == draft.version:
                return shared
            if shared is not None and draft.version < shared.version:
                raise ValidationError("version", "share-older-version", version=draft.version,
                                      shared=shared.version)
            now = self.now()
            conn.execute(t.drafts.update().where(t.drafts.c.id == draft.id)
                         .values(shared_at=now))
        return replace(draft, shared_at=now)

    def finalise_draft(self, consultation_id: int) -> m.Draft:
        """Finalise the version put to the members: the joint response is final.

        Its answers are frozen (:func:`endorsement_refusal` refuses every later one with
        ``response-finalised``), no version follows it, and an open consultation is closed
        in the same transaction: finalising is the end of the consultation, so cards close
        with the answers.

        Raises
        ------
        NotFound
            No such consultation.
        ValidationError
            ``nothing-to-finalise`` before a version was put to the members;
            ``response-finalised`` when it is final already.

        """
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            shared = self._shared(conn, consultation_id)
            if shared is None:
                raise ValidationError("draft", "nothing-to-finalise")
            self._refuse_if_final(shared)
            now = self.now()
            conn.execute(t.drafts.update().where(t.drafts.c.id == shared.id)
                         .values(finalised_at=now))
            if consultation.status is m.ConsultationStatus.OPEN:
                conn.execute(t.consultations.update()
                             .where(t.consultations.c.id == consultation_id)
                             .values(status=m.ConsultationStatus.CLOSED.value))
        return replace(shared, finalised_at=now)

    def get_draft(self, consultation_id: int, version: int | None = None) -> m.Draft:
        """Return draft ``version``; without one, the version put to the members.

        What members read and answer is the version put to them (the final one, once the
        response is finalised), never a later version saved privately: that one is read by
        its number, or with :meth:`list_drafts`.

        Raises
        ------
        NotFound
            No such version; without ``version``, none was put to the members yet.

        """
        with self._read() as conn:
            if version is None:
                draft = self._shared(conn, consultation_id)
                if draft is None:
                    raise NotFound("draft", f"{consultation_id}/shared")
                return draft
            return self._version(conn, consultation_id, version)

    def list_drafts(self, consultation_id: int) -> list[m.Draft]:
        """Return every version of the joint response, private ones included, oldest first."""
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
            reason), or :func:`endorsement_refusal` refuses it: the response is final
            (``response-finalised``), the consultation is not open
            (``endorsements-not-open``, ``endorsement-closed``), or the draft is not the
            version put to the members (``draft-not-shared``, ``draft-superseded``).
            Nothing is written.

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            # Share-lock the consultation: sharing, finalising or closing waits.
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock="share"))
            draft = self._draft_here(conn, consultation_id, draft_id)
            refusal = endorsement_refusal(consultation, draft,
                                          self._shared(conn, consultation_id))
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
                                       self._shared(conn, consultation_id))

    def _draft_here(self, conn: Connection, consultation_id: int, draft_id: int) -> m.Draft:
        """Return draft ``draft_id``; refuse one of another consultation."""
        draft = draft_from(self._one(conn, t.drafts, draft_id, "draft"))
        if draft.consultation_id != consultation_id:
            raise ValidationError("draft_id", "not-a-draft-here", draft_id)
        return draft

    @staticmethod
    def _version(conn: Connection, consultation_id: int, version: int) -> m.Draft:
        """Return version ``version`` of a consultation's draft, or raise NotFound."""
        row = conn.execute(sa.select(t.drafts).where(
            t.drafts.c.consultation_id == consultation_id,
            t.drafts.c.version == version)).first()
        if row is None:
            raise NotFound("draft", f"{consultation_id}/{version}")
        return draft_from(row)

    @staticmethod
    def _shared(conn: Connection, consultation_id: int) -> m.Draft | None:
        """Return the version put to the members (the newest shared), or ``None``."""
        row = conn.execute(sa.select(t.drafts).where(
            t.drafts.c.consultation_id == consultation_id, t.drafts.c.shared_at.is_not(None))
            .order_by(t.drafts.c.version.desc()).limit(1)).first()
        return None if row is None else draft_from(row)

    @staticmethod
    def _refuse_if_final(shared: m.Draft | None) -> None:
        """Raise ``response-finalised`` once the response is final: nothing follows it."""
        if shared is not None and shared.final:
            raise ValidationError("draft", "response-finalised", moment=shared.finalised_at)

    @staticmethod
    def _refuse_unless_shareable(consultation: m.Consultation) -> None:
        """Raise ``share-needs-open`` unless members can answer a version put to them now."""
        if consultation.status is not m.ConsultationStatus.OPEN:
            raise ConsultationNotOpen("status", "share-needs-open")

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
