"""What a refused page request costs the server, beside an admitted one, in one run.

Usage::

    .venv/bin/python benchmarks/refusal.py [--requests N] [--admitted K] [--parallel P]
                                           [--json FILE]

Starts ``cop-widgets serve`` on a freshly seeded demo database (a free loopback port), then:

* sends N requests of each kind the gate refuses, one at a time (``--parallel P``: P at a
  time, each client thread sending its next request as soon as its last is answered, as the
  review's parallel ``curl``s did): a member link with a made-up token (the review's attack),
  a results link of a consultation whose results are not public, a facilitator link with a
  wrong key, and an unknown page;
* loads K real member links (admitted: each starts a kernel), as many at a time.

For each kind it prints the wall time per request seen by the client (p50, p95, max; in
parallel, each request's own time, waiting behind the others included), the requests
answered per second, the server's CPU time per request (the Voila process and every kernel
it started, from ``psutil``), the kernels started and the server's memory growth. Goal
(issue 11): a refused request starts no kernel and costs under 50 ms: the client's p95 one
at a time; in parallel, where a request also waits behind the others, the server's CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

GOAL_MS = 50.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=180) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss_mb(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def kernels(processes: list[psutil.Process]) -> int:
    count = 0
    for process in processes:
        try:
            count += any("ipykernel" in part for part in process.cmdline())
        except psutil.NoSuchProcess:
            pass
    return count


def timed_get(url: str) -> tuple[int, float]:
    """GET ``url``; return its status and the milliseconds it took."""
    start = time.perf_counter()
    status = get(url)
    return status, 1000 * (time.perf_counter() - start)


def measure(voila_pid: int, urls: list[str], parallel: int = 1) -> dict:
    """Request the URLs, ``parallel`` at a time; return statuses, times and what the server
    spent."""
    before = tree(voila_pid)
    cpu0, rss0, kernels0 = cpu_seconds(before), rss_mb(before), kernels(before)
    start = time.perf_counter()
    if parallel > 1:
        with ThreadPoolExecutor(parallel) as pool:
            answers = list(pool.map(timed_get, urls))
    else:
        answers = [timed_get(url) for url in urls]
    elapsed = time.perf_counter() - start
    statuses = {status for status, _ in answers}
    walls = [ms for _, ms in answers]
    time.sleep(1.0)  # let a started kernel finish starting before it is counted
    after = tree(voila_pid)
    ordered = sorted(walls)
    return {
        "requests": len(urls), "parallel": parallel, "statuses": sorted(statuses),
        "requests_per_second": len(urls) / elapsed,
        "wall_ms_p50": statistics.median(ordered),
        "wall_ms_p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "wall_ms_max": ordered[-1],
        # kernels started by these requests are in ``after`` but not ``before``: counted
        "server_cpu_ms_per_request": 1000 * (cpu_seconds(after) - cpu0) / len(urls),
        "kernels_started": kernels(after) - kernels0,
        "server_rss_growth_mb": rss_mb(after) - rss0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--admitted", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=1, metavar="P",
                        help="requests in flight at once (default 1: one after another)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from cop_widgets.demo import seed_demo
    from cop_widgets.store import Store

    folder = Path(tempfile.mkdtemp(prefix="cop-refusal-"))
    db_url = f"sqlite:///{folder / 'cop.db'}"
    store = Store(db_url)
    demo = seed_demo(store)
    hidden = seed_demo(store, seed=5)  # open, results after submission: not public
    store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}/voila/render"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(folder / "runtime"))
    with open(folder / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url, "--port",
             str(port), "--host", "127.0.0.1", "--max-kernels", "0"],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.25)
        voila = next(p for p in psutil.Process(server.pid).children()
                     if "voila_app" in " ".join(p.cmdline()))
        c, n = demo.consultation_id, args.requests
        kinds = {
            "member link, made-up token (403)":
                [f"{base}/member.ipynb?c={c}&t=bogus{i}" for i in range(n)],
            "results not public, no token (403)":
                [f"{base}/results.ipynb?c={hidden.consultation_id}&i={i}" for i in range(n)],
            "facilitator link, wrong key (403)":
                [f"{base}/facilitator.ipynb?k=wrong{i}" for i in range(n)],
            "unknown page (404)": [f"{base}/other{i}.ipynb" for i in range(n)],
            "member link, real token (admitted)":
                [f"{base}/member.ipynb?c={c}&t={token}"
                 for token in list(demo.tokens.values())[:args.admitted]],
        }
        get(kinds["unknown page (404)"][0])  # warm-up: the first request imports the words
        results = {kind: measure(voila.pid, urls, max(1, args.parallel))
                   for kind, urls in kinds.items()}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    print(f"{max(1, args.parallel)} request(s) at a time")
    print(f"{'request':38} {'n':>4} {'status':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'req/s':>7} {'CPU ms/req':>10} {'kernels':>7} {'RSS +MB':>8}")
    for kind, r in results.items():
        print(f"{kind:38} {r['requests']:>4} {'/'.join(map(str, r['statuses'])):>8} "
              f"{r['wall_ms_p50']:8.1f} {r['wall_ms_p95']:8.1f} {r['wall_ms_max']:8.1f} "
              f"{r['requests_per_second']:7.1f} "
              f"{r['server_cpu_ms_per_request']:10.1f} {r['kernels_started']:7d} "
              f"{r['server_rss_growth_mb']:8.1f}")
    refused = {k: r for k, r in results.items() if "admitted" not in k}
    worst = max(r["wall_ms_p95"] for r in refused.values())
    cpu = max(r["server_cpu_ms_per_request"] for r in refused.values())
    started = sum(r["kernels_started"] for r in refused.values())
    if args.parallel > 1:
        # A client's wall time includes its wait behind the other requests in flight: the
        # server's own time per request is its CPU time.
        ok = cpu < GOAL_MS and started == 0
        print(f"\nrefused requests, {args.parallel} at a time: server CPU at most {cpu:.1f} "
              f"ms a request (goal < {GOAL_MS:.0f} ms; client p95 at most {worst:.1f} ms), "
              f"{started} kernels started (goal 0): {'met' if ok else 'NOT met'}")
    else:
        ok = worst < GOAL_MS and started == 0
        print(f"\nrefused requests: p95 at most {worst:.1f} ms (goal < {GOAL_MS:.0f} ms), "
              f"{started} kernels started (goal 0): {'met' if ok else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
