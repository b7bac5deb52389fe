"""A Delphi round-2 card, filled in Debian's chromium against a real server."""

from __future__ import annotations

import pytest
from expect_or_skip import expect
from helpers import choose, member_statement

pytestmark = pytest.mark.browser


def test_round_two_card_shows_round_one_and_keeps_both(live, open_page, make_consultation):
    seeded = make_consultation(members=3)
    cid = seeded.consultation.id
    s1, s2, s3 = (s.id for s in seeded.statements)
    (a, ta), (b, tb), _ = list(seeded.tokens.items())
    store = live.store
    store.save_card(cid, ta, [{"statement_id": s1, "stance": 5, "rationale": "Needed."},
                              {"statement_id": s2, "stance": 2}])
    store.save_card(cid, tb, [{"statement_id": s1, "stance": 1}])
    store.add_round(cid)

    visit = open_page(live.member_link(cid, ta))
    page = visit.page
    root = page.locator(".cop-member-page")
    expect(root).to_contain_text("Round 2.")
    first = member_statement(page, 0)
    expect(first).to_contain_text("Round 1: Strongly agree 1 (50%)")
    expect(first).to_contain_text("Strongly disagree 1 (50%)")
    expect(first).to_contain_text("Your stance then: Strongly agree")
    expect(member_statement(page, 2)).to_contain_text("you did not answer")
    # the round-1 answers are the starting point; the member moves on statement 1
    expect(first.get_by_role("radio", name="Strongly agree", exact=True)).to_be_checked()
    choose(page, 0, "Agree")
    choose(page, 2, "Disagree")
    member_statement(page, 2).get_by_label("Why? (optional)").fill("Changed my mind after round 1.")
    page.get_by_role("button", name="Submit my position").click()
    expect(page.locator(".cop-member-page .cop-message")).to_contain_text(
        "Thank you: your position is submitted")

    round2 = store.get_card(cid, ta)
    round1 = store.get_card(cid, ta, round_number=1)
    assert {r.statement_id: r.stance for r in round1.responses} == {s1: 5, s2: 2}
    assert {r.statement_id: r.stance for r in round2.responses} == {s1: 4, s2: 2, s3: 2}
    assert {r.statement_id: r.rationale for r in round2.responses}[s3] == \
        "Changed my mind after round 1."
    assert store.count_respondents(cid, 1) == 2 and store.count_respondents(cid, 2) == 1
    assert visit.dialogs == [] and visit.page_errors == []
