"""A real ``cop-widgets serve`` without a browser, for the gate's tests (issue 11, item 1).

``serving(max_kernels=None, preheat=0)`` starts the CLI's server on a seeded SQLite file on
a free loopback port and returns a :class:`Server`: its base URL, its store, the seeded
consultations, the facilitator key it printed, and :meth:`Server.kernels`, the kernel
processes it has started (counted from the process tree, since ``/api/kernels`` is closed).

``served`` is one such server with the default options, started once per test module and
shared by its tests, which only read what was seeded. Its :meth:`Server.kernels` counts only
the kernels started since the test began, so "this request started no kernel" and "this page
started one kernel" are checked as exactly as on a server of the test's own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from helpers import free_port, seed_consultation, stop_process_tree, tail, wait_for_http

from cop_widgets import model as m
from cop_widgets.store import Store

SERVER_START_TIMEOUT = 60.0


@dataclass
class Reply:
    """One HTTP answer: status, headers (lower-case names) and body text."""

    status: int
    headers: dict[str, str]
    body: str
    seconds: float


@dataclass
class Server:
    """A running ``cop-widgets serve`` and what was seeded for it."""

    base_url: str
    store: Store
    process: subprocess.Popen
    log: Path
    key: str
    consultations: types.SimpleNamespace
    started: list = field(default_factory=list)
    #: Ids of the kernels that were running before the current test: not counted as its own.
    earlier: set[int] = field(default_factory=set)

    def get(self, path: str, headers: dict[str, str] | None = None,
            timeout: float = 120) -> Reply:
        """GET ``base_url + path``; an HTTP error status is returned, not raised."""
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, heads, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, heads, body = exc.code, exc.headers, exc.read()
        return Reply(status, {k.lower(): v for k, v in heads.items()},
                     body.decode("utf-8", "replace"), time.perf_counter() - start)

    def kernels(self) -> list[psutil.Process]:
        """The live kernel processes this server started (since the test began if shared)."""
        return [p for p in self.all_kernels() if p.pid not in self.earlier]

    def all_kernels(self) -> list[psutil.Process]:
        """Every live kernel process of this server, earlier tests' included."""
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if any("ipykernel" in part for part in child.cmdline()):
                    found.append(child)
            except psutil.NoSuchProcess:
                pass
        return found

    def wait_for_kernels(self, count: int, timeout: float = 60) -> int:
        """Wait until at least ``count`` kernels run; return how many do."""
        deadline = time.monotonic() + timeout
        while len(self.kernels()) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return len(self.kernels())


def _seed(store: Store) -> types.SimpleNamespace:
    """Seed four consultations.

    ``open`` (results after submission), ``never`` (open, results never shown), ``draft``
    (not opened, results never shown, with a brief no visitor may read) and ``closed``
    (results public since it closed).
    """
    open_one = seed_consultation(store, members=4, title="The open consultation")
    hidden = seed_consultation(store, members=2, title="A confidential draft",
                               visibility="never")
    development = store.add_development(m.Development(
        "policy", "Secret restructuring plan", summary="Only the board knows this yet."))
    draft = store.add_consultation(m.Consultation(
        development.id, "Confidential: restructuring", scale="likert5", visibility="never"))
    closed = seed_consultation(store, members=3, title="The closed consultation",
                               visibility="after_close")
    store.close_consultation(closed.consultation.id)
    return types.SimpleNamespace(open=open_one, never=hidden, draft=draft, closed=closed)


def start_server(folder: Path, max_kernels: int | None = None, preheat: int = 0,
                 max_pages_per_link: int | None = None) -> Server:
    """Seed a SQLite file in ``folder`` and start ``cop-widgets serve`` on it."""
    folder.mkdir()
    db_url = f"sqlite:///{folder / 'cop.db'}"
    store = Store(db_url)
    seeded = _seed(store)
    port = free_port()
    key = "facilitator-key-" + os.urandom(8).hex()
    env = dict(os.environ)
    env.pop("COP_WIDGETS_DB", None)
    env["COP_WIDGETS_FACILITATOR_KEY"] = key
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
               "--port", str(port), "--host", "127.0.0.1"]
    if max_kernels is not None:
        command += ["--max-kernels", str(max_kernels)]
    if preheat:
        command += ["--preheat", str(preheat)]
    if max_pages_per_link is not None:
        command += ["--max-pages-per-link", str(max_pages_per_link)]
    out, log = folder / "serve.stdout", folder / "serve.stderr"
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr,
                                   stdin=subprocess.DEVNULL, env=env,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", store, process, log, key, seeded)
    try:
        wait_for_http(f"{server.base_url}/", process, SERVER_START_TIMEOUT, log)
        printed = out.read_text()
        assert re.search(r"\?k=" + re.escape(key) + r"\b", printed), printed
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server) -> None:
    """Stop the server and its kernels; print its log if COP_WIDGETS_SHOW_SERVER_LOG is set."""
    stop_process_tree(server.process)
    server.store.close()
    if os.environ.get("COP_WIDGETS_SHOW_SERVER_LOG"):
        print(tail(server.log))


@pytest.fixture
def serving(tmp_path) -> Iterator:
    """``serving(max_kernels=None, preheat=0, max_pages_per_link=None)``: start a server;
    stopped at the test's end."""
    servers: list[Server] = []

    def start(max_kernels: int | None = None, preheat: int = 0,
              max_pages_per_link: int | None = None) -> Server:
        server = start_server(tmp_path / f"server{len(servers)}", max_kernels, preheat,
                              max_pages_per_link)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory) -> Iterator[Server]:
    """One server with the default options for a whole test module (see ``served``)."""
    server = start_server(tmp_path_factory.mktemp("shared") / "server")
    yield server
    stop_server(server)


@pytest.fixture
def served(shared_server: Server) -> Server:
    """The module's shared server; its :meth:`Server.kernels` are the ones this test started.

    The kernels already running (earlier tests') are set aside, so a test sees the server as
    if its own. Its tests only read: none changes what was seeded.
    """
    shared_server.earlier = {p.pid for p in shared_server.all_kernels()}
    return shared_server
