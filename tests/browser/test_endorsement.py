"""A member answers the draft joint response from their own link, in Debian's chromium."""

from __future__ import annotations

import pytest
from expect_or_skip import expect
from helpers import GATE_REFUSAL, gate_refused

from cop_widgets import model as m
from cop_widgets.links import endorse_link
from cop_widgets.widgets.drafting import DraftEditor

pytestmark = pytest.mark.browser

ENDORSE_ROOT = ".cop-endorse-page"


def open_endorsement(open_page, url):
    visit = open_page(url, ready=None)
    visit.page.locator(ENDORSE_ROOT).first.wait_for(state="visible")
    return visit


def test_member_blocks_with_a_reason_and_the_tally_shows_it(live, open_page,
                                                           make_consultation):
    seeded = make_consultation(members=3)
    cid = seeded.consultation.id
    live.store.add_draft(cid, {"consensus": "We agree to ask for a <b>pilot</b>.",
                               "recommendations": "Start with two regions."}, share=True)
    endorser, blocker = seeded.members[0], seeded.members[1]

    visit = open_endorsement(open_page, endorse_link(live.base_url, cid,
                                                     seeded.tokens[endorser.id]))
    page = visit.page
    expect(page.locator(ENDORSE_ROOT)).to_contain_text("We agree to ask for a <b>pilot</b>.")
    page.get_by_role("radio", name="I endorse it").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text("Thank you")

    visit2 = open_endorsement(open_page, endorse_link(live.base_url, cid,
                                                      seeded.tokens[blocker.id]))
    page2 = visit2.page
    page2.get_by_role("radio", name="I block it (please say why)").check()
    page2.get_by_role("button", name="Send my answer").click()
    expect(page2.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text("reason")
    page2.get_by_label("Why? (needed to block)").fill("It leaves volunteers out.")
    page2.get_by_role("button", name="Send my answer").click()
    expect(page2.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text("Thank you")

    draft = live.store.get_draft(cid)
    answers = {e.member_id: (e.kind, e.reason) for e in live.store.list_endorsements(draft.id)}
    assert answers == {endorser.id: (m.EndorsementKind.ENDORSE, ""),
                       blocker.id: (m.EndorsementKind.BLOCK, "It leaves volunteers out.")}
    desk = DraftEditor(live.store, cid)  # the facilitator's tally
    assert "2 of 3 members" in desk.tally.value
    assert "It leaves volunteers out." in desk.tally.value
    for v in (visit, visit2):
        assert v.dialogs == [] and v.page_errors == []


def test_forged_link_gets_no_form(live, open_page, make_consultation):
    seeded = make_consultation(members=1)
    live.store.add_draft(seeded.consultation.id, {"consensus": "x"})
    visit = open_page(endorse_link(live.base_url, seeded.consultation.id, "forged-token-123"),
                      ready=gate_refused)
    expect(visit.page.locator(GATE_REFUSAL)).to_contain_text("does not open")
    assert visit.page.get_by_role("radio").count() == 0
    assert visit.page.get_by_role("button").count() == 0
    assert visit.websockets == []  # the gate refused it before a kernel started
