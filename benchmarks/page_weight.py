"""Page weight of the member page: bytes on the wire, first and repeat visit, in one run.

Usage::

    .venv/bin/python benchmarks/page_weight.py [--loads N] [--down KBIT] [--latency MS]
                                               [--bare] [--json FILE] [--keep]

Seeds the demo consultation (``cop_widgets.demo.seed_demo``) in a temporary SQLite file and
starts, on free loopback ports:

* ``cop-widgets serve`` as configured (compressed responses, cacheable static assets);
* the same ``cop-widgets serve`` with ``COP_WIDGETS_COMPRESS=0`` (no compression; the rest
  as configured), so the two differ by compression alone;
* with ``--bare``, a bare default Voila on ``benchmarks/bare/bare.ipynb`` (one Button).

For each server, N times: a fresh browser context (empty cache) opens the page (the *first
visit*), then the same page reloads (the *repeat visit*, cache warm). Both run under
Chromium's network throttling (CDP ``Network.emulateNetworkConditions``; by default 400
kbit/s down and up, 400 ms latency, an emulated slow 3G). For each visit it reports:

* requests: every request the page made, and those answered from the network (not cache);
* bytes on the wire: the sum of CDP ``Network.loadingFinished`` ``encodedDataLength``
  (headers and body as transferred, compressed when compressed; 0 for a cached answer);
* decoded bytes: the sum of CDP ``Network.dataReceived`` ``dataLength`` (the bodies after
  decompression, cached ones included);
* time to interactive: from navigation start to the first animation frame where the first
  stance radio button is visible and enabled (as ``member_page.py``), under the throttling;
* ws in: bytes of the kernel's WebSocket messages the page received (as decoded: CDP gives
  no wire size for WebSocket frames, compressed or not);
* CPU: seconds the web server process (Voila, not the page's kernel) spent on the visit,
  rendering the page and compressing what it sent (median over the loads).

Bytes are the same at any speed; the times are what throttling is for. Nothing leaves
loopback (chromium's proxy is a closed loopback port that loopback bypasses); a request to
another host would fail at once and is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from member_page import (  # a script beside this one, not a package
    CHROMIUM_ARGS,
    READY_JS,
    Server,
    bare_voila,
    cop_serve,
    free_port,
    is_loopback,
    seed,
    wait_quiet,
)

#: The goals of issue 15, bytes on the wire of the member page.
FIRST_VISIT_GOAL = 1_500_000
REPEAT_VISIT_GOAL = 150_000
LABELS = {
    "served": "member page, cop-widgets serve",
    "uncompressed": "member page, serve, COP_WIDGETS_COMPRESS=0",
    "bare": "bare Voila, 1 Button (default template)",
}


class Traffic:
    """What one page's CDP session saw on the network, per visit."""

    def __init__(self, cdp) -> None:
        self.requests: dict[str, dict] = {}
        self.in_flight: set[str] = set()
        self.websocket = 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _entry(self, event: dict) -> dict:
        return self.requests.setdefault(event["requestId"], {
            "url": "", "wire": 0, "decoded": 0, "cached": False, "failed": False,
            "encoding": "", "status": 0})

    def _sent(self, event: dict) -> None:
        self._entry(event)["url"] = event["request"]["url"]
        self.in_flight.add(event["requestId"])

    def _cached(self, event: dict) -> None:
        self._entry(event)["cached"] = True

    def _response(self, event: dict) -> None:
        entry = self._entry(event)
        response = event["response"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        entry["encoding"] = headers.get("content-encoding", "")
        entry["status"] = response.get("status", 0)
        entry["cached"] = entry["cached"] or bool(response.get("fromDiskCache")
                                                  or response.get("fromMemoryCache"))

    def _data(self, event: dict) -> None:
        self._entry(event)["decoded"] += event["dataLength"]

    def _finished(self, event: dict) -> None:
        self._entry(event)["wire"] = int(event["encodedDataLength"])
        self.in_flight.discard(event["requestId"])

    def _failed(self, event: dict) -> None:
        self._entry(event)["failed"] = True
        self.in_flight.discard(event["requestId"])

    def _frame(self, event: dict) -> None:
        response = event["response"]
        size = len(response["payloadData"])
        self.websocket += size if response["opcode"] == 1 else size * 3 // 4  # base64

    def wait_idle(self, page, quiet_ms: float = 2000, timeout_ms: float = 30_000) -> None:
        """Wait until no request has been in flight for ``quiet_ms`` (late fonts, chunks).

        At most ``timeout_ms``: a request that never ends (seen with the code before issue
        15) is named on stderr, and its bytes, if any, count for the next visit.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        quiet_since = None
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
            page.wait_for_timeout(100)
        lingering = [self.requests.get(r, {}).get("url", r) for r in self.in_flight]
        print(f"  still in flight after {timeout_ms / 1000:.0f} s: {lingering}", file=sys.stderr)

    def take(self) -> dict:
        """Return the totals since the last call, and start counting afresh."""
        seen = list(self.requests.values())
        self.requests.clear()
        websocket, self.websocket = self.websocket, 0
        data = [r for r in seen if not r["url"].startswith(("data:", "blob:"))]
        return {
            "requests": len(data),
            "from_network": sum(1 for r in data if not r["cached"] and r["wire"] > 0),
            "wire": sum(r["wire"] for r in data),
            "decoded": sum(r["decoded"] for r in data),
            "gzip": sum(1 for r in data if r["encoding"] in ("gzip", "br")),
            "websocket": websocket,
            "outside": sorted({r["url"] for r in data
                               if r["url"] and not is_loopback(r["url"])}),
            "largest": sorted(((r["wire"], r["url"]) for r in data), reverse=True)[:5],
        }


def web_server_cpu(server: Server) -> float:
    """CPU seconds the server's web process (Voila, not its kernels) has used so far."""
    import psutil

    root = psutil.Process(server.process.pid)
    for process in [root, *root.children(recursive=True)]:
        command = " ".join(process.cmdline())
        if "voila_app" in command or "-m voila" in command:
            times = process.cpu_times()
            return times.user + times.system
    return float("nan")


def visit(context, url: str, kind: str, conditions: dict, timeout_ms: float,
          cpu) -> dict:
    """First visit then a reload in ``context``; return both visits' figures.

    ``cpu()`` returns the web server's CPU seconds so far (the cost of serving the visit,
    gzip included; the kernel's work is not counted).
    """
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", conditions)
    traffic = Traffic(cdp)
    out = {}
    for name in ("first", "repeat"):
        cpu_before = cpu()
        if name == "first":
            page.goto(url, wait_until="commit", timeout=timeout_ms)
        else:
            page.reload(wait_until="commit", timeout=timeout_ms)
        tti = page.wait_for_function(READY_JS[kind], polling="raf", timeout=timeout_ms)
        seconds = float(tti.json_value()) / 1000
        page.wait_for_load_state("load", timeout=timeout_ms)
        traffic.wait_idle(page)  # late fonts and chunks count too
        out[name] = {**traffic.take(), "tti": seconds, "cpu": cpu() - cpu_before}
    page.goto("about:blank")
    page.wait_for_timeout(500)  # let Voila's unload beacon go out
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=2,
                        help="first+repeat visits per server (2); times are medians")
    parser.add_argument("--down", type=float, default=400, metavar="KBIT",
                        help="throttled download (and upload) speed, kbit/s (400)")
    parser.add_argument("--latency", type=float, default=400, metavar="MS",
                        help="throttled added latency per request, ms (400)")
    parser.add_argument("--bare", action="store_true", help="also a bare default Voila")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server logs)")
    parser.add_argument("--chromium", default=os.environ.get("COP_WIDGETS_CHROMIUM",
                                                              "/usr/bin/chromium"))
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from cop_widgets.links import member_link

    rate = args.down * 1000 / 8  # bytes per second
    conditions = {"offline": False, "latency": args.latency, "downloadThroughput": rate,
                  "uploadThroughput": rate}
    folder = Path(tempfile.mkdtemp(prefix="cop-weight-"))
    db_url = f"sqlite:///{folder / 'demo.db'}"
    consultation_id, token = seed(db_url)
    servers: dict[str, Server] = {}
    results: dict[str, list[dict]] = {}
    saved = os.environ.get("COP_WIDGETS_COMPRESS")
    try:
        os.environ.pop("COP_WIDGETS_COMPRESS", None)
        servers["served"] = cop_serve("served", db_url, folder)
        os.environ["COP_WIDGETS_COMPRESS"] = "0"
        servers["uncompressed"] = cop_serve("uncompressed", db_url, folder)
        os.environ.pop("COP_WIDGETS_COMPRESS", None)
        if saved is not None:
            os.environ["COP_WIDGETS_COMPRESS"] = saved
        if args.bare:
            servers["bare"] = bare_voila(folder)
        for server in servers.values():
            server.wait_http()
        pages = {name: (member_link(s.base_url, consultation_id, token), "member")
                 for name, s in servers.items() if name != "bare"}
        if "bare" in servers:
            pages["bare"] = (f"{servers['bare'].base_url}/", "bare")
        # a whole uncompressed first visit takes (5 MB / 50 kB/s) about 100 s at 400 kbit/s
        timeout_ms = 1000 * max(120.0, 8_000_000 / rate * 1.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=CHROMIUM_ARGS,
                proxy={"server": f"http://127.0.0.1:{free_port()}",
                       "bypass": "127.0.0.1,localhost,[::1]"})
            try:
                for i in range(args.loads):
                    for name, (url, kind) in pages.items():
                        wait_quiet()
                        context = browser.new_context()
                        try:
                            result = visit(context, url, kind, conditions, timeout_ms,
                                           lambda s=servers[name]: web_server_cpu(s))
                        finally:
                            context.close()
                        results.setdefault(name, []).append(result)
                        print(f"  load {i + 1}/{args.loads} {name:12s} first "
                              f"{result['first']['tti']:6.1f} s "
                              f"{result['first']['wire'] / 1e6:5.2f} MB, repeat "
                              f"{result['repeat']['tti']:6.1f} s "
                              f"{result['repeat']['wire'] / 1e3:6.1f} kB",
                              file=sys.stderr, flush=True)
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report(args, results)
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "results": results}, indent=1))
    return 0


def report(args, results: dict[str, list[dict]]) -> None:
    """Print one table: per page and visit, requests, bytes and time to interactive."""
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    print(f"\nPage weight, {args.loads} load(s) per page, throttled to {args.down:g} kbit/s "
          f"down/up and {args.latency:g} ms latency ({when}; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()})")
    header = (f"{'page':44s} {'visit':6s} {'requests':>8s} {'network':>8s} {'gzip':>5s} "
              f"{'wire':>11s} {'decoded':>11s} {'ws in':>9s} {'TTI med':>8s} {'TTI max':>8s} "
              f"{'CPU':>6s}")
    print(header)
    print("-" * len(header))
    for name, runs in results.items():
        for visit_name in ("first", "repeat"):
            first = runs[0][visit_name]  # bytes do not vary between loads
            times = [run[visit_name]["tti"] for run in runs]
            print(f"{LABELS[name]:44s} {visit_name:6s} {first['requests']:8d} "
                  f"{first['from_network']:8d} {first['gzip']:5d} {first['wire']:11,d} "
                  f"{first['decoded']:11,d} {first['websocket']:9,d} "
                  f"{statistics.median(times):7.1f}s "
                  f"{max(times):7.1f}s "
                  f"{statistics.median(run[visit_name]['cpu'] for run in runs):5.2f}s")
    served = results.get("served")
    if served:
        first, repeat = served[0]["first"]["wire"], served[0]["repeat"]["wire"]
        met = {True: "met", False: "NOT met"}
        print(f"\nmember page on the wire: first visit {first / 1e6:.2f} MB (goal <= "
              f"{FIRST_VISIT_GOAL / 1e6:.1f} MB: {met[first <= FIRST_VISIT_GOAL]}), "
              f"repeat visit {repeat / 1e3:.0f} kB (goal <= {REPEAT_VISIT_GOAL / 1e3:.0f} kB: "
              f"{met[repeat <= REPEAT_VISIT_GOAL]})")
        print("largest first-visit transfers: " + ", ".join(
            f"{wire / 1e3:.0f} kB {url.split('?')[0].rsplit('/', 1)[-1]}"
            for wire, url in served[0]["first"]["largest"]))
    for name, runs in results.items():
        outside = sorted({u for run in runs for v in run.values() for u in v["outside"]})
        if outside:
            print(f"{name}: {len(outside)} non-loopback URL(s) requested (failed at once): "
                  + ", ".join(outside))


if __name__ == "__main__":
    sys.exit(main())
