"""Issue 12, item 2, end to end in the browser: the joint response's three steps.

A real ``cop-widgets serve`` serves the facilitator page and the members' pages to Debian's
chromium. In the facilitator page's Joint response tab the facilitator clicks "Save
privately as a new version", "Put version 2 to the members" and "Finalise version 2"
(asked twice). The member's endorsement page shows nothing of a private version, answers
the version put to the members, and, once it is final, shows it final with its date; an
answer sent from a page left open is refused, and the store refuses any later answer by its
code.
"""

from __future__ import annotations

import re

import pytest
from expect_or_skip import expect
from helpers import refused

from cop_widgets import model as m
from cop_widgets.i18n import format_datetime
from cop_widgets.links import endorse_link

pytestmark = pytest.mark.browser

ENDORSE_ROOT = ".cop-endorse-page"
PRIVATE = "Private words the members must not read yet."
SHARED = "We ask the ministry for a pilot in two regions."
#: How long a click in the facilitator page may take to report (2 busy cores).
REPORT_MS = 30_000


def open_endorsement(open_page, url):
    visit = open_page(url, ready=None)
    visit.page.locator(ENDORSE_ROOT).first.wait_for(state="visible")
    return visit


def open_desk(live, open_page, title: str):
    """The facilitator page (its printed link), on the Joint response tab of ``title``."""
    found = re.search(r"Facilitator page: (\S+)", live.stdout.read_text())
    assert found, live.stdout.read_text()
    visit = open_page(found.group(1), ready=None)
    page = visit.page
    page.get_by_role("tab", name="Joint response").click()
    # the newest consultation is the one shown: the one this test made
    expect(page.get_by_label("Consultation", exact=True).locator("option:checked")).to_contain_text(
        title)
    return visit


def save_privately(page, words: str) -> None:
    page.get_by_label("Points of consensus").fill(words)
    page.get_by_role("button", name="Save privately as a new version").click()


def test_save_privately_put_to_the_members_then_finalise(live, open_page, make_consultation):
    title = "A response in three steps"
    seeded = make_consultation(members=3, title=title)
    cid = seeded.consultation.id
    member, other = seeded.members[0], seeded.members[1]
    link = endorse_link(live.base_url, cid, seeded.tokens[member.id])
    desk = open_desk(live, open_page, title)
    facilitator = desk.page
    said = facilitator.locator(".cop-drafting .cop-message")

    # 1. saved privately: the member's endorsement page shows nothing of it
    save_privately(facilitator, PRIVATE)
    expect(said.filter(has_text="Saved version 1 privately")).to_be_visible(timeout=REPORT_MS)
    assert live.store.list_drafts(cid)[-1].shared_at is None
    visit = open_endorsement(open_page, link)
    root = visit.page.locator(ENDORSE_ROOT)
    expect(root).to_contain_text("There is no draft to read yet")
    expect(root).not_to_contain_text(PRIVATE)
    assert visit.page.get_by_role("radio").count() == 0

    # 2. version 2 put to the members: the member reads it and endorses it
    save_privately(facilitator, SHARED)
    expect(said.filter(has_text="Saved version 2 privately")).to_be_visible(timeout=REPORT_MS)
    facilitator.get_by_role("button", name="Put version 2 to the members").click()
    expect(said.filter(has_text="Version 2 is now put to the members")).to_be_visible(
        timeout=REPORT_MS)
    visit = open_endorsement(open_page, link)
    page = visit.page
    expect(page.locator(ENDORSE_ROOT)).to_contain_text(SHARED)
    expect(page.locator(ENDORSE_ROOT)).to_contain_text("Draft joint response, version 2.")
    expect(page.locator(ENDORSE_ROOT)).not_to_contain_text(PRIVATE)
    page.get_by_role("radio", name="I endorse it").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(f"{ENDORSE_ROOT} .cop-message")).to_contain_text("Thank you")
    facilitator.get_by_role("button", name="Refresh the tally").click()
    expect(facilitator.locator(".cop-drafting")).to_contain_text("Version 2:")

    # 3. finalised, asked twice: the first click only warns
    finalise = facilitator.get_by_role("button", name="Finalise version 2")
    finalise.click()
    expect(said.filter(has_text="Click Finalise again to confirm")).to_be_visible(
        timeout=REPORT_MS)
    assert not live.store.get_draft(cid).final
    finalise.click()
    expect(said.filter(has_text="Version 2 is the final joint response")).to_be_visible(
        timeout=REPORT_MS)
    expect(facilitator.get_by_role("button", name="Finalise version 2")).to_have_count(0)
    final = live.store.get_draft(cid)
    assert final.final and final.version == 2
    assert live.store.get_consultation(cid).status is m.ConsultationStatus.CLOSED
    assert [(e.member_id, e.kind) for e in live.store.list_endorsements(final.id)] == [
        (member.id, m.EndorsementKind.ENDORSE)]

    # the member's page left open refuses a change; a fresh page shows the response final
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
    for v in (visit, desk):
        assert v.dialogs == [] and v.page_errors == []
