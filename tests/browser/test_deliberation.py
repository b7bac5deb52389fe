"""Issue 13's Done-when in the browser: three members meet each other's reasons.

A real ``cop-widgets serve`` serves the facilitator page and the members' pages to Debian's
chromium. Members A, B and C of an anonymous consultation have submitted their cards, each
with a reason under statement 1 (A disagrees; B and C agree). Then:

1. the facilitator clicks "Open the discussion" in the Discussion tab;
2. B and C each see A's reason, and never their own;
3. C marks A's reason "Speaks for me too" (the toggle found by that exact accessible name),
   replies to it, and changes their answer, crediting it;
4. the facilitator accepts the reply, and sees the mark's count and A's reason ranked first
   by bridging in the Discussion tab, and C's move in the Divergence tab's "What we learned
   from each other";
5. B, opening the page again, reads the accepted reply under A's reason.

No page names a member: the consultation is anonymous. axe-core finds nothing serious or
critical on the member's discussion, on the Discussion tab before the discussion opens,
with a reply waiting (its Accept and Reject buttons) and after it is accepted, or on the
Divergence tab's panel.
"""

from __future__ import annotations

import re

import pytest
from axe_check import axe_scan, describe
from expect_or_skip import expect

from cop_widgets import model as m

pytestmark = pytest.mark.browser

REASON_A = "Tutors need a year to learn the tools before learners meet them."
REASON_B = "The learners are waiting for this now."
REASON_C = "Our network already tried it in two centres."
REPLY = "Which tools did the tutors try in that year?"
#: How long a click in the facilitator page may take to report (2 busy cores).
REPORT_MS = 30_000


def submit(store, seeded, member, stance: int, reason: str) -> None:
    """Save ``member``'s submitted card: ``stance`` and ``reason`` on statement 1, Agree after."""
    first, *others = seeded.statements
    store.save_card(seeded.consultation.id, seeded.tokens[member.id],
                    [m.StanceResponse(first.id, stance, reason)]
                    + [m.StanceResponse(s.id, 4) for s in others])


def facilitator_page(live, open_page):
    found = re.search(r"Facilitator page: (\S+)", live.stdout.read_text())
    assert found, live.stdout.read_text()
    visit = open_page(found.group(1), ready=None)
    visit.page.get_by_role("tab", name="Discussion").wait_for(state="visible")
    return visit


def open_tab(page, title: str) -> None:
    """Show the tab ``title``, built or refreshed as a click on it does."""
    page.get_by_role("tab", name="Intake").click()  # leave it, so coming back refreshes it
    page.get_by_role("tab", name=title).click()


def first_statement(live, open_page, rendered, seeded, member):
    visit = open_page(live.member_link(seeded.consultation.id, seeded.tokens[member.id]))
    rendered(visit.page)
    box = visit.page.locator(".cop-discussion-statement").first
    expect(box).to_be_visible()
    return visit, box


def assert_names_nobody(visit, seeded) -> None:
    text = visit.page.locator("body").inner_text()
    for member in seeded.members:
        assert member.name not in text, member.name


def test_three_members_meet_each_others_reasons(live, open_page, rendered, make_consultation):
    seeded = make_consultation(members=3, title="Three members discuss their reasons")
    assert seeded.consultation.anonymous
    cid = seeded.consultation.id
    a, b, c = seeded.members
    submit(live.store, seeded, a, 2, REASON_A)  # Disagree
    submit(live.store, seeded, b, 4, REASON_B)  # Agree
    submit(live.store, seeded, c, 4, REASON_C)  # Agree

    # 1. the facilitator opens the discussion (the newest consultation is the one shown)
    desk = facilitator_page(live, open_page)
    facilitator = desk.page
    expect(facilitator.get_by_label("Consultation", exact=True).locator("option:checked")
           ).to_contain_text(seeded.consultation.title)
    facilitator.get_by_role("tab", name="Discussion").click()
    tab = facilitator.locator(".cop-discussion-tab")
    expect(tab).to_contain_text("The discussion has not been opened", timeout=REPORT_MS)
    expect(tab).to_contain_text("Reasons are ranked here once the discussion is open.")
    failing = axe_scan(facilitator, "the Discussion tab before the discussion opens")
    assert not failing, describe(failing)
    facilitator.get_by_role("button", name="Open the discussion").click()
    expect(tab).to_contain_text("has been open since", timeout=REPORT_MS)
    assert live.store.get_discussion(cid).is_open

    # 2. B and C see A's reason, and never their own
    seen_by_b, box = first_statement(live, open_page, rendered, seeded, b)
    expect(box).to_contain_text(REASON_A)
    expect(box).to_contain_text(REASON_C)
    expect(box).not_to_contain_text(REASON_B)
    assert_names_nobody(seen_by_b, seeded)
    seen_by_c, box = first_statement(live, open_page, rendered, seeded, c)
    page = seen_by_c.page
    expect(box).to_contain_text(REASON_A)
    expect(box).to_contain_text(REASON_B)
    expect(box).not_to_contain_text(REASON_C)

    # 3. C marks A's reason, replies to it, and changes their answer crediting it
    reason_a = box.locator(".cop-reason").filter(has_text=REASON_A)
    label = re.match(r"(.+?)\.", reason_a.locator(".cop-reason-text strong").inner_text())
    assert label, reason_a.inner_text()
    label = label.group(1)  # "Reason 1" or "Reason 2", by the secret's order
    toggle = reason_a.get_by_role("button", name="Speaks for me too", exact=True)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(reason_a.locator(".cop-reason-count")).to_contain_text("Marked by 1 member: you.")
    box.get_by_label("Reply to").select_option(label=label)
    box.get_by_label("Your reply: a question or a counterpoint").fill(REPLY)
    box.get_by_role("button", name="Send reply").click()
    expect(box.locator(".cop-message")).to_contain_text("waits for the facilitator")
    box.get_by_label("Your new answer").select_option(label="Neither agree nor disagree")
    box.get_by_label("What changed your mind?").select_option(label=label)
    box.get_by_role("button", name="Save my new answer").click()
    expect(box.locator(".cop-message")).to_contain_text("is now: Neither agree nor disagree")
    failing = axe_scan(page, "a member's discussion after marking, replying and revising")
    assert not failing, describe(failing)
    assert_names_nobody(seen_by_c, seeded)
    revisions = live.store.list_card_revisions(cid, c.id)
    assert [r.responses[0].stance for r in revisions if r.responses][-2:] == [4, 3]

    # 4. the facilitator accepts the reply, and sees the count, the rank and the change
    open_tab(facilitator, "Discussion")
    waiting = tab.locator(".cop-reply").filter(has_text=REPLY)
    expect(waiting).to_be_visible(timeout=REPORT_MS)
    expect(tab.get_by_role("button", name="Reject")).to_have_count(1)
    failing = axe_scan(facilitator, "the Discussion tab with a reply waiting (Accept, Reject)")
    assert not failing, describe(failing)
    tab.get_by_role("button", name="Accept").first.click()
    expect(tab.locator(".cop-reply").filter(has_text=REPLY)).to_have_count(
        0, timeout=REPORT_MS)
    first_row = tab.locator("table.cop-ranking tbody tr").first
    expect(first_row).to_contain_text(REASON_A)
    # the ranking is redrawn after the reply's row goes: its accepted replies reach 1
    expect(first_row.locator("td, th").nth(6)).to_have_text("1", timeout=REPORT_MS)
    cells = first_row.locator("td, th").all_inner_texts()
    # rank, statement, side, reason, shown, marks, accepted replies, bridging
    assert cells[0].strip() == "1" and cells[2].strip() == "disagree", cells
    assert [cell.strip() for cell in cells[4:8]] == ["2", "1", "1", "0.50"], cells
    failing = axe_scan(facilitator, "the Discussion tab")
    assert not failing, describe(failing)
    open_tab(facilitator, "Divergence")
    learned = facilitator.locator("table.cop-learned").first
    expect(learned).to_be_visible(timeout=REPORT_MS)
    everyone = learned.locator("tbody tr").first.locator("td").all_inner_texts()
    # compared, moved, toward agreement, toward disagreement, net toward agreement
    assert everyone[:4] == ["2", "1", "0", "1"] and re.fullmatch(r"[-−]1", everyone[4]), \
        everyone
    expect(learned).to_contain_text("Agree → Neither agree nor disagree: 1")
    panel = facilitator.locator(".widget-html-content").filter(has=learned)
    expect(panel).to_contain_text(REASON_A)  # the reason credited with C's change
    failing = axe_scan(facilitator, "the Divergence tab with what we learned")
    assert not failing, describe(failing)
    assert_names_nobody(desk, seeded)

    # 5. B reads the accepted reply under A's reason
    seen_again, box = first_statement(live, open_page, rendered, seeded, b)
    expect(box.locator(".cop-reason").filter(has_text=REASON_A)).to_contain_text(REPLY)
    assert_names_nobody(seen_again, seeded)
    for visit in (desk, seen_by_b, seen_by_c, seen_again):
        assert visit.page_errors == [], visit.page_errors
