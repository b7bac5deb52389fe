"""Every view tells the same truth: CLI, dashboard, proposed draft and export agree.

One consultation is built to make copies of the analysis disagree if any view prepared it
on its own: a withdrawn and a rejected statement that members had answered (and that would
move the opinion groups, or appear, if a view kept them), and an anonymous roster with a
region of one member (shown, it would single that member out; left out, it would follow by
subtraction, so it is merged with another region into "(other groups)"). The views are then
read as their users read them: the CLI's JSON, the Divergence tab's HTML, the Participation
tab, the drafting desk's proposal and the Markdown export.
"""

from __future__ import annotations

import contextlib
import io
import json
import re

import pandas as pd
import pytest

from cop_widgets import model as m
from cop_widgets.cli import main as cli_main
from cop_widgets.export.api import export_consultation
from cop_widgets.export.report import build_report
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.services.results import published_results
from cop_widgets.vocabulary import OTHER_GROUPS
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.drafting import DraftEditor
from cop_widgets.widgets.participation import ParticipationPanel
from cop_widgets.words.draft import CLASS_WORDS

#: Accepted statements, each with the stances of camp A and camp B (likert5, 5 = agree).
ACCEPTED = (
    ("Phase the policy in over two years.", 5, 1),
    ("Train members before the change.", 5, 5),
    ("The change will reduce our workload.", 1, 5),
    ("Learners should be consulted too.", 4, 2),
    ("Publish the assessment criteria.", 5, 4),
    ("Pilot it in two schools first.", 2, 5),
    ("Keep the old rubric for a year.", 4, 1),
    ("Ask the ministry for funding.", 5, 5),
)
#: Answered by everyone, then taken off the card: no view may show them, and they split
#: the members otherwise than the accepted ones do, so opinion groups that counted them as
#: answers would differ.
WITHDRAWN = tuple(f"Withdrawn {n}: the union should decide alone." for n in (1, 2, 3))
REJECTED = "Rejected: this statement was off topic."
MODERATED_OUT = (*WITHDRAWN, REJECTED)
#: region -> (camp, members); "east" has one member: an anonymous view must never show it.
REGIONS = {"north": ("A", 7), "south": ("B", 7), "east": ("A", 1)}


@pytest.fixture
def consultation_id(store) -> int:
    """An anonymous consultation answered by two camps, with moderated-out statements."""
    development = store.add_development(m.Development(
        "policy", "New assessment policy", summary="The ministry changes assessment.",
        date="2026-01-10"))
    consultation = store.add_consultation(m.Consultation(
        development.id, "How do we respond?", scale="likert5", anonymous=True))
    cid = consultation.id
    statements = store.add_statements(
        [m.Statement(cid, text) for text, _a, _b in ACCEPTED]
        + [m.Statement(cid, text) for text in MODERATED_OUT])
    members = []
    for region, (camp, count) in REGIONS.items():
        for i in range(count):
            members.append((store.add_member(m.Member(
                cid, f"{region.title()} Member {i}", attributes={"region": region})), camp))
    tokens = {member.id: store.add_invitation(member.id)[1] for member, _camp in members}
    store.open_consultation(cid)
    for number, (member, camp) in enumerate(members):
        answers = [m.StanceResponse(s.id, a if camp == "A" else b, f"reason {number}")
                   for s, (_t, a, b) in zip(statements, ACCEPTED, strict=False)]
        # some members hedge, so that there are positions enough to cluster
        for index, every in ((3, 3), (5, 4)):
            if number % every == 1:
                answers[index] = m.StanceResponse(statements[index].id, 3)
        # the moderated-out statements split the members across the camps
        answers += [m.StanceResponse(s.id, 5 if number % 3 == 0 else 1)
                    for s in statements[len(ACCEPTED):]]
        store.save_card(cid, tokens[member.id], answers)
    for statement in statements[len(ACCEPTED):]:
        state = (m.ModerationState.REJECTED if statement.text == REJECTED
                 else m.ModerationState.WITHDRAWN)
        store.update_statement(statement.id, moderation=state)
    return cid


def _cli_json(store, cid: int) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main(["analyze", str(cid), "--db", store.url, "--format", "json",
                         "--attribute", "region"]) == 0
    return json.loads(out.getvalue())


def _export_md(store, cid: int, tmp_path) -> str:
    path = export_consultation(store, cid, "md", tmp_path / "response.md", charts=False)[0]
    return path.read_text(encoding="utf-8")


def _class_in_table(markdown: str, text: str) -> str:
    """Return the class word of the statement table's row for ``text``."""
    for line in markdown.splitlines():
        if line.startswith("|") and text.rstrip(".") in line:
            cells = [c.strip() for c in line.strip("|").split("|")]
            words = {w: k for k, w in CLASS_WORDS.items()}
            # "consensus (agree)": the class, then the side it leans to
            found = [words[c.split(" (")[0]] for c in cells if c.split(" (")[0] in words]
            assert len(found) == 1, line
            return found[0]
    raise AssertionError(f"no table row for {text!r}")


def test_views_agree_on_statements_classes_groups_and_flags(store, tmp_path, consultation_id):
    cid = consultation_id
    analysis = ConsultationAnalysis(store, cid)
    cli = _cli_json(store, cid)
    markdown = _export_md(store, cid, tmp_path)
    report = build_report(store, cid)
    dashboard = DivergenceDashboard(store, cid, attribute="region")
    dashboard_html = "".join(child.value for child in (
        dashboard.summary, dashboard.divergence, dashboard.comparison, dashboard.groups))
    proposal = DraftEditor(store, cid)
    proposal.propose()
    draft = "\n".join(area.value for area in proposal.sections.values())

    # Which statements count: the accepted ones, in every view.
    texts = [t for t, _a, _b in ACCEPTED]
    assert [s["text"] for s in cli["statements"]] == texts
    assert list(report.statements["text"]) == texts
    for view in (markdown, dashboard_html, draft):
        assert not [text for text in MODERATED_OUT if text in view]

    # Classes: the CLI, the service, the export's table and the proposal agree.
    classes = {s["text"]: s["class"] for s in cli["statements"]}
    service = analysis.summary["class"]
    for statement in analysis.statements:
        assert classes[statement.text] == service[statement.id]
        assert _class_in_table(markdown, statement.text) == classes[statement.text]
    assert len(set(classes.values())) >= 2, classes  # the test data must tell classes apart
    split = [t for t, k in classes.items() if k in ("divided", "polarised")]
    assert split, classes
    divergent = proposal.sections["divergent"].value
    for text in texts:
        assert (text.rstrip(".") in divergent) == (text in split), text

    # Opinion groups: the CLI's members and k are the service's, and the dashboard shows k.
    groups = analysis.groups()
    assert groups.note is None, groups.note
    assert cli["groups"]["k"] == groups.k == 2
    # The consultation is anonymous: the CLI gives each group's size, not its members.
    sizes = groups.labels.dropna().astype(int).value_counts()
    assert "members" not in cli
    assert {s["group"]: s["members"] for s in cli["groups"]["sizes"]} == \
        {int(g): int(n) for g, n in sizes.items()}
    shown = re.findall(r"What sets group ([A-Z]) apart", dashboard.groups.value)
    assert shown == [chr(65 + g) for g in range(groups.k)]
    drawn = re.findall(r"(Group [A-Z]) \((\d+) members?\)", dashboard.groups.value)
    assert {name: int(n) for name, n in drawn} == {f"Group {chr(65 + int(g))}": int(n)
                                                   for g, n in sizes.items()}

    # Under-represented groups: the CLI and the export's methodology flag the same ones.
    flagged_export = {(g.attribute, g.group) for g in report.methodology.under_represented}
    flagged_cli = {("region", g) for g in cli["under_represented"]["region"]}
    assert flagged_export == flagged_cli

    # Groups shown: the lone eastern member is in no comparison, anywhere. Merged with
    # the smallest other region (north and south have seven each: north comes first), it
    # is in "(other groups)", and every view shows these same groups.
    assert analysis.smallest_group == 3
    merge = analysis.disclosure("region")
    assert (merge.primary, merge.complementary) == (("east",), ("north",))
    shown = {"south", OTHER_GROUPS}
    assert set(analysis.by("region").index.get_level_values("group")) == shown
    assert set(report.by_group.index.get_level_values("group")) == shown
    assert set(analysis.representation("region").index) == shown
    assert {g.group for g in report.methodology.by_attribute["region"]} == shown
    assert set(analysis.weighting("region")[0].cells.index) == shown
    assert {c["group_high"] for c in cli["cruxes"]} | {c["group_low"] for c in cli["cruxes"]} \
        <= shown
    assert set(cli["under_represented"]["region"]) <= shown
    assert report.methodology.merged_groups == {"region": (1, 1)}
    panel = ParticipationPanel(store, cid)
    for view in (dashboard.comparison.shown, dashboard.participation.shown,
                 panel.by_attribute.value):
        assert "south" in view and "(other groups)" in view
        assert "east" not in view and "north" not in view
    for view in (draft, markdown):
        assert not re.search(r"\b(east|north)\b", view)
    assert "(other groups)" in markdown


def test_the_light_results_of_member_pages_match_the_analysis(store, consultation_id):
    """Member and results pages read without pandas; their figures are the analysis'."""
    analysis = ConsultationAnalysis(store, consultation_id)
    results = published_results(store, analysis.consultation)
    assert [s.id for s in results.statements] == [s.id for s in analysis.statements]
    assert results.answered == analysis.answered
    assert results.roster == len(analysis.members)
    expected = {}
    for row in analysis.distribution.itertuples():
        if row.count:
            stance = None if pd.isna(row.stance) else int(row.stance)
            expected.setdefault(row.statement_id, {})[stance] = int(row.count)
    assert results.counts == expected
    moderated_out = {s.id for s in store.list_statements(consultation_id, states=None)
                     if s.text in MODERATED_OUT}
    assert moderated_out and not moderated_out & set(results.reasons)


def test_the_change_between_rounds_counts_the_accepted_statements_of_each_round(
        store, consultation_id):
    """The rounds reuse the analysed round's answers; the others are read round by round."""
    from cop_widgets.analysis.rounds import round_change, rounds_summary

    cid = consultation_id
    accepted = {s.id for s in store.list_statements(cid)}
    store.add_round(cid)
    tokens = {}
    for member in store.list_members(cid)[:8]:
        tokens[member.id] = store.add_invitation(member.id)[1]
    for number, token in enumerate(tokens.values()):
        store.save_card(cid, token, [m.StanceResponse(sid, 1 + (number + sid) % 5)
                                     for sid in sorted(accepted)])
    frames = {}
    for r in store.list_rounds(cid):
        frame = store.responses_frame(cid, r.number)
        frames[r.number] = frame[frame["statement_id"].isin(accepted)]
    analysis = ConsultationAnalysis(store, cid)
    summary, change = analysis.rounds()
    pd.testing.assert_frame_equal(summary, rounds_summary(frames, analysis.scale))
    pd.testing.assert_frame_equal(change, round_change(frames[1], frames[2]))
    assert set(change.index) == accepted and (change["n_both"] > 0).any()
