"""Post-stratification weights, weighted figures and raw against weighted."""

import math

import numpy as np
import pandas as pd
import pytest
from answer_frames import groups, responses, roster
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_widgets.analysis.representation import representation
from cop_widgets.analysis.summary import NOT_GIVEN, statement_summary
from cop_widgets.analysis.weighting import (
    COMPARE_COLUMNS,
    WEIGHTING_NOTES,
    EmptyCell,
    WeightingResult,
    compare_raw_weighted,
    poststratification_weights,
    weighted_columns,
    weighted_summary,
)
from cop_widgets.scales import SCALES
from cop_widgets.words.weighting import describe_weighting, weighting_note

LIKERT = SCALES["likert5"]
BINARY = SCALES["agree_disagree"]


# -- weights ----------------------------------------------------------------------------


def half_half():
    # Roster: 5 in A and 5 in B (50% / 50%). Respondents: 4 of A and 1 of B (80% / 20%).
    # Weight = roster share / respondent share:
    #   A: 0.5 / 0.8 = 0.625      B: 0.5 / 0.2 = 2.5
    # Check: the 5 respondents' weights sum to 4 * 0.625 + 2.5 = 5, an average of 1, and
    # weighted, A carries 2.5 / 5 = 50% and B 2.5 / 5 = 50%, as on the roster.
    return groups([(5, 4, {"role": "A"}), (5, 1, {"role": "B"})])


def test_half_half_roster_with_eighty_twenty_respondents():
    result = poststratification_weights(half_half(), "role")
    assert isinstance(result, WeightingResult)
    assert result.weighted
    assert result.used == ("role",)
    assert result.empty_cells == []
    assert result.weights.index.name == "member_id"
    assert result.weights.name == "weight"
    assert result.weights.to_dict() == pytest.approx({1: 0.625, 2: 0.625, 3: 0.625,
                                                      4: 0.625, 6: 2.5})
    assert result.weights.mean() == pytest.approx(1)
    assert result.cells["weight"].to_dict() == pytest.approx({"A": 0.625, "B": 2.5})
    assert result.cells["roster"].tolist() == [5, 5]
    assert result.cells["respondents"].tolist() == [4, 1]
    assert result.note == "weighted"
    assert describe_weighting(result).startswith("Answers are weighted by role so that")


def test_weighted_shares_by_hand():
    # Statement 1: the four A respondents strongly agree (5), the B respondent strongly
    # disagrees (1). Raw: 4 / 5 = 80% agree. Weighted: agree 4 * 0.625 = 2.5, disagree 2.5,
    # so 50% / 50%, and the weighted median is an exact tie: midpoint of 1 and 5 = 3.
    # Kish: (Σw)² / Σw² = 5² / (4 * 0.625² + 2.5²) = 25 / 7.8125 = 3.2.
    # Statement 2: A: 4, 4, 2, pass; B: 4. Stance weights: agree 2 * 0.625 + 2.5 = 3.75,
    # disagree 0.625, total 4.375: pct_agree = 3.75 / 4.375 = 6/7 (raw 3/4). Pass share
    # 0.625 / 5 = 0.125 (raw 1/5).
    resp = responses([(1, 1, 5), (2, 1, 5), (3, 1, 5), (4, 1, 5), (6, 1, 1),
                      (1, 2, 4), (2, 2, 4), (3, 2, 2), (4, 2, None), (6, 2, 4)])
    result = poststratification_weights(half_half(), "role")
    table = weighted_summary(resp, result, LIKERT)
    assert tuple(table.columns) == weighted_columns(LIKERT)
    assert list(table.index) == [1, 2]
    s1, s2 = table.loc[1], table.loc[2]
    assert s1["n"] == 5 and s1["n_stance"] == 5
    assert s1["share_5"] == pytest.approx(0.5)
    assert s1["share_1"] == pytest.approx(0.5)
    assert s1["share_3"] == 0
    assert s1["pct_agree"] == pytest.approx(0.5)
    assert s1["pct_disagree"] == pytest.approx(0.5)
    assert s1["median"] == pytest.approx(3)
    assert s1["n_effective"] == pytest.approx(3.2)
    assert s1["pass_share"] == 0
    assert s2["n"] == 5 and s2["n_stance"] == 4
    assert s2["pct_agree"] == pytest.approx(6 / 7)
    assert s2["pct_disagree"] == pytest.approx(1 / 7)
    assert s2["share_4"] == pytest.approx(6 / 7)
    assert s2["share_2"] == pytest.approx(1 / 7)
    assert s2["pass_share"] == pytest.approx(0.125)
    assert s2["median"] == 4
    # Σw = 3.75 + 0.625 = 4.375; Σw² = 2 * 0.390625 + 6.25 + 0.390625 = 7.421875.
    assert s2["n_effective"] == pytest.approx(4.375 ** 2 / 7.421875)
    share_cols = [c for c in table.columns if c.startswith("share_")]
    np.testing.assert_allclose(table[share_cols].sum(axis=1), 1)
    # The same with the bare Series of weights.
    pd.testing.assert_frame_equal(weighted_summary(resp, result.weights, LIKERT), table)

    compared = compare_raw_weighted(resp, half_half(), "role", LIKERT)
    assert tuple(compared.columns) == COMPARE_COLUMNS
    np.testing.assert_allclose(compared["pct_agree_raw"], [0.8, 0.75])
    np.testing.assert_allclose(compared["pct_agree_weighted"], [0.5, 6 / 7])
    np.testing.assert_allclose(compared["difference"], [-0.3, 6 / 7 - 0.75])
    assert compared["n"].tolist() == [5, 5]
    np.testing.assert_allclose(compared["n_effective"], table["n_effective"])


def test_two_attributes_crossed():
    # 8 members, 2 in each role × region cell (each 25% of the roster). Respondents:
    # A/N 2, A/S 1, B/N 1, B/S 2, 6 in all, so respondent shares 2/6, 1/6, 1/6, 2/6 and
    # weights 0.25 / (2/6) = 0.75, 0.25 / (1/6) = 1.5, 1.5, 0.75. By role alone both roles
    # have 3 of 4 answering and every weight would be 1: the crossing matters.
    members = groups([(2, 2, {"role": "A", "region": "N"}), (2, 1, {"role": "A", "region": "S"}),
                      (2, 1, {"role": "B", "region": "N"}), (2, 2, {"role": "B", "region": "S"})])
    result = poststratification_weights(members, ["role", "region"])
    assert result.used == ("role", "region")
    assert result.empty_cells == []
    assert result.weights.to_dict() == pytest.approx({1: 0.75, 2: 0.75, 3: 1.5, 5: 1.5,
                                                      7: 0.75, 8: 0.75})
    assert result.weights.mean() == pytest.approx(1)
    assert list(result.cells.index) == [("A", "N"), ("A", "S"), ("B", "N"), ("B", "S")]
    assert result.cells.index.names == ["role", "region"]
    assert poststratification_weights(members, "role").weights.tolist() == [1.0] * 6


def crossed_with_empty_cell():
    # B/S has 2 members on the roster and nobody who answered.
    return groups([(2, 2, {"role": "A", "region": "N"}), (2, 1, {"role": "A", "region": "S"}),
                   (2, 1, {"role": "B", "region": "N"}), (2, 0, {"role": "B", "region": "S"})])


def test_empty_cell_falls_back_to_first_attribute():
    # Role alone: A 4 on the roster, 3 answered; B 4 and 1, of 4 respondents.
    # Weights: A 0.5 / 0.75 = 2/3, B 0.5 / 0.25 = 2 (sum 3 * 2/3 + 2 = 4 over 4: mean 1).
    result = poststratification_weights(crossed_with_empty_cell(), ["role", "region"])
    assert result.empty_cells == [EmptyCell({"role": "B", "region": "S"}, 2)]
    cell, count = result.empty_cells[0]
    assert (cell, count) == ({"role": "B", "region": "S"}, 2)
    assert result.attributes == ("role", "region")
    assert result.used == ("role",)
    assert result.weights.to_dict() == pytest.approx({1: 2 / 3, 2: 2 / 3, 3: 2 / 3, 5: 2})
    assert result.weights.mean() == pytest.approx(1)
    assert result.note == "fallback"
    text = describe_weighting(result)
    assert "role B and region S: 2 members on the roster" in text
    assert "uses role instead" in text


def test_fallback_to_second_attribute_then_to_none():
    # C has one member, who did not answer: role alone has an empty group, region does not.
    members = groups([(2, 2, {"role": "A", "region": "N"}), (2, 1, {"role": "B", "region": "S"}),
                      (1, 0, {"role": "C", "region": "N"})])
    result = poststratification_weights(members, ["role", "region"])
    assert result.used == ("region",)
    assert [e.cell for e in result.empty_cells] == [{"role": "C", "region": "N"}]
    # Region: N 3 on the roster, 2 answered; S 2 and 1; 3 respondents of 5.
    # N: 0.6 / (2/3) = 0.9; S: 0.4 / (1/3) = 1.2.
    assert result.weights.to_dict() == pytest.approx({1: 0.9, 2: 0.9, 3: 1.2})
    # Now a lone member in a region of its own too: no attribute can be weighted.
    lonely = groups([(2, 2, {"role": "A", "region": "N"}), (2, 1, {"role": "B", "region": "S"}),
                     (1, 0, {"role": "C", "region": "W"})])
    none = poststratification_weights(lonely, ["role", "region"])
    assert not none.weighted
    assert none.used == ()
    assert none.weights.tolist() == [1.0, 1.0, 1.0]
    assert none.note == "not-weighted"
    assert "not weighted" in describe_weighting(none)
    assert "Raw and weighted results are the same." in weighting_note(none)


def test_single_attribute_with_empty_group_is_not_weighted():
    members = groups([(3, 2, {"role": "A"}), (2, 0, {"role": NOT_GIVEN}), (1, 1, {"role": "B"})])
    result = poststratification_weights(members, "role")
    assert not result.weighted
    assert result.empty_cells == [EmptyCell({"role": NOT_GIVEN}, 2)]
    assert result.note == "not-weighted"
    assert "role not given: 2 members" in describe_weighting(result)


def test_everyone_answered_gives_weights_one_and_weighted_equals_raw():
    members = groups([(3, 3, {"role": "A", "region": "N"}), (1, 1, {"role": "B", "region": "N"}),
                      (2, 2, {"role": None, "region": "S"})])
    result = poststratification_weights(members, ["role", "region"])
    assert result.weighted
    assert (result.weights == 1.0).all()
    resp = responses([(1, 1, 5), (2, 1, 4), (3, 1, 1), (4, 1, None), (5, 1, 3), (6, 1, 5),
                      (1, 2, 2), (2, 2, 2), (4, 2, 3), (5, 2, None)])
    raw = statement_summary(resp, LIKERT)
    weighted = weighted_summary(resp, result, LIKERT)
    for col in ("n", "n_stance", "pass_share", "pct_agree", "pct_disagree", "median", "iqr",
                "consensus", "agreement", "class", "direction"):
        pd.testing.assert_series_equal(weighted[col], raw[col], check_dtype=False)
    np.testing.assert_allclose(weighted["n_effective"], raw["n_stance"])
    compared = compare_raw_weighted(resp, members, ["role", "region"], LIKERT)
    assert (compared["difference"] == 0).all()
    assert "mirror the roster closely" in weighting_note(result)


def test_nobody_answered_weights():
    result = poststratification_weights(groups([(3, 0, {"role": "A"})]), "role")
    assert result.weights.empty
    assert not result.weighted
    assert result.note == "nobody-answered"
    assert describe_weighting(result).startswith("Nobody on the roster has answered")


def test_respondents_override_and_unmatched():
    members = half_half().assign(responded=False)
    result = poststratification_weights(members, "role", respondents=[1, 2, 3, 4, 6, 99])
    assert result.weights.to_dict() == pytest.approx({1: 0.625, 2: 0.625, 3: 0.625,
                                                      4: 0.625, 6: 2.5})
    assert result.unmatched == 1
    assert result.note == "weighted"
    assert describe_weighting(result).endswith(
        "1 person who answered is not on the roster and left out of the weighting.")


def test_compare_uses_members_present_in_responses():
    # half_half flags members 1-4 (A) and 6 (B) as responded. This responses frame (e.g. an
    # earlier round) has 1-4 and 10 (B) instead, and 6 is no longer flagged: the comparison
    # weights those present in the frame, A 4 and B 1, so again 0.625 and 2.5.
    members = half_half()
    members.loc[members["member_id"] == 6, "responded"] = False
    resp = responses([(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (10, 1, -1)])
    out = compare_raw_weighted(resp, members, "role", BINARY)
    # On the binary scale 1 is "agree": A agrees (4 × 0.625 = 2.5), member 10 disagrees
    # (2.5): weighted 2.5 / 5 = 0.5, raw 4 / 5 = 0.8.
    assert out.loc[1, "pct_agree_raw"] == pytest.approx(0.8)
    assert out.loc[1, "pct_agree_weighted"] == pytest.approx(0.5)
    assert out.loc[1, "difference"] == pytest.approx(-0.3)


def test_weights_input_validation():
    resp = responses([(1, 1, 5)])
    with pytest.raises(ValueError):
        weighted_summary(resp, pd.Series([-1.0], index=[1]), LIKERT)
    with pytest.raises(ValueError):
        weighted_summary(resp, pd.Series([1.0, 1.0], index=[1, 1]), LIKERT)
    with pytest.raises(ValueError):
        poststratification_weights(half_half(), [])
    with pytest.raises(ValueError):
        poststratification_weights(half_half(), ["role", "role"])
    with pytest.raises(KeyError):
        poststratification_weights(half_half(), "nope")


def test_members_without_weight_are_left_out():
    resp = responses([(1, 1, 5), (2, 1, 1), (3, 1, 1), (3, 2, 1)])
    table = weighted_summary(resp, pd.Series([1.0], index=pd.Index([1], name="member_id")),
                             LIKERT)
    assert table.loc[1, "n"] == 1
    assert table.loc[1, "pct_agree"] == 1
    assert table.loc[2, "n"] == 0
    assert math.isnan(table.loc[2, "pct_agree"])
    assert table.loc[2, "class"] == "no answers"


def test_every_note_is_a_known_code_and_has_words_in_each_language():
    cases = {
        "weighted": half_half(),
        "fallback": crossed_with_empty_cell(),
        "not-weighted": groups([(3, 2, {"role": "A"}), (2, 0, {"role": "B"})]),
        "nobody-answered": groups([(3, 0, {"role": "A"})]),
    }
    assert set(cases) == set(WEIGHTING_NOTES)
    for code, members in cases.items():
        result = poststratification_weights(members, ["role", "region"][: len(
            [c for c in ("role", "region") if c in members.columns])])
        assert result.note == code
        english = describe_weighting(result)
        french = describe_weighting(result, language="fr")
        assert english and french and english != french
        assert weighting_note(result, language="fr").startswith(french)
    assert describe_weighting(poststratification_weights(half_half(), "role"),
                              language="fr").startswith("Les réponses sont pondérées par role")


def test_weighting_note_in_plain_words():
    # Coordinators: 12 of 40 on the roster (30%), 3 of 20 respondents (15%): weight 2.
    # Others: 70% vs 85%: weight 0.7 / 0.85 = 0.82.
    members = groups([(12, 3, {"role": "coordinator"}), (28, 17, {"role": "member"})])
    result = poststratification_weights(members, "role")
    text = weighting_note(result)
    assert ("Members whose role is coordinator are 30% of the roster but 15% of those who "
            "answered, so each of their answers counts about twice as much in the weighted "
            "results.") in text
    assert "Members whose role is member are 70% of the roster but 85%" in text
    assert "about 82% as much" in text
    # Kish: Σw = 20, Σw² = 3 * 4 + 17 * (0.7 / 0.85)² = 23.53..., n_eff = 17.
    assert "the 20 answers carry about as much information as 17 unweighted ones" in text
    text2 = weighting_note(poststratification_weights(half_half(), "role"))
    assert "about 2.5 times as much" in text2


def test_weighting_note_after_fallback_mentions_empty_cells():
    text = weighting_note(poststratification_weights(crossed_with_empty_cell(),
                                                     ["role", "region"]))
    assert text.startswith("1 combination of role × region has members on the roster")
    assert "Members whose role is B are 50% of the roster but 25%" in text
    assert "about twice as much" in text


def test_weighting_by_merged_groups_names_no_group_in_them():
    """An anonymous consultation weights by the groups as shown: the small ones merged are
    one cell, named as the other groups, never by a group in them (issue 11, item 4)."""
    from cop_widgets.analysis.disclosure import group_sizes, merge_small_groups, merged_members

    # North: 12 of 40, all 12 answer; South 1 (answers), West 27 (7 answer).
    members = groups([(12, 12, {"region": "North"}), (1, 1, {"region": "South"}),
                      (27, 7, {"region": "West"})])
    merge = merge_small_groups(group_sizes(members, "region"), 3)
    assert merge.merged == ("South", "West")
    result = poststratification_weights(merged_members(members, "region", merge.labels),
                                        "region")
    assert list(result.cells.index) == ["North", "(other groups)"]
    assert result.cells["respondents"].tolist() == [12, 8]
    text = weighting_note(result)
    assert "Members in the other groups of region are 70% of the roster but 40%" in text
    assert "South" not in text and "West" not in text


# -- properties -------------------------------------------------------------------------


@st.composite
def consultation(draw):
    n = draw(st.integers(1, 25))
    roles = draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n, max_size=n))
    regions = draw(st.lists(st.sampled_from(["n", "s", ""]), min_size=n, max_size=n))
    answered = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    rows = [(i + 1, answered[i], {"role": roles[i], "region": regions[i]}) for i in range(n)]
    members = roster(rows)
    stances = st.sampled_from([None, *LIKERT.values])
    resp_rows = []
    for i in range(n):
        if answered[i]:
            for sid in draw(st.sets(st.integers(1, 4), min_size=1, max_size=4)):
                resp_rows.append((i + 1, sid, draw(stances)))
    return members, responses(resp_rows)


@given(consultation(), st.sampled_from([("role",), ("region",), ("role", "region")]),
       st.randoms(use_true_random=False))
@settings(max_examples=80, deadline=None)
def test_invariant_under_member_relabelling(data, attrs, rnd):
    members, resp = data
    ids = members["member_id"].tolist()
    new_ids = rnd.sample(range(1000, 5000), len(ids))
    mapping = dict(zip(ids, new_ids, strict=True))
    members2 = members.assign(member_id=members["member_id"].map(mapping))
    members2 = members2.sample(frac=1, random_state=rnd.randint(0, 10**6))
    resp2 = resp.assign(member_id=resp["member_id"].map(mapping))
    resp2 = resp2.sample(frac=1, random_state=rnd.randint(0, 10**6))

    one = poststratification_weights(members, list(attrs))
    two = poststratification_weights(members2, list(attrs))
    assert one.used == two.used
    assert one.empty_cells == two.empty_cells
    assert one.note == two.note
    relabelled = one.weights.rename(index=mapping).sort_index()
    pd.testing.assert_series_equal(relabelled, two.weights.sort_index(), check_exact=False)
    if len(resp):
        pd.testing.assert_frame_equal(weighted_summary(resp, one, LIKERT),
                                      weighted_summary(resp2, two, LIKERT))
        pd.testing.assert_frame_equal(compare_raw_weighted(resp, members, list(attrs), LIKERT),
                                      compare_raw_weighted(resp2, members2, list(attrs), LIKERT))
    for attr in ("role", "region"):
        pd.testing.assert_frame_equal(representation(members, attr),
                                      representation(members2, attr))


@given(consultation(), st.sampled_from([("role",), ("region",), ("role", "region")]))
@settings(max_examples=80, deadline=None)
def test_weights_average_one_and_restore_roster_shares(data, attrs):
    members, _ = data
    result = poststratification_weights(members, list(attrs))
    n_resp = int(members["responded"].sum())
    assert len(result.weights) == n_resp
    if n_resp:
        assert result.weights.mean() == pytest.approx(1)
        assert (result.weights > 0).all()
    if result.weighted:
        # Weighted, each cell of the attributes used carries its roster share.
        cells = result.cells
        assert (cells["respondents"] > 0).all()
        carried = cells["respondents"] * cells["weight"] / n_resp
        np.testing.assert_allclose(carried, cells["roster_share"])
        assert cells["roster"].sum() == len(members)
    else:
        assert (result.weights == 1).all()
    if result.empty_cells:
        assert result.used != result.attributes
    else:
        assert result.used == result.attributes or not n_resp
    # Representation tables add up.
    for attr in attrs:
        table = representation(members, attr)
        assert table["roster"].sum() == len(members)
        assert table["responded"].sum() == n_resp
        assert table["roster_share"].sum() == pytest.approx(1)
