"""Statement summaries, distributions, classes, groups and cruxes."""

import math

import numpy as np
import pandas as pd
import pytest
from helpers import responses_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_widgets.analysis.disclosure import group_sizes, merge_small_groups, merged_members
from cop_widgets.analysis.summary import (
    CLASSES,
    NOT_GIVEN,
    SUMMARY_COLUMNS,
    ConsensusRule,
    by_attribute,
    classify,
    cruxes,
    stance_distribution,
    statement_summary,
)
from cop_widgets.scales import PASS_LABEL, SCALES
from cop_widgets.vocabulary import OTHER_GROUPS

LIKERT = SCALES["likert5"]
BINARY = SCALES["agree_disagree"]
KANER = SCALES["kaner8"]

def frame(rows):
    """The store's full responses frame (first revisions, no rationale) from
    ``(member_id, statement_id, stance)`` rows."""
    return responses_frame(rows, rationale="", revision=1,
                           saved_at=pd.Timestamp("2024-01-01", tz="UTC"))


def from_counts(spec, scale=LIKERT, passes=None):
    """Responses from {statement_id: counts per level (least agreement first)}."""
    values = sorted(scale.values)
    rows = []
    member = 0
    for sid, counts in spec.items():
        for value, count in zip(values, counts, strict=True):
            for _ in range(count):
                member += 1
                rows.append((member, sid, value))
        for _ in range((passes or {}).get(sid, 0)):
            member += 1
            rows.append((member, sid, None))
    return frame(rows)


def one(counts, scale=LIKERT, rule=None, passes=0):
    summary = statement_summary(from_counts({1: counts}, scale, {1: passes}), scale, rule)
    return summary.loc[1]


# -- statement_summary ---------------------------------------------------------------------------


def test_columns_and_index():
    summary = statement_summary(from_counts({3: [0, 0, 0, 1, 1], 1: [1, 0, 0, 0, 0]}), LIKERT)
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    assert summary.index.name == "statement_id"
    assert summary.index.tolist() == [1, 3]


def test_counts_shares_and_measures_by_hand():
    # counts (1, 1, 2, 4, 2) of 10, plus 2 passes.
    row = one([1, 1, 2, 4, 2], passes=2)
    assert (row.n, row.n_pass, row.n_stance) == (12, 2, 10)
    assert row.pass_share == pytest.approx(2 / 12)
    assert (row.agree, row.neutral, row.disagree) == (6, 2, 2)
    assert row.pct_agree == pytest.approx(0.6)
    assert row.pct_disagree == pytest.approx(0.2)
    # cumulative 1, 2, 4, 8, 10: median (5) -> 4; Q1 (2.5) -> 3; Q3 (7.5) -> 4.
    assert row["median"] == 4
    assert row.iqr == 1
    # Leik: F = .1 .2 .4 .8 -> .1 .2 .4 .2 = .9; D = 2 * .9 / 4.
    assert row.dispersion == pytest.approx(0.45)
    assert row.divergence == pytest.approx(1 - row.consensus)
    assert row["class"] == "leaning"
    assert row.direction == "agree"


def test_passes_change_only_pass_counts():
    without = one([0, 1, 2, 5, 3])
    with_passes = one([0, 1, 2, 5, 3], passes=7)
    assert with_passes.n == without.n + 7
    assert with_passes.n_pass == 7
    for col in ("n_stance", "agree", "neutral", "disagree", "pct_agree", "pct_disagree",
                "median", "iqr", "consensus", "agreement", "dispersion", "class",
                "direction", "divergence"):
        assert with_passes[col] == without[col] or (
            pd.isna(with_passes[col]) and pd.isna(without[col]))


def test_only_passes_is_no_answers():
    row = one([0, 0, 0, 0, 0], passes=3)
    assert (row.n, row.n_pass, row.n_stance, row.pass_share) == (3, 3, 0, 1.0)
    assert row["class"] == "no answers"
    assert pd.isna(row.direction)
    for col in ("pct_agree", "pct_disagree", "median", "iqr", "consensus", "agreement",
                "dispersion", "divergence"):
        assert math.isnan(row[col])


def test_empty_responses():
    summary = statement_summary(frame([]), LIKERT)
    assert summary.empty
    assert tuple(summary.columns) == SUMMARY_COLUMNS
    assert stance_distribution(frame([]), LIKERT).empty


def test_stance_off_the_scale_raises():
    with pytest.raises(ValueError, match="not on the scale"):
        statement_summary(frame([(1, 1, 6)]), LIKERT)
    with pytest.raises(ValueError, match="not on the scale"):
        statement_summary(frame([(1, 1, 0)]), BINARY)


# -- classes ------------------------------------------------------------------------------------


def test_consensus_for():
    row = one([0, 1, 1, 8, 10])  # 18/20 agree, 1/20 disagree; Q1 = 4, Q3 = 5
    assert (row["class"], row.direction) == ("consensus", "agree")


def test_consensus_against():
    row = one([12, 5, 2, 1, 0])  # 17/20 disagree, 1/20 agree
    assert (row["class"], row.direction) == ("consensus", "disagree")


def test_consensus_at_the_thresholds():
    # exactly 75% agree and 15% disagree; 10% neutral; Q1 = midpoint(3, 5) = 4, IQR 1.
    row = one([3, 0, 2, 0, 15])
    assert row.pct_agree == 0.75 and row.pct_disagree == 0.15 and row.iqr == 1
    assert row["class"] == "consensus"


def test_iqr_condition_blocks_consensus_likert():
    # 75% agree, 15% disagree, but cumulative 3, 3, 5 (=25%) then 6: Q1 = midpoint(3, 4)
    # = 3.5, Q3 = 5 -> IQR 1.5 > 1.
    row = one([3, 0, 2, 1, 14])
    assert row.pct_agree == 0.75 and row.pct_disagree == 0.15
    assert row.iqr == 1.5
    assert row["class"] == "leaning"
    # A wider IQR allowance turns it into consensus.
    assert one([3, 0, 2, 1, 14], rule=ConsensusRule(max_iqr=2.0))["class"] == "consensus"


def test_iqr_condition_blocks_consensus_kaner8():
    # All ordinal stances agree, split between "support with reservations" (position 4)
    # and "whole-hearted endorsement" (6): Q1 = 4, Q3 = 6, IQR 2 > 1.25 (1 * 5 / 4 on the
    # six ordinal levels). The two abstentions are a category of their own, out of it.
    row = one([0, 0, 0, 0, 2, 4, 0, 4], scale=KANER)
    assert row.pct_agree == pytest.approx(1.0)
    assert (row.n_stance, row.n_abstain, row.abstain_share) == (8, 2, pytest.approx(0.2))
    assert row.iqr == 2
    assert ConsensusRule().iqr_limit(6) == 1.25
    assert (row["class"], row.direction) == ("leaning", "agree")
    # With the agreeing stances on adjacent levels, consensus.
    assert one([0, 0, 0, 0, 2, 0, 4, 4], scale=KANER)["class"] == "consensus"


def test_polarised():
    row = one([5, 0, 0, 0, 5])
    assert row.agreement == pytest.approx(-1)
    assert row["class"] == "polarised"
    assert pd.isna(row.direction)
    # 60% at one end, 40% at the other: A = 1 - 4 * 0.4 = -0.6, polarised though 60% agree.
    row = one([4, 0, 0, 0, 6])
    assert row.agreement == pytest.approx(-0.6)
    assert row["class"] == "polarised"


def test_leaning_both_ways():
    # (0, 2, 2, 6, 0): A = 6/10 * 1/2 (01110) + 4/10 * 1 = 0.7, 60% agree.
    row = one([0, 2, 2, 6, 0])
    assert row.agreement == pytest.approx(0.7)
    assert (row["class"], row.direction) == ("leaning", "agree")
    row = one([0, 6, 2, 2, 0])
    assert (row["class"], row.direction) == ("leaning", "disagree")


def test_divided():
    # 40% / 20% / 40% on the inner levels: A = 0.6 * 1/2 + 0.4 * 1/6 > 0, no majority.
    row = one([0, 4, 2, 4, 0])
    assert row.agreement == pytest.approx(0.3 + 0.4 / 6)
    assert row["class"] == "divided"
    assert pd.isna(row.direction)
    # An exact tie between the sides is not leaning.
    row = one([0, 5, 0, 5, 0])
    assert row.agreement > 0
    assert row["class"] == "divided"


def test_consensus_is_tested_before_polarisation():
    # 15 vs 85 on the extremes: A = 0.4. With polarised_below 0.5 both tests pass;
    # consensus wins.
    rule = ConsensusRule(polarised_below=0.5)
    row = one([15, 0, 0, 0, 85], rule=rule)
    assert row.agreement == pytest.approx(0.4)
    assert row["class"] == "consensus"
    # Polarisation comes before leaning.
    assert one([0, 3, 0, 0, 7], rule=rule)["class"] == "polarised"


def test_agree_disagree_scale_classes():
    # A = 1 - 4 min(p): 17/20 -> 0.4 and consensus; 16/20 -> leaning (A 0.2);
    # 14/20 -> leaning (A -0.2: a 70/30 split is not polarised on two levels);
    # 12/20 -> leaning (A -0.6, on the two-level threshold); 11/20 -> polarised (A -0.8);
    # 10/20 -> polarised (A -1).
    cases = {(3, 17): "consensus", (4, 16): "leaning", (6, 14): "leaning",
             (8, 12): "leaning", (9, 11): "polarised", (10, 10): "polarised",
             (17, 3): "consensus"}
    summary = statement_summary(from_counts(dict(enumerate(cases, start=1)), BINARY), BINARY)
    assert summary["class"].tolist() == list(cases.values())
    assert summary["direction"].tolist()[0] == "agree"
    assert summary["direction"].tolist()[-1] == "disagree"
    assert summary.loc[1, "agreement"] == pytest.approx(0.4)
    assert summary.loc[6, "median"] == 1.5  # exact tie: midpoint of positions 1 and 2
    assert (summary["neutral"] == 0).all()


def test_kaner8_scale_counts_polarity():
    # One answer on each level (least agreement first), two passes: "Don't like it, but
    # will support it" counts as agreeing, and apart; "Abstain" and "More discussion
    # needed" are out of the ordinal stances, each a share of all ten answers.
    row = one([1, 1, 1, 1, 1, 1, 1, 1], scale=KANER, passes=2)
    assert (row.agree, row.neutral, row.disagree) == (4, 0, 2)
    assert (row.n, row.n_stance, row.n_pass) == (10, 6, 2)
    assert (row.n_abstain, row.n_more_discussion) == (1, 1)
    assert row.abstain_share == row.more_discussion_share == pytest.approx(0.1)
    assert row.pct_agree == pytest.approx(4 / 6)
    assert (row.reluctant_support, row.pct_reluctant_support) == (1, pytest.approx(1 / 6))
    assert row["median"] == 3.5  # positions 1..6, one stance each
    assert row.agreement == pytest.approx(0)  # uniform over the six ordinal levels
    # 1 in 10 wants more discussion: not more than max_more_discussion (15%).
    assert row["class"] == "leaning"


def test_classify_reclassifies_a_summary():
    responses = from_counts({1: [3, 0, 2, 1, 14], 2: [5, 0, 0, 0, 5], 3: [0, 0, 0, 0, 0]},
                            passes={3: 1})
    summary = statement_summary(responses, LIKERT)
    again = classify(summary, LIKERT)
    pd.testing.assert_frame_equal(again, summary[["class", "direction"]])
    wide = classify(summary, LIKERT, ConsensusRule(max_iqr=2, polarised_below=-1))
    assert wide["class"].tolist() == ["consensus", "divided", "no answers"]
    assert set(summary["class"]) <= set(CLASSES)


def test_rule_validation():
    with pytest.raises(ValueError):
        ConsensusRule(min_agree=1.5)
    with pytest.raises(ValueError):
        ConsensusRule(max_iqr=-1)
    with pytest.raises(ValueError):
        ConsensusRule(polarised_below=2)
    assert ConsensusRule().iqr_limit(5) == 1.0
    assert ConsensusRule().iqr_limit(2) == 0.25


# -- stance_distribution ----------------------------------------------------------------------


def test_distribution_has_every_level_and_the_pass():
    responses = from_counts({7: [0, 0, 1, 2, 0], 2: [1, 0, 0, 0, 0]}, passes={7: 1})
    dist = stance_distribution(responses, LIKERT)
    assert list(dist.columns) == ["statement_id", "stance", "label", "polarity", "category",
                                  "count", "share"]
    assert dist["category"].isna().tolist()[:6] == [True] * 5 + [False]
    assert dist["category"].iloc[5] == "pass"
    assert len(dist) == 2 * 6
    s7 = dist[dist.statement_id == 7]
    assert s7["stance"].tolist()[:5] == [1, 2, 3, 4, 5]
    assert pd.isna(s7["stance"].iloc[5])
    assert s7["label"].tolist() == [
        "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
        "Strongly agree", PASS_LABEL]
    assert s7["count"].tolist() == [0, 0, 1, 2, 0, 1]
    assert s7["share"].tolist() == pytest.approx([0, 0, 0.25, 0.5, 0, 0.25])
    assert str(dist["stance"].dtype) == "Int64"
    assert dist.groupby("statement_id")["share"].sum().tolist() == pytest.approx([1, 1])


def test_distribution_matches_summary():
    responses = from_counts({1: [2, 0, 1, 3, 4], 2: [0, 0, 0, 0, 1]}, passes={1: 2, 2: 3})
    dist = stance_distribution(responses, LIKERT)
    summary = statement_summary(responses, LIKERT)
    totals = dist.groupby("statement_id")["count"].sum()
    assert totals.tolist() == summary["n"].tolist()
    agree = dist[dist.polarity == 1].groupby("statement_id")["count"].sum()
    assert agree.tolist() == summary["agree"].tolist()


# -- groups and cruxes ----------------------------------------------------------------------


@pytest.fixture
def groups_case():
    """Nine members; "role" splits statement 2 and nothing else."""
    members = pd.DataFrame({
        "member_id": range(1, 10),
        "name": [f"m{i}" for i in range(1, 10)],
        "role": ["research"] * 3 + ["practice"] * 3 + ["funder"] * 2 + [None],
        "region": ["north", "south"] * 4 + [""],
    })
    rows = []
    for member in range(1, 10):
        rows.append((member, 1, 4))  # everyone agrees with statement 1
        role = members.loc[member - 1, "role"]
        rows.append((member, 2, {"research": 5, "practice": 1, "funder": 3}.get(role, 4)))
        rows.append((member, 3, None if member == 1 else 2))
    return frame(rows), members


def test_by_attribute(groups_case):
    responses, members = groups_case
    result = by_attribute(responses, members, "role", LIKERT)
    assert result.index.names == ["group", "statement_id"]
    assert list(result.columns) == ["group_size", *SUMMARY_COLUMNS]
    groups = list(dict.fromkeys(result.index.get_level_values("group")))
    assert groups == ["funder", "practice", "research", NOT_GIVEN]
    sizes = result["group_size"].groupby(level="group").first()
    assert sizes.to_dict() == {"funder": 2, "practice": 3, "research": 3, NOT_GIVEN: 1}
    assert result.loc[("research", 2), "pct_agree"] == 1
    assert result.loc[("practice", 2), "pct_disagree"] == 1
    assert result.loc[("practice", 2), "direction"] == "disagree"
    assert result.loc[("funder", 2), "neutral"] == 2
    assert result.loc[("research", 3), "n_pass"] == 1
    assert result.loc[("research", 3), "n"] == 3
    assert (result.xs(1, level="statement_id")["class"] == "consensus").all()
    # Small groups merged before (as the analysis service does) form one group, last.
    merge = merge_small_groups(group_sizes(members.assign(responded=True), "role"), 3)
    merged = by_attribute(responses, merged_members(members, "role", merge.labels), "role",
                          LIKERT)
    sizes = merged["group_size"].groupby(level="group", sort=False).first()
    assert sizes.to_dict() == {"practice": 3, "research": 3, OTHER_GROUPS: 3}
    # statement 2: the two funders' neutral stances and the member without a role's 4
    assert merged.loc[(OTHER_GROUPS, 2), "n"] == 3
    assert merged.loc[(OTHER_GROUPS, 2), "neutral"] == 2


def test_by_attribute_missing_values(groups_case):
    responses, members = groups_case
    # A blank string is "not given"; a member absent from the roster is too.
    extra = pd.concat([responses, frame([(99, 1, 5)])], ignore_index=True)
    result = by_attribute(extra, members, "region", LIKERT)
    assert result.loc[(NOT_GIVEN, 1), "n"] == 2
    assert result.loc[(NOT_GIVEN, 1), "group_size"] == 2
    with pytest.raises(KeyError):
        by_attribute(responses, members, "no such attribute", LIKERT)


def test_by_attribute_numeric_groups():
    members = pd.DataFrame({"member_id": [1, 2, 3], "cohort": [2020.0, np.nan, 2021.0]})
    responses = frame([(1, 1, 5), (2, 1, 4), (3, 1, 1)])
    result = by_attribute(responses, members, "cohort", LIKERT)
    assert list(result.index.get_level_values("group")) == ["2020", "2021", NOT_GIVEN]


def test_cruxes(groups_case):
    responses, members = groups_case
    result = cruxes(responses, members, "role", LIKERT)
    assert list(result.columns[:6]) == ["statement_id", "spread", "pct_agree_max_group",
                                        "pct_agree_min_group", "group_high", "group_low"]
    # funder has 2 members (< min_group_size 3); "(not given)" never counts.
    top = result.iloc[0]
    assert top.statement_id == 2
    assert top.spread == pytest.approx(2.0)  # +1 (all "strongly agree") - (-1)
    assert (top.group_high, top.group_low) == ("research", "practice")
    assert (top.pct_agree_max_group, top.pct_agree_min_group) == (1.0, 0.0)
    assert (top.mean_high, top.mean_low, top.n_groups) == (1.0, -1.0, 2)
    # Statement 3: one researcher passed, so only practice has 3 stances; a single group
    # cannot split, so the statement is left out.
    assert result["statement_id"].tolist() == [2, 1]
    assert result["spread"].tolist() == pytest.approx([2.0, 0.0])
    # On a tie the two ends are still two different groups.
    assert tuple(result.iloc[1][["group_high", "group_low"]]) == ("practice", "research")
    assert cruxes(responses, members, "role", LIKERT, top=1)["statement_id"].tolist() == [2]
    small = cruxes(responses, members, "role", LIKERT, min_group_size=2)
    assert small["statement_id"].tolist() == [2, 1, 3]
    # funder's 3s (position 0) sit between research and practice: spread unchanged.
    assert small.iloc[0].spread == pytest.approx(2.0)
    assert small["n_groups"].tolist() == [3, 3, 3]


def test_cruxes_need_two_groups(groups_case):
    responses, members = groups_case
    result = cruxes(responses, members, "role", LIKERT, min_group_size=4)
    assert result.empty
    assert list(result.columns[:6]) == ["statement_id", "spread", "pct_agree_max_group",
                                        "pct_agree_min_group", "group_high", "group_low"]


# -- properties ---------------------------------------------------------------------------------


@st.composite
def responses_strategy(draw, scale=LIKERT):
    n_members = draw(st.integers(1, 12))
    n_statements = draw(st.integers(1, 5))
    values = [*scale.values, None]
    rows = []
    for member in range(1, n_members + 1):
        for sid in range(1, n_statements + 1):
            if draw(st.booleans()):
                rows.append((member, sid * 10, draw(st.sampled_from(values))))
    roles = draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n_members,
                          max_size=n_members))
    members = pd.DataFrame({"member_id": range(1, n_members + 1), "role": roles})
    return frame(rows), members


def _relabel_and_shuffle(responses, members, seed):
    rng = np.random.default_rng(seed)
    ids = members["member_id"].to_numpy()
    new_ids = dict(zip(ids, rng.permutation(len(ids)) * 7 + 1000, strict=True))
    r = responses.assign(member_id=responses["member_id"].map(new_ids))
    r = r.sample(frac=1, random_state=seed).reset_index(drop=True)
    m = members.assign(member_id=members["member_id"].map(new_ids))
    m = m.sample(frac=1, random_state=seed).reset_index(drop=True)
    return r, m


@given(responses_strategy(), st.integers(0, 2**31))
@settings(max_examples=60, deadline=None)
def test_invariant_under_relabelling_and_row_order(data, seed):
    responses, members = data
    r, m = _relabel_and_shuffle(responses, members, seed)
    pd.testing.assert_frame_equal(statement_summary(r, LIKERT),
                                  statement_summary(responses, LIKERT))
    pd.testing.assert_frame_equal(stance_distribution(r, LIKERT),
                                  stance_distribution(responses, LIKERT))
    pd.testing.assert_frame_equal(by_attribute(r, m, "role", LIKERT),
                                  by_attribute(responses, members, "role", LIKERT))
    pd.testing.assert_frame_equal(cruxes(r, m, "role", LIKERT, min_group_size=1),
                                  cruxes(responses, members, "role", LIKERT,
                                         min_group_size=1))


@given(responses_strategy(), st.integers(2, 4))
@settings(max_examples=40, deadline=None)
def test_replicating_members_changes_no_measure(data, factor):
    responses, _ = data
    copies = [responses.assign(member_id=responses["member_id"] + 1000 * i)
              for i in range(factor)]
    big = statement_summary(pd.concat(copies, ignore_index=True), LIKERT)
    small = statement_summary(responses, LIKERT)
    for col in ("n", "n_pass", "n_stance", "agree", "neutral", "disagree"):
        assert (big[col] == small[col] * factor).all()
    measures = ["pass_share", "pct_agree", "pct_disagree", "median", "iqr", "consensus",
                "agreement", "dispersion", "divergence"]
    pd.testing.assert_frame_equal(big[measures], small[measures], atol=1e-12)
    pd.testing.assert_frame_equal(big[["class", "direction"]], small[["class", "direction"]])


@given(st.sampled_from(sorted(SCALES)), st.data())
@settings(max_examples=40, deadline=None)
def test_ranges_and_shares(key, data):
    scale = SCALES[key]
    responses, _ = data.draw(responses_strategy(scale))
    summary = statement_summary(responses, scale)
    answered = summary[summary.n_stance > 0]
    assert answered["consensus"].between(0, 1).all()
    assert answered["divergence"].between(0, 1).all()
    assert answered["agreement"].between(-1, 1).all()
    assert answered["dispersion"].between(0, 1).all()
    neutral = answered["neutral"] / answered["n_stance"]
    assert (answered.pct_agree + neutral + answered.pct_disagree).to_numpy() == pytest.approx(1)
    assert (summary.n == summary.n_pass + summary.n_stance + summary.n_abstain
            + summary.n_more_discussion).all()
    none = summary.n_stance == 0
    assert (summary["class"][none & (summary.n_more_discussion == 0)] == "no answers").all()
    assert (summary["class"][none & (summary.n_more_discussion > 0)]
            == "more discussion").all()
    assert set(summary["class"]) <= set(CLASSES)
    dist = stance_distribution(responses, scale)
    sums = dist.groupby("statement_id")["share"].sum()
    assert sums.to_numpy() == pytest.approx(1)
    assert len(dist) == len(summary) * (len(scale.levels) + 1)


def test_summary_counts_every_row_of_a_large_consultation():
    # Speed lives in benchmarks/analysis.py; this only checks the large case is right.
    rng = np.random.default_rng(1)
    n_members, n_statements, fill = 20_000, 2_000, 0.02
    rows = int(n_members * n_statements * fill)
    flat = np.unique(rng.integers(0, n_members * n_statements, int(rows * 1.01)))[:rows]
    stance = rng.integers(1, 6, len(flat)).astype(float)
    stance[rng.random(len(flat)) < 0.1] = np.nan
    responses = pd.DataFrame({"member_id": flat // n_statements,
                              "statement_id": flat % n_statements,
                              "stance": pd.array(stance, dtype="Int64")})
    summary = statement_summary(responses, LIKERT)
    assert len(summary) == n_statements
    assert summary["n"].sum() == len(responses)
