"""The discussion read once for every view (services.deliberation): what each view is given.

Most tests read the seeded consultation of ``deliberation_seed`` (roster groups: its
answers take two positions only, too few for opinion groups). The last two seed twelve
members in two camps, so that :func:`take_groups` takes real opinion groups.
"""

from __future__ import annotations

from deliberation_seed import REASONS, seed_discussion_consultation
from helpers import seed_consultation

from cop_widgets import model as m
from cop_widgets.i18n import format_percent
from cop_widgets.model.discussion import GroupSource, Side
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.services.deliberation import open_discussion, take_groups
from cop_widgets.widgets.member import MemberPage

ASK, TRUST, NOBODY = REASONS[(0, 0)], REASONS[(1, 0)], REASONS[(4, 0)]
SAVES, COSTLY = REASONS[(1, 1)], REASONS[(0, 1)]


def discussion_of(store, cid):
    return ConsultationAnalysis(store, cid).discussion


def test_bridging_ranks_across_groups_and_leaves_out_what_nobody_marked(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    discussion = discussion_of(store, seeded.cid)
    first = seeded.statements[0].id
    # two marks each: Zephyrine's across both groups rises above Osgood's from one group
    top = discussion.top_bridging(first)
    assert [s.reason.text for s in top] == [ASK, TRUST]
    assert [s.endorsements for s in top] == [2, 2]
    assert NOBODY not in [s.reason.text for s in top]  # shown to five, marked by none
    assert discussion.top_bridging(first, 1)[0].reason.text == ASK
    assert discussion.bridging_texts() == {first: [ASK, TRUST],
                                           seeded.statements[1].id: [SAVES, COSTLY]}


def test_each_side_counts_the_marks_of_members_by_their_latest_stance(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    first, second = (s.id for s in seeded.statements[:2])
    endorsed = discussion_of(store, seeded.cid).endorsed_by_side()
    # Marisol agreed when she marked Zephyrine's reason, then moved to disagree: her mark
    # counts on the disagreeing side, and the agreeing side has Osgood's reason alone
    assert endorsed[first] == {Side.AGREE: [TRUST], Side.DISAGREE: [ASK]}
    # the minority of statement 2 (Ottoline) marked the majority's reason, and Isidore of
    # the majority the minority's
    assert endorsed[second] == {Side.DISAGREE: [SAVES], Side.AGREE: [SAVES, COSTLY]}
    assert seeded.statements[2].id not in endorsed


def test_reasons_and_change_data_name_statements_as_analyze_does_and_no_author(store,
                                                                                clock):
    seeded = seed_discussion_consultation(store, clock)
    discussion = discussion_of(store, seeded.cid)
    reasons = discussion.reasons_data()
    assert all(set(r) == {"statement", "number", "side", "text", "shown", "endorsements",
                          "bridging"} for r in reasons)
    assert reasons[0] == {"statement": str(seeded.statements[0].id), "number": 1,
                          "side": "disagree", "text": ASK, "shown": 5, "endorsements": 2,
                          "bridging": 0.2}
    assert len(reasons) == len(REASONS)
    change = discussion.change_data()
    assert change[0] == {"statement": str(seeded.statements[0].id), "number": 1,
                         "compared": 6, "moved": 2, "toward_agree": 1,
                         "toward_disagree": 1}
    assert [c["number"] for c in change] == [1, 2, 3]


def test_nothing_is_read_as_a_discussion_before_one_opened(store, clock):
    seeded = seed_discussion_consultation(store, clock, discussion=False)
    discussion = discussion_of(store, seeded.cid)
    assert not discussion.opened
    assert discussion.reasons_data() == [] and discussion.change_data() == []
    assert discussion.bridging_texts() == {} and discussion.endorsed_by_side() == {}


def test_open_discussion_takes_the_roster_groups_when_there_are_no_opinion_groups(store,
                                                                                  clock):
    seeded = seed_discussion_consultation(store, clock, discussion=False)
    phase = open_discussion(store, seeded.cid)
    assert phase.source is GroupSource.ROSTER and phase.attribute == "role"
    assert sorted(phase.groups.values()) == ["coordinator"] * 3 + ["tutor"] * 3
    assert discussion_of(store, seeded.cid).opened


def test_merged_small_groups_keep_the_order_of_moves_and_credits():
    from cop_widgets.analysis.deliberation.change import ChangeRow
    from cop_widgets.services.deliberation import _merge_small
    from cop_widgets.vocabulary import OTHER_GROUPS

    a, b, c = (1, 10), (1, 11), (1, 12)  # reasons in the record's order
    rows = [ChangeRow(1, None, 14, 4, 2, 2),
            ChangeRow(1, "big", 5, 0, 0, 0), ChangeRow(1, "bigger", 6, 0, 0, 0),
            ChangeRow(1, "x", 1, 1, 0, 1, {(4, 2): 1}, {c: 1}),
            ChangeRow(1, "y", 2, 2, 1, 1, {(2, 4): 1, (4, None): 1}, {b: 1, a: 1})]
    merged = _merge_small(rows, 3, [a, b, c])
    assert [r.group for r in merged] == [None, "big", "bigger", OTHER_GROUPS]
    other = merged[-1]
    assert (other.compared, other.moved, other.toward_agree, other.toward_disagree) == (
        3, 3, 1, 2)
    # by stance before then after, the pass last; credits tied at one in the record's order
    assert list(other.transitions) == [(2, 4), (4, 2), (4, None)]
    assert list(other.credited) == [a, b, c]


# -- opinion groups (take_groups' first path) -------------------------------------------


def two_camps(store):
    """Twelve members in two camps of six that answer the three statements oppositely.

    The first camp agrees with statements 1 and 2 and disagrees with 3, the second the
    other way round; within a camp answers differ by one level, so that the projection has
    more than a few distinct positions. Each member gives a reason on statement 1.
    """
    seeded = seed_consultation(store, members=12)
    camps = {}
    for i, member in enumerate(seeded.members):
        first = i < 6
        nudge = i % 3 == 0  # one level less sure, now and then
        agree, disagree = (4 if nudge else 5), (2 if nudge else 1)
        stances = (agree, agree, disagree) if first else (disagree, disagree, agree)
        store.save_card(seeded.consultation.id, seeded.tokens[member.id], [
            m.StanceResponse(s.id, stance, f"Reason of member {i + 1}" if j == 0 else "")
            for j, (s, stance) in enumerate(zip(seeded.statements, stances, strict=True))],
            status=m.CardStatus.SUBMITTED)
        camps[member.id] = "first" if first else "second"
    return seeded, camps


def test_take_groups_takes_the_opinion_groups_with_letters_and_what_sets_them_apart(store):
    seeded, camps = two_camps(store)
    cid = seeded.consultation.id
    taken = take_groups(ConsultationAnalysis(store, cid))
    assert taken.source is GroupSource.OPINION and taken.attribute == ""
    assert set(taken.groups) == set(camps)  # every member who answered, by id
    assert sorted(set(taken.groups.values())) == ["A", "B"]  # as the Divergence tab names
    # each camp is one group, and the two camps two groups
    letter = {camp: {taken.groups[m] for m, c in camps.items() if c == camp}
              for camp in ("first", "second")}
    assert all(len(letters) == 1 for letters in letter.values())
    first, second = letter["first"].pop(), letter["second"].pop()
    assert first != second
    # what sets each group apart: its representative statements, [id, direction, share]
    ids = [s.id for s in seeded.statements]
    assert set(taken.apart) == {"A", "B"}
    for label, rows in taken.apart.items():
        assert 1 <= len(rows) <= 2  # APART_TOP
        for statement_id, direction, share in rows:
            assert statement_id in ids and direction in ("agree", "disagree")
            assert 0.5 < share <= 1
            # the first camp agrees with statements 1 and 2, the second with 3
            agrees = (statement_id in ids[:2]) == (label == first)
            assert direction == ("agree" if agrees else "disagree"), (label, statement_id)
    phase = open_discussion(store, cid)
    assert phase.source is GroupSource.OPINION
    assert dict(phase.groups) == taken.groups and phase.apart == taken.apart


def test_where_you_stand_is_drawn_from_the_opinion_groups_taken(store):
    seeded, _camps = two_camps(store)
    cid = seeded.consultation.id
    phase = open_discussion(store, cid)
    member = seeded.members[1]  # of the first camp: agrees with statements 1 and 2
    label = phase.groups[member.id]
    page = MemberPage(store, cid, seeded.tokens[member.id])
    stand = page.discussion.where_html()
    assert f"Your answers are closest to Group {label} (6 members)." in stand
    assert f"What sets Group {label} apart:" in stand
    number, _direction, share = phase.apart[label][0]
    position = [s.id for s in seeded.statements].index(number) + 1
    verb = "agree" if position <= 2 else "disagree"
    assert (f"Most of Group {label} {verb} with statement {position}: "
            f"{format_percent(share, 'en')}") in stand
    assert stand in page.results.value  # under the community's distribution
