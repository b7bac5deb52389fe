"""receipts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 12:00:00

A consultation may send each member a receipt by email when they submit a card (issue 14):
one boolean column, false for every existing consultation (receipts are off by default).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN on both backends: SQLite's table copy would trip its foreign keys
    op.add_column('consultations', sa.Column('receipts', sa.Boolean(), nullable=False,
                                             server_default=sa.false()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+ drops a plain column in place
        op.execute("ALTER TABLE consultations DROP COLUMN receipts")
    else:
        op.drop_column('consultations', 'receipts')
