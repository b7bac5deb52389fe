"""Migration 0004 (drafts.shared_at, drafts.finalised_at), on both backends.

Every version saved before it was shown to the members when saved: the upgrade records
each as put to them at its ``created_at``, none as final, so members keep reading and
answering the version they had.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from cop_widgets.store import Store
from cop_widgets.store.engine import _alembic_config, current_revision, head, write_connection
from cop_widgets.store.schema import metadata


def test_0004_records_every_earlier_version_as_put_to_the_members(db_url):
    from alembic import command

    with Store(db_url, migrate=False) as s:
        s.migrate("0003")
        with s.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO developments (kind, title, summary, source_url, requester, "
                "questions, created_at) VALUES ('policy', 'Old', '', '', '', '[]', "
                "CURRENT_TIMESTAMP)"))
            conn.execute(sa.text(
                "INSERT INTO consultations (development_id, title, scale, anonymous, "
                "visibility, status, language, created_at, order_secret) VALUES (1, 'One', "
                "'likert5', TRUE, 'after_submission', 'open', 'en', CURRENT_TIMESTAMP, :s)"),
                {"s": b"x" * 32})
            for version, moment in ((1, "2026-11-30 10:00:00"), (2, "2026-12-01 09:30:00")):
                conn.execute(sa.text(
                    "INSERT INTO drafts (consultation_id, version, sections, created_at) "
                    "VALUES (1, :v, :sections, :at)"),
                    {"v": version, "sections": f'{{"consensus": "V{version}"}}', "at": moment})
        s.migrate()
        with s.engine.connect() as conn:
            assert current_revision(conn) == head()
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        drafts = s.list_drafts(1)
        assert [d.shared_at for d in drafts] == [d.created_at for d in drafts]
        assert [d.finalised_at for d in drafts] == [None, None]
        assert s.get_draft(1).version == 2  # the members keep the version they had
        assert s.get_endorsement_refusal(1, drafts[1].id) is None
        with write_connection(s.engine) as conn:
            command.downgrade(_alembic_config(conn), "0003")
        columns = {c["name"] for c in sa.inspect(s.engine).get_columns("drafts")}
        assert not columns & {"shared_at", "finalised_at"}
        with s.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM drafts")).scalar() == 2
