"""outbox

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:00:00

Invitations and reminders by email (issue 14): the outbox, one row per message, written in
the same transaction as the link it carries and delivered by ``services.mailing``. A new
table only: nothing existing changes, so no data moves.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _fk(column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{referred}.id'],
                                   name=op.f(f'fk_outbox_{column}_{referred}'))


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('token', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', _WHEN, nullable=False),
        sa.Column('claimed_at', _WHEN, nullable=True),
        sa.Column('done_at', _WHEN, nullable=True),
        sa.Column('reply_code', sa.Integer(), nullable=True),
        sa.Column('reply', sa.Text(), nullable=False),
        _fk('consultation_id', 'consultations'),
        _fk('member_id', 'members'),
        _fk('invitation_id', 'invitations'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index(op.f('ix_outbox_member_id'), 'outbox', ['member_id'])
    op.create_index('ix_outbox_consultation_status', 'outbox', ['consultation_id', 'status'])


def downgrade() -> None:
    op.drop_index('ix_outbox_consultation_status', table_name='outbox')
    op.drop_index(op.f('ix_outbox_member_id'), table_name='outbox')
    op.drop_table('outbox')
