import datetime as dt

import helpers

from cop_widgets import model as m
from cop_widgets.scales import SCALES
from cop_widgets.widgets.settings import ConsultationSettings, new_consultation


def test_new_consultation_helper(sqlite_store, development):
    c = new_consultation(sqlite_store, development.id, "What do we say?")
    assert c.id and c.status is m.ConsultationStatus.DRAFT
    assert sqlite_store.get_consultation(c.id).title == "What do we say?"


def test_form_shows_stored_settings(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    assert form.title.value == draft_consultation.title
    assert form.scale.value == "likert5"
    assert form.anonymous.value is False
    assert form.visibility.label == "after they submit"
    assert form.deadline_date.value is None
    assert "Draft" in form.status.value
    assert {label for label, _ in form.scale.options} == {s.name for s in SCALES.values()}
    assert "Strongly agree" in form.scale_levels.value


def test_save_settings(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.scale.value = "kaner8"
    assert "Veto" in form.scale_levels.value
    form.anonymous.value = True
    form.visibility.value = "after_close"
    form.deadline_date.value = dt.date(2030, 6, 30)
    form.deadline_time.value = dt.time(17, 30)
    form.language.value = "fr"
    form.title.value = "Notre r\u00e9ponse"
    form.save_button.click()
    assert form.message.kind == "ok", form.message.text

    saved = sqlite_store.get_consultation(draft_consultation.id)
    assert saved.scale == "kaner8" and saved.anonymous is True
    assert saved.visibility is m.Visibility.AFTER_CLOSE
    assert saved.deadline == dt.datetime(2030, 6, 30, 17, 30, tzinfo=dt.timezone.utc)
    assert saved.language == "fr" and saved.title == "Notre r\u00e9ponse"
    assert "2030-06-30 17:30 UTC" in form.status.value

    again = ConsultationSettings(sqlite_store, draft_consultation.id)
    assert again.deadline_date.value == dt.date(2030, 6, 30)
    assert again.deadline_time.value == dt.time(17, 30)

    again.deadline_date.value = None  # no deadline
    again.save_button.click()
    assert sqlite_store.get_consultation(draft_consultation.id).deadline is None


def test_deadline_without_time_is_end_of_day(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.deadline_date.value = dt.date(2030, 1, 2)
    form.deadline_time.value = None
    form.save_button.click()
    assert sqlite_store.get_consultation(draft_consultation.id).deadline == dt.datetime(
        2030, 1, 2, 23, 59, tzinfo=dt.timezone.utc)


def test_past_deadline_is_saved_with_a_note(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.deadline_date.value = dt.date(2000, 1, 1)
    form.save_button.click()
    assert form.message.kind == "ok" and "already passed" in form.message.text


def test_invalid_title_is_refused(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.title.value = ""
    form.scale.value = "agree_disagree"
    form.save_button.click()
    assert form.message.kind == "error"
    assert form.message.text == ("Nothing was saved: the question put to the community must "
                                 "not be empty. The form shows the saved value again.")
    assert form.title.value == draft_consultation.title  # the stored title is back
    assert sqlite_store.get_consultation(draft_consultation.id).scale == "likert5"


def test_open_refused_without_statements(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.open_button.click()
    assert form.message.kind == "error"
    assert "status" in form.message.text and "accepted statement" in form.message.text
    assert sqlite_store.get_consultation(draft_consultation.id).status is m.ConsultationStatus.DRAFT


def test_open_and_close(sqlite_store, draft_consultation):
    sqlite_store.add_statement(m.Statement(draft_consultation.id, "S"))
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    assert form.close_button.disabled and not form.open_button.disabled
    form.open_button.click()
    assert form.message.kind == "ok", form.message.text
    assert sqlite_store.get_consultation(draft_consultation.id).status is m.ConsultationStatus.OPEN
    assert "Open: members can fill in" in form.status.value
    assert form.open_button.disabled and not form.close_button.disabled

    form.close_button.click()
    closed = sqlite_store.get_consultation(draft_consultation.id)
    assert closed.status is m.ConsultationStatus.CLOSED
    assert "Closed" in form.status.value
    assert form.open_button.description == "Open again"
    form.open_button.click()
    assert sqlite_store.get_consultation(draft_consultation.id).status is m.ConsultationStatus.OPEN


def test_scale_change_refused_after_cards(sqlite_store, draft_consultation):
    helpers.one_answered_statement(sqlite_store, draft_consultation.id, "S", stance=5)

    changes = []
    form = ConsultationSettings(sqlite_store, draft_consultation.id, on_change=changes.append)
    form.scale.value = "agree_disagree"
    form.language.value = "es"
    form.save_button.click()
    assert form.message.kind == "error"
    assert "scale" in form.message.text and "cannot change" in form.message.text
    stored = sqlite_store.get_consultation(draft_consultation.id)
    assert stored.scale == "likert5" and stored.language == "en"  # nothing half-written
    assert changes == []


def test_next_round_on_a_draft_writes_nothing(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    for _ in range(2):
        form.round_button.click()
        assert form.message.kind == "error" and "open this draft first" in form.message.text
    assert [r.number for r in sqlite_store.list_rounds(draft_consultation.id)] == [1]
    assert sqlite_store.get_consultation(draft_consultation.id).status is m.ConsultationStatus.DRAFT


def test_open_refused_when_the_deadline_has_passed(sqlite_store, draft_consultation):
    sqlite_store.add_statement(m.Statement(draft_consultation.id, "S"))
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.deadline_date.value = dt.date(2001, 1, 1)
    form.save_button.click()
    form.open_button.click()
    assert form.message.kind == "error"
    assert "deadline" in form.message.text and "later deadline" in form.message.text
    assert sqlite_store.get_consultation(draft_consultation.id).status is m.ConsultationStatus.DRAFT


def test_deadline_time_without_a_date_is_refused(sqlite_store, draft_consultation):
    form = ConsultationSettings(sqlite_store, draft_consultation.id)
    form.deadline_time.value = dt.time(17, 0)
    form.title.value = "A changed question"
    form.save_button.click()
    assert form.message.kind == "error" and "Deadline date" in form.message.text
    assert sqlite_store.get_consultation(draft_consultation.id).title == "How should we respond?"
