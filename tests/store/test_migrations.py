"""Alembic migrations on SQLite and PostgreSQL: empty -> head, schema == metadata, concurrency."""

import multiprocessing

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cop_widgets.store import Store
from cop_widgets.store.engine import current_revision, head, make_engine
from cop_widgets.store.schema import metadata

TABLES = {"developments", "consultations", "rounds", "members", "invitations", "statements",
          "cards", "card_responses", "drafts", "endorsements",
          "discussions", "reason_impressions", "reason_endorsements", "reason_replies",
          "stance_credits", "outbox"}


def schema_diff(engine):
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def table_names(engine):
    return set(sa.inspect(engine).get_table_names())


def version_rows(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()


def test_metadata_lists_every_table():
    assert set(metadata.tables) == TABLES


def test_head_is_known():
    assert head() == "0007"


def test_empty_database_migrates_to_head_and_matches_metadata(db_url):
    engine = make_engine(db_url)
    try:
        assert table_names(engine) == set()
        with engine.connect() as conn:
            assert current_revision(conn) is None
    finally:
        engine.dispose()
    with Store(db_url) as s:
        with s.engine.connect() as conn:
            assert current_revision(conn) == head()
        assert table_names(s.engine) == TABLES | {"alembic_version"}
        assert schema_diff(s.engine) == []
        assert version_rows(s.engine) == [head()]


def snapshot(engine):
    inspector = sa.inspect(engine)
    return {
        name: ([(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
               sorted(ix["name"] for ix in inspector.get_indexes(name)))
        for name in sorted(inspector.get_table_names())
    }


def test_migrate_twice_is_a_no_op(db_url, monkeypatch):
    from alembic import command

    with Store(db_url) as s:
        before = snapshot(s.engine)

        def no_upgrade(*args, **kwargs):
            raise AssertionError("migrate() ran an upgrade on a current database")

        monkeypatch.setattr(command, "upgrade", no_upgrade)
        s.migrate()
        s.migrate("head")
        assert version_rows(s.engine) == [head()]
        assert snapshot(s.engine) == before
        assert schema_diff(s.engine) == []
    with Store(db_url) as again:  # opening a current database migrates nothing either
        assert version_rows(again.engine) == [head()]


def test_migrate_keeps_data(db_url):
    from cop_widgets import model as m

    with Store(db_url) as s:
        dev = s.add_development(m.Development("policy", "Kept"))
    with Store(db_url) as s:
        s.migrate()
        assert s.list_developments() == [dev]


def test_open_without_migrating_then_migrate(db_url):
    s = Store(db_url, migrate=False)
    try:
        assert table_names(s.engine) == set()
        with s.engine.connect() as conn:
            assert current_revision(conn) is None
        s.migrate()
        with s.engine.connect() as conn:
            assert current_revision(conn) == head()
        assert schema_diff(s.engine) == []
        assert s.list_developments() == []
    finally:
        s.close()


def test_migrations_downgrade_to_empty_and_back(db_url):
    from alembic import command

    from cop_widgets.store.engine import _alembic_config, write_connection

    with Store(db_url) as s:
        with write_connection(s.engine) as conn:
            command.downgrade(_alembic_config(conn), "base")
        assert table_names(s.engine) <= {"alembic_version"}
        s.migrate()
        assert schema_diff(s.engine) == []
        assert version_rows(s.engine) == [head()]


# -- concurrent first opening -------------------------------------------------------------------


def open_store(url, barrier):
    """Worker: wait for the others, then open (and so migrate) the store at ``url``."""
    barrier.wait(timeout=60)
    with Store(url) as s:
        with s.engine.connect() as conn:
            return current_revision(conn)


@pytest.mark.slow
def test_concurrent_first_opening(db_url):
    ctx = multiprocessing.get_context("spawn")
    n = 4
    with ctx.Manager() as manager:
        barrier = manager.Barrier(n)
        with ctx.Pool(n) as pool:
            results = [pool.apply_async(open_store, (db_url, barrier)) for _ in range(n)]
            revisions = [r.get(timeout=120) for r in results]
    assert revisions == [head()] * n
    engine = make_engine(db_url)
    try:
        assert version_rows(engine) == [head()]
        assert table_names(engine) == TABLES | {"alembic_version"}
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


# -- 0002: card_responses WITHOUT ROWID on SQLite -------------------------------------------


def card_responses_rows(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT card_id, statement_id, stance, rationale FROM card_responses "
            "ORDER BY card_id, statement_id")).all()


def card_responses_ddl(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE name = 'card_responses'")).scalar_one()


def test_0002_keeps_every_answer_both_ways(db_url):
    """Answers written under 0001 survive the upgrade to 0002 and the downgrade back."""
    from alembic import command

    from cop_widgets.store.engine import _alembic_config, write_connection
    from tests.conftest import seed

    with Store(db_url) as s:
        data = seed(s)
        cid = data.consultation.id
        for i, member in enumerate(data.members):
            s.save_card(cid, data.tokens[member.id], [
                {"statement_id": st.id, "stance": None if i == j else 1 + (i + j) % 5,
                 "rationale": f"reason {i}-{j} <b>"}
                for j, st in enumerate(data.statements)],
                status="submitted" if i else "draft")
        before = card_responses_rows(s.engine)
        assert len(before) >= 4 and any(r.rationale for r in before)
        with write_connection(s.engine) as conn:
            command.downgrade(_alembic_config(conn), "0001")
        assert card_responses_rows(s.engine) == before
        if s.engine.dialect.name == "sqlite":
            assert "WITHOUT ROWID" not in card_responses_ddl(s.engine).upper()
        s.migrate()
        assert version_rows(s.engine) == [head()]
        assert card_responses_rows(s.engine) == before
        assert schema_diff(s.engine) == []
        if s.engine.dialect.name == "sqlite":
            assert "WITHOUT ROWID" in card_responses_ddl(s.engine).upper()
            with s.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


# -- 0003: consultations.order_secret ---------------------------------------------------------


def test_0003_draws_a_secret_for_every_existing_consultation(db_url):
    """Consultations made under 0002 each get their own random secret on upgrade."""
    from cop_widgets import model as m

    with Store(db_url, migrate=False) as s:
        s.migrate("0002")
        with s.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO developments (kind, title, summary, source_url, requester, "
                "questions, created_at) VALUES ('policy', 'Old', '', '', '', '[]', "
                "CURRENT_TIMESTAMP)"))
            for title in ("One", "Two", "Three"):
                conn.execute(sa.text(
                    "INSERT INTO consultations (development_id, title, scale, anonymous, "
                    "visibility, status, language, created_at) VALUES (1, :title, 'likert5', "
                    "TRUE, 'after_submission', 'draft', 'en', CURRENT_TIMESTAMP)"),
                    {"title": title})
            conn.execute(sa.text("INSERT INTO rounds (consultation_id, number, opened_at) "
                                 "SELECT id, 1, CURRENT_TIMESTAMP FROM consultations"))
        s.migrate()
        assert version_rows(s.engine) == [head()]
        assert schema_diff(s.engine) == []
        with s.engine.connect() as conn:
            secrets = [bytes(v) for v in conn.execute(sa.text(
                "SELECT order_secret FROM consultations ORDER BY id")).scalars()]
        assert len(secrets) == 3 and all(len(v) == 32 for v in secrets)
        assert len(set(secrets)) == 3
        # the store reads them: an old consultation's reasons can be ordered
        assert [c.title for c in s.list_consultations()] == ["One", "Two", "Three"]
        assert s.list_rationales(1) == {}
        # and a consultation made after the upgrade draws one of its own
        made = s.add_consultation(m.Consultation(1, "Four"))
        with s.engine.connect() as conn:
            fourth = conn.execute(sa.text("SELECT order_secret FROM consultations "
                                          "WHERE id = :id"), {"id": made.id}).scalar_one()
        assert len(fourth) == 32 and bytes(fourth) not in secrets
