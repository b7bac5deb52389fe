"""Options that are not degrees of agreement are categories of their own (issue 12, item 1).

Kaner's "Abstain" and "More discussion needed", and every scale's pass, are counted apart,
out of the ordinal measures; "Don't like it, but will support it" is support, reported
apart; and no statement is polarised or divided when nobody is on the other side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import responses_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_widgets.analysis.opinion import vote_matrix
from cop_widgets.analysis.ordinal import ordered_levels
from cop_widgets.analysis.summary import ConsensusRule, cruxes, statement_summary
from cop_widgets.analysis.summary.statements import stance_measures
from cop_widgets.scales import SCALES
from cop_widgets.words.stances import category_phrases

KANER = SCALES["kaner8"]
WHOLE, MINOR, RESERVED, ABSTAIN, MORE, DISLIKE, SERIOUS, VETO = range(8, 0, -1)


def summary_of(stances: list[int | None], scale=KANER) -> pd.Series:
    rows = [(member, 1, stance) for member, stance in enumerate(stances, start=1)]
    return statement_summary(responses_frame(rows), scale).loc[1]


def test_kaner_levels_say_whether_they_are_ordinal_and_their_category():
    by_value = {level.value: level for level in KANER.levels}
    assert by_value[ABSTAIN].category == "abstain" and not by_value[ABSTAIN].ordinal
    assert by_value[MORE].category == "more_discussion" and not by_value[MORE].ordinal
    assert all(by_value[v].ordinal for v in (WHOLE, MINOR, RESERVED, DISLIKE, SERIOUS, VETO))
    assert by_value[DISLIKE].polarity == 1 and by_value[DISLIKE].apart == "reluctant_support"
    assert [KANER.position(v) for v in (VETO, SERIOUS, DISLIKE, RESERVED, MINOR, WHOLE)] \
        == [1, 2, 3, 4, 5, 6]
    assert KANER.position(MORE) is None and KANER.position(ABSTAIN) is None
    for key in ("likert5", "agree_disagree"):
        scale = SCALES[key]
        assert not scale.category_levels and scale.ordinal_levels == scale.levels


def test_the_reproduction_is_more_discussion_not_polarised():
    """Statement 3 of the issue: three endorse whole-heartedly, three want more discussion."""
    row = summary_of([WHOLE, MORE, WHOLE, MORE, WHOLE, MORE])
    assert (row.n, row.n_stance, row.n_more_discussion, row.n_abstain) == (6, 3, 3, 0)
    assert row.more_discussion_share == pytest.approx(0.5)
    assert (row.pct_agree, row.pct_disagree) == (1.0, 0.0)
    # the ordinal measures see three stances on one level
    assert (row["median"], row.iqr, row.agreement, row.consensus, row.dispersion) == (
        6, 0, 1, 1, 0)
    assert row["class"] == "more discussion" and row.direction is None
    assert category_phrases(row) == ["wants more discussion: 50%"]


def test_categories_leave_the_ordinal_measures_unchanged():
    """Adding abstentions and passes to a distribution moves no ordinal measure."""
    base = [WHOLE, WHOLE, MINOR, RESERVED, DISLIKE, SERIOUS, VETO]
    plain = summary_of(base)
    padded = summary_of(base + [ABSTAIN, ABSTAIN, None])
    for column in ("n_stance", "pct_agree", "pct_disagree", "median", "iqr", "consensus",
                   "agreement", "dispersion", "class"):
        assert padded[column] == plain[column], column
    assert (padded.n, padded.n_abstain, padded.n_pass) == (10, 2, 1)
    assert padded.abstain_share == pytest.approx(0.2) and padded.pass_share == 0.1


def test_few_requests_for_more_discussion_are_said_but_do_not_decide_the_class():
    row = summary_of([WHOLE] * 9 + [MORE])  # 10%: not over max_more_discussion (15%)
    assert row["class"] == "consensus"
    assert category_phrases(row) == ["wants more discussion: 10%"]
    assert summary_of([WHOLE] * 5 + [MORE])["class"] == "more discussion"  # 17%
    # only requests for more discussion, and passes: still more discussion
    assert summary_of([MORE, None, None, None, None, None, None, None])["class"] \
        == "more discussion"
    assert summary_of([ABSTAIN, None])["class"] == "no answers"


def test_reluctant_support_is_support_reported_apart():
    row = summary_of([WHOLE, WHOLE, DISLIKE, DISLIKE])
    assert (row.agree, row.disagree, row.reluctant_support) == (4, 0, 2)
    assert row.pct_reluctant_support == pytest.approx(0.5)
    # endorsement and reluctant support are far apart on the scale, but on one side
    assert row["class"] == "leaning" and row.direction == "agree"
    assert category_phrases(row) == ["will support it while disliking it: 50%"]


def test_vote_matrix_reads_a_category_as_a_pass():
    rows = [(1, 1, WHOLE), (1, 2, MORE), (1, 3, ABSTAIN), (1, 4, VETO), (1, 5, None),
            (1, 6, DISLIKE)]
    values = vote_matrix(responses_frame(rows), KANER).values[0]
    assert values[:5].tolist() == [1.0, 0.0, 0.0, -1.0, 0.0]
    assert values[5] == pytest.approx(-0.2)  # position 3 of 6


def test_cruxes_place_groups_on_ordinal_stances_only():
    rows = [(i, 1, WHOLE if i <= 3 else MORE) for i in range(1, 7)]
    rows += [(i, 1, WHOLE) for i in range(7, 10)]
    members = pd.DataFrame({"member_id": range(1, 10),
                            "team": ["a"] * 3 + ["b"] * 3 + ["c"] * 3})
    found = cruxes(responses_frame(rows), members, "team", KANER, min_group_size=1)
    # team b only asked for more discussion: it holds no position, so nothing splits
    assert found.empty or (found["spread"] == 0).all()


# -- the class rule, on every scale ------------------------------------------------------


def _one_sided_counts(scale_key: str):
    """Distributions over every level of a scale with nobody on one side (or either)."""
    levels = ordered_levels(SCALES[scale_key])
    k = len(levels.values)
    emptied = {"agreeing": levels.polarity == 1, "disagreeing": levels.polarity == -1,
               "both": levels.polarity != 0}
    return st.tuples(
        st.lists(st.integers(0, 12), min_size=k, max_size=k),
        st.sampled_from(sorted(emptied)),
        st.integers(0, 5),
    ).map(lambda t: (np.where(emptied[t[1]], 0, np.array(t[0])), t[2]))


@pytest.mark.parametrize("key", sorted(SCALES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_nobody_on_one_side_is_never_polarised_or_divided(key, data):
    scale = SCALES[key]
    counts, passes = data.draw(_one_sided_counts(key))
    rule = data.draw(st.builds(ConsensusRule, polarised_below=st.floats(-1, 1),
                               polarised_below_two_levels=st.floats(-1, 1)))
    measures = stance_measures(counts[np.newaxis, :].astype(float), scale, rule,
                               passes=np.array([passes], dtype=float))
    klass = measures["class"][0]
    assert klass not in ("polarised", "divided"), (counts, klass)


@pytest.mark.parametrize("key", sorted(SCALES))
def test_the_class_rule_directly(key):
    """ConsensusRule.classify, given shares with nobody disagreeing and the lowest A."""
    scale = SCALES[key]
    rule = ConsensusRule()
    classes, directions = rule.classify([0.6, 0.3, 0.0, 0.5], [0.0, 0.0, 0.0, 0.5],
                                        [9, 9, 0, 9], [-1, -1, 1, -1], scale)
    assert classes.tolist() == ["leaning", "neutral", "neutral", "polarised"]
    assert directions.tolist() == ["agree", None, None, None]
    more, _ = rule.classify([1.0], [0.0], [0.0], [1.0], scale, more_discussion=[0.5])
    assert more.tolist() == ["more discussion"]
