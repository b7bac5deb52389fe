"""Benchmark: the Divergence tab's refresh at 2,000 members x 40 statements (goal: under 1 s).

Run from the repository root::

    .venv/bin/python benchmarks/divergence_refresh.py [--members 2000] [--statements 40]
                                                      [--repeat 7] [--profile] [--browser]

It seeds a temporary SQLite store through the store's bulk import
(``Store.import_consultation``): one open, anonymous consultation on the five-point scale,
``--members`` members with a region (five) and a role (four) on the roster, 90 % of them
with a submitted card answering every statement (three camps of opinion, 5 % passes). Then
it builds the facilitator's :class:`~cop_widgets.widgets.dashboard.DivergenceDashboard`
(compared by region: every section is drawn, the comparison and the weighting included),
times ``refresh()`` ``--repeat`` times after one untimed refresh, and prints the median,
min and max against the goal. ``--profile`` prints cProfile's 30 costliest calls of one
more refresh.

The browser draws the charts (``widgets.figure_view``), so ``--browser`` also measures what
the facilitator waits for: the same dashboard served by Voila on a loopback port, opened in
Debian's chromium (``$COP_WIDGETS_CHROMIUM``) at 1280 px. Before each timed refresh one more
member submits a card (so that every chart changes); the time runs from the click on
"Refresh" to the moment the page has drawn every chart anew (as many new ``svg.marks`` as
before the click), kernel, websocket and drawing included. Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
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


NOTEBOOK = """from cop_widgets.store import Store
from cop_widgets.widgets.dashboard import DivergenceDashboard
store = Store({url!r})
DivergenceDashboard(store, {cid}, attribute={attribute!r})
"""
#: Marks the drawings on the page, then counts those drawn since.
MARK_OLD = "() => { const s = document.querySelectorAll('svg.marks');" \
    " s.forEach(e => e.dataset.old = '1'); return s.length; }"
NEW_DRAWN = "(n) => document.querySelectorAll('svg.marks:not([data-old])').length >= n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _add_card(store: Store, cid: int, member_id: int, n_statements: int, seed_: int) -> None:
    """One more member submits a card (a member of the roster who had not answered)."""
    rng = np.random.default_rng(seed_)
    _, token = store.add_invitation(member_id)
    statements = store.list_statements(cid)
    store.save_card(cid, token, [m.StanceResponse(s.id, int(rng.integers(1, 6)))
                                 for s in statements[:n_statements]], status="submitted")


def browser_refresh(store: Store, url: str, cid: int, folder: Path, args) -> list[float]:
    """Time the click on "Refresh" to every chart drawn anew, in chromium; return seconds."""
    from playwright.sync_api import sync_playwright

    notebook = folder / "divergence.ipynb"
    source = NOTEBOOK.format(url=url, cid=cid, attribute=args.attribute)
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
                   "execution_count": None}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    port = _free_port()
    log = open(folder / "voila.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--no-browser",
         "--Voila.ip=127.0.0.1", "--VoilaExecutor.iopub_timeout=300"],
        stdout=log, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True)
    answered = set(store.responses_frame(cid)["member_id"])
    waiting = [mb.id for mb in store.list_members(cid) if mb.id not in answered]
    times = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except urllib.error.HTTPError:  # any answer: the server is up
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url
                       else r.abort())
            page.goto(f"http://127.0.0.1:{port}/", timeout=300_000)
            page.wait_for_function("() => document.querySelectorAll('svg.marks').length >= 8",
                                   timeout=300_000)
            button = page.get_by_role("button", name="Refresh")
            for i in range(max(1, args.repeat)):
                _add_card(store, cid, waiting[i], args.statements, i)
                drawn = page.evaluate(MARK_OLD)
                start = time.perf_counter()
                button.click()
                page.wait_for_function(NEW_DRAWN, arg=drawn, timeout=120_000, polling=20)
                times.append(time.perf_counter() - start)
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--attribute", default="region")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--browser", action="store_true",
                        help="also time a refresh in chromium, drawing included")
    parser.add_argument("--chromium",
                        default=os.environ.get("COP_WIDGETS_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)

    from cop_widgets.widgets.dashboard import DivergenceDashboard

    with tempfile.TemporaryDirectory(prefix="cop-divergence-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        with Store(url) as store:
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
            sections = {name: len(getattr(getattr(dashboard, name), "shown", None)
                                  or getattr(dashboard, name).value) for name in
                        ("summary", "divergence", "comparison", "weighted", "groups",
                         "participation", "rounds", "learned")}
            clicks = browser_refresh(store, url, cid, Path(tmp), args) if args.browser else []
    median = statistics.median(times)
    print(f"first build + refresh (imports included): {first:.2f} s")
    print(f"DivergenceDashboard.refresh(), {args.members} members x {args.statements} "
          f"statements, compared by {args.attribute}, {len(times)} runs: median {median:.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}); goal < {GOAL_S:.0f} s: "
          f"{'met' if median < GOAL_S else 'not met'}")
    print("section sizes (characters of HTML, and of the charts' specifications): "
          + ", ".join(f"{k} {v:,}" for k, v in sections.items()))
    if clicks:
        median = statistics.median(clicks)
        print(f"in chromium at 1280 px, click on Refresh to every chart drawn anew (one new "
              f"card before each), {len(clicks)} runs: median {median:.2f} s (min "
              f"{min(clicks):.2f}, max {max(clicks):.2f}); goal < {GOAL_S:.0f} s: "
              f"{'met' if median < GOAL_S else 'not met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
