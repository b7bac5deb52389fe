"""The participation, divergence and joint-response tabs in French and Spanish.

English stays the default and unchanged (the other tests of this folder); here the same
widgets are built with ``language=`` and checked for the words, numbers and markup that
change with the language. The page-wide "no English left" check is ``tests/i18n``.
"""

from __future__ import annotations

import json

import helpers
import pytest

from cop_widgets import model as m
from cop_widgets.analysis.summary import NOT_GIVEN
from cop_widgets.demo import seed_demo
from cop_widgets.i18n import plural_translator, translator
from cop_widgets.io import links_csv, spreadsheet_cell
from cop_widgets.store import Store
from cop_widgets.widgets.common import esc
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.drafting import DraftEditor, endorsement_tally_html
from cop_widgets.widgets.participation import ParticipationPanel


@pytest.fixture
def named_demo(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/demo.db")
    seeded = seed_demo(store, members=20, silent=4, anonymous=False)
    yield store, seeded
    store.close()


def test_the_group_of_members_who_gave_no_value_is_the_analysis_one():
    """The tabs name groups through vocabulary.group_label, which knows the analysis' own."""
    from cop_widgets import vocabulary

    assert vocabulary.NOT_GIVEN == NOT_GIVEN
    fr = translator("fr")
    for own in (NOT_GIVEN, vocabulary.OTHER_GROUPS):
        assert vocabulary.group_label(own, fr) == fr(own) != own
    assert vocabulary.group_label("(not given) North", fr) == "(not given) North"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_participation_panel_in_a_language(named_demo, language):
    store, seeded = named_demo
    store.update_member(next(iter(seeded.tokens)), attributes={"role": "tutor"})
    _ = translator(language)
    panel = ParticipationPanel(store, seeded.consultation_id, language=language)
    summary, groups = panel.summary.value, panel.by_attribute.value
    assert f"<th scope='row'>{_('On the roster')}</th><td>20</td>" in summary
    assert _("Response rate") in summary and "%" in summary
    assert "\u00a0%" in summary.replace("\u202f", "\u00a0")  # 80 %, as the language writes it
    assert _("By {attribute}").format(attribute="region") in groups
    assert f"<th scope='row'>{_('(not given)')}</th>" in groups
    assert _("Share of roster") in groups and "Share of roster" not in groups
    assert panel.refresh_button.description == _("Refresh") != "Refresh"
    panel.refresh_button.click()
    assert panel.message.kind == "ok" and "UTC" in panel.message.text
    panel.reminder_button.click()
    assert panel.message.kind == "ok"
    rows = panel.reminder_links.value.splitlines()
    assert rows[0] == "name,email,link"  # a file format: the same in every language
    count = len(rows) - 1
    assert panel.message.text == plural_translator(language)(
        "A new link for {count} member who has not answered (their old link no longer "
        "works). Copy or download it now: it is shown only once.",
        "New links for {count} members who have not answered (their old links no longer "
        "work). Copy or download them now: they are shown only once.", count).format(
        count=count)


def test_anonymous_reminder_count_in_the_singular(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/one.db")
    try:
        seeded = seed_demo(store, members=6, silent=1, anonymous=True)
        panel = ParticipationPanel(store, seeded.consultation_id)
        panel.reminder_button.click()
        assert panel.message.text.startswith("1 invited member has not answered.")
        french = ParticipationPanel(store, seeded.consultation_id, language="fr")
        french.reminder_button.click()
        assert french.message.text.startswith("1 membre invité n'a pas répondu.")
    finally:
        store.close()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_dashboard_in_a_language_draws_its_charts_in_it(named_demo, language):
    store, seeded = named_demo
    _ = translator(language)
    dash = DivergenceDashboard(store, seeded.consultation_id, language=language)
    assert dash.attribute_picker.description == _("Compare by")
    assert dash.attribute_picker.options[0][0] == _("(nothing)")
    assert f"<strong>{len(seeded.responded)}</strong>" in dash.summary.value
    assert _("Agreement and divergence per statement") in dash.divergence.value
    assert _("Comparison by {attribute}").format(attribute="region") in dash.comparison.value
    assert _("Results weighted to the roster (by {attribute})").format(
        attribute="region") in dash.weighted.value
    # The charts, their text alternatives and the weighting note are in the page's
    # language: nothing is marked as English any more.
    for section in (dash.divergence, dash.comparison, dash.weighted, dash.participation):
        assert 'lang="en"' not in section.value
    drawn = json.dumps(dash.divergence.specs, ensure_ascii=False)
    chart_title = _("Where the community agrees and splits")
    assert chart_title != "Where the community agrees and splits"
    assert chart_title in drawn  # the title drawn in the SVG
    assert "Where the community agrees and splits" not in drawn


def test_dashboard_in_english_marks_nothing(named_demo):
    store, seeded = named_demo
    dash = DivergenceDashboard(store, seeded.consultation_id)
    for section in (dash.divergence, dash.comparison, dash.weighted, dash.participation):
        assert "lang=" not in section.value


@pytest.mark.parametrize("language", ["fr", "es"])
def test_drafting_desk_in_a_language(named_demo, language, tmp_path):
    store, seeded = named_demo
    cid = seeded.consultation_id
    _ = translator(language)
    desk = DraftEditor(store, cid, export_dir=tmp_path, language=language)
    assert desk.sections["consensus"].description == _("Points of consensus")
    assert desk.version_picker.options[0][0] == _("none yet")
    assert esc(_("No version put to the members yet: they have nothing to answer.")) \
        in desk.tally.value
    desk.propose_button.click()
    assert desk.message.text == _("Proposed from the answers so far. Edit the sections, "
                                  "then save them as a new version.")
    desk.save_button.click()
    assert desk.message.text == _("Saved version {number} privately: members do not see it "
                                  "until you put it to them.").format(number=1)
    assert "UTC" in desk.version_picker.options[0][0]  # the moment, in the language
    desk.share_button.click()
    assert desk.step_message.kind == "ok", desk.step_message.text
    assert _("Version {number}:").format(number=1) in desk.tally.value
    desk.export_format.value = "html"
    desk.export_button.click()
    assert desk.export_message.kind == "ok"
    name = f"joint-response-{cid}.html"
    assert desk.export_message.text == _("Ready: {file} is offered below as a "
                                         "download.").format(file=name)
    assert esc(_("Download {file}").format(file=name)) in desk.download.value
    assert [p.name for p in tmp_path.iterdir()] == ["demo.db"]  # no file written


def test_tally_in_a_language_and_plural():
    endorsement = m.Endorsement(1, 1, m.EndorsementKind.BLOCK, "Pas notre voix")
    french = endorsement_tally_html([endorsement], 20, language="fr")
    assert "1 membre sur 20 a répondu à cette version" in french
    assert "Bloquent" in french and "Raisons données pour bloquer" in french
    english = endorsement_tally_html([endorsement, endorsement], 20)
    assert "2 of 20 members have answered this version" in english
    assert "1 of 20 members has answered" in endorsement_tally_html([endorsement], 20)


def test_links_csv_keeps_formulas_as_text():
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert (links_csv([("=HYPERLINK(1)", "", "http://x")])
            == "name,email,link\n'=HYPERLINK(1),,http://x\n")


def test_a_french_workbench_says_what_went_wrong_in_french(named_demo):
    from cop_widgets.widgets.roster import RosterEditor
    from cop_widgets.widgets.settings import ConsultationSettings
    from cop_widgets.widgets.statements import StatementsEditor

    upload_value = helpers.upload_value
    store, seeded = named_demo
    cid = seeded.consultation_id
    roster = RosterEditor(store, cid, language="fr")
    roster.import_button.click()
    assert roster.message.text == ("fichier CSV : choisissez d'abord un fichier (bouton "
                                   "« Choisir un fichier CSV »)")
    roster.upload.value = upload_value("name,Region,region\nAna,North,South\n")
    roster.import_button.click()
    assert roster.message.text.startswith("ligne 1 du CSV : nomme une colonne deux fois")
    statements = StatementsEditor(store, cid, language="fr")
    statements.upload.value = upload_value("text\n\n" + "x" * 600 + "\n")
    statements.import_csv_button.click()
    assert statements.message.text.startswith(
        "ligne 3 du CSV, colonne « text » : doit compter au plus 500 caractères, et non 600")
    settings = ConsultationSettings(store, cid, language="fr")
    settings.title.value = " "
    settings.save_button.click()
    said = " ".join(settings.message.text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert said == (
        "Rien n'a été enregistré : la question posée à la communauté ne doit pas être vide. "
        "Le formulaire affiche de nouveau la valeur enregistrée."), settings.message.text
