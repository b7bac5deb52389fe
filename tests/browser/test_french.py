"""French pages in Debian's chromium: no English user-interface text on the screen.

The member page and the results page are opened through a real ``cop-widgets serve``
(fixtures of ``conftest.py``), once for a consultation whose language is French and once
for an English consultation opened with ``&lang=fr``. The text chromium shows
(``page.inner_text("body")``) must hold no msgid of the catalogue, and must hold French.

The filter of English pieces is the one of ``tests/i18n/leftovers.py`` (loaded by path):
msgids cut at their placeholders, pieces with fewer than 3 letters or common to every
language dropped, and pieces that are also words of the French translations (``Veto``,
``Participation``, ``version``...) kept out. Taken out of the page's text before the check:

* what members and the facilitator wrote (titles, statements, names, reasons), seeded here
  or by ``conftest.py``;
* the Markdown cells of the workbooks (``workbooks/*.ipynb``: "# Your position", "# Results"
  and a line of help). They are notebook prose, not widget text, and are still English:
  translating them belongs to the workbooks, not to the catalogue. They are checked to be
  only that prose, so nothing else can hide in them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import types
from pathlib import Path

import pytest
from expect_or_skip import expect
from helpers import GATE_REFUSAL, gate_refused

from cop_widgets import model as m
from cop_widgets.i18n import translator

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "i18n_leftovers", Path(__file__).resolve().parents[1] / "i18n" / "leftovers.py")
leftovers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(leftovers)

_ = translator("fr")
#: French a member must see on each page (translations of these msgids).
MEMBER_FRENCH = ("Your position", "Submit my position", "Save draft", "Strongly agree",
                 "Pass / unsure", "Why? (optional)", "Propose a new statement")
RESULTS_FRENCH = ("Where the community stands", "Reasons members gave", "Strongly agree")

FRENCH = types.SimpleNamespace(
    development="Nouvelle politique d'évaluation",
    summary="Le ministère change l'évaluation des apprentissages.",
    title="Comment notre réseau répond-il ?",
    statements=("Notre réseau devrait publier une déclaration commune avant la fin du "
                "trimestre.",
                "Les membres ont besoin d'une demi-journée de formation.",
                "Le changement réduira le temps passé en formalités."),
    reasons=("Nos tuteurs l'ont demandé.", "Cela dépend des régions."),
)


def seed_french(store, *, members: int = 2) -> types.SimpleNamespace:
    """An OPEN French consultation, built through store verbs."""
    development = store.add_development(m.Development(
        "policy", FRENCH.development, summary=FRENCH.summary,
        source_url="https://example.org/politique", date="2026-01-10"))
    consultation = store.add_consultation(m.Consultation(
        development.id, FRENCH.title, scale="likert5", language="fr",
        visibility="after_submission"))
    statements = store.add_statements(
        [m.Statement(consultation.id, text) for text in FRENCH.statements])
    roster = store.add_members([m.Member(consultation.id, f"Membre {i + 1}")
                                for i in range(members)])
    tokens = [store.add_invitation(member.id)[1] for member in roster]
    consultation = store.open_consultation(consultation.id)
    contents = [FRENCH.development, FRENCH.summary, FRENCH.title, *FRENCH.statements,
                *FRENCH.reasons, *(member.name for member in roster)]
    return types.SimpleNamespace(consultation=consultation, statements=statements,
                                 tokens=tokens, contents=contents)


def english_contents(seeded) -> list[str]:
    """What ``conftest.seed_consultation`` wrote: English content, not interface text."""
    return [seeded.consultation.title, *(s.text for s in seeded.statements),
            *(member.name for member in seeded.members),
            "New assessment policy", "The ministry changes assessment."]


def workbook_words() -> set[str]:
    """Every word of the workbooks' Markdown cells."""
    words: set[str] = set()
    for notebook in (Path(__file__).resolve().parents[2] / "workbooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                words.update(re.findall(r"\w+", "".join(cell["source"])))
    return words


def answer_all(store, consultation_id, token, stances, reasons=()) -> None:
    statements = store.list_statements(consultation_id)
    store.save_card(consultation_id, token, [
        {"statement_id": s.id, "stance": stance,
         "rationale": reasons[i] if i < len(reasons) else ""}
        for i, (s, stance) in enumerate(zip(statements, stances, strict=False))])


def screen_text(page, contents) -> str:
    """The body's visible text, without the workbook's Markdown prose and seeded content."""
    text = page.inner_text("body")
    prose = [t for t in page.locator(".jp-MarkdownCell").all_inner_texts() if t.strip()]
    known = workbook_words()
    for block in prose:
        # Only the workbooks' own prose is taken out: no other word may hide in it.
        assert set(re.findall(r"\w+", block)) <= known, block
        text = text.replace(block, " ")
    return leftovers.without(text, contents)


def check_french(page, contents, expected_msgids) -> str:
    text = screen_text(page, contents)
    english = leftovers.english_leftovers(text, "fr")
    assert not english, f"English on the French page: {english}\n---\n{text}"
    for msgid in expected_msgids:
        assert _(msgid) != msgid
        assert leftovers._normal(_(msgid)) in leftovers._normal(text), (msgid, _(msgid))
    return text


def check_markdown_cells(page) -> None:
    """The Markdown cells hold no widget: only the workbook's prose is ever taken out."""
    cells = page.locator(".jp-MarkdownCell")
    assert cells.locator(".cop-member-page, .cop-results-page, .widget-radio-box").count() == 0


# -- tests --------------------------------------------------------------------------------


def test_member_page_of_a_french_consultation(live, open_page, rendered):
    seeded = seed_french(live.store)
    cid, token = seeded.consultation.id, seeded.tokens[0]
    answer_all(live.store, cid, seeded.tokens[1], [5, 2, None], FRENCH.reasons)
    visit = open_page(live.member_link(cid, token))
    page = visit.page
    check_markdown_cells(page)
    check_french(page, seeded.contents, MEMBER_FRENCH)

    # Answer and submit: the thank-you and the community's results are French too.
    row = page.locator(".cop-member-page .cop-statement").first
    row.get_by_role("radio", name=_("Agree"), exact=True).check()
    page.get_by_role("button", name=_("Submit my position")).click()
    message = page.locator(".cop-member-page .cop-message")
    expect(message).to_contain_text(_("Thank you: your position is submitted."))
    expect(page.locator(".cop-member-page")).to_contain_text(_("Where the community stands"))
    text = check_french(page, seeded.contents, ("Where the community stands",))
    assert "50\u00a0%" in text.replace("\u202f", "\u00a0")  # French percentages
    assert visit.page_errors == [], visit.page_errors


def test_member_page_with_lang_fr_on_an_english_consultation(live, open_page,
                                                             make_consultation):
    seeded = make_consultation(members=2)
    assert seeded.consultation.language == "en"
    url = live.member_link(seeded.consultation.id, seeded.tokens[seeded.members[0].id])
    visit = open_page(url + "&lang=fr")
    check_markdown_cells(visit.page)
    check_french(visit.page, english_contents(seeded), MEMBER_FRENCH)


def test_refusal_of_a_bad_link_with_lang_fr(live, open_page):
    url = live.member_link(live.seeded.consultation.id, "x" * 32) + "&lang=fr"
    visit = open_page(url, ready=gate_refused)
    refusal = visit.page.locator(GATE_REFUSAL)
    expect(refusal).to_contain_text(_("This link does not open a position card."))
    assert visit.page.locator("html").get_attribute("lang") == "fr"
    check_french(visit.page, english_contents(live.seeded),
                 ("This link does not open a position card.",))


def test_results_page_of_a_french_consultation(live, open_page, rendered):
    seeded = seed_french(live.store, members=3)
    cid = seeded.consultation.id
    answer_all(live.store, cid, seeded.tokens[0], [5, 4, None], FRENCH.reasons)
    answer_all(live.store, cid, seeded.tokens[1], [1, 4])
    live.store.close_consultation(cid)
    visit = open_page(live.results_link(cid),
                      ready=lambda p: rendered(p, ".cop-results-page"))
    check_markdown_cells(visit.page)
    text = check_french(visit.page, seeded.contents, RESULTS_FRENCH)
    assert FRENCH.reasons[0] in visit.page.inner_text("body")  # quoted, as written
    assert "2 sur 3" in leftovers._normal(text)  # "Membres ayant répondu : 2 sur 3."


def test_results_page_with_lang_fr_on_an_english_consultation(live, open_page, rendered,
                                                              make_consultation):
    seeded = make_consultation(members=2)
    cid = seeded.consultation.id
    answer_all(live.store, cid, seeded.tokens[seeded.members[0].id], [5, 2],
               ("Because it is fair.",))
    live.store.close_consultation(cid)
    visit = open_page(live.results_link(cid) + "&lang=fr",
                      ready=lambda p: rendered(p, ".cop-results-page"))
    check_french(visit.page, [*english_contents(seeded), "Because it is fair."],
                 (*RESULTS_FRENCH, "No answers yet."))
