"""Store verbs for the discussion phase (issue 13): members meet each other's reasons.

The facilitator opens a discussion (:meth:`DiscussionVerbs.open_discussion`, with the groups
the services computed) and closes it. While it is open, a member who has submitted a card
is shown other members' reasons (:meth:`~DiscussionVerbs.record_impressions`), marks one
"Speaks for me too" (:meth:`~DiscussionVerbs.set_reason_endorsement`), replies to it
(:meth:`~DiscussionVerbs.add_reply`, moderated by :meth:`~DiscussionVerbs.moderate_reply`),
and changes a stance, crediting the reason that changed their mind
(:meth:`~DiscussionVerbs.revise_stance`).

Who acts is the member the invitation token admits, never a caller's claim. A member acts
only on a reason that is current (:func:`.discussion_read.select_reasons`), not their own,
and that they were shown; one refusal, one code, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ConsultationNotOpen, ValidationError
from ..model.discussion import Discussion, GroupSource, ReasonKey, Reply
from ..model.fields import required_id
from ..model.policies import MAX_PENDING_REPLIES
from . import schema as t
from .cards import CardVerbs, insert_revision, refuse_empty_submission
from .discussion_read import (
    DiscussionReadVerbs,
    group_source,
    insert_new,
    reason_key,
    reply_from,
    select_reasons,
    where_key,
)
from .rows import consultation_from

__all__ = ["DiscussionVerbs"]

class DiscussionVerbs(DiscussionReadVerbs, CardVerbs):
    """Open and close the discussion; reasons shown, marked, replied to and credited."""

    # -- the phase ---------------------------------------------------------------------

    def open_discussion(self, consultation_id: int, groups: Mapping[int, str],
                        source: GroupSource | str, attribute: str = "",
                        apart: Mapping[str, list] | None = None) -> Discussion:
        """Open the discussion of reasons, with the groups endorsements are counted across.

        Opening it again retakes the groups: an open discussion keeps its ``opened_at``; a
        closed one opens again (``closed_at`` back to ``None``, ``opened_at`` now).

        Parameters
        ----------
        consultation_id : int
            The consultation.
        groups : mapping of int to str
            Member id to group label, computed by the caller (the services).
        source : GroupSource or str
            Where the groups come from.
        attribute : str
            The roster attribute, for :attr:`GroupSource.ROSTER`.
        apart : mapping, optional
            Each opinion group's label to what sets it apart (see :class:`Discussion`).

        Raises
        ------
        NotFound
            No such consultation.
        ConsultationNotOpen
            ``discussion-needs-open`` unless the consultation is open.
        ValidationError
            ``source`` is not a :class:`GroupSource` (``not-one-of``), a member id is not
            an id, or ``attribute`` is longer than 60 characters.

        """
        source = group_source(source)
        attribute = m.text("attribute", attribute, "attribute_key", required=False)
        values = {"groups": {str(required_id("groups", k)): str(v)
                             for k, v in dict(groups).items()},
                  "source": source.value, "attribute": attribute,
                  "apart": {str(k): list(v) for k, v in dict(apart or {}).items()}}
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock=True))
            if consultation.status is not m.ConsultationStatus.OPEN:
                raise ConsultationNotOpen("status", "discussion-needs-open")
            now = self.now()
            current = self._discussion(conn, consultation_id)
            if current is None:
                conn.execute(t.discussions.insert().values(
                    consultation_id=consultation_id, opened_at=now, closed_at=None, **values))
            else:
                reopened = {} if current.is_open else {"opened_at": now, "closed_at": None}
                conn.execute(t.discussions.update()
                             .where(t.discussions.c.consultation_id == consultation_id)
                             .values(**values, **reopened))
            return self._discussion(conn, consultation_id)

    def close_discussion(self, consultation_id: int) -> Discussion:
        """Close the discussion: reasons are no longer shown, marked or replied to.

        Raises
        ------
        NotFound
            No such consultation.
        ValidationError
            ``discussion-not-open`` when there is none, or it is closed already.

        """
        with self.transaction() as conn:
            self._one(conn, t.consultations, consultation_id, "consultation", lock=True)
            current = self._discussion(conn, consultation_id)
            if current is None or not current.is_open:
                raise ValidationError("discussion", "discussion-not-open")
            now = self.now()
            conn.execute(t.discussions.update()
                         .where(t.discussions.c.consultation_id == consultation_id)
                         .values(closed_at=now))
        return replace(current, closed_at=now)

    @staticmethod
    def _refuse_unless_current(conn: Connection, round_id: int, key: ReasonKey) -> None:
        if not select_reasons(conn, round_id, keys=[key]):
            raise ValidationError("reason", "no-such-reason")

    def _member_acts(self, conn: Connection, consultation_id: int, token: str,
                     key: Any, what: str) -> tuple[m.Member, ReasonKey, m.Round]:
        """Check a member may act on reason ``key`` now; return who, the key and the round.

        The refusals, in order: the token; the consultation not open (``what`` refused);
        ``discussion-not-open``; ``submit-first``; ``no-such-reason``; ``own-reason``;
        ``reason-not-shown``.
        """
        member = self._member_for_token(conn, consultation_id, token)
        # Lock the member row: one member's acts are counted one after another.
        self._one(conn, t.members, member.id, "member", lock=True)
        consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                   "consultation", lock="share"))
        self._refuse_unless_open(consultation, what, self.now())
        discussion = self._discussion(conn, consultation_id, lock=True)
        if discussion is None or not discussion.is_open:
            raise ValidationError("discussion", "discussion-not-open")
        round_ = self._round(conn, consultation_id, None)
        self._refuse_unless_submitted(conn, round_.id, member.id)
        key = reason_key(key)
        self._refuse_unless_current(conn, round_.id, key)
        if key[1] == member.id:
            raise ValidationError("reason", "own-reason")
        self._refuse_unless_shown(conn, key, member.id)
        return member, key, round_

    @staticmethod
    def _refuse_unless_submitted(conn: Connection, round_id: int, member_id: int) -> None:
        c = t.cards.c
        if conn.execute(sa.select(c.id).where(
                c.round_id == round_id, c.member_id == member_id,
                c.status == m.CardStatus.SUBMITTED.value).limit(1)).first() is None:
            raise ValidationError("card", "submit-first")

    @staticmethod
    def _refuse_unless_shown(conn: Connection, key: ReasonKey, member_id: int) -> None:
        i = t.reason_impressions
        if conn.execute(sa.select(i.c.id).where(where_key(i, key),
                                                i.c.viewer_id == member_id)).first() is None:
            raise ValidationError("reason", "reason-not-shown")

    # -- impressions and "Speaks for me too" -------------------------------------------

    def record_impressions(self, consultation_id: int, token: str,
                           keys: Sequence[ReasonKey]) -> int:
        """Record that these reasons were shown to the token holder, once each.

        The member's own reasons and keys that are not current reasons are skipped; a
        reason recorded before keeps its first time. Safe when two kernels record the same
        reason at once (``INSERT ... ON CONFLICT DO NOTHING``).

        Returns
        -------
        int
            How many impressions were new.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.

        """
        with self.transaction() as conn:
            member = self._member_for_token(conn, consultation_id, token)
            round_ = self._round(conn, consultation_id, None)
            wanted = set()
            for key in keys:
                try:
                    wanted.add(reason_key(key))
                except ValidationError:
                    continue
            wanted = {key for key in wanted if key[1] != member.id}
            current = sorted((sid, author) for sid, author, _, _ in
                             select_reasons(conn, round_.id, keys=wanted))
            now = self.now()
            return insert_new(conn, t.reason_impressions, [
                {"consultation_id": consultation_id, "statement_id": sid, "author_id": author,
                 "viewer_id": member.id, "shown_at": now} for sid, author in current])

    def set_reason_endorsement(self, consultation_id: int, token: str, key: ReasonKey,
                               on: bool) -> int:
        """Mark reason ``key`` "Speaks for me too" (``on``), or take the mark back.

        Marking twice is one mark; taking back a mark never made changes nothing.

        Returns
        -------
        int
            How many members mark the reason now.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        ConsultationNotOpen
            The consultation is not open, or its deadline has passed.
        ValidationError
            ``discussion-not-open``, ``submit-first`` (no submitted card in the current
            round), ``no-such-reason``, ``own-reason`` or ``reason-not-shown``.

        """
        with self.transaction() as conn:
            member, key, _round = self._member_acts(conn, consultation_id, token, key,
                                                    "marks")
            table = t.reason_endorsements
            if on:
                insert_new(conn, table, [{
                    "consultation_id": consultation_id, "statement_id": key[0],
                    "author_id": key[1], "member_id": member.id, "created_at": self.now()}])
            else:
                conn.execute(table.delete().where(where_key(table, key),
                                                  table.c.member_id == member.id))
            return conn.execute(sa.select(sa.func.count()).select_from(table)
                                .where(where_key(table, key))).scalar()

    # -- replies ------------------------------------------------------------------------

    def add_reply(self, consultation_id: int, token: str, key: ReasonKey,
                  text: str) -> Reply:
        """Record the token holder's reply to reason ``key``; it waits for moderation.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        ConsultationNotOpen
            The consultation is not open, or its deadline has passed.
        ValidationError
            The refusals of :meth:`set_reason_endorsement`; the text is empty or longer
            than :data:`~cop_widgets.model.discussion.REPLY_MAX` (field ``reply``); or the
            member has :data:`~cop_widgets.model.policies.MAX_PENDING_REPLIES` replies
            waiting for moderation (``too-many-pending-replies`` on ``reply``).

        """
        with self.transaction() as conn:
            member, key, _round = self._member_acts(conn, consultation_id, token, key,
                                                    "replies")
            r = t.reason_replies.c
            pending = conn.execute(
                sa.select(sa.func.count()).select_from(t.reason_replies)
                .where(r.consultation_id == consultation_id, r.member_id == member.id,
                       r.moderation == m.ModerationState.PENDING.value)).scalar()
            if pending >= MAX_PENDING_REPLIES:
                raise ValidationError("reply", "too-many-pending-replies",
                                      limit=MAX_PENDING_REPLIES)
            now = self.now()
            reply = Reply(key, member.id, text, m.ModerationState.PENDING, now)
            new_id = conn.execute(t.reason_replies.insert().values(
                consultation_id=consultation_id, statement_id=key[0], author_id=key[1],
                member_id=member.id, text=reply.text, moderation=reply.moderation.value,
                created_at=now)).inserted_primary_key[0]
        return replace(reply, id=new_id)

    def moderate_reply(self, reply_id: int, state: m.ModerationState | str) -> Reply:
        """Accept or reject a reply: only accepted replies are shown to members.

        Raises
        ------
        NotFound
            No such reply.
        ValidationError
            ``state`` is neither accepted nor rejected (``not-one-of`` on ``moderation``).

        """
        state = m.ModerationState.parse("moderation", state)
        if state not in (m.ModerationState.ACCEPTED, m.ModerationState.REJECTED):
            raise ValidationError("moderation", "not-one-of", state.value,
                                  allowed="accepted, rejected")
        with self.transaction() as conn:
            row = self._one(conn, t.reason_replies, reply_id, "reply", lock=True)
            conn.execute(t.reason_replies.update().where(t.reason_replies.c.id == reply_id)
                         .values(moderation=state.value))
        return replace(reply_from(row), moderation=state)

    # -- a change of mind -----------------------------------------------------------------

    def revise_stance(self, consultation_id: int, token: str, statement_id: int,
                      stance: int | None, *, credit: ReasonKey | None = None
                      ) -> m.PositionCard:
        """Change one stance of the token holder's card, crediting a reason if they wish.

        Saves a new submitted revision of the member's latest submitted card of the current
        round with that one stance changed (the other answers, every reason, concerns and
        impact kept; answers to statements no longer on the card are left out), through
        :meth:`~.cards.CardVerbs.save_card`'s checks. The revision before stays (see
        :meth:`~.cards.CardVerbs.list_card_revisions`): the stance before and after, each
        time-stamped. A credit is recorded in the same transaction.

        Parameters
        ----------
        consultation_id, token
            The consultation, and the member's invitation token.
        statement_id : int
            The statement whose stance changes.
        stance : int or None
            The new stance (``None``: pass / unsure).
        credit : ReasonKey, optional
            The reason that changed the member's mind: a current reason under the same
            statement, not their own, and shown to them.

        Raises
        ------
        InvalidToken
            The token does not admit anyone to this consultation.
        ConsultationNotOpen
            The consultation is not open, or its deadline has passed.
        ValidationError
            ``submit-first`` without a submitted card in the current round; save_card's
            refusals (the stance off the scale, the statement not on the card, the save
            limit); with ``credit``: ``discussion-not-open``, ``credit-elsewhere`` (a reason
            under another statement), ``no-such-reason``, ``own-reason``,
            ``reason-not-shown``, or ``stance-unchanged`` (crediting a stance that did not
            change).

        """
        with self.transaction() as conn:
            member, consultation, round_, now = self._card_writer(conn, consultation_id,
                                                                  token)
            submitted = [c for c in self._card_revisions(conn, round_.id, member.id)
                         if c.status is m.CardStatus.SUBMITTED]
            if not submitted:
                raise ValidationError("card", "submit-first")
            self._refuse_past_save_limit(conn, round_.id, member.id, now)
            card, before = self._revised(conn, consultation_id, submitted[-1], statement_id,
                                         stance)
            refuse_empty_submission(card)
            card.check_scale(consultation.scale)
            self._check_statements(conn, consultation_id, card)
            if credit is not None:
                key = self._credited(conn, consultation, round_.id, member.id, statement_id,
                                     credit)
                if before == (True, stance):
                    raise ValidationError("stance", "stance-unchanged")
            revision = insert_revision(conn, card, now)
            if credit is not None:
                conn.execute(t.stance_credits.insert().values(
                    consultation_id=consultation_id, member_id=member.id,
                    statement_id=key[0], author_id=key[1], created_at=now))
        return replace(card, id=revision[0], revision=revision[1], saved_at=now)

    @staticmethod
    def _revised(conn: Connection, consultation_id: int, latest: m.PositionCard,
                 statement_id: int, stance: int | None
                 ) -> tuple[m.PositionCard, tuple[bool, int | None]]:
        """Return ``latest`` with one stance changed, and ``(answered, stance)`` before."""
        accepted = {s for s in conn.execute(
            sa.select(t.statements.c.id).where(
                t.statements.c.consultation_id == consultation_id,
                t.statements.c.moderation == m.ModerationState.ACCEPTED.value)).scalars()}
        before: tuple[bool, int | None] = (False, None)
        responses = []
        for r in latest.responses:
            if r.statement_id == statement_id:
                before = (True, r.stance)
                continue
            if r.statement_id in accepted:
                responses.append(r)
        rationale = next((r.rationale for r in latest.responses
                          if r.statement_id == statement_id), "")
        responses.append(m.StanceResponse(statement_id, stance, rationale))
        responses.sort(key=lambda r: r.statement_id)
        card = m.PositionCard(consultation_id, latest.round_id, latest.member_id, responses,
                              concerns=latest.concerns, impact=latest.impact,
                              status=m.CardStatus.SUBMITTED)
        return card, before

    def _credited(self, conn: Connection, consultation: m.Consultation, round_id: int,
                  member_id: int, statement_id: int, credit: Any) -> ReasonKey:
        """Return ``credit`` as a key, or refuse it (see :meth:`revise_stance`)."""
        discussion = self._discussion(conn, consultation.id, lock=True)
        if discussion is None or not discussion.is_open:
            raise ValidationError("discussion", "discussion-not-open")
        key = reason_key(credit)
        if key[0] != statement_id:
            raise ValidationError("credit", "credit-elsewhere")
        self._refuse_unless_current(conn, round_id, key)
        if key[1] == member_id:
            raise ValidationError("reason", "own-reason")
        self._refuse_unless_shown(conn, key, member_id)
        return key

