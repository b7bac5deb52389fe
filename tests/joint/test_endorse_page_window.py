"""The endorsement page promises what the store does (issue 11, item 8).

A member may change their answer until the facilitator finalises the response or closes the
consultation, and only the version put to the members is answered: the page says so, and
says the store's refusal, chosen by its code, when its version was replaced or the
consultation closed while it was open.
"""

from __future__ import annotations

import pytest
from helpers import demo_store, html_of

from cop_widgets.errors import ValidationError
from cop_widgets.i18n import translator
from cop_widgets.widgets.endorse import EndorsementPage
from cop_widgets.widgets.problems import problem_in_words


@pytest.fixture
def demo(tmp_path):
    """``(store, consultation id, two member tokens)``: the open demo consultation."""
    with demo_store(tmp_path, members=8, silent=1) as (store, seeded):
        yield store, seeded.consultation_id, list(seeded.tokens.values())[:2]


def answers(store, consultation_id):
    return {d.version: store.list_endorsements(d.id) for d in store.list_drafts(consultation_id)}


def test_the_page_promises_changes_until_the_consultation_closes(demo):
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "We agree."}, share=True)
    page = EndorsementPage(store, cid, token)
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "ok"
    assert "until the facilitator finalises the response or closes the consultation" \
        in page.message.text
    assert "publishes" not in page.message.text


def test_a_version_replaced_while_the_page_is_open_is_not_answered(demo):
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "Version one."}, share=True)
    page = EndorsementPage(store, cid, token)
    assert page.draft.version == 1
    store.add_draft(cid, {"consensus": "Version two."}, share=True)  # and puts it to them
    page.choice.value = "block"
    page.reason.value = "Version one ignores us"
    page.submit.click()
    assert page.message.kind == "error"
    assert "version 1 has been replaced by version 2" in page.message.text
    assert "Your answer was not recorded" in page.message.text
    assert answers(store, cid) == {1: [], 2: []}
    assert page.submit.disabled and page.submit not in page.form.children
    # the page offers the latest version, and that one is answered
    assert page.latest_button is not None and page.latest_button in page.children
    page.latest_button.click()
    assert page.draft.version == 2 and "Version two." in html_of(page)
    assert page.message.kind == ""
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert [e.kind.value for e in answers(store, cid)[2]] == ["endorse"]


def test_a_closed_consultation_shows_the_draft_without_the_form(demo):
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "The response."}, share=True)
    store.close_consultation(cid)
    page = EndorsementPage(store, cid, token)
    assert page.form is None
    assert "The response." in html_of(page)  # still readable
    assert "the facilitator has closed the consultation" in page.message.text
    assert answers(store, cid) == {1: []}


def test_closing_while_the_page_is_open_refuses_the_answer(demo):
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "The response."}, share=True)
    page = EndorsementPage(store, cid, token)
    store.close_consultation(cid)
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "error"
    assert "the facilitator has closed the consultation" in page.message.text
    assert page.submit.disabled and page.latest_button is None
    assert answers(store, cid) == {1: []}


def test_the_refusal_is_written_from_its_code_in_the_pages_language(demo, monkeypatch):
    """The page words the code's template in its language, not the exception's English."""
    import cop_widgets.error_codes as codes

    store, cid, (token, _other) = demo
    store.update_consultation(cid, language="fr")
    store.add_draft(cid, {"consensus": "Un."}, share=True)
    page = EndorsementPage(store, cid, token)
    store.add_draft(cid, {"consensus": "Deux."}, share=True)
    monkeypatch.setitem(codes.RULES, "draft-superseded",
                        "was replaced (v{version} -> v{latest}), reworded")
    page.choice.value = "endorse"
    page.submit.click()
    said = problem_in_words(ValidationError("draft", "draft-superseded", version=1, latest=2),
                            translator("fr"), show_value=False)
    assert "v1 -> v2" in said and said in page.message.text
    assert page.latest_button is not None
