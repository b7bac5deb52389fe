"""A message appears where its button is, on a wide and on a phone-sized page (issue 12, item 4).

On the served facilitator page, "Create links for everyone not yet invited" (Roster &
invitations) reports right beside the button: the message's box starts less than a line below
the button's top, and is not far off to the side. On the member page the thanks sits beside
"Submit my position", and the statements not answered yet are named just above it. At 1280
and at 390 px wide. ``COP_WIDGETS_SHOTS=folder`` keeps a screenshot of each page there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from expect_or_skip import expect
from helpers import choose, member_statement

WIDTHS = (1280, 390)
#: How far (px) the top of a message may be below the top of its button: the button's row,
#: or the line under it when the row wraps on a phone.
NEAR = 80

pytestmark = pytest.mark.browser


def shot(page, name: str, near) -> None:
    """Keep a screenshot of the window around ``near`` when ``COP_WIDGETS_SHOTS`` is set."""
    folder = os.environ.get("COP_WIDGETS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        near.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def assert_near(button, message) -> None:
    # both boxes in one frame: the page may still be scrolling to the message, and two
    # separate bounding_box() calls would each see a different scroll position
    b, m = button.page.evaluate(
        "([b, m]) => [b, m].map(e => e.getBoundingClientRect().toJSON())",
        [button.element_handle(), message.element_handle()])
    assert 0 <= m["y"] - b["y"] < NEAR or abs(m["y"] - b["y"]) < b["height"], (b, m)
    assert m["x"] < b["x"] + b["width"] + 400, (b, m)  # on its row or just under it


def facilitator_link(live) -> str:
    found = re.search(r"Facilitator page: (\S+)", live.stdout.read_text())
    assert found, live.stdout.read_text()
    return found.group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_roster_reports_beside_create_links(live, open_page, width):
    def workbench(page):
        page.get_by_role("tab").first.wait_for(state="visible")

    visit = open_page(facilitator_link(live), ready=workbench)
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_role("tab", name=re.compile("Roster")).click()
    button = page.get_by_role("button", name="Create links for everyone not yet invited")
    button.click()
    message = page.locator(".cop-message-beside .cop-message").filter(
        has_text="Everyone already has a link")
    expect(message).to_be_visible()
    assert page.locator(".cop-message").filter(has_text="Everyone already").count() == 1
    assert_near(button, message)
    shot(page, f"roster-{width}", button)
    visit.assert_loopback_only()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_member_page_names_what_is_missing_and_thanks_beside_submit(
        live, open_page, make_consultation, width):
    seeded = make_consultation(members=1)
    member = seeded.members[0]
    visit = open_page(live.member_link(seeded.consultation.id, seeded.tokens[member.id]))
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    choose(page, 0, "Agree")
    notice = page.locator(".cop-unanswered-list")
    expect(notice).to_contain_text("Not answered yet: statements 2 and 3")
    expect(member_statement(page, 1).locator(".cop-unanswered-note")).to_be_visible()
    submit = page.get_by_role("button", name="Submit my position")
    nb, sb = notice.bounding_box(), submit.bounding_box()
    assert 0 < sb["y"] - (nb["y"] + nb["height"]) < NEAR  # read just before the button
    shot(page, f"member-unanswered-{width}", submit)
    submit.click()
    message = page.locator(".cop-member-page .cop-message")
    expect(message).to_contain_text("Left unanswered: statements 2 and 3.")
    assert_near(submit, message)
    shot(page, f"member-submitted-{width}", submit)
    visit.assert_loopback_only()
