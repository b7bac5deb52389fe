"""Browser tests: a real ``cop-widgets serve`` (Voila) driven by Debian's chromium.

Fixtures
--------
``live``
    Session-wide. A SQLite file in a temporary folder, seeded through store verbs, served by
    ``python -m cop_widgets.cli serve`` on a free loopback port. A namespace with
    ``base_url``, ``db_url``, ``store`` (a :class:`Store` on the same file, for seeding and
    checking), ``seeded`` (one open consultation, see :func:`helpers.seed_consultation`) and
    ``log`` (path of the server's stderr).
``make_consultation``
    ``make_consultation(members=3, ...)``: a fresh OPEN consultation in the live database
    (see :func:`helpers.seed_consultation`). Tests that count cards use their own: the server reads
    the database on every page load, so a consultation added while it runs is served at once.
``browser``
    Session-wide Playwright chromium (``$COP_WIDGETS_CHROMIUM``, default
    ``/usr/bin/chromium``). Missing browser: skipped locally, failed under ``CI=true``.
``open_page``
    ``open_page(url, ready=...)`` opens ``url`` in a NEW browser context and returns a
    :class:`Visit` recording every request, web socket, console error, page error and
    dialog. The browser's proxy is a closed loopback port that loopback bypasses, so a
    non-loopback request is recorded and fails without leaving the machine. At the end of
    the test each visit is closed and checked: no request may have left loopback.
``rendered``
    :func:`wait_rendered`: ``rendered(page)`` waits for the member or results page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import free_port, in_ci, seed_consultation, stop_process_tree, wait_for_http

from cop_widgets.links import member_link, results_link
from cop_widgets.store import Store

CHROMIUM_ENV = "COP_WIDGETS_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER_START_TIMEOUT = 60.0
#: Playwright's default wait for one step (a kernel start on 2 busy cores can take a while).
STEP_TIMEOUT_MS = 60_000
#: How long a page that left stays open so that Voila's shutdown beacon can go out.
UNLOAD_GRACE_MS = 500
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}

def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


# -- the server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live(chromium_executable, tmp_path_factory) -> Iterator[types.SimpleNamespace]:
    """Seed a SQLite file, run ``cop-widgets serve`` on it, yield where and what."""
    folder = tmp_path_factory.mktemp("live")
    db_url = f"sqlite:///{folder / 'cop.db'}"
    store = Store(db_url)
    seeded = seed_consultation(store, members=6, title="The shared consultation")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    out, log = folder / "serve.stdout", folder / "serve.stderr"
    env = dict(os.environ)
    env.pop("COP_WIDGETS_DB", None)
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    env["PYTHONUNBUFFERED"] = "1"
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
             "--port", str(port), "--host", "127.0.0.1"],
            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )
    try:
        wait_for_http(f"{base_url}/", process, SERVER_START_TIMEOUT, log)
        yield types.SimpleNamespace(
            base_url=base_url, db_url=db_url, store=store, seeded=seeded, log=log,
            stdout=out, process=process,
            member_link=lambda cid, token: member_link(base_url, cid, token),
            results_link=lambda cid: results_link(base_url, cid),
        )
    finally:
        stop_process_tree(process)
        store.close()


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Path of Debian's chromium; skip (fail under ``CI=true``) when it or Playwright is missing.

    Checked before the server starts, so a machine without a browser does not pay for it.
    """
    executable = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
        found = shutil.which(executable)
        if not found:
            _unavailable(f"no chromium at {executable} (set ${CHROMIUM_ENV}; "
                         "install Debian's chromium, never `playwright install`)")
        executable = found
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc})")
    return executable


@pytest.fixture(scope="session")
def browser(chromium_executable):
    """Chromium from Debian, driven by Playwright's sync API (never downloaded)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable
    manager = sync_playwright().start()
    try:
        instance = manager.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                           proxy=dead_end_proxy())
    except Exception as exc:
        manager.stop()
        _unavailable(f"chromium at {executable} does not start: {exc}")
    try:
        yield instance
    finally:
        instance.close()
        manager.stop()


def dead_end_proxy() -> dict[str, str]:
    """A proxy setting that sends every non-loopback request to a closed loopback port.

    Such a request is still seen (and recorded) by the page, then fails at once: nothing
    leaves the machine, and no request interception slows the pages down (Playwright's
    ``route`` would, and it also drops the beacon Voila sends when a page unloads).
    """
    return {"server": f"http://127.0.0.1:{free_port()}", "bypass": "127.0.0.1,localhost,[::1]"}


def is_loopback(url: str) -> bool:
    """Whether ``url`` stays on this machine (loopback host, or no network at all)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOOPBACK_HOSTS


@dataclass
class Visit:
    """One page in its own browser context, with everything it did recorded."""

    context: object
    page: object
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    closed: bool = False

    def non_loopback(self) -> list[str]:
        return sorted({u for u in self.requests + self.websockets + self.blocked
                       if not is_loopback(u)})

    def assert_loopback_only(self) -> None:
        assert self.requests, "the page made no request at all"
        outside = self.non_loopback()
        assert not outside, f"requests left loopback (CDN?): {outside}"

    def close(self) -> None:
        """Leave the page (Voila shuts its kernel down on unload), then the context."""
        if self.closed:
            return
        self.closed = True
        try:
            self.page.goto("about:blank", timeout=10_000)
            if self.websockets:
                # Voila's unload handler sends a beacon; closing the context at once
                # would cancel it before it reaches the server.
                self.page.wait_for_timeout(UNLOAD_GRACE_MS)
        except Exception:
            pass
        self.context.close()


def wait_rendered(page, root: str = ".cop-member-page, .cop-results-page",
                  timeout: float = STEP_TIMEOUT_MS) -> None:
    """Wait until the page's root widget is rendered and settled.

    The member page with a form is ready when its first radio button is visible; a
    refusal or the results page when the root widget is.
    """
    page.locator(root).first.wait_for(state="visible", timeout=timeout)
    if page.locator(".cop-member-page .cop-card").count():
        page.locator(".cop-statement input[type=radio]").first.wait_for(
            state="visible", timeout=timeout)


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Visit]]:
    """Open URLs in fresh browser contexts; check them all at the end of the test."""
    visits: list[Visit] = []

    def _open(url: str, *, ready: Callable | None = wait_rendered, navigate: bool = True,
              wait_until: str = "load") -> Visit:
        context = browser.new_context()
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        visit = Visit(context, page)
        visits.append(visit)

        context.on("request", lambda r: visit.requests.append(r.url))
        context.on("requestfailed", lambda r: visit.blocked.append(r.url)
                   if not is_loopback(r.url) else None)
        page.on("websocket", lambda ws: visit.websockets.append(ws.url))
        page.on("console", lambda msg: visit.console_errors.append(
            f"{msg.text} @ {msg.location}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))

        def _dialog(dialog) -> None:
            visit.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", _dialog)
        if navigate:
            page.goto(url, wait_until=wait_until)
            if ready is not None:
                ready(page)
        return visit

    yield _open
    problems = []
    for visit in visits:
        url = visit.requests[0] if visit.requests else "(no request)"
        try:
            visit.close()
        except Exception as exc:  # a context that is already gone
            problems.append(f"{url}: closing its context failed: {exc!r}")
        outside = visit.non_loopback()
        if outside:
            problems.append(f"{url}: requests left loopback: {outside}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def rendered() -> Callable[..., None]:
    """:func:`wait_rendered`, for tests (``rendered(page)``, ``rendered(page, root)``)."""
    return wait_rendered


@pytest.fixture
def make_consultation(live) -> Callable[..., types.SimpleNamespace]:
    """``make_consultation(members=3, ...)``: a fresh open consultation in the live database."""
    return lambda **kwargs: seed_consultation(live.store, **kwargs)
