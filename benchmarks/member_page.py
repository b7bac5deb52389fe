"""Time to interactive of the member page, against a bare Voila page, in one run.

Usage::

    .venv/bin/python benchmarks/member_page.py [--loads N] [--preheat K] [--json FILE] [--keep]

Starts, on free loopback ports:

* ``cop-widgets serve`` on a freshly seeded demo database (``cop_widgets.demo.seed_demo``);
* a bare, default Voila on ``benchmarks/bare/bare.ipynb`` (one ipywidgets Button);
* ``cop-widgets serve --preheat K`` on the same database (skipped with ``--preheat 0``, or
  reported as unavailable if the option does not work).

Then loads each page N times, alternating (member, bare, preheated member, member, ...),
each load in a fresh browser context of the same Debian chromium. Time to interactive is
measured inside the page, from navigation start (``performance.timeOrigin``) to the first
animation frame where the page can be used: for the member page the first stance radio
button is visible and enabled, for the bare page the Button is visible and enabled.

Before each measured load the script waits (at most 30 s) until the machine is quiet, so
that a kernel still shutting down, or a preheated pool refilling, does not slow the next
load. One unmeasured warm-up load per page comes first.

Nothing leaves loopback: chromium's proxy is a closed loopback port that loopback bypasses,
so a CDN request (the default Voila template makes some) fails at once; such requests are
counted and reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BARE_NOTEBOOK = ROOT / "benchmarks" / "bare" / "bare.ipynb"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
TARGET_RATIO = 1.3
POOL_FILLED = "Kernel pool of member.ipynb is filled"

#: Evaluated on every animation frame; returns ms since navigation start once usable.
READY_JS = {
    "member": """() => {
        const el = document.querySelector('.cop-member-page .cop-statement input[type=radio]');
        return el && !el.disabled && el.checkVisibility() ? performance.now() : false;
    }""",
    "bare": """() => {
        const el = document.querySelector('button.jupyter-button, button.widget-button');
        return el && !el.disabled && el.checkVisibility() ? performance.now() : false;
    }""",
}


# -- servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A subprocess in its own session, with its output in files."""

    def __init__(self, name: str, command: list[str], port: int, folder: Path,
                 env: dict[str, str] | None = None):
        self.name, self.port = name, port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = folder / f"{name}.stderr"
        self.out = folder / f"{name}.stdout"
        with open(self.out, "wb") as out, open(self.log, "wb") as err:
            self.process = subprocess.Popen(command, stdout=out, stderr=err,
                                            stdin=subprocess.DEVNULL, env=env,
                                            start_new_session=True, cwd=folder)

    def wait_http(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n"
                                   f"{self.tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2):
                    return
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.tail()}")

    def wait_log(self, text: str, timeout: float, times: int = 1) -> bool:
        """Wait until ``text`` appears ``times`` times in the server's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log.read_text(errors="replace").count(text) >= times:
                return True
            if self.process.poll() is not None:
                return False
            time.sleep(0.25)
        return False

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the server's group (Voila shuts its kernels down), then kill leftovers."""
        try:
            import psutil

            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except Exception:
            descendants = []
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        for child in descendants:  # kernels live in sessions of their own
            try:
                child.wait(timeout=3)
            except Exception:
                try:
                    child.kill()
                except Exception:
                    pass


def cop_serve(name: str, db_url: str, folder: Path, preheat: int = 0) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
               "--port", str(port), "--host", "127.0.0.1"]
    if preheat:
        command += ["--preheat", str(preheat)]
    env = dict(os.environ)
    env.pop("COP_WIDGETS_DB", None)
    return Server(name, command, port, folder, env)


def bare_voila(folder: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "voila", str(BARE_NOTEBOOK), f"--port={port}",
               "--Voila.ip=127.0.0.1", "--no-browser"]
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_PATH", "COP_WIDGETS_DB")}
    return Server("bare", command, port, folder, env)


# -- measuring ----------------------------------------------------------------------------


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.hostname in LOOPBACK_HOSTS


def wait_quiet(max_wait: float = 30.0, threshold: float = 20.0) -> float:
    """Wait until total CPU use stays under ``threshold`` % for two 0.5 s samples."""
    import psutil

    start = time.monotonic()
    calm = 0
    while time.monotonic() - start < max_wait:
        calm = calm + 1 if psutil.cpu_percent(interval=0.5) < threshold else 0
        if calm >= 2:
            break
    return time.monotonic() - start


def load_once(browser, url: str, kind: str, timeout_ms: float = 120_000) -> dict:
    """Open ``url`` in a fresh context; return the time to interactive and what was fetched."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        handle = page.wait_for_function(READY_JS[kind], polling="raf", timeout=timeout_ms)
        tti_ms = float(handle.json_value())
        wall = time.perf_counter() - started
        page.goto("about:blank")
        page.wait_for_timeout(500)  # let Voila's unload beacon go out
    finally:
        context.close()
    return {"tti": tti_ms / 1000, "wall": wall,
            "outside": sorted({u for u in requests if not is_loopback(u)})}


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "p90": percentile(values, 0.9)}


# -- main ---------------------------------------------------------------------------------


def seed(db_url: str) -> tuple[int, str]:
    """Seed the demo; return the consultation and the token of a member with no card yet."""
    from cop_widgets.demo import seed_demo
    from cop_widgets.store import Store

    with Store(db_url) as store:
        demo = seed_demo(store)
        for member_id, token in demo.tokens.items():
            if member_id not in demo.responded and store.get_card(
                    demo.consultation_id, token) is None:
                return demo.consultation_id, token
    raise RuntimeError("the demo has no member without a card")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=7, help="measured loads per page (7)")
    parser.add_argument("--preheat", type=int, default=2, metavar="K",
                        help="also run `cop-widgets serve --preheat K` (0: skip; default 2)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server logs)")
    parser.add_argument("--chromium", default=os.environ.get("COP_WIDGETS_CHROMIUM",
                                                              "/usr/bin/chromium"))
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from cop_widgets.links import member_link

    folder = Path(tempfile.mkdtemp(prefix="cop-bench-"))
    db_url = f"sqlite:///{folder / 'demo.db'}"
    consultation_id, token = seed(db_url)
    servers: dict[str, Server] = {}
    notes: list[str] = []
    try:
        servers["member"] = cop_serve("member", db_url, folder)
        servers["bare"] = bare_voila(folder)
        if args.preheat > 0:
            servers["preheat"] = cop_serve("preheat", db_url, folder, preheat=args.preheat)
        for name, server in list(servers.items()):
            try:
                server.wait_http()
            except RuntimeError as exc:
                if name != "preheat":
                    raise
                notes.append(f"--preheat {args.preheat} did not work: {exc}")
                server.stop()
                del servers[name]
        if "preheat" in servers and not servers["preheat"].wait_log(POOL_FILLED, timeout=120):
            notes.append("the preheat pool never reported itself filled")
        preheat_loads = 0

        pages = {
            "member": (member_link(servers["member"].base_url, consultation_id, token),
                       "member"),
            "bare": (f"{servers['bare'].base_url}/", "bare"),
        }
        if "preheat" in servers:
            pages["preheat"] = (member_link(servers["preheat"].base_url, consultation_id,
                                            token), "member")
        results: dict[str, list[dict]] = {name: [] for name in pages}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=CHROMIUM_ARGS,
                proxy={"server": f"http://127.0.0.1:{free_port()}",
                       "bypass": "127.0.0.1,localhost,[::1]"})
            try:
                for i in range(-1, args.loads):  # load -1 warms up, not measured
                    for name, (url, kind) in pages.items():
                        if name == "preheat":
                            # Each load takes a kernel from the pool, which then refills:
                            # measure with the pool full again (one "filled" line per fill).
                            if not servers["preheat"].wait_log(POOL_FILLED, timeout=90,
                                                               times=preheat_loads + 1):
                                notes.append(f"load {i + 1}: the pool had not refilled")
                            preheat_loads += 1
                        wait_quiet()
                        result = load_once(browser, url, kind)
                        if i < 0:
                            continue
                        results[name].append(result)
                        print(f"  load {i + 1}/{args.loads} {name:8s} "
                              f"{result['tti']:6.2f} s", file=sys.stderr, flush=True)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    report(args, results, notes, folder if args.keep else None)
    return 0


LABELS = {
    "bare": "bare Voila, 1 Button (default template)",
    "member": "member page (cop-widgets serve)",
    "preheat": "member page (serve --preheat {k})",
}


def report(args, results: dict[str, list[dict]], notes: list[str],
           folder: Path | None) -> None:
    stats = {name: summary([r["tti"] for r in runs]) for name, runs in results.items()}
    bare = stats["bare"]["median"]
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    print(f"\nTime to interactive, {args.loads} loads per page, alternating, fresh browser "
          f"context each ({when}; {os.cpu_count()} CPUs; Python {platform.python_version()})")
    header = f"{'page':42s} {'median':>8s} {'min':>8s} {'max':>8s} {'p90':>8s} {'/bare':>7s}"
    print(header)
    print("-" * len(header))
    for name in ("bare", "member", "preheat"):
        if name not in stats:
            continue
        s = stats[name]
        label = LABELS[name].format(k=args.preheat)
        print(f"{label:42s} {s['median']:7.2f}s {s['min']:7.2f}s {s['max']:7.2f}s "
              f"{s['p90']:7.2f}s {s['median'] / bare:6.2f}x")
    ratio = stats["member"]["median"] / bare
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"\nmember/bare ratio of medians: {ratio:.2f}x (target <= {TARGET_RATIO}x: {verdict})")
    if "preheat" in stats:
        pratio = stats["preheat"]["median"] / bare
        print(f"preheated member/bare ratio of medians: {pratio:.2f}x "
              f"(each load used a preheated kernel; the pool of {args.preheat} refilled "
              "before the next load)")
    for name, runs in results.items():
        outside = sorted({u for r in runs for u in r["outside"]})
        if outside:
            print(f"{name}: {len(outside)} non-loopback URL(s) requested and failed at once "
                  f"(no network): {', '.join(outside)}")
    for note in notes:
        print(f"note: {note}")
    if folder is not None:
        print(f"database and server logs kept in {folder}")
    if args.json:
        args.json.write_text(json.dumps({"when": when, "loads": args.loads,
                                         "stats": stats, "runs": results,
                                         "notes": notes}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
