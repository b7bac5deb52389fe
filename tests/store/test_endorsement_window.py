"""Issue 11, item 8: answers to a draft only on its latest version, and only while open.

The attack: a member kept the id of an older version (or the facilitator had closed the
consultation) and still had an endorsement, or a block, counted. The store now refuses both,
by code, and writes nothing; the latest version of an open consultation is still answered.
"""

from __future__ import annotations

import sqlalchemy as sa
from helpers import refused

from cop_widgets import model as m
from cop_widgets.errors import ConsultationNotOpen, ValidationError
from cop_widgets.store import schema as t


def endorsement_rows(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(t.endorsements)).scalar()


def test_an_answer_to_a_superseded_version_is_refused_and_nothing_written(store, seeded):
    cid = seeded.consultation.id
    a, b, c = (seeded.tokens[member.id] for member in seeded.members)
    first = store.add_draft(cid, {"consensus": "Version one."}, share=True)
    kept = store.add_endorsement(cid, a, first.id, "endorse")
    second = store.add_draft(cid, {"consensus": "Version two."}, share=True)
    before = endorsement_rows(store)
    for token, kind, reason in ((b, "endorse", ""), (c, "block", "Not this one"),
                                (a, "block", "I change my mind on the old text")):
        err = refused("draft", "version 1 has been replaced by version 2",
                      lambda token=token, kind=kind, reason=reason:
                      store.add_endorsement(cid, token, first.id, kind, reason),
                      code="draft-superseded")
        assert err.params == {"version": 1, "latest": 2}
    assert endorsement_rows(store) == before
    assert store.list_endorsements(first.id) == [kept]
    assert store.list_endorsements(second.id) == []
    # the latest version is answered as before
    latest = store.add_endorsement(cid, b, second.id, "block", "Still too fast")
    assert store.list_endorsements(second.id) == [latest]
    assert endorsement_rows(store) == before + 1
    assert store.get_endorsement_refusal(cid, second.id) is None
    assert store.get_endorsement_refusal(cid, first.id).code == "draft-superseded"


def test_closing_the_consultation_closes_endorsement(store, seeded):
    cid = seeded.consultation.id
    a, b, _c = (seeded.tokens[member.id] for member in seeded.members)
    draft = store.add_draft(cid, {"consensus": "The response."}, share=True)
    kept = store.add_endorsement(cid, a, draft.id, "endorse")
    store.close_consultation(cid)
    before = endorsement_rows(store)
    for token, kind, reason in ((b, "endorse", ""), (a, "block", "Changed after close")):
        refused("draft", "the facilitator has closed the consultation",
                lambda token=token, kind=kind, reason=reason:
                store.add_endorsement(cid, token, draft.id, kind, reason),
                kind=ConsultationNotOpen, code="endorsement-closed")
    assert endorsement_rows(store) == before
    assert store.list_endorsements(draft.id) == [kept]
    assert store.get_endorsement_refusal(cid, draft.id).code == "endorsement-closed"
    # a closed consultation refuses even its newest version
    newest = store.add_draft(cid, {"consensus": "After closing."})
    refused("draft", None, lambda: store.add_endorsement(cid, b, newest.id, "endorse"),
            kind=ConsultationNotOpen, code="endorsement-closed")
    assert endorsement_rows(store) == before
    # reopened, the latest version takes answers again
    store.update_consultation(cid, status=m.ConsultationStatus.OPEN)
    store.share_draft(cid, newest.version)  # saved while closed, so saved privately
    assert store.get_endorsement_refusal(cid, newest.id) is None
    store.add_endorsement(cid, b, newest.id, "can_live_with")
    assert endorsement_rows(store) == before + 1


def test_the_refusal_a_page_asks_for_is_the_one_the_store_raises(store, seeded):
    cid = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    first = store.add_draft(cid, {"consensus": "One."}, share=True)
    second = store.add_draft(cid, {"consensus": "Two."}, share=True)
    for status in ("open", "closed", "draft"):
        store.update_consultation(cid, status=status)
        for draft in (first, second):
            told = store.get_endorsement_refusal(cid, draft.id)
            try:
                store.add_endorsement(cid, token, draft.id, "endorse")
            except ValidationError as exc:
                assert told is not None and (told.code, told.field, told.params) == (
                    exc.code, exc.field, exc.params)
            else:
                assert told is None and status == "open" and draft == second
