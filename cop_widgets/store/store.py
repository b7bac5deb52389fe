"""The store: the only code that talks to the database.

Verbs are uniform: ``add_*``, ``get_*``, ``list_*``, ``update_*``. Every rule about what may
be written is checked here, inside the same transaction as the write, so a refused call
writes nothing. Who a member is comes from their invitation token, never from a caller's
claim.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ConsultationNotOpen, InvalidToken, NotFound, ValidationError
from ..scales import get_scale
from . import schema as t
from .engine import make_engine, migrate, resolve_url, write_connection

if TYPE_CHECKING:  # numpy and pandas are imported only by the frame verbs, not by member pages
    import numpy as np
    import pandas as pd

__all__ = ["Store", "hash_token"]

Clock = Callable[[], dt.datetime]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which an invitation token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


class Store:
    """Persistent home of developments, consultations, rosters, cards and drafts.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL. Defaults to ``$COP_WIDGETS_DB``, else ``sqlite:///cop-widgets.db``
        in the working directory. ``postgresql://`` URLs use psycopg 3.
    migrate : bool
        Bring the schema to the newest migration on opening (safe under concurrency).
    clock : callable, optional
        Returns the current aware datetime; tests pass a fixed clock.

    Examples
    --------
    >>> store = Store("sqlite:///:memory:")  # doctest: +SKIP

    """

    def __init__(self, url: str | None = None, *, migrate: bool = True,
                 clock: Clock | None = None):
        self.url = resolve_url(url)
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> dt.datetime:
        """Return the store's current time (aware, UTC)."""
        return _aware(self._clock())

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection in one write transaction: all of it is written, or nothing."""
        with write_connection(self.engine) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @staticmethod
    def _one(conn: Connection, table: sa.Table, key: Any, entity: str,
             lock: bool | str = False) -> sa.Row:
        query = sa.select(table).where(table.c.id == key)
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update(read=lock == "share")
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(entity, key)
        return row

    # -- developments -----------------------------------------------------------------

    def add_development(self, development: m.Development) -> m.Development:
        """Store a new development and return it with its id."""
        with self.transaction() as conn:
            return self.add_development_in(conn, development)

    def get_development(self, development_id: int) -> m.Development:
        """Return one development. Raises :class:`NotFound`."""
        with self._read() as conn:
            return _development(self._one(conn, t.developments, development_id, "development"))

    def list_developments(self) -> list[m.Development]:
        """Return every development, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.developments).order_by(t.developments.c.id))
            return [_development(r) for r in rows]

    def update_development(self, development_id: int, **changes: Any) -> m.Development:
        """Change fields of a development; the result is validated as a whole."""
        with self.transaction() as conn:
            current = _development(self._one(conn, t.developments, development_id,
                                             "development", lock=True))
            updated = _replace(current, changes)
            conn.execute(
                t.developments.update().where(t.developments.c.id == development_id)
                .values(**_development_values(updated))
            )
        return updated

    # -- consultations ----------------------------------------------------------------

    def add_consultation(self, consultation: m.Consultation) -> m.Consultation:
        """Store a consultation about an existing development; its first round opens too."""
        values = _consultation_values(consultation)
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
            return _consultation(
                self._one(conn, t.consultations, consultation_id, "consultation")
            )

    def list_consultations(self) -> list[m.Consultation]:
        """Return every consultation, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.consultations).order_by(t.consultations.c.id))
            return [_consultation(r) for r in rows]

    def update_consultation(self, consultation_id: int, **changes: Any) -> m.Consultation:
        """Change settings (scale, anonymity, visibility, deadline, status, language...).

        The scale cannot change once a card has been saved: the stances would change meaning.
        """
        with self.transaction() as conn:
            current = _consultation(self._one(conn, t.consultations, consultation_id,
                                              "consultation", lock=True))
            updated = _replace(current, changes)
            if updated.development_id != current.development_id:
                self._one(conn, t.developments, updated.development_id, "development")
            if updated.scale != current.scale and conn.execute(
                sa.select(t.cards.c.id).where(t.cards.c.consultation_id == consultation_id)
                .limit(1)
            ).first():
                raise ValidationError("scale", "cannot change after members saved cards",
                                      updated.scale)
            conn.execute(
                t.consultations.update().where(t.consultations.c.id == consultation_id)
                .values(**_consultation_values(updated))
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
            consultation = _consultation(self._one(conn, t.consultations, consultation_id,
                                                   "consultation", lock=True))
            return self._open(conn, consultation)

    def _open(self, conn: Connection, consultation: m.Consultation) -> m.Consultation:
        """Set ``consultation`` open, once it can take cards (see :meth:`open_consultation`)."""
        accepted = conn.execute(
            sa.select(sa.func.count()).select_from(t.statements).where(
                t.statements.c.consultation_id == consultation.id,
                t.statements.c.moderation == m.ModerationState.ACCEPTED.value)).scalar()
        if not accepted:
            raise ValidationError("status", "a consultation needs an accepted statement to open")
        opened = replace(consultation, status=m.ConsultationStatus.OPEN)
        if opened.accepts_cards(self.now()):  # only the deadline can refuse an open one
            raise ValidationError("deadline", "has passed: set a later deadline before opening")
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
            consultation = _consultation(self._one(conn, t.consultations, consultation_id,
                                                   "consultation", lock=True))
            if consultation.status is m.ConsultationStatus.DRAFT:
                raise ValidationError("status", "a new round follows an open or closed "
                                      "consultation; open this draft first")
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
            return [_round(r) for r in rows]

    def get_round(self, consultation_id: int, number: int | None = None) -> m.Round:
        """Return round ``number``, or the current (latest) round."""
        with self._read() as conn:
            return self._round(conn, consultation_id, number)

    def _round(self, conn: Connection, consultation_id: int, number: int | None) -> m.Round:
        query = sa.select(t.rounds).where(t.rounds.c.consultation_id == consultation_id)
        if number is None:
            query = query.order_by(t.rounds.c.number.desc()).limit(1)
        else:
            query = query.where(t.rounds.c.number == number)
        row = conn.execute(query).first()
        if row is None:
            raise NotFound("round", f"{consultation_id}/{number or 'current'}")
        return _round(row)

    # -- statements -------------------------------------------------------------------

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
            **_statement_values(statement), created_at=self.now()
        )).inserted_primary_key[0]
        return replace(statement, id=new_id)

    @staticmethod
    def _refuse_unless_open(consultation: m.Consultation, what: str, now: dt.datetime) -> None:
        """Raise :class:`ConsultationNotOpen` unless members may write ``what`` at ``now``."""
        refusal = consultation.accepts_cards(now)
        if refusal:
            field = "deadline" if "deadline" in refusal else "status"
            raise ConsultationNotOpen(field, f"{what} are not accepted: {refusal}")

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
            The text is empty or too long.

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            self._refuse_unless_open(_consultation(self._one(
                conn, t.consultations, consultation_id, "consultation", lock="share")),
                "proposals", self.now())
            return self._insert_statement(conn, m.Statement(
                consultation_id, text, proposed_by=member.id,
                moderation=m.ModerationState.PENDING,
            ))

    def get_statement(self, statement_id: int) -> m.Statement:
        """Return one statement. Raises :class:`NotFound`."""
        with self._read() as conn:
            return _statement(self._one(conn, t.statements, statement_id, "statement"))

    def list_statements(
        self, consultation_id: int,
        states: Iterable[m.ModerationState | str] | None = (m.ModerationState.ACCEPTED,),
    ) -> list[m.Statement]:
        """Return statements in card order; by default only accepted ones.

        Pass ``states=None`` for every statement whatever its moderation state.
        """
        query = sa.select(t.statements).where(t.statements.c.consultation_id == consultation_id)
        if isinstance(states, str):
            states = [states]
        if states is not None:
            wanted = [m.ModerationState.parse("states", s).value for s in states]
            query = query.where(t.statements.c.moderation.in_(wanted))
        query = query.order_by(t.statements.c.position, t.statements.c.id)
        with self._read() as conn:
            return [_statement(r) for r in conn.execute(query)]

    def update_statement(self, statement_id: int, **changes: Any) -> m.Statement:
        """Edit a statement's text, position or moderation state.

        The text of a statement that members have already answered cannot change: their
        stances would then be about words they never read. Withdraw it and add a new one.
        """
        with self.transaction() as conn:
            current = _statement(self._one(conn, t.statements, statement_id, "statement",
                                           lock=True))
            updated = _replace(current, changes)
            if updated.consultation_id != current.consultation_id:
                raise ValidationError("consultation_id", "a statement cannot move")
            if updated.text != current.text and conn.execute(
                sa.select(t.card_responses.c.card_id)
                .where(t.card_responses.c.statement_id == statement_id).limit(1)
            ).first():
                raise ValidationError(
                    "text", "cannot change once members have answered; withdraw it and add "
                    "a new statement instead")
            conn.execute(t.statements.update().where(t.statements.c.id == statement_id)
                         .values(**_statement_values(updated)))
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
                raise ValidationError("statement_ids",
                                      "must all belong to this consultation", unknown)
            order = list(dict.fromkeys(statement_ids)) + [r for r in rows
                                                           if r not in statement_ids]
            for position, sid in enumerate(order, start=1):
                conn.execute(t.statements.update().where(t.statements.c.id == sid)
                             .values(position=position))

    # -- members and invitations ------------------------------------------------------

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
                    **_member_values(member), created_at=self.now()
                )).inserted_primary_key[0]
                added.append(replace(member, id=new_id))
        return added

    def get_member(self, member_id: int) -> m.Member:
        """Return one member. Raises :class:`NotFound`."""
        with self._read() as conn:
            return _member(self._one(conn, t.members, member_id, "member"))

    def list_members(self, consultation_id: int) -> list[m.Member]:
        """Return a consultation's roster in the order members were added."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.members)
                                .where(t.members.c.consultation_id == consultation_id)
                                .order_by(t.members.c.id))
            return [_member(r) for r in rows]

    def update_member(self, member_id: int, **changes: Any) -> m.Member:
        """Change a member's name, email, attributes or external id."""
        with self.transaction() as conn:
            current = _member(self._one(conn, t.members, member_id, "member", lock=True))
            updated = _replace(current, changes)
            if updated.consultation_id != current.consultation_id:
                raise ValidationError("consultation_id", "a member cannot move")
            conn.execute(t.members.update().where(t.members.c.id == member_id)
                         .values(**_member_values(updated)))
        return updated

    def add_invitation(self, member_id: int) -> tuple[m.Invitation, str]:
        """Invite a member: return the invitation and its secret token.

        The token is returned once and stored only as a hash. An earlier invitation of the
        same member is revoked, so only the newest link works.
        """
        return self.add_invitations([member_id])[0]

    def add_invitations(self, member_ids: Sequence[int]) -> list[tuple[m.Invitation, str]]:
        """Invite several members at once (all or none); see :meth:`add_invitation`."""
        issued = []
        with self.transaction() as conn:
            now = self.now()
            for member_id in member_ids:
                token = secrets.token_urlsafe(24)
                member = _member(self._one(conn, t.members, member_id, "member", lock=True))
                conn.execute(t.invitations.update()
                             .where(t.invitations.c.member_id == member_id,
                                    t.invitations.c.revoked_at.is_(None))
                             .values(revoked_at=now))
                invitation = m.Invitation(member.consultation_id, member_id, hash_token(token),
                                          now)
                new_id = conn.execute(t.invitations.insert().values(
                    consultation_id=invitation.consultation_id, member_id=member_id,
                    token_hash=invitation.token_hash, created_at=now,
                )).inserted_primary_key[0]
                issued.append((replace(invitation, id=new_id), token))
        return issued

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
            return [_invitation(r) for r in rows]

    def get_member_for_token(self, consultation_id: int, token: str | None) -> m.Member:
        """Return the member a token admits to a consultation.

        Raises
        ------
        InvalidToken
            If the token is missing, unknown, revoked or for another consultation.

        """
        with self._read() as conn:
            return self._member_for_token(conn, consultation_id, token)

    def _member_for_token(self, conn: Connection, consultation_id: int,
                          token: str | None) -> m.Member:
        if not token or not isinstance(token, str) or len(token) > 200 or not token.isascii():
            raise InvalidToken("is missing or malformed")
        row = conn.execute(
            sa.select(t.invitations).where(t.invitations.c.token_hash == hash_token(token))
        ).first()
        if row is None or row.consultation_id != consultation_id:
            raise InvalidToken("is not a valid invitation for this consultation")
        if row.revoked_at is not None:
            raise InvalidToken("has been revoked; ask the facilitator for a new link")
        return _member(self._one(conn, t.members, row.member_id, "member"))

    def _member_of(self, conn: Connection, consultation_id: int, member_id: int,
                   field: str) -> m.Member:
        member = _member(self._one(conn, t.members, member_id, "member"))
        if member.consultation_id != consultation_id:
            raise ValidationError(field, "must be a member of this consultation", member_id)
        return member

    # -- position cards ---------------------------------------------------------------

    def save_card(
        self,
        consultation_id: int,
        token: str,
        responses: Iterable[m.StanceResponse | Mapping[str, Any]] = (),
        *,
        concerns: str = "",
        impact: str = "",
        status: m.CardStatus | str = m.CardStatus.SUBMITTED,
    ) -> m.PositionCard:
        """Save a member's position card in the current round as a new revision.

        The member is the one the token admits. Earlier revisions are kept; the latest
        submitted revision is the member's position.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        ConsultationNotOpen
            The consultation is not open, or its deadline has passed.
        ValidationError
            A stance is off the scale, or a statement is not on this consultation's card.

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            # Lock the member row: one member's revisions are numbered one after another.
            self._one(conn, t.members, member.id, "member", lock=True)
            # Share-lock the consultation: a scale change waits for cards in flight.
            consultation = _consultation(self._one(conn, t.consultations, consultation_id,
                                                   "consultation", lock="share"))
            now = self.now()
            self._refuse_unless_open(consultation, "cards", now)
            round_ = self._round(conn, consultation_id, None)
            card = m.PositionCard(consultation_id, round_.id, member.id, responses,
                                  concerns=concerns, impact=impact, status=status)
            card.check_scale(consultation.scale)
            self._check_statements(conn, consultation_id, card)
            revision = (conn.execute(
                sa.select(sa.func.max(t.cards.c.revision))
                .where(t.cards.c.round_id == round_.id, t.cards.c.member_id == member.id)
            ).scalar() or 0) + 1
            card_id = conn.execute(t.cards.insert().values(
                consultation_id=consultation_id, round_id=round_.id, member_id=member.id,
                revision=revision, status=card.status.value, concerns=card.concerns,
                impact=card.impact, saved_at=now,
            )).inserted_primary_key[0]
            if card.responses:
                conn.execute(t.card_responses.insert(), [
                    {"card_id": card_id, "statement_id": r.statement_id, "stance": r.stance,
                     "rationale": r.rationale} for r in card.responses
                ])
        return replace(card, id=card_id, revision=revision, saved_at=now)

    def _check_statements(self, conn: Connection, consultation_id: int,
                          card: m.PositionCard) -> None:
        wanted = [r.statement_id for r in card.responses]
        if not wanted:
            return
        found = dict(conn.execute(
            sa.select(t.statements.c.id, t.statements.c.moderation)
            .where(t.statements.c.consultation_id == consultation_id,
                   t.statements.c.id.in_(wanted))
        ).all())
        for i, sid in enumerate(wanted):
            if sid not in found:
                raise ValidationError(f"responses[{i}].statement_id",
                                      "must be a statement of this consultation", sid)
            if found[sid] != m.ModerationState.ACCEPTED.value:
                raise ValidationError(f"responses[{i}].statement_id",
                                      f"is {found[sid]}, not on the card", sid)

    def get_card(self, consultation_id: int, token: str, *, round_number: int | None = None,
                 include_drafts: bool = True) -> m.PositionCard | None:
        """Return the latest revision of the token holder's card, or ``None``."""
        with self._read() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            round_ = self._round(conn, consultation_id, round_number)
            revisions = self._card_revisions(conn, round_.id, member.id)
        if not include_drafts:
            revisions = [c for c in revisions if c.status is m.CardStatus.SUBMITTED]
        return revisions[-1] if revisions else None

    def list_card_revisions(self, consultation_id: int, member_id: int,
                            round_number: int | None = None) -> list[m.PositionCard]:
        """Return every saved revision of a member's card in a round, oldest first."""
        with self._read() as conn:
            self._member_of(conn, consultation_id, member_id, "member_id")
            round_ = self._round(conn, consultation_id, round_number)
            return self._card_revisions(conn, round_.id, member_id)

    def _card_revisions(self, conn: Connection, round_id: int,
                        member_id: int) -> list[m.PositionCard]:
        cards = conn.execute(
            sa.select(t.cards).where(t.cards.c.round_id == round_id,
                                     t.cards.c.member_id == member_id)
            .order_by(t.cards.c.revision)
        ).all()
        if not cards:
            return []
        responses: dict[int, list[m.StanceResponse]] = {c.id: [] for c in cards}
        for r in conn.execute(
            sa.select(t.card_responses).where(t.card_responses.c.card_id.in_(responses))
            .order_by(t.card_responses.c.card_id, t.card_responses.c.statement_id)
        ):
            responses[r.card_id].append(m.StanceResponse(r.statement_id, r.stance, r.rationale))
        return [_card(c, responses[c.id]) for c in cards]

    def count_cards(self, consultation_id: int) -> int:
        """Return how many card revisions (drafts included) a consultation holds."""
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.cards)
                                .where(t.cards.c.consultation_id == consultation_id)).scalar()

    def stance_counts(self, consultation_id: int,
                      round_number: int | None = None) -> dict[int, dict[int | None, int]]:
        """Count the latest submitted stances per statement, without pandas.

        Returns ``{statement_id: {stance: count}}`` where the stance ``None`` counts passes.
        Light enough for member pages, which should not import pandas.
        """
        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            latest = _latest_submitted(round_.id)
            rows = conn.execute(
                sa.select(t.card_responses.c.statement_id, t.card_responses.c.stance,
                          sa.func.count())
                .select_from(t.cards)
                .join(latest, latest.c.card_id == t.cards.c.id)
                .join(t.card_responses, t.card_responses.c.card_id == t.cards.c.id)
                .where(t.cards.c.round_id == round_.id)
                .group_by(t.card_responses.c.statement_id, t.card_responses.c.stance)
            ).all()
        counts: dict[int, dict[int | None, int]] = {}
        for statement_id, stance, n in rows:
            counts.setdefault(statement_id, {})[stance] = n
        return counts

    def count_respondents(self, consultation_id: int, round_number: int | None = None) -> int:
        """Return how many members have a submitted card in the round (default: current)."""
        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            return conn.execute(sa.select(sa.func.count()).select_from(
                _latest_submitted(round_.id))).scalar()

    def list_rationales(self, consultation_id: int,
                        round_number: int | None = None) -> dict[int, list[str]]:
        """Return the non-empty rationales of the latest submitted cards, per statement.

        No member is named: the lists hold text only, in no particular member order.
        """
        frame_rows = self._latest_rows(consultation_id, round_number)
        result: dict[int, list[str]] = {}
        for _member_id, statement_id, _stance, rationale in frame_rows:
            if rationale:
                result.setdefault(statement_id, []).append(rationale)
        return result

    def _latest_rows(self, consultation_id: int, round_number: int | None) -> list[tuple]:
        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            latest = _latest_submitted(round_.id)
            return [tuple(r) for r in conn.execute(
                sa.select(t.cards.c.member_id, t.card_responses.c.statement_id,
                          t.card_responses.c.stance, t.card_responses.c.rationale)
                .join(latest, latest.c.card_id == t.cards.c.id)
                .join(t.card_responses, t.card_responses.c.card_id == t.cards.c.id)
                .where(t.cards.c.round_id == round_.id)
                .order_by(t.card_responses.c.statement_id, t.cards.c.saved_at)
            )]

    # -- drafts and endorsements ------------------------------------------------------

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
        return _draft(row)

    def list_drafts(self, consultation_id: int) -> list[m.Draft]:
        """Return every version of the joint response, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(t.drafts)
                                .where(t.drafts.c.consultation_id == consultation_id)
                                .order_by(t.drafts.c.version))
            return [_draft(r) for r in rows]

    def add_endorsement(self, consultation_id: int, token: str, draft_id: int,
                        kind: m.EndorsementKind | str, reason: str = "") -> m.Endorsement:
        """Record the token holder's answer to a draft; a later answer supersedes it."""
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            draft = _draft(self._one(conn, t.drafts, draft_id, "draft"))
            if draft.consultation_id != consultation_id:
                raise ValidationError("draft_id", "must be a draft of this consultation",
                                      draft_id)
            consultation = _consultation(self._one(conn, t.consultations, consultation_id,
                                                   "consultation"))
            if consultation.status is m.ConsultationStatus.DRAFT:
                raise ConsultationNotOpen("status", "endorsements open with the consultation")
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
        return [_endorsement(r) for r in latest.values()]

    # -- bulk import (trusted: the facilitator's own files, not a member's link) ----------

    def import_consultation(
        self,
        development: m.Development,
        consultation: m.Consultation,
        statements: Sequence[m.Statement],
        members: Sequence[m.Member],
        votes: pd.DataFrame | Iterable[tuple[int, int, int | None, dt.datetime]],
    ) -> m.Consultation:
        """Import a whole consultation from another tool in one transaction.

        Parameters
        ----------
        development, consultation : Development, Consultation
            Their ids (and the consultation's ``development_id``) are ignored and assigned.
        statements, members : sequences of Statement, Member
            Their ``consultation_id`` is ignored; ``external_id`` keeps the other tool's ids.
        votes : DataFrame or iterable of (member_index, statement_index, stance, saved_at)
            Indexes into ``members`` and ``statements``; ``stance`` missing (``None`` or
            <NA>) is a pass. A DataFrame has those four columns. Each member's votes become
            one submitted card (revision 1) in round 1, saved at the latest of their vote
            times; a later vote on the same statement replaces an earlier one. A member
            without votes gets no card.

        Returns
        -------
        Consultation
            The new consultation, with its id. Nothing is written if anything is invalid.
        """
        import numpy as np
        import pandas as pd

        columns = ["member_index", "statement_index", "stance", "saved_at"]
        frame = (votes if isinstance(votes, pd.DataFrame)
                 else pd.DataFrame(list(votes), columns=columns))
        member_index = frame["member_index"].to_numpy(dtype=np.int64)
        statement_index = frame["statement_index"].to_numpy(dtype=np.int64)
        stance = pd.array(frame["stance"], dtype="Int64")
        allowed = np.array(get_scale(consultation.scale).values)
        for name, values, limit, what in (
            ("member", member_index, len(members), "an imported member"),
            ("statement", statement_index, len(statements), "an imported statement"),
        ):
            bad = np.flatnonzero((values < 0) | (values >= limit))
            if bad.size:
                raise ValidationError(f"votes[{bad[0]}].{name}", f"must name {what}",
                                      int(values[bad[0]]))
        stance_values = stance.to_numpy(dtype="float64", na_value=np.nan)
        bad = np.flatnonzero(~np.isnan(stance_values) & ~np.isin(stance_values, allowed))
        if bad.size:
            raise ValidationError(f"votes[{bad[0]}].stance",
                                  f"must be one of {sorted(allowed.tolist())} or a pass",
                                  stance_values[bad[0]])
        saved_at = pd.to_datetime(frame["saved_at"], utc=True)
        if saved_at.isna().any():
            row = int(np.flatnonzero(saved_at.isna().to_numpy())[0])
            raise ValidationError(f"votes[{row}].saved_at", "is required")
        naive_utc = saved_at.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        # Sort by (member, statement); lexsort is stable, so the last of equal pairs is the
        # latest vote, which replaces the earlier ones.
        order = np.lexsort((statement_index, member_index))
        member_sorted, statement_sorted = member_index[order], statement_index[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = ((member_sorted[1:] != member_sorted[:-1])
                     | (statement_sorted[1:] != statement_sorted[:-1]))
        order = order[last]
        answer_member, answer_statement = member_index[order], statement_index[order]
        answer_stance = stance_values[order]
        answer_time = naive_utc[order]
        starts = np.flatnonzero(np.r_[True, answer_member[1:] != answer_member[:-1]]) \
            if len(order) else np.zeros(0, dtype=np.int64)
        voters = answer_member[starts]
        last_vote = pd.DatetimeIndex(np.maximum.reduceat(answer_time, starts)
                                     if len(order) else answer_time)
        now = self.now()
        with self.transaction() as conn:
            development = self.add_development_in(conn, development)
            consultation = replace(consultation, development_id=development.id)
            cid = conn.execute(t.consultations.insert().values(
                **_consultation_values(consultation), created_at=now)).inserted_primary_key[0]
            round_id = conn.execute(t.rounds.insert().values(
                consultation_id=cid, number=1, opened_at=now)).inserted_primary_key[0]
            # The models are already validated: only the consultation and position change.
            statement_ids = np.array(_insert_returning_ids(conn, t.statements, [
                {**_statement_values(s), "consultation_id": cid, "position": i + 1,
                 "created_at": now} for i, s in enumerate(statements)]), dtype=np.int64)
            member_ids = np.array(_insert_returning_ids(conn, t.members, [
                {**_member_values(mb), "consultation_id": cid, "created_at": now}
                for mb in members]), dtype=np.int64)
            card_ids = np.array(_insert_returning_ids(conn, t.cards, [
                {"consultation_id": cid, "round_id": round_id, "member_id": int(member_ids[v]),
                 "revision": 1, "status": m.CardStatus.SUBMITTED.value, "concerns": "",
                 "impact": "", "saved_at": when}
                for v, when in zip(voters.tolist(),
                                   last_vote.tz_localize("UTC").to_pydatetime(), strict=True)
            ]), dtype=np.int64)
            card_column = card_ids[np.searchsorted(voters, answer_member)]
            statement_column = statement_ids[answer_statement]
            # Python ints, and None for a pass
            stance_column = np.where(np.isnan(answer_stance), None,
                                     np.nan_to_num(answer_stance).astype(np.int64)).tolist()
            _copy_rows(conn, t.card_responses, ("card_id", "statement_id", "stance", "rationale"),
                       zip(card_column.tolist(), statement_column.tolist(), stance_column,
                           itertools.repeat(""), strict=False))
        return replace(consultation, id=cid)

    def add_development_in(self, conn: Connection, development: m.Development) -> m.Development:
        """Insert a development on an open transaction's connection (for composite writes)."""
        new_id = conn.execute(t.developments.insert().values(
            **_development_values(development), created_at=self.now())).inserted_primary_key[0]
        return replace(development, id=new_id)

    # -- frames for analysis ----------------------------------------------------------

    def responses_frame(self, consultation_id: int, round_number: int | None = None, *,
                        rationales: bool = True) -> pd.DataFrame:
        """Return the latest submitted stance of each member on each statement.

        Parameters
        ----------
        consultation_id : int
        round_number : int, optional
            Default: the current (latest) round.
        rationales : bool
            False leaves the ``rationale`` column out (quicker for the numbers alone).

        Returns
        -------
        pandas.DataFrame
            Columns ``member_id``, ``statement_id``, ``stance`` (nullable integer; missing
            is a pass), ``rationale``, ``revision``, ``saved_at``. One row per member and
            answered statement, from each member's latest submitted revision in the round,
            sorted by member and statement.
        """
        import numpy as np
        import pandas as pd

        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            latest = _latest_submitted(round_.id)
            cards = _fetch_plain(conn, (
                sa.select(t.cards.c.id, t.cards.c.member_id, t.cards.c.revision,
                          t.cards.c.saved_at)
                .join(latest, latest.c.card_id == t.cards.c.id)
                .order_by(t.cards.c.id)
            ))
            if rationales or conn.dialect.name != "sqlite":
                answer_card, statement, stance, texts = _answers_plain(conn, latest, rationales)
            else:
                answer_card, statement, stance = _answers_packed_sqlite(conn, latest)
        card_id = np.fromiter((c[0] for c in cards), dtype=np.int64, count=len(cards))
        member_of = np.fromiter((c[1] for c in cards), dtype=np.int64, count=len(cards))
        revision_of = np.fromiter((c[2] for c in cards), dtype=np.int64, count=len(cards))
        saved_of = pd.to_datetime(pd.Series([c[3] for c in cards], dtype=object), utc=True)
        at = np.searchsorted(card_id, answer_card)  # every answer's card is in ``cards``
        member = member_of[at]
        order = np.lexsort((statement, member))
        at = at[order]
        stance = stance[order]
        passed = np.isnan(stance)
        frame = pd.DataFrame({
            "member_id": member[order],
            "statement_id": statement[order],
            "stance": pd.arrays.IntegerArray(np.where(passed, 0, stance).astype(np.int64),
                                             passed),
        })
        if rationales:
            frame["rationale"] = [texts[i] for i in order.tolist()]
        frame["revision"] = revision_of[at]
        frame["saved_at"] = pd.DatetimeIndex(saved_of)[at]
        return frame

    def members_frame(self, consultation_id: int) -> pd.DataFrame:
        """Return the roster with participation: one row per member.

        Columns: ``member_id``, ``name``, ``email``, ``external_id``, ``invited`` (an open
        invitation exists), ``responded`` (a submitted card in the current round), then one
        column per attribute.
        """
        import pandas as pd

        members = self.list_members(consultation_id)
        with self._read() as conn:
            round_ = self._round(conn, consultation_id, None)
            invited = set(conn.execute(
                sa.select(t.invitations.c.member_id)
                .where(t.invitations.c.consultation_id == consultation_id,
                       t.invitations.c.revoked_at.is_(None))
            ).scalars())
            responded = set(conn.execute(
                sa.select(t.cards.c.member_id)
                .where(t.cards.c.round_id == round_.id,
                       t.cards.c.status == m.CardStatus.SUBMITTED.value)
            ).scalars())
        records = [
            {"member_id": mb.id, "name": mb.name, "email": mb.email,
             "external_id": mb.external_id, "invited": mb.id in invited,
             "responded": mb.id in responded, **mb.attributes}
            for mb in members
        ]
        columns = ["member_id", "name", "email", "external_id", "invited", "responded"]
        return pd.DataFrame.from_records(records, columns=columns + sorted(
            {k for mb in members for k in mb.attributes}))

    def statements_frame(self, consultation_id: int) -> pd.DataFrame:
        """Return accepted statements in card order.

        Columns: ``statement_id``, ``text``, ``external_id``, ``position``.
        """
        import pandas as pd

        return pd.DataFrame(
            [(s.id, s.text, s.external_id, s.position)
             for s in self.list_statements(consultation_id)],
            columns=["statement_id", "text", "external_id", "position"],
        )


def _fetch_plain(conn: Connection, query: sa.Select) -> list[tuple]:
    """Run ``query`` on the driver's own cursor and return plain tuples (fast for bulk reads).

    Only for columns that need no type processing (integers and text), or whose raw form
    the caller converts itself (timestamps through ``pandas.to_datetime``).
    """
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _answers_plain(conn: Connection, latest: sa.Subquery, rationales: bool
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Read the answers of the ``latest`` cards, one row each.

    Returns the card ids, statement ids, stances (float, NaN for a pass) and, when asked
    for, the rationales (else an empty list).
    """
    import numpy as np

    columns = [t.card_responses.c.card_id, t.card_responses.c.statement_id,
               t.card_responses.c.stance]
    if rationales:
        columns.append(t.card_responses.c.rationale)
    # The bulk of the rows comes through the driver: no per-row type processing.
    rows = _fetch_plain(conn, sa.select(*columns).join(
        latest, latest.c.card_id == t.card_responses.c.card_id))
    n = len(rows)
    return (np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
            np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
            np.fromiter((np.nan if r[2] is None else r[2] for r in rows), dtype=np.float64,
                        count=n),
            [r[3] for r in rows] if rationales else [])


#: Stands for a pass (NULL stance) in ``_answers_packed_sqlite``: no scale has this level.
_PASS_MARK = -(2**40)


def _answers_packed_sqlite(conn: Connection, latest: sa.Subquery
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read the answers of the ``latest`` cards as one row per card (SQLite only).

    The statement ids and stances of a card come as two comma-separated lists built by one
    aggregate query; both aggregates run over the same rows in the same order, so the lists
    line up. Parsing two strings per card is several times quicker than fetching one Python
    tuple per answer. Returns card ids, statement ids and stances (float, NaN for a pass).
    """
    import numpy as np

    answers = t.card_responses
    rows = _fetch_plain(conn, (
        sa.select(answers.c.card_id, sa.func.count(),
                  sa.func.group_concat(answers.c.statement_id, ","),
                  sa.func.group_concat(sa.func.coalesce(answers.c.stance, _PASS_MARK), ","))
        .join(latest, latest.c.card_id == answers.c.card_id)
        .group_by(answers.c.card_id)
    ))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    cards = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    counts = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    statements = np.fromstring(",".join(r[2] for r in rows), dtype=np.int64, sep=",")
    stances = np.fromstring(",".join(r[3] for r in rows), dtype=np.int64, sep=",")
    if len(statements) != counts.sum() or len(stances) != counts.sum():
        raise RuntimeError("card_responses: the packed lists do not match their counts")
    return (np.repeat(cards, counts), statements,
            np.where(stances == _PASS_MARK, np.nan, stances.astype(np.float64)))


def _latest_submitted(round_id: int) -> sa.Subquery:
    """Select the id of each member's latest submitted card in a round (column ``card_id``)."""
    ranked = (
        sa.select(t.cards.c.id.label("card_id"), t.cards.c.member_id,
                  sa.func.row_number().over(partition_by=t.cards.c.member_id,
                                            order_by=t.cards.c.revision.desc()).label("rank"))
        .where(t.cards.c.round_id == round_id,
               t.cards.c.status == m.CardStatus.SUBMITTED.value)
        .subquery()
    )
    return sa.select(ranked.c.card_id).where(ranked.c.rank == 1).subquery()


def _insert_returning_ids(conn: Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert many rows in batches and return their new ids in the order given.

    On PostgreSQL, ``INSERT ... RETURNING`` in batches. On SQLite, where RETURNING goes row
    by row, the ids are given: the next ones after the table's largest. That is safe because
    every write transaction on SQLite starts with ``BEGIN IMMEDIATE`` (see ``engine``), so no
    other writer can take an id until this transaction ends.
    """
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        query = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(query, rows).scalars())
    first = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one() + 1
    ids = list(range(first, first + len(rows)))
    # The driver's executemany with values SQLAlchemy's own bind processors made (the same
    # text for dates and JSON as a Core insert writes): a Core insert of many dicts spent
    # more time preparing parameters than SQLite spent writing them.
    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in rows[0] and c.name != "id" and c.default is not None
                and c.default.is_scalar}
    columns = [*rows[0], *defaults, "id"]
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in columns]
    if any(list(row) != columns[:len(row)] for row in rows):
        raise ValueError(f"{table.name}: every row needs the same columns, in one order")
    constant = list(defaults.values())
    _copy_rows(conn, table, columns, (
        tuple(v if p is None else p(v)
              for p, v in zip(processors, (*row.values(), *constant, new_id), strict=True))
        for row, new_id in zip(rows, ids, strict=True)))
    return ids


def _copy_rows(conn: Connection, table: sa.Table, columns: Sequence[str],
               rows: Iterable[tuple]) -> None:
    """Write many rows fast: COPY on PostgreSQL, the driver's executemany on SQLite."""
    cursor = conn.connection.driver_connection.cursor()
    names = ", ".join(columns)
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Many rows per statement: half the time of one row per statement, since the
            # per-statement work of the driver and of SQLite dominates. 200 rows keep the
            # parameters under SQLite's oldest limit of 999 for up to 4 columns.
            per_row = len(columns)
            batch = max(1, 800 // per_row)
            row_marks = "(" + ", ".join("?" for _ in columns) + ")"
            flat = list(itertools.chain.from_iterable(rows))
            if len(flat) % per_row:
                raise ValueError(f"{table.name}: every row needs {per_row} values")
            n_rows = len(flat) // per_row
            full = n_rows - n_rows % batch
            insert = f"INSERT INTO {table.name} ({names}) VALUES "
            if full:
                width = batch * per_row
                cursor.executemany(insert + ", ".join([row_marks] * batch),
                                   (flat[i:i + width] for i in range(0, full * per_row, width)))
            if n_rows > full:
                cursor.execute(insert + ", ".join([row_marks] * (n_rows - full)),
                               flat[full * per_row:])
    finally:
        cursor.close()


# -- row <-> model ------------------------------------------------------------------------


def _replace(current: Any, changes: Mapping[str, Any]) -> Any:
    if "id" in changes:
        raise ValidationError("id", "cannot be changed")
    unknown = set(changes) - set(current.__dataclass_fields__)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field that can be changed")
    return replace(current, **changes)


def _development_values(d: m.Development) -> dict[str, Any]:
    return {"kind": d.kind.value, "title": d.title, "summary": d.summary,
            "source_url": d.source_url, "date": d.date, "requester": d.requester,
            "requester_deadline": d.requester_deadline, "questions": list(d.questions)}


def _development(r: sa.Row) -> m.Development:
    return m.Development(r.kind, r.title, r.summary, r.source_url, r.date, r.requester,
                         r.requester_deadline, tuple(r.questions or ()), id=r.id)


def _consultation_values(c: m.Consultation) -> dict[str, Any]:
    return {"development_id": c.development_id, "title": c.title, "scale": c.scale,
            "anonymous": c.anonymous, "visibility": c.visibility.value,
            "deadline": c.deadline, "status": c.status.value, "language": c.language}


def _consultation(r: sa.Row) -> m.Consultation:
    return m.Consultation(r.development_id, r.title, r.scale, bool(r.anonymous), r.visibility,
                          _aware(r.deadline), r.status, r.language, id=r.id)


def _round(r: sa.Row) -> m.Round:
    return m.Round(r.consultation_id, r.number, _aware(r.opened_at), id=r.id)


def _statement_values(s: m.Statement) -> dict[str, Any]:
    return {"consultation_id": s.consultation_id, "text": s.text, "proposed_by": s.proposed_by,
            "moderation": s.moderation.value, "position": s.position,
            "external_id": s.external_id}


def _statement(r: sa.Row) -> m.Statement:
    return m.Statement(r.consultation_id, r.text, r.proposed_by, r.moderation, r.position,
                       r.external_id, id=r.id)


def _member_values(mb: m.Member) -> dict[str, Any]:
    return {"consultation_id": mb.consultation_id, "name": mb.name, "email": mb.email,
            "attributes": dict(mb.attributes), "external_id": mb.external_id}


def _member(r: sa.Row) -> m.Member:
    return m.Member(r.consultation_id, r.name, r.email, dict(r.attributes or {}),
                    r.external_id, id=r.id)


def _invitation(r: sa.Row) -> m.Invitation:
    return m.Invitation(r.consultation_id, r.member_id, r.token_hash, _aware(r.created_at),
                        _aware(r.revoked_at), id=r.id)


def _card(r: sa.Row, responses: list[m.StanceResponse]) -> m.PositionCard:
    return m.PositionCard(r.consultation_id, r.round_id, r.member_id, tuple(responses),
                          r.concerns, r.impact, r.status, r.revision, _aware(r.saved_at),
                          id=r.id)


def _draft(r: sa.Row) -> m.Draft:
    return m.Draft(r.consultation_id, dict(r.sections), r.version, _aware(r.created_at),
                   id=r.id)


def _endorsement(r: sa.Row) -> m.Endorsement:
    return m.Endorsement(r.draft_id, r.member_id, r.kind, r.reason, _aware(r.created_at),
                         id=r.id)
