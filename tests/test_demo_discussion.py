"""The demo seeds a discussion a new user can see whole, the same every time."""

from __future__ import annotations

import pytest

from cop_widgets import model as m
from cop_widgets.cli import main
from cop_widgets.demo import seed_demo
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.store import Store

SMALL = {"members": 20, "silent": 3}


def seeded(path):
    store = Store(f"sqlite:///{path}")
    demo = seed_demo(store, discussion=True, **SMALL)
    return store, demo


def test_the_demo_discussion_has_marks_across_groups_replies_and_changes(tmp_path):
    store, demo = seeded(tmp_path / "demo.db")
    with store:
        cid = demo.consultation_id
        phase = store.get_discussion(cid)
        assert phase is not None and phase.is_open
        states = [r.moderation for r in store.list_replies(cid)]
        assert states.count(m.ModerationState.ACCEPTED) == 3
        assert states.count(m.ModerationState.PENDING) == 1
        assert demo.discussion.replies == 4 and demo.discussion.pending == 1
        discussion = ConsultationAnalysis(store, cid).discussion
        # a reason marked in two groups or more: the bridging rank has something to show
        assert any(sum(1 for e, _s in s.by_group.values() if e) >= 2
                   for s in discussion.standings)
        moved = [row for row in discussion.overall_change() if row.moved]
        assert moved and any(row.credited for row in moved)
        assert sum(row.moved for row in moved) == demo.discussion.revised
        assert demo.discussion.endorsements == len(discussion.record.endorsements)


@pytest.mark.slow
def test_the_demo_discussion_is_the_same_every_time(tmp_path):
    results = []
    for name in ("one.db", "two.db"):
        store, demo = seeded(tmp_path / name)
        with store:
            discussion = ConsultationAnalysis(store, demo.consultation_id).discussion
            # the consultations' secrets differ: compare what is drawn, not its order
            results.append((demo.discussion,
                            sorted(map(sorted, (r.items() for r in discussion.reasons_data()))),
                            discussion.change_data()))
    assert results[0] == results[1]


@pytest.mark.slow
def test_cop_widgets_demo_seeds_it_and_says_so(tmp_path, capsys):
    assert main(["demo", "--db", f"sqlite:///{tmp_path}/cli.db"]) == 0
    out = capsys.readouterr().out
    assert "Discussion of reasons open:" in out and "(1 awaiting the facilitator)" in out
    with Store(f"sqlite:///{tmp_path}/cli.db") as store:
        assert store.get_discussion(1) is not None
