"""What every store verb stands on: the engine, the clock, transactions and shared look-ups.

:class:`StoreBase` opens the database and gives the verbs of :class:`~.store.Store` their
connections (one write transaction, or a read), the store's time, and the look-ups that
refuse with :class:`NotFound`, :class:`InvalidToken` or :class:`ConsultationNotOpen`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ConsultationNotOpen, InvalidToken, NotFound, ValidationError, Word
from . import schema as t
from .engine import make_engine, migrate, resolve_url, sqlite_file, write_connection
from .rows import aware, member_from, round_from

__all__ = ["Clock", "StoreBase", "hash_token"]

Clock = Callable[[], dt.datetime]
_Self = TypeVar("_Self", bound="StoreBase")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which an invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class StoreBase:
    """The database connection, clock and look-ups that the store's verbs share.

    It takes the arguments of :class:`~cop_widgets.store.Store` (``url``, ``migrate``,
    ``clock``), which documents them.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True,
                 clock: Clock | None = None, existing: bool = False):
        self.url = resolve_url(url)
        if existing:
            _refuse_a_missing_file(self.url)
        self.engine = make_engine(self.url)
        self._clock = clock or _utcnow
        if migrate:
            self.migrate()

    # -- plumbing ---------------------------------------------------------------------

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision`` (default: the newest)."""
        migrate(self.engine, revision)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> dt.datetime:
        """Return the store's current time (aware, UTC)."""
        return aware(self._clock())

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection in one write transaction: all of it is written, or nothing."""
        with write_connection(self.engine) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # -- look-ups that refuse ---------------------------------------------------------

    @staticmethod
    def _one(conn: Connection, table: sa.Table, key: Any, entity: str,
             lock: bool | str = False) -> sa.Row:
        """Return the row of ``table`` with id ``key``; raise :class:`NotFound` without one.

        ``lock`` (PostgreSQL only: SQLite's writer holds the whole database) takes the row
        for update, or for share with ``"share"``.
        """
        query = sa.select(table).where(table.c.id == key)
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update(read=lock == "share")
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(entity, key)
        return row

    def _round(self, conn: Connection, consultation_id: int, number: int | None) -> m.Round:
        """Return round ``number`` of a consultation, or its current (latest) round."""
        query = sa.select(t.rounds).where(t.rounds.c.consultation_id == consultation_id)
        if number is None:
            query = query.order_by(t.rounds.c.number.desc()).limit(1)
        else:
            query = query.where(t.rounds.c.number == number)
        row = conn.execute(query).first()
        if row is None:
            raise NotFound("round", f"{consultation_id}/{number or 'current'}")
        return round_from(row)

    def _member_for_token(self, conn: Connection, consultation_id: int,
                          token: str | None) -> m.Member:
        """Return the member ``token`` admits to a consultation, or raise InvalidToken."""
        if not token or not isinstance(token, str) or len(token) > 200 or not token.isascii():
            raise InvalidToken("token-missing")
        row = conn.execute(
            sa.select(t.invitations).where(t.invitations.c.token_hash == hash_token(token))
        ).first()
        if row is None or row.consultation_id != consultation_id:
            raise InvalidToken("token-unknown")
        if row.revoked_at is not None:
            raise InvalidToken("token-revoked")
        return member_from(self._one(conn, t.members, row.member_id, "member"))

    def _member_of(self, conn: Connection, consultation_id: int, member_id: int,
                   field: str) -> m.Member:
        """Return member ``member_id``; raise ValidationError on ``field`` if not on the roster."""
        member = member_from(self._one(conn, t.members, member_id, "member"))
        if member.consultation_id != consultation_id:
            raise ValidationError(field, "not-a-member-here", member_id)
        return member

    @staticmethod
    def _refuse_unless_open(consultation: m.Consultation, what: str, now: dt.datetime) -> None:
        """Raise :class:`ConsultationNotOpen` unless members may write ``what`` at ``now``."""
        refusal = consultation.card_refusal(now)
        if refusal is not None:
            # An open consultation refuses only once its deadline has passed.
            field = "status" if consultation.status is not m.ConsultationStatus.OPEN \
                else "deadline"
            raise ConsultationNotOpen(field, refusal, what=Word(what),
                                      deadline=consultation.deadline)


def _refuse_a_missing_file(url: str) -> None:
    """Refuse to open a SQLite ``url`` whose file does not exist (opening would create it).

    Raises
    ------
    ValidationError
        Code ``no-database`` on field ``database``, naming the file looked for.
    """
    path = sqlite_file(url)
    if path is not None:
        path = path.resolve()
        if not path.is_file():
            raise ValidationError("database", "no-database", str(path), show_value=False,
                                  path=str(path))
