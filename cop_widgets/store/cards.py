"""Store verbs for position cards: saving revisions, reading them back, counting answers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError, Word
from ..model.ordering import reasons_scope, seeded_order
from ..model.policies import CARD_SAVE_LIMIT, CardSaveLimit
from . import schema as t
from .base import StoreBase
from .ordering import order_secret
from .outbox import enqueue_receipt
from .rows import aware, card_from, consultation_from

__all__ = ["CardVerbs", "latest_submitted", "refuse_empty_submission", "select_latest_answers"]


def latest_submitted(round_id: int) -> sa.Subquery:
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


def select_latest_answers(round_id: int, *columns: sa.ColumnElement) -> sa.Select:
    """Select ``columns`` of the answers on each member's latest submitted card in a round.

    ``columns`` may come from ``cards`` and ``card_responses``.
    """
    latest = latest_submitted(round_id)
    return (sa.select(*columns).select_from(t.cards)
            .join(latest, latest.c.card_id == t.cards.c.id)
            .join(t.card_responses, t.card_responses.c.card_id == t.cards.c.id)
            .where(t.cards.c.round_id == round_id))


def refuse_empty_submission(card: m.PositionCard) -> None:
    """Raise :class:`ValidationError` on ``responses`` if ``card`` is submitted unanswered.

    A submitted card is a member's position, so it needs at least one answer (a pass
    counts); a draft may be saved empty.
    """
    if card.status is m.CardStatus.SUBMITTED and not card.responses:
        raise ValidationError("responses", "empty-submission")


def insert_revision(conn: Connection, card: m.PositionCard, now: dt.datetime
                    ) -> tuple[int, int]:
    """Write ``card`` as its member's next revision in its round; return its id and number.

    The caller has checked the card and holds the lock on the member's row, so revisions
    are numbered one after another.
    """
    revision = (conn.execute(
        sa.select(sa.func.max(t.cards.c.revision))
        .where(t.cards.c.round_id == card.round_id, t.cards.c.member_id == card.member_id)
    ).scalar() or 0) + 1
    card_id = conn.execute(t.cards.insert().values(
        consultation_id=card.consultation_id, round_id=card.round_id,
        member_id=card.member_id, revision=revision, status=card.status.value,
        concerns=card.concerns, impact=card.impact, saved_at=now,
    )).inserted_primary_key[0]
    if card.responses:
        conn.execute(t.card_responses.insert(), [
            {"card_id": card_id, "statement_id": r.statement_id, "stance": r.stance,
             "rationale": r.rationale} for r in card.responses])
    if card.status is m.CardStatus.SUBMITTED:  # the receipt, if asked for, with the card
        enqueue_receipt(conn, card.consultation_id, card.member_id, now)
    return card_id, revision


class CardVerbs(StoreBase):
    """Save a member's card, read revisions back, and count the latest submitted answers."""

    #: How often and how many times in a round one member may save a card; ``None``: no
    #: limit. A load test playing members who save faster than people do sets a looser
    #: :class:`~cop_widgets.model.policies.CardSaveLimit` on its own store object.
    card_save_limit: CardSaveLimit | None = CARD_SAVE_LIMIT

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
            A stance is off the scale, a statement is not on this consultation's card, or
            a submitted card has no answer (a draft may be saved empty). Or the member
            saves too often (``saving-too-often``: wait ``wait_seconds``) or has saved
            this round's most revisions (``too-many-revisions``), see
            :attr:`card_save_limit`.

        """
        with self.transaction() as conn:
            member, consultation, round_, now = self._card_writer(conn, consultation_id,
                                                                  token)
            self._refuse_past_save_limit(conn, round_.id, member.id, now)
            card = m.PositionCard(consultation_id, round_.id, member.id, responses,
                                  concerns=concerns, impact=impact, status=status)
            refuse_empty_submission(card)
            card.check_scale(consultation.scale)
            self._check_statements(conn, consultation_id, card)
            card_id, revision = insert_revision(conn, card, now)
        return replace(card, id=card_id, revision=revision, saved_at=now)

    def _card_writer(self, conn: Connection, consultation_id: int, token: str
                     ) -> tuple[m.Member, m.Consultation, m.Round, dt.datetime]:
        """Admit the token's member to write a card now; return who, where, which round, when.

        Locks the member's row (one member's revisions are numbered one after another) and
        share-locks the consultation (a scale change waits for cards in flight); refuses a
        consultation that is not open (``ConsultationNotOpen``).
        """
        member = self._member_for_token(conn, consultation_id, token)
        self._one(conn, t.members, member.id, "member", lock=True)
        consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                   "consultation", lock="share"))
        now = self.now()
        self._refuse_unless_open(consultation, "cards", now)
        return member, consultation, self._round(conn, consultation_id, None), now

    def _refuse_past_save_limit(self, conn: Connection, round_id: int, member_id: int,
                                now: dt.datetime) -> None:
        """Raise if the member may not save another card now (see :attr:`card_save_limit`).

        Counted from the member's stored cards in the caller's transaction, after their
        row is locked, so the limit holds across kernels and servers sharing the database.
        """
        limit = self.card_save_limit
        if limit is None:
            return
        latest = conn.execute(
            sa.select(t.cards.c.revision, t.cards.c.saved_at)
            .where(t.cards.c.round_id == round_id, t.cards.c.member_id == member_id)
            .order_by(t.cards.c.revision.desc()).limit(limit.max_saves)
        ).all()
        if latest and latest[0].revision >= limit.max_revisions:
            raise ValidationError("card", "too-many-revisions", limit=limit.max_revisions)
        wait = limit.wait([aware(r.saved_at) for r in latest], now)
        if wait is not None:
            raise ValidationError("card", "saving-too-often", limit=limit.max_saves,
                                  minutes=int(limit.window.total_seconds() // 60),
                                  until=now + wait,
                                  wait_seconds=math.ceil(wait.total_seconds()))

    def _check_statements(self, conn: Connection, consultation_id: int,
                          card: m.PositionCard) -> None:
        """Raise unless every answer of ``card`` is to an accepted statement of the card."""
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
                raise ValidationError(f"responses[{i}].statement_id", "not-a-statement-here",
                                      sid)
            if found[sid] != m.ModerationState.ACCEPTED.value:
                raise ValidationError(f"responses[{i}].statement_id", "not-on-the-card", sid,
                                      state=Word(found[sid]))

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
        return [card_from(c, responses[c.id]) for c in cards]

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
            answers = t.card_responses.c
            rows = conn.execute(
                select_latest_answers(round_.id, answers.statement_id, answers.stance,
                                      sa.func.count())
                .group_by(answers.statement_id, answers.stance)
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
                latest_submitted(round_.id))).scalar()

    def list_rationales(self, consultation_id: int,
                        round_number: int | None = None) -> dict[int, list[str]]:
        """Return the non-empty rationales of the latest submitted cards, per statement.

        No member is named, and the order says nothing of who or when: the reasons under
        each statement are in the order the consultation's secret draws for it
        (:func:`cop_widgets.model.ordering.seeded_order`), the same on every reading but
        another for each statement, so the k-th reasons of two statements are no more
        likely one member's than any two.
        """
        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            secret = order_secret(conn, consultation_id)
            answers = t.card_responses.c
            rows = conn.execute(
                select_latest_answers(round_.id, answers.statement_id, answers.rationale)
                .where(answers.rationale != "")
            ).all()
        texts: dict[int, list[str]] = {}
        for statement_id, rationale in rows:
            texts.setdefault(statement_id, []).append(rationale)
        return {sid: seeded_order(texts[sid], secret, reasons_scope(sid))
                for sid in sorted(texts)}
