"""The member page and the results view, driven in pure Python as Voila would drive them."""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import pytest
from helpers import html_of, walk

from cop_widgets import model as m
from cop_widgets.error_codes import RULES
from cop_widgets.widgets.member import PASS, MemberPage
from cop_widgets.widgets.results import ResultsView

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

PAYLOADS = ('<img src=x onerror=alert(1)>', "<script>alert(2)</script>",
            '"><svg onload=alert(3)>')


def radios(widget):
    return [x for x in walk(widget) if isinstance(x, w.RadioButtons)]


def first_token(seeded):
    member = seeded.members[0]
    return member, seeded.tokens[member.id]


def test_valid_link_shows_brief_and_one_row_per_statement(store, seeded):
    _, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    assert page.refusal is None
    assert [r.statement.id for r in page.rows] == [s.id for s in seeded.statements]
    labels = [label for label, _ in page.rows[0].stance.options]
    assert labels == ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
                      "Strongly disagree", "Pass / unsure"]
    assert seeded.development.title in html_of(page)
    for row in page.rows:  # every input has an accessible name
        assert row.stance.description and row.rationale.description


def test_submit_then_revise_keeps_both_revisions(store, seeded):
    member, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    page.rows[0].stance.value = 5
    page.rows[0].rationale.value = "Because it is fair."
    page.rows[1].stance.value = PASS
    page.concerns.value = "Workload"
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    first = store.get_card(seeded.consultation.id, token)
    assert first.revision == 1 and first.status is m.CardStatus.SUBMITTED
    assert {(r.statement_id, r.stance, r.rationale) for r in first.responses} == {
        (seeded.statements[0].id, 5, "Because it is fair."), (seeded.statements[1].id, None, "")}
    assert first.concerns == "Workload"

    again = MemberPage(store, seeded.consultation.id, token)  # comes back later
    assert again.rows[0].stance.value == 5 and again.rows[1].stance.value == PASS
    assert again.rows[0].rationale.value == "Because it is fair."
    again.rows[0].stance.value = 2
    again.submit.click()
    revisions = store.list_card_revisions(seeded.consultation.id, member.id)
    assert [c.revision for c in revisions] == [1, 2]
    assert revisions[0].responses[0].stance == 5 and revisions[1].responses[0].stance == 2
    frame = store.responses_frame(seeded.consultation.id)
    assert frame.loc[frame.statement_id == seeded.statements[0].id, "stance"].tolist() == [2]


def test_draft_is_kept_but_not_counted(store, seeded):
    _, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    page.rows[2].stance.value = 4
    page.save_draft.click()
    assert "Draft saved" in page.message.text
    assert store.get_card(seeded.consultation.id, token).status is m.CardStatus.DRAFT
    assert store.responses_frame(seeded.consultation.id).empty
    assert MemberPage(store, seeded.consultation.id, token).rows[2].stance.value == 4


def test_empty_submission_is_refused_and_writes_nothing(store, seeded):
    _, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    page.submit.click()
    assert page.message.kind == "error" and "responses" in page.message.text
    assert store.count_cards(seeded.consultation.id) == 0


@pytest.mark.parametrize(("case", "reason"), [
    ("forged", "The invitation code is not valid for this consultation."),
    ("missing", "The link has no invitation code."),
    ("revoked", "This invitation has been revoked."),
    ("other", "The invitation code is not valid for this consultation."),
    ("no-consultation", "The consultation in the link does not exist."),
])
def test_bad_links_get_a_refusal_and_no_form(store, seeded, case, reason):
    member, token = first_token(seeded)
    cid = seeded.consultation.id
    if case == "forged":
        token = "x" * 32
    elif case == "missing":
        token = None
    elif case == "revoked":
        store.revoke_invitation(member.id)
    elif case == "other":
        other = store.add_consultation(m.Consultation(seeded.development.id, "Another one"))
        cid = other.id
    else:
        cid = 999
    page = MemberPage(store, cid, token)
    assert page.form is None and page.refusal is not None
    assert not radios(page)
    assert not [x for x in walk(page) if isinstance(x, w.Button)]
    assert "does not open a position card" in page.refusal.text
    assert reason in page.refusal.text


def test_refusals_go_by_code_not_by_the_english_rule(store, seeded, monkeypatch):
    """Rewording a rule's English template changes neither the refusal nor its translation."""
    member, token = first_token(seeded)
    store.revoke_invitation(member.id)
    for code in RULES:
        monkeypatch.setitem(RULES, code, "reworded: " + RULES[code])
    page = MemberPage(store, seeded.consultation.id, token, language="fr")
    assert "Cette invitation a été révoquée." in page.refusal.text
    assert "reworded" not in page.refusal.text


@pytest.mark.parametrize(("status", "reason"), [
    ("closed", "l'équipe d'animation a clos la consultation"),
    ("deadline", "la date limite du"),
])
def test_a_card_refused_while_the_page_was_open_says_why_in_french(store, seeded, clock,
                                                                    status, reason):
    _, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token, language="fr")
    if status == "closed":
        store.close_consultation(seeded.consultation.id)
    else:
        store.update_consultation(seeded.consultation.id,
                                  deadline=clock.now + dt.timedelta(minutes=1))
        clock.advance(minutes=2)
    page.rows[0].stance.value = page.rows[0].stance.options[0][1]
    page.submit.click()
    assert page.message.kind == "error" and reason in page.message.text
    assert "not accepted" not in page.message.text and "deadline" not in page.message.text


def test_the_token_never_reaches_the_browser(store, seeded):
    _, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    for widget in walk(page):
        state = widget.get_state()
        assert token not in repr(state), type(widget).__name__


def test_closed_consultation_disables_and_store_still_refuses(store, seeded):
    _, token = first_token(seeded)
    store.close_consultation(seeded.consultation.id)
    page = MemberPage(store, seeded.consultation.id, token)
    assert page.submit.disabled and page.save_draft.disabled
    page.rows[0].stance.value = 4
    page.submit.click()  # a Voila client can still send the click
    assert page.message.kind == "error" and "closed" in page.message.text
    assert store.count_cards(seeded.consultation.id) == 0


def test_deadline_passed_is_refused(store, seeded, clock):
    _, token = first_token(seeded)
    store.update_consultation(seeded.consultation.id, deadline=clock.now)
    clock.advance(60)
    page = MemberPage(store, seeded.consultation.id, token)
    page.rows[0].stance.value = 4
    page.submit.click()
    assert "deadline" in page.message.text
    assert store.count_cards(seeded.consultation.id) == 0


def submit(store, seeded, index, stance, rationale=""):
    member = seeded.members[index]
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[member.id])
    for row in page.rows:
        row.stance.value = stance
        row.rationale.value = rationale
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    return page


@pytest.mark.parametrize("visibility,shown_after_submit", [
    ("after_submission", True), ("after_close", False), ("never", False)])
def test_results_follow_visibility(store, seeded, visibility, shown_after_submit):
    store.update_consultation(seeded.consultation.id, visibility=visibility)
    submit(store, seeded, 1, 4)
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    assert "Where the community stands" not in page.results.value
    page.rows[0].stance.value = 5
    page.submit.click()
    assert ("Where the community stands" in page.results.value) is shown_after_submit
    if shown_after_submit:
        assert "Answers (2)" in page.results.value  # the two members' cards
        assert "Agree: 1 (50%)" in page.results.value


def test_results_view_permissions(store, seeded):
    cid = seeded.consultation.id
    submit(store, seeded, 0, 4, "fine")
    token = seeded.tokens[seeded.members[0].id]
    silent = seeded.tokens[seeded.members[2].id]
    assert "no published results" in ResultsView(store, cid).message.text
    assert "not published yet" in ResultsView(store, cid, silent).message.text
    assert "Reasons members gave" in html_of(ResultsView(store, cid, token))
    store.close_consultation(cid)
    assert "Reasons members gave" in html_of(ResultsView(store, cid))
    store.update_consultation(cid, visibility="never")
    assert "not published" in ResultsView(store, cid, token).message.text
    assert "no published results" in ResultsView(store, 4242).message.text


@pytest.mark.parametrize("visibility", ["after_submission", "after_close", "never"])
def test_member_page_and_results_page_agree_on_who_sees_results(store, seeded, visibility):
    """Both pages follow the one rule, for a member who submitted and for one who did not."""
    cid = seeded.consultation.id
    store.update_consultation(cid, visibility=visibility)
    submit(store, seeded, 0, 4, "fine")
    store.save_card(cid, seeded.tokens[seeded.members[1].id], [], status="draft")
    for closed in (False, True):
        if closed:
            store.close_consultation(cid)
        consultation = store.get_consultation(cid)
        for index, submitted in ((0, True), (1, False)):  # member 1 has only a draft
            token = seeded.tokens[seeded.members[index].id]
            expected = m.results_visible(consultation, submitted=submitted)
            assert expected is (visibility != "never" and (closed or (
                submitted and visibility == "after_submission")))
            page = MemberPage(store, cid, token)
            assert ("Where the community stands" in page.results.value) is expected
            assert ("Reasons members gave" in html_of(ResultsView(store, cid, token))) \
                is expected
        anyone = "Reasons members gave" in html_of(ResultsView(store, cid, "not-a-token"))
        assert anyone is (closed and visibility != "never")


@pytest.mark.parametrize("anonymous", [True, False])
def test_member_text_is_escaped_and_no_names_in_results(store, seeded, anonymous):
    cid = seeded.consultation.id
    store.update_consultation(cid, anonymous=anonymous)
    for i, payload in enumerate(PAYLOADS):
        submit(store, seeded, i, 4, payload)
    page = MemberPage(store, cid, seeded.tokens[seeded.members[0].id])
    view = ResultsView(store, cid, seeded.tokens[seeded.members[0].id])
    text = html_of(view) + html_of(page)
    for raw in ("<img", "<script", "<svg"):
        assert raw not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_of(view)
    for member in seeded.members:
        assert member.name not in html_of(view)


def test_statement_text_is_escaped_on_the_card(store, seeded):
    statement = store.add_statement(m.Statement(seeded.consultation.id, PAYLOADS[0]))
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    assert statement.id in [r.statement.id for r in page.rows]
    assert "<img" not in html_of(page) and "&lt;img" in html_of(page)


def test_proposal_goes_to_moderation_under_the_token_holder(store, seeded):
    member, token = first_token(seeded)
    page = MemberPage(store, seeded.consultation.id, token)
    page.proposal.value = "We need a pilot first."
    page.propose.click()
    assert page.message.kind == "ok"
    pending = store.list_statements(seeded.consultation.id, states=["pending"])
    assert [(s.text, s.proposed_by) for s in pending] == [("We need a pilot first.", member.id)]
    assert page.proposal.value == ""


def test_a_forged_results_value_does_not_unlock_the_results(store, seeded):
    """A Voila client can set any synced trait: the results box decides nothing."""
    store.update_consultation(seeded.consultation.id, visibility="after_submission")
    submit(store, seeded, 1, 4)
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    page.results.value = "forged by the browser"
    page.rows[0].stance.value = 5
    page.save_draft.click()  # a draft is not a submission
    assert page.message.kind == "ok", page.message.text
    assert "Where the community stands" not in page.results.value
    page.submit.click()
    assert "Where the community stands" in page.results.value


@pytest.mark.parametrize("state", ["closed", "draft", "deadline"])
def test_proposals_are_refused_when_cards_are(store, seeded, clock, state):
    cid = seeded.consultation.id
    member, token = first_token(seeded)
    page = MemberPage(store, cid, token)
    if state == "closed":
        store.close_consultation(cid)
    elif state == "draft":
        store.update_consultation(cid, status="draft")
    else:
        store.update_consultation(cid, deadline=clock.now)
        clock.advance(60)
    before = store.list_statements(cid, states=None)
    page.proposal.value = "Sent after the card closed."
    page.propose.click()  # a disabled button still takes a click from a Voila client
    assert page.message.kind == "error"
    reason = {"closed": "has closed the consultation", "draft": "has not opened the consultation",
              "deadline": "deadline"}[state]
    assert reason in page.message.text
    assert store.list_statements(cid, states=None) == before


def test_a_rule_broken_by_typing_is_said_in_the_page_language(store, seeded):
    from cop_widgets import model

    store.update_consultation(seeded.consultation.id, language="fr")
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    limit = model.LIMITS["rationale"]
    page.rows[1].stance.value = 4
    page.rows[1].rationale.value = "x" * (limit + 1)
    page.submit.click()
    assert page.message.kind == "error"
    text = page.message.text
    assert "Votre raison pour l'énoncé 2 : doit compter au plus" in text, text
    assert "must be" not in text and "responses[" not in text
    assert store.count_cards(seeded.consultation.id) == 0
    page.proposal.value = "y" * 501
    page.propose.click()
    assert "Énoncé proposé : doit compter au plus 500 caractères" in page.message.text


def test_a_reason_under_an_unanswered_statement_is_not_dropped(store, seeded):
    cid = seeded.consultation.id
    page = MemberPage(store, cid, seeded.tokens[seeded.members[0].id])
    page.rows[0].stance.value = 4
    page.rows[2].rationale.value = "I have not decided, but this worries me."
    page.save_draft.click()
    assert page.message.kind == "error"
    assert "Your stance on statement 3: is needed to keep the reason you wrote" in \
        page.message.text, page.message.text
    assert store.count_cards(cid) == 0 and page.rows[2].rationale.value
    page.rows[2].stance.value = PASS
    page.save_draft.click()
    assert page.message.kind == "ok", page.message.text
    saved = store.get_card(cid, seeded.tokens[seeded.members[0].id])
    assert [r.rationale for r in saved.responses][-1] == "I have not decided, but this worries me."
