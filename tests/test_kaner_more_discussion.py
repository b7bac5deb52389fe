"""Issue 12, item 1: the analysis must not tell the ministry something false.

The reproduction: a request for opinion on the Kaner scale, five statements; statement 3
answered only "Whole-hearted endorsement" and "More discussion needed" by several members.
Every view the ministry's answer is drawn from (``cop-widgets analyze`` run as a process,
the Divergence tab, the proposed draft and the Markdown export) must say that members want
more discussion, and never that the statement is polarised or divided. Statement 5 is
split for real (endorsement against veto), so that the same views still say "polarised"
where it is true.

What is tested is the analysis and its words, not the database: the tests run on SQLite only
(the store's tests cover both backends), which spares each test's PostgreSQL run: a
database created and dropped, and its own ``analyze`` process.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from html.parser import HTMLParser

import docx
import pytest

from cop_widgets import model as m
from cop_widgets.export.api import export_consultation
from cop_widgets.export.proposal import proposed_sections
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.words.stances import CLASS_WORDS

CLI = [sys.executable, "-m", "cop_widgets.cli"]

WHOLE, MINOR, RESERVED, ABSTAIN, MORE, DISLIKE, SERIOUS, VETO = range(8, 0, -1)
#: Statement text -> the six members' stances.
STATEMENTS = {
    "Teachers need a year to prepare.": [WHOLE] * 6,
    "The ministry should fund training.": [WHOLE, WHOLE, WHOLE, MINOR, MINOR, DISLIKE],
    "Assessment should move online.": [WHOLE, MORE, WHOLE, MORE, WHOLE, MORE],
    "Parents should be told first.": [WHOLE, WHOLE, WHOLE, WHOLE, ABSTAIN, None],
    "The old exams should stay.": [WHOLE, VETO, WHOLE, VETO, WHOLE, VETO],
}
TEXTS = list(STATEMENTS)
MORE_DISCUSSION = TEXTS[2]
SPLIT = TEXTS[4]
FALSE_WORDS = ("polarised", "divided")


@pytest.fixture
def store(sqlite_store):
    """The store of these tests: SQLite only (see the module docstring)."""
    return sqlite_store


@pytest.fixture
def kaner(store) -> int:
    """The reproduction: a ministry's request for opinion answered on the Kaner scale."""
    development = store.add_development(m.Development(
        "request_for_opinion", "Assessment reform", requester="Ministry of Education",
        requester_deadline=dt.date(2026, 4, 30), questions=("What do you think?",)))
    consultation = store.add_consultation(m.Consultation(
        development.id, "A request for our opinion", scale="kaner8", anonymous=True))
    cid = consultation.id
    statements = store.add_statements([m.Statement(cid, text) for text in TEXTS])
    members = [store.add_member(m.Member(cid, f"Member {i}")) for i in range(6)]
    tokens = [store.add_invitation(member.id)[1] for member in members]
    store.open_consultation(cid)
    for i, token in enumerate(tokens):
        store.save_card(cid, token, [m.StanceResponse(s.id, STATEMENTS[s.text][i])
                                     for s in statements])
    return cid


def _analyze_json(store, cid: int) -> dict:
    out = subprocess.run([*CLI, "analyze", str(cid), "--db", store.url, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _table_row(markdown: str, text: str) -> str:
    rows = [line for line in markdown.splitlines()
            if line.startswith("|") and text.rstrip(".") in line]
    assert len(rows) == 1, rows
    return rows[0]


def _lines_about(text: str, statement: str) -> list[str]:
    return [line for line in text.splitlines() if statement.rstrip(".") in line]


def test_every_view_says_members_want_more_discussion_never_polarised(store, kaner, tmp_path):
    analysis = ConsultationAnalysis(store, kaner)
    summary = analysis.summary
    more_id = next(s.id for s in analysis.statements if s.text == MORE_DISCUSSION)
    row = summary.loc[more_id]
    assert row["class"] == "more discussion"
    assert (row.n, row.n_stance, row.n_more_discussion) == (6, 3, 3)
    assert row.more_discussion_share == pytest.approx(0.5)
    assert row.pct_agree == 1 and row.pct_disagree == 0

    # cop-widgets analyze, the real command
    cli = {s["text"]: s for s in _analyze_json(store, kaner)["statements"]}
    said = cli[MORE_DISCUSSION]
    assert said["class"] == "more discussion"
    assert said["class_text"] == "wants more discussion"
    assert "wants more discussion: 50%" in said["shares_apart_text"]
    assert said["shares_apart"] == {"more_discussion": 0.5}
    assert not any(word in json.dumps(said) for word in FALSE_WORDS)
    assert cli[SPLIT]["class"] == "polarised"  # the words are still used where true

    # the Divergence tab: its summary of the chart
    dashboard = DivergenceDashboard(store, kaner)
    html = dashboard.divergence.value
    assert ("More discussion wanted on: 3. Assessment should move online. (wants more "
            "discussion: 50%).") in html
    assert ("Of 5 statements answered, 3 reach consensus, 1 is polarised, 1 wants more "
            "discussion.") in html
    # Only statement 5 has members on both sides: it alone is divergent.
    assert ("Most divergent: 5. The old exams should stay. (50% agree, 50% disagree, 6 "
            "answers).") in html
    assert "divided" not in html

    # the proposed draft
    sections = proposed_sections(analysis)
    assert MORE_DISCUSSION.rstrip(".") not in sections["divergent"]
    assert SPLIT.rstrip(".") in sections["divergent"]
    about = _lines_about(sections["open_questions"], MORE_DISCUSSION)
    assert len(about) == 1 and "wants more discussion: 50%" in about[0], sections
    for text in sections.values():
        for line in _lines_about(text, MORE_DISCUSSION):
            assert not any(word in line for word in FALSE_WORDS), line

    # the Markdown export: the statement table and the proposed sections
    path = export_consultation(store, kaner, "md", tmp_path / "response.md", charts=False)[0]
    markdown = path.read_text(encoding="utf-8")
    cells = [c.strip() for c in _table_row(markdown, MORE_DISCUSSION).strip("|").split("|")]
    assert cells[-1] == CLASS_WORDS["more discussion"] == "wants more discussion"
    assert "wants more discussion: 50%" in cells  # the share, beside Agree 100% of stances
    assert _table_row(markdown, SPLIT).rstrip(" |").endswith("polarised")
    lines = _lines_about(markdown, MORE_DISCUSSION)
    # The figure's text counts every statement's class; it names this one apart.
    caption = [line for line in lines if "statements answered" in line]
    assert len(caption) == 1 and ("More discussion wanted on: 3. Assessment should move "
                                  "online. (wants more discussion: 50%)") in caption[0]
    for line in set(lines) - set(caption):
        assert not any(word in line for word in FALSE_WORDS), line
    assert any("wants more discussion: 50%" in line for line in set(lines) - set(caption))


def test_reluctant_support_counts_as_support_and_is_said_apart(store, kaner, tmp_path):
    """"Don't like it, but will support it" is on the agreeing side, and named apart."""
    analysis = ConsultationAnalysis(store, kaner)
    sid = next(s.id for s in analysis.statements if s.text == TEXTS[1])
    row = analysis.summary.loc[sid]
    assert (row.agree, row.disagree, row.reluctant_support) == (6, 0, 1)
    assert row.pct_reluctant_support == pytest.approx(1 / 6)
    # positions 3, 5, 5, 6, 6, 6: IQR 1, within 1.25 on six ordinal levels
    assert (row["class"], row.direction) == ("consensus", "agree")
    cli = {s["text"]: s for s in _analyze_json(store, kaner)["statements"]}
    assert cli[TEXTS[1]]["disagree"] == 0
    assert "will support it while disliking it: 17%" in cli[TEXTS[1]]["shares_apart_text"]
    sections = proposed_sections(analysis)
    (line,) = _lines_about(sections["consensus"], TEXTS[1])
    assert "(100% agree, 6 members; will support it while disliking it: 17%)" in line


def test_methodology_says_how_each_kaner_option_is_counted(store, kaner, tmp_path):
    path = export_consultation(store, kaner, "md", tmp_path / "response.md", charts=False)[0]
    markdown = path.read_text(encoding="utf-8")
    method = markdown[markdown.index("## Methodology"):]
    assert ("\u201cVeto\u201d (1), \u201cSerious disagreement\u201d (2), \u201cDon't like "
            "it, but will support it\u201d (3)") in method.replace("\u2019", "'")
    assert "\u201cMore discussion needed\u201d (wants more discussion)" in method
    assert "\u201cAbstain\u201d (abstains)" in method
    assert "counts as agreeing" in method
    assert "never called divided or polarised when nobody is on one" in method
    # the consensus rule, on the six ordinal levels (not 1.75 steps on eight levels)
    assert ("the IQR is at most 1.25 steps between adjacent levels on the 6 ordinal levels "
            "of this scale") in method
    assert ("A statement where more than 15% of the answers ask for more discussion is "
            "classed \u201cwants more discussion\u201d.") in method


class _Rows(HTMLParser):
    """Every table row of an HTML page, as its cells' text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_rows(path) -> list[list[str]]:
    parser = _Rows()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def _docx_rows(path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[cell.text.strip() for cell in row.cells]
            for table in document.tables for row in table.rows]


@pytest.mark.parametrize(("fmt", "rows_of"), [("html", _html_rows), ("docx", _docx_rows)])
def test_the_html_and_word_tables_say_wants_more_discussion_too(store, kaner, tmp_path, fmt,
                                                                rows_of):
    path = export_consultation(store, kaner, fmt, tmp_path / f"response.{fmt}",
                               charts=False)[0]
    rows = rows_of(path)

    def row_of(text: str) -> list[str]:
        found = [row for row in rows if text.rstrip(".") in " ".join(row)]
        # the statement table's row: it ends with the statement's class
        found = [row for row in found if row[-1] in CLASS_WORDS.values()]
        assert len(found) == 1, found
        return found[0]

    cells = row_of(MORE_DISCUSSION)
    assert cells[-1] == CLASS_WORDS["more discussion"] == "wants more discussion"
    assert "wants more discussion: 50%" in cells
    assert not any(word in cell for cell in cells for word in FALSE_WORDS)
    assert row_of(SPLIT)[-1] == "polarised"
