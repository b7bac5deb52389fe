"""The member page says the store's limits to the member (issue 11, item 7).

A member who has five proposals waiting, or who saves in a loop (a script clicking through
the websocket), is told what happened and what to do, as one sentence, in the page's
language; nothing is written.
"""

from __future__ import annotations

import pytest

from cop_widgets.error_codes import RULES
from cop_widgets.i18n import format_datetime, translator
from cop_widgets.model.policies import CARD_SAVE_LIMIT, MAX_PENDING_PROPOSALS
from cop_widgets.widgets.member import MemberPage

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
FR = translator("fr")


def page_of(store, seeded, **kwargs):
    member = seeded.members[0]
    return member, MemberPage(store, seeded.consultation.id, seeded.tokens[member.id],
                              **kwargs)


def test_the_sixth_pending_proposal_is_refused_with_what_to_do(store, seeded):
    member, page = page_of(store, seeded)
    for i in range(MAX_PENDING_PROPOSALS + 1):
        page.proposal.value = f"Idea number {i}"
        page.propose.click()
    assert page.message.kind == "error"
    assert page.message.text == (
        "Your statement was not sent: you have 5 proposals awaiting the facilitator; you "
        "can propose more once they are reviewed")
    assert page.proposal.value == "Idea number 5"  # kept in the box for later
    assert len([s for s in store.list_statements(seeded.consultation.id, states=None)
                if s.proposed_by == member.id]) == MAX_PENDING_PROPOSALS


def test_saving_in_a_loop_is_refused_with_when_to_save_again(store, seeded, clock):
    member, page = page_of(store, seeded)
    page.rows[0].stance.value = 4
    for _ in range(CARD_SAVE_LIMIT.max_saves):
        page.save_draft.click()
        assert page.message.kind == "ok", page.message.text
    page.submit.click()
    until = format_datetime(clock.now + CARD_SAVE_LIMIT.window, "en")
    assert page.message.kind == "error"
    assert page.message.text == (
        "Your position was not submitted: you have saved 30 times in the last 10 minutes; "
        f"your answers are still on this page: save them again after {until}")
    assert page.rows[0].stance.value == 4  # nothing on the page is lost
    assert len(store.list_card_revisions(seeded.consultation.id, member.id)) == 30


def test_the_refusal_is_one_sentence_in_the_page_language(store, seeded):
    _member, page = page_of(store, seeded, language="fr")
    for i in range(MAX_PENDING_PROPOSALS + 1):
        page.proposal.value = f"Idée {i}"
        page.propose.click()
    assert page.message.kind == "error"
    wrapper = FR("Your statement was not sent: {problem}")
    head = wrapper.split("{problem}")[0]
    assert head.startswith("Votre énoncé") and page.message.text.startswith(head)
    rule = page.message.text[len(head):]
    # the rule alone, in the page's words: no field named before it
    assert rule == FR(RULES["too-many-pending-proposals"]).format(limit="5")
