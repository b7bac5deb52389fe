"""What a member is shown under each statement: side by side, never their own, unseen first."""

from __future__ import annotations

from cop_widgets.analysis.deliberation import ReasonStanding, select_reasons
from cop_widgets.model.discussion import REASONS_PER_SIDE, Reason, Side


def standing(statement: int, author: int, side: Side, bridging: float,
             shown: int = 0) -> ReasonStanding:
    stance = {Side.AGREE: 5, Side.DISAGREE: 1, Side.UNSURE: None}[side]
    return ReasonStanding(Reason(statement, author, stance, side, f"r{statement}/{author}"),
                          shown=shown, endorsements=0, bridging=bridging, by_group={})


def authors(reasons: list[Reason]) -> list[int]:
    return [r.author_id for r in reasons]


def test_the_minority_side_is_heard_beside_twenty_agreeing_reasons():
    agreeing = [standing(1, a, Side.AGREE, 0.9 - a / 100) for a in range(1, 21)]
    lone = standing(1, 50, Side.DISAGREE, 0.01)
    shown = select_reasons([*agreeing, lone], viewer_id=99, seen=set())
    assert list(shown[1]) == [Side.AGREE, Side.DISAGREE]
    assert len(shown[1][Side.AGREE]) == REASONS_PER_SIDE
    assert shown[1][Side.DISAGREE] == [lone.reason]


def test_a_member_never_reads_their_own_reason():
    mine = standing(1, 7, Side.AGREE, 0.9)
    other = standing(1, 8, Side.AGREE, 0.1)
    only_mine = standing(2, 7, Side.DISAGREE, 0.5)
    shown = select_reasons([mine, other, only_mine], viewer_id=7, seen=set())
    assert shown == {1: {Side.AGREE: [other.reason]}}
    assert 7 in authors(select_reasons([mine, other], viewer_id=8, seen=set())[1][Side.AGREE])


def test_most_bridging_first_then_unseen_fewest_impressions_then_the_rest_by_bridging():
    top = standing(1, 1, Side.AGREE, 0.8, shown=40)
    seen_high = standing(1, 2, Side.AGREE, 0.7, shown=30)
    seen_low = standing(1, 3, Side.AGREE, 0.2, shown=1)  # seen: waits its turn
    unseen_busy = standing(1, 4, Side.AGREE, 0.6, shown=20)
    unseen_quiet = standing(1, 5, Side.AGREE, 0.1, shown=2)
    everything = [top, seen_high, unseen_busy, seen_low, unseen_quiet]
    seen = {top.reason.key, seen_high.reason.key, seen_low.reason.key}
    picked = select_reasons(everything, viewer_id=99, seen=seen, per_side=5)[1][Side.AGREE]
    assert authors(picked) == [1, 5, 4, 2, 3]
    # the first slot is the most bridging one even if already seen; three slots by default
    assert authors(select_reasons(everything, 99, seen)[1][Side.AGREE]) == [1, 5, 4]
    # nothing seen yet: after the top, fewest impressions first
    assert authors(select_reasons(everything, 99, set())[1][Side.AGREE]) == [1, 3, 5]


def test_every_reason_gets_its_turn_as_members_read():
    reasons = [standing(1, a, Side.AGREE, 0.5, shown=0) for a in range(1, 8)]
    seen: set = set()
    for _ in range(4):
        for r in select_reasons(reasons, 99, seen)[1][Side.AGREE]:
            seen.add(r.key)
    assert seen == {r.reason.key for r in reasons}


def test_sides_in_order_ties_by_the_given_order_and_deterministic():
    unsure = standing(1, 1, Side.UNSURE, 0.5)
    disagree = standing(1, 2, Side.DISAGREE, 0.5)
    agree_b, agree_a = standing(1, 4, Side.AGREE, 0.5), standing(1, 3, Side.AGREE, 0.5)
    given = [unsure, disagree, agree_b, agree_a]
    shown = select_reasons(given, 99, set())
    assert list(shown[1]) == [Side.AGREE, Side.DISAGREE, Side.UNSURE]
    assert authors(shown[1][Side.AGREE]) == [4, 3]  # the standings' order, not the author id
    assert select_reasons(given, 99, set()) == shown
    assert select_reasons(given, 99, set(), per_side=0) == {}
