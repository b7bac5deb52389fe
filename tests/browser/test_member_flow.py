"""The member's journey through a real browser: open the link, answer, submit, revise.

Every page opens in its own browser context (as each member has their own device); what the
browser did is checked against what the store holds afterwards.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest
from expect_or_skip import expect
from helpers import (
    GATE_REFUSAL,
    choose,
    gate_refused,
    member_message,
    member_statement,
    status_of,
)

from cop_widgets import model as m

pytestmark = pytest.mark.browser

#: likert5 labels as members read them, and the value the store keeps (pass: None).
STANCES = {
    "Strongly agree": 5,
    "Agree": 4,
    "Neither agree nor disagree": 3,
    "Disagree": 2,
    "Strongly disagree": 1,
    "Pass / unsure": None,
}
THANK_YOU = "Thank you: your position is submitted"
REFUSAL = "This link does not open a position card."
XSS_PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
)


# -- page helpers -------------------------------------------------------------------------


def why(page, index: int):
    return member_statement(page, index).get_by_label("Why? (optional)")


def fill_card(page, answers, concerns: str = "", impact: str = "") -> None:
    """``answers``: one ``(label or None, rationale)`` per statement, in card order."""
    for index, (label, rationale) in enumerate(answers):
        if label is not None:
            choose(page, index, label)
        if rationale:
            why(page, index).fill(rationale)
    if concerns:
        page.get_by_label("Overall concerns (optional)").fill(concerns)
    if impact:
        page.get_by_label("Impact on your own practice (optional)").fill(impact)


def submit(page, wait: bool = True) -> None:
    page.get_by_role("button", name="Submit my position").click()
    if wait:
        expect(member_message(page)).to_contain_text(THANK_YOU)


def expect_prefilled(page, answers, concerns: str = "", impact: str = "") -> None:
    for index, (label, rationale) in enumerate(answers):
        row = member_statement(page, index)
        for option in STANCES:
            radio = row.get_by_role("radio", name=option, exact=True)
            if option == label:
                expect(radio).to_be_checked()
            else:
                expect(radio).not_to_be_checked()
        expect(why(page, index)).to_have_value(rationale)
    expect(page.get_by_label("Overall concerns (optional)")).to_have_value(concerns)
    expect(page.get_by_label("Impact on your own practice (optional)")).to_have_value(impact)


def stored(card: m.PositionCard) -> dict[int, tuple[int | None, str]]:
    return {r.statement_id: (r.stance, r.rationale) for r in card.responses}


def expected(statements, answers) -> dict[int, tuple[int | None, str]]:
    return {s.id: (STANCES[label], rationale)
            for s, (label, rationale) in zip(statements, answers, strict=True)
            if label is not None}


def no_errors(visit) -> None:
    assert visit.dialogs == [], visit.dialogs
    assert visit.page_errors == [], visit.page_errors
    assert visit.console_errors == [], visit.console_errors


# -- tests --------------------------------------------------------------------------------


def test_three_members_answer_at_the_same_time(live, open_page, make_consultation, rendered):
    seeded = make_consultation(members=4)
    cid, statements = seeded.consultation.id, seeded.statements
    silent = seeded.members[3]
    plans = [
        (seeded.members[0],
         [("Strongly agree", "Our tutors asked for this."), ("Disagree", ""),
          ("Pass / unsure", "Not my area.")],
         "Workload.", "I would plan sessions differently."),
        (seeded.members[1],
         [("Agree", ""), ("Agree", "Training matters, café included."),
          ("Strongly disagree", "Paperwork only grows.")],
         "", ""),
        (seeded.members[2],
         [("Neither agree nor disagree", "Depends on the region."),
          ("Strongly agree", "We saw it work in 2024."), ("Agree", "")],
         "", "None for now."),
    ]
    # Open every link first, in its own context: the three kernels start together.
    visits = [open_page(live.member_link(cid, seeded.tokens[member.id]), ready=None,
                        wait_until="commit")
              for member, *_ in plans]
    for visit in visits:
        rendered(visit.page)
        expect(visit.page.locator(".cop-member-page .cop-card")).to_be_visible()
        expect(visit.page.locator(".cop-member-page")).not_to_contain_text("Welcome back")
    for visit, (_member, answers, concerns, impact) in zip(visits, plans, strict=True):
        fill_card(visit.page, answers, concerns, impact)
    for visit in visits:  # three clicks before any answer comes back
        submit(visit.page, wait=False)
    for visit in visits:
        expect(member_message(visit.page)).to_contain_text(THANK_YOU)
        expect(member_message(visit.page)).to_contain_text("(version 1)")
        expect(visit.page.locator(".cop-member-page")).to_contain_text(
            "Where the community stands")
        no_errors(visit)

    store = live.store
    for member, answers, concerns, impact in plans:
        card = store.get_card(cid, seeded.tokens[member.id], include_drafts=False)
        assert card is not None, member.name
        assert card.member_id == member.id
        assert card.status is m.CardStatus.SUBMITTED
        assert card.revision == 1
        assert stored(card) == expected(statements, answers)
        assert (card.concerns, card.impact) == (concerns, impact)
        assert len(store.list_card_revisions(cid, member.id)) == 1
    assert store.get_card(cid, seeded.tokens[silent.id]) is None
    assert store.count_respondents(cid) == 3
    assert store.count_cards(cid) == 3
    frame = store.responses_frame(cid)
    assert len(frame) == 9
    assert set(frame["member_id"]) == {member.id for member, *_ in plans}


def test_member_revises_and_both_revisions_are_kept(live, open_page, make_consultation,
                                                    rendered):
    seeded = make_consultation(members=1)
    cid, statements, member = seeded.consultation.id, seeded.statements, seeded.members[0]
    first = [("Agree", "First thoughts."), ("Strongly disagree", ""), (None, "")]
    second = [("Disagree", "Changed my mind after the meeting."), ("Strongly disagree", ""),
              (None, "")]

    visit = open_page(live.member_link(cid, seeded.tokens[member.id]))
    page = visit.page
    fill_card(page, first, concerns="Time.")
    submit(page)
    expect(member_message(page)).to_contain_text("(version 1)")

    page.reload()
    rendered(page)
    expect(page.locator(".cop-member-page")).to_contain_text("Welcome back")
    expect(page.locator(".cop-member-page")).to_contain_text("submitted")
    expect_prefilled(page, first, concerns="Time.")
    choose(page, 0, "Disagree")
    why(page, 0).fill(second[0][1])
    submit(page)
    expect(member_message(page)).to_contain_text("(version 2)")
    no_errors(visit)

    revisions = live.store.list_card_revisions(cid, member.id)
    assert [c.revision for c in revisions] == [1, 2]
    assert all(c.status is m.CardStatus.SUBMITTED for c in revisions)
    assert stored(revisions[0]) == expected(statements, first)
    assert stored(revisions[1]) == expected(statements, second)
    assert [c.concerns for c in revisions] == ["Time.", "Time."]
    latest = live.store.get_card(cid, seeded.tokens[member.id], include_drafts=False)
    assert latest.revision == 2
    frame = live.store.responses_frame(cid)
    assert set(frame["revision"]) == {2}
    assert live.store.count_respondents(cid) == 1


def _refusal_url(live, make_consultation, case: str) -> tuple[str, str]:
    seeded = live.seeded
    cid = seeded.consultation.id
    base = f"{live.base_url}/voila/render/member.ipynb"
    if case == "forged":
        return (live.member_link(cid, secrets.token_urlsafe(24)),
                "The invitation code is not valid for this consultation.")
    if case == "missing":
        return f"{base}?c={cid}", "The link has no invitation code."
    if case == "empty":
        return f"{base}?c={cid}&t=", "The link has no invitation code."
    if case == "revoked":
        other = make_consultation(members=1)
        member = other.members[0]
        assert live.store.revoke_invitation(member.id) == 1
        return (live.member_link(other.consultation.id, other.tokens[member.id]),
                "This invitation has been revoked.")
    if case == "other-consultation":
        other = make_consultation(members=1)
        return (live.member_link(cid, other.tokens[other.members[0].id]),
                "The invitation code is not valid for this consultation.")
    if case == "unknown-consultation":
        token = next(iter(seeded.tokens.values()))
        return (live.member_link(999_999, token),
                "The consultation in the link does not exist.")
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["forged", "missing", "empty", "revoked",
                                  "other-consultation", "unknown-consultation"])
def test_bad_link_sees_a_refusal_and_no_form(live, open_page, make_consultation, case):
    """The server's gate answers a bad link before any kernel starts (issue 11, item 1)."""
    url, reason = _refusal_url(live, make_consultation, case)
    cards_before = live.store.count_cards(live.seeded.consultation.id)
    visit = open_page(url, ready=gate_refused)
    page = visit.page
    assert status_of(page) == 403
    refusal = page.locator(GATE_REFUSAL)
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(REFUSAL)
    expect(refusal).to_contain_text(reason)
    assert page.locator("input, button, textarea").count() == 0
    assert visit.websockets == []  # no kernel
    assert visit.dialogs == [] and visit.page_errors == []
    # the browser reports the 403 of the document itself, and nothing else
    assert all("403" in error for error in visit.console_errors), visit.console_errors
    assert live.store.count_cards(live.seeded.consultation.id) == cards_before


def test_html_in_a_rationale_stays_text_on_the_results_page(live, open_page,
                                                           make_consultation, rendered):
    seeded = make_consultation(members=2)
    cid, statements, member = seeded.consultation.id, seeded.statements, seeded.members[0]
    token = seeded.tokens[member.id]
    answers = [("Agree", XSS_PAYLOADS[0]), ("Disagree", XSS_PAYLOADS[1]),
               ("Pass / unsure", XSS_PAYLOADS[2])]
    concerns = " ".join(XSS_PAYLOADS)

    visit = open_page(live.member_link(cid, token))
    fill_card(visit.page, answers, concerns=concerns)
    submit(visit.page)
    visit.page.wait_for_timeout(500)
    no_errors(visit)
    card = live.store.get_card(cid, token, include_drafts=False)
    assert stored(card) == expected(statements, answers)
    assert card.concerns == concerns

    results = open_page(f"{live.results_link(cid)}&t={token}", ready=lambda p: rendered(
        p, ".cop-results-page"))
    page = results.page
    root = page.locator(".cop-results-page")
    expect(root).to_contain_text("Reasons members gave")
    quotes = root.locator("q")
    expect(quotes).to_have_count(len(XSS_PAYLOADS))
    assert sorted(q.text_content() for q in quotes.all()) == sorted(XSS_PAYLOADS)
    page.wait_for_timeout(1000)  # time for an injected onerror/onload to fire
    assert root.locator("img, svg, script, iframe, object, embed").count() == 0
    assert root.locator("q *").count() == 0
    handlers = root.evaluate(
        "el => [el, ...el.querySelectorAll('*')].filter("
        "e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length")
    assert handlers == 0
    no_errors(results)


def test_saved_draft_is_prefilled_and_not_counted(live, open_page, make_consultation, rendered):
    seeded = make_consultation(members=1)
    cid, statements, member = seeded.consultation.id, seeded.statements, seeded.members[0]
    token = seeded.tokens[member.id]
    answers = [("Neither agree nor disagree", "Still thinking."), (None, ""),
               ("Strongly agree", "")]

    visit = open_page(live.member_link(cid, token))
    page = visit.page
    fill_card(page, answers, concerns="Time.", impact="Fewer forms.")
    page.get_by_role("button", name="Save draft").click()
    expect(member_message(page)).to_contain_text("Draft saved. It is not submitted yet.")
    expect(page.locator(".cop-member-page .cop-message.cop-ok")).to_be_visible()
    expect(page.locator(".cop-member-page")).not_to_contain_text("Where the community stands")

    page.reload()
    rendered(page)
    expect(page.locator(".cop-member-page")).to_contain_text("Welcome back")
    expect(page.locator(".cop-member-page")).to_contain_text("(draft,")
    expect_prefilled(page, answers, concerns="Time.", impact="Fewer forms.")
    no_errors(visit)

    store = live.store
    assert store.get_card(cid, token, include_drafts=False) is None
    draft = store.get_card(cid, token)
    assert draft.status is m.CardStatus.DRAFT
    assert draft.revision == 1
    assert stored(draft) == expected(statements, answers)
    assert (draft.concerns, draft.impact) == ("Time.", "Fewer forms.")
    assert len(store.list_card_revisions(cid, member.id)) == 1
    assert store.count_respondents(cid) == 0
    assert store.responses_frame(cid).empty

    # A draft does not admit its author to the results either.
    results = open_page(f"{live.results_link(cid)}&t={token}",
                        ready=lambda p: rendered(p, ".cop-results-page"))
    expect(results.page.locator(".cop-results-page")).to_contain_text("not published yet")
    assert results.page.locator(".cop-results-page q").count() == 0


def test_no_page_load_leaves_loopback(live, open_page, make_consultation, rendered):
    seeded = make_consultation(members=2)
    cid = seeded.consultation.id
    answered = seeded.members[0]
    live.store.save_card(cid, seeded.tokens[answered.id],
                         [m.StanceResponse(seeded.statements[0].id, 4, "Seeded reason.")])
    def results_root(page):
        rendered(page, ".cop-results-page")

    visits = {
        "member form": open_page(live.member_link(cid, seeded.tokens[seeded.members[1].id])),
        "member who answered": open_page(live.member_link(cid, seeded.tokens[answered.id])),
        "results, member": open_page(f"{live.results_link(cid)}&t={seeded.tokens[answered.id]}",
                                     ready=results_root),
    }
    refused = {  # the gate's pages: no kernel
        "refusal": open_page(live.member_link(cid, secrets.token_urlsafe(24)),
                             ready=gate_refused),
        "results, not public": open_page(live.results_link(cid), ready=gate_refused),
        "results, no consultation": open_page(f"{live.base_url}/voila/render/results.ipynb",
                                              ready=gate_refused),
    }
    expect(visits["results, member"].page.locator(".cop-results-page q")).to_have_text(
        ["Seeded reason."])
    expect(refused["results, not public"].page.locator(GATE_REFUSAL)).to_contain_text(
        "There are no published results at this link.")
    for name, visit in {**visits, **refused}.items():
        visit.assert_loopback_only()
        assert visit.blocked == [], (name, visit.blocked)
    for name, visit in visits.items():
        assert visit.websockets, f"{name}: no kernel web socket was opened"
        assert any("/api/kernels/" in url for url in visit.websockets), name
        no_errors(visit)
    for name, visit in refused.items():
        assert visit.websockets == [], name
        assert status_of(visit.page) == 403, name


def test_leaving_the_page_shuts_its_kernel_down(live, open_page):
    seeded = live.seeded
    member = seeded.members[-1]
    visit = open_page(live.member_link(seeded.consultation.id, seeded.tokens[member.id]))
    kernels = {match.group(1) for url in visit.websockets
               if (match := re.search(r"/api/kernels/([0-9a-f-]{36})", url))}
    assert len(kernels) == 1, visit.websockets
    kernel = kernels.pop()
    visit.close()  # leaves for about:blank: Voila's beforeunload handler fires
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        log = live.log.read_text(errors="replace")
        if f"Kernel shutdown: {kernel}" in log or f"403 POST /voila/api/shutdown/{kernel}" in log:
            break
        time.sleep(0.25)
    log = live.log.read_text(errors="replace")
    refused = [line for line in log.splitlines()
               if f"/voila/api/shutdown/{kernel}" in line and "403" in line]
    assert not refused, refused
    assert f"Kernel shutdown: {kernel}" in log


def test_the_loopback_guard_sees_a_cdn_request(open_page):
    """The guard itself: a CDN stylesheet is recorded, and fails without leaving."""
    visit = open_page("about:blank", navigate=False)
    cdn = "https://cdn.jsdelivr.net/npm/font-awesome@4.7.0/css/font-awesome.min.css"
    with visit.page.expect_event("requestfailed") as failed:
        visit.page.set_content(f'<link rel="stylesheet" href="{cdn}"><p>offline</p>')
    assert failed.value.url == cdn
    assert "PROXY" in (failed.value.failure or ""), failed.value.failure
    assert visit.non_loopback() == [cdn]
    assert visit.blocked == [cdn]
    visit.requests.clear()  # seen and blocked: do not fail this test's teardown
    visit.blocked.clear()
