"""drafts.shared_at and drafts.finalised_at: the joint response's steps

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 04:30:00

A saved version of the joint response was shown to the members at once. A version is now
saved privately, put to the members (``shared_at``: endorsement opens on it) and the one
put to them finalised (``finalised_at``: its answers frozen). Every version saved before
this migration was shown to the members when it was saved, so each is recorded as put to
them at its ``created_at``; none is final, since nothing could finalise one.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('drafts', sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('drafts', sa.Column('finalised_at', sa.DateTime(timezone=True),
                                      nullable=True))
    drafts = sa.table('drafts', sa.column('created_at', sa.DateTime(timezone=True)),
                      sa.column('shared_at', sa.DateTime(timezone=True)))
    op.get_bind().execute(drafts.update().values(shared_at=drafts.c.created_at))


def downgrade() -> None:
    for column in ('finalised_at', 'shared_at'):
        if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+ drops a plain column
            op.execute(f"ALTER TABLE drafts DROP COLUMN {column}")
        else:
            op.drop_column('drafts', column)
