"""Every public Store verb, on SQLite and PostgreSQL (the ``store`` fixture runs each twice)."""

import base64
import datetime as dt
import hashlib
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from helpers import refused

from cop_widgets import model as m
from cop_widgets.errors import ConsultationNotOpen, InvalidToken, NotFound, ValidationError
from cop_widgets.store import DEFAULT_FILE, Store, hash_token, resolve_url
from cop_widgets.store import schema as t

UTC = dt.timezone.utc


def new_consultation(store, title="Another consultation", *, statements=("S1",), open_=True,
                     **kw):
    dev = store.add_development(m.Development("technology", "Another development"))
    c = store.add_consultation(m.Consultation(dev.id, title, **kw))
    stmts = store.add_statements([m.Statement(c.id, s) for s in statements])
    if open_ and stmts:
        c = store.open_consultation(c.id)
    return c, stmts


def invite(store, consultation_id, name="Zoe"):
    member = store.add_member(m.Member(consultation_id, name))
    _, token = store.add_invitation(member.id)
    return member, token


def table_rows(store, table):
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


# -- plumbing -------------------------------------------------------------------------------


def test_store_clock_and_context_manager(db_url, clock):
    with Store(db_url, clock=clock) as s:
        assert s.now() == clock.now and s.now().tzinfo is UTC
        clock.advance(90)
        assert s.now() == clock.now
        plus2 = dt.timezone(dt.timedelta(hours=2))
        clock.now = clock.now.astimezone(plus2)
        assert s.now().tzinfo is UTC and s.now() == clock.now


def test_transaction_is_all_or_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute(t.developments.insert().values(
                kind="policy", title="x", summary="", source_url="", requester="",
                questions=[], created_at=store.now()))
            raise RuntimeError("boom")
    assert store.list_developments() == []


# -- developments -----------------------------------------------------------------------------


def test_developments(store, clock):
    a = store.add_development(m.Development("policy", " Policy A ", summary="sum",
                                            source_url="https://example.org", date="2026-01-02"))
    b = store.add_development(m.Development(
        "request_for_opinion", "RFO", requester="Ministry", requester_deadline="2026-06-30",
        questions=["Q1?", "Q2?"]))
    assert a.id and b.id and a.id != b.id
    assert a.title == "Policy A"
    assert store.get_development(a.id) == a
    got_b = store.get_development(b.id)
    assert got_b == b
    assert got_b.questions == ("Q1?", "Q2?")
    assert got_b.requester_deadline == dt.date(2026, 6, 30)
    assert store.list_developments() == [a, b]

    updated = store.update_development(a.id, title="Policy A (revised)", summary="  new  ")
    assert updated.title == "Policy A (revised)" and updated.summary == "new"
    assert store.get_development(a.id) == updated

    refused("title", None, lambda: store.update_development(a.id, title=" "), code="empty")
    refused("requester", None, lambda: store.update_development(a.id, requester="Someone"),
            code="request-only")
    refused("id", None, lambda: store.update_development(a.id, id=99), code="id-fixed")
    refused("colour", None, lambda: store.update_development(a.id, colour="red"),
            code="not-changeable")
    assert store.get_development(a.id) == updated
    refused(None, "development 999 does not exist", lambda: store.get_development(999),
            kind=NotFound)
    refused(None, "does not exist", lambda: store.update_development(999, title="x"), kind=NotFound)


# -- consultations ------------------------------------------------------------------------------


def test_consultations(store, clock):
    dev = store.add_development(m.Development("policy", "P"))
    refused(None, "development 999", lambda: store.add_consultation(m.Consultation(999, "Orphan")),
            kind=NotFound)
    assert store.list_consultations() == []
    c = store.add_consultation(m.Consultation(dev.id, "Q?", scale="kaner8", anonymous=False,
                                              visibility="after_close", language="fr"))
    assert c.id and c.status is m.ConsultationStatus.DRAFT
    assert store.get_consultation(c.id) == c
    assert store.list_consultations() == [c]
    rounds = store.list_rounds(c.id)
    assert [r.number for r in rounds] == [1]
    assert rounds[0].opened_at == clock.now

    plus2 = dt.timezone(dt.timedelta(hours=2))
    deadline = dt.datetime(2030, 5, 1, 18, 0, tzinfo=plus2)
    updated = store.update_consultation(c.id, deadline=deadline, visibility="never",
                                        anonymous=True)
    got = store.get_consultation(c.id)
    assert got == updated
    assert got.deadline == deadline and got.deadline.tzinfo is UTC
    assert got.deadline.hour == 16
    assert got.visibility is m.Visibility.NEVER and got.anonymous is True

    refused(None, "development 999", lambda: store.update_consultation(c.id, development_id=999),
            kind=NotFound)
    refused("language", "must be one of en, fr, es",
            lambda: store.update_consultation(c.id, language="de"), code="not-one-of")
    assert store.get_consultation(c.id) == got
    refused(None, "consultation 999", lambda: store.get_consultation(999), kind=NotFound)
    refused(None, "consultation 999", lambda: store.update_consultation(999, title="x"),
            kind=NotFound)


def test_open_and_close(store):
    dev = store.add_development(m.Development("policy", "P"))
    c = store.add_consultation(m.Consultation(dev.id, "Q?"))
    refused("status", None, lambda: store.open_consultation(c.id), code="open-needs-statement")
    store.add_statement(m.Statement(c.id, "pending one", moderation="pending"))
    refused("status", None, lambda: store.open_consultation(c.id), code="open-needs-statement")
    assert store.get_consultation(c.id).status is m.ConsultationStatus.DRAFT
    store.add_statement(m.Statement(c.id, "accepted one"))
    assert store.open_consultation(c.id).status is m.ConsultationStatus.OPEN
    assert store.get_consultation(c.id).status is m.ConsultationStatus.OPEN
    assert store.close_consultation(c.id).status is m.ConsultationStatus.CLOSED
    assert store.get_consultation(c.id).status is m.ConsultationStatus.CLOSED
    assert store.open_consultation(c.id).status is m.ConsultationStatus.OPEN


def test_open_missing_consultation_is_not_found(store):
    with pytest.raises(NotFound):
        store.open_consultation(999)


def test_scale_change_refused_after_cards(store, seeded):
    cid = seeded.consultation.id
    assert store.update_consultation(cid, scale="kaner8").scale == "kaner8"
    assert store.update_consultation(cid, scale="likert5").scale == "likert5"
    token = seeded.tokens[seeded.members[0].id]
    store.save_card(cid, token, [{"statement_id": seeded.statements[0].id, "stance": 4}],
                    status="draft")
    refused("scale", None, lambda: store.update_consultation(cid, scale="agree_disagree"),
            code="scale-locked")
    assert store.get_consultation(cid).scale == "likert5"
    # other settings still change, and the same scale is not a change
    assert store.update_consultation(cid, title="Renamed", scale="likert5").title == "Renamed"
    assert store.get_consultation(cid).title == "Renamed"


# -- rounds -------------------------------------------------------------------------------------


def test_rounds(store, seeded, clock):
    cid = seeded.consultation.id
    first = store.get_round(cid)
    assert first == seeded.round and first.number == 1
    assert store.get_round(cid, 1) == first
    token = seeded.tokens[seeded.members[0].id]
    s1 = seeded.statements[0].id
    store.save_card(cid, token, [{"statement_id": s1, "stance": 2}])
    store.save_card(cid, token, [{"statement_id": s1, "stance": 3}])

    clock.advance(60)
    second = store.add_round(cid)
    assert second.number == 2 and second.opened_at == clock.now and second.id
    assert store.get_round(cid) == second
    assert store.get_round(cid, 2) == second
    assert store.list_rounds(cid) == [first, second]

    refused(None, "round", lambda: store.get_round(cid, 3), kind=NotFound)
    refused(None, "consultation 999", lambda: store.add_round(999), kind=NotFound)
    refused(None, "round", lambda: store.get_round(999), kind=NotFound)

    saved = store.save_card(cid, token, [{"statement_id": s1, "stance": 5}])
    assert saved.round_id == second.id and saved.revision == 1
    assert store.get_card(cid, token).responses[0].stance == 5
    assert store.get_card(cid, token, round_number=1).responses[0].stance == 3
    assert [c.revision for c in store.list_card_revisions(cid, seeded.members[0].id, 1)] == \
        [1, 2]
    assert [c.revision for c in store.list_card_revisions(cid, seeded.members[0].id)] == [1]
    assert store.responses_frame(cid)["stance"].tolist() == [5]
    assert store.responses_frame(cid, round_number=1)["stance"].tolist() == [3]
    frame = store.members_frame(cid)
    assert frame.set_index("member_id")["responded"].to_dict() == {
        seeded.members[0].id: True, seeded.members[1].id: False, seeded.members[2].id: False}


def test_a_new_round_needs_a_consultation_that_has_run(store, seeded, clock):
    cid = seeded.consultation.id
    draft = store.add_consultation(m.Consultation(seeded.development.id, "Not yet open"))
    refused("status", None, lambda: store.add_round(draft.id), code="round-needs-open")
    assert [r.number for r in store.list_rounds(draft.id)] == [1]
    # reopening a closed consultation and its new round happen together, or not at all
    store.close_consultation(cid)
    store.update_consultation(cid, deadline=clock.now)
    clock.advance(60)
    refused("deadline", None, lambda: store.add_round(cid, reopen=True), code="open-after-deadline")
    assert [r.number for r in store.list_rounds(cid)] == [1]
    assert store.get_consultation(cid).status is m.ConsultationStatus.CLOSED
    store.update_consultation(cid, deadline=None)
    assert store.add_round(cid, reopen=True).number == 2
    assert store.get_consultation(cid).status is m.ConsultationStatus.OPEN


def test_opening_with_a_passed_deadline_is_refused(store, seeded, clock):
    cid = seeded.consultation.id
    store.close_consultation(cid)
    store.update_consultation(cid, deadline=clock.now)
    clock.advance(1)
    refused("deadline", None, lambda: store.open_consultation(cid), code="open-after-deadline")
    assert store.get_consultation(cid).status is m.ConsultationStatus.CLOSED


# -- statements ---------------------------------------------------------------------------------


def test_statements_add_and_positions(store, seeded):
    cid = seeded.consultation.id
    assert [s.position for s in seeded.statements] == [1, 2, 3]
    assert store.list_statements(cid) == seeded.statements
    s4 = store.add_statement(m.Statement(cid, "  Fourth  ", external_id="p4"))
    assert s4.position == 4 and s4.text == "Fourth" and s4.id
    assert store.get_statement(s4.id) == s4
    s_pos = store.add_statement(m.Statement(cid, "Explicit", position=10))
    assert s_pos.position == 10
    assert store.list_statements(cid)[-1] == s_pos
    refused(None, "statement 999", lambda: store.get_statement(999), kind=NotFound)
    refused(None, "consultation 999", lambda: store.add_statement(m.Statement(999, "x")),
            kind=NotFound)


def test_add_statements_is_atomic(store, seeded):
    cid = seeded.consultation.id
    before = store.list_statements(cid, states=None)
    refused(None, "consultation 999", lambda: store.add_statements([
        m.Statement(cid, "good one"), m.Statement(999, "bad one"), m.Statement(cid, "good")]),
        kind=NotFound)
    assert store.list_statements(cid, states=None) == before
    other, _ = new_consultation(store)
    outsider, _ = invite(store, other.id)
    refused("proposed_by", None,
            lambda: store.add_statements([m.Statement(cid, "good one"),
                                          m.Statement(cid, "bad", proposed_by=outsider.id)]),
            code="not-a-member-here")
    refused(None, "member 999", lambda: store.add_statements(
        [m.Statement(cid, "good one"), m.Statement(cid, "bad", proposed_by=999)]), kind=NotFound)
    assert store.list_statements(cid, states=None) == before
    added = store.add_statements([m.Statement(cid, "five"), m.Statement(cid, "six")])
    assert [s.position for s in added] == [4, 5]
    assert store.add_statements([]) == []


def test_propose_statement_goes_to_pending(store, seeded):
    cid = seeded.consultation.id
    member = seeded.members[1]
    proposed = store.propose_statement(cid, seeded.tokens[member.id], "  Add a pilot year. ")
    assert proposed.moderation is m.ModerationState.PENDING
    assert proposed.proposed_by == member.id and proposed.text == "Add a pilot year."
    assert proposed.id and proposed.position == 4
    assert proposed not in store.list_statements(cid)
    assert store.list_statements(cid, states=["pending"]) == [proposed]
    assert store.get_statement(proposed.id) == proposed
    before = store.list_statements(cid, states=None)
    refused("token", None, lambda: store.propose_statement(cid, "nope", "x"), kind=InvalidToken,
            code="token-unknown")
    refused("text", None, lambda: store.propose_statement(cid, seeded.tokens[member.id], "   "),
            code="empty")
    refused("text", "at most 500",
            lambda: store.propose_statement(cid, seeded.tokens[member.id], "x" * 501),
            code="too-long")
    assert store.list_statements(cid, states=None) == before
    accepted = store.update_statement(proposed.id, moderation="accepted")
    assert accepted in store.list_statements(cid)


def test_proposals_close_with_the_cards(store, seeded):
    cid = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    store.close_consultation(cid)
    before = store.list_statements(cid, states=None)
    refused("status", "proposals are not accepted",
            lambda: store.propose_statement(cid, token, "Too late."), kind=ConsultationNotOpen,
            code="consultation-closed")
    assert store.list_statements(cid, states=None) == before


def test_list_statements_by_states(store, seeded):
    cid = seeded.consultation.id
    s1, s2, s3 = seeded.statements
    pending = store.add_statement(m.Statement(cid, "pending", moderation="pending"))
    rejected = store.add_statement(m.Statement(cid, "rejected", moderation="rejected"))
    withdrawn = store.update_statement(s2.id, moderation="withdrawn")
    assert store.list_statements(cid) == [s1, s3]
    assert store.list_statements(cid, states=[m.ModerationState.PENDING]) == [pending]
    assert store.list_statements(cid, states=["rejected", "withdrawn"]) == [withdrawn,
                                                                             rejected]
    assert store.list_statements(cid, states=None) == [s1, withdrawn, s3, pending, rejected]
    assert store.list_statements(cid, states=[]) == []
    refused("states", None, lambda: store.list_statements(cid, states=["hidden"]),
            code="not-one-of")
    assert store.list_statements(999) == []


def test_update_statement(store, seeded):
    cid = seeded.consultation.id
    s1, s2, s3 = seeded.statements
    edited = store.update_statement(s1.id, text="  Phase it in over three years. ")
    assert edited.text == "Phase it in over three years."
    assert store.get_statement(s1.id) == edited
    token = seeded.tokens[seeded.members[0].id]
    store.save_card(cid, token, [{"statement_id": s1.id, "stance": 4}], status="draft")
    refused("text", None, lambda: store.update_statement(s1.id, text="Something else"),
            code="statement-answered")
    assert store.get_statement(s1.id) == edited
    # a statement nobody answered still changes; moderation of an answered one too
    assert store.update_statement(s2.id, text="New words").text == "New words"
    assert store.update_statement(s1.id, moderation="withdrawn").moderation is \
        m.ModerationState.WITHDRAWN
    assert store.update_statement(s1.id, text=edited.text, position=7).position == 7
    other, _ = new_consultation(store)
    refused("consultation_id", None,
            lambda: store.update_statement(s3.id, consultation_id=other.id),
            code="statement-cannot-move")
    refused("text", None, lambda: store.update_statement(s3.id, text=""), code="empty")
    refused("moderation", None, lambda: store.update_statement(s3.id, moderation="gone"),
            code="not-one-of")
    assert store.get_statement(s3.id) == s3
    refused(None, "statement 999", lambda: store.update_statement(999, text="x"), kind=NotFound)


def test_reorder_statements(store, seeded):
    cid = seeded.consultation.id
    s1, s2, s3 = seeded.statements
    pending = store.add_statement(m.Statement(cid, "pending", moderation="pending"))
    store.reorder_statements(cid, [s3.id, s1.id])
    assert [s.id for s in store.list_statements(cid)] == [s3.id, s1.id, s2.id]
    assert [s.id for s in store.list_statements(cid, states=None)] == \
        [s3.id, s1.id, s2.id, pending.id]
    assert store.statements_frame(cid)["statement_id"].tolist() == [s3.id, s1.id, s2.id]
    assert store.statements_frame(cid)["position"].tolist() == [1, 2, 3]
    store.reorder_statements(cid, [s2.id, s2.id])
    assert [s.id for s in store.list_statements(cid)] == [s2.id, s3.id, s1.id]
    other, (foreign,) = new_consultation(store)
    before = store.list_statements(cid, states=None)
    refused("statement_ids", None, lambda: store.reorder_statements(cid, [s1.id, foreign.id]),
            code="not-all-here")
    refused("statement_ids", None, lambda: store.reorder_statements(cid, [999]),
            code="not-all-here")
    assert store.list_statements(cid, states=None) == before


# -- members ------------------------------------------------------------------------------------


def test_members(store, seeded):
    cid = seeded.consultation.id
    assert store.list_members(cid) == seeded.members
    ana = seeded.members[0]
    assert store.get_member(ana.id) == ana
    assert ana.attributes == {"role": "teacher", "region": "north"}
    updated = store.update_member(ana.id, attributes={"role": "head", "org": "school"},
                                  email="ana@school.org")
    assert store.get_member(ana.id) == updated
    assert updated.attributes == {"role": "head", "org": "school"}
    refused("email", None, lambda: store.update_member(ana.id, email="nope"), code="not-an-email")
    other, _ = new_consultation(store)
    refused("consultation_id", None, lambda: store.update_member(ana.id, consultation_id=other.id),
            code="member-cannot-move")
    assert store.get_member(ana.id) == updated
    refused(None, "member 999", lambda: store.get_member(999), kind=NotFound)
    refused(None, "member 999", lambda: store.update_member(999, name="x"), kind=NotFound)
    assert store.list_members(999) == []


def test_add_members_is_atomic(store, seeded):
    cid = seeded.consultation.id
    before = store.list_members(cid)
    batch = [m.Member(cid, "New one", attributes={"role": "x"}), m.Member(999, "Bad one"),
             m.Member(cid, "New two")]
    refused(None, "consultation 999", lambda: store.add_members(batch), kind=NotFound)
    assert store.list_members(cid) == before
    assert table_rows(store, t.members) == len(before)
    added = store.add_members([batch[0], batch[2]])
    assert [mb.name for mb in added] == ["New one", "New two"]
    assert all(mb.id for mb in added)
    assert store.list_members(cid) == before + added
    assert store.add_member(m.Member(cid, "Solo")).id


# -- invitations --------------------------------------------------------------------------------


def test_token_admits_its_member(store, seeded, clock):
    cid = seeded.consultation.id
    for member in seeded.members:
        token = seeded.tokens[member.id]
        assert store.get_member_for_token(cid, token) == member
        invitation = seeded.invitations[member.id]
        assert invitation.token_hash == hash_token(token) != token
        assert invitation.consultation_id == cid and invitation.member_id == member.id
        assert invitation.created_at == clock.now and not invitation.revoked
    assert len(set(seeded.tokens.values())) == 3
    assert store.list_invitations(cid) == list(seeded.invitations.values())


def stored_values(store) -> list[tuple[str, str, object]]:
    """Every non-null value in every table: ``(table, column, value)``."""
    found = []
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)).mappings():
                found += [(table.name, column, value) for column, value in row.items()
                          if value is not None]
    return found


def test_tokens_are_192_bit_url_safe_and_stored_only_as_their_sha256(store, seeded):
    """What held up in the review: tokens are 192-bit and stored hashed (issue 11)."""
    cid = seeded.consultation.id
    tokens = list(seeded.tokens.values())
    tokens += [token for _, token in store.add_invitations([mb.id for mb in seeded.members])]
    assert len(set(tokens)) == len(tokens) == 6
    for token in tokens:
        # 32 characters of the URL-safe alphabet (nothing to escape in a link) ...
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token), token
        # ... that are 24 random bytes: 192 bits
        assert len(base64.urlsafe_b64decode(token)) == 24
    # the invitations' column holds the SHA-256 of each live token, not a reversible form
    with store.engine.connect() as conn:
        live = set(conn.execute(sa.select(t.invitations.c.token_hash)
                                .where(t.invitations.c.revoked_at.is_(None))).scalars())
    assert live == {hashlib.sha256(token.encode()).hexdigest() for token in tokens[3:]}
    # and no column of any table holds a token, whole or in part, nor its bytes
    values = stored_values(store)
    assert any(table == "invitations" for table, _, _ in values)
    for token in tokens:
        raw = base64.urlsafe_b64decode(token)
        for table, column, value in values:
            if isinstance(value, (bytes, memoryview)):
                assert raw not in bytes(value), (table, column)
            else:
                text = str(value)
                assert token[:16] not in text and token[16:] not in text, (table, column)
                assert raw.hex() not in text, (table, column)
    assert store.get_member_for_token(cid, tokens[3]) == seeded.members[0]


def test_new_invitation_revokes_old(store, seeded, clock):
    cid = seeded.consultation.id
    member = seeded.members[0]
    old = seeded.tokens[member.id]
    clock.advance(3600)
    invitation, new = store.add_invitation(member.id)
    assert new != old and invitation.created_at == clock.now
    assert store.get_member_for_token(cid, new) == member
    refused("token", None, lambda: store.get_member_for_token(cid, old), kind=InvalidToken,
            code="token-revoked")
    mine = [i for i in store.list_invitations(cid) if i.member_id == member.id]
    assert len(mine) == 2
    assert mine[0].revoked and mine[0].revoked_at == clock.now
    assert not mine[1].revoked and mine[1].token_hash == hash_token(new)
    refused("token", None,
            lambda: store.save_card(cid, old, [{"statement_id": seeded.statements[0].id}]),
            kind=InvalidToken, code="token-revoked")
    assert store.count_cards(cid) == 0
    refused(None, "member 999", lambda: store.add_invitation(999), kind=NotFound)


def test_add_invitations(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = seeded.members
    old = dict(seeded.tokens)
    assert store.add_invitations([]) == []
    clock.advance(30)
    issued = store.add_invitations([a.id, b.id])
    assert [inv.member_id for inv, _ in issued] == [a.id, b.id]
    assert len({token for _, token in issued} | set(old.values())) == 5
    for (inv, token), member in zip(issued, (a, b), strict=True):
        assert inv.token_hash == hash_token(token) and inv.created_at == clock.now
        assert inv.id and not inv.revoked and inv.consultation_id == cid
        assert store.get_member_for_token(cid, token) == member
        refused("token", None,
                lambda member=member: store.get_member_for_token(cid, old[member.id]),
                kind=InvalidToken, code="token-revoked")
    assert store.get_member_for_token(cid, old[c.id]) == c  # not in the batch
    assert len(store.list_invitations(cid)) == 5


def test_add_invitations_is_atomic(store, seeded):
    cid = seeded.consultation.id
    a, b, _ = seeded.members
    before = store.list_invitations(cid)
    refused(None, "member 999", lambda: store.add_invitations([a.id, 999, b.id]), kind=NotFound)
    assert store.list_invitations(cid) == before
    for member in (a, b):  # their links still work: nothing was revoked
        assert store.get_member_for_token(cid, seeded.tokens[member.id]) == member
    (first, t1), (second, t2) = store.add_invitations([a.id, a.id])
    refused("token", None, lambda: store.get_member_for_token(cid, t1), kind=InvalidToken,
            code="token-revoked")
    assert store.get_member_for_token(cid, t2) == a


def test_revoke_invitation(store, seeded, clock):
    cid = seeded.consultation.id
    member = seeded.members[1]
    token = seeded.tokens[member.id]
    clock.advance(10)
    assert store.revoke_invitation(member.id) == 1
    assert store.revoke_invitation(member.id) == 0
    refused("token", None, lambda: store.get_member_for_token(cid, token), kind=InvalidToken,
            code="token-revoked")
    (inv,) = [i for i in store.list_invitations(cid) if i.member_id == member.id]
    assert inv.revoked_at == clock.now
    # the other members are untouched
    other = seeded.members[0]
    assert store.get_member_for_token(cid, seeded.tokens[other.id]) == other
    refused(None, "member 999", lambda: store.revoke_invitation(999), kind=NotFound)
    _, again = store.add_invitation(member.id)
    assert store.get_member_for_token(cid, again) == member


def test_token_of_another_consultation_refused(store, seeded):
    cid = seeded.consultation.id
    other, (foreign_statement,) = new_consultation(store)
    outsider, foreign_token = invite(store, other.id)
    assert store.get_member_for_token(other.id, foreign_token) == outsider
    refused("token", None, lambda: store.get_member_for_token(cid, foreign_token),
            kind=InvalidToken, code="token-unknown")
    refused("token", None, lambda: store.save_card(
        cid, foreign_token, [{"statement_id": seeded.statements[0].id, "stance": 3}]),
        kind=InvalidToken, code="token-unknown")
    refused("token", None,
            lambda: store.get_member_for_token(other.id, seeded.tokens[seeded.members[0].id]),
            kind=InvalidToken, code="token-unknown")
    assert store.count_cards(cid) == 0 and store.count_cards(other.id) == 0


@pytest.mark.parametrize("token,code", [
    ("unknown-token-0123456789", "token-unknown"),
    ("", "token-missing"),
    (None, "token-missing"),
    ("x" * 201, "token-missing"),
    (12345, "token-missing"),
])
def test_unknown_or_malformed_token_refused(store, seeded, token, code):
    cid = seeded.consultation.id
    refused("token", None, lambda: store.get_member_for_token(cid, token), kind=InvalidToken,
            code=code)
    refused("token", None, lambda: store.get_card(cid, token), kind=InvalidToken, code=code)
    refused("token", None, lambda: store.save_card(cid, token, []), kind=InvalidToken,
            code=code)
    assert store.count_cards(cid) == 0


def test_token_never_in_messages_or_database(store, seeded):
    cid = seeded.consultation.id
    member = seeded.members[0]
    token = seeded.tokens[member.id]
    other, _ = new_consultation(store)
    failures = []
    for call in (
        lambda: store.get_member_for_token(other.id, token),
        lambda: store.save_card(other.id, token, []),
        lambda: store.get_card(other.id, token),
        lambda: store.propose_statement(other.id, token, "x"),
        lambda: store.add_endorsement(other.id, token, 1, "endorse"),
    ):
        with pytest.raises(InvalidToken) as info:
            call()
        failures.append(info.value)
    store.revoke_invitation(member.id)
    with pytest.raises(InvalidToken) as info:
        store.get_member_for_token(cid, token)
    failures.append(info.value)
    for err in failures:
        assert token not in str(err) and token not in repr(err.args)
        assert err.value is None
        assert hash_token(token) not in str(err)
    invitation, fresh = store.add_invitation(member.id)
    assert fresh not in repr(invitation)
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                for value in row:
                    assert fresh not in str(value) and token not in str(value)


# -- cards --------------------------------------------------------------------------------------


def test_save_card_revisions_are_all_kept(store, seeded, clock):
    cid = seeded.consultation.id
    member = seeded.members[0]
    token = seeded.tokens[member.id]
    s1, s2, s3 = (s.id for s in seeded.statements)
    assert store.get_card(cid, token) is None
    assert store.list_card_revisions(cid, member.id) == []

    first = store.save_card(cid, token, [{"statement_id": s2, "stance": 4, "rationale": " r "},
                                         m.StanceResponse(s1, 2)],
                            concerns=" worried ", impact=" more work ", status="draft")
    assert first.revision == 1 and first.id and first.member_id == member.id
    assert first.round_id == seeded.round.id and first.consultation_id == cid
    assert first.status is m.CardStatus.DRAFT and first.saved_at == clock.now
    assert first.concerns == "worried" and first.impact == "more work"
    clock.advance(60)
    second = store.save_card(cid, token, [{"statement_id": s1, "stance": 5},
                                          {"statement_id": s3, "stance": None}])
    assert second.revision == 2 and second.status is m.CardStatus.SUBMITTED
    clock.advance(60)
    third = store.save_card(cid, token, [{"statement_id": s1, "stance": 1}], status="draft")
    assert third.revision == 3

    revisions = store.list_card_revisions(cid, member.id)
    assert [c.revision for c in revisions] == [1, 2, 3]
    assert [c.status for c in revisions] == [m.CardStatus.DRAFT, m.CardStatus.SUBMITTED,
                                            m.CardStatus.DRAFT]
    assert [c.id for c in revisions] == [first.id, second.id, third.id]
    assert revisions[0].responses == (m.StanceResponse(s1, 2), m.StanceResponse(s2, 4, "r"))
    assert revisions[0].concerns == "worried" and revisions[0].impact == "more work"
    assert revisions[1].responses == (m.StanceResponse(s1, 5), m.StanceResponse(s3, None))
    assert revisions[2].responses == (m.StanceResponse(s1, 1),)
    assert [c.saved_at for c in revisions] == [first.saved_at, second.saved_at,
                                              third.saved_at]
    assert all(c.saved_at.tzinfo is UTC for c in revisions)
    assert store.count_cards(cid) == 3

    assert store.get_card(cid, token) == revisions[2]
    assert store.get_card(cid, token, include_drafts=False) == revisions[1]
    other_token = seeded.tokens[seeded.members[1].id]
    assert store.get_card(cid, other_token) is None
    store.save_card(cid, other_token, [], status="draft")
    assert store.get_card(cid, other_token).responses == ()
    assert store.get_card(cid, other_token, include_drafts=False) is None
    assert store.count_cards(cid) == 4


def test_a_submitted_card_needs_an_answer_a_draft_does_not(store, seeded):
    cid = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    s1 = seeded.statements[0].id
    for responses in ([], None, ()):
        refused("responses", None,
                lambda responses=responses: store.save_card(cid, token, responses),
                code="empty-submission")
    assert store.count_cards(cid) == 0
    assert store.save_card(cid, token, None, status="draft").responses == ()
    assert store.save_card(cid, token, [], status="draft").revision == 2
    passed = store.save_card(cid, token, [{"statement_id": s1, "stance": None}])
    assert passed.status is m.CardStatus.SUBMITTED and passed.revision == 3
    assert store.get_card(cid, token, include_drafts=False) == passed
    assert store.count_respondents(cid) == 1


def test_list_card_revisions_checks_member(store, seeded):
    other, _ = new_consultation(store)
    outsider, _ = invite(store, other.id)
    refused("member_id", None,
            lambda: store.list_card_revisions(seeded.consultation.id, outsider.id),
            code="not-a-member-here")
    refused(None, "member 999", lambda: store.list_card_revisions(seeded.consultation.id, 999),
            kind=NotFound)


def _set_up_refusal(store, seeded, clock, case):
    """Prepare ``case``; return (token, responses, kwargs, exception, field, code, rule).

    ``rule`` is a piece of the English rule where the code alone does not pin the
    parameters, else ``None``.
    """
    cid = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    s1 = seeded.statements[0].id
    ok = [{"statement_id": s1, "stance": 3}]
    if case == "stance off scale":
        return token, [{"statement_id": s1, "stance": 6}], {}, ValidationError, \
            "responses[0].stance", "off-the-scale", "must be one of 1, 2, 3, 4, 5 or a pass"
    if case == "agree_disagree stance on likert5":
        return token, ok + [{"statement_id": seeded.statements[1].id, "stance": -1}], {}, \
            ValidationError, "responses[1].stance", "off-the-scale", "on the scale likert5"
    if case == "statement of another consultation":
        _, (foreign,) = new_consultation(store)
        return token, ok + [{"statement_id": foreign.id, "stance": 3}], {}, ValidationError, \
            "responses[1].statement_id", "not-a-statement-here", None
    if case == "statement that does not exist":
        return token, [{"statement_id": 9999, "stance": 3}], {}, ValidationError, \
            "responses[0].statement_id", "not-a-statement-here", None
    if case in ("pending statement", "rejected statement", "withdrawn statement"):
        state = case.split()[0]
        if state == "pending":
            sid = store.propose_statement(cid, token, "Proposed").id
        else:
            sid = store.update_statement(seeded.statements[2].id, moderation=state).id
        return token, ok + [{"statement_id": sid, "stance": 3}], {}, ValidationError, \
            "responses[1].statement_id", "not-on-the-card", f"is {state}, not on the card"
    if case == "statement twice":
        return token, ok + [{"statement_id": s1, "stance": 4}], {}, ValidationError, \
            "responses[1].statement_id", "answered-twice", None
    if case == "submitted without an answer":
        return token, [], {"status": "submitted"}, ValidationError, "responses", \
            "empty-submission", None
    if case == "bad status":
        return token, ok, {"status": "final"}, ValidationError, "status", "not-one-of", None
    if case == "concerns too long":
        return token, ok, {"concerns": "x" * 5001}, ValidationError, "concerns", "too-long", \
            None
    if case == "closed consultation":
        store.close_consultation(cid)
        return token, ok, {}, ConsultationNotOpen, "status", "consultation-closed", None
    if case == "draft consultation":
        store.update_consultation(cid, status="draft")
        return token, ok, {}, ConsultationNotOpen, "status", "consultation-draft", None
    if case == "after the deadline":
        store.update_consultation(cid, deadline=clock.now + dt.timedelta(hours=1))
        clock.advance(3601)
        return token, ok, {"status": "draft"}, ConsultationNotOpen, "deadline", \
            "deadline-passed", None
    if case == "revoked token":
        store.revoke_invitation(seeded.members[0].id)
        return token, ok, {}, InvalidToken, "token", "token-revoked", None
    if case == "another consultation's token":
        _, foreign_token = invite(store, new_consultation(store)[0].id)
        return foreign_token, ok, {}, InvalidToken, "token", "token-unknown", None
    raise AssertionError(case)


REFUSALS = [
    "stance off scale", "agree_disagree stance on likert5", "statement of another consultation",
    "statement that does not exist", "pending statement", "rejected statement",
    "withdrawn statement", "statement twice", "submitted without an answer", "bad status",
    "concerns too long",
    "closed consultation", "draft consultation", "after the deadline", "revoked token",
    "another consultation's token",
]


@pytest.mark.parametrize("case", REFUSALS)
def test_save_card_refusals_write_nothing(store, seeded, clock, case):
    cid = seeded.consultation.id
    member = seeded.members[0]
    token = seeded.tokens[member.id]
    s1 = seeded.statements[0].id
    kept = store.save_card(cid, token, [{"statement_id": s1, "stance": 2}], concerns="first")
    bystander = store.save_card(cid, seeded.tokens[seeded.members[1].id], [], status="draft")
    count = store.count_cards(cid)
    assert count == 2
    bad_token, responses, kwargs, exc, field, code, rule = _set_up_refusal(store, seeded, clock,
                                                                           case)
    err = refused(field, rule, lambda: store.save_card(cid, bad_token, responses, **kwargs),
                  kind=exc, code=code)
    assert bad_token not in str(err)
    assert store.count_cards(cid) == count
    assert table_rows(store, t.cards) == 2
    assert store.list_card_revisions(cid, member.id) == [kept]
    assert store.list_card_revisions(cid, seeded.members[1].id) == [bystander]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.card_responses)
                            ).scalar() == 1


def test_deadline_uses_the_store_clock(store, seeded, clock):
    cid = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    s1 = seeded.statements[0].id
    deadline = clock.now + dt.timedelta(minutes=30)
    store.update_consultation(cid, deadline=deadline)
    clock.advance(minutes=30)
    assert clock.now == deadline
    assert store.save_card(cid, token, [{"statement_id": s1, "stance": 1}]).revision == 1
    clock.advance(1)
    refused("deadline", None,
            lambda: store.save_card(cid, token, [{"statement_id": s1, "stance": 2}]),
            kind=ConsultationNotOpen, code="deadline-passed")
    assert store.count_cards(cid) == 1
    store.update_consultation(cid, deadline=clock.now + dt.timedelta(days=1))
    assert store.save_card(cid, token, [{"statement_id": s1, "stance": 2}]).revision == 2
    store.update_consultation(cid, deadline=None)
    clock.advance(days=365)
    assert store.save_card(cid, token, [{"statement_id": s1, "stance": 3}]).revision == 3


def test_cards_on_other_scales(store):
    c, stmts = new_consultation(store, scale="agree_disagree", statements=("A", "B"))
    member, token = invite(store, c.id)
    card = store.save_card(c.id, token, [{"statement_id": stmts[0].id, "stance": -1},
                                         {"statement_id": stmts[1].id, "stance": None}])
    assert store.get_card(c.id, token) == card
    refused("responses[0].stance", "must be one of -1, 1 or a pass",
            lambda: store.save_card(c.id, token, [{"statement_id": stmts[0].id, "stance": 0}]),
            code="off-the-scale")
    assert store.count_cards(c.id) == 1


# -- drafts and endorsements --------------------------------------------------------------------


def test_drafts(store, seeded, clock):
    cid = seeded.consultation.id
    refused(None, "draft", lambda: store.get_draft(cid), kind=NotFound)
    assert store.list_drafts(cid) == []
    d1 = store.add_draft(cid, {"Summary": "  We mostly agree.  ", "Concerns": ""})
    assert d1.version == 1 and d1.id and d1.created_at == clock.now
    assert d1.sections == {"Summary": "We mostly agree.", "Concerns": ""}
    ordered = store.add_draft(cid, {"Zeta": "z", "Alpha": "a", "Mid": "m"})
    assert list(store.get_draft(cid, 2).sections) == ["Zeta", "Alpha", "Mid"]  # order kept
    assert ordered.version == 2
    clock.advance(5)
    d2 = store.add_draft(cid, {"Summary": "We agree."})
    d3 = store.add_draft(cid, {"Summary": "We agree, with changes."})
    assert [d.version for d in (d1, ordered, d2, d3)] == [1, 2, 3, 4]
    # saved privately: no version is the members' yet
    refused(None, "draft", lambda: store.get_draft(cid), kind=NotFound)
    assert store.get_draft(cid, 4) == d3
    assert store.get_draft(cid, 1) == d1
    assert store.get_draft(cid, 3).sections == {"Summary": "We agree."}
    assert store.list_drafts(cid) == [d1, ordered, d2, d3]
    refused(None, "draft", lambda: store.get_draft(cid, 9), kind=NotFound)
    refused("sections", None, lambda: store.add_draft(cid, {}), code="no-sections")
    refused(None, "consultation 999", lambda: store.add_draft(999, {"A": "b"}), kind=NotFound)
    assert len(store.list_drafts(cid)) == 4
    other, _ = new_consultation(store)
    assert store.add_draft(other.id, {"A": "b"}).version == 1


def test_endorsements_latest_per_member(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = seeded.members
    draft = store.add_draft(cid, {"Summary": "text"}, share=True)
    assert store.list_endorsements(draft.id) == []
    e1 = store.add_endorsement(cid, seeded.tokens[a.id], draft.id, "endorse")
    assert e1.kind is m.EndorsementKind.ENDORSE and e1.member_id == a.id and e1.id
    assert e1.created_at == clock.now
    clock.advance(10)
    e2 = store.add_endorsement(cid, seeded.tokens[b.id], draft.id, "can_live_with", " meh ")
    clock.advance(10)
    e3 = store.add_endorsement(cid, seeded.tokens[a.id], draft.id, "block", "  harms pupils ")
    assert e3.reason == "harms pupils"
    latest = store.list_endorsements(draft.id)
    assert sorted(latest, key=lambda e: e.member_id) == sorted([e3, e2],
                                                               key=lambda e: e.member_id)
    assert {e.member_id: e.kind for e in latest} == {a.id: m.EndorsementKind.BLOCK,
                                                      b.id: m.EndorsementKind.CAN_LIVE_WITH}
    assert {e.member_id: e.reason for e in latest}[b.id] == "meh"
    # endorsements are per draft
    draft2 = store.add_draft(cid, {"Summary": "text 2"}, share=True)
    assert store.list_endorsements(draft2.id) == []
    e4 = store.add_endorsement(cid, seeded.tokens[c.id], draft2.id, "endorse")
    assert store.list_endorsements(draft2.id) == [e4]
    # closing the consultation closes endorsement (tests/store/test_endorsement_window.py)


def test_endorsement_refusals_write_nothing(store, seeded):
    cid = seeded.consultation.id
    a = seeded.members[0]
    token = seeded.tokens[a.id]
    draft = store.add_draft(cid, {"Summary": "text"}, share=True)
    kept = store.add_endorsement(cid, token, draft.id, "endorse")
    other, _ = new_consultation(store)
    foreign_draft = store.add_draft(other.id, {"Other": "text"}, share=True)
    cases = [  # kind, field, code, a piece of the rule where the code does not pin it, call
        (ValidationError, "reason", "block-needs-reason", None,
         lambda: store.add_endorsement(cid, token, draft.id, "block")),
        (ValidationError, "reason", "block-needs-reason", None,
         lambda: store.add_endorsement(cid, token, draft.id, "block", "   ")),
        (ValidationError, "kind", "not-one-of", "must be one of endorse, can_live_with, block",
         lambda: store.add_endorsement(cid, token, draft.id, "veto", "no")),
        (ValidationError, "draft_id", "not-a-draft-here", None,
         lambda: store.add_endorsement(cid, token, foreign_draft.id, "endorse")),
        (NotFound, None, "not-found", "draft 999",
         lambda: store.add_endorsement(cid, token, 999, "endorse")),
        (InvalidToken, "token", "token-unknown", None,
         lambda: store.add_endorsement(cid, "bad-token", draft.id, "endorse")),
    ]
    for exc, field, code, rule, call in cases:
        refused(field, rule, call, kind=exc, code=code)
    assert store.list_endorsements(draft.id) == [kept]
    assert store.list_endorsements(foreign_draft.id) == []
    assert table_rows(store, t.endorsements) == 1


def test_endorsement_refused_while_consultation_is_a_draft(store):
    c, _ = new_consultation(store, open_=False)
    member, token = invite(store, c.id)
    draft = store.add_draft(c.id, {"S": "t"})
    refused("status", None, lambda: store.add_endorsement(c.id, token, draft.id, "endorse"),
            kind=ConsultationNotOpen, code="endorsements-not-open")
    assert store.list_endorsements(draft.id) == []


# -- frames -------------------------------------------------------------------------------------


def test_responses_frame(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = seeded.members
    s1, s2, s3 = (s.id for s in seeded.statements)
    tok = seeded.tokens
    empty = store.responses_frame(cid)
    assert list(empty.columns) == ["member_id", "statement_id", "stance", "rationale",
                                   "revision", "saved_at"]
    assert len(empty) == 0

    store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 1},
                                     {"statement_id": s2, "stance": 1}])
    clock.advance(60)
    a2 = store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 5, "rationale": "yes"},
                                          {"statement_id": s3, "stance": None}])
    clock.advance(60)
    store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 2}], status="draft")
    store.save_card(cid, tok[b.id], [{"statement_id": s1, "stance": 4}], status="draft")
    c1 = store.save_card(cid, tok[c.id], [{"statement_id": s3, "stance": 3},
                                          {"statement_id": s2, "stance": None}])

    frame = store.responses_frame(cid)
    assert list(frame.columns) == ["member_id", "statement_id", "stance", "rationale",
                                   "revision", "saved_at"]
    assert str(frame["stance"].dtype) == "Int64"
    rows = [(r.member_id, r.statement_id, None if pd.isna(r.stance) else int(r.stance),
             r.rationale, r.revision) for r in frame.itertuples()]
    assert rows == [
        (a.id, s1, 5, "yes", 2),
        (a.id, s3, None, "", 2),
        (c.id, s2, None, "", 1),
        (c.id, s3, 3, "", 1),
    ]
    assert frame["stance"].isna().tolist() == [False, True, True, False]
    assert frame.loc[1, "stance"] is pd.NA
    assert str(frame["saved_at"].dt.tz) == "UTC"
    assert frame["saved_at"].tolist() == [pd.Timestamp(a2.saved_at)] * 2 + \
        [pd.Timestamp(c1.saved_at)] * 2
    assert b.id not in set(frame["member_id"])


def test_counts_and_rationales(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = seeded.members
    s1, s2, s3 = (s.id for s in seeded.statements)
    tok = seeded.tokens
    assert store.stance_counts(cid) == {}
    assert store.count_respondents(cid) == 0
    assert store.list_rationales(cid) == {}
    store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 1, "rationale": "old"},
                                     {"statement_id": s2, "stance": 1}])
    store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 5, "rationale": "yes"},
                                     {"statement_id": s3, "stance": None}])
    store.save_card(cid, tok[a.id], [{"statement_id": s1, "stance": 2, "rationale": "draft"}],
                    status="draft")
    store.save_card(cid, tok[b.id], [{"statement_id": s1, "stance": 4, "rationale": "b"}],
                    status="draft")
    store.save_card(cid, tok[c.id], [{"statement_id": s3, "stance": 3, "rationale": " why "},
                                     {"statement_id": s2, "stance": None},
                                     {"statement_id": s1, "stance": 5}])
    counts = store.stance_counts(cid)
    assert counts == {s1: {5: 2}, s2: {None: 1}, s3: {None: 1, 3: 1}}
    frame = store.responses_frame(cid)
    from_frame = {}
    for r in frame.itertuples():
        stance = None if pd.isna(r.stance) else int(r.stance)
        from_frame.setdefault(r.statement_id, {}).setdefault(stance, 0)
        from_frame[r.statement_id][stance] += 1
    assert counts == from_frame
    assert store.count_respondents(cid) == 2
    rationales = store.list_rationales(cid)
    assert rationales == {s1: ["yes"], s3: ["why"]}
    # the next round starts empty; the first keeps its numbers
    store.add_round(cid)
    assert store.stance_counts(cid) == {} and store.count_respondents(cid) == 0
    assert store.stance_counts(cid, round_number=1) == counts
    assert store.count_respondents(cid, round_number=1) == 2
    assert store.list_rationales(cid, round_number=1) == rationales
    refused(None, "round", lambda: store.stance_counts(cid, round_number=5), kind=NotFound)


def test_members_frame(store, seeded):
    cid = seeded.consultation.id
    a, b, c = seeded.members
    extra = store.add_member(m.Member(cid, "Dee", external_id="ext-4",
                                      attributes={"org": "NGO"}))
    store.save_card(cid, seeded.tokens[a.id], [{"statement_id": seeded.statements[0].id,
                                                "stance": None}], status="submitted")
    store.save_card(cid, seeded.tokens[b.id], [], status="draft")
    store.revoke_invitation(c.id)
    frame = store.members_frame(cid)
    assert list(frame.columns) == ["member_id", "name", "email", "external_id", "invited",
                                   "responded", "org", "region", "role"]
    assert frame["member_id"].tolist() == [a.id, b.id, c.id, extra.id]
    assert frame["name"].tolist() == ["Ana Alves", "Bo Berg", "Chidi Okafor", "Dee"]
    assert frame["invited"].tolist() == [True, True, False, False]
    assert frame["responded"].tolist() == [True, False, False, False]
    assert frame["role"].tolist()[:3] == ["teacher", "researcher", "teacher"]
    assert frame["region"].tolist()[:3] == ["north", "south", "south"]
    assert pd.isna(frame.loc[3, "role"]) and frame.loc[3, "org"] == "NGO"
    assert frame.loc[3, "external_id"] == "ext-4" and frame.loc[2, "email"] == ""
    other, _ = new_consultation(store)
    empty = store.members_frame(other.id)
    assert len(empty) == 0
    assert list(empty.columns) == ["member_id", "name", "email", "external_id", "invited",
                                   "responded"]


@pytest.mark.parametrize("key", ["name", "Invited", "responded", "member_id", "email",
                                 "external_id"])
def test_members_frame_columns_cannot_be_hidden_by_attributes(store, seeded, key):
    cid = seeded.consultation.id
    before = store.list_members(cid)
    refused("attributes (name)", None,
            lambda: store.add_member(m.Member(cid, "Dee", attributes={key: "x"})),
            code="reserved-attribute")
    refused("attributes (name)", None,
            lambda: store.update_member(before[0].id, attributes={key: "x"}),
            code="reserved-attribute")
    assert store.list_members(cid) == before
    frame = store.members_frame(cid)
    assert frame.columns.is_unique
    assert frame["name"].tolist() == [mb.name for mb in before]


def test_statements_frame(store, seeded):
    cid = seeded.consultation.id
    s1, s2, s3 = seeded.statements
    store.add_statement(m.Statement(cid, "pending", moderation="pending"))
    store.update_statement(s2.id, external_id="polis-2")
    frame = store.statements_frame(cid)
    assert list(frame.columns) == ["statement_id", "text", "external_id", "position"]
    assert frame["statement_id"].tolist() == [s1.id, s2.id, s3.id]
    assert frame["text"].tolist() == [s.text for s in seeded.statements]
    assert frame["external_id"].tolist() == ["", "polis-2", ""]
    store.update_statement(s1.id, position=99)
    assert store.statements_frame(cid)["statement_id"].tolist() == [s2.id, s3.id, s1.id]


# -- URLs -----------------------------------------------------------------------------------------


def test_default_url_is_a_sqlite_file_in_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COP_WIDGETS_DB", raising=False)
    assert DEFAULT_FILE == "cop-widgets.db"
    assert resolve_url() == "sqlite:///cop-widgets.db"
    with Store() as s:
        assert s.url == "sqlite:///cop-widgets.db"
        dev = s.add_development(m.Development("policy", "P"))
    assert (tmp_path / "cop-widgets.db").is_file()
    with Store() as s:
        assert s.get_development(dev.id) == dev


def test_env_var_names_the_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path}/from-env.db"
    monkeypatch.setenv("COP_WIDGETS_DB", url)
    assert resolve_url() == url
    with Store() as s:
        assert s.url == url
    assert (tmp_path / "from-env.db").is_file()
    assert not (tmp_path / "cop-widgets.db").exists()
    explicit = f"sqlite:///{tmp_path}/explicit.db"
    with Store(explicit) as s:
        assert s.url == explicit
    monkeypatch.setenv("COP_WIDGETS_DB", "")
    assert resolve_url() == "sqlite:///cop-widgets.db"


@pytest.mark.parametrize("given,expected", [
    ("postgresql://u:p@db.example:5433/cop", "postgresql+psycopg://u:p@db.example:5433/cop"),
    ("postgres://u@h/cop", "postgresql+psycopg://u@h/cop"),
    ("postgresql+psycopg://u@h/cop", "postgresql+psycopg://u@h/cop"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_postgresql_urls_use_psycopg(given, expected, monkeypatch):
    monkeypatch.setenv("COP_WIDGETS_DB", given)
    assert resolve_url(given) == expected
    assert resolve_url() == expected
    if expected.startswith("postgresql"):
        s = Store(given, migrate=False)  # creating an engine does not connect
        try:
            assert s.url == expected
            assert s.engine.dialect.name == "postgresql"
            assert s.engine.dialect.driver == "psycopg"
        finally:
            s.close()


def test_plain_postgresql_url_opens(db_url):
    plain = db_url.replace("postgresql+psycopg://", "postgresql://")
    with Store(plain) as s:
        assert s.url == db_url
        assert s.list_developments() == []


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_in_memory_sqlite_store_works(url):
    with Store(url) as s:
        dev = s.add_development(m.Development("policy", "In memory"))
        assert s.list_developments() == [dev]
