"""Opinion change after reading others' reasons: who moved, which way, which reasons helped."""

from __future__ import annotations

import datetime as dt

from cop_widgets.analysis.deliberation import direction, net_movement, opinion_change
from cop_widgets.model.discussion import (
    DiscussionRecord,
    Reason,
    Side,
    StanceCredit,
    StanceRevision,
)
from cop_widgets.scales import KANER8, LIKERT5

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def moves(statement: int, changes: dict[int, tuple], shown_at: int = 10):
    """member -> (before, after): a revision at 0, one at 20, first shown at ``shown_at``."""
    revisions = [StanceRevision(m, statement, before, at(0)) for m, (before, _) in changes.items()]
    revisions += [StanceRevision(m, statement, after, at(20)) for m, (_, after) in changes.items()]
    first = {(m, statement): at(shown_at) for m in changes}
    return revisions, first


def record(revisions, first_shown, reasons=(), credits=()) -> DiscussionRecord:
    return DiscussionRecord(reasons=list(reasons), revisions=list(revisions),
                            first_shown=dict(first_shown), credits=list(credits))


def test_directions_on_likert5():
    revisions, first = moves(1, {1: (2, 4), 2: (4, 1), 3: (3, 3), 4: (None, 5), 5: (3, None)})
    [row] = opinion_change(record(revisions, first), LIKERT5, {})
    assert (row.statement_id, row.group) == (1, None)
    assert (row.compared, row.moved, row.toward_agree, row.toward_disagree) == (5, 4, 2, 1)
    assert net_movement(row) == 1
    # 3 -> pass: both unsure, and the pass is no level: moved, toward neither
    assert row.transitions == {(2, 4): 1, (3, None): 1, (4, 1): 1, (None, 5): 1}


def test_directions_on_kaner8():
    # "will support while disliking it" -> "support with reservations": more agreement
    assert direction(KANER8, 3, 6) == 1
    assert direction(KANER8, 8, 3) == -1  # same side, lower position
    assert direction(KANER8, 5, 4) == 0  # Abstain -> More discussion needed: neither
    assert direction(KANER8, None, 2) == -1  # pass -> serious disagreement
    assert direction(KANER8, 2, 1) == -1 and direction(KANER8, 1, 5) == 1
    revisions, first = moves(1, {1: (3, 6), 2: (5, 4), 3: (None, 2), 4: (8, 8)})
    [row] = opinion_change(record(revisions, first), KANER8, {})
    assert (row.compared, row.moved, row.toward_agree, row.toward_disagree) == (4, 3, 1, 1)
    assert net_movement(row) == 0


def test_before_is_the_stance_saved_by_the_first_reading_and_after_the_latest():
    revisions = [StanceRevision(1, 1, 1, at(0)), StanceRevision(1, 1, 2, at(10)),
                 StanceRevision(1, 1, 5, at(30)), StanceRevision(1, 1, 4, at(40)),
                 StanceRevision(2, 1, 1, at(0)), StanceRevision(2, 1, 1, at(30))]
    first = {(1, 1): at(10), (2, 1): at(20)}  # a revision saved at the reading counts
    [row] = opinion_change(record(revisions, first), LIKERT5, {})
    assert row.transitions == {(2, 4): 1}
    assert (row.compared, row.moved) == (2, 1)


def test_members_not_shown_a_reason_or_without_a_stance_before_are_not_compared():
    revisions, first = moves(1, {1: (1, 5), 2: (1, 5)})
    del first[(2, 1)]  # member 2 never read a reason under statement 1
    revisions.append(StanceRevision(3, 1, 5, at(30)))  # member 3 answered only after reading
    first[(3, 1)] = at(10)
    [row] = opinion_change(record(revisions, first), LIKERT5, {})
    assert (row.compared, row.moved, row.toward_agree) == (1, 1, 1)


def test_rows_per_statement_then_per_group_present():
    r3, r1 = Reason(3, 50, 5, Side.AGREE, "x"), Reason(1, 50, 5, Side.AGREE, "y")
    rev3, first3 = moves(3, {1: (1, 5), 2: (5, 5), 9: (5, 1)})
    rev1, first1 = moves(1, {1: (5, 1)})
    rev7, first7 = moves(7, {2: (1, 2)})
    rows = opinion_change(record(rev1 + rev3 + rev7, {**first1, **first3, **first7},
                                 reasons=[r3, r1]),
                          LIKERT5, {1: "b", 2: "a", 4: "c"})
    assert [(r.statement_id, r.group) for r in rows] == [
        (3, None), (3, "a"), (3, "b"), (1, None), (1, "b"), (7, None), (7, "a")]
    everyone, a, b = rows[:3]
    assert (everyone.compared, everyone.moved, net_movement(everyone)) == (3, 2, 0)
    assert (a.compared, a.moved) == (1, 0)  # member 9 is in no group: everyone's row only
    assert (b.compared, b.toward_agree) == (1, 1)


def test_the_latest_credit_of_each_member_who_moved_is_counted():
    early, late, other = (Reason(1, a, 5, Side.AGREE, "r") for a in (60, 61, 62))
    revisions, first = moves(1, {1: (1, 5), 2: (1, 5), 3: (2, 5), 4: (5, 5)})
    credits = [StanceCredit(1, early.key, at(15)), StanceCredit(1, late.key, at(20)),
               StanceCredit(2, late.key, at(20)), StanceCredit(3, other.key, at(20)),
               StanceCredit(4, early.key, at(20)),  # member 4 did not move
               StanceCredit(3, (2, 60), at(21))]  # another statement
    rows = opinion_change(record(revisions, first, reasons=[early, late, other],
                                 credits=credits), LIKERT5, {1: "a", 2: "a", 3: "b"})
    everyone, a, b = rows
    assert everyone.credited == {late.key: 2, other.key: 1}
    assert list(everyone.credited) == [late.key, other.key]
    assert a.credited == {late.key: 2} and b.credited == {other.key: 1}


def test_a_credited_reason_gone_from_the_record_still_counts_after_the_others():
    kept = Reason(1, 60, 5, Side.AGREE, "r")
    revisions, first = moves(1, {1: (1, 5), 2: (1, 5), 3: (1, 4)})
    credits = [StanceCredit(1, (1, 70), at(20)), StanceCredit(2, kept.key, at(20)),
               StanceCredit(3, (1, 50), at(20))]
    [row] = opinion_change(record(revisions, first, reasons=[kept], credits=credits),
                           LIKERT5, {})
    assert list(row.credited.items()) == [(kept.key, 1), ((1, 70), 1), ((1, 50), 1)]
