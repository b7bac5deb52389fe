"""Store verbs for the roster and its invitations (a member is who their token admits)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError
from . import schema as t
from .base import StoreBase, hash_token
from .outbox import enqueue_message
from .rows import invitation_from, member_from, member_values, replace_fields

__all__ = ["MemberVerbs", "select_members"]


def select_members(conn: Connection, consultation_id: int) -> list[m.Member]:
    """Return a consultation's roster in the order members were added."""
    rows = conn.execute(sa.select(t.members)
                        .where(t.members.c.consultation_id == consultation_id)
                        .order_by(t.members.c.id))
    return [member_from(r) for r in rows]


class MemberVerbs(StoreBase):
    """Add, get, list and update members; issue, revoke and resolve invitation tokens."""

    def add_member(self, member: m.Member) -> m.Member:
        """Add one member to a consultation's roster."""
        return self.add_members([member])[0]

    def add_members(self, members: Sequence[m.Member]) -> list[m.Member]:
        """Add several members at once: all of them, or none if one is refused."""
        added = []
        with self.transaction() as conn:
            for member in members:
                self._one(conn, t.consultations, member.consultation_id, "consultation")
                new_id = conn.execute(t.members.insert().values(
                    **member_values(member), created_at=self.now()
                )).inserted_primary_key[0]
                added.append(replace(member, id=new_id))
        return added

    def get_member(self, member_id: int) -> m.Member:
        """Return one member. Raises :class:`NotFound`."""
        with self._read() as conn:
            return member_from(self._one(conn, t.members, member_id, "member"))

    def list_members(self, consultation_id: int) -> list[m.Member]:
        """Return a consultation's roster in the order members were added."""
        with self._read() as conn:
            return select_members(conn, consultation_id)

    def update_member(self, member_id: int, **changes: Any) -> m.Member:
        """Change a member's name, email, attributes or external id."""
        with self.transaction() as conn:
            current = member_from(self._one(conn, t.members, member_id, "member", lock=True))
            updated = replace_fields(current, changes)
            if updated.consultation_id != current.consultation_id:
                raise ValidationError("consultation_id", "member-cannot-move")
            conn.execute(t.members.update().where(t.members.c.id == member_id)
                         .values(**member_values(updated)))
        return updated

    def add_invitation(self, member_id: int, *,
                       message: str | None = None) -> tuple[m.Invitation, str]:
        """Invite a member: return the invitation and its secret token.

        The token is returned once and stored only as a hash. An earlier invitation of the
        same member is revoked, so only the newest link works.

        ``message`` (``"invitation"`` or ``"reminder"``) also puts the member's email
        carrying the new link into the outbox, in the same transaction (none for a member
        without an email address; see :mod:`cop_widgets.store.outbox`). Without it the
        link is only returned, for the facilitator to hand out.
        """
        return self.add_invitations([member_id], message=message)[0]

    def add_invitations(self, member_ids: Sequence[int], *,
                        message: str | None = None) -> list[tuple[m.Invitation, str]]:
        """Invite several members at once (all or none); see :meth:`add_invitation`."""
        with self.transaction() as conn:
            now = self.now()
            return [self._issue_link(conn, member_id, message, now) for member_id in member_ids]

    def _issue_link(self, conn: Connection, member_id: int, message: str | None,
                    now: dt.datetime) -> tuple[m.Invitation, str]:
        """Give a member a new link in the caller's transaction (revoking the one before).

        With ``message`` (a kind of :data:`cop_widgets.model.mail.LINK_KINDS`), the email
        carrying it enters the outbox in the same transaction.
        """
        token = secrets.token_urlsafe(24)
        member = member_from(self._one(conn, t.members, member_id, "member", lock=True))
        conn.execute(t.invitations.update()
                     .where(t.invitations.c.member_id == member_id,
                            t.invitations.c.revoked_at.is_(None))
                     .values(revoked_at=now))
        invitation = m.Invitation(member.consultation_id, member_id, hash_token(token), now)
        new_id = conn.execute(t.invitations.insert().values(
            consultation_id=invitation.consultation_id, member_id=member_id,
            token_hash=invitation.token_hash, created_at=now,
        )).inserted_primary_key[0]
        if message is not None:
            enqueue_message(conn, member, new_id, token, message, now)
        return replace(invitation, id=new_id), token

    def revoke_invitation(self, member_id: int) -> int:
        """Revoke a member's open invitations; return how many were revoked."""
        with self.transaction() as conn:
            self._one(conn, t.members, member_id, "member")
            return conn.execute(t.invitations.update()
                                .where(t.invitations.c.member_id == member_id,
                                       t.invitations.c.revoked_at.is_(None))
                                .values(revoked_at=self.now())).rowcount

    def list_invitations(self, consultation_id: int) -> list[m.Invitation]:
        """Return every invitation of a consultation, revoked ones included."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.invitations)
                                .where(t.invitations.c.consultation_id == consultation_id)
                                .order_by(t.invitations.c.id))
            return [invitation_from(r) for r in rows]

    def get_member_for_token(self, consultation_id: int, token: str | None) -> m.Member:
        """Return the member a token admits to a consultation.

        Raises
        ------
        InvalidToken
            If the token is missing, unknown, revoked or for another consultation.

        """
        with self._read() as conn:
            return self._member_for_token(conn, consultation_id, token)
