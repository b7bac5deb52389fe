"""The store's side of the discussion phase (issue 13), on SQLite and PostgreSQL.

Members meet each other's reasons: the facilitator opens a discussion with groups; a reason
(``(statement_id, author_id)``) is shown to a member once (an impression), marked "Speaks for
me too", replied to (moderated), and credited when the member changes a stance. Every
refusal has its own code and writes nothing; the member is always the token's.
"""

from __future__ import annotations

import random
import threading
import types

import pytest
import sqlalchemy as sa
from helpers import refused, seed_consultation

from cop_widgets import model as m
from cop_widgets.errors import ConsultationNotOpen, InvalidToken, NotFound, ValidationError
from cop_widgets.model.discussion import GroupSource, Reply, Side
from cop_widgets.model.ordering import reasons_scope, seeded_order
from cop_widgets.model.policies import MAX_PENDING_REPLIES, CardSaveLimit
from cop_widgets.store import Store
from cop_widgets.store import schema as t
from cop_widgets.store.discussion_read import replies_scope
from cop_widgets.widgets.problems import rule_in_words

#: The tables the discussion writes, and the card tables a stance revision writes.
WRITTEN = ("discussions", "reason_impressions", "reason_endorsements", "reason_replies",
           "stance_credits", "cards", "card_responses")

#: Stances of members A, B, C, D on statements 0 and 1 (likert5: 4-5 agree, 1-2 disagree).
STANCES = ((5, 4), (1, 2), (3, None), (4, 4))


def counts(store: Store) -> dict[str, int]:
    """How many rows each table the discussion may write holds."""
    with store.engine.connect() as conn:
        return {name: conn.execute(sa.select(sa.func.count())
                                   .select_from(t.metadata.tables[name])).scalar()
                for name in WRITTEN}


def talk(store: Store, clock, *, discussion: bool = True) -> types.SimpleNamespace:
    """An open consultation where A, B and C submitted reasons and D only a draft.

    ``key(i, j)`` is the reason of member ``i`` (0 = A) under statement ``j``; ``tok(i)`` is
    member ``i``'s token. With ``discussion``, it is open, A and B in group "x", C in "y".
    """
    data = seed_consultation(store, members=4)
    c, st, mb = data.consultation.id, data.statements, data.members
    for i, stances in enumerate(STANCES):
        clock.advance(60)
        store.save_card(c, data.tokens[mb[i].id], [
            {"statement_id": st[j].id, "stance": stance,
             "rationale": f"{'ABCD'[i]} on {j}" if i != 2 or j == 0 else ""}
            for j, stance in enumerate(stances)], concerns=f"concerns {i}",
            status="draft" if i == 3 else "submitted")
    if discussion:
        store.open_discussion(c, {mb[0].id: "x", mb[1].id: "x", mb[2].id: "y"}, "opinion")
    clock.advance(60)
    return types.SimpleNamespace(
        c=c, statements=st, members=mb, tokens=data.tokens,
        key=lambda i, j: (st[j].id, mb[i].id), tok=lambda i: data.tokens[mb[i].id])


def shown(store, data, viewer: int, *reasons: tuple[int, int]) -> None:
    """Record that member ``viewer`` was shown the reasons ``(author, statement)``."""
    store.record_impressions(data.c, data.tok(viewer), [data.key(i, j) for i, j in reasons])


def secret_of(store: Store, consultation_id: int) -> bytes:
    with store.engine.connect() as conn:
        return bytes(conn.execute(sa.select(t.consultations.c.order_secret)
                                  .where(t.consultations.c.id == consultation_id)).scalar_one())


# -- the phase ----------------------------------------------------------------------------------


def test_a_discussion_opens_retakes_its_groups_closes_and_opens_again(store, clock):
    data = talk(store, clock, discussion=False)
    a, b, c = (mb.id for mb in data.members[:3])
    assert store.get_discussion(data.c) is None
    opened = store.open_discussion(data.c, {a: "x", b: "y"}, GroupSource.OPINION,
                                   apart={"x": [[data.statements[0].id, "agree", 0.9, 0.2]]})
    assert store.get_discussion(data.c) == opened
    assert (opened.groups, opened.source, opened.is_open) == ({a: "x", b: "y"},
                                                              GroupSource.OPINION, True)
    assert opened.apart == {"x": [[data.statements[0].id, "agree", 0.9, 0.2]]}
    assert opened.opened_at == clock.now
    # retaken while open: the groups change, the opening stays
    clock.advance(60)
    retaken = store.open_discussion(data.c, {a: "north", c: "south"}, "roster", "region")
    assert (retaken.groups, retaken.source, retaken.attribute, retaken.apart) == (
        {a: "north", c: "south"}, GroupSource.ROSTER, "region", {})
    assert retaken.opened_at == opened.opened_at
    clock.advance(60)
    closed = store.close_discussion(data.c)
    assert closed.closed_at == clock.now and not closed.is_open
    assert store.get_discussion(data.c) == closed
    refused("discussion", None, lambda: store.close_discussion(data.c),
            code="discussion-not-open")
    clock.advance(60)
    again = store.open_discussion(data.c, {}, "none")
    assert (again.closed_at, again.opened_at, again.groups, again.source) == (
        None, clock.now, {}, GroupSource.NONE)
    assert counts(store)["discussions"] == 1


def test_a_discussion_opens_only_while_the_consultation_is_open(store, clock):
    data = talk(store, clock, discussion=False)
    dev = store.add_development(m.Development("policy", "Draft"))
    draft = store.add_consultation(m.Consultation(dev.id, "Not open yet"))
    before = counts(store)
    for cid in (draft.id, data.c):
        if cid == data.c:
            store.close_consultation(data.c)
        err = refused("status", None, lambda cid=cid: store.open_discussion(cid, {}, "none"),
                      kind=ConsultationNotOpen, code="discussion-needs-open")
        assert "opens while the consultation is open" in err.rule
    refused("source", None, lambda: store.open_discussion(data.c, {}, "astrology"),
            code="not-one-of")
    refused("discussion", None, lambda: store.close_discussion(draft.id),
            code="discussion-not-open")
    with pytest.raises(NotFound):
        store.open_discussion(999, {}, "none")
    assert counts(store) == before


# -- reasons ------------------------------------------------------------------------------------


def test_reasons_are_the_latest_submitted_non_empty_ones_with_their_side(store, clock):
    data = talk(store, clock)
    reasons = store.list_reasons(data.c)
    s0, s1 = (s.id for s in data.statements[:2])
    # C gave no reason under statement 1; D only saved a draft: neither is a reason
    assert sorted((r.statement_id, r.author_id, r.stance, r.side, r.text) for r in reasons) \
        == sorted([(s0, data.members[0].id, 5, Side.AGREE, "A on 0"),
                   (s0, data.members[1].id, 1, Side.DISAGREE, "B on 0"),
                   (s0, data.members[2].id, 3, Side.UNSURE, "C on 0"),
                   (s1, data.members[0].id, 4, Side.AGREE, "A on 1"),
                   (s1, data.members[1].id, 2, Side.DISAGREE, "B on 1")])
    assert [r.statement_id for r in reasons] == [s0, s0, s0, s1, s1]  # card order
    # a later draft changes nothing; a later submitted card does; a withdrawn statement goes
    clock.advance(60)
    store.save_card(data.c, data.tok(0), [{"statement_id": s0, "stance": 1,
                                           "rationale": "draft"}], status="draft")
    assert store.list_reasons(data.c) == reasons
    store.save_card(data.c, data.tok(0), [{"statement_id": s0, "stance": None,
                                           "rationale": "A again"}])
    store.update_statement(s1, moderation="withdrawn")
    assert {(r.author_id, r.text, r.side) for r in store.list_reasons(data.c)} == {
        (data.members[0].id, "A again", Side.UNSURE), (data.members[1].id, "B on 0",
                                                        Side.DISAGREE),
        (data.members[2].id, "C on 0", Side.UNSURE)}


def test_reasons_under_a_statement_follow_the_secret_not_submission(store, clock, db_url):
    """Mirrors tests/store/test_reason_order.py: position k is not one member's everywhere."""
    n_members, n_statements = 12, 6
    dev = store.add_development(m.Development("policy", "Order"))
    c = store.add_consultation(m.Consultation(dev.id, "Who said what?", anonymous=True))
    st = store.add_statements([m.Statement(c.id, f"S{j}") for j in range(n_statements)])
    mb = store.add_members([m.Member(c.id, f"M{i}") for i in range(n_members)])
    tokens = [store.add_invitation(x.id)[1] for x in mb]
    store.open_consultation(c.id)
    order = list(range(n_members))
    random.Random(13).shuffle(order)
    for i in order:
        clock.advance(60)
        store.save_card(c.id, tokens[i], [  # every reason the same text: the author decides
            {"statement_id": s.id, "stance": 1 + (i + j) % 5, "rationale": "same words"}
            for j, s in enumerate(st)])
    reasons = store.list_reasons(c.id)
    ids = [x.id for x in mb]
    by_statement = [[ids.index(r.author_id) for r in reasons if r.statement_id == s.id]
                    for s in st]
    assert all(sorted(authors) == list(range(n_members)) for authors in by_statement)
    assert len({tuple(authors) for authors in by_statement}) == n_statements
    assert order not in by_statement and list(range(n_members)) not in by_statement
    assert sum(len(set(column)) == 1 for column in zip(*by_statement, strict=True)) < n_members
    secret = secret_of(store, c.id)
    for s, authors in zip(st, by_statement, strict=True):  # the secret's draw, text then id
        assert authors == [ids.index(a) for a in seeded_order(
            ids, secret, reasons_scope(s.id), key=lambda a: f"same words\x00{a}")]
    with Store(db_url) as again:
        assert again.list_reasons(c.id) == reasons


# -- impressions ----------------------------------------------------------------------------------


def test_impressions_are_recorded_once_and_skip_own_and_unknown_reasons(store, clock):
    data = talk(store, clock)
    keys = [data.key(0, 0), data.key(0, 0), data.key(2, 0), data.key(2, 1),  # C: no reason
            data.key(3, 0), (999, data.members[0].id), ("x", 1), None]
    assert store.record_impressions(data.c, data.tok(2), keys) == 1  # A's; not C's own
    first = clock.now
    clock.advance(60)
    assert store.record_impressions(data.c, data.tok(2), [data.key(0, 0), data.key(1, 0),
                                                          data.key(0, 1)]) == 2
    record = store.discussion_record(data.c)
    c_id = data.members[2].id
    assert sorted(record.impressions) == sorted(
        [(data.key(0, 0), c_id), (data.key(1, 0), c_id), (data.key(0, 1), c_id)])
    assert record.first_shown == {(c_id, data.statements[0].id): first,
                                  (c_id, data.statements[1].id): clock.now}
    with pytest.raises(InvalidToken):
        store.record_impressions(data.c, "not-a-token", [data.key(0, 0)])


def test_two_kernels_recording_the_same_impression_at_once_record_it_once(store, clock,
                                                                          db_url):
    data = talk(store, clock)
    stores = [Store(db_url), Store(db_url)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def record(s: Store) -> None:
        barrier.wait(timeout=30)
        try:
            results.append(s.record_impressions(data.c, data.tok(2), [data.key(0, 0),
                                                                      data.key(1, 0)]))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    try:
        threads = [threading.Thread(target=record, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # and once more, one after the other
        assert stores[0].record_impressions(data.c, data.tok(2), [data.key(0, 0)]) == 0
        assert stores[1].record_impressions(data.c, data.tok(2), [data.key(1, 0)]) == 0
    finally:
        for s in stores:
            s.close()
    assert errors == [] and sorted(results) == [0, 2]
    assert counts(store)["reason_impressions"] == 2


# -- "Speaks for me too" --------------------------------------------------------------------------


def test_speaks_for_me_too_is_one_mark_per_member_and_can_be_taken_back(store, clock):
    data = talk(store, clock)
    key = data.key(0, 0)
    shown(store, data, 1, (0, 0))
    shown(store, data, 2, (0, 0))
    assert store.set_reason_endorsement(data.c, data.tok(1), key, True) == 1
    assert store.set_reason_endorsement(data.c, data.tok(1), key, True) == 1  # idempotent
    assert store.set_reason_endorsement(data.c, data.tok(2), key, True) == 2
    assert counts(store)["reason_endorsements"] == 2
    assert store.set_reason_endorsement(data.c, data.tok(1), key, False) == 1
    assert store.set_reason_endorsement(data.c, data.tok(1), key, False) == 1
    assert store.discussion_record(data.c).endorsements == [(key, data.members[2].id)]


def _act(store, data, verb: str, viewer: int, key):
    if verb == "endorse":
        return store.set_reason_endorsement(data.c, data.tok(viewer), key, True)
    return store.add_reply(data.c, data.tok(viewer), key, "Why so?")


@pytest.mark.parametrize("verb", ["endorse", "reply"])
def test_each_refusal_of_a_member_acting_on_a_reason_has_its_code_and_writes_nothing(
        store, clock, verb):
    data = talk(store, clock)
    shown(store, data, 1, (0, 0))
    shown(store, data, 3, (0, 0))  # D was shown it, but has only a draft card
    before = counts(store)

    def no(field, code, viewer, key, kind=ValidationError):
        err = refused(field, None, lambda: _act(store, data, verb, viewer, key), kind=kind,
                      code=code)
        assert counts(store) == before, code
        return err

    with pytest.raises(InvalidToken):
        store.set_reason_endorsement(data.c, "forged", data.key(0, 0), True)
    with pytest.raises(InvalidToken):
        store.add_reply(data.c, "forged", data.key(0, 0), "Who am I?")
    no("card", "submit-first", 3, data.key(0, 0))
    no("reason", "no-such-reason", 1, data.key(2, 1))  # C gave no reason under 1
    no("reason", "no-such-reason", 1, data.key(3, 0))  # D's is a draft
    no("reason", "no-such-reason", 1, ("1", None))
    no("reason", "own-reason", 1, data.key(1, 0))
    no("reason", "reason-not-shown", 1, data.key(2, 0))
    no("reason", "reason-not-shown", 2, data.key(0, 0))
    store.close_discussion(data.c)
    before = counts(store)
    no("discussion", "discussion-not-open", 1, data.key(0, 0))
    store.close_consultation(data.c)
    err = no("status", "consultation-closed", 1, data.key(0, 0), ConsultationNotOpen)
    page = rule_in_words(err, str)  # what a page writes, before translating
    assert page.startswith("replies" if verb == "reply" else "\u201cSpeaks for me too\u201d")


def test_no_discussion_yet_is_refused_too(store, clock):
    data = talk(store, clock, discussion=False)
    for verb in ("endorse", "reply"):
        refused("discussion", None, lambda v=verb: _act(store, data, v, 1, data.key(0, 0)),
                code="discussion-not-open")
    assert counts(store)["reason_replies"] == 0


# -- replies --------------------------------------------------------------------------------------


def test_a_reply_waits_for_moderation_and_its_text_is_checked(store, clock):
    data = talk(store, clock)
    shown(store, data, 1, (0, 0))
    reply = store.add_reply(data.c, data.tok(1), data.key(0, 0), "  Why two years?  ")
    assert (reply.reason, reply.member_id, reply.text, reply.moderation, reply.created_at) == (
        data.key(0, 0), data.members[1].id, "Why two years?", m.ModerationState.PENDING,
        clock.now)
    assert store.list_replies(data.c) == [reply]
    before = counts(store)
    refused("reply", None, lambda: store.add_reply(data.c, data.tok(1), data.key(0, 0), " "),
            code="empty")
    refused("reply", "at most 500", lambda: store.add_reply(
        data.c, data.tok(1), data.key(0, 0), "x" * 501), code="too-long")
    assert counts(store) == before
    accepted = store.moderate_reply(reply.id, "accepted")
    assert accepted.moderation is m.ModerationState.ACCEPTED
    assert store.list_replies(data.c, "accepted") == [accepted]
    assert store.list_replies(data.c, m.ModerationState.PENDING) == []
    assert store.moderate_reply(reply.id, "rejected").moderation is m.ModerationState.REJECTED
    refused("moderation", None, lambda: store.moderate_reply(reply.id, "pending"),
            code="not-one-of")
    with pytest.raises(NotFound):
        store.moderate_reply(999, "accepted")
    assert store.list_replies(data.c) == [
        Reply(data.key(0, 0), data.members[1].id, "Why two years?", "rejected", clock.now,
              reply.id)]


def test_a_member_has_at_most_five_replies_waiting(store, clock):
    data = talk(store, clock)
    shown(store, data, 1, (0, 0), (0, 1))
    token = data.tok(1)
    replies = [store.add_reply(data.c, token, data.key(0, i % 2), f"Reply {i}")
               for i in range(MAX_PENDING_REPLIES)]
    before = counts(store)
    err = refused("reply", "5 replies awaiting the facilitator",
                  lambda: store.add_reply(data.c, token, data.key(0, 0), "One more"),
                  code="too-many-pending-replies")
    assert err.params == {"limit": MAX_PENDING_REPLIES}
    assert counts(store) == before
    shown(store, data, 2, (0, 0))
    store.add_reply(data.c, data.tok(2), data.key(0, 0), "Another member's")  # theirs alone
    store.moderate_reply(replies[0].id, "accepted")
    store.moderate_reply(replies[1].id, "rejected")
    store.add_reply(data.c, token, data.key(0, 0), "Room again")
    store.add_reply(data.c, token, data.key(0, 0), "And again")
    refused("reply", None, lambda: store.add_reply(data.c, token, data.key(0, 0), "No"),
            code="too-many-pending-replies")


def test_replies_sent_at_once_still_leave_five_waiting(store, clock):
    """Eight kernels of one member replying at the same moment: counted one after another."""
    data = talk(store, clock)
    shown(store, data, 1, (0, 0))
    errors = []
    barrier = threading.Barrier(12)

    def reply(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            store.add_reply(data.c, data.tok(1), data.key(0, 0), f"At once {i}")
        except ValidationError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reply, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(errors) == 12 - MAX_PENDING_REPLIES
    assert {e.code for e in errors} == {"too-many-pending-replies"}
    assert counts(store)["reason_replies"] == MAX_PENDING_REPLIES


def test_replies_are_listed_under_their_reason_in_the_secrets_order(store, clock, db_url):
    data = talk(store, clock)
    shown(store, data, 0, (1, 0), (2, 0))
    shown(store, data, 1, (0, 0), (2, 0))
    shown(store, data, 2, (0, 0), (1, 0))
    for n in range(2):
        for viewer, author in ((0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)):
            clock.advance(1)
            store.add_reply(data.c, data.tok(viewer), data.key(author, 0),
                            f"r{n} by {viewer} to {author}")
    replies = store.list_replies(data.c)
    reasons = [r.key for r in store.list_reasons(data.c)]
    assert sorted(r.id for r in replies) == list(range(1, 13))
    # reason by reason, in list_reasons order
    grouped = list(dict.fromkeys(r.reason for r in replies))
    assert grouped == [key for key in reasons if key in grouped]
    secret = secret_of(store, data.c)
    for key in grouped:
        under = [r for r in replies if r.reason == key]
        assert under == seeded_order(sorted(under, key=lambda r: r.id), secret,
                                     replies_scope(*key), key=lambda r: f"{r.text}\x00{r.id}")
    with Store(db_url) as again:
        assert again.list_replies(data.c) == replies
    assert store.discussion_record(data.c).replies == replies


# -- a change of mind -----------------------------------------------------------------------------


def test_revising_a_stance_keeps_the_revision_before_and_records_the_credit(store, clock):
    data = talk(store, clock)
    s0 = data.statements[0].id
    shown(store, data, 1, (0, 0))
    before = store.list_card_revisions(data.c, data.members[1].id)
    clock.advance(120)
    card = store.revise_stance(data.c, data.tok(1), s0, 4, credit=data.key(0, 0))
    revisions = store.list_card_revisions(data.c, data.members[1].id)
    assert revisions[:-1] == before and revisions[-1] == card
    old, new = before[-1], revisions[-1]
    assert (new.revision, new.status, new.saved_at) == (old.revision + 1,
                                                        m.CardStatus.SUBMITTED, clock.now)
    assert old.saved_at < new.saved_at
    assert [(r.statement_id, r.stance, r.rationale) for r in new.responses] == [
        (s0, 4, "B on 0"), (data.statements[1].id, 2, "B on 1")]
    assert (new.concerns, new.impact) == (old.concerns, old.impact) == ("concerns 1", "")
    record = store.discussion_record(data.c)
    assert [(c.member_id, c.reason, c.created_at) for c in record.credits] == [
        (data.members[1].id, data.key(0, 0), clock.now)]
    b_on_0 = [(r.stance, r.saved_at) for r in record.revisions
              if (r.member_id, r.statement_id) == (data.members[1].id, s0)]
    assert b_on_0 == [(1, old.saved_at), (4, new.saved_at)]  # before and after, oldest first
    assert data.members[3].id not in {r.member_id for r in record.revisions}  # a draft only
    assert store.discussion_record(data.c, revisions=False).revisions == []
    # B's reason now sits on the agree side
    assert next(r for r in store.list_reasons(data.c) if r.key == data.key(1, 0)).side \
        is Side.AGREE
    # without a credit, and to a statement not answered before (a pass)
    clock.advance(120)
    third = store.revise_stance(data.c, data.tok(2), data.statements[2].id, None)
    assert (data.statements[2].id, None, "") in [
        (r.statement_id, r.stance, r.rationale) for r in third.responses]
    assert len(store.discussion_record(data.c).credits) == 1


def test_each_refusal_of_a_revised_stance_has_its_code_and_writes_nothing(store, clock):
    data = talk(store, clock)
    s0, s1 = data.statements[0].id, data.statements[1].id
    shown(store, data, 1, (0, 0), (2, 0))
    clock.advance(600)
    before = counts(store)

    def no(field, code, viewer, statement, stance, credit=None, kind=ValidationError):
        refused(field, None, lambda: store.revise_stance(data.c, data.tok(viewer), statement,
                                                         stance, credit=credit),
                kind=kind, code=code)
        assert counts(store) == before, code

    no("card", "submit-first", 3, s0, 4)
    no("stance", "stance-unchanged", 1, s0, 1, data.key(0, 0))
    no("credit", "credit-elsewhere", 1, s1, 4, data.key(0, 0))
    no("reason", "no-such-reason", 1, s0, 4, data.key(3, 0))
    no("reason", "own-reason", 1, s0, 4, data.key(1, 0))
    no("reason", "reason-not-shown", 2, s0, 4, data.key(0, 0))  # C was shown nothing
    no("responses[0].stance", "off-the-scale", 1, s0, 9)
    store.update_statement(data.statements[2].id, moderation="withdrawn")
    no("responses[2].statement_id", "not-on-the-card", 1, data.statements[2].id, 4)
    store.card_save_limit = CardSaveLimit(max_saves=30, max_revisions=1)
    no("card", "too-many-revisions", 1, s0, 4)
    store.card_save_limit = CardSaveLimit()
    store.close_discussion(data.c)
    before = counts(store)
    no("discussion", "discussion-not-open", 1, s0, 4, data.key(0, 0))
    store.revise_stance(data.c, data.tok(1), s0, 3)  # without a credit, a card save
    store.close_consultation(data.c)
    before = counts(store)
    no("status", "consultation-closed", 1, s0, 4, None, ConsultationNotOpen)


# -- the record -----------------------------------------------------------------------------------


def test_the_record_keeps_only_accepted_statements(store, clock):
    data = talk(store, clock)
    shown(store, data, 2, (0, 0), (0, 1))
    store.set_reason_endorsement(data.c, data.tok(2), data.key(0, 1), True)
    store.add_reply(data.c, data.tok(2), data.key(0, 1), "On statement 1")
    clock.advance(120)
    store.revise_stance(data.c, data.tok(2), data.statements[1].id, 4, credit=data.key(0, 1))
    whole = store.discussion_record(data.c)
    assert (len(whole.endorsements), len(whole.replies), len(whole.credits)) == (1, 1, 1)
    store.update_statement(data.statements[1].id, moderation="withdrawn")
    record = store.discussion_record(data.c)
    s1 = data.statements[1].id
    assert record.reasons == store.list_reasons(data.c)
    assert all(r.statement_id != s1 for r in record.reasons)
    assert record.impressions == [(data.key(0, 0), data.members[2].id)]
    assert (record.endorsements, record.replies, record.credits) == ([], [], [])
    assert list(record.first_shown) == [(data.members[2].id, data.statements[0].id)]
    assert all(r.statement_id != s1 for r in record.revisions)
    assert len(store.list_replies(data.c)) == 1  # the facilitator still sees it to moderate


# -- migration 0005 -------------------------------------------------------------------------------

NEW_TABLES = {"discussions", "reason_impressions", "reason_endorsements", "reason_replies",
              "stance_credits"}


def test_0005_adds_the_discussion_tables_to_a_database_with_answers(db_url):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from cop_widgets.store.engine import (
        _alembic_config,
        current_revision,
        head,
        write_connection,
    )

    rows = (
        "INSERT INTO developments (kind, title, summary, source_url, requester, questions, "
        "created_at) VALUES ('policy', 'Old', '', '', '', '[]', CURRENT_TIMESTAMP)",
        "INSERT INTO consultations (development_id, title, scale, anonymous, visibility, "
        "status, language, created_at, order_secret) VALUES (1, 'One', 'likert5', TRUE, "
        "'after_submission', 'open', 'en', CURRENT_TIMESTAMP, :secret)",
        "INSERT INTO rounds (consultation_id, number, opened_at) VALUES (1, 1, "
        "CURRENT_TIMESTAMP)",
        "INSERT INTO members (consultation_id, name, email, attributes, external_id, "
        "created_at) VALUES (1, 'Ana', '', '{}', '', CURRENT_TIMESTAMP), (1, 'Bo', '', '{}', "
        "'', CURRENT_TIMESTAMP)",
        "INSERT INTO statements (consultation_id, text, moderation, position, external_id, "
        "created_at) VALUES (1, 'S', 'accepted', 1, '', CURRENT_TIMESTAMP)",
        "INSERT INTO cards (consultation_id, round_id, member_id, revision, status, concerns, "
        "impact, saved_at) VALUES (1, 1, 1, 1, 'submitted', '', '', CURRENT_TIMESTAMP), "
        "(1, 1, 2, 1, 'submitted', '', '', CURRENT_TIMESTAMP)",
        "INSERT INTO card_responses (card_id, statement_id, stance, rationale) VALUES "
        "(1, 1, 5, 'Ana says so'), (2, 1, 1, 'Bo does not')",
    )
    with Store(db_url, migrate=False) as s:
        s.migrate("0004")
        with s.engine.begin() as conn:
            for sql in rows:
                conn.execute(sa.text(sql), {"secret": b"x" * 32} if ":secret" in sql else {})
        s.migrate()
        with s.engine.connect() as conn:
            assert current_revision(conn) == head()  # 0005 and every later migration
            assert compare_metadata(MigrationContext.configure(conn), t.metadata) == []
        assert NEW_TABLES <= set(sa.inspect(s.engine).get_table_names())
        # the answers given before are reasons of the discussion at once
        assert sorted((r.author_id, r.text, r.side) for r in s.list_reasons(1)) == [
            (1, "Ana says so", Side.AGREE), (2, "Bo does not", Side.DISAGREE)]
        s.open_discussion(1, {1: "x", 2: "y"}, "opinion")
        assert s.get_discussion(1).groups == {1: "x", 2: "y"}
        with write_connection(s.engine) as conn:
            command.downgrade(_alembic_config(conn), "0004")
        assert not NEW_TABLES & set(sa.inspect(s.engine).get_table_names())
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM card_responses")).scalar() == 2


def test_the_record_reads_each_stance_as_it_changed_not_every_revision(store, clock):
    """A revision writes the whole card again; the record keeps only what changed."""
    data = talk(store, clock)
    b = data.members[1].id
    s0, s1 = data.statements[0].id, data.statements[1].id
    first = store.list_card_revisions(data.c, b)[-1]
    stamps = [first.saved_at]
    for stance in (4, 1, None):
        clock.advance(60)
        stamps.append(store.revise_stance(data.c, data.tok(1), s0, stance).saved_at)
    clock.advance(60)  # the same card submitted again: nothing changes
    latest = store.list_card_revisions(data.c, b)[-1]
    again = store.save_card(data.c, data.tok(1), [
        {"statement_id": r.statement_id, "stance": r.stance, "rationale": r.rationale}
        for r in latest.responses])
    assert again.saved_at > stamps[-1]
    record = store.discussion_record(data.c)

    def of(statement_id: int) -> list:
        return [(r.stance, r.saved_at) for r in record.revisions
                if (r.member_id, r.statement_id) == (b, statement_id)]

    assert of(s0) == [(1, stamps[0]), (4, stamps[1]), (1, stamps[2]), (None, stamps[3])]
    assert of(s1) == [(2, stamps[0])]  # never changed: its first stance alone
    times = [r.saved_at for r in record.revisions]
    assert times == sorted(times)  # oldest first
