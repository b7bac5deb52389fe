"""Store verbs for the outbox: messages written with their links, claimed, sent once.

The transactional outbox
------------------------
A message enters the ``outbox`` table in the same transaction that makes the link it
carries (:meth:`MemberVerbs.add_invitations` with ``message="invitation"`` or
``"reminder"``): a link is never made without its message, nor a message without its link.
A sender (``services.mailing``) then, one message at a time:

1. **claims** it: ``pending`` -> ``sending`` in one committed transaction (PostgreSQL:
   ``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite: an ``UPDATE ... WHERE status='pending'``
   inside the single writer's transaction), so two senders never take the same message;
2. hands it to the server;
3. records the server's answer: ``sent`` (or ``written`` for an ``.eml`` file) with its
   reply, or ``failed`` with the refusal's code and text.

A rerun delivers what is ``pending`` and, after :meth:`requeue_failed`, what ``failed``
(to the member's address as it is now, so a corrected address is used). A message left
``sending`` by a killed sender is not sent again automatically: once its lease has passed,
:meth:`recover_stale` marks it ``failed`` ("interrupted while sending"), reported to the
facilitator, and the next rerun retries it. The only window for a duplicate is a crash
between the server's acceptance of the DATA and the ``sent`` commit, and then only if the
facilitator reruns twice; a crash anywhere else loses nothing and repeats nothing.

The token
---------
The store keeps only token hashes, but a message must carry its member's link. The outbox
keeps the raw token in the row **only while the message is unsent** (``pending``,
``sending``, ``failed``) and blanks it as soon as the message is sent, written, superseded
by a newer link or cancelled. The message's words are composed at send time from the row
(kind, language, member, token) and the consultation, never stored. So the database holds
live links only for messages not yet delivered, which is inherent to an outbox (the link
must survive a crash until it is sent); those links work anyway, since they are the
member's current ones. No password is ever stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..model import mail as mm
from ..model.roster import Member
from . import schema as t
from .base import StoreBase
from .rows import member_from

__all__ = ["OutboxVerbs", "enqueue_message", "enqueue_receipt"]

_O = t.outbox.c


def _message_from(row: sa.Row) -> mm.Message:
    return mm.Message(row.id, row.consultation_id, row.member_id, row.kind, row.recipient,
                      row.language, row.status, row.token, row.attempts, row.created_at,
                      row.done_at, row.reply_code, row.reply)


def enqueue_message(conn: Connection, member: Member, invitation_id: int | None, token: str,
                    kind: str, now: dt.datetime) -> int | None:
    """Put a member's message in the outbox, inside the caller's transaction.

    An unsent earlier message of the member is superseded (its link was just revoked). A
    member without an email address gets no message: return ``None``, else the row's id.
    """
    if kind not in mm.KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    # a new link replaces every unsent message carrying an older one; a newer receipt or
    # notice replaces an unsent one of its kind
    replaced = mm.LINK_KINDS if kind in mm.LINK_KINDS else (kind,)
    conn.execute(t.outbox.update()
                 .where(_O.member_id == member.id, _O.kind.in_(replaced),
                        _O.status.in_(("pending", "failed")))
                 .values(status="superseded", token="", done_at=now))
    if not member.email:
        return None
    language = conn.execute(sa.select(t.consultations.c.language)
                            .where(t.consultations.c.id == member.consultation_id)).scalar_one()
    return conn.execute(t.outbox.insert().values(
        consultation_id=member.consultation_id, member_id=member.id,
        invitation_id=invitation_id, kind=kind, recipient=member.email, language=language,
        token=token, status="pending", attempts=0, created_at=now, reply="",
    )).inserted_primary_key[0]


class OutboxVerbs(StoreBase):
    """Claim, mark and list the messages of the outbox (see the module docstring).

    For the Roster tab: :meth:`list_deliveries` gives each member's latest message (status,
    address, the server's reply), and its failed ones are the addresses to fix.
    """

    def list_outbox(self, consultation_id: int,
                    kinds: Sequence[str] = mm.KINDS) -> list[mm.Message]:
        """Return every message of a consultation, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.outbox)
                                .where(_O.consultation_id == consultation_id,
                                       _O.kind.in_(tuple(kinds)))
                                .order_by(_O.id))
            return [_message_from(r) for r in rows]

    def list_deliveries(self, consultation_id: int,
                        kinds: Sequence[str] = mm.KINDS) -> dict[int, mm.Message]:
        """Return each member's latest message of ``kinds``: member id -> :class:`Message`.

        ``status`` tells whether it was sent (``sent``, ``written``), waits (``pending``,
        ``sending``) or ``failed`` (``recipient``, ``reply_code`` and ``reply`` say where and
        why). Members never messaged are absent.
        """
        latest: dict[int, mm.Message] = {}
        for message in self.list_outbox(consultation_id, kinds):
            if message.status != "superseded":
                latest[message.member_id] = message
        return latest

    def count_unsent(self, consultation_id: int, kinds: Sequence[str] = mm.KINDS) -> int:
        """Return how many messages are pending, being sent or failed."""
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.outbox)
                                .where(_O.consultation_id == consultation_id,
                                       _O.kind.in_(tuple(kinds)),
                                       _O.status.in_(mm.UNSENT))).scalar_one()

    def requeue_failed(self, consultation_id: int, kinds: Sequence[str] = mm.KINDS) -> int:
        """Put failed messages back to ``pending``, addressed to each member's email now.

        A member whose email was cleared has the message ``cancelled`` instead. Return how
        many were put back.
        """
        with self.transaction() as conn:
            rows = conn.execute(
                sa.select(_O.id, t.members.c.email)
                .join(t.members, t.members.c.id == _O.member_id)
                .where(_O.consultation_id == consultation_id, _O.kind.in_(tuple(kinds)),
                       _O.status == "failed")).all()
            now = self.now()
            for row in rows:
                values = ({"status": "pending", "recipient": row.email} if row.email
                          else {"status": "cancelled", "token": "", "done_at": now})
                conn.execute(t.outbox.update().where(_O.id == row.id,
                                                     _O.status == "failed").values(**values))
            return sum(1 for row in rows if row.email)

    def recover_stale(self, consultation_id: int, lease: dt.timedelta) -> int:
        """Mark ``failed`` the messages claimed longer than ``lease`` ago and never confirmed.

        Their sender died: the server may or may not have accepted them, so they are not
        resent now; a rerun retries them (see the module docstring). Return how many.
        """
        with self.transaction() as conn:
            return conn.execute(
                t.outbox.update()
                .where(_O.consultation_id == consultation_id, _O.status == "sending",
                       _O.claimed_at < self.now() - lease)
                .values(status="failed", done_at=self.now(), reply_code=None,
                        reply="interrupted while sending: delivery unknown")).rowcount

    def claim_message(self, consultation_id: int,
                      kinds: Sequence[str] = mm.KINDS) -> mm.Message | None:
        """Claim the oldest pending message (``pending`` -> ``sending``), or return ``None``.

        Committed before the message is handed to the server, so no other sender takes it.
        """
        with self.transaction() as conn:
            query = (sa.select(_O.id)
                     .where(_O.consultation_id == consultation_id, _O.kind.in_(tuple(kinds)),
                            _O.status == "pending")
                     .order_by(_O.id).limit(1))
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            message_id = conn.execute(query).scalar()
            if message_id is None:
                return None
            claimed = conn.execute(
                t.outbox.update().where(_O.id == message_id, _O.status == "pending")
                .values(status="sending", claimed_at=self.now(), attempts=_O.attempts + 1)
            ).rowcount
            if claimed != 1:  # pragma: no cover - the writer lock or row lock forbids it
                return None
            return _message_from(conn.execute(sa.select(t.outbox)
                                              .where(_O.id == message_id)).one())

    def mark_message(self, message_id: int, status: str, reply_code: int | None = None,
                     reply: str = "") -> bool:
        """Record a claimed message's fate: ``sent``, ``written`` or ``failed``.

        Sent and written messages lose their token. Return whether the message was still
        claimed (``sending``); a message recovered as stale meanwhile is left as it is.
        """
        if status not in ("sent", "written", "failed"):
            raise ValueError(f"not a final status: {status!r}")
        values: dict[str, object] = {"status": status, "done_at": self.now(),
                                     "reply_code": reply_code, "reply": reply[:2000]}
        if status != "failed":
            values["token"] = ""
        with self.transaction() as conn:
            return conn.execute(t.outbox.update()
                                .where(_O.id == message_id, _O.status == "sending")
                                .values(**values)).rowcount == 1


def enqueue_receipt(conn: Connection, consultation_id: int, member_id: int,
                    now: dt.datetime) -> int | None:
    """Put a receipt for a submitted card in the outbox, inside the card's transaction.

    Only where the consultation asks for receipts and the member has an email address;
    return the row's id, else ``None``. A receipt carries no link and no stance.
    """
    wanted = conn.execute(sa.select(t.consultations.c.receipts)
                          .where(t.consultations.c.id == consultation_id)).scalar()
    if not wanted:
        return None
    member = member_from(conn.execute(sa.select(t.members)
                                      .where(t.members.c.id == member_id)).one())
    return enqueue_message(conn, member, None, "", "receipt", now)
