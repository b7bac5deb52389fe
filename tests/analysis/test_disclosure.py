"""Disclosure control: small groups merged into "(other groups)", with a complementary one.

The rule (:func:`cop_widgets.analysis.disclosure.merge_small_groups`) on its edge cases, its
invariants on any sizes, the counting of group sizes from a roster, and the participation
table of merged groups (:func:`cop_widgets.analysis.representation.representation`).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_widgets.analysis.disclosure import group_sizes, merge_small_groups, merged_members
from cop_widgets.analysis.representation import representation
from cop_widgets.vocabulary import NOT_GIVEN, OTHER_GROUPS


def test_no_small_group_shows_every_group_by_name():
    merge = merge_small_groups({"north": 4, "south": 3, "west": 9}, 3)
    assert merge.labels == {"north": "north", "south": "south", "west": "west"}
    assert merge.primary == merge.complementary == merge.merged == ()
    assert merge.shown == ("north", "south", "west")


def test_one_small_group_takes_the_smallest_shown_group_with_it():
    """South alone in "(other groups)" would be South: the smallest other group joins it."""
    merge = merge_small_groups({"north": 4, "south": 1, "west": 3, "east": 7}, 3)
    assert merge.primary == ("south",)
    assert merge.complementary == ("west",)
    assert merge.labels == {"north": "north", "south": OTHER_GROUPS, "west": OTHER_GROUPS,
                            "east": "east"}
    assert merge.shown == ("north", "east") and merge.merged == ("south", "west")


def test_the_complementary_group_is_the_first_of_the_smallest_on_a_tie():
    merge = merge_small_groups({"north": 7, "south": 7, "east": 1}, 3)
    assert merge.complementary == ("north",)
    assert merge_small_groups({"south": 7, "north": 7, "east": 1}, 3).complementary == \
        ("south",)  # the order given breaks the tie, not the name


def test_two_small_groups_that_reach_the_threshold_together_need_no_complement():
    merge = merge_small_groups({"north": 5, "south": 1, "west": 2}, 3)
    assert merge.primary == ("south", "west") and merge.complementary == ()
    assert merge.shown == ("north",)


def test_two_small_groups_under_the_threshold_together_take_one_more():
    merge = merge_small_groups({"a": 1, "b": 1, "c": 5, "d": 4}, 3)
    assert merge.primary == ("a", "b") and merge.complementary == ("d",)
    assert merge.shown == ("c",)


def test_when_every_group_is_small_all_are_merged():
    merge = merge_small_groups({"north": 1, "south": 2, NOT_GIVEN: 1}, 3)
    assert set(merge.labels.values()) == {OTHER_GROUPS}
    assert merge.primary == ("north", "south", NOT_GIVEN) and merge.complementary == ()
    assert merge.shown == ()


def test_a_group_nobody_answered_in_is_merged_with_a_complement_too():
    """Shown alone, "(other groups)" with nobody in it would be South, and say that none of
    its members answered: the smallest other group joins it as for any small group."""
    merge = merge_small_groups({"north": 4, "south": 0, "west": 3}, 3)
    assert merge.primary == ("south",) and merge.complementary == ("west",)
    assert merge.shown == ("north",)
    merge = merge_small_groups({"north": 4, "south": 0, "east": 0, "west": 3}, 3)
    assert merge.primary == ("south", "east") and merge.complementary == ("west",)


def test_a_named_consultation_shows_every_group():
    merge = merge_small_groups({"north": 4, "south": 1, "west": 0}, 1)
    assert merge.merged == () and merge.labels == {g: g for g in ("north", "south", "west")}
    assert merge.threshold == 1
    assert merge_small_groups({}, 3).labels == {}


def test_a_group_is_small_when_any_of_its_counts_is():
    """(members with a card, members with an answer): each table must reach the threshold."""
    merge = merge_small_groups({"north": (4, 4), "south": (3, 2), "west": (5, 5)}, 3)
    assert merge.primary == ("south",) and merge.complementary == ("north",)
    # one count under the threshold in the merged group is enough to need a complement
    merge = merge_small_groups({"north": (4, 4), "south": (3, 1), "east": (0, 1),
                                "west": (9, 9)}, 3)  # (3, 2) together
    assert merge.primary == ("south", "east") and merge.complementary == ("north",)
    merge = merge_small_groups({"north": (4, 4), "south": (3, 2), "east": (0, 3),
                                "west": (9, 9)}, 3)
    assert merge.complementary == ()  # (3, 5) together


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        merge_small_groups({"north": -1}, 3)
    with pytest.raises(ValueError, match="same number of counts"):
        merge_small_groups({"north": (1, 2), "south": 3}, 3)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=7),
       st.integers(2, 5))
def test_nothing_under_the_threshold_follows_from_the_groups_shown(rows, threshold):
    """The invariants, on any sizes: each group shown, and the whole minus them, reach it.

    (A threshold of 1 shows every group, as it is: see the named consultation above.)
    """
    sizes = {f"g{i}": row for i, row in enumerate(rows)}
    merge = merge_small_groups(sizes, threshold)
    assert set(merge.labels) == set(sizes)
    assert set(merge.labels.values()) <= set(sizes) | {OTHER_GROUPS}
    assert len(merge.complementary) <= 1
    assert set(merge.merged) == set(merge.primary) | set(merge.complementary)
    for group in merge.shown:  # every group shown reaches the threshold in every count
        assert min(sizes[group]) >= threshold
    for count in range(2):
        # what subtraction gives: the whole minus every group shown by name
        rest = sum(sizes[g][count] for g in merge.merged)
        assert not merge.merged or rest >= threshold or not merge.shown
    # the complement is taken only when needed, and it is the smallest group left
    if merge.complementary:
        primary = [sum(sizes[g][c] for g in merge.primary) for c in range(2)]
        assert any(total < threshold for total in primary)
        chosen = sizes[merge.complementary[0]]
        assert all(chosen <= sizes[g] for g in merge.shown)
    elif merge.primary and merge.shown:
        assert all(sum(sizes[g][c] for g in merge.primary) >= threshold for c in range(2))


# -- group sizes and the merged roster ------------------------------------------------------


@pytest.fixture
def roster() -> pd.DataFrame:
    return pd.DataFrame({
        "member_id": [1, 2, 3, 4, 5, 6, 7],
        "responded": [True, True, True, True, True, False, False],
        "invited": [True] * 7,
        "region": ["North", "North", "North", "North", "South", "West", None],
    })


def test_group_sizes_count_cards_and_answers(roster):
    assert group_sizes(roster, "region") == {"North": (4,), "South": (1,), "West": (0,),
                                             NOT_GIVEN: (0,)}
    # member 4 has a card but no answer on the statements compared; 99 is not on the roster
    sizes = group_sizes(roster, "region", answering=[1, 2, 3, 5, 99])
    assert sizes == {"North": (4, 3), "South": (1, 1), "West": (0, 0), NOT_GIVEN: (0, 1)}


def test_merged_members_relabel_one_attribute(roster):
    merge = merge_small_groups(group_sizes(roster, "region"), 3)
    assert merge.primary == ("South", "West", NOT_GIVEN)  # (1 + 0 + 0) < 3 ...
    assert merge.complementary == ("North",)  # ... so North joins them
    frame = merged_members(roster.assign(role="x"), "region", merge.labels)
    assert set(frame["region"]) == {OTHER_GROUPS}
    assert list(frame["role"]) == ["x"] * 7 and list(roster["region"])[0] == "North"


def test_the_participation_of_merged_groups_adds_up_and_keeps_their_flags():
    """Westerners never answer: West is flagged, merged, and "(other groups)" carries it."""
    members = pd.DataFrame({
        "member_id": range(1, 18),
        "invited": [True] * 17,
        "responded": [True] * 15 + [False] * 2,
        "region": ["North"] * 9 + ["East"] * 5 + ["South"] + ["West"] * 2,
    })
    raw = representation(members, "region")
    assert bool(raw.loc["West", "under_represented"])
    merge = merge_small_groups(group_sizes(members, "region"), 3)
    assert merge.primary == ("South", "West") and merge.complementary == ("East",)
    table = representation(members, "region", labels=merge.labels, overall=True)
    assert list(table.index) == ["North", OTHER_GROUPS, "All members"]
    other = table.loc[OTHER_GROUPS]
    assert (other["roster"], other["invited"], other["responded"]) == (8, 8, 6)
    assert other["roster_share"] == pytest.approx(8 / 17)
    assert other["respondent_share"] == pytest.approx(6 / 15)
    # its own figures would not flag it (a gap of -7 points, a rate of 75% against 88%)...
    assert other["gap_points"] == pytest.approx(100 * (6 / 15 - 8 / 17))
    assert other["gap_points"] > -10 and other["response_rate"] > 0.5 * 15 / 17
    # ... but West, inside it, is not heard at all
    assert bool(other["under_represented"])
    assert table.loc["North"].equals(raw.loc["North"])
