"""Chart builders: aggregated specs, text alternatives from the same numbers, offline SVG."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cop_widgets.analysis.summary import by_attribute, stance_distribution, statement_summary
from cop_widgets.charts.figures import (
    attribute_chart,
    divergence_chart,
    opinion_map,
    participation_chart,
)
from cop_widgets.charts.palette import DIVERGING, level_colours
from cop_widgets.charts.render import to_svg
from cop_widgets.i18n import format_number
from cop_widgets.scales import SCALES

LIKERT = SCALES["likert5"]


def make_responses(n_members: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for member in range(1, n_members + 1):
        for statement, lean in ((1, 5), (2, 1), (3, 3)):
            stance = int(np.clip(lean + rng.integers(-1, 2), 1, 5)) if statement != 3 else \
                int(rng.choice([1, 5]))
            rows.append((member, statement, stance))
    frame = pd.DataFrame(rows, columns=["member_id", "statement_id", "stance"])
    frame["stance"] = frame["stance"].astype("Int64")
    return frame


STATEMENTS = pd.DataFrame({"statement_id": [1, 2, 3], "position": [1, 2, 3],
                           "text": ["We agree on this", "We reject this",
                                    "<script>alert(1)</script> splits us"]})


def data_rows(chart) -> int:
    spec = chart.to_dict()
    return sum(len(v) for v in spec.get("datasets", {}).values())


def build(n_members: int):
    responses = make_responses(n_members)
    summary = statement_summary(responses, LIKERT)
    return divergence_chart(stance_distribution(responses, LIKERT), summary,
                            STATEMENTS, LIKERT), summary


def test_divergence_spec_does_not_grow_with_members():
    small, _ = build(40)
    large, _ = build(4000)
    assert data_rows(small.chart) == data_rows(large.chart)
    assert data_rows(large.chart) <= 3 * len(LIKERT.levels) + 1


def test_divergence_sorted_most_divergent_first_and_text_matches_numbers():
    figure, summary = build(60)
    layer = figure.chart.to_dict()["layer"][0]
    order = layer["encoding"]["y"]["sort"]
    assert order[0].startswith("3.")  # the polarised statement
    assert summary.loc[3, "class"] == "polarised"
    consensus = (summary["class"] == "consensus").sum()
    assert f"{consensus} reach" in figure.text or f"{consensus} reaches" in figure.text
    assert f"{100 * summary.loc[1, 'pct_agree']:.0f}% agree" in figure.text
    colours = layer["encoding"]["color"]["scale"]["range"]
    assert set(colours) <= set(DIVERGING)
    assert colours == [level_colours(LIKERT)[v] for v in LIKERT.values]


def test_bars_of_each_statement_span_its_shares():
    figure, _ = build(50)
    data = next(iter(figure.chart.to_dict()["datasets"].values()))
    frame = pd.DataFrame(data)
    for _, bars in frame.groupby("statement"):
        assert bars["share"].sum() == pytest.approx(1)
        assert (bars["x1"] - bars["x0"]).to_numpy() == pytest.approx(bars["share"].to_numpy())


def test_svg_escapes_member_text():
    figure, _ = build(20)
    svg = to_svg(figure.chart)
    assert svg.lstrip().startswith("<svg")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_attribute_chart_and_text():
    responses = make_responses(30)
    members = pd.DataFrame({"member_id": range(1, 31),
                            "role": ["tutor" if i % 2 else "volunteer" for i in range(1, 31)]})
    by_group = by_attribute(responses, members, "role", LIKERT)
    figure = attribute_chart(by_group, STATEMENTS, "role")
    assert "by role" in figure.text
    assert data_rows(figure.chart) == len(by_group)


def test_opinion_map_is_binned_and_described():
    rng = np.random.default_rng(3)
    n = 5000
    coords = pd.DataFrame({"member_id": range(n), "x": rng.normal(size=n),
                           "y": rng.normal(size=n)})
    labels = pd.Series(pd.array(np.where(coords.x > 0, 0, 1), dtype="Int64"),
                       index=coords.member_id)
    labels.iloc[:7] = pd.NA
    figure = opinion_map(coords, labels, bins=10)
    assert data_rows(figure.chart) <= 10 * 10 * 3
    sizes = labels.value_counts()
    assert f"Group A ({format_number(sizes[0])} members)" in figure.text  # 2,509
    assert "7 members answered too little" in figure.text


def test_participation_chart_counts():
    members = pd.DataFrame({"member_id": range(6), "invited": [True] * 5 + [False],
                            "responded": [True, True, True, False, False, False],
                            "region": ["N", "N", "S", "S", "S", ""]})
    figure = participation_chart(members, "region")
    assert figure.text.startswith("3 of 6 members have responded (50%)")
    assert "(not given) (0 of 1, 0%)" in figure.text
    spec = json.dumps(figure.chart.to_dict())
    assert "Not invited" in spec


def test_rounds_chart_says_which_statements_stayed_stable():
    from cop_widgets.analysis.rounds import round_change, rounds_summary
    from cop_widgets.charts.figures import rounds_chart

    first = make_responses(20, seed=1)
    second = first.copy()
    second.loc[second["statement_id"] == 1, "stance"] = 1  # everyone turns on statement 1
    figure = rounds_chart(rounds_summary({1: first, 2: second}, LIKERT),
                          round_change(first, second), STATEMENTS)
    assert figure.text.startswith("2 rounds. Between the last two rounds, 2 of 3 statements "
                                  "were stable")
    assert "1. We agree on this (100% of members changed)" in figure.text


def test_a_chart_in_french_writes_its_axes_the_french_way():
    from cop_widgets.charts.figures.labels import MISSING, percent

    members = pd.DataFrame({"member_id": range(4), "invited": [True] * 4,
                            "responded": [True, True, False, False], "region": ["N"] * 4})
    english = participation_chart(members, language="en")
    french = participation_chart(members, language="fr")
    assert "locale" not in english.chart.to_dict().get("config", {})
    config = french.chart.to_dict()["config"]
    assert config["locale"]["number"]["decimal"] == ","
    assert config["aria"] is False  # Vega's own descriptions are English: the text stands in
    assert french.language == "fr"
    assert "2 sur 4" in french.text and percent(0.5, "fr") in french.text
    assert percent(float("nan")) == MISSING and percent(0.5) == "50%"


def test_groups_not_given_are_named_in_the_chart_language():
    responses = make_responses(12)
    members = pd.DataFrame({"member_id": range(1, 13),
                            "role": [None if i % 3 == 0 else "tutor" for i in range(1, 13)]})
    by_group = by_attribute(responses, members, "role", LIKERT)
    spec = json.dumps(attribute_chart(by_group, STATEMENTS, "role",
                                      language="fr").chart.to_dict(), ensure_ascii=False)
    assert "(non renseigné)" in spec and "(not given)" not in spec


def test_participation_by_group_reads_the_groups_as_shown():
    """From the analysis service's shown_members: the merged small groups are one bar, and
    the codes "(not given)" and "(other groups)" are words of the chart's language."""
    from cop_widgets.analysis.disclosure import group_sizes, merge_small_groups, merged_members

    members = pd.DataFrame({"member_id": range(9), "invited": [True] * 9,
                            "responded": [True] * 7 + [False] * 2,
                            "region": ["N"] * 4 + ["S"] + ["W"] * 3 + [" "]})
    merge = merge_small_groups(group_sizes(members, "region"), 3)
    shown = merged_members(members, "region", merge.labels)
    figure = participation_chart(shown, "region")
    (data,) = figure.chart.to_dict()["datasets"].values()
    assert {row["group"] for row in data} == {"N", "(other groups)"}
    assert "S" not in figure.text.split()
    french = participation_chart(members, "region", language="fr")
    spec = json.dumps(french.chart.to_dict(), ensure_ascii=False)
    assert "(non renseigné)" in spec and "(not given)" not in spec  # a blank value too
