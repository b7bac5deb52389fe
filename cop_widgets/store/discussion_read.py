"""The discussion phase's reasons: which are current, their keys and order; the readers.

A reason's :data:`~cop_widgets.model.discussion.ReasonKey` is checked by :func:`reason_key`;
rows about a reason are matched by :func:`where_key` and inserted once by :func:`insert_new`.

A *current reason* is the non-empty reason a member gave under an accepted statement in
their latest submitted card of the current round (:func:`select_reasons`, the one
definition every discussion verb uses). Reasons are listed statement by statement in card
order and, under a statement, in the order the consultation's secret draws
(:func:`~cop_widgets.model.ordering.seeded_order` in
:func:`~cop_widgets.model.ordering.reasons_scope`), never by author or time. Replies are
listed under their reason, reasons in that order, and under a reason in their own drawn
order (:func:`replies_scope`).

:class:`DiscussionReadVerbs` reads the :class:`~cop_widgets.model.discussion.DiscussionRecord`
the analysis takes, in one connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError
from ..model.discussion import (
    Discussion,
    DiscussionRecord,
    GroupSource,
    Reason,
    ReasonKey,
    Reply,
    StanceCredit,
    StanceRevision,
    side_of,
)
from ..model.ordering import reasons_scope, seeded_order
from ..scales import get_scale
from . import schema as t
from .base import StoreBase
from .ordering import order_secret
from .rows import aware, consultation_from
from .statements import select_statements

__all__ = ["DiscussionReadVerbs", "replies_scope", "select_reasons", "ordered_reasons",
           "read_reasons", "read_replies", "discussion_from", "reply_from", "reason_key",
           "where_key", "insert_new", "group_source"]

_ACCEPTED = m.ModerationState.ACCEPTED.value


def replies_scope(statement_id: int, author_id: int) -> str:
    """Return the scope of the replies to the reason ``(statement_id, author_id)``."""
    return f"replies:{int(statement_id)}:{int(author_id)}"


def _reason_item(reason: Reason) -> str:
    """Return the item a reason is ordered by: its text, then (hidden by HMAC) its author.

    The text first, as :meth:`~.cards.CardVerbs.list_rationales` orders; the author after
    it, so that two members' reasons of the same words still have an order of their own.
    """
    return f"{reason.text}\x00{reason.author_id}"


def _reply_item(reply: Reply) -> str:
    return f"{reply.text}\x00{reply.id}"


def discussion_from(r: sa.Row) -> Discussion:
    """Return the discussion of a ``discussions`` row."""
    return Discussion(r.consultation_id, aware(r.opened_at), aware(r.closed_at),
                      {int(k): str(v) for k, v in (r.groups or {}).items()},
                      GroupSource(r.source), r.attribute, dict(r.apart or {}))


def reply_from(r: sa.Row) -> Reply:
    """Return the reply of a ``reason_replies`` row."""
    return Reply((r.statement_id, r.author_id), r.member_id, r.text, r.moderation,
                 aware(r.created_at), id=r.id)


def select_reasons(conn: Connection, round_id: int, *,
                   keys: Iterable[ReasonKey] | None = None,
                   ) -> list[tuple[int, int, int | None, str]]:
    """Return the current reasons of a round as ``(statement_id, author_id, stance, text)``.

    Each member's latest submitted card of the round (highest revision), its non-empty
    reasons under accepted statements. With ``keys``, only those reasons (the ones among
    them that are current); in no particular order.
    """
    c, a, s = t.cards.c, t.card_responses.c, t.statements.c
    latest = (sa.select(c.member_id, sa.func.max(c.revision).label("revision"))
              .where(c.round_id == round_id, c.status == m.CardStatus.SUBMITTED.value))
    query = (sa.select(a.statement_id, c.member_id, a.stance, a.rationale))
    wanted: set[ReasonKey] | None = None
    if keys is not None:
        wanted = {(int(sid), int(author)) for sid, author in keys}
        if not wanted:
            return []
        latest = latest.where(c.member_id.in_({author for _, author in wanted}))
        query = query.where(a.statement_id.in_({sid for sid, _ in wanted}))
    latest = latest.group_by(c.member_id).subquery()
    rows = conn.execute(
        query.select_from(t.cards)
        .join(latest, sa.and_(latest.c.member_id == c.member_id,
                              latest.c.revision == c.revision))
        .join(t.card_responses, a.card_id == c.id)
        .join(t.statements, s.id == a.statement_id)
        .where(c.round_id == round_id, s.moderation == _ACCEPTED, a.rationale != "")
    ).all()
    found = [(r.statement_id, r.member_id, r.stance, r.rationale) for r in rows]
    if wanted is not None:
        found = [row for row in found if (row[0], row[1]) in wanted]
    return found


def ordered_reasons(rows: Iterable[tuple[int, int, int | None, str]],
                    statement_ids: Sequence[int], secret: bytes,
                    scale_key: str) -> list[Reason]:
    """Return ``rows`` (of :func:`select_reasons`) as reasons in the order they are shown.

    Statements in ``statement_ids`` order (card order; others are left out), and under
    each statement in the order the consultation's ``secret`` draws.
    """
    scale = get_scale(scale_key)
    under: dict[int, list[Reason]] = {}
    for sid, author, stance, text in rows:
        under.setdefault(sid, []).append(
            Reason(sid, author, stance, side_of(scale, stance), text))
    return [reason for sid in statement_ids if sid in under
            for reason in seeded_order(under[sid], secret, reasons_scope(sid),
                                       key=_reason_item)]


#: Rows written by one multi-row insert (SQLite allows 32,766 parameters a statement).
_CHUNK = 500


def insert_new(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping any a unique constraint already holds; return how many new.

    ``INSERT ... ON CONFLICT DO NOTHING``: two kernels inserting the same row at once
    insert it once, and neither fails.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    new = 0
    for start in range(0, len(rows), _CHUNK):
        # RETURNING the rows written: a driver's rowcount of a multi-row insert is not
        # reliable (psycopg reports -1 here).
        new += len(conn.execute(insert(table).values(rows[start:start + _CHUNK])
                                .on_conflict_do_nothing().returning(table.c.id)).all())
    return new


def reason_key(key: Any) -> ReasonKey:
    """Return ``key`` as a :data:`ReasonKey`; refuse anything else as no such reason."""
    try:
        statement_id, author_id = key
        if not all(isinstance(x, int) and not isinstance(x, bool) and x > 0
                   for x in (statement_id, author_id)):
            raise TypeError
    except (TypeError, ValueError):
        raise ValidationError("reason", "no-such-reason") from None
    return statement_id, author_id


def where_key(table: sa.Table, key: ReasonKey) -> sa.ColumnElement[bool]:
    """Return the condition that a row of ``table`` is about reason ``key``."""
    return sa.and_(table.c.statement_id == key[0], table.c.author_id == key[1])


def group_source(source: GroupSource | str) -> GroupSource:
    """Return ``source`` as a :class:`GroupSource`; refuse another value (``not-one-of``)."""
    try:
        return GroupSource(source)
    except ValueError:
        raise ValidationError("source", "not-one-of", source,
                              allowed=", ".join(s.value for s in GroupSource)) from None


class _Reading:
    """What the discussion's readers share, read once in one connection."""

    def __init__(self, store: StoreBase, conn: Connection, consultation_id: int):
        self.consultation = consultation_from(store._one(conn, t.consultations,
                                                         consultation_id, "consultation"))
        self.round = store._round(conn, consultation_id, None)
        self.secret = order_secret(conn, consultation_id)
        self.statement_ids = [s.id for s in select_statements(conn, consultation_id)]


def read_reasons(store: StoreBase, conn: Connection, consultation_id: int) -> list[Reason]:
    """Return a consultation's current reasons in the order they are shown."""
    ctx = _Reading(store, conn, consultation_id)
    return _reasons(conn, ctx)


def _reasons(conn: Connection, ctx: _Reading) -> list[Reason]:
    return ordered_reasons(select_reasons(conn, ctx.round.id), ctx.statement_ids, ctx.secret,
                           ctx.consultation.scale)


def read_replies(conn: Connection, consultation_id: int, reasons: Sequence[Reason],
                 secret: bytes, *, moderation: m.ModerationState | str | None = None,
                 accepted_only: bool = False) -> list[Reply]:
    """Return a consultation's replies, under their reasons in ``reasons`` order.

    Under a reason, replies are in the order the consultation's ``secret`` draws for it
    (:func:`replies_scope`). Replies to a reason that is no longer current (its author
    changed it, or the statement left the card) follow, reason by reason in the secret's
    order. ``accepted_only`` keeps only replies under accepted statements.
    """
    r = t.reason_replies.c
    query = sa.select(t.reason_replies).where(r.consultation_id == consultation_id)
    if moderation is not None:
        query = query.where(r.moderation == m.ModerationState.parse("moderation",
                                                                    moderation).value)
    if accepted_only:
        query = query.join(t.statements, t.statements.c.id == r.statement_id).where(
            t.statements.c.moderation == _ACCEPTED)
    under: dict[ReasonKey, list[Reply]] = {}
    for row in conn.execute(query.order_by(r.id)):
        reply = reply_from(row)
        under.setdefault(reply.reason, []).append(reply)
    order = [reason.key for reason in reasons if reason.key in under]
    shown = set(order)
    order += seeded_order((key for key in under if key not in shown), secret, "replies",
                          key=lambda key: f"{key[0]}:{key[1]}")
    return [reply for key in order
            for reply in seeded_order(under[key], secret, replies_scope(*key),
                                      key=_reply_item)]


class DiscussionReadVerbs(StoreBase):
    """Read the discussion phase: the discussion, reasons, replies, and the whole record."""

    def get_discussion(self, consultation_id: int) -> Discussion | None:
        """Return the consultation's discussion (open or closed), or ``None`` before one."""
        with self._read() as conn:
            return self._discussion(conn, consultation_id)

    @staticmethod
    def _discussion(conn: Connection, consultation_id: int,
                    lock: bool = False) -> Discussion | None:
        query = sa.select(t.discussions).where(
            t.discussions.c.consultation_id == consultation_id)
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update(read=True)
        row = conn.execute(query).first()
        return None if row is None else discussion_from(row)

    def list_reasons(self, consultation_id: int) -> list[Reason]:
        """Return every member's current reason, in the order reasons are shown.

        Each member's non-empty reason under each accepted statement in their latest
        submitted card of the current round, with its stance and side; statement by
        statement in card order, and under a statement in the order the consultation's
        secret draws (:mod:`cop_widgets.model.ordering`), never by author or time.
        Author ids are server-side only.
        """
        with self._read() as conn:
            return read_reasons(self, conn, consultation_id)

    def list_replies(self, consultation_id: int,
                     moderation: m.ModerationState | str | None = None) -> list[Reply]:
        """Return a consultation's replies (``moderation``: only those), as they are shown.

        Under each reason, reasons in :meth:`list_reasons` order; under a reason, in the
        order the consultation's secret draws for it, never by author or time. Replies to
        a reason that is no longer current follow. Repliers' ids are server-side only.
        """
        with self._read() as conn:
            reasons = read_reasons(self, conn, consultation_id)
            return read_replies(conn, consultation_id, reasons,
                                order_secret(conn, consultation_id), moderation=moderation)


    def discussion_record(self, consultation_id: int, *,
                          revisions: bool = True) -> DiscussionRecord:
        """Return everything the discussion analysis reads of a consultation, read at once.

        Parameters
        ----------
        consultation_id : int
            The consultation.
        revisions : bool
            Read the stance of every submitted revision of every card (the opinion
            change); ``False`` leaves :attr:`DiscussionRecord.revisions` empty.

        Returns
        -------
        DiscussionRecord
            Current reasons (in the order they are shown); impressions, standing
            endorsements, replies (any moderation) and credits under accepted statements;
            each member's first impression per statement; and, with ``revisions``, the
            stances of the current round's submitted revisions on accepted statements as
            they changed (first stance, then each change), oldest first. Author, viewer and
            endorser ids are server-side only.

        Raises
        ------
        NotFound
            No such consultation.

        """
        with self._read() as conn:
            ctx = _Reading(self, conn, consultation_id)
            reasons = _reasons(conn, ctx)
            impressions = _about_reasons(conn, t.reason_impressions, "viewer_id",
                                         consultation_id)
            endorsements = _about_reasons(conn, t.reason_endorsements, "member_id",
                                          consultation_id)
            replies = read_replies(conn, consultation_id, reasons, ctx.secret,
                                   accepted_only=True)
            credits = _credits(conn, consultation_id)
            first_shown = _first_shown(conn, consultation_id)
            stances = _revisions(conn, ctx.round.id) if revisions else []
        return DiscussionRecord(reasons, impressions, endorsements, replies, credits,
                                first_shown, stances)


def _on_the_card(table: sa.Table) -> sa.ColumnElement[bool]:
    """Whether a row of ``table`` is about a statement now on the card (accepted)."""
    return sa.exists().where(t.statements.c.id == table.c.statement_id,
                             t.statements.c.moderation == _ACCEPTED)


def _about_reasons(conn: Connection, table: sa.Table, member: str,
                   consultation_id: int) -> list[tuple[ReasonKey, int]]:
    """Return ``((statement_id, author_id), member)`` of ``table``'s rows, oldest first."""
    c = table.c
    rows = conn.execute(sa.select(c.statement_id, c.author_id, c[member])
                        .where(c.consultation_id == consultation_id, _on_the_card(table))
                        .order_by(c.id))
    return [((sid, author), who) for sid, author, who in rows]


def _credits(conn: Connection, consultation_id: int) -> list[StanceCredit]:
    c = t.stance_credits.c
    rows = conn.execute(sa.select(t.stance_credits)
                        .where(c.consultation_id == consultation_id,
                               _on_the_card(t.stance_credits))
                        .order_by(c.created_at, c.id))
    return [StanceCredit(r.member_id, (r.statement_id, r.author_id), aware(r.created_at))
            for r in rows]


def _first_shown(conn: Connection, consultation_id: int) -> dict[tuple[int, int], object]:
    c = t.reason_impressions.c
    rows = conn.execute(sa.select(c.viewer_id, c.statement_id, sa.func.min(c.shown_at))
                        .where(c.consultation_id == consultation_id,
                               _on_the_card(t.reason_impressions))
                        .group_by(c.viewer_id, c.statement_id))
    return {(viewer, sid): aware(at) for viewer, sid, at in rows}


def _revisions(conn: Connection, round_id: int) -> list[StanceRevision]:
    """Return each member's stances on each statement as they changed, oldest first.

    A revision that leaves a stance as it was adds nothing to when a stance was what it was,
    so only the first stance of each member on each statement and each change after it are
    read (SQL window functions, on SQLite and PostgreSQL alike). Every revision writes the
    whole card again, so a member who changed one answer in ten revisions of a 50-statement
    card had 500 rows read for 10 stances that say anything (``benchmarks/bridging.py``).
    """
    c, a, s = t.cards.c, t.card_responses.c, t.statements.c
    each = (a.statement_id, c.member_id)
    order = (c.saved_at, c.id)
    stances = (
        sa.select(c.member_id, a.statement_id, a.stance, c.saved_at, c.id.label("card_id"),
                  sa.func.lag(a.stance).over(partition_by=each, order_by=order)
                  .label("before"),
                  sa.func.row_number().over(partition_by=each, order_by=order).label("nth"))
        .select_from(t.cards)
        .join(t.card_responses, a.card_id == c.id)
        .join(t.statements, s.id == a.statement_id)
        .where(c.round_id == round_id, c.status == m.CardStatus.SUBMITTED.value,
               s.moderation == _ACCEPTED)
        .subquery())
    v = stances.c
    rows = conn.execute(
        sa.select(v.member_id, v.statement_id, v.stance, v.saved_at)
        .where(sa.or_(v.nth == 1, v.stance.is_distinct_from(v.before)))
        .order_by(v.saved_at, v.card_id, v.statement_id))
    return [StanceRevision(member, sid, stance, aware(at)) for member, sid, stance, at in rows]
