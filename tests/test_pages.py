"""Workbook entry points read the link on the server side."""

from __future__ import annotations

import pytest
from helpers import html_of

from cop_widgets.jupyter import pages
from cop_widgets.jupyter.keys import FACILITATOR_KEY_HASH_ENV, key_hash
from cop_widgets.widgets.member import MemberPage

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_query_params_come_from_the_kernel_environment(monkeypatch, db_url):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "c=3&t=abc&lang=fr&t=second")
    assert pages.query_params() == {"c": "3", "t": "abc", "lang": "fr"}


def test_member_page_takes_identity_from_the_link(monkeypatch, store, seeded, db_url):
    member = seeded.members[1]
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING",
                       f"c={seeded.consultation.id}&t={seeded.tokens[member.id]}")
    page = pages.member_page(db_url)
    assert isinstance(page, MemberPage) and page.member.id == member.id
    monkeypatch.setenv("QUERY_STRING", f"c=abc&t={seeded.tokens[member.id]}")
    assert pages.member_page(db_url).form is None


def test_facilitator_page_under_voila_needs_the_key(monkeypatch, db_url):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv(FACILITATOR_KEY_HASH_ENV, key_hash("right-key"))
    monkeypatch.setenv("QUERY_STRING", "k=wrong-key")
    page = pages.facilitator_page(db_url)
    assert "facilitator link" in page.children[0].text
    monkeypatch.delenv(FACILITATOR_KEY_HASH_ENV)
    monkeypatch.setenv("QUERY_STRING", "k=")
    assert "facilitator link" in pages.facilitator_page(db_url).children[0].text


def test_facilitator_page_under_voila_opens_with_the_key(monkeypatch, db_url):
    from cop_widgets.widgets.facilitator import FacilitatorWorkbench

    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv(FACILITATOR_KEY_HASH_ENV, key_hash("right-key"))
    monkeypatch.setenv("QUERY_STRING", "k=right-key")
    assert isinstance(pages.facilitator_page(db_url), FacilitatorWorkbench)


@pytest.mark.parametrize("value", ["100000000000000000000000", "2147483648", "-1", "0",
                                   "1e3", "0x10", ""])
def test_a_malformed_consultation_in_the_link_gets_the_bad_link_refusal(monkeypatch, store,
                                                                        seeded, db_url, value):
    """``?c=100000000000000000000000`` raised OverflowError in the store (issue 11, 10)."""
    token = seeded.tokens[seeded.members[0].id]
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", f"c={value}&t={token}")
    member = pages.member_page(db_url)
    assert member.form is None
    assert "This link does not open a position card." in html_of(member)
    assert "There are no published results at this link." in html_of(pages.results_page(db_url))


@pytest.mark.parametrize("value", ["1e23", "100000000000000000000000", "-1", "abc"])
def test_a_malformed_consultation_in_an_endorsement_link_gets_the_bad_link_refusal(
        monkeypatch, store, seeded, db_url, value):
    """Item 10 on the endorsement page: the same refusal as a bad link, no form, no crash."""
    from cop_widgets.widgets.endorse import EndorsementPage

    token = seeded.tokens[seeded.members[0].id]
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", f"c={value}&t={token}")
    page = pages.endorse_page(db_url)
    assert isinstance(page, EndorsementPage) and page.form is None
    assert not hasattr(page, "member")
    assert page.message.kind == "error"
    assert "This link does not open the draft joint response." in html_of(page)
    # the same link with the right ``c`` opens the page (no draft yet: no form either)
    monkeypatch.setenv("QUERY_STRING", f"c={seeded.consultation.id}&t={token}")
    assert pages.endorse_page(db_url).member == seeded.members[0]
