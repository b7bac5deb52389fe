"""Benchmark: the discussion phase's analysis at the size issue 13 names, in pure Python.

Usage::

    .venv/bin/python benchmarks/bridging.py [--repeat N] [--seed S] [--json FILE]

Synthesizes (seeded ``random``) a discussion of 2,000 members in 4 groups on 50 statements:
5,000 reasons, about 60,000 impressions, about 20,000 endorsements (members endorse reasons
of their own group's leaning more often), about 20,000 card revisions (a stance before and
after reading for about 10,000 member-statement pairs) and a credit for some of the moves.
Then times, ``--repeat`` runs each (best and median shown):

* ``rank_reasons``: the bridging rank of every reason (goal: under 1 s);
* ``select_reasons`` for 100 members, each with their own impressions;
* ``opinion_change``: every statement, everyone and each group;

then writes the same discussion into a temporary SQLite store (untimed: the consultation
through ``Store.import_consultation``, the discussion opened through ``open_discussion``,
reasons, card revisions, impressions, endorsements and credits as bulk rows of the store's
tables, shaped as the store's verbs write them: each change of mind a new submitted
revision of the whole card) and times what a facilitator's view pays:

* ``Store.discussion_record``: the record read back (every revision's stances included),
  and read without the revisions (``revisions=False``), to see what they cost;
* ``DiscussionAnalysis``: a fresh ``ConsultationAnalysis(store, id).discussion`` with its
  ``standings`` (the bridging rank) and ``change`` (opinion change, small groups merged):
  the one load every view reads.

Wall times (best, median, max) and the median CPU time of this process, which moves less
when other jobs share the machine. ``--no-store`` leaves the SQLite steps out.

Exits 1 if ranking takes 1 s or more (median of the runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cop_widgets.analysis.deliberation import (  # noqa: E402
    opinion_change,
    rank_reasons,
    select_reasons,
)
from cop_widgets.model.discussion import (  # noqa: E402
    DiscussionRecord,
    Reason,
    StanceCredit,
    StanceRevision,
    side_of,
)
from cop_widgets.scales import LIKERT5  # noqa: E402
from cop_widgets.store import Store  # noqa: E402

GOAL_S = 1.0
MEMBERS, STATEMENTS, REASONS, GROUPS = 2_000, 50, 5_000, 4
IMPRESSIONS, ENDORSEMENTS, MOVES = 60_000, 20_000, 10_000
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def synthesize(seed: int) -> tuple[DiscussionRecord, dict[int, str]]:
    """Return a discussion record of the benchmark's size and its groups."""
    rng = random.Random(seed)
    members = list(range(1, MEMBERS + 1))
    groups = {m: "ABCD"[rng.randrange(GROUPS)] for m in members}
    pairs = rng.sample([(s, a) for s in range(1, STATEMENTS + 1) for a in members], REASONS)
    pairs.sort(key=lambda pair: (pair[0], rng.random()))  # card order, then a secret order
    reasons = []
    for statement, author in pairs:
        lean = (ord(groups[author]) - ord("A") + statement) % 4  # groups lean differently
        stance = rng.choice([None, *[(5, 4), (2, 1), (3, 4), (1, 3)][lean]])
        reasons.append(Reason(statement, author, stance, side_of(LIKERT5, stance),
                              f"reason {statement}"))
    impressions: set = set()
    while len(impressions) < IMPRESSIONS:
        reason = reasons[rng.randrange(REASONS)]
        member = rng.choice(members)
        if member != reason.author_id:
            impressions.add((reason.key, member))
    shown = sorted(impressions)
    rng.shuffle(shown)
    by_author = {r.key: groups[r.author_id] for r in reasons}
    weights = [3.0 if by_author[key] == groups[member] else 1.0 for key, member in shown]
    scale = ENDORSEMENTS / sum(weights)
    endorsements = [pair for pair, w in zip(shown, weights, strict=True)
                    if rng.random() < w * scale]
    first_shown: dict = {}
    for i, (key, member) in enumerate(shown):
        first_shown.setdefault((member, key[0]), T0 + dt.timedelta(seconds=10 * i))
    revisions, credits = [], []
    keys_by_statement: dict[int, list] = {}
    for key, member in shown:
        keys_by_statement.setdefault(key[0], []).append((key, member))
    for member, statement in rng.sample(sorted(first_shown), MOVES):
        when = first_shown[(member, statement)]
        before = rng.choice([None, 1, 2, 3, 4, 5])
        after = before if rng.random() < 0.6 else rng.choice([None, 1, 2, 3, 4, 5])
        revisions.append(StanceRevision(member, statement, before, when - dt.timedelta(hours=1)))
        revisions.append(StanceRevision(member, statement, after, when + dt.timedelta(hours=1)))
        if after != before and rng.random() < 0.4:
            read = [key for key, viewer in keys_by_statement[statement] if viewer == member]
            credits.append(StanceCredit(member, rng.choice(read), when + dt.timedelta(hours=1)))
    revisions.sort(key=lambda r: r.saved_at)
    credits.sort(key=lambda c: c.created_at)
    record = DiscussionRecord(reasons=reasons, impressions=shown, endorsements=endorsements,
                              credits=credits, first_shown=first_shown, revisions=revisions)
    return record, groups


def stored(store: Store, record: DiscussionRecord, groups: dict[int, str], seed: int) -> int:
    """Write ``record`` into ``store`` as members acting on a consultation would; its id.

    Member ``i`` and statement ``j`` of the record are the ``i``-th member and ``j``-th
    statement added. Everyone answers every statement (an author's reason with their
    stance, a mover's stance before); each move is then a new submitted revision of the
    mover's whole card, an hour after their first impression under the statement.
    """
    import sqlalchemy as sa

    from cop_widgets import model as m
    from cop_widgets.model.discussion import GroupSource
    from cop_widgets.store import schema as t
    from cop_widgets.store.bulk import copy_rows, insert_returning_ids

    rng = random.Random(seed)
    before = {(r.member_id, r.statement_id): r.stance for r in record.revisions[::-1]}
    moves = {}  # (member, statement) -> (stance after, when), the later revision of a pair
    for r in record.revisions:
        moves[(r.member_id, r.statement_id)] = (r.stance, r.saved_at)
    stances = {(mb, st): rng.choice([None, 1, 2, 3, 4, 5])
               for mb in range(1, MEMBERS + 1) for st in range(1, STATEMENTS + 1)}
    stances.update({(r.author_id, r.statement_id): r.stance for r in record.reasons})
    stances.update(before)
    rationale = {(r.author_id, r.statement_id): r.text for r in record.reasons}
    saved = T0 - dt.timedelta(days=1)
    cid = store.import_consultation(
        m.Development(m.DevelopmentKind.POLICY, "Benchmark policy"),
        m.Consultation(1, "Benchmark discussion", scale="likert5",
                       status=m.ConsultationStatus.OPEN),
        [m.Statement(1, f"Statement {j}") for j in range(1, STATEMENTS + 1)],
        [m.Member(1, f"Member {i}", attributes={"camp": groups[i]})
         for i in range(1, MEMBERS + 1)],
        [(mb - 1, st - 1, stance, saved) for (mb, st), stance in stances.items()]).id
    member = {i: mb.id for i, mb in enumerate(store.list_members(cid), start=1)}
    statement = {j: s.id for j, s in enumerate(store.list_statements(cid), start=1)}
    store.open_discussion(cid, {member[i]: g for i, g in groups.items()}, GroupSource.ROSTER,
                          attribute="camp")
    with store.transaction() as conn:
        cards = dict(conn.execute(sa.select(t.cards.c.member_id, t.cards.c.id)
                                  .where(t.cards.c.consultation_id == cid)).all())
        round_id = conn.execute(sa.select(t.cards.c.round_id)
                                .where(t.cards.c.consultation_id == cid).limit(1)).scalar()
        r = t.card_responses
        conn.execute(r.update().where(r.c.card_id == sa.bindparam("card"),
                                      r.c.statement_id == sa.bindparam("statement"))
                     .values(rationale=sa.bindparam("text")),
                     [{"card": cards[member[a]], "statement": statement[s], "text": text}
                      for (a, s), text in rationale.items()])
        current = {i: {j: stances[(i, j)] for j in range(1, STATEMENTS + 1)}
                   for i in {mb for mb, _ in moves}}
        revision = dict.fromkeys(current, 1)
        rows, responses = [], []
        for (mb, st), (after, when) in sorted(moves.items(), key=lambda item: item[1][1]):
            current[mb][st] = after
            revision[mb] += 1
            rows.append({"consultation_id": cid, "round_id": round_id,
                         "member_id": member[mb], "revision": revision[mb],
                         "status": m.CardStatus.SUBMITTED.value, "concerns": "", "impact": "",
                         "saved_at": when})
            responses.append([(statement[j], stance, rationale.get((mb, j), ""))
                              for j, stance in current[mb].items()])
        ids = insert_returning_ids(conn, t.cards, rows)
        copy_rows(conn, t.card_responses, ("card_id", "statement_id", "stance", "rationale"),
                  [(card, *answer) for card, answers in zip(ids, responses, strict=True)
                   for answer in answers])

        def about(table, who: str, pairs, when: str, at) -> None:
            conn.execute(table.insert(), [
                {"consultation_id": cid, "statement_id": statement[key[0]],
                 "author_id": member[key[1]], who: member[viewer], when: at(key, viewer)}
                for key, viewer in pairs])

        first = record.first_shown
        about(t.reason_impressions, "viewer_id", record.impressions, "shown_at",
              lambda key, viewer: first[(viewer, key[0])])
        about(t.reason_endorsements, "member_id", record.endorsements, "created_at",
              lambda key, viewer: first[(viewer, key[0])] + dt.timedelta(minutes=5))
        conn.execute(t.stance_credits.insert(), [
            {"consultation_id": cid, "member_id": member[c.member_id],
             "statement_id": statement[c.reason[0]], "author_id": member[c.reason[1]],
             "created_at": c.created_at} for c in record.credits])
    return cid


CPU: dict[str, list[float]] = {}


def timed(action, repeat: int, name: str) -> tuple[list[float], object]:
    """Run ``action`` ``repeat`` times; return the wall times (CPU times go to ``CPU``)."""
    times, result = [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - start)
        CPU.setdefault(name, []).append(time.process_time() - cpu)
    return times, result


def store_steps(record: DiscussionRecord, groups: dict[int, str], seed: int,
                repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """Seed a temporary SQLite store with ``record``; time reading it and analysing it."""
    from cop_widgets.services.analysis import ConsultationAnalysis

    with tempfile.TemporaryDirectory(prefix="cop-bridging-") as tmp, \
            Store(f"sqlite:///{Path(tmp) / 'bench.db'}") as store:
        start = time.perf_counter()
        cid = stored(store, record, groups, seed)
        print(f"stored in SQLite in {time.perf_counter() - start:.1f} s", flush=True)
        read_times, read = timed(lambda: store.discussion_record(cid), repeat, "read")
        bare_times, _bare = timed(lambda: store.discussion_record(cid, revisions=False),
                                  repeat, "bare")

        def analysed():
            discussion = ConsultationAnalysis(store, cid).discussion
            return discussion, discussion.standings, discussion.change

        analyse_times, (discussion, standings, rows) = timed(analysed, repeat, "analyse")
    print(f"read back: {len(read.reasons):,} reasons, {len(read.impressions):,} impressions, "
          f"{len(read.endorsements):,} endorsements, {len(read.credits):,} credits, "
          f"{len(read.revisions):,} stances of submitted revisions; DiscussionAnalysis: "
          f"{len(standings):,} reasons ranked, {len(rows)} change rows "
          f"({discussion.source.value} groups)")
    return {"Store.discussion_record (SQLite)": (read_times, CPU["read"]),
            "  the same, revisions=False": (bare_times, CPU["bare"]),
            "DiscussionAnalysis: read, rank, change": (analyse_times, CPU["analyse"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each step")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--no-store", action="store_true",
                        help="leave out the steps that read a SQLite store")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    start = time.perf_counter()
    record, groups = synthesize(args.seed)
    made = time.perf_counter() - start
    print(f"synthesized in {made:.1f} s: {len(record.reasons):,} reasons, "
          f"{len(set(groups.values()))} groups, {len(record.impressions):,} impressions, "
          f"{len(record.endorsements):,} endorsements, {len(record.revisions):,} revisions, "
          f"{len(record.credits):,} credits")

    rank_times, standings = timed(lambda: rank_reasons(record, groups), repeat, "rank")
    viewers = random.Random(args.seed + 1).sample(sorted(groups), 100)
    seen_by: dict[int, set] = {v: set() for v in viewers}
    for key, member in record.impressions:
        if member in seen_by:
            seen_by[member].add(key)
    select_times, chosen = timed(
        lambda: [select_reasons(standings, v, seen_by[v]) for v in viewers], repeat, "select")
    change_times, rows = timed(lambda: opinion_change(record, LIKERT5, groups), repeat,
                               "change")

    steps = {
        "rank_reasons (5,000 reasons)": (rank_times, CPU["rank"]),
        "select_reasons (100 members)": (select_times, CPU["select"]),
        "opinion_change (all statements)": (change_times, CPU["change"]),
    }
    if not args.no_store:
        steps.update(store_steps(record, groups, args.seed, repeat))
    print(f"\n{repeat} runs each ({dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; "
          f"Python {platform.python_version()})")
    print(f"{'step':42} {'best':>9} {'median':>9} {'max':>9} {'CPU median':>11}")
    print("-" * 84)
    for step, (times, cpu) in steps.items():
        print(f"{step:42} {min(times):8.3f}s {statistics.median(times):8.3f}s "
              f"{max(times):8.3f}s {statistics.median(cpu):10.3f}s")
    shown = sum(len(r) for sides in chosen[0].values() for r in sides.values())
    print(f"\nper member, select_reasons: {1000 * statistics.median(select_times) / 100:.2f} ms "
          f"(the first member is shown {shown} reasons under {len(chosen[0])} statements)")
    moved = sum(row.moved for row in rows if row.group is None)
    print(f"opinion_change: {len(rows)} rows, {moved:,} members moved on a statement")
    ranking = statistics.median(rank_times)
    ok = ranking < GOAL_S
    print(f"ranking: median {ranking:.3f} s (goal < {GOAL_S:.0f} s): {'met' if ok else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(
            {step: {"wall_s": times, "cpu_s": cpu} for step, (times, cpu) in steps.items()},
            indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
