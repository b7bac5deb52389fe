"""Representation of groups among respondents: shares, gaps and the under-represented flag."""

import numpy as np
import pandas as pd
import pytest
from answer_frames import groups, roster

from cop_widgets.analysis.representation import (
    REPRESENTATION_COLUMNS,
    attribute_columns,
    representation,
    representation_all,
    representation_overall,
)
from cop_widgets.analysis.summary import NOT_GIVEN
from cop_widgets.model.policies import RepresentationRule
from cop_widgets.vocabulary import ALL_MEMBERS

# -- representation ---------------------------------------------------------------------


def hand_roster():
    # 10 members: 3 coordinators (1 answered), 5 members (all answered), one blank role and
    # one missing role (neither answered): "(not given)" has 2 members and 0 respondents.
    return roster(
        [(1, True, {"role": "coordinator", "region": "north"}),
         (2, False, {"role": "coordinator", "region": "south"}),
         (3, False, {"role": "coordinator", "region": "south"}),
         (4, True, {"role": "member", "region": "north"}),
         (5, True, {"role": "member", "region": "north"}),
         (6, True, {"role": "member", "region": "south"}),
         (7, True, {"role": "member", "region": "south"}),
         (8, True, {"role": "member", "region": "south"}),
         (9, False, {"role": "  ", "region": "north"}),
         (10, False, {"region": "north"})],
        invited={1, 2, 4, 5, 6, 7, 8, 9},
    )


def test_representation_by_hand():
    table = representation(hand_roster(), "role")
    assert tuple(table.columns) == REPRESENTATION_COLUMNS
    assert table.index.name == "group"
    assert list(table.index) == ["coordinator", "member", NOT_GIVEN]
    assert table["roster"].tolist() == [3, 5, 2]
    assert table["invited"].tolist() == [2, 5, 1]
    assert table["responded"].tolist() == [1, 5, 0]
    assert table["missing"].tolist() == [2, 0, 2]
    np.testing.assert_allclose(table["roster_share"], [0.3, 0.5, 0.2])
    np.testing.assert_allclose(table["respondent_share"], [1 / 6, 5 / 6, 0])
    np.testing.assert_allclose(table["response_rate"], [1 / 3, 1, 0])
    # Gaps in points: 100 * (1/6 - 0.3) = -13.33, 100 * (5/6 - 0.5) = +33.33, -20.
    np.testing.assert_allclose(table["gap_points"], [-40 / 3, 100 / 3, -20])
    assert table["under_represented"].tolist() == [True, False, True]
    assert table["roster"].dtype == np.int64
    assert table["under_represented"].dtype == bool


def test_gap_of_exactly_ten_points_is_flagged_and_plus_ten_is_not():
    # 20 members, 10 answered. A: 8 on the roster (40%), 3 answered (30%): gap -10 exactly,
    # response rate 3/8 = 0.375 is not under half of 0.5. B: 60% vs 70%, +10.
    members = groups([(8, 3, {"g": "A"}), (12, 7, {"g": "B"})])
    table = representation(members, "g")
    np.testing.assert_allclose(table["gap_points"], [-10, 10])
    assert table["under_represented"].tolist() == [True, False]
    # A stricter gap alone no longer flags A.
    loose = representation(members, "g", RepresentationRule(max_gap_points=10.5))
    assert loose["under_represented"].tolist() == [False, False]


def test_small_group_flagged_by_response_rate():
    # 40 members, 19 answered (rate 0.475). B has 2 members and nobody answered: its gap is
    # only -5 points, but its rate 0 is under half of 0.475.
    members = groups([(38, 19, {"g": "A"}), (2, 0, {"g": "B"})])
    table = representation(members, "g")
    assert table.loc["B", "gap_points"] == pytest.approx(-5)
    assert table["under_represented"].tolist() == [False, True]
    assert not representation(members, "g", RepresentationRule(min_rate_ratio=0))[
        "under_represented"].any()
    assert not representation(members, "g", RepresentationRule(min_roster=3))[
        "under_represented"].any()


def test_nobody_answered_yet():
    members = groups([(3, 0, {"g": "A"}), (1, 0, {"g": "B"})])
    table = representation(members, "g")
    assert table["respondent_share"].isna().all()
    assert table["gap_points"].isna().all()
    assert table["response_rate"].tolist() == [0, 0]
    assert not table["under_represented"].any()


def test_not_given_values():
    members = roster([(1, True, {"g": ""}), (2, True, {"g": None}), (3, False, {"g": np.nan}),
                      (4, True, {"g": "x"}), (5, False, {"g": 2.0})])
    table = representation(members, "g")
    assert list(table.index) == ["2", "x", NOT_GIVEN]
    assert table.loc[NOT_GIVEN, "roster"] == 3
    assert table.loc[NOT_GIVEN, "responded"] == 2


def test_overall_row_and_accessor():
    members = hand_roster()
    overall = representation_overall(members)
    assert overall.name == ALL_MEMBERS
    assert list(overall.index) == list(REPRESENTATION_COLUMNS)
    assert overall["roster"] == 10
    assert overall["invited"] == 8
    assert overall["responded"] == 6
    assert overall["missing"] == 4
    assert overall["response_rate"] == pytest.approx(0.6)
    assert overall["gap_points"] == 0
    assert not overall["under_represented"]
    table = representation(members, "role", overall=True)
    assert table.index[-1] == ALL_MEMBERS
    assert table.loc[ALL_MEMBERS, "roster"] == 10
    assert table["roster"].dtype == np.int64
    assert table["under_represented"].dtype == bool
    groups_only = table.drop(ALL_MEMBERS)
    assert groups_only["roster"].sum() == 10
    assert groups_only["roster_share"].sum() == pytest.approx(1)
    assert groups_only["respondent_share"].sum() == pytest.approx(1)


def test_representation_all_and_attribute_columns():
    members = hand_roster()
    assert attribute_columns(members) == ["region", "role"]
    every = representation_all(members)
    assert list(every) == ["region", "role"]
    pd.testing.assert_frame_equal(every["role"], representation(members, "role"))
    assert every["region"]["roster"].to_dict() == {"north": 5, "south": 5}


def test_representation_errors():
    members = hand_roster()
    with pytest.raises(KeyError):
        representation(members, "nope")
    with pytest.raises(KeyError):
        representation(members.drop(columns="invited"), "role")
    with pytest.raises(ValueError):
        representation(pd.concat([members, members]), "role")
    with pytest.raises(ValueError):
        RepresentationRule(min_rate_ratio=2)


def test_empty_roster():
    members = roster([]).assign(role=pd.Series([], dtype=object))
    table = representation(members, "role")
    assert table.empty
    assert tuple(table.columns) == REPRESENTATION_COLUMNS
