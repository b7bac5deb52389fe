"""Fifty member processes saving a hundred cards each, at once, on SQLite and PostgreSQL.

Each writer is a process of a multiprocessing Pool holding its own member's token and its own
store (engine and connections opened in the writer). All of them wait at a barrier and then
save their cards as fast as they can. Afterwards no acknowledged card may be lost or changed,
no revision duplicated or skipped, and the analysis frame must show each member's latest
submitted revision.

The writers are started with the 'forkserver' method: a fresh Python process (not pytest)
imports ``reliability_workers`` (SQLAlchemy and ``cop_widgets.store``) once and forks the
fifty writers from there, instead of fifty 'spawn' interpreters importing it each (about
0.4 s of CPU apiece). The forkserver never opens a store, so no writer shares a connection.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver as forkserver_module
import time

import pandas as pd
import pytest
import reliability_workers as rw
import sqlalchemy as sa
from helpers import open_consultation_for_writers

from cop_widgets.store import Store
from cop_widgets.store import schema as t

pytestmark = pytest.mark.slow

WRITERS = 50
SAVES = 100


@pytest.fixture(scope="module")
def forkserver():
    """The 'forkserver' context with ``reliability_workers`` preloaded; stopped afterwards."""
    ctx = multiprocessing.get_context("forkserver")
    # and the drivers each writer would import when its store connects (a missing one is
    # skipped by the forkserver, and imported by the writer as before)
    ctx.set_forkserver_preload(["reliability_workers", "sqlalchemy.dialects.sqlite.pysqlite",
                                "psycopg", "sqlalchemy.dialects.postgresql.psycopg"])
    yield ctx
    stop = getattr(getattr(forkserver_module, "_forkserver", None), "_stop", None)
    if stop is not None:  # leave no idle forkserver for the rest of the session
        stop()


def run_pool(ctx, url: str, consultation_id: int, tokens, statement_ids) -> list[dict]:
    barrier = ctx.Barrier(len(tokens))
    with ctx.Pool(len(tokens), initializer=rw.init_pool_worker, initargs=(barrier,)) as pool:
        pending = [pool.apply_async(rw.write_many, (url, consultation_id, token, f"p{i}",
                                                    statement_ids, SAVES))
                   for i, (_member_id, token) in enumerate(tokens)]
        return [p.get(timeout=600) for p in pending]


def stored_cards(store: Store, consultation_id: int) -> dict[int, dict]:
    """Every stored card of the consultation, read straight from the tables."""
    with store.engine.connect() as conn:
        cards = conn.execute(sa.select(t.cards).where(
            t.cards.c.consultation_id == consultation_id)).all()
        answers = conn.execute(
            sa.select(t.card_responses).join(t.cards, t.cards.c.id == t.card_responses.c.card_id)
            .where(t.cards.c.consultation_id == consultation_id)).all()
    by_card = {c.id: {"member_id": c.member_id, "revision": c.revision, "status": c.status,
                      "concerns": c.concerns, "impact": c.impact, "responses": []}
               for c in cards}
    for a in answers:
        by_card[a.card_id]["responses"].append((a.statement_id, a.stance, a.rationale))
    for card in by_card.values():
        card["responses"].sort()
    return by_card


def test_fifty_writers_lose_and_duplicate_nothing(db_url, record_property, forkserver):
    with Store(db_url) as store:
        c, statement_ids, _members, by_member = open_consultation_for_writers(store, WRITERS, 4)
        tokens = list(by_member.items())  # (member_id, token) in roster order
        started = time.perf_counter()
        results = run_pool(forkserver, store.url, c.id, tokens, statement_ids)
        wall = time.perf_counter() - started
        writing = max(r["end"] for r in results) - min(r["start"] for r in results)

        assert len({r["pid"] for r in results}) == WRITERS  # one process per member
        stored = stored_cards(store, c.id)
        # zero duplicates: exactly 5,000 cards, revisions 1..100 for every member
        assert store.count_cards(c.id) == len(stored) == WRITERS * SAVES
        acked_ids = [a["card_id"] for r in results for a in r["acks"]]
        assert len(set(acked_ids)) == len(acked_ids) == WRITERS * SAVES
        assert set(acked_ids) == set(stored)

        frame = store.responses_frame(c.id)
        respondents = 0
        for (member_id, token), result in zip(tokens, results, strict=True):
            acks = result["acks"]
            # each process saw its own saves numbered 1..100 in order
            assert [a["revision"] for a in acks] == list(range(1, SAVES + 1)), member_id
            mine = sorted((card["revision"], card_id) for card_id, card in stored.items()
                          if card["member_id"] == member_id)
            assert [rev for rev, _id in mine] == list(range(1, SAVES + 1)), member_id
            # zero lost cards: each acknowledged card is stored with exactly its content
            for ack in acks:
                card = stored[ack["card_id"]]
                assert (card["member_id"], card["revision"], card["status"], card["concerns"],
                        card["impact"], card["responses"]) == (
                    member_id, ack["revision"], ack["status"], ack["concerns"], ack["impact"],
                    ack["responses"]), ack
            # the frame holds the member's latest submitted revision, and nothing else
            submitted = [a for a in acks if a["status"] == "submitted"]
            respondents += bool(submitted)
            rows = frame[frame["member_id"] == member_id]
            got = [(int(r.statement_id), None if pd.isna(r.stance) else int(r.stance),
                    r.rationale) for r in rows.itertuples()]
            last = submitted[-1] if submitted else None
            assert got == (last["responses"] if last else []), member_id
            if last and last["responses"]:
                assert set(rows["revision"]) == {last["revision"]}
            latest = store.get_card(c.id, token, include_drafts=False)
            assert (latest.revision if latest else None) == (last["revision"] if last
                                                             else None)
        assert store.count_respondents(c.id) == respondents

    backend = sa.make_url(db_url).get_backend_name()
    record_property("cards", WRITERS * SAVES)
    record_property("writing_seconds", round(writing, 2))
    record_property("wall_seconds", round(wall, 2))
    print(f"[{backend}] {WRITERS * SAVES} cards by {WRITERS} processes: writing "
          f"{writing:.1f} s ({WRITERS * SAVES / writing:.0f} saves/s), "
          f"{wall:.1f} s with process start-up")  # shown with -s or -rP
