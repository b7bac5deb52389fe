"""Issue 12, item 2, end to end: the joint response's steps seen from a member's browser.

The facilitator's drafting desk is driven in Python on the live database (the same SQLite
file the real ``cop-widgets serve`` reads); the member's pages are real Voila pages in
Debian's chromium. A version saved privately shows nothing new to the member; put to the
members, it is answered from the browser; finalised, the page shows it final with its date,
an answer from a page left open is refused, and the store refuses any later answer by its
code.
"""

from __future__ import annotations

import pytest
from helpers import refused
from playwright.sync_api import expect

from cop_widgets import model as m
from cop_widgets.i18n import format_datetime
from cop_widgets.links import endorse_link
from cop_widgets.widgets.drafting import DraftEditor

pytestmark = pytest.mark.browser

ENDORSE_ROOT = ".cop-endorse-page"
PRIVATE = "Private words the members must not read yet."
SHARED = "We ask the ministry for a pilot in two regions."


def open_endorsement(open_page, url):
    visit = open_page(url, ready=None)
    visit.page.locator(ENDORSE_ROOT).first.wait_for(state="visible")
    return visit


def test_save_privately_put_to_the_members_then_finalise(live, open_page, rendered,
                                                         make_consultation):
    seeded = make_consultation(members=3, title="A response in steps")
    cid = seeded.consultation.id
    member, other = seeded.members[0], seeded.members[1]
    link = endorse_link(live.base_url, cid, seeded.tokens[member.id])
    desk = DraftEditor(live.store, cid)

    # 1. saved privately: the member's pages show nothing new
    desk.sections["consensus"].value = PRIVATE
    desk.save_button.click()
    assert desk.message.kind == "ok", desk.message.text
    visit = open_endorsement(open_page, link)
    root = visit.page.locator(ENDORSE_ROOT)
    expect(root).to_contain_text("There is no draft to read yet")
    expect(root).not_to_contain_text(PRIVATE)
    assert visit.page.get_by_role("radio").count() == 0
    card = open_page(live.member_link(cid, seeded.tokens[member.id]))
    rendered(card.page)
    expect(card.page.locator(".cop-member-page")).not_to_contain_text(
        "A draft joint response is ready")
    assert card.page.get_by_role("button", name="Read the draft joint response").count() == 0

    # 2. put to the members: the member reads it and endorses it from the browser
    desk.sections["consensus"].value = SHARED
    desk.save_button.click()
    desk.share_button.click()
    assert desk.step_message.kind == "ok", desk.step_message.text
    assert live.store.get_draft(cid).version == 2
    visit = open_endorsement(open_page, link)
    page = visit.page
    expect(page.locator(ENDORSE_ROOT)).to_contain_text(SHARED)
    expect(page.locator(ENDORSE_ROOT)).to_contain_text("Draft joint response, version 2.")
    expect(page.locator(ENDORSE_ROOT)).not_to_contain_text(PRIVATE)
    page.get_by_role("radio", name="I endorse it").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text("Thank you")
    shared = live.store.get_draft(cid)
    assert [(e.member_id, e.kind) for e in live.store.list_endorsements(shared.id)] == [
        (member.id, m.EndorsementKind.ENDORSE)]
    card = open_page(live.member_link(cid, seeded.tokens[other.id]))
    rendered(card.page)
    expect(card.page.get_by_role("button", name="Read the draft joint response")).to_be_visible()

    # 3. finalised (asked twice): the open page refuses a change, a fresh one shows it final
    desk.finalise_button.click()
    desk.finalise_button.click()
    assert desk.step_message.kind == "ok", desk.step_message.text
    final = live.store.get_draft(cid)
    assert final.final and final.version == 2
    assert live.store.get_consultation(cid).status is m.ConsultationStatus.CLOSED
    page.get_by_role("radio", name="I block it (please say why)").check()
    page.get_by_label("Why? (needed to block)").fill("Changed my mind after the end.")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text(
        "the joint response was finalised on")
    page.get_by_role("button", name="Read the final response").click()
    expect(page.locator(ENDORSE_ROOT)).to_contain_text("This response is final")

    visit = open_endorsement(open_page, endorse_link(live.base_url, cid,
                                                     seeded.tokens[other.id]))
    root = visit.page.locator(ENDORSE_ROOT)
    when = format_datetime(final.finalised_at, "en")
    expect(root).to_contain_text(
        f"The final joint response, version 2, finalised on {when}.")
    expect(root).to_contain_text(SHARED)
    expect(root).not_to_contain_text("Draft joint response")
    assert visit.page.get_by_role("radio").count() == 0
    assert visit.page.get_by_role("button", name="Send my answer").count() == 0
    # the store refuses an answer after finalising, by its code, and the tally stays
    for token, kind, reason in ((seeded.tokens[other.id], "endorse", ""),
                                (seeded.tokens[member.id], "block", "Too late")):
        refused("draft", None, lambda token=token, kind=kind, reason=reason:
                live.store.add_endorsement(cid, token, final.id, kind, reason),
                code="response-finalised")
    assert [(e.member_id, e.kind) for e in live.store.list_endorsements(final.id)] == [
        (member.id, m.EndorsementKind.ENDORSE)]
    for v in (visit,):
        assert v.dialogs == [] and v.page_errors == []
