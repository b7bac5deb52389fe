"""Each facilitator action says what happened beside its own button (issue 12, item 4).

The Roster, Settings, Statements and Intake tabs had one message for all their buttons, at
one place: the result of "Create links" or "Open to members" showed far from the button.
Each check here clicks a button, then finds the box that holds the button and asserts the
message is shown in that same box, and nowhere else.
"""

from __future__ import annotations

import datetime as dt

import helpers
import ipywidgets as w
import pytest

from cop_widgets import model as m
from cop_widgets.widgets.intake import IntakeForm
from cop_widgets.widgets.roster import RosterEditor
from cop_widgets.widgets.settings import ConsultationSettings, new_consultation
from cop_widgets.widgets.statements import StatementsEditor


def box_of(root: w.Widget, widget: w.Widget) -> w.Box:
    """Return the box whose children hold ``widget``."""
    for box in helpers.walk(root):
        if widget in tuple(getattr(box, "children", ()) or ()):
            return box
    raise AssertionError(f"{widget!r} is not under the page")


def assert_beside(root: w.Widget, button: w.Button, message) -> None:
    """``message``'s text is in the box that holds ``button``, and in no other place."""
    assert message.text, "the click reported nothing"
    shown = [x for x in helpers.walk(root) if isinstance(x, w.HTML)
             and x is not message and "cop-message" in x.value]
    assert len(shown) == 1, [x.value for x in shown]
    assert shown[0] in box_of(root, button).children
    assert message.value and shown[0].value == message.value


def test_roster_actions_report_beside_their_buttons(sqlite_store, draft_consultation):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.name.value = "Ana"
    roster.email.value = "ana@example.org"
    roster.add_button.click()
    assert roster.message.kind == "ok"
    assert_beside(roster, roster.add_button, roster.message)

    roster.import_button.click()  # no file chosen: refused
    assert roster.message.kind == "error"
    assert_beside(roster, roster.import_button, roster.message)

    roster.invite_all_button.click()
    assert roster.message.kind == "ok" and "Created 1 link" in roster.message.text
    assert_beside(roster, roster.invite_all_button, roster.message)

    roster.new_link_button.click()
    assert_beside(roster, roster.new_link_button, roster.message)
    roster.revoke_button.click()
    assert "Revoked" in roster.message.text
    assert_beside(roster, roster.revoke_button, roster.message)


def test_the_links_csv_of_the_roster_has_each_members_email(sqlite_store, draft_consultation):
    sqlite_store.add_members([m.Member(draft_consultation.id, "Ana", email="ana@example.org"),
                              m.Member(draft_consultation.id, "Bo")])
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.invite_all_button.click()
    lines = roster.links.value.splitlines()
    assert lines[0] == "name,email,link"
    assert lines[1].startswith("Ana,ana@example.org,http") and lines[2].startswith("Bo,,http")
    assert "name%2Cemail%2Clink" in roster.download.value


def test_settings_actions_report_beside_their_buttons(sqlite_store, draft_consultation):
    sqlite_store.add_statement(m.Statement(draft_consultation.id, "S"))
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.save_button.click()
    assert form.message.text == "Settings saved."
    assert_beside(form, form.save_button, form.message)
    form.open_button.click()
    assert form.message.kind == "ok"
    assert_beside(form, form.open_button, form.message)
    form.close_button.click()
    assert_beside(form, form.close_button, form.message)


def test_statements_actions_report_beside_their_buttons(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.new_text.value = "First"
    editor.add_button.click()
    assert_beside(editor, editor.add_button, editor.message)
    editor.paste.value = "Second\nThird"
    editor.import_text_button.click()
    assert_beside(editor, editor.import_text_button, editor.message)
    editor.import_csv_button.click()  # no file: refused beside its button
    assert editor.message.kind == "error"
    assert_beside(editor, editor.import_csv_button, editor.message)

    third = editor.rows[2].statement.id
    editor.rows[2].up_button.click()  # the row is redrawn: the message follows its statement
    [moved] = [row for row in editor.rows if row.statement.id == third]
    assert moved is editor.rows[1] and "Moved to place 2" in editor.message.text
    assert_beside(editor, moved.up_button, editor.message)
    moved.text.value = "Third, reworded"
    moved.save_button.click()
    [saved] = [row for row in editor.rows if row.statement.id == third]
    assert_beside(editor, saved.save_button, editor.message)

    editor.rows[0].withdraw_button.click()
    editor.restore_button.click()
    assert editor.message.text == "Put back on the card."
    assert_beside(editor, editor.restore_button, editor.message)


def test_intake_save_reports_beside_its_button(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.save_button.click()  # no title: refused
    assert form.message.kind == "error"
    assert_beside(form, form.save_button, form.message)


# -- a refused edit puts back the stored value, in words -----------------------------------


def test_a_refused_scale_change_puts_back_the_stored_scale_and_says_why(
        sqlite_store, draft_consultation):
    helpers.one_answered_statement(sqlite_store, draft_consultation.id, "S", stance=5)
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.scale.value = "kaner8"
    form.save_button.click()
    assert form.scale.value == "likert5"  # the form holds what is stored
    assert "Strongly agree" in form.scale_levels.value  # and previews its levels
    assert form.message.kind == "error"
    assert form.message.text == ("Nothing was saved: the stance scale cannot change after "
                                 "members saved cards. The form shows the saved value again.")
    assert "kaner8" not in form.message.text and "scale:" not in form.message.text
    assert_beside(form, form.save_button, form.message)


def test_refused_anonymity_is_put_back_too(sqlite_store, development):
    consultation = sqlite_store.add_consultation(m.Consultation(
        development.id, "Q", anonymous=True))
    helpers.one_answered_statement(sqlite_store, consultation.id)
    form = ConsultationSettings(sqlite_store, consultation.id)
    form.anonymous.value = False
    form.save_button.click()
    assert form.anonymous.value is True
    assert form.message.text.startswith("Nothing was saved: anonymity cannot be turned off")


# -- the requester's deadline is the consultation's, to change ----------------------------


def _request(store, deadline: dt.date) -> m.Development:
    return store.add_development(m.Development(
        "request_for_opinion", "Guideline", requester="Ministry of Health",
        requester_deadline=deadline, questions=("Is it workable?",)))


def test_a_request_for_opinion_gives_its_deadline_to_a_new_consultation(sqlite_store):
    later = (sqlite_store.now() + dt.timedelta(days=30)).date()
    request = _request(sqlite_store, later)
    consultation = new_consultation(sqlite_store, request.id, "How do we answer?")
    assert consultation.deadline == dt.datetime.combine(later, dt.time(23, 59),
                                                        tzinfo=dt.timezone.utc)
    form = ConsultationSettings(sqlite_store, consultation.id)
    assert form.deadline_date.value == later  # prefilled
    assert "Ministry of Health wants the answer by" in form.deadline_note.value
    earlier = later - dt.timedelta(days=7)
    form.deadline_date.value = earlier  # and editable
    form.save_button.click()
    assert sqlite_store.get_consultation(consultation.id).deadline.date() == earlier


@pytest.mark.parametrize("days", [-3, None])
def test_no_deadline_is_offered_when_the_request_has_passed_or_there_is_none(
        sqlite_store, days):
    if days is None:
        development = sqlite_store.add_development(m.Development("policy", "P"))
    else:
        development = _request(sqlite_store,
                               (sqlite_store.now() + dt.timedelta(days=days)).date())
    consultation = new_consultation(sqlite_store, development.id, "Q")
    assert consultation.deadline is None
    given = dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc)
    assert new_consultation(sqlite_store, development.id, "Q", deadline=given).deadline == given
