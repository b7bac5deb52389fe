"""The member page says what is missing before Submit, and nothing stale (issue 12, item 4).

- The statements not answered yet are named just before the buttons and marked on the card
  ("Not answered yet" and a border), once the member has answered
  one; submitting without them stays one click.
- What a button caused is said beside it.
- The line about the last saved version follows the saves made on the page; a page that takes
  no card asks no "Please answer by" and says why in words.
- Where the scale has both "Abstain" and "Pass / unsure", one sentence tells them apart.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as w
import pytest
from helpers import html_of, walk

from cop_widgets import model as m
from cop_widgets.widgets.member import PASS, MemberPage

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def page_of(store, seeded, **kwargs) -> MemberPage:
    member = seeded.members[0]
    return MemberPage(store, seeded.consultation.id, seeded.tokens[member.id], **kwargs)


def flagged(page: MemberPage) -> list[int]:
    return [row.number for row in page.rows
            if "cop-unanswered" in row._dom_classes and "Not answered yet" in row.text.value]


def box_of(root, widget):
    for box in walk(root):
        if widget in tuple(getattr(box, "children", ()) or ()):
            return box
    raise AssertionError("not on the page")


def test_an_untouched_card_marks_nothing(store, seeded):
    page = page_of(store, seeded)
    assert flagged(page) == [] and page.unanswered.value == ""


def test_the_unanswered_statements_are_named_and_marked_before_submit(store, seeded):
    page = page_of(store, seeded)
    page.rows[0].stance.value = 4
    assert flagged(page) == [2, 3]
    notice = page.unanswered.value
    assert "Not answered yet: statements 2 and 3. You can still submit" in notice
    assert "<a " not in notice  # no tab stop between the last box and Save draft
    # read just before the buttons
    children = list(page.form.children)
    assert children[children.index(page.unanswered) + 1] is box_of(page, page.submit)

    page.rows[2].stance.value = PASS  # a pass is an answer
    assert flagged(page) == [2]
    assert "Not answered yet: statement " in page.unanswered.value
    page.rows[1].stance.value = 2
    assert flagged(page) == [] and page.unanswered.value == ""


def test_a_partial_card_is_submitted_in_one_click_and_names_what_was_left(store, seeded):
    page = page_of(store, seeded)
    page.rows[1].stance.value = 5
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert "Left unanswered: statements 1 and 3." in page.message.text
    card = store.get_card(seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    assert card.status is m.CardStatus.SUBMITTED and len(card.responses) == 1
    # once submitted, the notice no longer says "you can still submit"
    assert "You can still submit" not in page.unanswered.value
    assert "Answer them and submit again to add them." in page.unanswered.value


def test_a_draft_saved_earlier_shows_its_unanswered_statements(store, seeded):
    page = page_of(store, seeded)
    page.rows[0].stance.value = 3
    page.save_draft.click()
    assert flagged(page_of(store, seeded)) == [2, 3]


def shown_messages(page):
    return [x for x in walk(page) if isinstance(x, w.HTML) and 'class="cop-message' in x.value]


def test_each_message_is_beside_its_button(store, seeded):
    page = page_of(store, seeded)
    page.rows[0].stance.value = 4
    page.submit.click()
    [shown] = shown_messages(page)
    assert shown in box_of(page, page.submit).children
    page.proposal.value = "A new statement"
    page.propose.click()
    [shown] = shown_messages(page)
    assert "sent to the facilitator" in shown.value
    assert shown in box_of(page, page.propose).children


def test_the_saved_version_line_follows_a_submission(store, seeded):
    page = page_of(store, seeded)
    page.rows[0].stance.value = 4
    page.save_draft.click()
    again = page_of(store, seeded)
    assert "Your last saved version (draft," in again.status.value
    again.submit.click()
    assert again.message.kind == "ok", again.message.text
    assert "(draft," not in again.status.value
    assert "Your last saved version (submitted," in again.status.value
    again.save_draft.click()  # a draft after a submission: the submission still counts
    assert "your submitted position counts until you submit again" in again.status.value


@pytest.mark.parametrize("state", ["closed", "draft", "deadline"])
def test_a_page_that_takes_no_card_asks_for_none(store, seeded, clock, state):
    cid = seeded.consultation.id
    store.update_consultation(cid, deadline=clock.now + dt.timedelta(days=1))
    assert "Please answer by" in html_of(page_of(store, seeded))
    if state == "closed":
        store.close_consultation(cid)
    elif state == "draft":
        store.update_consultation(cid, status="draft")
    else:
        clock.advance(days=2)
    page = page_of(store, seeded)
    text = html_of(page)
    assert "Please answer by" not in text
    assert ", not open" not in text and "Cards are closed" not in text
    expected = {"closed": "Answers are no longer accepted:</strong> the facilitator has "
                          "closed the consultation.",
                "draft": "Answers are not accepted yet:</strong> the facilitator has not "
                         "opened the consultation yet.",
                "deadline": "Answers are no longer accepted:</strong> the deadline "}[state]
    assert expected in page.status.value
    assert page.submit.disabled and page.save_draft.disabled


def test_abstain_and_pass_are_told_apart_where_the_scale_has_both(store, seeded):
    assert "Abstain" not in html_of(page_of(store, seeded).form)  # likert5: no abstain
    store.update_consultation(seeded.consultation.id, scale="kaner8")
    page = page_of(store, seeded)
    labels = [label for label, _ in page.rows[0].stance.options]
    assert "Abstain" in labels and "Pass / unsure" in labels
    assert ("\u201cAbstain\u201d means you choose to stay out of the decision on this "
            "statement; \u201cPass / unsure\u201d means you cannot judge it or have no view "
            "yet.") in html_of(page.form)
