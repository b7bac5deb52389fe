"""Change between Delphi rounds, on hand-made rounds."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import responses_frame

from cop_widgets.analysis.rounds import STABLE_SHIFT, round_change, rounds_summary
from cop_widgets.scales import SCALES

LIKERT = SCALES["likert5"]


def test_changed_share_and_shift_by_hand():
    before = responses_frame([(1, 1, 5), (2, 1, 5), (3, 1, 1), (4, 1, 1), (1, 2, 3), (2, 2, None)])
    after = responses_frame([(1, 1, 5), (2, 1, 5), (3, 1, 5), (4, 1, 1), (1, 2, 3), (2, 2, None),
                   (5, 1, 5)])
    change = round_change(before, after)
    # statement 1: members 1-4 answered both rounds; member 3 moved from 1 to 5
    assert change.loc[1, "n_both"] == 4 and change.loc[1, "changed"] == 1
    assert change.loc[1, "changed_share"] == pytest.approx(0.25)
    # shares: before 5: 1/2, 1: 1/2; after 5: 4/5, 1: 1/5 -> shift = (0.3 + 0.3) / 2
    assert change.loc[1, "shift"] == pytest.approx(0.3)
    assert not change.loc[1, "stable"]
    # statement 2: a pass kept is not a change; nothing moved
    assert change.loc[2, "changed"] == 0 and change.loc[2, "shift"] == pytest.approx(0)
    assert change.loc[2, "stable"] and STABLE_SHIFT == 0.15


def test_identical_rounds_are_stable_and_relabelling_changes_nothing():
    r = responses_frame([(m, s, (m * s) % 5 + 1) for m in range(1, 9) for s in (1, 2, 3)])
    change = round_change(r, r)
    assert (change["changed"] == 0).all() and change["stable"].all()
    relabel = r.assign(member_id=r["member_id"] + 100)
    pd.testing.assert_frame_equal(round_change(relabel, relabel), change)


def test_rounds_summary_stacks_each_round():
    r1 = responses_frame([(1, 1, 5), (2, 1, 1)])
    r2 = responses_frame([(1, 1, 5), (2, 1, 5)])
    stacked = rounds_summary({2: r2, 1: r1}, LIKERT)
    assert list(stacked.index.get_level_values("round").unique()) == [1, 2]
    assert stacked.loc[(2, 1), "consensus"] == pytest.approx(1)
    assert stacked.loc[(1, 1), "consensus"] == pytest.approx(0)
