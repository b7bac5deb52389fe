"""Benchmark: ``cop-widgets analyze`` as a whole process, beside red-dwarf's whole process.

Run from the repository root (red-dwarf 0.4.0 comes with the ``bench`` extra)::

    .venv/bin/python benchmarks/analyze_cold.py [--runs N] [--data DIR]

For each of the four Pol.is conversations in ``tests/data/polis`` (CC BY 4.0, The
Computational Democracy Project), imported once into its own SQLite file with
``cop-widgets import-polis`` (not timed), it measures, in one run and side by side:

* ``ours_cold``: the wall time of a fresh ``cop-widgets analyze ID --format json --db URL``
  process, from spawn to exit, imports included (what a facilitator waits for);
* ``rd_cold``: the wall time of a fresh Python process that imports pandas and red-dwarf,
  reads ``votes.csv`` and ``comments.csv``, keeps each voter's latest vote and runs
  ``reddwarf.implementations.polis.run_pipeline`` (its groups, representative and consensus
  statements);
* ``ours_in`` and ``rd_in``: the same work timed inside one process, a second time, after
  one untimed call that pays for the imports and first-call costs (as
  ``benchmarks/analysis.py`` does; ours: the ``analyze`` command's call, from opening the
  store to the JSON printed; red-dwarf: from reading the CSV files to the pipeline's
  result).

Each process runs ``--runs`` times (default 5), ours and red-dwarf in turn, after one
unmeasured run of each (the files are in the OS cache); the table shows medians and the
ratios ``ours_cold / rd_cold`` (goal: at most 0.5) and ``rd_in / ours_in``.
``ours`` does more than red-dwarf (every statement's summary and ordinal measures,
under-representation, group-informed consensus, the JSON), never less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = ["london.youth.policing", "15-per-hour-seattle",
                 "scoop-hivemind.biodiversity", "vtaiwan.uberx"]
GOAL = 0.5
# Children run without warnings (red-dwarf's pydantic models print some on import).
CHILD_ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def _reddwarf_work(folder: Path) -> None:
    import pandas as pd
    from reddwarf.implementations.polis import run_pipeline

    votes = pd.read_csv(folder / "votes.csv")
    comments = pd.read_csv(folder / "comments.csv")
    votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last")
    records = [{"participant_id": p, "statement_id": s, "vote": v, "modified": t}
               for p, s, v, t in zip(votes["voter-id"].tolist(), votes["comment-id"].tolist(),
                                     votes["vote"].tolist(), votes["timestamp"].tolist(),
                                     strict=True)]
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].tolist()
    run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)


def child_reddwarf(folder: str, timed: bool) -> None:
    """Red-dwarf's whole pipeline; with ``timed``, print the time of a second run."""
    if timed:
        _reddwarf_work(Path(folder))
        start = time.perf_counter()
        _reddwarf_work(Path(folder))
        print(time.perf_counter() - start)
    else:
        _reddwarf_work(Path(folder))


def child_ours_timed(url: str, consultation: str) -> None:
    """Time the ``analyze`` command's second call in one process (output discarded)."""
    import contextlib
    import io

    from cop_widgets import cli

    command = ["analyze", consultation, "--format", "json", "--db", url]
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(command)
        start = time.perf_counter()
        cli.main(command)
        elapsed = time.perf_counter() - start
    print(elapsed)


def _wall(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=CHILD_ENV, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def _cop_widgets() -> list[str]:
    script = Path(sys.executable).with_name("cop-widgets")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cop_widgets.cli"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each process")
    parser.add_argument("--data", default=str(ROOT / "tests" / "data" / "polis"))
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "reddwarf":
            child_reddwarf(rest[0], timed=False)
        elif kind == "reddwarf-timed":
            child_reddwarf(rest[0], timed=True)
        else:
            child_ours_timed(*rest)
        return 0

    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    print(f"cop-widgets analyze vs red-dwarf 0.4.0, whole processes, median of {args.runs} "
          f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
          f"load {os.getloadavg()[0]:.1f})", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cop-cold-") as tmp:
        for name in CONVERSATIONS:
            folder = Path(args.data) / name
            url = f"sqlite:///{Path(tmp) / (name + '.db')}"
            _, out = _wall([*_cop_widgets(), "import-polis", str(folder), "--db", url])
            consultation = out.strip().splitlines()[-1]
            ours = [*_cop_widgets(), "analyze", consultation, "--format", "json", "--db", url]
            rd = [*me, "reddwarf", str(folder)]
            _wall(ours)
            _wall(rd)
            times: dict[str, list[float]] = {"ours_cold": [], "rd_cold": [],
                                             "ours_in": [], "rd_in": []}
            for _ in range(max(1, args.runs)):
                times["ours_cold"].append(_wall(ours)[0])
                times["rd_cold"].append(_wall(rd)[0])
                times["ours_in"].append(float(_wall([*me, "ours-timed", url, consultation])[1]))
                times["rd_in"].append(float(_wall([*me, "reddwarf-timed", str(folder)])[1]))
            row = {key: statistics.median(values) for key, values in times.items()}
            rows.append((name, row))
            print(f"  {name}: ours {row['ours_cold']:.2f} s, red-dwarf {row['rd_cold']:.2f} s",
                  flush=True)

    header = (f"{'conversation':>28} {'ours_cold':>9} {'rd_cold':>8} {'cold ratio':>10} "
              f"{'ours_in':>8} {'rd_in':>7} {'in-process':>10}")
    print()
    print(header)
    print("-" * len(header))
    for name, r in rows:
        print(f"{name:>28} {r['ours_cold']:8.2f}s {r['rd_cold']:7.2f}s "
              f"{r['ours_cold'] / r['rd_cold']:9.2f}x {r['ours_in']:7.3f}s {r['rd_in']:6.3f}s "
              f"{r['rd_in'] / r['ours_in']:9.1f}x")
    cold = sum(r["ours_cold"] for _, r in rows) / sum(r["rd_cold"] for _, r in rows)
    warm = sum(r["rd_in"] for _, r in rows) / sum(r["ours_in"] for _, r in rows)
    verdict = "met" if cold <= GOAL else "not met"
    print(f"\nwhole process, ours / red-dwarf over the four: {cold:.2f}x "
          f"(goal <= {GOAL}x: {verdict})")
    print(f"in process, red-dwarf / ours over the four: {warm:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
