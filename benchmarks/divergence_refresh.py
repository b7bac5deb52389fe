"""Benchmark: the Divergence tab's refresh at 2,000 members x 40 statements (goal: under 1 s).

Run from the repository root::

    .venv/bin/python benchmarks/divergence_refresh.py [--members 2000] [--statements 40]
                                                      [--repeat 7] [--profile]

It seeds a temporary SQLite store through the store's bulk import
(``Store.import_consultation``): one open, anonymous consultation on the five-point scale,
``--members`` members with a region (five) and a role (four) on the roster, 90 % of them
with a submitted card answering every statement (three camps of opinion, 5 % passes). Then
it builds the facilitator's :class:`~cop_widgets.widgets.dashboard.DivergenceDashboard`
(compared by region: every section is drawn, the comparison and the weighting included),
times ``refresh()`` ``--repeat`` times after one untimed refresh, and prints the median,
min and max against the goal. ``--profile`` prints cProfile's 30 costliest calls of one
more refresh.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from cop_widgets import model as m  # noqa: E402
from cop_widgets.store import Store  # noqa: E402

GOAL_S = 1.0
REGIONS = ["North", "South", "East", "West", "Centre"]
ROLES = ["teacher", "nurse", "engineer", "manager"]


def seed(store: Store, n_members: int, n_statements: int, seed_: int = 0) -> int:
    """Write the consultation; return its id."""
    rng = np.random.default_rng(seed_)
    development = m.Development(m.DevelopmentKind.POLICY, "Benchmark policy")
    consultation = m.Consultation(1, "Benchmark consultation", scale="likert5",
                                  status=m.ConsultationStatus.OPEN)
    statements = [m.Statement(1, f"Statement {i + 1} about the policy")
                  for i in range(n_statements)]
    members = [m.Member(1, f"Member {i}", attributes={
        "region": REGIONS[int(rng.integers(len(REGIONS)))],
        "role": ROLES[int(rng.integers(len(ROLES)))]}) for i in range(n_members)]
    voters = np.flatnonzero(rng.random(n_members) < 0.9)
    member = np.repeat(voters, n_statements)
    statement = np.tile(np.arange(n_statements), len(voters))
    camp = member % 3
    lean = np.where(statement % 3 == camp, 4.2, 2.0)
    stance = np.clip(np.rint(lean + rng.normal(0, 1.0, len(member))), 1, 5).astype(int)
    stance_col = pd.array(np.where(rng.random(len(member)) < 0.05, None, stance),
                          dtype="Int64")
    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    saved = pd.to_datetime(start) + pd.to_timedelta(member * 60, unit="s")
    votes = pd.DataFrame({"member_index": member, "statement_index": statement,
                          "stance": stance_col, "saved_at": saved})
    return int(store.import_consultation(development, consultation, statements, members,
                                         votes).id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--attribute", default="region")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    from cop_widgets.widgets.dashboard import DivergenceDashboard

    with tempfile.TemporaryDirectory(prefix="cop-divergence-") as tmp:
        with Store(f"sqlite:///{Path(tmp) / 'bench.db'}") as store:
            start = time.perf_counter()
            cid = seed(store, args.members, args.statements)
            print(f"seeded {args.members} members x {args.statements} statements in "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
            start = time.perf_counter()
            dashboard = DivergenceDashboard(store, cid, attribute=args.attribute)
            dashboard.refresh()  # untimed: first-call imports and caches
            first = time.perf_counter() - start
            times = []
            for _ in range(max(1, args.repeat)):
                start = time.perf_counter()
                dashboard.refresh()
                times.append(time.perf_counter() - start)
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                dashboard.refresh()
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            sections = {name: len(getattr(dashboard, name).value) for name in
                        ("summary", "divergence", "comparison", "weighted", "groups",
                         "participation", "rounds", "learned")}
    median = statistics.median(times)
    print(f"first build + refresh (imports included): {first:.2f} s")
    print(f"DivergenceDashboard.refresh(), {args.members} members x {args.statements} "
          f"statements, compared by {args.attribute}, {len(times)} runs: median {median:.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}); goal < {GOAL_S:.0f} s: "
          f"{'met' if median < GOAL_S else 'not met'}")
    print("section sizes (characters of HTML): "
          + ", ".join(f"{k} {v:,}" for k, v in sections.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
