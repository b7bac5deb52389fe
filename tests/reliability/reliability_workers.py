"""Code run in child processes by the reliability tests, and helpers they share.

Kept apart from the test modules so that a child imports only this file and
``cop_widgets.store`` (about 0.4 s of CPU), not pytest, pandas or the test module itself
('spawn' children import it each; the many writers' forkserver imports it once).
Every worker opens its own :class:`~cop_widgets.store.Store` without migrating (the parent
already did), so start-up stays small.

Content written by a worker encodes who wrote it and when, so the parent can check every
acknowledged save exactly and tell a complete card from a half-written one:

* ``concerns`` is ``"{tag} seq={seq} n={number of responses}"``;
* each response's rationale is ``"{tag} seq={seq} st={statement_id}"``.
"""

from __future__ import annotations

import os
import time

from cop_widgets.model.policies import CardSaveLimit
from cop_widgets.store import Store

#: Stances cycled through by the workers: every likert5 level and a pass.
STANCES = (1, 2, 3, 4, 5, None)
#: The workers play members saving as fast as a loop can (100 cards each in seconds), far
#: past the store's per-member save limit, which is there against such scripts. They raise
#: it out of the way, and its check still runs inside every save, so the figures include
#: its cost; tests/store/test_limits.py tests the limit itself.
UNDER_LOAD = CardSaveLimit(max_saves=1_000_000, max_revisions=1_000_000)


def writer_store(url: str) -> Store:
    """Open a worker's store (not migrating: the parent did) with :data:`UNDER_LOAD`."""
    store = Store(url, migrate=False)
    store.card_save_limit = UNDER_LOAD
    return store


def card_content(tag: str, seq: int, statement_ids: list[int]):
    """Return ``(responses, status, concerns, impact)`` of save ``seq`` of writer ``tag``.

    Deterministic; ``responses`` is a sorted list of ``(statement_id, stance, rationale)``.
    About a third of the saves are drafts; some answer no statement at all, and those are
    drafts too (the store refuses a submitted card without an answer).
    """
    key = sum(map(ord, tag))
    responses = [
        (sid, STANCES[(key + 3 * seq + 5 * i) % len(STANCES)], f"{tag} seq={seq} st={sid}")
        for i, sid in enumerate(statement_ids)
        if (key + seq + i) % 4 != 0 and (seq + key) % 11 != 0
    ]
    status = "draft" if (key + seq) % 3 == 0 or not responses else "submitted"
    concerns = f"{tag} seq={seq} n={len(responses)}"
    impact = f"impact of {tag} seq={seq}"
    return responses, status, concerns, impact


def save(store: Store, consultation_id: int, token: str, tag: str, seq: int,
         statement_ids: list[int]) -> dict:
    """Save card ``seq`` of writer ``tag``; return what the store acknowledged."""
    responses, status, concerns, impact = card_content(tag, seq, statement_ids)
    card = store.save_card(
        consultation_id, token,
        [{"statement_id": s, "stance": v, "rationale": r} for s, v, r in responses],
        concerns=concerns, impact=impact, status=status)
    return {"revision": card.revision, "card_id": card.id, "seq": seq, "status": status,
            "concerns": concerns, "impact": impact, "responses": responses}


# -- many writers (a multiprocessing Pool with the forkserver context) --------------------------

_barrier = None


def init_pool_worker(barrier) -> None:
    """Pool initializer: keep the start barrier shared by every worker."""
    global _barrier
    _barrier = barrier


def write_many(url: str, consultation_id: int, token: str, tag: str, statement_ids: list[int],
               saves: int) -> dict:
    """Pool task: wait for every writer, then save ``saves`` cards one after another.

    Returns ``{"acks": [...], "start": t, "end": t}`` (wall-clock times of the first save's
    start and the last save's end).
    """
    with writer_store(url) as store:
        _barrier.wait(timeout=300)
        start = time.time()
        acks = [save(store, consultation_id, token, tag, seq, statement_ids)
                for seq in range(saves)]
        end = time.time()
    return {"acks": acks, "start": start, "end": end, "pid": os.getpid()}


# -- writers killed with SIGKILL (multiprocessing Process + Pipe) ---------------------------------


def save_forever(url: str, consultation_id: int, token: str, tag: str,
                 statement_ids: list[int], first_seq: int, conn) -> None:
    """Save cards until killed; report each acknowledged card through ``conn`` first.

    Sends ``("ready", pid)`` once the store is open, then ``("ack", ack)`` after each save
    returns and before the next one starts.
    """
    with writer_store(url) as store:
        conn.send(("ready", os.getpid()))
        seq = first_seq
        while True:
            conn.send(("ack", save(store, consultation_id, token, tag, seq, statement_ids)))
            seq += 1


def hold_write_transaction(url: str, consultation_id: int, member_id: int, marker: str,
                           conn) -> None:
    """Open a write transaction, write into it, say so, then sleep inside it until killed.

    On SQLite ``Store.transaction`` begins with ``BEGIN IMMEDIATE``: the process holds the
    database's write lock. On PostgreSQL it also locks the member's row, as ``save_card``
    does, so a later save of that member must wait for the lock to be released.
    """
    import sqlalchemy as sa

    from cop_widgets.store import schema as t

    with Store(url, migrate=False) as store:
        with store.transaction() as tx:
            query = sa.select(t.members.c.id).where(t.members.c.id == member_id)
            if tx.dialect.name == "postgresql":
                query = query.with_for_update()
            tx.execute(query).one()
            round_id = tx.execute(sa.select(sa.func.max(t.rounds.c.id))
                                  .where(t.rounds.c.consultation_id == consultation_id)
                                  ).scalar_one()
            tx.execute(t.cards.insert().values(
                consultation_id=consultation_id, round_id=round_id, member_id=member_id,
                revision=10_000, status="submitted", concerns=marker, impact=marker,
                saved_at=store.now()))
            tx.execute(t.developments.insert().values(
                kind="other", title=marker, summary="", source_url="", requester="",
                questions=[], created_at=store.now()))
            conn.send(("holding", os.getpid()))
            time.sleep(3600)


def stall_inside_save(url: str, consultation_id: int, token: str, tag: str,
                      statement_ids: list[int], seq: int, conn) -> None:
    """Call ``save_card`` and stall it between the card row and its responses, until killed.

    A cursor hook on the store's engine sends ``("stalled", pid)`` when ``save_card`` is
    about to insert the responses (the card row is already written in its open
    transaction), then sleeps.
    """
    import sqlalchemy as sa

    with Store(url, migrate=False) as store:
        @sa.event.listens_for(store.engine, "before_cursor_execute")
        def _stall(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith("INSERT INTO CARD_RESPONSES"):
                conn.send(("stalled", os.getpid()))
                time.sleep(3600)

        save(store, consultation_id, token, tag, seq, statement_ids)
        conn.send(("finished", os.getpid()))  # only if the hook never fired
