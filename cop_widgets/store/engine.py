"""Engines, connection settings and migrations. The rest of the store calls in here."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = ["DEFAULT_FILE", "resolve_url", "sqlite_file", "shown_url", "make_engine",
           "write_connection", "migrate", "head", "HEAD", "stored_revision"]

#: The SQLite file used when neither an argument nor ``COP_WIDGETS_DB`` names a database.
DEFAULT_FILE = "cop-widgets.db"
MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest migration's revision, known without importing alembic (0.3 s of a cold
#: command's start): an opening that finds the database at this revision imports nothing
#: more. ``tests/store/test_migration_check.py`` fails when it differs from alembic's head.
HEAD = "0007"
_PG_MIGRATION_LOCK = 0x636F7077  # "copw": advisory lock key held while migrating
SQLITE_BUSY_TIMEOUT_MS = 30_000


def resolve_url(url: str | None = None) -> str:
    """Return the database URL: ``url``, else ``$COP_WIDGETS_DB``, else a SQLite file here.

    ``postgresql://`` URLs are sent through psycopg 3.
    """
    url = url or os.environ.get("COP_WIDGETS_DB") or f"sqlite:///{DEFAULT_FILE}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_file(url: str) -> Path | None:
    """Return the file a ``sqlite:///`` URL names (as written: relative or absolute).

    ``None`` for an in-memory SQLite database or another kind of database.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url:
        return None
    return Path(url[len(prefix):])


def shown_url(url: str) -> str:
    """Return ``url`` as it may be printed or shown: its password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and real transactions."""
    if url.startswith("sqlite"):
        # An in-memory database lives in one connection: share it, or each is a new one.
        memory = sa.make_url(url).database in (None, "", ":memory:")
        engine = sa.create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                          **({"check_same_thread": False} if memory else {})},
            poolclass=sa.StaticPool if memory else sa.NullPool,
        )

        @sa.event.listens_for(engine, "connect")
        def _configure(dbapi_connection, _record):  # pragma: no cover - trivial
            # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            _set_wal(cursor)
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection):
            # A writer takes the write lock up front, so two writers never deadlock on upgrade.
            write = conn.get_execution_options().get("cop_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)


def _set_wal(cursor: Any) -> None:
    """Switch a SQLite database to WAL (a lasting setting), retrying while it is locked.

    Several processes opening a new database at once race to switch it; the switch needs
    an exclusive lock and can fail at once with "database is locked" instead of waiting.
    """
    import sqlite3

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """Yield a connection inside one write transaction: committed on success, else rolled back."""
    with engine.connect().execution_options(cop_write=True) as conn:
        with conn.begin():
            yield conn


def _alembic_config(conn: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """Return the newest migration's revision id."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """Return the revision the database is at, or ``None`` for an empty database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def stored_revision(conn: Connection) -> str | None:
    """Return the revision recorded in ``alembic_version``, read with SQLAlchemy alone.

    ``None`` for a database without that table (empty) or without a row; a database with
    several rows (branches, which this project does not make) gives ``"+"``, which matches
    no revision, so the caller hands the question to alembic.
    """
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        return "+"
    return rows[0] if rows else None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``; safe to call from many processes at once.

    A database already at the newest revision (:data:`HEAD`) is recognised with one read
    and without importing alembic; alembic is imported only to upgrade, or to reach
    another ``revision``.
    """
    # Cheap check first: most openings find the schema current and take no lock.
    with engine.connect() as conn:
        if stored_revision(conn) == (HEAD if revision == "head" else revision):
            return
    from alembic import command

    target = head() if revision == "head" else revision
    with write_connection(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        if current_revision(conn) == target:
            return
        command.upgrade(_alembic_config(conn), target)
