"""Charts that fit their panel (issue 12, item 3) and count members whole (item 5).

Every figure has a wide drawing no wider than the panel of a 1280-pixel window and a narrow
one no wider than a 390-pixel phone, legend entries never cut; the page gets both and a
container query that shows the one that fits. The browser test (tests/browser/test_fit.py)
checks the same on the served pages.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from cop_widgets.analysis.rounds import round_change, rounds_summary
from cop_widgets.analysis.summary import by_attribute, stance_distribution, statement_summary
from cop_widgets.charts.figures import (
    attribute_chart,
    divergence_chart,
    opinion_map,
    participation_chart,
    rounds_chart,
)
from cop_widgets.charts.figures.figure import NARROW, WIDE
from cop_widgets.charts.render import svg_width, to_svg
from cop_widgets.scales import SCALES

LONG = ("Our community should ask the ministry to delay the start date by one year so that "
        "tutors can be trained first")
STATEMENTS = pd.DataFrame({"statement_id": [1, 2, 3], "position": [1, 2, 3],
                           "text": ["Learners should be told whenever an AI tool helped "
                                    "prepare their materials", "We reject this", LONG]})


def responses(scale_key: str, n_members: int = 30) -> pd.DataFrame:
    values = SCALES[scale_key].values
    rows = [(m, s, values[(m * s) % len(values)]) for m in range(1, n_members + 1)
            for s in (1, 2, 3)]
    frame = pd.DataFrame(rows, columns=["member_id", "statement_id", "stance"])
    frame["stance"] = frame["stance"].astype("Int64")
    return frame


def members_frame(n: int = 30) -> pd.DataFrame:
    return pd.DataFrame({"member_id": range(1, n + 1), "invited": [True] * n,
                         "responded": [i % 3 != 0 for i in range(n)],
                         "region": [("North", "South", "East", "West")[i % 4]
                                    for i in range(n)]})


def divergence(scale_key: str, language: str = "en"):
    scale = SCALES[scale_key]
    answers = responses(scale_key)
    return divergence_chart(stance_distribution(answers, scale),
                            statement_summary(answers, scale), STATEMENTS, scale,
                            language=language)


def all_figures():
    likert = SCALES["likert5"]
    answers = responses("likert5")
    second = answers.copy()
    second.loc[second["statement_id"] == 1, "stance"] = 1
    rng = np.random.default_rng(3)
    coords = pd.DataFrame({"member_id": range(200), "x": rng.normal(size=200),
                           "y": rng.normal(size=200)})
    groups = pd.Series(pd.array(np.where(coords.x > 0, 0, 1), dtype="Int64"),
                       index=coords.member_id)
    return {
        "divergence (likert5)": divergence("likert5"),
        "divergence (kaner8)": divergence("kaner8"),
        "divergence (kaner8, fr)": divergence("kaner8", "fr"),
        "participation": participation_chart(members_frame(), "region"),
        "comparison": attribute_chart(by_attribute(answers, members_frame(), "region", likert),
                                      STATEMENTS, "region"),
        "opinion map": opinion_map(coords, groups),
        "rounds": rounds_chart(rounds_summary({1: answers, 2: second}, likert),
                               round_change(answers, second), STATEMENTS),
    }


def texts(svg: str, role: str = "") -> list[str]:
    """The words of an SVG's text marks (inside a ``role-<role>`` group if given)."""
    if role:
        found = []
        for group in re.finditer(rf'class="[^"]*role-{role}[^"]*"(.*?)</g>', svg, re.S):
            found += re.findall(r"<text[^>]*>(.*?)</text>", group.group(1), re.S)
    else:
        found = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    words = []
    for text in found:
        spans = re.findall(r"<tspan[^>]*>(.*?)</tspan>", text, re.S)
        words += [html.unescape(s) for s in (spans or [text])]
    return words


@pytest.fixture(scope="module")
def drawn():
    return {name: (figure, to_svg(figure.chart), to_svg(figure.narrow))
            for name, figure in all_figures().items()}


def test_every_figure_fits_a_wide_panel_and_a_phone(drawn):
    for name, (_figure, wide, narrow) in drawn.items():
        assert 0 < svg_width(wide) <= WIDE, (name, svg_width(wide))
        assert 0 < svg_width(narrow) <= NARROW, (name, svg_width(narrow))


def test_legend_entries_are_whole_in_both_drawings(drawn):
    for scale_key in ("likert5", "kaner8"):
        _figure, wide, narrow = drawn[f"divergence ({scale_key})"]
        levels = {level.label for level in SCALES[scale_key].levels}
        for svg in (wide, narrow):
            legend = set(texts(svg, "legend-label"))
            assert levels <= legend, levels - legend
            assert not [t for t in legend if t.endswith("…")]


def test_the_narrow_divergence_chart_names_each_statement_above_its_bar(drawn):
    _figure, _wide, narrow = drawn["divergence (likert5)"]
    words = " ".join(texts(narrow))
    # The long statement is written whole, over lines, not cut at the phone's width.
    assert " ".join(f"3. {LONG}".split()) in " ".join(words.split())


@pytest.mark.parametrize("responded", [[True, False, False], [True, True, False, False, True]])
def test_who_has_been_heard_counts_whole_members(responded):
    members = pd.DataFrame({"member_id": range(len(responded)),
                            "invited": [True] * len(responded), "responded": responded})
    figure = participation_chart(members)
    for chart in (figure.chart, figure.narrow):
        ticks = texts(to_svg(chart), "axis-label")
        numbers = [t for t in ticks if re.fullmatch(r"[0-9.,]+", t)]
        assert numbers, ticks
        assert all(re.fullmatch(r"[0-9]+", t) for t in numbers), numbers


@pytest.mark.parametrize("xs", [[0.0, 3.0, 1.0, 2.0], [0.0, 0.01, 3.0, 1.5],
                                [0.0, 0.1, 0.05, 3.0]])
def test_the_opinion_map_counts_whole_members(xs):
    coords = pd.DataFrame({"member_id": range(4), "x": xs, "y": xs})
    groups = pd.Series(pd.array([0, 0, 0, 1], dtype="Int64"), index=coords.member_id)
    figure = opinion_map(coords, groups, bins=24)
    for chart in (figure.chart, figure.narrow):
        sizes = [t for t in texts(to_svg(chart), "legend-label") if re.fullmatch(r"[0-9.,]+", t)]
        assert sizes and all(re.fullmatch(r"[0-9]+", t) for t in sizes), sizes
        assert len(set(sizes)) == len(sizes), sizes  # no 0.5 and 1.5 written "0" and "1"


def test_reluctant_support_is_coloured_as_support_on_every_bar():
    """The member page's bars coloured Kaner's "Don't like it, but will support it" orange
    (a disagreeing colour) though it is counted as support."""
    from cop_widgets.charts.palette import DIVERGING, stance_colours
    from cop_widgets.scales import get_scale
    from cop_widgets.widgets.distribution import distribution_html

    scale = get_scale("kaner8")
    colours = stance_colours(scale)
    for level in scale.levels:
        if level.ordinal and level.polarity > 0:
            assert colours[level.value] in DIVERGING[:4], level.label
        elif level.ordinal and level.polarity < 0:
            assert colours[level.value] in DIVERGING[5:], level.label
    reluctant = next(lv for lv in scale.levels if "will support" in lv.label)
    assert reluctant.polarity > 0
    from cop_widgets import model as m

    statement = m.Statement(1, "S", id=1)
    html = distribution_html(scale, [statement], {1: {reluctant.value: 3}}, str)
    assert colours[reluctant.value] in html
