"""No English reaches a translated page: the widget trees, walked in pure Python.

Each page is built as Voila builds it, for a consultation whose language is French (or
Spanish), and for an English consultation opened with ``?lang=fr`` (the ``language``
argument). Every text a member can read or hear is collected (descriptions, placeholders,
tooltips, option labels, tab titles, HTML and Label values with their ``title``/``alt``
attributes); what members and the facilitator wrote is taken out; then no msgid of the
catalogue may be left (see ``leftovers.py`` for the filter).

No page holds English on purpose: the divergence tab's charts (their titles, axes, legends
and the text drawn in the SVG), their text alternatives and the notes the analysis writes
(weighting, opinion groups) are in the page's language and checked like the rest. Text
marked ``lang="en"`` anywhere fails the test.
"""

from __future__ import annotations

import datetime as dt
import types

import ipywidgets as w
import pytest
from helpers import walk
from leftovers import english_leftovers, html_text, translated_pieces, without

from cop_widgets import model as m
from cop_widgets.demo import seed_demo
from cop_widgets.i18n import translator
from cop_widgets.jupyter import pages
from cop_widgets.jupyter.keys import FACILITATOR_KEY_HASH_ENV, key_hash
from cop_widgets.widgets.endorse import EndorsementPage
from cop_widgets.widgets.facilitator import FacilitatorWorkbench
from cop_widgets.widgets.member import PASS, MemberPage
from cop_widgets.widgets.results import ResultsView

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

def readable_text(root) -> str:
    """Everything a member reads or hears on the page, one piece per line.

    Text marked ``lang="en"`` (English on purpose) fails the test.
    """
    parts: list[str] = []
    for widget in walk(root):
        for name in ("description", "placeholder", "tooltip"):
            value = getattr(widget, name, None)
            if isinstance(value, str) and value.strip("\u200b "):
                parts.append(value)
        labels = getattr(widget, "_options_labels", None)
        if labels:
            parts.extend(labels)
        titles = getattr(widget, "titles", None)
        if titles:
            parts.extend(t for t in titles if t)
        if isinstance(widget, (w.HTML, w.HTMLMath)):
            marked: list[tuple[str, str]] = []
            parts.append(html_text(widget.value, marked))
            assert not marked, f"lang='en' on the page: {marked}"
        elif isinstance(widget, w.Label):
            parts.append(widget.value)
    return "\n".join(parts)


def assert_no_english(root, language: str, contents) -> str:
    """Check the page: no msgid of the catalogue left once ``contents`` are taken out."""
    text = without(readable_text(root), contents)
    leftovers = english_leftovers(text, language)
    assert not leftovers, f"English on a {language} page: {leftovers}\n---\n{text}"
    return text


def assert_translated(text: str, language: str, *expected: str) -> None:
    _ = translator(language)
    for msgid in expected:
        assert _(msgid) != msgid and _(msgid) in text, (language, msgid)
    assert any(piece in text for piece in translated_pieces(language))


# -- seed ----------------------------------------------------------------------------------

CONTENT = {
    "fr": types.SimpleNamespace(
        development="Nouvelle politique d'évaluation",
        summary="Le ministère change l'évaluation des apprentissages.",
        requester="Ministère de l'Éducation",
        questions=("Faut-il étaler la réforme ?", "Quelle formation prévoir ?"),
        title="Comment répondre à la nouvelle politique ?",
        statements=("La réforme devrait être étalée sur deux ans.",
                    "Les membres ont besoin d'une formation avant le changement.",
                    "Le changement réduira notre charge de travail."),
        reasons=("C'est plus juste pour les équipes.", "Nous l'avons déjà vécu."),
        draft={"development": "La politique et notre question.",
               "consensus": "- Nous sommes d'accord sur **1.**",
               "divergent": "Aucun énoncé n'a divisé la communauté.",
               "recommendations": "Demander un projet pilote."}),
    "es": types.SimpleNamespace(
        development="Nueva política de evaluación",
        summary="El ministerio cambia la evaluación del aprendizaje.",
        requester="Ministerio de Educación",
        questions=("¿Hay que escalonar la reforma?", "¿Qué formación hace falta?"),
        title="¿Cómo respondemos a la nueva política?",
        statements=("La reforma debería aplicarse en dos años.",
                    "Hace falta formación antes del cambio.",
                    "El cambio reducirá nuestra carga de trabajo."),
        reasons=("Es más justo para los equipos.", "Ya lo vivimos."),
        draft={"development": "La política y nuestra pregunta.",
               "consensus": "- Estamos de acuerdo con **1.**",
               "divergent": "Ninguna afirmación dividió a la comunidad.",
               "recommendations": "Pedir un proyecto piloto."}),
}


def seed_translated(store, language: str, *, deadline: dt.datetime | None = None):
    """A request for opinion in ``language``, 3 statements, 3 invited members, open."""
    words = CONTENT[language]
    development = store.add_development(m.Development(
        "request_for_opinion", words.development, summary=words.summary,
        source_url="https://example.org/politique", date="2026-01-10",
        requester=words.requester, requester_deadline="2026-03-01", questions=words.questions))
    consultation = store.add_consultation(m.Consultation(
        development.id, words.title, scale="likert5", language=language,
        visibility="after_submission", deadline=deadline))
    statements = store.add_statements(
        [m.Statement(consultation.id, text) for text in words.statements])
    members = store.add_members([m.Member(consultation.id, name) for name in
                                 ("Amélie Roux", "Bruno Díaz", "Chloé Martin")])
    tokens = [store.add_invitation(member.id)[1] for member in members]
    consultation = store.open_consultation(consultation.id)
    contents = [words.development, words.summary, words.requester, *words.questions,
                words.title, *words.statements, *words.reasons,
                *(member.name for member in members), "https://example.org/politique"]
    return types.SimpleNamespace(consultation=consultation, statements=statements,
                                 members=members, tokens=tokens, contents=contents,
                                 words=words, development=development)


def seeded_contents(seeded) -> list[str]:
    """What the shared ``seeded`` fixture wrote (English content, not UI text)."""
    d = seeded.development
    return [d.title, d.summary, d.source_url, seeded.consultation.title,
            *(s.text for s in seeded.statements), *(mb.name for mb in seeded.members)]


def answer(store, consultation_id, token, stances, reasons=("", "", "")):
    store.save_card(consultation_id, token, [
        {"statement_id": s.id, "stance": stance, "rationale": reason}
        for s, stance, reason in zip(store.list_statements(consultation_id), stances, reasons,
                                     strict=False)])


# -- member page -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "es"])
def test_member_page_in_the_consultation_language(store, clock, language):
    seeded = seed_translated(store, language, deadline=clock.now + dt.timedelta(days=7))
    cid = seeded.consultation.id
    answer(store, cid, seeded.tokens[1], [5, 2, None], seeded.words.reasons)
    page = MemberPage(store, cid, seeded.tokens[0])
    assert page.refusal is None and page.language == language
    text = assert_no_english(page, language, seeded.contents)
    assert_translated(text, language, "Submit my position", "Strongly agree", "Pass / unsure",
                      "Your position", "Why? (optional)", "A request for our opinion")

    # Answer, save a draft, submit: every message and the results are translated too.
    page.rows[0].stance.value = 4
    page.rows[1].stance.value = PASS
    page.rows[0].rationale.value = seeded.words.reasons[0]
    page.save_draft.click()
    assert page.message.kind == "ok"
    assert_no_english(page, language, seeded.contents)
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    text = assert_no_english(page, language, seeded.contents)
    assert_translated(text, language, "Where the community stands", "Thank you: your "
                      "position is submitted.")
    page.proposal.value = CONTENT[language].statements[0] + " (bis)"
    page.propose.click()
    assert page.message.kind == "ok"
    assert_no_english(page, language, seeded.contents)

    # Coming back later shows the "welcome back" line, with the date in the language.
    again = MemberPage(store, cid, seeded.tokens[0])
    text = assert_no_english(again, language, seeded.contents)
    assert "UTC" in again.status.value and "2026-" not in again.status.value


def test_member_page_with_lang_override_on_an_english_consultation(store, seeded):
    token = seeded.tokens[seeded.members[0].id]
    page = MemberPage(store, seeded.consultation.id, token, "fr")
    assert seeded.consultation.language == "en" and page.language == "fr"
    text = assert_no_english(page, "fr", seeded_contents(seeded))
    assert_translated(text, "fr", "Submit my position", "Strongly disagree")
    page.submit.click()  # nothing answered: refused, in French
    assert page.message.kind == "error"
    assert_no_english(page, "fr", seeded_contents(seeded))
    page.rows[2].stance.value = 1
    page.submit.click()
    assert page.message.kind == "ok"
    assert_no_english(page, "fr", seeded_contents(seeded))
    # ...and ``?lang=en`` on a French consultation gives English back.
    french = seed_translated(store, "fr")
    english = MemberPage(store, french.consultation.id, french.tokens[0], "en")
    assert english.submit.description == "Submit my position"


@pytest.mark.parametrize("case", ["forged", "missing", "revoked", "no-consultation"])
def test_refusals_are_translated(store, case):
    seeded = seed_translated(store, "fr")
    cid, token = seeded.consultation.id, seeded.tokens[0]
    language = None  # the consultation's language where the consultation exists
    if case == "forged":
        token = "x" * 32
    elif case == "missing":
        token = None
    elif case == "revoked":
        store.revoke_invitation(seeded.members[0].id)
    else:
        cid, language = 4242, "fr"  # no consultation: only ?lang= can say the language
    page = MemberPage(store, cid, token, language)
    assert page.form is None and page.refusal is not None
    text = assert_no_english(page, "fr", seeded.contents)
    assert "Ce lien n'ouvre pas de fiche de position." in text
    endorse = EndorsementPage(store, cid, token, language)
    assert endorse.form is None
    assert_no_english(endorse, "fr", seeded.contents)
    results = ResultsView(store, cid if case == "no-consultation" else None, None, "fr")
    assert_no_english(results, "fr", seeded.contents)


def test_closed_consultation_and_late_click_are_said_in_french(store, clock):
    seeded = seed_translated(store, "fr")
    cid = seeded.consultation.id
    page = MemberPage(store, cid, seeded.tokens[0])
    store.close_consultation(cid)
    page.rows[0].stance.value = 4
    page.submit.click()  # the page was opened before the consultation closed
    assert page.message.kind == "error"
    fr = translator("fr")
    assert fr("the facilitator has closed the consultation") in page.message.text
    assert_no_english(page, "fr", seeded.contents)
    closed = MemberPage(store, cid, seeded.tokens[1])
    assert closed.submit.disabled
    text = assert_no_english(closed, "fr", seeded.contents)
    assert fr("Answers are no longer accepted:") in text

    store.update_consultation(cid, status="open", deadline=clock.now)
    clock.advance(60)
    late = MemberPage(store, cid, seeded.tokens[2])
    text = assert_no_english(late, "fr", seeded.contents)
    assert "la date limite du" in text and "est passée" in text


def test_second_round_card_in_french(store):
    seeded = seed_translated(store, "fr")
    cid = seeded.consultation.id
    answer(store, cid, seeded.tokens[0], [5, 1, 3])
    answer(store, cid, seeded.tokens[1], [1])
    store.add_round(cid)
    page = MemberPage(store, cid, seeded.tokens[0])
    text = assert_no_english(page, "fr", seeded.contents)
    assert "Tour 2." in text and "Votre avis à ce tour" in text
    assert "50\u00a0%" in text.replace("\u202f", "\u00a0")
    fresh = MemberPage(store, cid, seeded.tokens[2])  # did not answer round 1
    assert "vous n'avez pas répondu" in assert_no_english(fresh, "fr", seeded.contents)


# -- results and endorsement --------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "es"])
def test_results_view_in_the_consultation_language(store, language):
    seeded = seed_translated(store, language)
    cid = seeded.consultation.id
    hidden = ResultsView(store, cid)  # open, nobody submitted: not published
    assert_no_english(hidden, language, seeded.contents)
    answer(store, cid, seeded.tokens[0], [5, 4, None], seeded.words.reasons)
    answer(store, cid, seeded.tokens[1], [1, 4, 3])
    store.close_consultation(cid)
    view = ResultsView(store, cid)
    text = assert_no_english(view, language, seeded.contents)
    assert_translated(text, language, "Reasons members gave", "Where the community stands",
                      "Neither agree nor disagree")


def test_results_view_with_lang_override(store, seeded):
    cid = seeded.consultation.id
    answer(store, cid, seeded.tokens[seeded.members[0].id], [5, 2], ("Fair.", ""))
    store.close_consultation(cid)
    view = ResultsView(store, cid, None, "fr")
    text = assert_no_english(view, "fr", [*seeded_contents(seeded), "Fair."])
    assert_translated(text, "fr", "Reasons members gave", "Strongly agree", "No answers yet.")
    assert "No reasons" not in text


@pytest.mark.parametrize("language", ["fr", "es"])
def test_endorsement_page_in_the_consultation_language(store, language):
    seeded = seed_translated(store, language)
    cid = seeded.consultation.id
    contents = [*seeded.contents, *seeded.words.draft.values()]
    empty = EndorsementPage(store, cid, seeded.tokens[0])  # no draft yet
    assert_no_english(empty, language, contents)
    store.add_draft(cid, seeded.words.draft, share=True)
    page = EndorsementPage(store, cid, seeded.tokens[0])
    text = assert_no_english(page, language, contents)
    assert_translated(text, language, "I endorse it", "I block it (please say why)",
                      "Points of consensus", "Can you stand behind it?")
    page.submit.click()  # no choice yet: refused in the language
    assert page.message.kind == "error"
    assert_no_english(page, language, contents)
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert_no_english(page, language, contents)

    # The member page offers the draft, and opens it in the same language.
    member = MemberPage(store, cid, seeded.tokens[1])
    assert_no_english(member, language, contents)
    member.open_draft.click()
    assert_no_english(member, language, contents)


def test_endorsement_page_with_lang_override(store, seeded):
    cid = seeded.consultation.id
    draft = {"consensus": "We agree on 1.", "recommendations": "Ask for a pilot."}
    store.add_draft(cid, draft, share=True)
    page = EndorsementPage(store, cid, seeded.tokens[seeded.members[0].id], "fr")
    text = assert_no_english(page, "fr", [*seeded_contents(seeded), *draft.values()])
    assert_translated(text, "fr", "I can live with it", "Recommendations")


# -- facilitator ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "es"])
def test_facilitator_workbench_in_a_language(store, language):
    seeded = seed_translated(store, language)
    store.propose_statement(seeded.consultation.id, seeded.tokens[0], "Une proposition.")
    bench = FacilitatorWorkbench(store, language=language)
    contents = [*seeded.contents, "Une proposition.", "http://127.0.0.1:8866"]
    text = assert_no_english(bench, language, contents)
    assert_translated(text, language, "Facilitator workbench", "Statements on the card",
                      "Invitation links", "Levels, as members see them:")
    bench.roster.invite_all_button.click()
    bench.statements.rows[0].down_button.click()
    bench.settings.save_button.click()
    for widget in (bench.roster, bench.statements, bench.settings):
        assert widget.message.kind == "ok", widget.message.text
    links = [line.split(",")[-1] for line in bench.roster.links.value.splitlines()[1:]]
    assert_no_english(bench, language, [*contents, *links])


# -- the workbench's participation, divergence and joint-response tabs -------------------------


def demo_contents(store, consultation_id) -> list[str]:
    """What ``seed_demo`` wrote (English content, not UI text): titles, statements, names."""
    consultation = store.get_consultation(consultation_id)
    development = store.get_development(consultation.development_id)
    members = store.list_members(consultation_id)
    return [development.title, development.summary, development.source_url,
            consultation.title, *(s.text for s in store.list_statements(consultation_id)),
            *(mb.name for mb in members),
            *(f"{key}" for mb in members for key in mb.attributes),
            *(f"{value}" for mb in members for value in mb.attributes.values())]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_participation_divergence_and_joint_response_tabs(store, language, tmp_path,
                                                          monkeypatch):
    demo = seed_demo(store, members=24, silent=4, anonymous=False)
    cid = demo.consultation_id
    store.update_consultation(cid, language=language)
    no_region = next(iter(demo.tokens))  # a member who gave no region: "(not given)"
    store.update_member(no_region, attributes={"role": "tutor"})
    words = CONTENT[language]
    store.add_draft(cid, words.draft, share=True)
    contents = [*demo_contents(store, cid), *words.draft.values(), *words.reasons,
                "http://127.0.0.1:8866"]

    bench = FacilitatorWorkbench(store, language=language)
    for title in ("Participation", "Divergence", "Joint response"):
        bench.tabs.selected_index = [t for t in bench.tabs.titles].index(
            translator(language)(title))
    assert bench.dashboard is not None and bench.drafting is not None
    text = assert_no_english(bench, language, contents)
    assert_translated(
        text, language,
        # participation
        "On the roster", "Invited (working link)", "Response rate",
        "Share of roster", "Representation gap (points)", "(not given)", "Prepare reminders",
        # divergence
        "Compare by", "Agreement and divergence per statement", "Who has been heard",
        "Opinion groups", "Agree (weighted)", "Refresh by itself as cards arrive",
        # joint response
        "Propose from the analysis", "Save privately as a new version", "Endorsement round",
        "Web page (.html)", "Endorse", "Can live with it", "Block")
    points = translator(language)("What sets group {letter} apart:").format(letter="A")
    assert points in text  # the opinion groups were found, and said in the language

    # Every action of the three tabs answers in the language.
    bench.participation.refresh_button.click()
    bench.participation.reminder_button.click()
    assert bench.participation.message.kind == "ok", bench.participation.message.text
    links = [line.split(",")[-1]
             for line in bench.participation.reminder_links.value.splitlines()[1:]]
    assert links
    bench.dashboard.attribute_picker.value = "role"
    bench.dashboard.refresh_button.click()
    assert bench.dashboard.message.kind == "", bench.dashboard.message.text
    desk = bench.drafting
    desk.propose_button.click()  # the proposal itself is content (in English)
    desk.save_button.click()
    assert desk.message.kind == "ok", desk.message.text
    token = next(iter(demo.tokens.values()))
    store.add_endorsement(cid, token, store.get_draft(cid).id, "block", words.reasons[0])
    desk.refresh_button.click()
    monkeypatch.chdir(tmp_path)  # exports are written in the working folder
    desk.export_format.value = "html"
    desk.export_button.click()
    assert desk.message.kind == "ok", desk.message.text
    exported = str((tmp_path / f"joint-response-{cid}.html").resolve())
    text = assert_no_english(bench, language, [*contents, *links, exported])
    assert_translated(text, language, "Reasons given for blocking:",
                      "Download the reminders as a CSV file")
    assert words.reasons[0] in html_text(desk.tally.value)  # the reason, as written


@pytest.mark.parametrize("language", ["fr", "es"])
def test_facilitator_tabs_before_and_after_the_first_answers(store, language):
    seeded = seed_translated(store, language)  # anonymous (the default)
    cid = seeded.consultation.id
    assert seeded.consultation.anonymous
    bench = FacilitatorWorkbench(store, language=language)
    bench.open_dashboard()
    bench.open_drafting()
    text = assert_no_english(bench, language, seeded.contents)
    assert_translated(text, language, "No positions submitted yet: charts appear here.",
                      "No version put to the members yet: they have nothing to answer.", "none yet",
                      "Members have no attributes (role, region...), so there is no "
                      "breakdown by group.", "This consultation is anonymous: only counts "
                      "are shown, never who has or has not answered.")
    bench.participation.reminder_button.click()  # anonymous: counts only
    assert bench.participation.message.kind == "ok"
    assert bench.participation.reminder_links.value == ""
    assert_no_english(bench, language, seeded.contents)

    # names may be shown only if the consultation stops being anonymous before anyone
    # answers (afterwards the store refuses: tests/store/test_anonymity_lock.py)
    store.update_consultation(cid, anonymous=False)
    answer(store, cid, seeded.tokens[0], [5, 2, 4])  # too few for opinion groups
    bench.dashboard.refresh()
    bench.participation.refresh()
    assert bench.dashboard.divergence.specs
    assert seeded.members[1].name in bench.participation.not_responded.value
    text = assert_no_english(bench, language, seeded.contents)
    assert_translated(text, language, "Agreement and divergence per statement")


@pytest.mark.parametrize("language", ["fr", "es"])
def test_facilitator_page_refusal_and_workbench_in_the_language_of_the_link(
        monkeypatch, db_url, language):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv(FACILITATOR_KEY_HASH_ENV, key_hash("right-key"))
    monkeypatch.setenv("QUERY_STRING", f"k=wrong-key&lang={language}")
    refusal = pages.facilitator_page(db_url)
    assert_no_english(refusal, language, [])
    assert refusal.children[0].kind == "error"
    assert refusal.children[0].text == translator(language)(
        "The facilitator page needs the facilitator link printed by `cop-widgets serve` "
        "(or open the workbook in JupyterLab).")
    monkeypatch.setenv("QUERY_STRING", f"k=right-key&lang={language}")
    bench = pages.facilitator_page(db_url)
    assert isinstance(bench, FacilitatorWorkbench) and bench.language == language
    assert_no_english(bench, language, [])
