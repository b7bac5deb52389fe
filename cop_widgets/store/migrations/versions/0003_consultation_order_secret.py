"""consultations.order_secret: the server-side secret that orders reasons

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:50:00

Reasons were listed in the order they were saved, so in an anonymous consultation the k-th
reason under every statement was the same member's. They are now shown in an order drawn
from a secret (HMAC-SHA256, ``cop_widgets.model.ordering``), one per consultation, kept in
the database only. Every existing consultation gets its own random secret here.

SQLite cannot make a column NOT NULL without rebuilding the table, and consultations is the
parent of most tables (a rebuild would trip the foreign keys inside the migration's
transaction): there the column is added NOT NULL with an empty default, which the store
never writes and refuses to order with. PostgreSQL adds it nullable, fills it and sets NOT
NULL, with no default.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SECRET_BYTES = 32


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column('consultations', sa.Column(
        'order_secret', sa.LargeBinary(), nullable=not sqlite,
        server_default=sa.text("X''") if sqlite else None))
    consultations = sa.table('consultations', sa.column('id', sa.Integer),
                             sa.column('order_secret', sa.LargeBinary))
    ids = bind.execute(sa.select(consultations.c.id)).scalars().all()
    for consultation_id in ids:  # one draw each: no two consultations share a secret
        bind.execute(consultations.update().where(consultations.c.id == consultation_id)
                     .values(order_secret=secrets.token_bytes(SECRET_BYTES)))
    if not sqlite:
        op.alter_column('consultations', 'order_secret', nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+ drops a plain column in place
        op.execute("ALTER TABLE consultations DROP COLUMN order_secret")
    else:
        op.drop_column('consultations', 'order_secret')
