"""Drafting desk and endorsement page, driven in pure Python."""

from __future__ import annotations

import pytest
from helpers import demo_store, html_of

from cop_widgets import model as m
from cop_widgets.widgets.drafting import DraftEditor
from cop_widgets.widgets.endorse import EndorsementPage
from cop_widgets.widgets.member import MemberPage


@pytest.fixture
def anonymous_demo(tmp_path):
    """``(store, seeded)``: the demo consultation, 20 members of whom 3 stay silent."""
    with demo_store(tmp_path, members=20, silent=3) as opened:
        yield opened


def test_propose_edit_save_versions(anonymous_demo):
    store, seeded = anonymous_demo
    desk = DraftEditor(store, seeded.consultation_id)
    assert "No version saved yet" in desk.stage.value
    assert "No version put to the members yet" in desk.tally.value
    desk.propose_button.click()
    assert desk.message.kind == "ok"
    assert "We agree" in desk.sections["consensus"].value
    desk.sections["recommendations"].value = "Ask for a pilot."
    desk.save_button.click()
    desk.sections["recommendations"].value = "Ask for a pilot in two regions."
    desk.save_button.click()
    drafts = store.list_drafts(seeded.consultation_id)
    assert [d.version for d in drafts] == [1, 2]
    assert drafts[0].sections["recommendations"] == "Ask for a pilot."
    desk.version_picker.value = 1
    assert desk.sections["recommendations"].value == "Ask for a pilot."


def test_endorsement_from_a_member_link_and_live_tally(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    store.add_draft(cid, {"consensus": "We agree on <b>this</b>.",
                          "recommendations": "[x](javascript:alert(1))"}, share=True)
    desk = DraftEditor(store, cid)
    (a, ta), (b, tb) = list(seeded.tokens.items())[:2]
    page = EndorsementPage(store, cid, ta)
    assert "&lt;b&gt;this&lt;/b&gt;" in html_of(page)
    assert "javascript:" not in html_of(page).replace("[x](javascript:alert(1))", "")
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "ok"
    blocker = EndorsementPage(store, cid, tb)
    blocker.choice.value = "block"
    blocker.submit.click()
    assert blocker.message.kind == "error" and "reason" in blocker.message.text
    blocker.reason.value = "It ignores volunteers <img src=x onerror=alert(1)>"
    blocker.submit.click()
    assert blocker.message.kind == "ok"
    desk.refresh_button.click()
    assert "2 of 20 members" in desk.tally.value
    assert "<td>1</td>" in desk.tally.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in desk.tally.value
    for name in seeded.names.values():
        assert name not in desk.tally.value
    # a member comes back: their answer is filled in, and a change supersedes it
    again = EndorsementPage(store, cid, ta)
    assert again.choice.value == "endorse"
    again.choice.value = "can_live_with"
    again.submit.click()
    kinds = {e.member_id: e.kind for e in store.list_endorsements(store.get_draft(cid).id)}
    assert kinds == {a: m.EndorsementKind.CAN_LIVE_WITH, b: m.EndorsementKind.BLOCK}


def test_the_draft_page_fetches_no_image(anonymous_demo):
    """An image in a draft section would have every member's browser fetch it."""
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    store.add_draft(cid, {"consensus": "We agree. ![chart](https://tracker.example/p.png)"},
                    share=True)
    page = EndorsementPage(store, cid, next(iter(seeded.tokens.values())))
    html = html_of(page)
    assert "We agree." in html
    assert "<img" not in html and 'src="https://tracker.example' not in html


def test_blocks_feed_the_next_proposal(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    draft = store.add_draft(cid, {"consensus": "x"}, share=True)
    token = next(iter(seeded.tokens.values()))
    store.add_endorsement(cid, token, draft.id, "block", "Not our voice")
    desk = DraftEditor(store, cid)
    desk.propose_button.click()
    assert "Not our voice" in desk.sections["divergent"].value
    assert "Not our voice" in desk.sections["minority"].value


def test_bad_links_and_no_draft(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    refused = EndorsementPage(store, cid, "forged-token")
    assert refused.form is None and "does not open" in refused.message.text
    token = next(iter(seeded.tokens.values()))
    waiting = EndorsementPage(store, cid, token)
    assert waiting.form is None and "no draft" in waiting.message.text


def test_member_page_opens_the_draft_in_place(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    token = next(iter(seeded.tokens.values()))
    assert not hasattr(MemberPage(store, cid, token), "open_draft")
    store.add_draft(cid, {"consensus": "We agree."}, share=True)
    page = MemberPage(store, cid, token)
    page.open_draft.click()
    assert isinstance(page.endorsement, EndorsementPage)
    assert page.endorsement.form is not None


def test_unsaved_sections_are_not_replaced_without_a_second_ask(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    store.add_draft(cid, {"consensus": "Version one."})
    store.add_draft(cid, {"consensus": "Version two."})
    desk = DraftEditor(store, cid)
    assert desk.version_picker.value == 2 and not desk.unsaved()
    desk.sections["consensus"].value = "My unsaved edit."
    desk.version_picker.value = 1
    assert desk.version_picker.value == 2  # the switch is held back
    assert desk.sections["consensus"].value == "My unsaved edit."
    assert desk.message.kind == "error" and "not saved" in desk.message.text
    desk.propose_button.click()
    assert desk.sections["consensus"].value == "My unsaved edit."
    desk.propose_button.click()  # asked twice: replaced by the proposal
    assert "We agree" in desk.sections["consensus"].value
    desk.save_button.click()
    assert desk.message.kind == "ok", desk.message.text
    assert not desk.unsaved() and desk.version_picker.value == 3
    desk.version_picker.value = 1  # nothing unsaved: switches at once
    assert desk.sections["consensus"].value == "Version one."


def test_a_block_without_a_reason_is_refused_in_the_page_language(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    store.update_consultation(cid, language="es")
    store.add_draft(cid, {"consensus": "Estamos de acuerdo."}, share=True)
    page = EndorsementPage(store, cid, next(iter(seeded.tokens.values())))
    page.choice.value = "block"
    page.submit.click()
    assert page.message.kind == "error"
    assert "Tu motivo: un bloqueo necesita un motivo" in page.message.text, page.message.text
    assert store.list_endorsements(store.get_draft(cid).id) == []
