"""Opening a current database checks its revision without alembic; an old one still migrates."""

import json
import subprocess
import sys

import sqlalchemy as sa

from cop_widgets.store import Store
from cop_widgets.store.engine import HEAD, head, make_engine, migrate, stored_revision

# Opens an existing database as every command does, then reports what it imported.
OPEN_AND_REPORT = """
import json, sys
from cop_widgets.store import Store
with Store(sys.argv[1], existing=True) as store:
    store.list_developments()
print(json.dumps(sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic."))))
"""


def imported_alembic_modules(url: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", OPEN_AND_REPORT, url], capture_output=True,
                            text=True, timeout=120, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_head_constant_is_alembics_head():
    # HEAD lets a current database skip alembic; a migration added without moving it would
    # leave every database that reached the previous head without the new migration.
    assert HEAD == head()


def test_stored_revision_reads_alembic_version(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert stored_revision(conn) is None  # empty database: no alembic_version
        migrate(engine, "0005")
        with engine.connect() as conn:
            assert stored_revision(conn) == "0005"
        migrate(engine)
        with engine.connect() as conn:
            assert stored_revision(conn) == HEAD
    finally:
        engine.dispose()


def test_current_database_opens_without_importing_alembic(db_url):
    with Store(db_url):  # created and migrated to head here
        pass
    assert imported_alembic_modules(db_url) == []


def test_older_database_is_migrated_on_opening(db_url):
    # the fast path must not take "has an alembic_version" for "is current"
    with Store(db_url, migrate=False) as s:
        s.migrate("0006")
    with Store(db_url) as s:
        with s.engine.connect() as conn:
            assert stored_revision(conn) == HEAD
            columns = {c["name"] for c in sa.inspect(conn).get_columns("consultations")}
    assert "receipts" in columns  # added by 0007
    assert imported_alembic_modules(db_url) == []
