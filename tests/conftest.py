"""Shared fixtures: database URLs on both backends, a controllable clock, stores, seed data.

A fixture is named for what it gives, and each name means one thing everywhere: ``store`` is
always the backend-parametrised store below (a test that wants one SQLite file asks for
``sqlite_store``; a folder never redefines either). Plain functions the test files share
(widget-tree walks, ``refused``, ``responses_frame``, ``demo_store``, server processes...)
live in ``tests/helpers.py``, imported as ``from helpers import ...``.

Fixtures other test files rely on (keep their names and shapes stable):

``db_url``
    A fresh, empty database URL, parametrised ``sqlite`` / ``postgresql`` (test ids exactly
    those). SQLite is a file in ``tmp_path``; PostgreSQL is a uniquely named database created
    on the server for this test and dropped (``WITH (FORCE)``) afterwards. The postgresql
    param carries the ``postgres`` marker. The server comes from ``--db-url URL`` or
    ``$COP_WIDGETS_TEST_PG``; when none is configured or it does not answer, postgresql
    tests are skipped locally and FAIL when ``CI=true``.
``clock``
    A :class:`FakeClock`: frozen at the current second (UTC) until the test calls
    ``clock.advance(seconds)``; ``clock.now`` is the current aware datetime and calling the
    object returns it (it is the ``clock=`` argument of :class:`Store`).
``store``
    ``Store(db_url, clock=clock)``, migrated, closed at teardown.
``sqlite_store``
    ``Store("sqlite:///<tmp_path>/sqlite_store.db")`` with the real clock, closed at teardown:
    for tests that need one SQLite file whatever the backend (Pol.is imports, widgets).
``seeded``
    Data built through store verbs, as a :class:`types.SimpleNamespace` with
    ``development``, ``consultation`` (OPEN, scale likert5, no deadline), ``round`` (round 1),
    ``statements`` (3 accepted, in card order), ``members`` (3, with ``role`` and ``region``
    attributes), ``invitations`` (dict member_id -> Invitation) and ``tokens``
    (dict member_id -> invitation token).

Fixtures of one folder live in its own ``conftest.py``: ``polis_data`` (the four real Pol.is
conversations, ``tests/polis``), the facilitator's ``development`` and
``draft_consultation`` (``tests/facilitator``), and the live server and browser fixtures
(``tests/browser``). Module fixtures are named for what they hold, e.g. ``plain_export``,
``rich_export`` and ``french_export`` in ``tests/export/test_export.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import types
import uuid

import pytest
import sqlalchemy as sa
from helpers import in_ci

from cop_widgets import model as m
from cop_widgets.store import Store
from cop_widgets.store.engine import resolve_url

PG_ENV = "COP_WIDGETS_TEST_PG"

_pg_check: dict[str, tuple[str | None, str]] = {}


def pytest_addoption(parser):
    parser.addoption(
        "--db-url",
        action="store",
        default=None,
        metavar="URL",
        help=f"PostgreSQL server URL for the postgresql tests (default: ${PG_ENV})",
    )


def pytest_collection_modifyitems(config, items):
    """Group the tests for the two workers of ``scripts/test.sh`` (``--dist loadgroup``).

    The tests that start processes (browser tests, servers, kernels, many writers: marked
    ``browser`` or ``slow``, or under ``tests/browser/``) are one group, run one after the
    other on one worker: side by side they would share the two cores and stretch each
    other's waits (a CI run had a page load time out that way). Every other test stays with
    the tests of its file, on the other worker. Without xdist the mark does nothing.
    """
    for item in items:
        path = item.nodeid.split("::")[0]
        heavy = (item.get_closest_marker("browser") or item.get_closest_marker("slow")
                 or path.startswith("tests/browser/"))
        group = "processes" if heavy else path
        item.add_marker(pytest.mark.xdist_group(group))


def _pg_server(config) -> tuple[str | None, str]:
    """Return ``(server_url, "")`` if the PostgreSQL server answers, else ``(None, reason)``.

    Checked once per session, then cached.
    """
    if "result" in _pg_check:
        return _pg_check["result"]
    raw = config.getoption("--db-url") or os.environ.get(PG_ENV)
    if not raw:
        result = (None, f"no PostgreSQL server configured: pass --db-url URL or set {PG_ENV} "
                        "(bash scripts/start-postgres.sh prints one)")
    else:
        url = resolve_url(raw)
        try:
            engine = sa.create_engine(_admin_url(url), poolclass=sa.NullPool,
                                      connect_args={"connect_timeout": 5})
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
            finally:
                engine.dispose()
            result = (url, "")
        except Exception as exc:  # any failure to connect means "not available"
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            result = (None, f"PostgreSQL server {sa.make_url(url).render_as_string()} "
                            f"does not answer: {first_line}")
    _pg_check["result"] = result
    return result


def _admin_url(server_url: str) -> str:
    return sa.make_url(server_url).set(database="postgres").render_as_string(
        hide_password=False)


def _create_pg_database(server_url: str) -> tuple[str, sa.Engine, str]:
    name = f"cop_test_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_admin_url(server_url), isolation_level="AUTOCOMMIT",
                             poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return name, admin, url


def _drop_pg_database(admin: sa.Engine, name: str) -> None:
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=[
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
])
def db_url(request, tmp_path):
    """Yield the URL of a fresh, empty database on the parametrised backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/test.db"
        return
    server, reason = _pg_server(request.config)
    if server is None:
        if in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    name, admin, url = _create_pg_database(server)
    try:
        yield url
    finally:
        _drop_pg_database(admin, name)


class FakeClock:
    """A clock that stands still until told to move.

    Attributes
    ----------
    now : datetime.datetime
        The current aware UTC time.

    """

    def __init__(self, start: dt.datetime | None = None):
        start = start or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.now = start.astimezone(dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float = 0, **delta: float) -> dt.datetime:
        """Move forward by ``seconds`` (and/or ``timedelta`` keywords); return the new now."""
        self.now += dt.timedelta(seconds=seconds, **delta)
        return self.now


@pytest.fixture
def clock():
    """A :class:`FakeClock` frozen at the current second until ``advance`` is called."""
    return FakeClock()


@pytest.fixture
def store(db_url, clock):
    """A migrated ``Store(db_url, clock=clock)``, closed at teardown."""
    s = Store(db_url, clock=clock)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    """A fresh SQLite file store with the real clock, closed at teardown (one backend only)."""
    s = Store(f"sqlite:///{tmp_path}/sqlite_store.db")
    try:
        yield s
    finally:
        s.close()


MEMBERS = (
    ("Ana Alves", "ana@example.org", {"role": "teacher", "region": "north"}),
    ("Bo Berg", "bo@example.org", {"role": "researcher", "region": "south"}),
    ("Chidi Okafor", "", {"role": "teacher", "region": "south"}),
)
STATEMENTS = (
    "The policy should be phased in over two years.",
    "Members need training before the change.",
    "The change will reduce our workload.",
)


def seed(store: Store) -> types.SimpleNamespace:
    """Build the ``seeded`` namespace in ``store`` (see the module docstring)."""
    development = store.add_development(m.Development(
        "policy", "New assessment policy", summary="The ministry changes assessment.",
        source_url="https://example.org/policy", date="2026-01-10"))
    consultation = store.add_consultation(m.Consultation(
        development.id, "How should we respond to the assessment policy?", scale="likert5"))
    statements = store.add_statements(
        [m.Statement(consultation.id, text) for text in STATEMENTS])
    members = store.add_members(
        [m.Member(consultation.id, name, email, attrs) for name, email, attrs in MEMBERS])
    invitations, tokens = {}, {}
    for member in members:
        invitation, token = store.add_invitation(member.id)
        invitations[member.id] = invitation
        tokens[member.id] = token
    consultation = store.open_consultation(consultation.id)
    return types.SimpleNamespace(
        development=development,
        consultation=consultation,
        round=store.get_round(consultation.id),
        statements=statements,
        members=members,
        invitations=invitations,
        tokens=tokens,
    )


@pytest.fixture
def seeded(store):
    """An OPEN likert5 consultation with 3 accepted statements and 3 invited members.

    Returns a namespace with ``development``, ``consultation``, ``round``, ``statements``,
    ``members``, ``invitations`` (member_id -> Invitation) and ``tokens``
    (member_id -> token).
    """
    return seed(store)
