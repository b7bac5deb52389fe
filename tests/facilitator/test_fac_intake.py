import datetime as dt

from cop_widgets import model as m
from cop_widgets.widgets.intake import IntakeForm


def test_create_development(sqlite_store):
    form = IntakeForm(sqlite_store)
    assert form.request_box.layout.display == "none"
    form.kind.value = "technology"
    form.title.value = "  AI triage tool  "
    form.summary.value = "The hospital adopts an AI triage tool."
    form.source_url.value = "https://example.org/ai"
    form.date.value = dt.date(2026, 3, 1)
    form.save_button.click()

    assert form.message.kind == "ok", form.message.text
    [saved] = sqlite_store.list_developments()
    assert saved.kind is m.DevelopmentKind.TECHNOLOGY
    assert saved.title == "AI triage tool"
    assert saved.source_url == "https://example.org/ai"
    assert saved.date == dt.date(2026, 3, 1)
    assert form.development == saved


def test_second_save_updates_instead_of_creating(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.title.value = "First"
    form.save_button.click()
    form.title.value = "Second"
    form.save_button.click()
    [saved] = sqlite_store.list_developments()
    assert saved.title == "Second"


def test_update_loaded_development(sqlite_store):
    dev = sqlite_store.add_development(m.Development("policy", "Old title", summary="s"))
    form = IntakeForm(sqlite_store, dev.id)
    assert form.title.value == "Old title"
    assert form.summary.value == "s"
    form.title.value = "New title"
    form.kind.value = "management_change"
    form.save_button.click()
    assert form.message.kind == "ok", form.message.text
    [saved] = sqlite_store.list_developments()
    assert (saved.id, saved.title, saved.kind) == (dev.id, "New title",
                                                   m.DevelopmentKind.MANAGEMENT_CHANGE)


def test_request_for_opinion_fields(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.kind.value = "request_for_opinion"
    assert form.request_box.layout.display == ""
    form.title.value = "Ministry asks for our view"
    form.requester.value = "Ministry of Health"
    form.requester_deadline.value = dt.date(2026, 5, 1)
    form.questions.value = "Should it apply to rural clinics?\n\n  Who pays?  \n"
    form.save_button.click()
    assert form.message.kind == "ok", form.message.text
    [saved] = sqlite_store.list_developments()
    assert saved.requester == "Ministry of Health"
    assert saved.requester_deadline == dt.date(2026, 5, 1)
    assert saved.questions == ("Should it apply to rural clinics?", "Who pays?")

    loaded = IntakeForm(sqlite_store, saved.id)
    assert loaded.request_box.layout.display == ""
    assert loaded.questions.value.splitlines() == list(saved.questions)


def test_request_fields_ignored_for_other_kinds(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.kind.value = "request_for_opinion"
    form.title.value = "Changed my mind"
    form.requester.value = "Someone"
    form.requester_deadline.value = dt.date(2026, 5, 1)
    form.questions.value = "A question"
    form.kind.value = "policy"
    assert form.request_box.layout.display == "none"
    form.save_button.click()
    assert form.message.kind == "ok", form.message.text
    [saved] = sqlite_store.list_developments()
    assert (saved.requester, saved.requester_deadline, saved.questions) == ("", None, ())
    assert form.requester.value == "" and form.questions.value == ""


def test_request_for_opinion_without_questions_is_refused(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.kind.value = "request_for_opinion"
    form.title.value = "Asked"
    form.requester.value = "Ministry"
    form.requester_deadline.value = dt.date(2026, 5, 1)
    form.save_button.click()
    assert form.message.kind == "error"
    assert "questions" in form.message.text
    assert sqlite_store.list_developments() == []


def test_invalid_title_shows_error_and_writes_nothing(sqlite_store):
    form = IntakeForm(sqlite_store)
    form.title.value = "   "
    form.save_button.click()
    assert form.message.kind == "error"
    assert "title" in form.message.text and "must not be empty" in form.message.text
    assert 'role="alert"' in form.message.value
    assert sqlite_store.list_developments() == []

    form.title.value = "x" * 201
    form.save_button.click()
    assert "at most 200 characters" in form.message.text
    assert sqlite_store.list_developments() == []


def test_invalid_update_keeps_stored_development(sqlite_store):
    dev = sqlite_store.add_development(m.Development("policy", "Kept"))
    form = IntakeForm(sqlite_store, dev.id)
    form.source_url.value = "ftp://nope"
    form.save_button.click()
    assert form.message.kind == "error" and "source link" in form.message.text
    assert sqlite_store.get_development(dev.id).source_url == ""


def test_every_input_has_a_label(sqlite_store):
    form = IntakeForm(sqlite_store)
    for field in (form.kind, form.title, form.summary, form.source_url, form.date,
                  form.requester, form.requester_deadline, form.questions):
        assert field.description
