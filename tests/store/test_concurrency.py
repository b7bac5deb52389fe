"""Many member processes saving cards at once, on SQLite and PostgreSQL.

Workers are module-level functions of ``concurrency_workers.py`` run in 'spawn' processes,
each with its own Store.
"""

import multiprocessing

import concurrency_workers as cw
import pandas as pd
import pytest
from helpers import open_consultation_for_writers

from cop_widgets.scales import SCALES
from cop_widgets.store import Store

pytestmark = pytest.mark.slow

WORKERS = 8
SAVES = 15


def run_workers(jobs):
    """Run ``save_cards(*args)`` for each args tuple at once in spawn processes."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs))
    with ctx.Pool(len(jobs), initializer=cw.init_worker, initargs=(barrier,)) as pool:
        pending = [pool.apply_async(cw.save_cards, args) for args in jobs]
        return [p.get(timeout=120) for p in pending]


def as_tuples(card):
    return [(r.statement_id, r.stance, r.rationale) for r in card.responses]


def check_member(store, cid, member_id, acks):
    """Every acknowledged save is stored exactly; revisions are 1..N without gaps."""
    revisions = store.list_card_revisions(cid, member_id)
    numbers = sorted(a["revision"] for a in acks)
    assert numbers == list(range(1, len(acks) + 1)), numbers
    assert [c.revision for c in revisions] == numbers
    assert len({a["card_id"] for a in acks}) == len(acks)
    stored = {c.revision: c for c in revisions}
    for ack in acks:
        card = stored[ack["revision"]]
        assert card.id == ack["card_id"]
        assert card.member_id == member_id
        assert card.status.value == ack["status"]
        assert card.concerns == ack["concerns"]
        assert as_tuples(card) == ack["responses"]


def frame_rows(frame, member_id):
    rows = frame[frame["member_id"] == member_id]
    return [(int(r.statement_id), None if pd.isna(r.stance) else int(r.stance), r.rationale)
            for r in rows.itertuples()], set(rows["revision"])


def test_members_save_cards_at_once(store):
    c, statement_ids, members, tokens = open_consultation_for_writers(store, WORKERS, 5)
    jobs = [(store.url, c.id, tokens[mb.id], statement_ids, seed, SAVES)
            for seed, mb in enumerate(members)]
    results = run_workers(jobs)

    frame = store.responses_frame(c.id)
    total = 0
    for mb, acks in zip(members, results, strict=True):
        assert len(acks) == SAVES
        # one process per member: it sees its own revisions in order
        assert [a["revision"] for a in acks] == list(range(1, SAVES + 1))
        check_member(store, c.id, mb.id, acks)
        total += len(acks)
        submitted = [a for a in acks if a["status"] == "submitted"]
        rows, revisions = frame_rows(frame, mb.id)
        if submitted and submitted[-1]["responses"]:
            assert rows == submitted[-1]["responses"]
            assert revisions == {submitted[-1]["revision"]}
        else:
            assert rows == []
        latest = store.get_card(c.id, tokens[mb.id], include_drafts=False)
        assert (latest.revision if latest else None) == \
            (submitted[-1]["revision"] if submitted else None)
    assert store.count_cards(c.id) == total == WORKERS * SAVES
    assert store.count_respondents(c.id) == sum(
        any(a["status"] == "submitted" for a in acks) for acks in results)
    assert len(frame) == sum(len(frame_rows(frame, mb.id)[0]) for mb in members)


def test_one_member_in_several_processes(store):
    """Four processes share one token: revisions still run 1..N with no gap or duplicate."""
    c, statement_ids, (member,), tokens = open_consultation_for_writers(store, 1, 3)
    token = tokens[member.id]
    results = run_workers([(store.url, c.id, token, statement_ids, 100 + i, 10)
                           for i in range(4)])
    acks = [a for worker in results for a in worker]
    for worker in results:  # each process sees its own saves numbered upwards
        assert [a["revision"] for a in worker] == sorted(a["revision"] for a in worker)
    check_member(store, c.id, member.id, acks)
    assert store.count_cards(c.id) == len(acks) == 40
    last = store.get_card(c.id, token)
    assert last.revision == 40
    assert as_tuples(last) == next(a for a in acks if a["revision"] == 40)["responses"]


# -- a settings change racing a save -------------------------------------------------------------


def test_scale_change_cannot_slip_past_a_save_in_flight(request, db_url, clock):
    """A save validated against the old scale must not commit after the scale changed.

    ``update_consultation`` refuses a scale change once cards exist; ``save_card`` checks
    stances against the scale it read. Run them interleaved: the save pauses after its
    checks, the change runs, then the save goes on. Whatever the order, every stored stance
    must be a level of the consultation's scale.
    """
    import threading

    with Store(db_url, clock=clock) as store, Store(db_url, clock=clock) as other:
        c, statement_ids, (member,), tokens = open_consultation_for_writers(store, 1, 1)
        paused, proceed = threading.Event(), threading.Event()
        original = store._check_statements

        def pausing_check(conn, consultation_id, card):
            original(conn, consultation_id, card)
            paused.set()
            proceed.wait(timeout=10)

        store._check_statements = pausing_check
        outcome = {}

        def save():
            try:
                outcome["card"] = store.save_card(
                    c.id, tokens[member.id], [{"statement_id": statement_ids[0], "stance": 5}])
            except Exception as exc:  # recorded, checked below
                outcome["save_error"] = exc

        def change_scale():
            try:
                outcome["consultation"] = other.update_consultation(c.id,
                                                                     scale="agree_disagree")
            except Exception as exc:
                outcome["change_error"] = exc

        saver = threading.Thread(target=save)
        saver.start()
        assert paused.wait(timeout=10)
        changer = threading.Thread(target=change_scale)
        changer.start()
        changer.join(timeout=1)  # PostgreSQL: done; SQLite: waits for the writer's lock
        proceed.set()
        saver.join(timeout=30)
        changer.join(timeout=30)
        assert not saver.is_alive() and not changer.is_alive()

        scale = SCALES[store.get_consultation(c.id).scale]
        stances = [r.stance for card in store.list_card_revisions(c.id, member.id)
                   for r in card.responses]
        assert all(s is None or s in scale for s in stances), (scale.key, stances, outcome)
