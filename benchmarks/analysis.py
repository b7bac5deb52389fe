"""Benchmark: Pol.is import plus opinion-group analysis, beside red-dwarf 0.4.0.

Run from the repository root (red-dwarf comes with the ``bench`` extra)::

    .venv/bin/python benchmarks/analysis.py [--data DIR] [--sizes 1000x200,5000x500,...]

For each of the four real conversations and for synthetic sparse Pol.is-style exports
(written as CSV to a temporary folder and read back through the importer), it times

* ours: ``import_polis`` into a SQLite store, then ``polis_vote_matrix`` (``responses_frame``
  + ``vote_matrix``), ``opinion_groups``, ``representative_statements`` and
  ``group_informed_consensus``;
* red-dwarf: reading ``votes.csv`` and ``comments.csv`` with pandas, keeping the latest vote
  per (voter, comment), then ``reddwarf.implementations.polis.run_pipeline`` (which also
  computes its representative and consensus statements);

and prints both times and their ratio, and the adjusted Rand index of each against Pol.is's
own ``group-id`` (over the participants Pol.is grouped; unclustered count as a group).
Before timing, both run once on a small synthetic export (so that neither pays for its
module imports in the first row); then each case runs ``--repeat`` times, ours and
red-dwarf in turn, and the table shows the median of each.
Pol.is data: CC BY 4.0, The Computational Democracy Project (see tests/data/polis/README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cop_widgets.analysis.opinion import (  # noqa: E402
    group_informed_consensus,
    opinion_groups,
    representative_statements,
)
from cop_widgets.io import read_polis_export  # noqa: E402
from cop_widgets.services.analysis import polis_vote_matrix  # noqa: E402
from cop_widgets.services.importing import import_polis  # noqa: E402
from cop_widgets.store import Store  # noqa: E402

CONVERSATIONS = ["london.youth.policing", "15-per-hour-seattle",
                 "scoop-hivemind.biodiversity", "vtaiwan.uberx"]


def find_data(explicit: str | None) -> Path | None:
    for candidate in [explicit, os.environ.get("COP_WIDGETS_POLIS_DATA"),
                      str(ROOT / "tests" / "data" / "polis")]:
        if candidate and (Path(candidate) / CONVERSATIONS[0] / "votes.csv").exists():
            return Path(candidate)
    return None


def write_synthetic(folder: Path, n_members: int, n_statements: int, fill: float = 0.02,
                    seed: int = 0) -> int:
    """Write a Pol.is-style export with three camps; return the number of vote lines."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = int(n_members * n_statements * fill)
    voter = rng.integers(0, n_members, n)
    comment = rng.integers(0, n_statements, n)
    camp = voter % 3
    lean = np.where(comment % 3 == camp, 0.75, -0.35)
    vote = np.where(rng.random(n) < (lean + 1) / 2, 1, -1)
    vote = np.where(rng.random(n) < 0.15, 0, vote)
    start = 1_600_000_000_000
    stamp = start + voter.astype(np.int64) * 60_000 + rng.integers(0, 3_600_000, n)
    votes = pd.DataFrame({"timestamp": stamp, "datetime": "x", "comment-id": comment,
                          "voter-id": voter, "vote": vote}).sort_values("timestamp")
    votes.to_csv(folder / "votes.csv", index=False)
    moderated = np.where(rng.random(n_statements) < 0.05, -1, 1)
    pd.DataFrame({"timestamp": start, "datetime": "x", "comment-id": np.arange(n_statements),
                  "author-id": 0, "agrees": 0, "disagrees": 0, "moderated": moderated,
                  "comment-body": [f"Synthetic statement {i}" for i in range(n_statements)]}
                 ).to_csv(folder / "comments.csv", index=False)
    (folder / "summary.csv").write_text(f"topic,Synthetic {n_members}x{n_statements}\n")
    return len(votes)


def run_ours(folder: Path, tmp: Path) -> tuple[float, pd.Series]:
    db = tmp / f"bench-{folder.name}-{time.monotonic_ns()}.db"
    with Store(f"sqlite:///{db}") as store:  # creating the empty database is not timed
        start = time.perf_counter()
        consultation = import_polis(store, folder)
        matrix = polis_vote_matrix(store, consultation.id)
        groups = opinion_groups(matrix)
        representative_statements(matrix, groups)
        group_informed_consensus(matrix, groups)
        elapsed = time.perf_counter() - start
        members = store.members_frame(consultation.id).set_index("member_id")["external_id"]
    labels = groups.labels.copy()
    labels.index = members.reindex(labels.index).astype(int).to_numpy()
    return elapsed, labels


def run_reddwarf(folder: Path) -> tuple[float, pd.Series]:
    from reddwarf.implementations.polis import run_pipeline

    start = time.perf_counter()
    votes = pd.read_csv(folder / "votes.csv")
    comments = pd.read_csv(folder / "comments.csv")
    votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last")
    records = [{"participant_id": p, "statement_id": s, "vote": v, "modified": t}
               for p, s, v, t in zip(votes["voter-id"].tolist(), votes["comment-id"].tolist(),
                                     votes["vote"].tolist(), votes["timestamp"].tolist(),
                                     strict=True)]
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
    elapsed = time.perf_counter() - start
    return elapsed, result.participants_df["cluster_id"]


def ari(folder: Path, labels: pd.Series) -> float:
    polis = read_polis_export(folder).participants.set_index("participant")["group_id"]
    polis = polis.dropna().astype(int)
    if polis.empty:
        return float("nan")
    ours = labels.reindex(polis.index).astype("Float64").fillna(-1).astype(int)
    return float(adjusted_rand_score(polis.to_numpy(), ours.to_numpy()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder of the Pol.is conversations")
    parser.add_argument("--sizes", default="1000x200,5000x500,10000x1000,20000x2000",
                        help="synthetic members x statements, comma-separated (2%% filled)")
    parser.add_argument("--no-reddwarf", action="store_true", help="time ours only")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each case, ours and red-dwarf in turn (median shown)")
    args = parser.parse_args(argv)
    have_rd = not args.no_reddwarf
    if have_rd:
        try:
            import reddwarf  # noqa: F401
        except ImportError:
            print("red-dwarf is not installed (pip install red-dwarf==0.4.0); ours only")
            have_rd = False

    rows = []
    with tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp_name:
        tmp = Path(tmp_name)
        cases: list[tuple[str, Path, bool]] = []
        data = find_data(args.data)
        if data is None:
            print("Pol.is conversations not found; synthetic data only")
        else:
            cases += [(name, data / name, True) for name in CONVERSATIONS]
        for size in filter(None, args.sizes.split(",")):
            n_members, n_statements = (int(x) for x in size.lower().split("x"))
            folder = tmp / f"synthetic-{size}"
            write_synthetic(folder, n_members, n_statements)
            cases.append((f"synthetic {size}", folder, False))

        warm_up = tmp / "warm-up"
        write_synthetic(warm_up, 300, 40, fill=0.2)
        run_ours(warm_up, tmp)
        if have_rd:
            run_reddwarf(warm_up)

        for label, folder, real in cases:
            n_votes = sum(1 for _ in open(folder / "votes.csv", encoding="utf-8")) - 1
            ours_times, rd_times = [], []
            rd_labels = None
            for _ in range(max(1, args.repeat)):
                ours_t, ours_labels = run_ours(folder, tmp)
                ours_times.append(ours_t)
                if have_rd:
                    rd_t, rd_labels = run_reddwarf(folder)
                    rd_times.append(rd_t)
            ours_t = float(np.median(ours_times))
            rd_t = float(np.median(rd_times)) if have_rd else float("nan")
            row = {"data": label, "votes": n_votes, "ours_s": ours_t, "reddwarf_s": rd_t,
                   "speedup": rd_t / ours_t if have_rd else float("nan")}
            if real:
                row["ari_ours"] = ari(folder, ours_labels)
                row["ari_reddwarf"] = ari(folder, rd_labels) if rd_labels is not None \
                    else float("nan")
            rows.append(row)
            print(f"{label}: ours {ours_t:.2f} s, red-dwarf {rd_t:.2f} s", flush=True)

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print()
        print(table.to_string(index=False))
    if have_rd:
        total = table["reddwarf_s"].sum() / table["ours_s"].sum()
        print(f"\nend to end over all rows: red-dwarf / ours = {total:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
