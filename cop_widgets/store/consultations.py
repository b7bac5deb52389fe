"""Store verbs for developments, consultations and their rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError
from . import schema as t
from .base import StoreBase
from .rows import (
    consultation_from,
    consultation_values,
    development_from,
    development_values,
    replace_fields,
    round_from,
)

__all__ = ["ConsultationVerbs", "insert_development"]


def insert_development(conn: Connection, development: m.Development,
                       now: dt.datetime) -> m.Development:
    """Insert ``development`` on ``conn``, created at ``now``; return it with its new id."""
    new_id = conn.execute(t.developments.insert().values(
        **development_values(development), created_at=now)).inserted_primary_key[0]
    return replace(development, id=new_id)


class ConsultationVerbs(StoreBase):
    """``add_``, ``get_``, ``list_`` and ``update_`` developments and consultations; rounds."""

    # -- developments -----------------------------------------------------------------

    def add_development(self, development: m.Development) -> m.Development:
        """Store a new development and return it with its id."""
        with self.transaction() as conn:
            return self.add_development_in(conn, development)

    def add_development_in(self, conn: Connection, development: m.Development) -> m.Development:
        """Insert a development on an open transaction's connection (for composite writes)."""
        return insert_development(conn, development, self.now())

    def get_development(self, development_id: int) -> m.Development:
        """Return one development. Raises :class:`NotFound`."""
        with self._read() as conn:
            return development_from(self._one(conn, t.developments, development_id,
                                              "development"))

    def list_developments(self) -> list[m.Development]:
        """Return every development, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.developments).order_by(t.developments.c.id))
            return [development_from(r) for r in rows]

    def update_development(self, development_id: int, **changes: Any) -> m.Development:
        """Change fields of a development; the result is validated as a whole."""
        with self.transaction() as conn:
            current = development_from(self._one(conn, t.developments, development_id,
                                                 "development", lock=True))
            updated = replace_fields(current, changes)
            conn.execute(
                t.developments.update().where(t.developments.c.id == development_id)
                .values(**development_values(updated))
            )
        return updated

    # -- consultations ----------------------------------------------------------------

    def add_consultation(self, consultation: m.Consultation) -> m.Consultation:
        """Store a consultation about an existing development; its first round opens too."""
        values = consultation_values(consultation)
        with self.transaction() as conn:
            self._one(conn, t.developments, consultation.development_id, "development")
            now = self.now()
            new_id = conn.execute(
                t.consultations.insert().values(**values, created_at=now)
            ).inserted_primary_key[0]
            conn.execute(t.rounds.insert().values(consultation_id=new_id, number=1, opened_at=now))
        return replace(consultation, id=new_id)

    def get_consultation(self, consultation_id: int) -> m.Consultation:
        """Return one consultation. Raises :class:`NotFound`."""
        with self._read() as conn:
            return consultation_from(
                self._one(conn, t.consultations, consultation_id, "consultation")
            )

    def list_consultations(self) -> list[m.Consultation]:
        """Return every consultation, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.consultations).order_by(t.consultations.c.id))
            return [consultation_from(r) for r in rows]

    def update_consultation(self, consultation_id: int, **changes: Any) -> m.Consultation:
        """Change settings (scale, anonymity, visibility, deadline, status, language...).

        The scale cannot change once a card has been saved: the stances would change meaning.
        Anonymity can be turned on at any time, but not off once a member has saved a card
        or proposed a statement: they did so on the promise that no name would be shown.
        """
        with self.transaction() as conn:
            current = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                  "consultation", lock=True))
            updated = replace_fields(current, changes)
            if updated.development_id != current.development_id:
                self._one(conn, t.developments, updated.development_id, "development")
            if updated.scale != current.scale and conn.execute(
                sa.select(t.cards.c.id).where(t.cards.c.consultation_id == consultation_id)
                .limit(1)
            ).first():
                raise ValidationError("scale", "scale-locked", updated.scale)
            if current.anonymous and not updated.anonymous and _anyone_answered(
                    conn, consultation_id):
                raise ValidationError("anonymous", "anonymity-locked", show_value=False)
            conn.execute(
                t.consultations.update().where(t.consultations.c.id == consultation_id)
                .values(**consultation_values(updated))
            )
        return updated

    def open_consultation(self, consultation_id: int) -> m.Consultation:
        """Open a consultation to cards.

        Raises
        ------
        NotFound
            No such consultation.
        ValidationError
            It has no accepted statement, or its deadline has passed (an open consultation
            that accepts no card would be a dead end for members).

        """
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            return self._open(conn, consultation)

    def _open(self, conn: Connection, consultation: m.Consultation) -> m.Consultation:
        """Set ``consultation`` open, once it can take cards (see :meth:`open_consultation`)."""
        accepted = conn.execute(
            sa.select(sa.func.count()).select_from(t.statements).where(
                t.statements.c.consultation_id == consultation.id,
                t.statements.c.moderation == m.ModerationState.ACCEPTED.value)).scalar()
        if not accepted:
            raise ValidationError("status", "open-needs-statement")
        opened = replace(consultation, status=m.ConsultationStatus.OPEN)
        if not opened.accepts_cards(self.now()):  # only the deadline can refuse an open one
            raise ValidationError("deadline", "open-after-deadline")
        conn.execute(t.consultations.update().where(t.consultations.c.id == consultation.id)
                     .values(status=m.ConsultationStatus.OPEN.value))
        return opened

    def close_consultation(self, consultation_id: int) -> m.Consultation:
        """Close a consultation: no more cards are accepted."""
        return self.update_consultation(consultation_id, status=m.ConsultationStatus.CLOSED)

    # -- rounds -----------------------------------------------------------------------

    def add_round(self, consultation_id: int, *, reopen: bool = False) -> m.Round:
        """Open the next round of a consultation (Delphi); cards go to it from now on.

        Parameters
        ----------
        consultation_id : int
            An open or closed consultation (a draft has not had its first round yet).
        reopen : bool
            Also open a closed consultation (as :meth:`open_consultation` does), in the same
            transaction: either both happen or neither does.

        Raises
        ------
        NotFound
            No such consultation.
        ValidationError
            The consultation is a draft, or ``reopen`` cannot open it.

        """
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            if consultation.status is m.ConsultationStatus.DRAFT:
                raise ValidationError("status", "round-needs-open")
            if reopen and consultation.status is not m.ConsultationStatus.OPEN:
                self._open(conn, consultation)
            number = (conn.execute(
                sa.select(sa.func.max(t.rounds.c.number))
                .where(t.rounds.c.consultation_id == consultation_id)
            ).scalar() or 0) + 1
            now = self.now()
            new_id = conn.execute(t.rounds.insert().values(
                consultation_id=consultation_id, number=number, opened_at=now
            )).inserted_primary_key[0]
        return m.Round(consultation_id, number, now, id=new_id)

    def list_rounds(self, consultation_id: int) -> list[m.Round]:
        """Return the rounds of a consultation, first first."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(t.rounds).where(t.rounds.c.consultation_id == consultation_id)
                .order_by(t.rounds.c.number)
            )
            return [round_from(r) for r in rows]

    def get_round(self, consultation_id: int, number: int | None = None) -> m.Round:
        """Return round ``number``, or the current (latest) round."""
        with self._read() as conn:
            return self._round(conn, consultation_id, number)


def _anyone_answered(conn: Connection, consultation_id: int) -> bool:
    """Whether a member has saved a card or proposed a statement in the consultation."""
    card = conn.execute(sa.select(t.cards.c.id)
                        .where(t.cards.c.consultation_id == consultation_id).limit(1)).first()
    proposal = conn.execute(sa.select(t.statements.c.id)
                            .where(t.statements.c.consultation_id == consultation_id,
                                   t.statements.c.proposed_by.is_not(None)).limit(1)).first()
    return card is not None or proposal is not None
