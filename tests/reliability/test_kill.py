"""Writers killed with SIGKILL in the middle of their work, on SQLite and PostgreSQL.

Children are 'spawn' processes (see ``reliability_workers``) that report each acknowledged
card through a pipe before starting the next save. They are killed at random moments, and
deliberately while they hold SQLite's write lock (or a PostgreSQL row lock) with an
uncommitted write, and while ``save_card`` has written the card row but not its responses.
Afterwards the database must be intact, every acknowledged card present with all its
responses, nothing half-written, and the next writer must not wait for a dead process.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import signal
import sqlite3
import time
from contextlib import closing

import pytest
import reliability_workers as rw
import sqlalchemy as sa
from helpers import open_consultation_for_writers

from cop_widgets.store import Store
from cop_widgets.store import schema as t

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("COP_RELIABILITY_SEED", "20260110"))
ROUNDS = 4  # rounds of random kills; two writers are killed in each
_CONCERNS = re.compile(r"^(?P<tag>\S+) seq=(?P<seq>\d+) n=(?P<n>\d+)$")


class Child:
    """A spawn process running ``target(*args, conn)`` and the read end of its pipe."""

    def __init__(self, target, *args):
        ctx = multiprocessing.get_context("spawn")
        self.inbox, outbox = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=target, args=(*args, outbox), daemon=True)
        self.process.start()
        outbox.close()  # the child holds the only write end: EOF once it is dead
        self.messages: list[tuple] = []

    def wait_for(self, kind: str, timeout: float = 60) -> tuple:
        """Collect messages until one of ``kind`` arrives; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.inbox.poll(0.05):
                message = self.inbox.recv()
                self.messages.append(message)
                if message[0] == kind:
                    return message
            elif not self.process.is_alive():
                break
        raise AssertionError(f"no {kind!r} from the child (exit code "
                             f"{self.process.exitcode}); got {self.messages[-3:]}")

    def kill(self) -> None:
        """SIGKILL the child, reap it, and read every message it sent before dying."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(timeout=30)
        assert self.process.exitcode == -signal.SIGKILL, self.process.exitcode
        while True:
            try:
                if not self.inbox.poll(0):
                    break
                self.messages.append(self.inbox.recv())
            except EOFError:
                break
        self.inbox.close()

    @property
    def acks(self) -> list[dict]:
        return [payload for kind, payload in self.messages if kind == "ack"]


def quick_save(store: Store, consultation_id: int, token: str, tag: str,
               statement_ids: list[int], limit: float = 10.0) -> tuple[dict, float]:
    """Save one card and return ``(ack, seconds)``; it must not wait for a dead writer."""
    started = time.monotonic()
    ack = rw.save(store, consultation_id, token, tag, 0, statement_ids)
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"the next writer waited {elapsed:.1f} s for a dead process"
    return ack, elapsed


def check_database(store: Store, consultation_id: int, acks: list[dict]) -> int:
    """The database is intact; every acknowledged card is stored whole; return card count."""
    url = sa.make_url(store.url)
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(url.database)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    with store.engine.connect() as conn:
        cards = conn.execute(sa.select(t.cards).where(
            t.cards.c.consultation_id == consultation_id)).all()
        answers = conn.execute(
            sa.select(t.card_responses).join(t.cards, t.cards.c.id == t.card_responses.c.card_id)
            .where(t.cards.c.consultation_id == consultation_id)).all()
        stray = conn.execute(sa.select(t.developments.c.title)
                             .where(t.developments.c.title.like("UNCOMMITTED%"))).all()
    assert stray == [], "a killed transaction's write was committed"
    by_card: dict[int, list[tuple]] = {}
    for a in answers:
        by_card.setdefault(a.card_id, []).append((a.statement_id, a.stance, a.rationale))
    stored = {c.id: c for c in cards}
    statement_ids = sorted(s.id for s in store.list_statements(consultation_id))
    assert set(by_card) <= set(stored), "responses without their card"
    # nothing half-written: each card holds exactly the responses its content announces
    for card in cards:
        match = _CONCERNS.match(card.concerns)
        assert match, f"a card that no writer committed: {card.concerns!r}"
        tag, seq = match["tag"], int(match["seq"])
        assert len(by_card.get(card.id, [])) == int(match["n"]), card.concerns
        expected = rw.card_content(tag, seq, statement_ids)
        assert sorted(by_card.get(card.id, [])) == expected[0], card.concerns
        assert (card.status, card.impact) == (expected[1], expected[3])
    # every acknowledged card is there, exactly as acknowledged
    for ack in acks:
        card = stored.get(ack["card_id"])
        assert card is not None, f"acknowledged card lost: {ack}"
        assert (card.revision, card.concerns, card.status) == (
            ack["revision"], ack["concerns"], ack["status"])
        assert sorted(by_card.get(card.id, [])) == ack["responses"]
    # revisions stay gapless per member: a killed transaction used no number
    revisions: dict[int, list[int]] = {}
    for card in cards:
        revisions.setdefault(card.member_id, []).append(card.revision)
    for member_id, numbers in revisions.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), (member_id, numbers)
    return len(cards)


def test_writers_killed_at_random_moments(db_url, monkeypatch):
    # PostgreSQL: a lock left behind would make the next writer wait forever; fail instead.
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=20s")
    rng = random.Random(SEED)
    with Store(db_url) as store:
        c, statement_ids, _members, tokens = open_consultation_for_writers(store, 3, 4)
        (m1, tok1), (m2, tok2), (m3, tok3) = tokens.items()
        acks: list[dict] = []
        next_seq = {tok1: 0, tok2: 0}
        kills = []
        for round_number in range(ROUNDS):
            children = {tok: Child(rw.save_forever, store.url, c.id, tok, tag, statement_ids,
                                   next_seq[tok])
                        for tok, tag in ((tok1, "w1"), (tok2, "w2"))}
            for child in children.values():
                child.wait_for("ready")
            children[tok1].wait_for("ack")  # both are writing now
            children[tok2].wait_for("ack")
            order = list(children)
            rng.shuffle(order)
            for tok in order:
                time.sleep(rng.uniform(0.0, 0.4))
                child = children[tok]
                child.kill()
                kills.append((round_number, len(child.acks)))
                acks += child.acks
                next_seq[tok] = child.acks[-1]["seq"] + 2  # a lost unacked save may exist
            # the same members write again at once: nothing of the dead is in the way
            check_database(store, c.id, acks)
        ack, _elapsed = quick_save(store, c.id, tok3, "w3", statement_ids)
        acks.append(ack)
        total = check_database(store, c.id, acks)
    assert total >= len(acks) > 2 * ROUNDS, kills
    print(f"[{sa.make_url(db_url).get_backend_name()}] {2 * ROUNDS} kills, {len(acks)} "
          f"acknowledged saves, {total} cards stored (seed {SEED}); acks per kill {kills}")


def test_writer_killed_while_holding_the_write_lock(db_url, monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=20s")
    with Store(db_url) as store:
        c, statement_ids, _members, tokens = open_consultation_for_writers(store, 2, 3)
        (member_id, token), (_other_id, other_token) = tokens.items()
        holder = Child(rw.hold_write_transaction, store.url, c.id, member_id,
                       "UNCOMMITTED holder")
        holder.wait_for("holding")
        if store.engine.dialect.name == "sqlite":  # the lock is really held
            with closing(sqlite3.connect(sa.make_url(store.url).database, timeout=0.2)) as raw:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    raw.execute("BEGIN IMMEDIATE")
        holder.kill()
        # the killed member's own row (PostgreSQL) and the database (SQLite) are free now
        first, elapsed = quick_save(store, c.id, token, "after-kill", statement_ids)
        assert first["revision"] == 1  # the dead transaction's card never existed
        second, _ = quick_save(store, c.id, other_token, "other", statement_ids)
        check_database(store, c.id, [first, second])
    print(f"[{store.engine.dialect.name}] next write {elapsed * 1000:.0f} ms after the "
          "lock holder was killed")


def test_writer_killed_between_card_and_responses(db_url, monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=20s")
    with Store(db_url) as store:
        c, statement_ids, _members, tokens = open_consultation_for_writers(store, 1, 3)
        [token] = tokens.values()
        done = rw.save(store, c.id, token, "w", 0, statement_ids)
        seq = next(s for s in range(1, 50)
                   if rw.card_content("w", s, statement_ids)[0])  # a save with responses
        child = Child(rw.stall_inside_save, store.url, c.id, token, "w", statement_ids, seq)
        child.wait_for("stalled")
        child.kill()
        assert store.count_cards(c.id) == 1  # the card row went with its transaction
        after, _elapsed = quick_save(store, c.id, token, "w", statement_ids)
        assert after["revision"] == 2
        check_database(store, c.id, [done, after])
