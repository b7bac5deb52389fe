"""A workshop burst: 30 members open their links at once; time to interactive and memory.

Usage::

    .venv/bin/python benchmarks/burst.py                      # member (serve) vs bare, 30 each
    .venv/bin/python benchmarks/burst.py --tune               # + preheat sizes and Voila options
    .venv/bin/python benchmarks/burst.py --config "30 --VoilaKernelManager.fill_delay=30"
    .venv/bin/python benchmarks/burst.py --repeat 2 --json /tmp/burst.json --keep

One run seeds the demo (``cop_widgets.demo.seed_demo(store, members=40, silent=31)``: 40
members, 9 with a submitted card, 31 who have not answered yet: 30 for the burst, one for
the warm-up) in a temporary SQLite file. Then, for each configuration in turn (``--repeat``
rounds of the whole list), it starts ONE server on a free loopback port, lets it settle
(preheated pool filled, CPU quiet), opens one unmeasured warm-up page, and opens ``--pages``
pages AT ONCE: one browser context per page (``--browsers`` Debian chromium processes share
them), every navigation started in the same instant, each member with their own link. The
server is stopped (its group, then every kernel by id) before the next configuration starts.

A configuration is ``"N [VOILA_OPTION ...]"`` (the member page served by ``cop-widgets
serve --preheat N``, with the Voila options appended, replacing the ones jupyter/serve.py sets
for the same key) or ``"bare [N] [VOILA_OPTION ...]"`` (default Voila on
``benchmarks/bare/bare.ipynb``, one ipywidgets Button, optionally preheated).

Measured per page, inside the page: time to interactive, from navigation start
(``performance.timeOrigin``) to the first check where the first stance radio (bare page: the
Button) is visible and enabled, the condition ``member_page.py`` uses (checked every 100 ms
by default, so at most 0.1 s late; ``--poll raf`` checks every frame as member_page.py does); and
when the HTML was complete (Voila ends it once the notebook ran: the server's part). A page
that shows a refusal, an error output or nothing within ``--timeout`` counts as a failure,
and counts as infinitely slow in the percentiles. Measured for the server: the RSS summed
over its process tree (``cop-widgets serve``, Voila and every kernel) every 0.2 s, before the
burst and at its peak (until every page is ready and a preheated pool has refilled), with
the PSS of the same tree once the pages are ready (RSS counts shared pages once per
process); and the CPU seconds used during the burst by the server tree, by the browser and
by everything else on the machine.

The browser runs under SCHED_IDLE (``--browser-sched idle``, through ``chrt``): in a
workshop the 30 browsers run on 30 other devices, here they share the server's 2 cores and
need about twice its CPU; at idle priority they take only what the server leaves.

Bounded: every wait has a timeout, ``--max-minutes`` stops the run (the configurations not
yet run are reported as skipped), servers and kernels are stopped on the way out. Nothing
leaves loopback: chromium's proxy is a closed loopback port that loopback bypasses.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from member_page import (  # noqa: E402  (a script beside this one, not a package)
    BARE_NOTEBOOK,
    CHROMIUM_ARGS,
    Server,
    free_port,
    is_loopback,
    wait_quiet,
)
from member_page import percentile as _percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SERVE_WITH = "_serve-with"  # internal: run jupyter/serve.py's serve() with extra Voila options

#: Checked in each page until it returns a value: [ms since navigation start, timeOrigin,
#: ms until the HTML was complete], or a string saying why the page will never be usable.
#: Voila (0.5, not progressive) ends the HTML once the notebook ran in the kernel: the HTML
#: time is the server's part, what follows (scripts, widget state over the kernel's web
#: socket, rendering) mostly the browser's.
READY_JS = {
    "member": """() => {
        const el = document.querySelector('.cop-member-page .cop-statement input[type=radio]');
        if (el && !el.disabled && el.checkVisibility())
            return [performance.now(), performance.timeOrigin,
                    performance.getEntriesByType('navigation')[0]?.responseEnd || 0];
        const refusal = document.querySelector('.cop-member-page .cop-message.cop-error');
        if (refusal && refusal.checkVisibility())
            return 'refused: ' + refusal.textContent.trim().slice(0, 160);
        const error = document.querySelector(
            '[data-mime-type="application/vnd.jupyter.stderr"],'
            + '[data-mime-type="application/vnd.jupyter.error"]');
        if (error) return 'error output: ' + error.textContent.trim().slice(0, 160);
        return false;
    }""",
    "bare": """() => {
        const el = document.querySelector('button.jupyter-button, button.widget-button');
        if (el && !el.disabled && el.checkVisibility())
            return [performance.now(), performance.timeOrigin,
                    performance.getEntriesByType('navigation')[0]?.responseEnd || 0];
        const error = document.querySelector(
            '[data-mime-type="application/vnd.jupyter.stderr"],'
            + '[data-mime-type="application/vnd.jupyter.error"]');
        if (error) return 'error output: ' + error.textContent.trim().slice(0, 160);
        return false;
    }""",
}

#: ``--tune``: pool sizes, then Voila options. ``cop-widgets serve`` passes
#: ``--VoilaExecutor.iopub_timeout=120`` since this benchmark showed pages failing without it;
#: the first configuration puts Voila's default (4 s) back for comparison.
FILL_30 = "--VoilaKernelManager.fill_delay=30"
IPC = "--KernelManager.transport=ipc"
TUNE_CONFIGS = [
    "0 --VoilaExecutor.iopub_timeout=4",
    "4", "8", "15", "30",
    "8 --VoilaKernelManager.fill_delay=0",
    f"30 {FILL_30}",
    "30 --VoilaKernelManager.fill_delay=60",
    f"30 {FILL_30} {IPC}",
    f"0 {IPC}",
]


# -- configurations -----------------------------------------------------------------------


@dataclass
class Config:
    spec: str
    kind: str  # "member" or "bare"
    preheat: int
    options: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, spec: str) -> Config:
        tokens = shlex.split(spec)
        kind = "member"
        if tokens and tokens[0] == "bare":
            kind = "bare"
            tokens.pop(0)
        preheat = 0
        if tokens and not tokens[0].startswith("--"):
            preheat = int(tokens.pop(0))
        bad = [t for t in tokens if not t.startswith("--")]
        if bad or preheat < 0:
            raise argparse.ArgumentTypeError(f"bad configuration {spec!r}: expected "
                                             "'[bare] [N] [--Voila.option=value ...]'")
        return cls(spec, kind, preheat, tokens)

    @property
    def label(self) -> str:
        what = "bare Voila (1 Button)" if self.kind == "bare" else "member (serve)"
        if self.preheat:
            what += f" preheat {self.preheat}"
        else:
            what += " cold"
        options = [o.lstrip("-").split(".")[-1] if "=" not in o else
                   o.lstrip("-").split("=", 1)[0].split(".")[-1] + "=" + o.split("=", 1)[1]
                   for o in self.options]  # --VoilaExecutor.iopub_timeout=120 -> iopub_...
        return " ".join([what, *options])

    @property
    def notebook(self) -> str:
        return "bare.ipynb" if self.kind == "bare" else "member.ipynb"


def merge_options(command: list[str], extra: list[str]) -> list[str]:
    """Append ``extra`` Voila options, dropping the ones of ``command`` with the same key."""
    keys = {o.split("=", 1)[0] for o in extra}
    return [o for o in command if o.split("=", 1)[0] not in keys] + list(extra)


def serve_with_options(payload: str) -> int:
    """Run ``cop_widgets.jupyter.serve.serve`` with extra Voila options (``_serve-with`` mode)."""
    from cop_widgets.jupyter import serve as serve_module

    spec = json.loads(payload)
    base = serve_module.voila_command

    def command(port: int, host: str, **kwargs) -> list[str]:
        return merge_options(base(port, host, **kwargs), spec["options"])

    serve_module.voila_command = command
    return serve_module.serve(spec["db"], spec["port"], "127.0.0.1", preheat=spec["preheat"])


def start_server(config: Config, db_url: str, folder: Path, index: int) -> Server:
    port = free_port()
    name = f"{index:02d}-{config.kind}-{config.preheat}"
    env = dict(os.environ)
    env.pop("COP_WIDGETS_DB", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["JUPYTER_RUNTIME_DIR"] = str(folder / f"runtime-{name}")
    if config.kind == "bare":
        env.pop("JUPYTER_PATH", None)
        command = [sys.executable, "-m", "voila", str(BARE_NOTEBOOK), f"--port={port}",
                   "--Voila.ip=127.0.0.1", "--no-browser"]
        if config.preheat:
            command += ["--preheat_kernel=True", f"--pool_size={config.preheat}"]
        command = merge_options(command, config.options)
    elif config.options:
        command = [sys.executable, str(Path(__file__).resolve()), SERVE_WITH, json.dumps(
            {"db": db_url, "port": port, "preheat": config.preheat,
             "options": config.options})]
    else:  # exactly what a facilitator runs
        command = [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
                   "--port", str(port), "--host", "127.0.0.1"]
        if config.preheat:
            command += ["--preheat", str(config.preheat)]
    return Server(name, command, port, folder, env)


RUNNING_AT = re.compile(r"Voil\S* is running at:\s*\n\s*(http://127\.0\.0\.1:(\d+))/")


def wait_listening(server: Server, timeout: float = 120.0) -> None:
    """Wait until Voila says where it listens (it moves on if the port was taken), then HTTP."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = RUNNING_AT.search(server.log.read_text(errors="replace"))
        if found:
            server.base_url, server.port = found.group(1), int(found.group(2))
            server.wait_http(timeout=max(5.0, deadline - time.monotonic()))
            return
        if server.process.poll() is not None:
            break
        time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not say where it listens:\n{server.tail()}")


def stop_server(server: Server, grace: float = 30.0) -> None:
    """SIGTERM the group (Voila shuts its kernels down); SIGKILL whatever is left, by id."""
    import psutil

    try:
        tree = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        server.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(server.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.process.wait(timeout=10)
    _gone, alive = psutil.wait_procs(tree, timeout=5)
    for proc in alive:  # kernels live in sessions of their own
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=5)


# -- process trees: memory and CPU --------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """``member_page.percentile``, where a failure (``inf``) makes the result ``inf``."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    if ordered[min(int(k) + 1, len(ordered) - 1)] == float("inf"):
        return float("inf") if k > int(k) or ordered[int(k)] == float("inf") else ordered[int(k)]
    return _percentile(ordered, q)


def tree_of(pid: int) -> list:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def is_kernel(proc) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(proc.cmdline())
    except Exception:
        return False


class MemorySampler(threading.Thread):
    """Sum the RSS of a process tree every ``interval`` seconds, in a thread."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int, int]] = []  # (monotonic, rss bytes, kernels)
        self._halt = threading.Event()
        self._kernel_pids: set[int] = set()

    def run(self) -> None:
        while not self._halt.is_set():
            rss, kernels = 0, 0
            for proc in tree_of(self.pid):
                try:
                    rss += proc.memory_info().rss
                except Exception:
                    continue
                if proc.pid in self._kernel_pids or is_kernel(proc):
                    self._kernel_pids.add(proc.pid)
                    kernels += 1
            self.samples.append((time.monotonic(), rss, kernels))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def peak(self, since: float, until: float) -> tuple[int, int]:
        window = [(rss, k) for t, rss, k in self.samples if since <= t <= until]
        return max(window, default=(0, 0))

    def last_before(self, when: float) -> tuple[int, int]:
        before = [(rss, k) for t, rss, k in self.samples if t <= when]
        return before[-1] if before else (0, 0)


def pss_of(pid: int) -> int:
    total = 0
    for proc in tree_of(pid):
        try:
            total += proc.memory_full_info().pss
        except Exception:
            pass
    return total


def cpu_seconds(procs) -> dict[int, float]:
    seconds = {}
    for proc in procs:
        try:
            t = proc.cpu_times()
            seconds[proc.pid] = t.user + t.system
        except Exception:
            pass
    return seconds


class CpuAccount:
    """CPU seconds used between ``start`` and ``stop`` by the server, the browser, others."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def _snapshot(self) -> tuple[dict[int, float], dict[int, float], float]:
        import psutil

        server = tree_of(self.server_pid)
        server_pids = {p.pid for p in server}
        ours = [p for p in psutil.Process().children(recursive=True)
                if p.pid not in server_pids]  # playwright's driver and chromium
        ours.append(psutil.Process())
        t = psutil.cpu_times()
        busy = sum(t) - t.idle - getattr(t, "iowait", 0.0)
        return cpu_seconds(server), cpu_seconds(ours), busy

    def start(self) -> None:
        self.before = self._snapshot()

    def stop(self) -> dict[str, float]:
        server, ours, busy = self._snapshot()
        s0, o0, b0 = self.before
        used_server = sum(v - s0.get(pid, 0.0) for pid, v in server.items())
        used_ours = sum(v - o0.get(pid, 0.0) for pid, v in ours.items())
        total = busy - b0
        return {"server": used_server, "browser": used_ours, "total": total,
                "other": max(0.0, total - used_server - used_ours)}


# -- the burst ----------------------------------------------------------------------------


async def open_at_once(urls: list[str], kind: str, args, start_at: list[float],
                       on_start=None, on_ready=None) -> list[dict]:
    """Open every URL at once in its own context; return one record per page.

    ``on_start()`` runs just before the navigations start, ``on_ready()`` once every page is
    usable or failed, before the pages are left (their kernels are still up).
    """
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from playwright.async_api import async_playwright

    timeout_ms = args.timeout * 1000
    poll = "raf" if args.poll == "raf" else int(args.poll)
    records: list[dict] = []
    async with async_playwright() as pw:
        proxy = {"server": f"http://127.0.0.1:{free_port()}",
                 "bypass": "127.0.0.1,localhost,[::1]"}
        browsers = [await pw.chromium.launch(executable_path=args.browser_executable,
                                             args=CHROMIUM_ARGS, proxy=proxy,
                                             timeout=60_000)
                    for _ in range(max(1, args.browsers))]
        pages = []
        try:
            for i, url in enumerate(urls):
                context = await browsers[i % len(browsers)].new_context()
                page = await context.new_page()
                record = {"url": url, "outside": set(), "page_errors": []}
                context.on("request", lambda r, rec=record: rec["outside"].add(r.url)
                           if not is_loopback(r.url) else None)
                page.on("pageerror", lambda exc, rec=record: rec["page_errors"].append(
                    str(exc)[:200]))
                pages.append((context, page, record))

            async def load(page, record) -> None:
                started = time.monotonic()
                try:
                    await page.goto(record["url"], wait_until="commit", timeout=timeout_ms)
                    left = max(1.0, timeout_ms - (time.monotonic() - started) * 1000)
                    handle = await page.wait_for_function(READY_JS[kind], polling=poll,
                                                          timeout=left)
                    value = await handle.json_value()
                    if isinstance(value, str):
                        record["error"] = value
                    else:
                        record["tti"] = value[0] / 1000
                        record["origin"] = value[1] / 1000  # epoch seconds
                        record["html"] = value[2] / 1000
                except PlaywrightTimeout:
                    record["error"] = f"not interactive within {args.timeout:.0f} s"
                except Exception as exc:  # navigation refused, page crashed...
                    record["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                record["done"] = time.time()

            if on_start is not None:
                on_start()
            start_at.append(time.time())
            start_at.append(time.monotonic())
            await asyncio.gather(*(load(page, record) for _c, page, record in pages))
            records = [record for _c, _p, record in pages]
            if on_ready is not None:
                on_ready()
        finally:
            for _context, page, _record in pages:  # Voila's unload beacon shuts kernels
                try:
                    await page.goto("about:blank", timeout=10_000)
                except Exception:
                    pass
            await asyncio.sleep(1.0)
            for context, _page, _record in pages:
                try:
                    await context.close()
                except Exception:
                    pass
            for browser in browsers:
                await browser.close()
    for record in records:
        record["outside"] = sorted(record["outside"])
    return records


def warm_up(url: str, kind: str, args) -> str | None:
    """One unmeasured page, so the server has compiled its templates before the burst."""
    class One:
        browsers, poll, timeout = 1, args.poll, args.timeout
        browser_executable = args.browser_executable

    record = asyncio.run(open_at_once([url], kind, One, []))[0]
    return record.get("error")


def run_config(config: Config, index: int, db_url: str, demo, args, folder: Path) -> dict:
    from cop_widgets.links import member_link

    result: dict = {"config": config.spec, "label": config.label, "notes": []}
    server = start_server(config, db_url, folder, index)
    sampler = None
    pool_line = f"Kernel pool of {config.notebook} is filled"
    try:
        wait_listening(server)
        fills = 0
        if config.preheat:
            fills += 1
            if not server.wait_log(pool_line, timeout=60 + 8 * config.preheat):
                result["notes"].append("the pool never reported itself filled")
        if config.kind == "bare":
            urls = [f"{server.base_url}/"] * args.pages
        else:
            urls = [member_link(server.base_url, demo.consultation_id, token)
                    for token in demo.burst_tokens[:args.pages]]
        if not args.no_warmup:
            error = warm_up(urls[0] if config.kind == "bare" else member_link(
                server.base_url, demo.consultation_id, demo.warmup_token), config.kind, args)
            if error:
                result["notes"].append(f"warm-up page: {error}")
            if config.preheat:
                fills += 1
                if not server.wait_log(pool_line, timeout=60 + 8 * config.preheat,
                                       times=fills):
                    result["notes"].append("the pool had not refilled after the warm-up")
        result["settle_s"] = wait_quiet(max_wait=60)
        sampler = MemorySampler(server.process.pid)
        sampler.start()
        time.sleep(1.0)
        cpu = CpuAccount(server.process.pid)
        start_at: list[float] = []
        at_ready: dict = {}

        def ready() -> None:
            at_ready["cpu"] = cpu.stop()
            at_ready["mono"] = time.monotonic()
            at_ready["pss"] = pss_of(server.process.pid)

        records = asyncio.run(open_at_once(urls, config.kind, args, start_at,
                                           on_start=cpu.start, on_ready=ready))
        start_wall, start_mono = start_at
        cpu_used, ready_mono, pss = at_ready["cpu"], at_ready["mono"], at_ready["pss"]
        if config.preheat:  # the pool refills after the burst: part of the peak
            if not server.wait_log(pool_line, timeout=60 + 8 * config.preheat,
                                   times=fills + 1):
                result["notes"].append("the pool had not refilled 60 s after the burst")
        time.sleep(2.0)
        end_mono = time.monotonic()
        sampler.stop()
        base_rss, base_kernels = sampler.last_before(start_mono)
        peak_rss, peak_kernels = sampler.peak(start_mono, end_mono)
        burst_peak, _k = sampler.peak(start_mono, ready_mono)
        ok = [r for r in records if "tti" in r]
        ttis = [r["tti"] if "tti" in r else float("inf") for r in records]
        htmls = [r["html"] if r.get("html") else float("inf") for r in records]
        result.update({
            "pages": len(records), "ok": len(ok), "failed": len(records) - len(ok),
            "errors": sorted({r["error"] for r in records if "error" in r}),
            "tti_p50": percentile(ttis, 0.5), "tti_p95": percentile(ttis, 0.95),
            "tti_min": min(ttis), "tti_max": max(ttis),
            "html_p50": percentile(htmls, 0.5), "html_p95": percentile(htmls, 0.95),
            "last_ready_s": max((r["origin"] + r["tti"] - start_wall for r in ok),
                                default=float("inf")),
            "nav_spread_s": (max(r["origin"] for r in ok) - min(r["origin"] for r in ok))
            if ok else float("nan"),
            "rss_base_mb": base_rss / 2**20, "kernels_base": base_kernels,
            "rss_peak_mb": peak_rss / 2**20, "kernels_peak": peak_kernels,
            "rss_peak_burst_mb": burst_peak / 2**20,
            "pss_ready_mb": pss / 2**20,
            "cpu": cpu_used,
            "outside": sorted({u for r in records for u in r["outside"]}),
            "page_errors": sorted({e for r in records for e in r["page_errors"]})[:5],
            "ttis": [round(t, 3) for t in ttis],
        })
    except Exception as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        brief = lines[0] + (f" ... {lines[-1].strip()}" if len(lines) > 1 else "")
        result["notes"].append(f"run failed: {type(exc).__name__}: {brief}")
    finally:
        if sampler is not None and sampler.is_alive():
            sampler.stop()
        stop_server(server)
    return result


# -- the demo -----------------------------------------------------------------------------


def seed(db_url: str, pages: int):
    """Seed the demo; pick ``pages`` members without a submitted card, and one for warm-up."""
    from cop_widgets.demo import seed_demo
    from cop_widgets.store import Store

    silent = pages + 1
    with Store(db_url) as store:
        demo = seed_demo(store, members=max(40, silent + 4), silent=silent)
    waiting = [token for mid, token in demo.tokens.items() if mid not in demo.responded]
    demo.warmup_token = waiting[-1]
    demo.burst_tokens = waiting[:pages]
    return demo


# -- report -------------------------------------------------------------------------------


def _s(x: float) -> str:
    return "   fail" if x == float("inf") else f"{x:6.2f}s"


def report(results: list[dict], args, when: str) -> str:
    lines = [
        f"Burst: {args.pages} pages opened at once per configuration, one browser context "
        f"each, {args.browsers} chromium process(es), scheduled {args.browser_sched}, "
        f"readiness checked every {args.poll}{'' if args.poll == 'raf' else ' ms'} "
        f"({when}; {os.cpu_count()} CPUs; {_memory_gb():.0f} GiB; "
        f"Python {platform.python_version()})",
    ]
    header = (f"{'configuration':60s} {'ok':>5s} {'p50':>7s} {'p95':>7s} {'max':>7s} "
              f"{'HTML50':>7s} {'HTML95':>7s} "
              f"{'last':>7s} {'RSS idle':>9s} {'RSS peak':>9s} {'kern':>5s} {'PSS rdy':>8s} "
              f"{'CPU srv':>8s} {'browser':>8s} {'other':>6s}")
    lines += [header, "-" * len(header)]
    for r in results:
        if "pages" not in r:
            lines.append(f"{r['label']:60s} {'; '.join(r['notes'])}")
            continue
        cpu = r["cpu"]
        lines.append(
            f"{r['label'][:60]:60s} {r['ok']:2d}/{r['pages']:<2d} {_s(r['tti_p50'])} "
            f"{_s(r['tti_p95'])} {_s(r['tti_max'])} {_s(r['html_p50'])} {_s(r['html_p95'])} "
            f"{_s(r['last_ready_s'])} "
            f"{r['rss_base_mb']:7.0f}MB {r['rss_peak_mb']:7.0f}MB {r['kernels_peak']:5d} "
            f"{r['pss_ready_mb']:6.0f}MB {cpu['server']:7.0f}s {cpu['browser']:7.0f}s "
            f"{cpu['other']:5.0f}s")
    lines.append("")
    if args.repeat > 1:
        lines += ["", *summary_table(results, args.repeat)]
    lines.append("")
    lines.append(
        "p50/p95/max: time to interactive per page (navigation start -> first radio or Button "
        "usable; a failure counts as infinite). HTML50/95: navigation start -> HTML complete "
        "(Voila ends it once the notebook ran: the server's part). last: burst start -> last "
        "page usable. RSS idle: server tree just before the burst; RSS peak: highest sample "
        "until the pool refilled; kern: kernels at that peak; PSS rdy: proportional set size "
        "of the tree when every page was ready. CPU: seconds used during the burst by the "
        "server tree, the browser, and other processes.")
    notes: list[str] = []
    for r in results:
        for note in r["notes"]:
            notes.append(f"note [{r['label']}]: {note}")
        for error in r.get("errors", []):
            notes.append(f"failure [{r['label']}]: {error}")
        if r.get("outside"):
            notes.append(f"[{r['label']}] non-loopback requests (failed at once): "
                         f"{', '.join(r['outside'])}")
        if r.get("page_errors"):
            notes.append(f"[{r['label']}] page errors: {'; '.join(r['page_errors'])}")
    lines += list(dict.fromkeys(notes))  # once each, in order
    return "\n".join(lines)


def summary_table(results: list[dict], rounds: int) -> list[str]:
    """Per configuration, over the rounds: medians of p50, p95 and HTML p50, failures, peak."""
    by_label: dict[str, list[dict]] = {}
    for r in results:
        if "pages" in r:
            by_label.setdefault(r["label"], []).append(r)
    header = (f"{'median over rounds':60s} {'rounds':>6s} {'failed':>7s} {'p50':>7s} "
              f"{'p95':>7s} {'HTML50':>7s} {'RSS peak':>9s} {'CPU srv':>8s} {'other':>6s}")
    lines = [header, "-" * len(header)]
    for label, runs in by_label.items():
        def med(key, runs=runs):
            return statistics.median(r[key] for r in runs)

        lines.append(
            f"{label[:60]:60s} {len(runs):6d} {sum(r['failed'] for r in runs):3d}/"
            f"{sum(r['pages'] for r in runs):<3d} {_s(med('tti_p50'))} {_s(med('tti_p95'))} "
            f"{_s(med('html_p50'))} {max(r['rss_peak_mb'] for r in runs):7.0f}MB "
            f"{statistics.median(r['cpu']['server'] for r in runs):7.0f}s "
            f"{statistics.median(r['cpu']['other'] for r in runs):5.0f}s")
    return lines


def _memory_gb() -> float:
    import psutil

    return psutil.virtual_memory().total / 2**30


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [SERVE_WITH]:
        return serve_with_options(argv[1])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30, help="pages opened at once (30)")
    parser.add_argument("--config", action="append", type=Config.parse, default=None,
                        metavar="SPEC", help="'[bare] [N] [--Voila.option=value ...]' "
                        "(repeatable; default: '0' and 'bare')")
    parser.add_argument("--tune", action="store_true",
                        help="also run the tuning configurations: " + "; ".join(TUNE_CONFIGS))
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="run the list of configurations R times, in turn (1): the "
                        "summary gives the median over rounds")
    parser.add_argument("--browsers", type=int, default=1,
                        help="chromium processes sharing the pages (1)")
    parser.add_argument("--poll", default="100",
                        help="how pages check readiness: every N milliseconds (100), or "
                        "'raf' (every animation frame, as member_page.py does)")
    parser.add_argument("--browser-sched", choices=("idle", "normal"), default="idle",
                        help="'idle' (default): run chromium under SCHED_IDLE (chrt --idle), "
                        "so that the browser, which a real workshop runs on 30 other devices, "
                        "only takes the CPU the server leaves; 'normal': compete with it")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds a page may take to become usable (180)")
    parser.add_argument("--max-minutes", type=float, default=60.0,
                        help="stop starting new configurations after this long (60)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="no unmeasured page before each burst")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server logs)")
    parser.add_argument("--chromium", default=os.environ.get("COP_WIDGETS_CHROMIUM",
                                                              "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    configs = args.config or [Config.parse("0"), Config.parse("bare")]
    if args.tune:
        configs += [Config.parse(spec) for spec in TUNE_CONFIGS]

    def _terminate(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)
    started = time.monotonic()
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    folder = Path(tempfile.mkdtemp(prefix="cop-burst-"))
    db_url = f"sqlite:///{folder / 'demo.db'}"
    args.browser_executable = args.chromium
    if args.browser_sched == "idle":
        # Chromium sets its processes' nice values itself (as root: -8 for the browser), so
        # `nice` does not stick; the SCHED_IDLE policy is inherited and left alone.
        chrt = shutil.which("chrt")
        if chrt is None:
            parser.error("--browser-sched idle needs chrt (util-linux); or pass normal")
        wrapper = folder / "chromium-idle.sh"
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(chrt)} --idle 0 '
                           f'{shlex.quote(args.chromium)} "$@"\n')
        wrapper.chmod(0o755)
        args.browser_executable = str(wrapper)
    demo = seed(db_url, args.pages)
    results: list[dict] = []
    try:
        schedule = [(rep, config) for rep in range(args.repeat) for config in configs]
        for index, (rep, config) in enumerate(schedule):
            if time.monotonic() - started > args.max_minutes * 60:
                results.append({"config": config.spec, "label": config.label, "repeat": rep,
                                "notes": [f"skipped: --max-minutes {args.max_minutes:g} "
                                          "reached"]})
                continue
            print(f"[{time.monotonic() - started:6.0f} s] {config.label} "
                  f"(round {rep + 1}/{args.repeat}) ...", file=sys.stderr, flush=True)
            result = run_config(config, index, db_url, demo, args, folder)
            result["repeat"] = rep
            results.append(result)
            if "pages" in result:
                print(f"    ok {result['ok']}/{result['pages']}, p50 "
                      f"{result['tti_p50']:.2f} s, p95 {result['tti_p95']:.2f} s, peak RSS "
                      f"{result['rss_peak_mb']:.0f} MB", file=sys.stderr, flush=True)
            else:
                print(f"    {'; '.join(result['notes'])}", file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    text = report(results, args, when)
    print(text)
    if args.keep:
        print(f"database and server logs kept in {folder}")
    if args.json:
        args.json.write_text(json.dumps({"when": when, "pages": args.pages,
                                         "browsers": args.browsers, "poll": args.poll,
                                         "browser_sched": args.browser_sched,
                                         "results": results}, indent=2, default=str))
    return 0 if all(r.get("failed", 1) == 0 for r in results if "pages" in r) else 1


if __name__ == "__main__":
    sys.exit(main())
