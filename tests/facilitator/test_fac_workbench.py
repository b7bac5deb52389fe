import helpers
import pytest

from cop_widgets import model as m
from cop_widgets.widgets.facilitator import (
    TAB_TITLES,
    FacilitatorWorkbench,
    facilitator_workbench,
)
from cop_widgets.widgets.intake import IntakeForm
from cop_widgets.widgets.participation import ParticipationPanel
from cop_widgets.widgets.roster import RosterEditor
from cop_widgets.widgets.settings import ConsultationSettings
from cop_widgets.widgets.statements import StatementsEditor


def test_empty_store_leads_to_new_consultation(sqlite_store):
    bench = FacilitatorWorkbench(sqlite_store)
    assert bench.picker.options == ()
    assert "No consultation yet" in bench.empty.value
    assert bench.new_section.selected_index == 0
    assert bench.tabs.layout.display == "none"
    assert bench.new_form.intake_box.layout.display == ""


def test_create_with_a_new_development(sqlite_store):
    bench = FacilitatorWorkbench(sqlite_store)
    form = bench.new_form
    form.intake.kind.value = "technology"
    form.intake.title.value = "AI triage"
    form.title.value = "How do we answer the AI triage plan?"
    form.create_button.click()
    assert form.message.kind == "ok", form.message.text

    [dev] = sqlite_store.list_developments()
    [c] = sqlite_store.list_consultations()
    assert (dev.title, c.development_id, c.title) == (
        "AI triage", dev.id, "How do we answer the AI triage plan?")
    assert bench.picker.value == c.id
    assert bench.tabs.titles == TAB_TITLES
    assert [type(x) for x in bench.tabs.children][:5] == [
        IntakeForm, StatementsEditor, ConsultationSettings, RosterEditor, ParticipationPanel]
    assert bench.dashboard is None  # the divergence tab is built when first opened
    assert bench.intake.title.value == "AI triage"
    assert bench.tabs.layout.display == ""
    assert form.title.value == "" and form.intake.title.value == ""


def test_create_with_an_existing_development(sqlite_store, development):
    bench = FacilitatorWorkbench(sqlite_store)
    form = bench.new_form
    form.development_picker.value = development.id
    assert form.intake_box.layout.display == "none"
    form.title.value = "Second question"
    form.create_button.click()
    assert form.message.kind == "ok", form.message.text
    assert [c.development_id for c in sqlite_store.list_consultations()] == [development.id]
    assert len(sqlite_store.list_developments()) == 1


def test_a_saved_development_is_never_overwritten_by_the_next_new_one(sqlite_store):
    bench = FacilitatorWorkbench(sqlite_store)
    form = bench.new_form
    form.intake.title.value = "Dev A"
    form.intake.save_button.click()
    [dev_a] = sqlite_store.list_developments()
    assert form.development_picker.value == dev_a.id
    assert "Dev A" in form.intake.message.text  # beside "Save development only"
    form.development_picker.value = form.development_picker.options[-1][1]  # a new one
    assert form.intake.title.value == ""  # an empty form, not Dev A
    form.intake.title.value = "Dev B"
    form.title.value = "Question about B"
    form.create_button.click()
    assert form.message.kind == "ok", form.message.text
    titles = {d.id: d.title for d in sqlite_store.list_developments()}
    assert titles[dev_a.id] == "Dev A" and sorted(titles.values()) == ["Dev A", "Dev B"]
    [c] = sqlite_store.list_consultations()
    assert titles[c.development_id] == "Dev B"


@pytest.mark.parametrize(("dev_title", "title", "field"), [
    ("A development", "", "title"),
    ("", "A question", "title"),
])
def test_create_refused_writes_nothing(sqlite_store, dev_title, title, field):
    bench = FacilitatorWorkbench(sqlite_store)
    form = bench.new_form
    form.intake.title.value = dev_title
    form.title.value = title
    form.create_button.click()
    assert form.message.kind == "error" and field in form.message.text
    assert sqlite_store.list_consultations() == []
    assert sqlite_store.list_developments() == []


def test_picking_another_consultation_rebuilds_tabs(sqlite_store, development):
    first = sqlite_store.add_consultation(m.Consultation(development.id, "First"))
    second = sqlite_store.add_consultation(m.Consultation(development.id, "Second"))
    bench = FacilitatorWorkbench(sqlite_store)
    assert bench.picker.value == second.id  # newest first
    assert bench.settings.title.value == "Second"
    old_settings = bench.settings
    bench.picker.value = first.id
    assert bench.settings.title.value == "First"
    assert bench.settings is not old_settings


def test_settings_change_relabels_picker(sqlite_store, development):
    c = sqlite_store.add_consultation(m.Consultation(development.id, "Old"))
    sqlite_store.add_statement(m.Statement(c.id, "S"))
    bench = FacilitatorWorkbench(sqlite_store)
    bench.settings.title.value = "New"
    bench.settings.save_button.click()
    bench.settings.open_button.click()
    assert bench.picker.options == (("New (open)", c.id),)
    assert bench.picker.value == c.id


def test_roster_change_refreshes_participation(sqlite_store, development):
    c = sqlite_store.add_consultation(m.Consultation(development.id, "Q"))
    bench = FacilitatorWorkbench(sqlite_store)
    bench.roster.name.value = "Ana"
    bench.roster.add_button.click()
    bench.roster.invite_all_button.click()
    assert "Invited (working link)</th><td>1" in bench.participation.summary.value
    bench.tabs.selected_index = TAB_TITLES.index("Participation")
    assert bench.message.kind in ("", "ok")
    assert c.id == bench.picker.value


def test_facilitator_workbench_factory(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/env.db"
    monkeypatch.setenv("COP_WIDGETS_DB", url)
    monkeypatch.setenv("COP_WIDGETS_BASE_URL", "https://voila.example.org")
    bench = facilitator_workbench()
    assert bench.store.url == url
    assert bench.base_url == "https://voila.example.org"
    bench.store.close()
    other = facilitator_workbench(f"sqlite:///{tmp_path}/other.db", "http://x")
    assert other.store.url.endswith("other.db") and other.base_url == "http://x"
    other.store.close()


def test_every_input_in_the_workbench_has_an_accessible_name(sqlite_store, development):
    sqlite_store.add_consultation(m.Consultation(development.id, "Q"))
    bench = FacilitatorWorkbench(sqlite_store)
    import ipywidgets as w

    inputs = (w.Text, w.Textarea, w.Dropdown, w.Checkbox, w.DatePicker, w.TimePicker,
              w.FileUpload, w.Button)
    for widget in helpers.walk(bench):
        if isinstance(widget, inputs):
            assert widget.description, widget


def test_links_shown_once_survive_a_look_at_another_consultation(sqlite_store, development):
    first = sqlite_store.add_consultation(m.Consultation(development.id, "First"))
    second = sqlite_store.add_consultation(m.Consultation(development.id, "Second"))
    sqlite_store.add_member(m.Member(first.id, "Ana"))
    bench = FacilitatorWorkbench(sqlite_store)
    bench.picker.value = first.id
    bench.roster.invite_all_button.click()
    assert bench.roster.message.kind == "ok", bench.roster.message.text
    links = bench.roster.links.value
    assert "Ana," in links and "t=" in links
    bench.picker.value = second.id
    assert bench.roster.links.value == ""  # the other consultation's links stay its own
    bench.picker.value = first.id
    assert bench.roster.links.value == links
    token = links.strip().splitlines()[-1].split("t=")[1]
    assert sqlite_store.get_member_for_token(first.id, token).name == "Ana"  # and still valid
