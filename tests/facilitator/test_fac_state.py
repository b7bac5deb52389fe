"""Widget state: consultation ids as traitlets, tabs from one registry, no shared Layout."""

from __future__ import annotations

import dataclasses

import helpers
import pytest

from cop_widgets import model as m
from cop_widgets.widgets import tabs as registry
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.drafting import DraftEditor
from cop_widgets.widgets.facilitator import FacilitatorWorkbench
from cop_widgets.widgets.intake import IntakeForm
from cop_widgets.widgets.participation import ParticipationPanel
from cop_widgets.widgets.roster import RosterEditor
from cop_widgets.widgets.settings import ConsultationSettings
from cop_widgets.widgets.statements import StatementsEditor


@pytest.fixture
def two(sqlite_store, development):
    """Two consultations that differ in every tab: title, statements, roster, attribute, draft."""
    store = sqlite_store
    out = []
    for title, statement, member, attribute, draft in (
            ("First", "S one", "Ana", "region", "Summary one"),
            ("Second", "S two", "Bo", "role", "Summary two")):
        c = store.add_consultation(m.Consultation(development.id, title, anonymous=False))
        store.add_statement(m.Statement(c.id, statement))
        store.add_member(m.Member(c.id, member, attributes={attribute: member + "ish"}))
        store.add_draft(c.id, {"consensus": draft})
        out.append(c)
    return out


# -- no shared Layout -------------------------------------------------------------------


def test_hiding_one_field_leaves_another_visible(sqlite_store, draft_consultation):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.name.layout.display = "none"
    assert roster.email.layout.display != "none"
    assert roster.base_url.layout.display != "none"
    settings = ConsultationSettings(sqlite_store, draft_consultation.id)
    assert settings.title.layout.display != "none"


def test_no_two_widgets_of_the_workbench_share_a_layout(sqlite_store, draft_consultation):
    bench = FacilitatorWorkbench(sqlite_store)
    for key in ("dashboard", "drafting"):
        bench.open_tab(key)
    trees = [bench, *(getattr(bench, spec.key) for spec in registry.TABS)]
    widgets = {id(x): x for tree in trees for x in helpers.walk(tree)}.values()
    layouts = [id(x.layout) for x in widgets if hasattr(x, "layout")]
    assert len(layouts) == len(set(layouts))


# -- consultation ids drive the redraw ------------------------------------------------------


def test_setting_the_workbench_consultation_id_shows_it(sqlite_store, two):
    first, second = two
    bench = FacilitatorWorkbench(sqlite_store)
    assert bench.consultation_id == second.id  # the newest, as picked
    bench.consultation_id = first.id
    assert bench.picker.value == first.id
    assert bench.settings.title.value == "First"
    bench.picker.value = second.id
    assert bench.consultation_id == second.id and bench.settings.title.value == "Second"


def test_relabelling_the_picker_does_not_rebuild_the_tabs(sqlite_store, two):
    bench = FacilitatorWorkbench(sqlite_store)
    settings = bench.settings
    bench.relabel()  # new picker options select the first one for a moment
    assert bench.settings is settings


@pytest.mark.parametrize(("make", "shown"), [
    (lambda s, cid: ConsultationSettings(s, cid), lambda w: w.title.value),
    (lambda s, cid: StatementsEditor(s, cid), lambda w: w.rows[0].text.value),
    (lambda s, cid: RosterEditor(s, cid), lambda w: w.table.value),
    (lambda s, cid: ParticipationPanel(s, cid), lambda w: w.by_attribute.value),
    (lambda s, cid: DivergenceDashboard(s, cid), lambda w: w.attribute_picker.value),
    (lambda s, cid: DraftEditor(s, cid), lambda w: w.sections["consensus"].value),
], ids=["settings", "statements", "roster", "participation", "dashboard", "drafting"])
def test_setting_a_tabs_consultation_id_redraws_it(sqlite_store, two, make, shown):
    first, second = two
    widget = make(sqlite_store, first.id)
    before = shown(widget)
    widget.consultation_id = second.id
    after = shown(widget)
    assert after != before
    widget.consultation_id = first.id
    assert shown(widget) == before


def test_roster_links_stay_with_their_consultation(sqlite_store, two):
    first, second = two
    roster = RosterEditor(sqlite_store, first.id)
    roster.invite_all_button.click()
    assert set(helpers.links_of(roster.links.value)) == {"Ana"}
    roster.consultation_id = second.id
    assert roster.links.value == ""
    roster.consultation_id = first.id
    assert set(helpers.links_of(roster.links.value)) == {"Ana"}


def test_setting_the_intake_development_id_fills_or_empties_it(sqlite_store, development):
    form = IntakeForm(sqlite_store)
    assert form.title.value == ""
    form.development_id = development.id
    assert form.title.value == "New assessment policy"
    form.development_id = None
    assert form.title.value == "" and form.development is None


def test_a_refused_version_choice_is_put_back_without_loading(sqlite_store, two):
    first, _second = two
    desk = DraftEditor(sqlite_store, first.id)
    sqlite_store.add_draft(first.id, {"consensus": "Consensus two of First"})
    desk.consultation_id = None
    desk.consultation_id = first.id
    assert desk.version == 2 and desk.sections["consensus"].value == "Consensus two of First"
    desk.sections["consensus"].value = "my unsaved edit"
    desk.version_picker.value = 1
    assert desk.message.kind == "error"
    assert desk.version_picker.value == 2 and desk.version == 2
    assert desk.sections["consensus"].value == "my unsaved edit"
    desk.version_picker.value = 1  # asked again: the edit is dropped
    assert desk.version == 1 and desk.sections["consensus"].value == "Summary one"


# -- the tabs' registry ------------------------------------------------------------------


def test_adding_a_tab_is_one_entry(sqlite_store, draft_consultation, monkeypatch):
    import ipywidgets as w

    built = []

    def notes(bench, consultation, earlier):
        built.append(sorted(earlier))
        return w.HTML(f"<p>Notes on {consultation.title}</p>")

    extra = registry.TabSpec("notes", "Notes", notes, lazy=True)
    monkeypatch.setattr(registry, "TABS", (*registry.TABS, extra))
    bench = FacilitatorWorkbench(sqlite_store)
    assert bench.tabs.titles[-1] == "Notes" and bench.notes is None
    bench.tabs.selected_index = len(registry.TABS) - 1
    assert "How should we respond?" in bench.notes.value
    assert "roster" in built[0]


def test_every_tab_is_reached_by_its_key(sqlite_store, draft_consultation):
    bench = FacilitatorWorkbench(sqlite_store)
    for index, spec in enumerate(registry.TABS):
        bench.tabs.selected_index = index
        view = getattr(bench, spec.key)
        assert view is not None
        holder = bench.tabs.children[index]
        assert view is holder or view in holder.children
    assert bench.tabs.titles == tuple(spec.title for spec in registry.TABS)
    assert [dataclasses.astuple(s)[0] for s in registry.TABS] == [
        "intake", "statements", "settings", "roster", "participation", "discussion",
        "dashboard", "drafting"]
