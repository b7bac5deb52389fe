"""The subtraction attack on small groups (issue 11, item 4), carried out and failing.

An anonymous consultation has a region, South, of one member. Before, the export left South
out of the comparison by region but showed the whole community's figures, North's figures
and a participation table with every region's size: the whole minus North was South's
stance. Here the attack is run on everything a reader gets (the export's report and
Markdown, the analysis service's tables, the Participation and Divergence tabs): nothing
left after subtracting the groups shown comes from fewer than three members, South is
named nowhere, and the methodology names the rule.
"""

from __future__ import annotations

import json
import re

import pytest

from cop_widgets import model as m
from cop_widgets.export.api import export_consultation
from cop_widgets.export.report import build_report
from cop_widgets.notebook import NotebookConsultation
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.vocabulary import OTHER_GROUPS
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.participation import ParticipationPanel

THRESHOLD = 3
#: The counts a comparison by group shows per statement, which a reader can subtract.
COUNTS = ["n", "n_pass", "agree", "neutral", "disagree"]
STATEMENTS = ("Phase the policy in over two years.", "Train members before the change.",
              "Keep the old rubric for a year.")
#: The stances of North (varied) and of South's one member (against everything).
NORTH = ((5, 4, 5), (4, 5, 4), (5, 5, None), (2, 4, 5))
SOUTH = (1, 1, 1)
#: Regions: the reproduction, then with a third region of exactly the threshold.
ROSTERS = {"north-and-south": {"North": 4, "South": 1},
           "with-west": {"North": 4, "South": 1, "West": 3}}


def _consultation(store, regions: dict[str, int]) -> int:
    development = store.add_development(m.Development(
        "policy", "New assessment policy", summary="The ministry changes assessment.",
        date="2026-01-10"))
    cid = store.add_consultation(m.Consultation(
        development.id, "How do we respond?", scale="likert5", anonymous=True)).id
    statements = store.add_statements([m.Statement(cid, text) for text in STATEMENTS])
    cards = []
    number = 0
    for region, count in regions.items():
        for i in range(count):
            number += 1
            member = store.add_member(m.Member(cid, f"Member {number}",
                                               attributes={"region": region}))
            stances = SOUTH if region == "South" else NORTH[i % len(NORTH)]
            cards.append((store.add_invitation(member.id)[1], stances))
    store.open_consultation(cid)
    for token, stances in cards:
        store.save_card(cid, token, [m.StanceResponse(s.id, v)
                                     for s, v in zip(statements, stances, strict=True)])
    return cid


@pytest.fixture(params=list(ROSTERS), ids=list(ROSTERS))
def attacked(store, request):
    """An anonymous consultation with a region of one member, every member answering."""
    regions = ROSTERS[request.param]
    return store, _consultation(store, regions), regions


def _left_after_subtraction(summary, by_group):
    """Per statement: the whole's counts minus the sum of every group shown."""
    shown = by_group.groupby(level="statement_id")[COUNTS].sum()
    return summary[COUNTS] - shown.reindex(summary.index, fill_value=0)


def test_the_whole_minus_the_groups_shown_gives_no_small_group(attacked, tmp_path):
    store, cid, regions = attacked
    analysis = ConsultationAnalysis(store, cid)
    report = build_report(store, cid)
    assert analysis.smallest_group == THRESHOLD
    for by_group in (analysis.by("region"), report.by_group):
        sizes = by_group["group_size"].groupby(level="group").first()
        assert (sizes >= THRESHOLD).all(), sizes  # every group shown reaches it
        assert "South" not in sizes.index
        left = _left_after_subtraction(report.summary, by_group)
        # everyone answered every statement: what is left counts the members it comes from
        for statement_id, row in left.iterrows():
            assert row["n"] == 0 or row["n"] >= THRESHOLD, (statement_id, row.to_dict())
            assert (row == 0).all() or row["n"] >= THRESHOLD
    # South's own figures are not among those a reader can compute
    south = {"n": 1, "n_pass": 0, "agree": 0, "neutral": 0, "disagree": 1}
    left = _left_after_subtraction(report.summary, report.by_group)
    assert not any(row.to_dict() == south for _sid, row in left.iterrows())
    # the merged group holds South and enough others (North, or West when there is one)
    merge = analysis.disclosure("region")
    assert merge.primary == ("South",)
    assert merge.complementary == (("West",) if "West" in regions else ("North",))
    other = analysis.by("region").xs(OTHER_GROUPS, level="group")
    assert (other["group_size"] == 1 + regions[merge.complementary[0]]).all()


def test_no_table_or_weighting_lists_a_group_under_the_threshold(attacked):
    store, cid, _regions = attacked
    analysis = ConsultationAnalysis(store, cid)
    report = build_report(store, cid)
    table = analysis.representation("region")
    assert "South" not in table.index and OTHER_GROUPS in table.index
    assert ((table["responded"] == 0) | (table["responded"] >= THRESHOLD)).all()
    listed = report.methodology.by_attribute["region"]
    assert {g.group for g in listed} == set(table.index)
    assert all(g.responded == 0 or g.responded >= THRESHOLD for g in listed)
    # raw beside weighted is two sums over the cells: no cell may be a small group
    result, _compare = analysis.weighting("region")
    cells = result.cells
    if len(cells):
        assert "South" not in cells.index
        assert (cells["respondents"] >= THRESHOLD).all()
    assert not [c for c in (analysis.cruxes("region")["group_high"].tolist()
                            + analysis.cruxes("region")["group_low"].tolist())
                if c == "South"]


def test_south_is_named_in_no_view_and_the_methodology_names_the_rule(attacked, tmp_path):
    store, cid, _regions = attacked
    path = export_consultation(store, cid, "md", tmp_path / "response.md", charts=False)[0]
    markdown = path.read_text(encoding="utf-8")
    panel = ParticipationPanel(store, cid)
    dashboard = DivergenceDashboard(store, cid, attribute="region")
    notebook = NotebookConsultation(ConsultationAnalysis(store, cid))
    report = build_report(store, cid)
    views = {"export": markdown, "participation tab": panel.by_attribute.value,
             "export's charts": "".join(json.dumps(f.figure.chart.to_dict()) + f.figure.text
                                        for f in report.figures),
             "divergence tab": dashboard.comparison.shown + dashboard.weighted.value
             + dashboard.participation.shown,
             "notebook": notebook.by("region").to_string()
             + notebook.representation("region").to_string()
             + json.dumps(notebook.chart("participation", "region").to_dict())
             + json.dumps(notebook.chart("attribute", "region").to_dict())}
    for name, view in views.items():
        assert not re.search(r"\bSouth\b", view), name
        assert OTHER_GROUPS in view, name
    methodology = markdown[markdown.index("## Methodology"):]
    assert "### Disclosure control" in methodology
    assert "fewer than 3 members who answered" in methodology
    assert "threshold rule with category collapsing" in methodology
    assert "(complementary suppression)" in methodology
    assert "region: 1 group had fewer than 3 members who answered" in methodology
    assert "shown together as" in panel.by_attribute.value
