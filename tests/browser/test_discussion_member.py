"""The member's side of the discussion in a real browser (issue 13, items 1, 2, 3 and 6).

A consultation of three members (A, B, C) who all submitted, with a reason each under the
first statement, and the discussion open: C's page under Voila shows A's and B's reasons,
never C's own; the toggle is found by its accessible name, exactly "Speaks for me too"
(ipywidgets renders a ToggleButton as a ``<button>``); pressing it marks the reason in the
store and the count follows. At 390 px and 1280 px the section fits its window (measured as
``test_fit.py`` measures) and is photographed into ``$COP_WIDGETS_FIT_SHOTS`` (default:
pytest's temporary folder), to be looked at; axe-core finds nothing serious or critical on
the page with the discussion shown, on B's page in French (``&lang=fr``), on a page that
waits for its member to submit ("open once you submit") and on where the member stands.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_check import axe_scan, describe
from expect_or_skip import expect
from fit_measure import MEASURE

from cop_widgets import model as m
from cop_widgets.i18n import translator
from cop_widgets.services.deliberation import open_discussion

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
_fr = translator("fr")
#: What a French page says for these English msgids.
FRENCH = {text: _fr(text) for text in ("What other members said", "Speaks for me too")}
REASONS = ("A: one voice is <b>stronger</b> than thirty letters to the ministry",
           "B: we do not have the evidence yet; a joint statement now would be guesswork",
           "C: my own reason, which I must never be shown")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("COP_WIDGETS_FIT_SHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("discussion-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def discussing(live, make_consultation):
    """A fresh consultation: A, B and C submitted a reason each; the discussion is open."""
    seeded = make_consultation(members=3, title="Should our network publish a joint "
                                                "statement this term?")
    cid = seeded.consultation.id
    stances = ((5, 4, 2), (1, 2, None), (4, 4, 4))
    for member, levels, reason in zip(seeded.members, stances, REASONS, strict=True):
        live.store.save_card(cid, seeded.tokens[member.id], [
            {"statement_id": s.id, "stance": level, "rationale": reason if i == 0 else ""}
            for i, (s, level) in enumerate(zip(seeded.statements, levels, strict=True))],
            status=m.CardStatus.SUBMITTED)
    open_discussion(live.store, cid)
    return seeded


def open_member(open_page, rendered, url: str, width: int):
    visit = open_page(url, ready=None, navigate=False)
    visit.page.set_viewport_size({"width": width, "height": 900})
    visit.page.goto(url)
    rendered(visit.page)
    visit.page.locator(".cop-discussion .cop-speaks-for-me").first.wait_for(state="visible")
    return visit


def photograph(page, path: Path, part: str = ".cop-discussion") -> None:
    """The whole page, and ``part`` of it in pieces of 900 px, each legible on its own.

    Voila scrolls inside #rendered_cells, so the window grows to the page first.
    """
    size = page.viewport_size
    height = page.evaluate("() => Math.max(document.documentElement.scrollHeight, "
                           "document.querySelector('#rendered_cells')?.scrollHeight || 0)")
    page.set_viewport_size({"width": size["width"], "height": min(height + 40, 16000)})
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    box = page.locator(part).first.bounding_box()
    top, piece = box["y"], 0
    while top < box["y"] + box["height"]:
        high = min(900, box["y"] + box["height"] - top)
        page.screenshot(path=str(path.with_name(f"{path.stem}-part{piece}.png")),
                        clip={"x": 0, "y": top, "width": size["width"], "height": high})
        top, piece = top + high, piece + 1
    page.set_viewport_size(size)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_marks_a_reason_that_speaks_for_them(live, make_consultation, open_page,
                                                      rendered, shots, width):
    seeded = discussing(live, make_consultation)
    cid = seeded.consultation.id
    a, b, c = seeded.members
    visit = open_member(open_page, rendered, live.member_link(cid, seeded.tokens[c.id]), width)
    page = visit.page
    section = page.locator(".cop-discussion")
    expect(section.get_by_role("heading", name="What other members said")).to_be_visible()
    expect(section).to_contain_text("A: one voice is <b>stronger</b> than thirty letters")
    expect(section).to_contain_text("B: we do not have the evidence yet")
    expect(section).not_to_contain_text("my own reason")
    assert section.locator("b").count() == 0  # member text stays text
    toggles = page.get_by_role("button", name="Speaks for me too", exact=True)
    expect(toggles).to_have_count(2)  # A's and B's reasons; none of C's own
    reason = section.locator(".cop-reason", has_text="A: one voice")
    toggle = reason.get_by_role("button", name="Speaks for me too", exact=True)
    expect(reason).to_contain_text("Nobody has marked it yet.")
    toggle.click()
    expect(reason).to_contain_text("Marked by 1 member: you.")
    expect(toggle).to_have_class(re.compile(r"\bmod-active\b"))
    record = live.store.discussion_record(cid)
    assert record.endorsements == [((seeded.statements[0].id, a.id), c.id)]
    page.wait_for_timeout(500)  # ipywidgets lays out after the last message
    found = page.evaluate(MEASURE, ".cop-discussion")
    photograph(page, shots / f"discussion-member-{width}.png")
    assert found["checked"] > 10, "nothing was measured"
    assert not found["problems"], "\n".join(found["problems"])
    failing = axe_scan(page, f"the member page with the discussion, {width} px")
    assert not failing, [f"{v['id']} ({v['impact']})" for v in failing]
    assert not visit.page_errors, visit.page_errors


def test_a_member_replies_and_changes_their_answer_in_the_browser(
        live, make_consultation, open_page, rendered):
    seeded = discussing(live, make_consultation)
    cid = seeded.consultation.id
    a, b, c = seeded.members
    first = seeded.statements[0].id
    page = open_member(open_page, rendered, live.member_link(cid, seeded.tokens[c.id]),
                       1280).page
    here = page.locator(".cop-discussion-statement").first
    here.get_by_label("Reply to", exact=True).select_option(label="Reason 1")
    here.get_by_label("Your reply: a question or a counterpoint").fill(
        "Which voice: the board's or ours?")
    here.get_by_role("button", name="Send reply", exact=True).click()
    expect(here).to_contain_text("waits for the facilitator")
    [reply] = live.store.discussion_record(cid).replies
    assert reply.reason == (first, a.id) and reply.text == "Which voice: the board's or ours?"
    here.get_by_label("Your new answer", exact=True).select_option(label="Disagree")
    here.get_by_label("What changed your mind?", exact=True).select_option(label="Reason 2")
    here.get_by_role("button", name="Save my new answer", exact=True).click()
    expect(here).to_contain_text("Your answer on statement 1 is now: Disagree.")
    expect(here).to_contain_text("Your answer: Disagree.")
    record = live.store.discussion_record(cid)
    assert [(x.member_id, x.reason) for x in record.credits] == [(c.id, (first, b.id))]
    assert [r.stance for r in record.revisions
            if r.member_id == c.id and r.statement_id == first] == [4, 2]
    # the card above shows the new answer too
    card_row = page.locator(".cop-statement").first
    expect(card_row.get_by_role("radio", name="Disagree", exact=True)).to_be_checked()
    # B reads C's reply only once the facilitator accepted it: B's page in French
    live.store.moderate_reply(reply.id, m.ModerationState.ACCEPTED)
    other = open_member(open_page, rendered,
                        live.member_link(cid, seeded.tokens[b.id]) + "&lang=fr", 1280).page
    section = other.locator(".cop-discussion")
    expect(section.locator(".cop-replies")).to_contain_text(
        "Which voice: the board's or ours?")
    expect(section.get_by_role("heading", name=FRENCH["What other members said"])
           ).to_be_visible()
    expect(section.get_by_role("button", name=FRENCH["Speaks for me too"], exact=True)
           ).to_have_count(2)  # A's and C's reasons
    assert other.evaluate("document.documentElement.lang") == "fr"
    failing = axe_scan(other, "a member's discussion in French")
    assert not failing, describe(failing)


def test_where_you_stand_beside_the_community(live, make_consultation, open_page, rendered,
                                              shots):
    """The sixth member's page: the waiting line before submitting, where they stand after.

    Five members submitted and the discussion is open; the sixth has only a draft (the
    card filled in), so their page says the reasons open once they submit. Submitted in
    the browser, the page shows other members' reasons and where the member stands. axe
    scans both.
    """
    seeded = make_consultation(members=6, title="Where do I stand?")
    cid = seeded.consultation.id
    ids = [member.id for member in seeded.members]
    groups = {}
    for i, member_id in enumerate(ids):
        agrees = i < 3 or i == 5
        live.store.save_card(cid, seeded.tokens[member_id], [
            {"statement_id": s.id, "stance": (5 if agrees else 1) if i < 5 else 4,
             "rationale": f"Reason {i}"} for s in seeded.statements],
            status=m.CardStatus.SUBMITTED if i < 5 else m.CardStatus.DRAFT)
        groups[member_id] = "A" if agrees else "B"
    live.store.open_discussion(cid, groups, "opinion",
                               apart={"A": [[seeded.statements[1].id, "agree", 0.8]]})
    visit = open_page(live.member_link(cid, seeded.tokens[ids[5]]), ready=None,
                      navigate=False)
    page = visit.page
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live.member_link(cid, seeded.tokens[ids[5]]))
    rendered(page)
    waiting = page.locator(".cop-discussion .cop-discussion-waiting")
    expect(waiting).to_have_text(
        "Other members' reasons open here once you submit your position.")
    expect(page.locator(".cop-speaks-for-me")).to_have_count(0)
    failing = axe_scan(page, "a member's page before submitting, the discussion open")
    assert not failing, describe(failing)
    page.get_by_role("button", name="Submit my position", exact=True).click()
    page.locator(".cop-discussion .cop-speaks-for-me").first.wait_for(state="visible")
    expect(waiting).to_have_count(0)
    stand = page.locator(".cop-where-you-stand")
    expect(stand).to_contain_text("Your answers are closest to Group A (4 members).")
    expect(stand).to_contain_text("Most of Group A agree with statement 2: 80%")
    failing = axe_scan(page, "where you stand, 390 px")
    assert not failing, describe(failing)
    photograph(page, shots / "where-you-stand-390.png", ".cop-where-you-stand")
    found = page.evaluate(MEASURE, ".cop-discussion")
    assert not found["problems"], "\n".join(found["problems"])
    assert not visit.page_errors, visit.page_errors
