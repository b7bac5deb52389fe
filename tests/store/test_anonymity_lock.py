"""Anonymity can be turned on at any time, never off once members have answered (issue 11, 5).

The review's reproduction: ``update_consultation(1, anonymous=False)`` after four cards made
"Proposed by Dave Quiet" appear on a proposal made while anonymous.
"""

from __future__ import annotations

import pytest

from cop_widgets import model as m
from cop_widgets.errors import ValidationError


def _anonymous(store, seeded):
    return store.update_consultation(seeded.consultation.id, anonymous=True)


def test_anonymity_cannot_be_turned_off_after_a_card(store, seeded):
    cid = seeded.consultation.id
    _anonymous(store, seeded)
    member = seeded.members[0]
    store.save_card(cid, seeded.tokens[member.id],
                    [m.StanceResponse(seeded.statements[0].id, 4)])
    with pytest.raises(ValidationError) as refused:
        store.update_consultation(cid, anonymous=False)
    assert refused.value.field == "anonymous" and refused.value.code == "anonymity-locked"
    assert store.get_consultation(cid).anonymous  # nothing half written


def test_anonymity_cannot_be_turned_off_after_a_proposal(store, seeded):
    cid = seeded.consultation.id
    _anonymous(store, seeded)
    member = seeded.members[1]
    store.propose_statement(cid, seeded.tokens[member.id], "Ask the learners too.")
    with pytest.raises(ValidationError, match="cannot be turned off"):
        store.update_consultation(cid, anonymous=False, language="fr")
    consultation = store.get_consultation(cid)
    assert consultation.anonymous and consultation.language == "en"


def test_anonymity_can_be_turned_off_before_anyone_answers_and_on_at_any_time(store, seeded):
    cid = seeded.consultation.id
    _anonymous(store, seeded)
    assert not store.update_consultation(cid, anonymous=False).anonymous
    member = seeded.members[0]
    store.save_card(cid, seeded.tokens[member.id],
                    [m.StanceResponse(seeded.statements[0].id, 2)])
    assert store.update_consultation(cid, anonymous=True).anonymous
