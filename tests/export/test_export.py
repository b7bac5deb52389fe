"""Exports (Markdown, HTML, Word): sections, numbers, anonymity, escaping, self-containment.

Every exported file is opened and read back the way a reader would: the HTML is parsed with
the standard library's parser, the Word file with python-docx (and its raw XML parts), the
Markdown through a permissive renderer (raw HTML on, as in the least careful viewer).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from helpers import demo_store
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cop_widgets import model as m
from cop_widgets.analysis.summary import statement_summary
from cop_widgets.charts.figures import participation_chart
from cop_widgets.charts.render import to_svg
from cop_widgets.errors import ValidationError
from cop_widgets.export._markdown import md_text, to_markdown
from cop_widgets.export.api import export_consultation, normalise_format
from cop_widgets.export.html import safe_svg
from cop_widgets.export.report import build_report
from cop_widgets.scales import get_scale
from cop_widgets.store import Store
from cop_widgets.words.draft import SECTION_TITLES, SECTIONS

FORMATS = ("md", "html", "docx")
EXPECTED_H2 = [*(SECTION_TITLES[k] for k in SECTIONS), "Methodology"]
REQUESTER = "Regional Ministry of Education"
DEADLINE = dt.date(2031, 3, 15)
QUESTIONS = ("Should tutors use AI writing assistants?", "What safeguards do learners need?")
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "[x](javascript:alert(4))",
)
ALL_PAYLOADS = " ".join(PAYLOADS)
BLOCK_PLAIN = "We cannot accept point four as it is written."
HOSTILE_NAME = "Zed Payload-Person"
ATTRIBUTE_PAYLOAD = "<script>alert(5)</script>"


# -- reading exported files back ----------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def find_all(self, tag: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag]


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def permissive_markdown(text: str) -> str:
    """Render Markdown as the least careful viewer would: raw HTML on, tables on."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def _rows(table: Node) -> list[list[str]]:
    return [[cell.text() for cell in tr.iter() if cell.tag in ("th", "td")]
            for tr in table.find_all("tr")]


def _html_blocks(container: Node) -> list[tuple[str, str, list | None]]:
    blocks = []
    for node in container.children:
        if not isinstance(node, Node):
            continue
        tables = [node] if node.tag == "table" else node.find_all("table")
        if tables:
            blocks.append(("table", node.text(), _rows(tables[0])))
        else:
            blocks.append((node.tag if node.tag in ("h1", "h2") else "p", node.text(), None))
    return blocks


def _docx_blocks(document) -> list[tuple[str, str, list | None]]:
    blocks = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = DocxParagraph(element, document)
            kind = {"Heading 1": "h1", "Heading 2": "h2"}.get(paragraph.style.name, "p")
            blocks.append((kind, " ".join(paragraph.text.split()), None))
        elif element.tag == qn("w:tbl"):
            table = DocxTable(element, document)
            rows = [[" ".join(c.text.split()) for c in r.cells] for r in table.rows]
            blocks.append(("table", " ".join(" ".join(r) for r in rows), rows))
    return blocks


class View:
    """An exported document read back as blocks: (kind, text, table rows or None)."""

    def __init__(self, path: Path):
        self.path = path
        self.fmt = path.suffix.lstrip(".")
        if self.fmt == "docx":
            self.document = docx.Document(str(path))
            self.blocks = _docx_blocks(self.document)
            self.tree = None
        else:
            raw = path.read_text(encoding="utf-8")
            html = raw if self.fmt == "html" else permissive_markdown(raw)
            self.tree = parse_html(html)
            mains = self.tree.find_all("main")
            self.blocks = _html_blocks(mains[0] if mains else self.tree)

    @property
    def h2(self) -> list[str]:
        return [text for kind, text, _ in self.blocks if kind == "h2"]

    @property
    def text(self) -> str:
        return " ".join(text for _, text, _ in self.blocks)

    @property
    def opening(self) -> str:
        first = next(i for i, (kind, _, _) in enumerate(self.blocks) if kind == "h2")
        return " ".join(text for _, text, _ in self.blocks[:first])

    def section(self, title: str) -> str:
        start = next(i for i, (k, t, _) in enumerate(self.blocks) if k == "h2" and t == title)
        end = next((i for i, (k, _, _) in enumerate(self.blocks)
                    if i > start and k == "h2"), len(self.blocks))
        return " ".join(text for _, text, _ in self.blocks[start + 1:end])

    def tables(self, *header: str) -> list[list[list[str]]]:
        return [rows for kind, _, rows in self.blocks
                if kind == "table" and rows and rows[0][:len(header)] == list(header)]


def raw_texts(paths: list[Path]) -> dict[Path, str]:
    """Every file's text; for Word, the XML of every part of the package."""
    texts = {}
    for path in paths:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                texts[path] = "\n".join(package.read(name).decode("utf-8", "replace")
                                        for name in package.namelist())
        else:
            texts[path] = path.read_bytes().decode("utf-8", "replace")
    return texts


# -- scenarios ----------------------------------------------------------------------------


def _export_all(store: Store, cid: int, folder: Path) -> dict[str, list[Path]]:
    return {fmt: export_consultation(store, cid, fmt, folder / f"response.{fmt}")
            for fmt in FORMATS}


@pytest.fixture(scope="module")
def plain_export(tmp_path_factory):
    """The demo as seeded (anonymous, a policy, no draft saved yet), exported."""
    root = tmp_path_factory.mktemp("plain")
    with demo_store(root) as (store, demo):
        files = _export_all(store, demo.consultation_id, root / "out")
        yield SimpleNamespace(store=store, cid=demo.consultation_id, files=files, root=root,
                              views={fmt: View(paths[0]) for fmt, paths in files.items()})


@pytest.fixture(scope="module")
def rich_export(tmp_path_factory):
    """The demo with named members, a request for opinion, hostile text everywhere, a draft
    and answers, exported."""
    root = tmp_path_factory.mktemp("rich")
    with demo_store(root, anonymous=False, members=24, silent=4) as (store, demo):
        cid = demo.consultation_id
        store.update_development(demo.development_id, kind="request_for_opinion",
                                 requester=REQUESTER, requester_deadline=DEADLINE,
                                 questions=QUESTIONS)
        hostile_statement = store.add_statement(m.Statement(cid, f"Statement {ALL_PAYLOADS}"))
        hostile = store.add_member(m.Member(cid, HOSTILE_NAME, attributes={
            "role": "tutor", "region": ATTRIBUTE_PAYLOAD}))
        hostile_token = store.add_invitation(hostile.id)[1]
        delay = store.list_statements(cid)[3]  # polarised: its reasons are quoted
        store.save_card(cid, hostile_token, [
            m.StanceResponse(delay.id, 5, f"Because {ALL_PAYLOADS} matters to my learners more "
                                          "than anything else I could say about it here."),
            m.StanceResponse(hostile_statement.id, 1, ALL_PAYLOADS),
        ])
        proposed = {s.key: s.markdown for s in build_report(store, cid).sections}
        proposed["recommendations"] += "\n\n" + "\n".join(f"- {p}" for p in PAYLOADS)
        proposed["open_questions"] = f"# {PAYLOADS[1]}\n\n{ALL_PAYLOADS}"
        draft = store.add_draft(cid, proposed, share=True)
        tokens = list(demo.tokens.values())
        for token in tokens[:5]:
            store.add_endorsement(cid, token, draft.id, "endorse")
        for token in tokens[5:8]:
            store.add_endorsement(cid, token, draft.id, "can_live_with")
        store.add_endorsement(cid, tokens[8], draft.id, "endorse")
        store.add_endorsement(cid, tokens[8], draft.id, "block", BLOCK_PLAIN)  # supersedes
        store.add_endorsement(cid, hostile_token, draft.id, "block", ALL_PAYLOADS)
        files = _export_all(store, cid, root / "out")
        names = [*demo.names.values(), HOSTILE_NAME]
        yield SimpleNamespace(store=store, cid=cid, files=files, root=root, names=names,
                              draft=draft, proposed=proposed,
                              views={fmt: View(paths[0]) for fmt, paths in files.items()})


# -- structure ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("scenario", ["plain_export", "rich_export"])
def test_sections_in_order_methodology_last(request, scenario, fmt):
    view = request.getfixturevalue(scenario).views[fmt]
    h2 = view.h2
    positions = [h2.index(title) for title in EXPECTED_H2]
    assert positions == sorted(positions), h2
    assert h2[-1] == "Methodology"
    for title in EXPECTED_H2:
        assert view.section(title).strip(), title


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_for_opinion_is_addressed_with_deadline(rich_export, plain_export, fmt):
    opening = rich_export.views[fmt].opening
    assert f"To: {REQUESTER}" in opening
    assert DEADLINE.isoformat() in opening
    assert all(q in opening for q in QUESTIONS)
    assert "To:" not in plain_export.views[fmt].opening


@pytest.mark.parametrize("fmt", FORMATS)
def test_proposed_body_is_flagged_and_saved_draft_is_versioned(plain_export, rich_export, fmt):
    assert "no draft has been saved yet" in plain_export.views[fmt].opening
    assert "Draft version 1" in rich_export.views[fmt].opening


# -- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_statement_numbers_match_the_analysis(plain_export, fmt):
    store, cid = plain_export.store, plain_export.cid
    scale = get_scale(store.get_consultation(cid).scale)
    statements = store.statements_frame(cid)
    summary = statement_summary(store.responses_frame(cid), scale)
    view = plain_export.views[fmt]
    (table,) = view.tables("#", "Statement")
    rows = {row[0]: row for row in table[1:]}
    consensus_text = view.section("Points of consensus")
    consensus = summary[summary["class"] == "consensus"]
    assert len(consensus) >= 2
    for number, (sid, text) in enumerate(zip(statements["statement_id"], statements["text"],
                                              strict=True), start=1):
        row, stats = rows[str(number)], summary.loc[sid]
        assert row[1] == text
        assert row[2] == str(int(stats["n"]))
        assert row[3] == f"{100 * stats['pct_agree']:.0f}%"
        assert row[4] == f"{100 * stats['pct_disagree']:.0f}%"
        assert row[12].startswith(stats["class"])  # after Pass and "Counted apart"
        if stats["class"] == "consensus":
            side = "agree" if stats["direction"] == "agree" else "disagree"
            share = stats["pct_agree"] if side == "agree" else stats["pct_disagree"]
            assert f"{100 * share:.0f}% {side}" in consensus_text
            assert text in consensus_text


@pytest.mark.parametrize("fmt", FORMATS)
def test_participation_matches_the_roster(plain_export, fmt):
    members = plain_export.store.members_frame(plain_export.cid)
    view = plain_export.views[fmt]
    tables = view.tables("Group", "On the roster", "Invited", "Responded")
    invited = members["invited"] | members["responded"]
    overall = tables[0][1]
    assert overall[:5] == ["All members", str(len(members)), str(int(invited.sum())),
                           str(int(members["responded"].sum())),
                           f"{100 * members['responded'].sum() / invited.sum():.0f}%"]
    for attribute in ("region", "role"):
        expected = {
            group: [str(len(rows)), str(int((rows["invited"] | rows["responded"]).sum())),
                    str(int(rows["responded"].sum()))]
            for group, rows in members.groupby(attribute)}
        found = [t for t in tables[1:] if {r[0] for r in t[1:]} == set(expected)]
        assert len(found) == 1, attribute
        assert {r[0]: r[1:4] for r in found[0][1:]} == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_endorsement_tally_and_block_reasons(rich_export, fmt):
    view = rich_export.views[fmt]
    (table,) = view.tables("Answer", "Members")
    roster = len(rich_export.store.members_frame(rich_export.cid))
    assert {r[0]: r[1] for r in table[1:]} == {
        "Endorse": "5", "Can live with it": "3", "Block": "2",
        "Not answered yet": str(roster - 10)}
    divergent = view.section("Divergent views")
    assert BLOCK_PLAIN in divergent
    assert ALL_PAYLOADS in divergent
    assert "2 members blocked this draft" in divergent


@pytest.mark.parametrize("fmt", FORMATS)
def test_methodology_dates_measures_and_rule(plain_export, fmt):
    store, cid = plain_export.store, plain_export.cid
    text = plain_export.views[fmt].section("Methodology")
    development = store.get_development(store.get_consultation(cid).development_id)
    first = store.list_rounds(cid)[0].opened_at
    assert development.date.isoformat() in text
    assert first.strftime("%Y-%m-%d %H:%M UTC") in text
    for measure in ("Percent agreement", "Median and IQR", "Tastle & Wierman consensus",
                    "van der Eijk's agreement A", "Leik's dispersion"):
        assert measure in text
    assert "at least 75% of the stances" in text
    assert ("flagged as under-represented when its gap is 10 points or more under zero, or "
            "when its response rate is under 50% of the overall rate") in text
    # anonymous: the disclosure-control rule is named, with its threshold
    assert "Disclosure control" in text
    assert "no figure is shown for a group of fewer than 3 members who answered" in text
    assert "threshold rule with category collapsing" in text
    assert "(complementary suppression)" in text


# -- charts -------------------------------------------------------------------------------


def test_charts_in_each_format(plain_export):
    report = build_report(plain_export.store, plain_export.cid)
    captions = [f.figure.text for f in report.figures]
    assert [f.key for f in report.figures] == [
        "divergence", "attribute", "participation", "participation-by-attribute"]
    md, *images = plain_export.files["md"]
    text = md.read_text(encoding="utf-8")
    assert [p.name for p in images] == [f"response-{f.key}.png" for f in report.figures]
    for image in images:
        assert image.parent == md.parent
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({image.name})" in text
    html = plain_export.views["html"]
    assert len(html.tree.find_all("svg")) == 4
    figcaptions = [f.text() for f in html.tree.find_all("figcaption")]
    assert all(any(c in f for f in figcaptions) for c in captions)
    word = plain_export.views["docx"]
    assert len(word.document.inline_shapes) == 4
    assert all(c in word.text for c in captions)


def test_charts_can_be_left_out(plain_export, tmp_path):
    files = export_consultation(plain_export.store, plain_export.cid, "md", tmp_path / "bare.md",
                                charts=False)
    assert files == [tmp_path / "bare.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bare.md"]
    text = files[0].read_text(encoding="utf-8")
    assert text.count("chart left out of this export") == 4
    assert ".png" not in text
    html = export_consultation(plain_export.store, plain_export.cid, "html", tmp_path / "bare.html",
                               charts=False)[0].read_text(encoding="utf-8")
    assert "<svg" not in html and "chart left out of this export" in html


# -- anonymity, escaping, self-containment ------------------------------------------------


def test_no_member_name_in_any_file(rich_export):
    members = rich_export.store.members_frame(rich_export.cid)
    assert set(members["name"]) == set(rich_export.names)
    paths = [p for files in rich_export.files.values() for p in files]
    assert len(paths) == 3 + 4
    for path, text in raw_texts(paths).items():
        for name in rich_export.names:
            assert name not in text, (path.name, name)


def _assert_inert(tree: Node, allowed_images: set[str] = frozenset()) -> None:
    for node in tree.iter():
        assert node.tag not in ("script", "iframe", "object", "embed", "link", "base"), \
            node.tag
        if node.tag == "img":
            assert node.attrs.get("src") in allowed_images, node.attrs
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            if name in ("href", "xlink:href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:",
                                                                     "vbscript:"))
    for svg in tree.find_all("svg"):
        assert svg.attrs.get("class") == "marks"  # only the charts' own SVG


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_is_escaped(rich_export, fmt):
    assert md_text(PAYLOADS[0]) in rich_export.proposed["divergent"]  # a quoted rationale
    view = rich_export.views[fmt]
    if view.tree is not None:
        images = {p.name for p in rich_export.files[fmt][1:]}
        _assert_inert(view.tree, images)
    text = view.text
    for payload in PAYLOADS:
        assert payload in text, payload
    assert ATTRIBUTE_PAYLOAD in view.section("Methodology")
    assert f"Statement {ALL_PAYLOADS}" in text  # the statement table
    assert ALL_PAYLOADS in view.section("Recommendations") or all(
        p in view.section("Recommendations") for p in PAYLOADS)
    assert PAYLOADS[1] in view.section("Open questions")
    if fmt == "docx":
        with zipfile.ZipFile(rich_export.files["docx"][0]) as package:
            rels = "".join(package.read(n).decode() for n in package.namelist()
                           if n.endswith(".rels"))
        assert "javascript:" not in rels.lower()


@pytest.mark.parametrize("scenario", ["plain_export", "rich_export"])
def test_html_is_self_contained(request, scenario):
    path = request.getfixturevalue(scenario).files["html"][0]
    raw = path.read_text(encoding="utf-8")
    tree = parse_html(raw)
    _assert_inert(tree)
    assert not tree.find_all("img")
    for node in tree.iter():
        assert "src" not in node.attrs, node.tag
        for name in ("href", "xlink:href"):
            value = node.attrs.get(name)
            if value is None:
                continue
            if node.tag == "a":  # a link the reader may follow; nothing is fetched
                assert re.match(r"https?://|#", value), value
            else:
                assert value.startswith("#"), (node.tag, value)
        for target in re.findall(r"url\(\s*['\"]?([^)'\"]*)", node.attrs.get("style") or ""):
            assert target.startswith("#")
    for style in tree.find_all("style"):
        assert "url(" not in style.text() and "@import" not in style.text()
    csp = [n.attrs.get("content", "") for n in tree.find_all("meta")
           if (n.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0]


# -- report, API and helpers --------------------------------------------------------------


def test_report_contents(plain_export, rich_export):
    report = build_report(plain_export.store, plain_export.cid)
    assert report.proposed and report.draft_version is None and report.endorsements is None
    assert [s.key for s in report.sections] == list(SECTIONS)
    assert report.addressee is None and report.attribute == "region"
    meth = report.methodology
    assert meth.rounds == 1 and meth.statements == 8
    assert meth.overall.responded == plain_export.store.count_respondents(plain_export.cid)
    assert len(meth.measures) == 5
    saved = build_report(rich_export.store, rich_export.cid, attribute="role")
    assert not saved.proposed and saved.draft_version == rich_export.draft.version
    assert saved.section("recommendations").markdown == rich_export.proposed["recommendations"]
    assert saved.endorsements.counts == {"endorse": 5, "can_live_with": 3, "block": 2}
    # in the store's drawn order (issue 11: time order would tell who blocked when)
    assert sorted(saved.endorsements.block_reasons) == sorted((BLOCK_PLAIN, ALL_PAYLOADS))
    latest = rich_export.store.get_draft(rich_export.cid)
    assert list(saved.endorsements.block_reasons) == [
        e.reason for e in rich_export.store.list_endorsements(latest.id)
        if e.kind.value == "block"]
    assert saved.addressee.requester == REQUESTER and saved.addressee.questions == QUESTIONS
    assert saved.figure("participation-by-attribute").title.endswith("by role")
    with pytest.raises(ValidationError):
        build_report(plain_export.store, plain_export.cid, attribute="name")


def test_methodology_flags_the_group_ten_points_under_its_roster_share(sqlite_store, tmp_path):
    """Team b is half the roster and 5 of the 14 who answered: 14 points under, flagged."""
    development = sqlite_store.add_development(m.Development("technology", "A new platform"))
    consultation = sqlite_store.add_consultation(m.Consultation(development.id, "What now?"))
    statement = sqlite_store.add_statement(m.Statement(consultation.id, "We adopt it."))
    members = sqlite_store.add_members([m.Member(consultation.id, f"M{i}", attributes={
        "team": "a" if i < 10 else "b"}) for i in range(20)])
    sqlite_store.open_consultation(consultation.id)
    for i, member in enumerate(members):
        token = sqlite_store.add_invitation(member.id)[1]
        if i < 9 or 10 <= i < 15:
            sqlite_store.save_card(consultation.id, token, [m.StanceResponse(statement.id, 4)],
                            status=m.CardStatus.SUBMITTED)
    report = build_report(sqlite_store, consultation.id)
    a, b = report.methodology.by_attribute["team"]
    assert (a.group, a.rate, round(a.gap), a.under_represented) == ("a", 0.9, 14, False)
    assert (b.group, b.rate, round(b.gap), b.under_represented) == ("b", 0.5, -14, True)
    (path,) = export_consultation(sqlite_store, consultation.id, "md", tmp_path / "e.md",
                                  charts=False)
    text = View(path).section("Methodology")
    assert ("team: b, 5 of 10 responded (50%); 36% of the answers against 50% of the roster, "
            "a representation gap of -14 points") in text
    assert "team: a," not in text
    assert "Stances are compared by team." in text  # named: every group is shown


def test_empty_consultation_exports(sqlite_store, tmp_path):
    development = sqlite_store.add_development(m.Development("technology", "A new\x0bplatform\x1f"))
    consultation = sqlite_store.add_consultation(m.Consultation(development.id, "What now?"))
    for fmt in FORMATS:
        (path,) = export_consultation(sqlite_store, consultation.id, fmt, tmp_path / f"e.{fmt}")
        view = View(path)
        assert view.h2[-1] == "Methodology"
        assert "A newplatform" in view.text


def test_api_refuses_unknown_format_and_missing_consultation(plain_export, tmp_path):
    assert normalise_format(".MD") == "md" and normalise_format("word") == "docx"
    with pytest.raises(ValidationError):
        export_consultation(plain_export.store, plain_export.cid, "pdf", tmp_path / "x.pdf")
    with pytest.raises(LookupError):
        export_consultation(plain_export.store, 999, "html", tmp_path / "x.html")
    assert not list(tmp_path.iterdir())


def test_safe_svg_accepts_charts_and_refuses_active_content(plain_export):
    members = plain_export.store.members_frame(plain_export.cid)
    assert safe_svg(to_svg(participation_chart(members).chart)) is not None
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/y.png"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://x)"/>'
                "</svg>",
                '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
                "<svg><rect></svg>"):
        assert safe_svg(bad) is None, bad


def test_markdown_reemitter_keeps_structure_and_escapes():
    source = ("Intro *em* **strong** `code` [ok](https://example.org/a)\n\n"
              f"- item {PAYLOADS[0]}\n  - nested\n    > quoted {PAYLOADS[2]}\n\n"
              f"1. first\n2. {PAYLOADS[3]}\n\n# Title {PAYLOADS[1]}")
    out = to_markdown(source, heading_offset=2)
    assert out == to_markdown(out)  # stable
    tree = parse_html(permissive_markdown(out))
    _assert_inert(tree)
    assert [n.tag for n in tree.find_all("h3")] == ["h3"]
    assert tree.find_all("a")[0].attrs["href"] == "https://example.org/a"
    assert len(tree.find_all("blockquote")) == 1 and len(tree.find_all("ol")) == 1
    text = tree.text()
    assert all(p in text for p in PAYLOADS)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_md_text_renders_literally(text):
    rendered = parse_html(permissive_markdown(md_text(text)))
    assert not [n for n in rendered.iter() if n.tag not in ("p",)]
    assert rendered.text() == " ".join(text.split())


# -- languages ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def french_export(tmp_path_factory):
    """The demo in a French consultation, exported: exports follow its language by default."""
    root = tmp_path_factory.mktemp("french")
    with demo_store(root) as (store, demo):
        store.update_consultation(demo.consultation_id, language="fr")
        files = _export_all(store, demo.consultation_id, root / "out")
        yield SimpleNamespace(store=store, cid=demo.consultation_id, root=root, files=files,
                              views={fmt: View(paths[0]) for fmt, paths in files.items()})


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_written_in_the_consultation_language(french_export, fmt):
    from cop_widgets.i18n import translator

    _ = translator("fr")
    view = french_export.views[fmt]
    expected = [_(title) for title in EXPECTED_H2]
    assert all(title not in view.h2 for title in EXPECTED_H2), view.h2  # no English heading
    positions = [view.h2.index(title) for title in expected]
    assert positions == sorted(positions) and view.h2[-1] == _("Methodology")
    for title in expected:
        assert view.section(title).strip(), title
    # numbers as French writes them: "94 %" (a no-break space, read back as a space)
    assert re.search(r"\d\s%", view.text) and not re.search(r"\d%", view.text)
    if fmt == "html":
        assert '<html lang="fr">' in french_export.files[fmt][0].read_text(encoding="utf-8")


def test_export_language_can_be_overridden(french_export):
    from cop_widgets.i18n import translator

    out = export_consultation(french_export.store, french_export.cid, "html",
                              french_export.root / "es.html", language="es")[0]
    view = View(out)
    assert '<html lang="es">' in out.read_text(encoding="utf-8")
    assert view.h2[-1] == translator("es")("Methodology") != "Methodology"
