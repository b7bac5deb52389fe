"""Store verbs for statements: the facilitator's, members' proposals, moderation and order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError
from ..model.policies import MAX_PENDING_PROPOSALS
from . import schema as t
from .base import StoreBase
from .rows import consultation_from, replace_fields, statement_from, statement_values

__all__ = ["StatementVerbs", "select_statements"]

#: The moderation states :meth:`StatementVerbs.list_statements` keeps by default.
ON_THE_CARD = (m.ModerationState.ACCEPTED,)


def select_statements(conn: Connection, consultation_id: int,
                      states: Iterable[m.ModerationState | str] | None = ON_THE_CARD,
                      ) -> list[m.Statement]:
    """Return a consultation's statements in ``states`` (``None``: all), in card order."""
    query = sa.select(t.statements).where(t.statements.c.consultation_id == consultation_id)
    if isinstance(states, str):
        states = [states]
    if states is not None:
        wanted = [m.ModerationState.parse("states", s).value for s in states]
        query = query.where(t.statements.c.moderation.in_(wanted))
    query = query.order_by(t.statements.c.position, t.statements.c.id)
    return [statement_from(r) for r in conn.execute(query)]


class StatementVerbs(StoreBase):
    """Add, propose, get, list, edit and reorder the statements of a consultation."""

    def add_statement(self, statement: m.Statement) -> m.Statement:
        """Add a facilitator's statement at the end of the card."""
        return self.add_statements([statement])[0]

    def add_statements(self, statements: Sequence[m.Statement]) -> list[m.Statement]:
        """Add several statements at once (all or none), in order, at the end of the card."""
        added = []
        with self.transaction() as conn:
            for statement in statements:
                added.append(self._insert_statement(conn, statement))
        return added

    def _insert_statement(self, conn: Connection, statement: m.Statement) -> m.Statement:
        self._one(conn, t.consultations, statement.consultation_id, "consultation")
        if statement.proposed_by is not None:
            self._member_of(conn, statement.consultation_id, statement.proposed_by,
                            "proposed_by")
        position = statement.position or (conn.execute(
            sa.select(sa.func.max(t.statements.c.position))
            .where(t.statements.c.consultation_id == statement.consultation_id)
        ).scalar() or 0) + 1
        statement = replace(statement, position=position)
        new_id = conn.execute(t.statements.insert().values(
            **statement_values(statement), created_at=self.now()
        )).inserted_primary_key[0]
        return replace(statement, id=new_id)

    def propose_statement(self, consultation_id: int, token: str, text: str) -> m.Statement:
        """Record a member's proposed statement; it waits for moderation.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        ConsultationNotOpen
            The consultation is not open, or its deadline has passed: proposals are taken
            while cards are.
        ValidationError
            The text is empty or too long, or the member already has
            :data:`~cop_widgets.model.policies.MAX_PENDING_PROPOSALS` proposals waiting for
            moderation (code ``too-many-pending-proposals`` on ``proposal``).

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            # Lock the member row: two proposals sent at once are counted one after another.
            self._one(conn, t.members, member.id, "member", lock=True)
            self._refuse_unless_open(consultation_from(self._one(
                conn, t.consultations, consultation_id, "consultation", lock="share")),
                "proposals", self.now())
            self._refuse_past_pending_limit(conn, consultation_id, member.id)
            return self._insert_statement(conn, m.Statement(
                consultation_id, text, proposed_by=member.id,
                moderation=m.ModerationState.PENDING,
            ))

    @staticmethod
    def _refuse_past_pending_limit(conn: Connection, consultation_id: int,
                                   member_id: int) -> None:
        """Raise unless the member has fewer than the allowed proposals awaiting moderation."""
        c = t.statements.c
        pending = conn.execute(
            sa.select(sa.func.count()).select_from(t.statements)
            .where(c.consultation_id == consultation_id, c.proposed_by == member_id,
                   c.moderation == m.ModerationState.PENDING.value)
        ).scalar()
        if pending >= MAX_PENDING_PROPOSALS:
            raise ValidationError("proposal", "too-many-pending-proposals",
                                  limit=MAX_PENDING_PROPOSALS)

    def get_statement(self, statement_id: int) -> m.Statement:
        """Return one statement. Raises :class:`NotFound`."""
        with self._read() as conn:
            return statement_from(self._one(conn, t.statements, statement_id, "statement"))

    def list_statements(
        self, consultation_id: int,
        states: Iterable[m.ModerationState | str] | None = ON_THE_CARD,
    ) -> list[m.Statement]:
        """Return statements in card order; by default only accepted ones.

        Pass ``states=None`` for every statement whatever its moderation state.
        """
        with self._read() as conn:
            return select_statements(conn, consultation_id, states)

    def update_statement(self, statement_id: int, **changes: Any) -> m.Statement:
        """Edit a statement's text, position or moderation state.

        The text of a statement that members have already answered cannot change: their
        stances would then be about words they never read. Withdraw it and add a new one.
        """
        with self.transaction() as conn:
            current = statement_from(self._one(conn, t.statements, statement_id, "statement",
                                               lock=True))
            updated = replace_fields(current, changes)
            if updated.consultation_id != current.consultation_id:
                raise ValidationError("consultation_id", "statement-cannot-move")
            if updated.text != current.text and conn.execute(
                sa.select(t.card_responses.c.card_id)
                .where(t.card_responses.c.statement_id == statement_id).limit(1)
            ).first():
                raise ValidationError("text", "statement-answered")
            conn.execute(t.statements.update().where(t.statements.c.id == statement_id)
                         .values(**statement_values(updated)))
        return updated

    def reorder_statements(self, consultation_id: int, statement_ids: Sequence[int]) -> None:
        """Put the listed statements first, in that order; the others follow as they were."""
        with self.transaction() as conn:
            rows = conn.execute(
                sa.select(t.statements.c.id)
                .where(t.statements.c.consultation_id == consultation_id)
                .order_by(t.statements.c.position, t.statements.c.id)
            ).scalars().all()
            unknown = [s for s in statement_ids if s not in rows]
            if unknown:
                raise ValidationError("statement_ids", "not-all-here", unknown)
            order = list(dict.fromkeys(statement_ids)) + [r for r in rows
                                                           if r not in statement_ids]
            for position, sid in enumerate(order, start=1):
                conn.execute(t.statements.update().where(t.statements.c.id == sid)
                             .values(position=position))
