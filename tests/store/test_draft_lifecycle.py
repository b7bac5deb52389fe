"""Issue 12, item 2: the joint response's steps, on both backends.

A version is saved privately (members read nothing of it), put to the members
(endorsement opens on it, and only on it), then finalised (the consultation closes, the
tally is frozen, nothing follows). The refusals carry their codes; nothing is written when
one is raised.
"""

from __future__ import annotations

import sqlalchemy as sa
from helpers import refused

from cop_widgets import model as m
from cop_widgets.errors import ConsultationNotOpen, NotFound
from cop_widgets.store import schema as t


def endorsement_rows(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.endorsements)).scalar()


def tokens(seeded):
    return [seeded.tokens[member.id] for member in seeded.members]


def test_a_version_saved_privately_is_not_the_members(store, seeded, clock):
    cid = seeded.consultation.id
    a, _b, _c = tokens(seeded)
    private = store.add_draft(cid, {"consensus": "Only the facilitator reads this."})
    assert private.shared_at is None and not private.shared and not private.final
    assert store.get_draft(cid, 1) == private
    # the members' draft is the version put to them: there is none yet
    refused(None, None, lambda: store.get_draft(cid), kind=NotFound)
    err = refused("draft", "version 1 has not been put to the members",
                  lambda: store.add_endorsement(cid, a, private.id, "endorse"),
                  code="draft-not-shared")
    assert err.params == {"version": 1}
    assert store.get_endorsement_refusal(cid, private.id).code == "draft-not-shared"
    assert endorsement_rows(store) == 0


def test_putting_a_version_to_the_members_opens_endorsement_on_it_alone(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = tokens(seeded)
    store.add_draft(cid, {"consensus": "One."})
    clock.advance(60)
    shared = store.share_draft(cid, 1)
    assert shared.shared_at == clock.now and shared.version == 1
    assert store.get_draft(cid) == shared
    assert store.share_draft(cid, 1) == shared  # again: nothing changes
    kept = store.add_endorsement(cid, a, shared.id, "endorse")
    # a newer version saved privately changes nothing for the members
    second = store.add_draft(cid, {"consensus": "Two, not yet shown."})
    assert store.get_draft(cid) == shared
    assert store.get_endorsement_refusal(cid, shared.id) is None
    store.add_endorsement(cid, b, shared.id, "can_live_with")
    refused("draft", None, lambda: store.add_endorsement(cid, c, second.id, "endorse"),
            code="draft-not-shared")
    # put to the members, it supersedes the first
    clock.advance(60)
    now_shared = store.share_draft(cid, 2)
    assert store.get_draft(cid) == now_shared and now_shared.shared_at == clock.now
    err = refused("draft", "version 1 has been replaced by version 2",
                  lambda: store.add_endorsement(cid, c, shared.id, "block", "No"),
                  code="draft-superseded")
    assert err.params == {"version": 1, "latest": 2}
    store.add_endorsement(cid, c, now_shared.id, "block", "Not yet")
    assert kept in store.list_endorsements(shared.id)
    assert len(store.list_endorsements(now_shared.id)) == 1
    # an older version cannot be put back: its text is saved again as a new one
    err = refused("version", "version 1 is older than version 2",
                  lambda: store.share_draft(cid, 1), code="share-older-version")
    assert err.params == {"version": 1, "shared": 2}
    refused(None, None, lambda: store.share_draft(cid, 9), kind=NotFound)
    third = store.add_draft(cid, {"consensus": "One."}, share=True)
    assert third.shared and store.get_draft(cid) == third
    assert [d.shared for d in store.list_drafts(cid)] == [True, True, True]


def test_a_version_is_put_to_the_members_only_while_the_consultation_is_open(store, seeded):
    cid = seeded.consultation.id
    store.add_draft(cid, {"consensus": "One."})
    store.close_consultation(cid)
    refused("status", "while the consultation is open", lambda: store.share_draft(cid, 1),
            kind=ConsultationNotOpen, code="share-needs-open")
    refused("status", None, lambda: store.add_draft(cid, {"consensus": "Two."}, share=True),
            kind=ConsultationNotOpen, code="share-needs-open")
    assert [d.version for d in store.list_drafts(cid)] == [1]  # the refused save wrote none
    assert not store.get_draft(cid, 1).shared


def test_finalising_closes_the_consultation_and_freezes_the_tally(store, seeded, clock):
    cid = seeded.consultation.id
    a, b, c = tokens(seeded)
    refused("draft", "before finalising", lambda: store.finalise_draft(cid),
            code="nothing-to-finalise")
    store.add_draft(cid, {"consensus": "Private first."})
    refused("draft", None, lambda: store.finalise_draft(cid), code="nothing-to-finalise")
    shared = store.share_draft(cid, 1)
    store.add_endorsement(cid, a, shared.id, "endorse")
    store.add_endorsement(cid, b, shared.id, "block", "Too fast")
    store.add_draft(cid, {"consensus": "A later private version."})
    clock.advance(3600)
    final = store.finalise_draft(cid)
    assert final.version == 1 and final.final and final.finalised_at == clock.now
    assert store.get_draft(cid) == final
    assert store.get_consultation(cid).status is m.ConsultationStatus.CLOSED
    tally = store.list_endorsements(shared.id)
    before = endorsement_rows(store)
    for token, kind, reason in ((c, "endorse", ""), (a, "block", "Changed my mind"),
                                (b, "endorse", "")):
        err = refused("draft", "the joint response was finalised on",
                      lambda token=token, kind=kind, reason=reason:
                      store.add_endorsement(cid, token, shared.id, kind, reason),
                      code="response-finalised")
        assert err.params == {"moment": clock.now}
    assert store.get_endorsement_refusal(cid, shared.id).code == "response-finalised"
    # even if the consultation is opened again, the final tally stays as it was
    store.update_consultation(cid, status=m.ConsultationStatus.OPEN)
    refused("draft", None, lambda: store.add_endorsement(cid, c, shared.id, "endorse"),
            code="response-finalised")
    assert endorsement_rows(store) == before and store.list_endorsements(shared.id) == tally
    # nothing follows a final response: no new version, none put to the members
    refused("draft", None, lambda: store.add_draft(cid, {"consensus": "After."}),
            code="response-finalised")
    refused("draft", None, lambda: store.share_draft(cid, 2), code="response-finalised")
    refused("draft", None, lambda: store.finalise_draft(cid), code="response-finalised")
    assert [d.version for d in store.list_drafts(cid)] == [1, 2]
    assert [d.final for d in store.list_drafts(cid)] == [True, False]


def test_finalising_a_closed_consultation_keeps_it_closed(store, seeded):
    cid = seeded.consultation.id
    store.add_draft(cid, {"consensus": "One."}, share=True)
    store.close_consultation(cid)
    final = store.finalise_draft(cid)
    assert final.final
    assert store.get_consultation(cid).status is m.ConsultationStatus.CLOSED


def test_a_draft_finalised_without_being_shared_is_refused_by_the_model():
    import datetime as dt

    now = dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)
    refused("finalised_at", "after it was put to the members",
            lambda: m.Draft(1, {"consensus": "x"}, finalised_at=now), code="final-not-shared")
    assert m.Draft(1, {"consensus": "x"}, shared_at=now, finalised_at=now).final


def test_the_steps_are_one_transaction_each(store, seeded, monkeypatch):
    """A refusal inside finalise writes neither the date nor the closing."""
    cid = seeded.consultation.id
    store.add_draft(cid, {"consensus": "One."}, share=True)

    def boom(*args, **kwargs):
        raise RuntimeError("the clock broke")

    monkeypatch.setattr(store, "now", boom)
    refused(None, None, lambda: store.finalise_draft(cid), kind=RuntimeError)
    assert not store.get_draft(cid).final
    assert store.get_consultation(cid).status is m.ConsultationStatus.OPEN
