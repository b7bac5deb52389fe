"""Helpers shared by the test files: one copy of each, imported as ``from helpers import ...``.

``tests/`` is on ``sys.path`` because pytest (its default ``prepend`` import mode) puts the
folder of the root ``tests/conftest.py`` there, as it does for ``tests/i18n/leftovers.py``.

* Widget trees: :func:`walk`, :func:`html_values`, :func:`html_of`.
* Facilitator widgets: :func:`upload_value`, :func:`token_of`, :func:`links_of`.
* Domain checks: :func:`refused` (a call refused with an error naming the field, by its
  code and/or a piece of its rule),
  :func:`responses_frame` (the analysis' responses frame from plain rows).
* Seeding: :func:`demo_store` (the demo consultation in a SQLite file),
  :func:`seed_consultation` (a small open consultation built by store verbs),
  :func:`open_consultation_for_writers` (statements and tokens for concurrent writers).
* Processes: :func:`in_ci`, :func:`free_port`, :func:`tail`, :func:`wait_for_http`,
  :func:`stop_process_tree`, for tests that start ``cop-widgets serve``.
* The member page in a browser (Playwright): :func:`member_statement`, :func:`choose`,
  :func:`member_message`; a page the server's gate refused: :data:`GATE_REFUSAL`,
  :func:`gate_refused`, :func:`status_of`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import socket
import subprocess
import time
import types
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import ipywidgets as w
import pandas as pd
import pytest

from cop_widgets import model as m
from cop_widgets.errors import CopWidgetsError, ValidationError
from cop_widgets.store import Store

# -- widget trees -------------------------------------------------------------------------------


def walk(widget) -> Iterator:
    """Yield ``widget`` and every widget below it, in order (hidden ones included)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def html_values(widget) -> list[str]:
    """Return the value of every HTML widget under ``widget``, in tree order."""
    return [x.value for x in walk(widget) if isinstance(x, (w.HTML, w.HTMLMath))]


def html_of(widget) -> str:
    """Return every HTML value under ``widget`` joined by new lines (for ``in`` checks)."""
    return "\n".join(html_values(widget))


# -- facilitator widgets --------------------------------------------------------------------------


def upload_value(text: str | bytes, name: str = "upload.csv") -> tuple[dict, ...]:
    """Return what an ipywidgets 8 FileUpload holds after the user chose a file."""
    content = text.encode("utf-8") if isinstance(text, str) else text
    return ({"name": name, "type": "text/csv", "size": len(content),
             "content": memoryview(content),
             "last_modified": dt.datetime.now(dt.timezone.utc)},)


def token_of(link: str) -> str:
    """Return the invitation token of a member link."""
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["t"][0]


def links_of(textarea_value: str) -> dict[str, str]:
    """Return ``{name: link}`` from the ``name,email,link`` lines of the links text area."""
    rows = list(csv.reader(io.StringIO(textarea_value)))
    assert rows[0] == ["name", "email", "link"]
    return {name: link for name, _email, link in rows[1:]}


# -- domain checks ------------------------------------------------------------------------------


def refused(field: str | None, rule: str | None, call, *,
            kind: type[Exception] = ValidationError, code: str | None = None) -> Exception:
    """Assert ``call()`` raises ``kind``; return the error.

    ``field`` (when given) is the field the error names; ``code`` (when given) is its code, a
    key of :data:`cop_widgets.error_codes.RULES` (the sturdy check: it survives rewording);
    ``rule`` (when given) is a piece of its English rule, for what the code alone does not
    pin (the parameters: ``"member 999"``, ``"at most 200"``). A :class:`ValidationError`
    read from no file must also say ``"<field>: <rule>"`` first.
    """
    with pytest.raises(kind) as info:
        call()
    err = info.value
    if field is not None:
        assert getattr(err, "field", None) == field, f"field of {err!r} is not {field!r}"
    if code is not None:
        assert getattr(err, "code", None) == code, f"code of {err!r} is not {code!r}"
    if rule is not None:
        words = err.rule if isinstance(err, CopWidgetsError) else str(err)
        assert rule in words, f"{rule!r} not in {words!r}"
    if isinstance(err, ValidationError) and err.place is None:
        assert str(err).startswith(f"{err.field}: {err.rule}"), str(err)
    return err


def responses_frame(rows, *, saved_at=None, **columns) -> pd.DataFrame:
    """The responses frame analysis reads, from ``(member_id, statement_id, stance)`` rows.

    ``stance`` is nullable ``Int64`` (``None`` is a pass); ``saved_at`` and any other
    keyword (``rationale=""``, ``revision=1``...) become columns, a scalar filling the column.
    """
    rows = list(rows)
    out = pd.DataFrame({
        "member_id": [r[0] for r in rows],
        "statement_id": [r[1] for r in rows],
        "stance": pd.array([r[2] for r in rows], dtype="Int64"),
    })
    for name, value in columns.items():
        out[name] = value
    if saved_at is not None:
        out["saved_at"] = saved_at
    return out


# -- seeding --------------------------------------------------------------------------------------


@contextmanager
def demo_store(folder: Path, **demo) -> Iterator[tuple[Store, object]]:
    """Yield ``(store, seeded)``: :func:`cop_widgets.demo.seed_demo` in ``folder/demo.db``.

    ``demo`` goes to ``seed_demo`` (``members``, ``silent``, ``anonymous``...). The store is
    closed on leaving; :func:`demo_url` gives its URL, for a process of its own.
    """
    from cop_widgets.demo import seed_demo

    store = Store(demo_url(folder))
    try:
        yield store, seed_demo(store, **demo)
    finally:
        store.close()


def demo_url(folder: Path) -> str:
    """The SQLite URL :func:`demo_store` writes to."""
    return f"sqlite:///{folder}/demo.db"


#: The three statements of :func:`seed_consultation`, in card order.
STATEMENTS = (
    "Our network should publish a joint statement before the end of term.",
    "Members need a half-day of training before the change.",
    "The change will reduce the time we spend on paperwork.",
)


def one_answered_statement(store: Store, consultation_id: int, text: str = "S",
                           stance: int = 4) -> m.Statement:
    """Add a statement to a draft consultation, open it, and have one member answer it."""
    [statement] = store.add_statements([m.Statement(consultation_id, text)])
    member = store.add_member(m.Member(consultation_id, "Ana"))
    _invitation, token = store.add_invitation(member.id)
    store.open_consultation(consultation_id)
    store.save_card(consultation_id, token, [{"statement_id": statement.id, "stance": stance}])
    return statement


def seed_consultation(store: Store, *, members: int = 3, title: str = "How do we respond?",
                      visibility: str = "after_submission") -> types.SimpleNamespace:
    """Add an OPEN likert5 consultation with the 3 ``STATEMENTS`` and ``members`` invited.

    Returns a namespace with ``consultation``, ``statements`` (card order), ``members`` and
    ``tokens`` (member_id -> token).
    """
    development = store.add_development(m.Development(
        "policy", "New assessment policy", summary="The ministry changes assessment.",
        source_url="https://example.org/policy", date="2026-01-10"))
    consultation = store.add_consultation(m.Consultation(
        development.id, title, scale="likert5", visibility=visibility))
    statements = store.add_statements([m.Statement(consultation.id, t) for t in STATEMENTS])
    roster = store.add_members([
        m.Member(consultation.id, f"Member {i + 1}",
                 attributes={"role": ("tutor", "coordinator")[i % 2]})
        for i in range(members)
    ])
    tokens = {member.id: store.add_invitation(member.id)[1] for member in roster}
    consultation = store.open_consultation(consultation.id)
    return types.SimpleNamespace(consultation=consultation, statements=statements,
                                 members=roster, tokens=tokens)


class Writers(NamedTuple):
    """What :func:`open_consultation_for_writers` made: unpack it or read it by name."""

    consultation: m.Consultation
    statement_ids: list[int]
    members: list[m.Member]
    tokens: dict[int, str]


def open_consultation_for_writers(store: Store, n_members: int, n_statements: int
                                  ) -> Writers:
    """Add an OPEN likert5 consultation for concurrent writers: ``n_statements`` accepted
    statements and ``n_members`` invited members (no attributes).

    ``tokens`` maps member_id -> invitation token, in roster order (``list(tokens.items())``
    gives ``(member_id, token)`` pairs).
    """
    dev = store.add_development(m.Development("policy", "Concurrent writers"))
    c = store.add_consultation(m.Consultation(dev.id, "Under load?"))
    statements = store.add_statements(
        [m.Statement(c.id, f"Statement {i}") for i in range(n_statements)])
    members = store.add_members([m.Member(c.id, f"Member {i}") for i in range(n_members)])
    invitations = store.add_invitations([mb.id for mb in members])
    tokens = {mb.id: token for mb, (_invitation, token) in zip(members, invitations,
                                                               strict=True)}
    return Writers(store.open_consultation(c.id), [s.id for s in statements], members, tokens)


# -- processes ------------------------------------------------------------------------------------


def in_ci() -> bool:
    """Whether ``CI=true``: then a missing server or browser fails instead of skipping."""
    return os.environ.get("CI", "").strip().lower() == "true"


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file, or ``(no log)``."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_for_http(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    """Wait until ``url`` answers over HTTP; fail with the server's log if it does not."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"cop-widgets serve exited with {process.returncode} before answering:"
                        f"\n{tail(log)}", pytrace=False)
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
            last = repr(exc)
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.25)
    pytest.fail(f"cop-widgets serve did not answer {url} within {timeout:.0f} s ({last}):\n"
                f"{tail(log)}", pytrace=False)


def stop_process_tree(process: subprocess.Popen, grace: float = 15.0) -> None:
    """Stop a server started with ``start_new_session=True``, and every kernel it started.

    Voila starts kernels in sessions of their own, so they are not in the server's process
    group: their ids are collected first, the group gets SIGTERM (Voila then shuts its
    kernels down), and whatever is left of the collected processes gets SIGKILL, by id.
    """
    try:
        import psutil  # a dependency of ipykernel

        descendants = psutil.Process(process.pid).children(recursive=True)
    except Exception:  # the server already exited, or psutil is unavailable
        descendants = []
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
    deadline = time.monotonic() + 5
    for child in descendants:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:
            try:
                child.kill()
            except Exception:
                pass


# -- the member page in a browser -----------------------------------------------------------------


#: The box of the page the server's gate answers with, before any kernel starts.
GATE_REFUSAL = "main [role=alert]"


def gate_refused(page) -> None:
    """``ready`` for a link the gate refuses: its page, which starts no kernel, is shown."""
    page.locator(GATE_REFUSAL).wait_for(state="visible")


def status_of(page) -> int:
    """The HTTP status of the page's document (Navigation Timing's ``responseStatus``)."""
    return page.evaluate("performance.getEntriesByType('navigation')[0].responseStatus")


def member_statement(page, index: int):
    """The row of statement ``index`` (0-based) on the member page."""
    return page.locator(".cop-member-page .cop-statement").nth(index)


def choose(page, index: int, label: str) -> None:
    """Click the radio label ``label`` of statement ``index`` (0-based); check it took."""
    import re

    from playwright.sync_api import expect

    row = member_statement(page, index)
    row.locator(".widget-radio-box > label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
    expect(row.get_by_role("radio", name=label, exact=True)).to_be_checked()


def member_message(page):
    """The member page's status message (thanks, refusals)."""
    return page.locator(".cop-member-page .cop-message")
