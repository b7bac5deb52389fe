"""The Statements tab pages long lists (issue 11, item 7).

The review left 1,000 proposals pending and the tab built 13,106 widgets. The tab now draws
25 statements and 25 proposals a page, with previous and next buttons and "21–40 of 1,000",
and moderation works on every page. Rows taken off the page are closed, so redrawing after
each action does not pile widgets up in the kernel.
"""

from __future__ import annotations

import ipywidgets as w
import pytest
from helpers import walk

from cop_widgets import model as m
from cop_widgets.widgets.statements import StatementsEditor

PENDING = [m.ModerationState.PENDING]


@pytest.fixture
def crowded(sqlite_store, draft_consultation):
    """The draft consultation with 60 statements on the card and 1,000 proposals pending
    (five from each of 200 members: the most the store lets each have waiting)."""
    c = draft_consultation
    sqlite_store.add_statements([m.Statement(c.id, f"Card statement {i}")
                                 for i in range(1, 61)])
    members = sqlite_store.add_members([m.Member(c.id, f"Member {i}") for i in range(200)])
    sqlite_store.add_statements([
        m.Statement(c.id, f"Proposal {5 * k + j + 1}", proposed_by=member.id,
                    moderation=m.ModerationState.PENDING)
        for k, member in enumerate(members) for j in range(5)])
    return c


def proposal_texts(editor) -> list[str]:
    return [row.statement.text for row in editor.pending_rows]


def live_widgets() -> int:
    """Widgets open in this kernel (ipywidgets' own registry of instances)."""
    from ipywidgets.widgets import widget

    return len(widget._instances)


def test_a_thousand_proposals_build_a_bounded_tab(sqlite_store, crowded):
    editor = StatementsEditor(sqlite_store, crowded.id)
    widgets = sum(1 for _ in walk(editor))
    assert widgets < 600, widgets
    assert proposal_texts(editor) == [f"Proposal {i}" for i in range(1, 26)]
    assert editor.pending_pager.position.value == "<span>1\u201325 of 1,000</span>"
    assert editor.pending_pager.layout.display is None  # shown: the list is longer
    assert editor.pending_pager.previous_button.disabled
    assert not editor.pending_pager.next_button.disabled
    assert len(editor.rows) == 25
    assert editor.card_pager.position.value == "<span>1\u201325 of 60</span>"


def test_paging_reaches_the_last_proposal_and_moderating_it_works(sqlite_store, crowded):
    editor = StatementsEditor(sqlite_store, crowded.id)
    pager = editor.pending_pager
    pager.next_button.click()
    assert proposal_texts(editor)[0] == "Proposal 26"
    assert pager.position.value == "<span>26\u201350 of 1,000</span>"
    pager.previous_button.click()
    assert proposal_texts(editor)[0] == "Proposal 1"
    while not pager.next_button.disabled:
        pager.next_button.click()
    assert pager.position.value == "<span>976\u20131,000 of 1,000</span>"
    assert proposal_texts(editor)[-1] == "Proposal 1000"

    last = editor.pending_rows[-1]
    last.accept_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert sqlite_store.get_statement(last.statement.id).moderation is m.ModerationState.ACCEPTED
    assert pager.position.value == "<span>976\u2013999 of 999</span>"  # still the last page
    assert "Proposal 1000" in [s.text for s in sqlite_store.list_statements(crowded.id)]

    editor.pending_rows[0].reject_button.click()
    assert sqlite_store.get_statement(
        sqlite_store.list_statements(crowded.id, states=[m.ModerationState.REJECTED])[0].id
    ).text == "Proposal 976"
    # moderating the whole last page brings the new last page into view
    while pager.position.value.startswith("<span>976"):
        editor.pending_rows[0].reject_button.click()
    assert pager.position.value == "<span>951\u2013975 of 975</span>"
    assert proposal_texts(editor)[-1] == "Proposal 975"
    assert len(sqlite_store.list_statements(crowded.id, states=PENDING)) == 975


def test_statements_on_the_card_are_numbered_and_moved_across_pages(sqlite_store, crowded):
    editor = StatementsEditor(sqlite_store, crowded.id)
    editor.card_pager.next_button.click()
    first = editor.rows[0]
    assert first.text.description == "Statement 26" and not first.up_button.disabled
    first.up_button.click()
    # moved to place 25: the page holding it is shown
    assert editor.card_pager.position.value == "<span>1\u201325 of 60</span>"
    assert editor.rows[-1].statement.text == "Card statement 26"
    assert [s.text for s in sqlite_store.list_statements(crowded.id)][24:26] == [
        "Card statement 26", "Card statement 25"]
    editor.card_pager.next_button.click()
    editor.card_pager.next_button.click()
    assert [r.text.description for r in editor.rows] == [f"Statement {i}"
                                                         for i in range(51, 61)]
    assert editor.rows[-1].down_button.disabled


def test_an_edit_typed_on_one_page_survives_turning_pages(sqlite_store, crowded):
    editor = StatementsEditor(sqlite_store, crowded.id)
    editor.rows[2].text.value = "Typed, not saved yet"
    editor.card_pager.next_button.click()
    editor.card_pager.previous_button.click()
    assert editor.rows[2].text.value == "Typed, not saved yet"
    editor.rows[2].save_button.click()
    assert sqlite_store.list_statements(crowded.id)[2].text == "Typed, not saved yet"


def test_redrawing_after_each_action_does_not_pile_up_widgets(sqlite_store, crowded):
    editor = StatementsEditor(sqlite_store, crowded.id)
    before = live_widgets()
    for _ in range(10):
        editor.pending_rows[0].accept_button.click()
        editor.pending_pager.next_button.click()
    # ten accepts and ten page turns each redrew 50 rows; the old ones were closed
    assert live_widgets() - before < 20, live_widgets() - before


def test_a_short_list_shows_no_pager(sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t) for t in "ABC"])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    assert editor.card_pager.layout.display == "none"
    assert editor.pending_pager.layout.display == "none"
    assert [r.text.value for r in editor.rows] == ["A", "B", "C"]
    assert isinstance(editor.pending_box.children[0], w.HTML)  # "No proposal is waiting."
