"""Benchmark: opinion groups against Pol.is's own ``group-id``, beside red-dwarf 0.4.0.

Run from the repository root (red-dwarf comes with the ``bench`` extra)::

    .venv/bin/python benchmarks/polis_groups.py [--data DIR] [--repeat N]

For each of the four real conversations in ``tests/data/polis`` it prints, side by side:

* the adjusted Rand index (ARI) of ours and of red-dwarf against Pol.is's ``group-id``, over
  the participants Pol.is grouped (a participant either tool left unclustered counts as a
  group of its own), exactly as ``tests/polis/test_polis.py`` measures it;
* the number of groups k of each (and Pol.is's);
* the time of each, in process, median of ``--repeat`` runs, both starting from votes already
  in memory: ours is ``polis_vote_matrix`` (read from a SQLite store the conversation was
  imported into beforehand, not timed), ``opinion_groups``, ``representative_statements`` and
  ``group_informed_consensus``; red-dwarf is ``reddwarf.implementations.polis.run_pipeline``
  on the latest vote per (voter, comment), which also computes its representative and
  consensus statements. ``groups_s`` is ``opinion_groups`` alone.

red-dwarf runs with ``random_state=0`` (its k-means seeds with the first sorted distinct
points, so the seed changes nothing here). When red-dwarf is not installed the script says so
and prints ours only.

Pol.is data: CC BY 4.0, The Computational Democracy Project (see tests/data/polis/README.md).
"""

from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis import CONVERSATIONS, find_data  # noqa: E402  (a script beside this one)


def polis_groups(folder: Path) -> pd.Series:
    """Pol.is's own group of each participant it grouped."""
    groups = read_polis_export(folder).participants.set_index("participant")["group_id"]
    return groups.dropna().astype(int)


def ari(polis: pd.Series, labels: pd.Series) -> float:
    """ARI over the participants Pol.is grouped; unclustered ones form a group of their own."""
    ours = labels.reindex(polis.index).astype("Float64").fillna(-1).astype(int)
    return float(adjusted_rand_score(polis.to_numpy(), ours.to_numpy()))


def run_ours(store: Store, consultation_id: int,
             members: pd.Series) -> tuple[float, float, pd.Series, int]:
    """Return (total seconds, groups-only seconds, labels by Pol.is participant id, k)."""
    start = time.perf_counter()
    matrix = polis_vote_matrix(store, consultation_id)
    middle = time.perf_counter()
    groups = opinion_groups(matrix)
    grouped = time.perf_counter()
    representative_statements(matrix, groups)
    group_informed_consensus(matrix, groups)
    elapsed = time.perf_counter() - start
    labels = groups.labels.copy()
    labels.index = members.reindex(labels.index).to_numpy()
    return elapsed, grouped - middle, labels, groups.k


def reddwarf_records(folder: Path) -> tuple[list[dict], list[int]]:
    """The latest vote per (voter, comment) as red-dwarf's records, and the rejected comments."""
    votes = pd.read_csv(folder / "votes.csv")
    comments = pd.read_csv(folder / "comments.csv")
    votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last")
    records = [{"participant_id": p, "statement_id": s, "vote": v, "modified": t}
               for p, s, v, t in zip(votes["voter-id"].tolist(), votes["comment-id"].tolist(),
                                     votes["vote"].tolist(), votes["timestamp"].tolist(),
                                     strict=True)]
    mod_out = comments.loc[comments["moderated"] == -1, "comment-id"].tolist()
    return records, mod_out


def run_reddwarf(records: list[dict], mod_out: list[int]) -> tuple[float, pd.Series, int]:
    """Return (seconds, labels by Pol.is participant id, k)."""
    from reddwarf.implementations.polis import run_pipeline

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        result = run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
        elapsed = time.perf_counter() - start
    labels = result.participants_df["cluster_id"]
    return elapsed, labels, int(labels.dropna().nunique())


def main(argv: list[str] | None = None) -> int:
    """Print the side-by-side table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder of the Pol.is conversations")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each, ours and red-dwarf in turn (median shown)")
    args = parser.parse_args(argv)
    data = find_data(args.data)
    if data is None:
        print("Pol.is conversations not found (tests/data/polis or --data)")
        return 1
    try:
        with warnings.catch_warnings():  # its pydantic models warn on import
            warnings.simplefilter("ignore")
            import reddwarf.implementations.polis  # noqa: F401
        have_rd = True
    except ImportError:
        print("red-dwarf is not installed (pip install red-dwarf==0.4.0): ours only")
        have_rd = False

    rows = []
    with tempfile.TemporaryDirectory(prefix="cop-groups-") as tmp, \
            Store(f"sqlite:///{Path(tmp) / 'bench.db'}") as store:
        for name in CONVERSATIONS:
            folder = data / name
            polis = polis_groups(folder)
            consultation = import_polis(store, folder)
            members = store.members_frame(consultation.id).set_index("member_id")[
                "external_id"].astype(int)
            records, mod_out = reddwarf_records(folder) if have_rd else ([], [])
            if have_rd:  # one unmeasured run each, so neither pays for first calls
                run_reddwarf(records, mod_out)
            run_ours(store, consultation.id, members)
            ours_t, groups_t, rd_t = [], [], []
            for _ in range(max(1, args.repeat)):
                total, alone, ours_labels, ours_k = run_ours(store, consultation.id, members)
                ours_t.append(total)
                groups_t.append(alone)
                if have_rd:
                    seconds, rd_labels, rd_k = run_reddwarf(records, mod_out)
                    rd_t.append(seconds)
            row = {"conversation": name, "polis_k": int(polis.nunique()),
                   "ari_ours": ari(polis, ours_labels), "k_ours": ours_k}
            if have_rd:
                row.update({"ari_reddwarf": ari(polis, rd_labels), "k_reddwarf": rd_k})
            row.update({"ours_s": float(np.median(ours_t)), "groups_s": float(np.median(groups_t))})
            if have_rd:
                row["reddwarf_s"] = float(np.median(rd_t))
            rows.append(row)
            print(f"{name}: done", flush=True)

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print()
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
