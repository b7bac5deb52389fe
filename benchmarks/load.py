"""What the server holds, measured without a browser: N members open their links at once.

Usage::

    .venv/bin/python benchmarks/load.py                       # 30 and 100 members, serve vs bare
    .venv/bin/python benchmarks/load.py --members 30 --preheat 30
    .venv/bin/python benchmarks/load.py --members 10 --configs "serve 0" "bare 0" --json /tmp/l.json

A simulated member does at the protocol level what a browser does for a Voila page, and
nothing more (no JavaScript, no rendering, no static files):

1. ``GET`` the page (Voila runs the notebook in a kernel while it answers; the HTML ends
   once the notebook has run) and read the kernel id from the page's configuration;
2. open the kernel's websocket (``/api/kernels/<id>/channels``) as a browser does: with the
   ``v1.kernel.websocket.jupyter.org`` subprotocol, which Voila's front end negotiates (the
   server then relays the kernel's frames without parsing them), and offering
   permessage-deflate; ``--protocol json`` speaks the older JSON protocol instead;
3. ask for the widgets' state as ipywidgets' front end does (a ``jupyter.widget.control``
   comm, ``request_states``) and wait for the ``update_states`` answer that carries every
   widget model the page shows (each ``model_id`` of the HTML's widget views).

The time reported is from the first byte of the request to that answer: the server's own
time to give a member a usable page, with the browsers of a workshop running on other
devices (``burst.py`` shares the two cores between the server and 30 chromium pages).

One run seeds the demo (``burst.seed``: one member without a card per simulated member) in
a temporary SQLite file, then for each configuration in turn starts ONE server on a free
loopback port, lets it settle (a preheated pool filled, CPU quiet), runs one unmeasured
member, then ``--members`` members AT ONCE, each with their own link, and stops the server.
Configurations:

``serve N``
    ``cop-widgets serve --preheat N --max-kernels M`` (the member page; ``M`` is at least
    the number of members, so that the gate's cap is not what is measured);
``bare N``
    default Voila on ``benchmarks/bare/bare.ipynb`` (one ipywidgets Button), ``N``
    preheated kernels, the same protocol steps;
``before N``
    ``serve N`` from another checkout of the package (``--before-root DIR``, e.g. a
    ``git worktree`` of an earlier commit, put first on ``PYTHONPATH`` of the server and
    its kernels): old and new code measured in the same run, on the same seeded database.

A preheated pool refills ``--fill-delay`` seconds after a kernel is taken (120 by default,
for both servers: the README's advice for a workshop, since a refill that starts while the
burst is being served competes with it for the two cores; ``--fill-delay 1`` is Voila's
default).

Reported per configuration and size: p50 and p95 of the time above, failures (an HTTP
error, no kernel id, a websocket closed or no state within ``--timeout``), the peak RSS of
the server's process tree (server, Voila, every kernel) and the RSS of one member kernel,
and the server tree's CPU seconds per page (all of it, and the part spent in kernels; the
rest is the Voila server's own), and the widget models one page's state holds and the size
of that ``update_states`` message. Kernels are shut down through the REST API after
each run (a browser's unload beacon), so the next size starts from a quiet server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import struct
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from burst import (  # noqa: E402  (scripts beside this one, not a package)
    MemorySampler,
    cpu_seconds,
    is_kernel,
    percentile,
    seed,
    stop_server,
    tree_of,
    wait_listening,
)
from member_page import BARE_NOTEBOOK, Server, free_port, wait_quiet  # noqa: E402

#: ipywidgets' control comm protocol (``ipywidgets._version.__control_protocol_version__``).
CONTROL_PROTOCOL = "1.0.0"
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
VIEW_MODEL = re.compile(r'application/vnd\.jupyter\.widget-view\+json[^}]*?"model_id":\s*'
                        r'"([0-9a-f]{32})"')


# -- one simulated member -------------------------------------------------------------------


#: The kernel websocket's subprotocol browsers negotiate with jupyter_server.
V1 = "v1.kernel.websocket.jupyter.org"


def _message(msg_type: str, content: dict, session: str, channel: str = "shell",
             metadata: dict | None = None, protocol: str = "v1") -> str | bytes:
    if protocol == "v1":
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                  "username": "load", "date": dt.datetime.now(dt.timezone.utc).isoformat(),
                  "version": "5.3"}
        return serialize_msg_to_ws_v1([json.dumps(part).encode("utf-8") for part in
                                       (header, {}, metadata or {}, content)], channel)
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
                   "username": "load", "date": dt.datetime.now(dt.timezone.utc).isoformat(),
                   "version": "5.3"},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": channel,
        "buffers": []})


def _decode(raw: str | bytes, protocol: str = "v1") -> dict:
    """A message of the kernel websocket: a v1 frame (offsets, channel, header, parent
    header, metadata, content, buffers), JSON text, or a binary JSON-protocol frame (a
    message with buffers: a count, offsets, the JSON, then the buffers)."""
    if isinstance(raw, str):
        return json.loads(raw)
    if protocol == "v1":
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        _channel, parts = deserialize_msg_from_ws_v1(raw)
        header = json.loads(parts[0])
        return {"msg_type": header.get("msg_type"), "header": header,
                "content": json.loads(parts[3])}
    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack("!" + "I" * count, raw[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0]:end].decode("utf-8"))


async def one_member(base_url: str, path: str, timeout: float,
                     protocol: str = "v1") -> dict:
    """Load one page as a browser would at the protocol level; return timings or the failure."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    started = time.perf_counter()
    result: dict = {"ok": False}
    try:
        response = await AsyncHTTPClient().fetch(HTTPRequest(
            base_url + path, request_timeout=timeout, connect_timeout=timeout),
            raise_error=False)
        result["html"] = time.perf_counter() - started
        if response.code != 200:
            result["error"] = f"HTTP {response.code}"
            return result
        html = response.body.decode("utf-8", "replace")
        found = KERNEL_ID.search(html)
        if not found:
            result["error"] = "no kernel id in the page"
            return result
        kernel_id = found.group(1)
        result["kernel_id"] = kernel_id
        wanted = set(VIEW_MODEL.findall(html))
        session = uuid.uuid4().hex
        ws_url = base_url.replace("http://", "ws://") + \
            f"/api/kernels/{kernel_id}/channels?session_id={session}"
        left = timeout - (time.perf_counter() - started)
        socket = await asyncio.wait_for(websocket_connect(
            ws_url, subprotocols=[V1] if protocol == "v1" else None,
            compression_options={}), left)  # a browser offers permessage-deflate
        binary = protocol == "v1"
        try:
            comm_id = uuid.uuid4().hex
            await socket.write_message(_message("comm_open", {
                "comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                session, metadata={"version": CONTROL_PROTOCOL}, protocol=protocol),
                binary=binary)
            await socket.write_message(_message("comm_msg", {
                "comm_id": comm_id, "data": {"method": "request_states"}}, session,
                protocol=protocol), binary=binary)
            while True:
                left = timeout - (time.perf_counter() - started)
                if left <= 0:
                    raise asyncio.TimeoutError
                raw = await asyncio.wait_for(socket.read_message(), left)
                if raw is None:
                    result["error"] = "websocket closed"
                    return result
                message = _decode(raw, protocol)
                content = message.get("content", {})
                data = content.get("data", {}) if isinstance(content, dict) else {}
                if message.get("msg_type") == "comm_msg" and content.get("comm_id") == comm_id \
                        and data.get("method") == "update_states":
                    states = data.get("states", {})
                    missing = wanted - set(states)
                    if missing:
                        result["error"] = f"{len(missing)} widget model(s) missing"
                        return result
                    result.update(ok=True, time=time.perf_counter() - started,
                                  models=len(states), views=len(wanted),
                                  state_bytes=len(raw))
                    return result
        finally:
            socket.close()
    except (asyncio.TimeoutError, TimeoutError):
        result["error"] = f"no state within {timeout:.0f} s"
    except Exception as exc:  # any failure of one member is counted, the others go on
        result["error"] = f"{type(exc).__name__}: {exc}"
    return result


async def crowd(base_url: str, paths: list[str], timeout: float,
                protocol: str = "v1") -> list[dict]:
    """All members at once: every request starts in the same instant."""
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=max(10, len(paths)))
    return list(await asyncio.gather(*(one_member(base_url, p, timeout, protocol)
                                       for p in paths)))


async def shut_down(base_url: str, kernel_ids: list[str]) -> None:
    """What a browser's unload beacon does: shut the page's kernel down."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    client = AsyncHTTPClient()
    # a shutdown that times out (100 at once on a busy machine) is not a failure of the
    # measured pages: return_exceptions keeps the row (tornado raises timeouts even with
    # raise_error=False)
    await asyncio.gather(*(client.fetch(HTTPRequest(
        f"{base_url}/api/kernels/{k}", method="DELETE", request_timeout=60),
        raise_error=False) for k in kernel_ids), return_exceptions=True)


# -- one configuration --------------------------------------------------------------------


def start(kind: str, preheat: int, members: int, db_url: str, folder: Path,
          name: str, fill_delay: float, before_root: str | None = None) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.pop("COP_WIDGETS_DB", None)
    if kind == "before":
        if not before_root:
            raise ValueError("a 'before N' configuration needs --before-root DIR")
        # ahead of the editable install's path (a .pth entry, at the end of sys.path); the
        # server runs in `folder`, so `python -m` puts no checkout of ours first
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(before_root).resolve()), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env["JUPYTER_RUNTIME_DIR"] = str(folder / f"runtime-{name}")
    if kind == "bare":
        env.pop("JUPYTER_PATH", None)
        command = [sys.executable, "-m", "voila", str(BARE_NOTEBOOK), f"--port={port}",
                   "--Voila.ip=127.0.0.1", "--no-browser",
                   # the bare page's unload beacon and our DELETE need no xsrf token
                   "--Voila.tornado_settings=disable_check_xsrf=True"]
        if preheat:
            command += ["--preheat_kernel=True", f"--pool_size={preheat}",
                        f"--VoilaKernelManager.fill_delay={fill_delay:g}"]
    else:
        command = [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
                   "--port", str(port), "--host", "127.0.0.1",
                   "--max-kernels", str(members + preheat + 10)]
        if preheat:
            command += ["--preheat", str(preheat), "--fill-delay", f"{fill_delay:g}"]
    return Server(name, command, port, folder, env)


def run_one(kind: str, preheat: int, members: int, db_url: str, demo, args,
            folder: Path, index: int) -> dict:
    name = f"{index:02d}-{kind}-{preheat}-{members}"
    server = start(kind, preheat, members, db_url, folder, name, args.fill_delay,
                   args.before_root)
    row: dict = {"config": f"{kind} preheat {preheat}", "members": members}
    try:
        wait_listening(server)
        if preheat:
            server.wait_log("filled", timeout=180)
        wait_quiet(max_wait=60)

        def path_of(token: str) -> str:
            if kind == "bare":
                return "/"
            return f"/voila/render/member.ipynb?c={demo.consultation_id}&t={token}"

        warm = asyncio.run(crowd(server.base_url, [path_of(demo.warmup_token)],
                                 args.timeout, args.protocol))
        if not warm[0]["ok"]:
            raise RuntimeError(f"warm-up failed: {warm[0].get('error')}\n{server.tail()}")
        one_kernel = next((p for p in tree_of(server.process.pid)
                           if is_kernel(p)), None)
        kernel_rss = one_kernel.memory_info().rss if one_kernel else 0
        asyncio.run(shut_down(server.base_url, [warm[0]["kernel_id"]]))
        if preheat:
            server.wait_log("filled", timeout=180, times=2)
        wait_quiet(max_wait=60)
        sampler = MemorySampler(server.process.pid)
        sampler.start()
        before_tree = tree_of(server.process.pid)
        before_cpu = cpu_seconds(before_tree)
        kernel_pids = {p.pid for p in before_tree if is_kernel(p)}
        t0 = time.monotonic()
        results = asyncio.run(crowd(server.base_url,
                                    [path_of(t) for t in demo.burst_tokens[:members]],
                                    args.timeout, args.protocol))
        t1 = time.monotonic()
        after_tree = tree_of(server.process.pid)
        after_cpu = cpu_seconds(after_tree)
        kernel_pids |= {p.pid for p in after_tree if is_kernel(p)}
        time.sleep(0.5)
        sampler.stop()
        peak_rss, peak_kernels = sampler.peak(t0, time.monotonic())
        times = [r["time"] if r["ok"] else float("inf") for r in results]
        spent = {pid: after_cpu[pid] - before_cpu.get(pid, 0.0) for pid in after_cpu}
        used = sum(spent.values())
        in_kernels = sum(cpu for pid, cpu in spent.items() if pid in kernel_pids)
        row.update(
            p50=percentile(times, 0.5), p95=percentile(times, 0.95),
            html_p95=percentile([r.get("html", float("inf")) for r in results], 0.95),
            failures=sum(not r["ok"] for r in results),
            errors=sorted({r["error"] for r in results if not r["ok"]}),
            peak_rss_mb=peak_rss / 2**20, kernels_at_peak=peak_kernels,
            kernel_rss_mb=kernel_rss / 2**20, cpu_per_page=used / members,
            kernel_cpu_per_page=in_kernels / members,
            wall=t1 - t0,
            models=max((r.get("models", 0) for r in results), default=0),
            state_kb=max((r.get("state_bytes", 0) for r in results), default=0) / 1000)
        asyncio.run(shut_down(server.base_url,
                              [r["kernel_id"] for r in results if r.get("kernel_id")]))
    except Exception as exc:
        row["error"] = str(exc)
    finally:
        stop_server(server)
    return row


# -- report -------------------------------------------------------------------------------


def _s(x: float) -> str:
    return "   fail" if x == float("inf") else f"{x:6.2f}s"


def report(rows: list[dict], when: str) -> str:
    lines = [f"Protocol-level load ({when}; {os.cpu_count()} CPUs; Python "
             f"{platform.python_version()}): GET the page, open the kernel websocket, "
             "wait for the widget state",
             f"{'configuration':24} {'members':>7} {'p50':>7} {'p95':>7} {'HTML p95':>8} "
             f"{'fail':>4} {'peak RSS':>9} {'kernel RSS':>10} {'CPU-s/page':>10} "
             f"{'in kernels':>10} {'models':>6} {'state':>7}",
             "-" * 122]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['config']:24} {r['members']:>7}  error: {r['error'][:60]}")
            continue
        lines.append(
            f"{r['config']:24} {r['members']:>7} {_s(r['p50'])} {_s(r['p95'])} "
            f"{_s(r['html_p95']):>8} {r['failures']:>4} {r['peak_rss_mb']:7.0f}MB "
            f"{r['kernel_rss_mb']:8.0f}MB {r['cpu_per_page']:10.2f} "
            f"{r.get('kernel_cpu_per_page', float('nan')):10.2f} {r.get('models', 0):>6} "
            f"{r.get('state_kb', 0):5.0f}kB")
        if r["errors"]:
            lines.append(f"{'':24} failures: {'; '.join(r['errors'])[:70]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[30, 100],
                        help="sizes of the crowd, each run on every configuration")
    parser.add_argument("--configs", nargs="+", default=None,
                        help="'serve N' / 'bare N' / 'before N' (N preheated kernels; 'before': "
                             "serve from --before-root); default: serve "
                             "and bare, each cold and preheated with a pool of the crowd's size, "
                             "and 'before' preheated if --before-root is given")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a member waits for the state before it counts as failed")
    parser.add_argument("--fill-delay", type=float, default=120.0,
                        help="seconds before a preheated pool refills (both servers)")
    parser.add_argument("--before-root", metavar="DIR",
                        help="checkout whose cop_widgets a 'before N' configuration serves "
                             "(e.g. `git worktree add /tmp/load-before HEAD`)")
    parser.add_argument("--protocol", choices=("v1", "json"), default="v1",
                        help="the kernel websocket's protocol: v1 (as browsers negotiate it, "
                             "default) or the older JSON one")
    parser.add_argument("--json", help="write the rows here too")
    args = parser.parse_args(argv)
    when = (dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            + f"; kernel websocket: {args.protocol}")
    folder = Path(tempfile.mkdtemp(prefix="cop-load-"))
    db_url = f"sqlite:///{folder / 'load.db'}"
    demo = seed(db_url, max(args.members))
    rows = []
    index = 0
    for members in args.members:
        # a pool as large as the crowd: a visitor who finds the pool empty waits for its
        # refill (see --fill-delay)
        configs = args.configs or [
            *([f"before {members}"] if args.before_root else []),
            f"serve {members}", f"bare {members}", "serve 0", "bare 0"]
        for spec in configs:
            kind, _, n = spec.partition(" ")
            index += 1
            row = run_one(kind, int(n or 0), members, db_url, demo, args, folder, index)
            rows.append(row)
            print(report([row], when).splitlines()[-1], flush=True)
    print()
    print(report(rows, when))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
