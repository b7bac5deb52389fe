"""The outbox in the store: written with its link, claimed once, token kept only while unsent."""

from __future__ import annotations

import datetime as dt

import pytest

from cop_widgets import model as m
from cop_widgets.errors import NotFound
from cop_widgets.store.base import hash_token


def _roster(store, emails):
    development = store.add_development(m.Development("policy", "A <b>policy</b>"))
    consultation = store.add_consultation(m.Consultation(development.id, "Q & A",
                                                         scale="likert5"))
    members = store.add_members([m.Member(consultation.id, f"Member {i}", email)
                                 for i, email in enumerate(emails)])
    return consultation, members


def test_an_invitation_enqueues_its_message_with_its_own_link(store):
    consultation, members = _roster(store, ["a@example.org", "", "c@example.org"])
    issued = store.add_invitations([mb.id for mb in members], message="invitation")
    outbox = store.list_outbox(consultation.id)
    # the member without an address gets a link and no message
    assert [(o.member_id, o.recipient, o.kind, o.status) for o in outbox] == [
        (members[0].id, "a@example.org", "invitation", "pending"),
        (members[2].id, "c@example.org", "invitation", "pending")]
    by_member = {o.member_id: o for o in outbox}
    for member, (invitation, token) in zip(members, issued, strict=True):
        if member.id in by_member:
            assert by_member[member.id].token == token
            assert hash_token(by_member[member.id].token) == invitation.token_hash
    # without message=, the existing behaviour: a link, no message
    store.add_invitations([members[1].id])
    assert len(store.list_outbox(consultation.id)) == 2


def test_a_refused_invitation_enqueues_nothing(store):
    consultation, members = _roster(store, ["a@example.org"])
    with pytest.raises(NotFound):
        store.add_invitations([members[0].id, 999_999], message="invitation")
    assert store.list_outbox(consultation.id) == []
    assert store.list_invitations(consultation.id) == []


def test_a_new_link_supersedes_the_unsent_message_and_blanks_its_token(store):
    consultation, members = _roster(store, ["a@example.org"])
    store.add_invitation(members[0].id, message="invitation")
    _inv, token = store.add_invitation(members[0].id, message="reminder")
    first, second = store.list_outbox(consultation.id)
    assert (first.status, first.token) == ("superseded", "")
    assert (second.status, second.kind, second.token) == ("pending", "reminder", token)
    assert store.list_deliveries(consultation.id)[members[0].id].id == second.id


def test_claims_never_give_one_message_twice_and_sent_blanks_the_token(store):
    consultation, members = _roster(store, ["a@example.org", "b@example.org"])
    store.add_invitations([mb.id for mb in members], message="invitation")
    one = store.claim_message(consultation.id)
    two = store.claim_message(consultation.id)
    assert {one.id, two.id} == {o.id for o in store.list_outbox(consultation.id)}
    assert one.id != two.id and one.status == two.status == "sending"
    assert store.claim_message(consultation.id) is None
    assert store.mark_message(one.id, "sent", 250, "2.0.0 queued")
    assert store.mark_message(two.id, "failed", 550, "5.1.1 unknown")
    assert not store.mark_message(one.id, "sent", 250, "again")  # no longer claimed
    sent, failed = store.list_outbox(consultation.id)
    assert (sent.status, sent.token, sent.reply_code, sent.reply) == (
        "sent", "", 250, "2.0.0 queued")
    assert failed.status == "failed" and failed.token  # kept: a rerun must send it
    assert store.count_unsent(consultation.id) == 1


def test_requeue_sends_a_failed_message_to_the_corrected_address(store):
    consultation, members = _roster(store, ["bad@example.org", "gone@example.org"])
    store.add_invitations([mb.id for mb in members], message="invitation")
    for _ in members:
        store.mark_message(store.claim_message(consultation.id).id, "failed", 550, "no")
    store.update_member(members[0].id, email="good@example.org")
    store.update_member(members[1].id, email="")
    assert store.requeue_failed(consultation.id) == 1
    fixed, gone = store.list_outbox(consultation.id)
    assert (fixed.status, fixed.recipient) == ("pending", "good@example.org")
    assert (gone.status, gone.token) == ("cancelled", "")


def test_a_claim_never_confirmed_is_marked_failed_after_its_lease(store, clock):
    consultation, members = _roster(store, ["a@example.org"])
    store.add_invitations([members[0].id], message="invitation")
    claimed = store.claim_message(consultation.id)
    lease = dt.timedelta(minutes=10)
    assert store.recover_stale(consultation.id, lease) == 0  # maybe still being sent
    clock.advance(minutes=11)
    assert store.recover_stale(consultation.id, lease) == 1
    message = store.list_outbox(consultation.id)[0]
    assert message.status == "failed" and "interrupted" in message.reply
    assert not store.mark_message(claimed.id, "sent", 250, "late")  # the dead sender's
    assert store.requeue_failed(consultation.id) == 1
    assert store.claim_message(consultation.id).attempts == 2
