"""Bridging reasons: the group-informed consensus of endorsements given impressions."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cop_widgets.analysis.deliberation import bridging_by_key, rank_reasons
from cop_widgets.model.discussion import DiscussionRecord, Reason, Side


def reason(statement: int, author: int, side: Side = Side.AGREE) -> Reason:
    stance = {Side.AGREE: 5, Side.DISAGREE: 1, Side.UNSURE: None}[side]
    return Reason(statement, author, stance, side, f"reason {statement}/{author}")


def record(reasons, shown=None, endorsed=None) -> DiscussionRecord:
    """``shown`` / ``endorsed``: reason key -> member ids."""
    return DiscussionRecord(
        reasons=reasons,
        impressions=[(key, m) for key, members in (shown or {}).items() for m in members],
        endorsements=[(key, m) for key, members in (endorsed or {}).items() for m in members])


A = {1: "A", 2: "A", 3: "A", 4: "A"}
B = {5: "B", 6: "B", 7: "B"}
GROUPS = {**A, **B}


def test_hand_worked_product_over_two_groups():
    r = reason(1, 99)
    rec = record([r], shown={r.key: [1, 2, 3, 5, 6]}, endorsed={r.key: [1, 2, 5]})
    [standing] = rank_reasons(rec, GROUPS)
    # A: 2 of the 3 shown endorse it, B: 1 of 2 -> (3/5) * (2/4)
    assert standing.bridging == pytest.approx(0.3)
    assert standing.by_group == {"A": (2, 3), "B": (1, 2)}
    assert (standing.shown, standing.endorsements) == (5, 3)
    assert standing.reason is r


def test_endorsed_in_both_groups_ranks_above_endorsed_by_all_of_one():
    one_sided, bridging = reason(1, 90), reason(1, 91)
    everyone = [1, 2, 3, 4, 5, 6, 7]
    rec = record([one_sided, bridging],
                 shown={one_sided.key: everyone, bridging.key: everyone},
                 endorsed={one_sided.key: [1, 2, 3, 4], bridging.key: [1, 2, 5, 6]})
    first, second = rank_reasons(rec, GROUPS)
    assert first.reason is bridging and second.reason is one_sided
    assert first.endorsements == second.endorsements == 4  # not a matter of popularity
    assert second.bridging == pytest.approx((5 / 6) * (1 / 5))
    assert first.bridging == pytest.approx((3 / 6) * (3 / 5))


def test_members_outside_the_mapping_count_in_the_total_only():
    r = reason(1, 99)
    rec = record([r], shown={r.key: [1, 5, 50, 51]}, endorsed={r.key: [50, 51, 1]})
    [standing] = rank_reasons(rec, GROUPS)
    assert standing.endorsements == 3 and standing.shown == 4
    assert standing.by_group == {"A": (1, 1), "B": (0, 1)}
    assert standing.bridging == pytest.approx((2 / 3) * (1 / 3))


def test_an_empty_mapping_is_one_group_of_everyone():
    r = reason(1, 99)
    rec = record([r], shown={r.key: [1, 5, 50]}, endorsed={r.key: [1, 50]})
    [standing] = rank_reasons(rec, {})
    assert standing.bridging == pytest.approx(3 / 5)
    assert standing.by_group == {}


def test_an_endorsement_without_impression_never_lifts_a_factor_above_one():
    r = reason(1, 99)
    rec = record([r], shown={}, endorsed={r.key: [1, 2]})
    [standing] = rank_reasons(rec, {1: "A", 2: "A"})
    assert standing.by_group == {"A": (2, 2)}
    assert standing.bridging == pytest.approx(3 / 4)
    assert standing.shown == 0 and standing.endorsements == 2


def test_a_group_that_saw_nothing_halves_every_reason_alike():
    r, s = reason(1, 98), reason(1, 99)
    rec = record([r, s], shown={r.key: [1, 2], s.key: [1, 2]}, endorsed={r.key: [1]})
    standings = bridging_by_key(rank_reasons(rec, GROUPS))
    assert standings[r.key].by_group["B"] == (0, 0)
    assert standings[r.key].bridging == pytest.approx((2 / 4) * 0.5)
    assert standings[s.key].bridging == pytest.approx((1 / 4) * 0.5)


def test_ties_by_endorsements_then_fewer_impressions_then_the_records_order():
    # equal products: (1+1)/(2+2) = (2+1)/(4+2) = 1/2 in one group
    few, many = reason(1, 10), reason(1, 11)
    # equal everything: the record's order decides, not the author's id
    late, early = reason(2, 1), reason(2, 2)
    quiet, loud = reason(3, 5), reason(3, 6)
    groups = {m: "A" for m in range(1, 9)}
    rec = record(
        [few, many, early, late, loud, quiet],
        shown={few.key: [1, 2], many.key: [1, 2, 3, 4], early.key: [1], late.key: [1],
               loud.key: [1, 2, 3, 4], quiet.key: [1, 2]},
        endorsed={few.key: [1], many.key: [1, 2], loud.key: [1, 2]})
    order = [s.reason for s in rank_reasons(rec, groups)]
    # bridging: few = many = loud = 1/2; quiet, early, late = 1/4 or 1/3
    assert order.index(many) < order.index(few)  # more endorsements first
    assert order.index(loud) < order.index(few)
    assert order.index(early) < order.index(late)  # record order, author 2 before 1
    # equal bridging and endorsements: fewer impressions first (member 9 is in no group)
    rec2 = record([loud, quiet], shown={loud.key: [1, 2, 9], quiet.key: [1, 2]},
                  endorsed={loud.key: [1], quiet.key: [1]})
    first, second = rank_reasons(rec2, {1: "A", 2: "A"})
    assert first.bridging == second.bridging and first.endorsements == second.endorsements
    assert (first.reason, second.reason) == (quiet, loud)


def test_repeated_pairs_and_unknown_reasons_are_counted_once_or_not_at_all():
    r = reason(1, 99)
    rec = record([r], shown={r.key: [1, 1, 5], (1, 77): [1, 2]},
                 endorsed={r.key: [1, 1], (1, 77): [1]})
    [standing] = rank_reasons(rec, GROUPS)
    assert (standing.shown, standing.endorsements) == (2, 1)
    assert standing.by_group == {"A": (1, 1), "B": (0, 1)}


def test_importing_the_package_loads_neither_pandas_nor_numpy():
    code = ("import sys, cop_widgets.analysis.deliberation\n"
            "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
