"""discussions, reason_impressions, reason_endorsements, reason_replies, stance_credits

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:00:00

The discussion phase (issue 13): members meet each other's reasons. A reason is addressed
by ``(statement_id, author_id)``; these tables record when the facilitator opened the
discussion and the groups taken then, which reasons were shown to whom (once each), the
"Speaks for me too" marks that stand, the replies (moderated), and the reasons credited
with a change of stance. New tables only: nothing existing changes, so no data moves.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{referred}.id'],
                                   name=op.f(f'fk_{table}_{column}_{referred}'))


def _reason_table(name: str, *items: sa.SchemaItem) -> None:
    """Create a table of rows about one reason, its consultation indexed."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        *items,
        _fk(name, 'consultation_id', 'consultations'),
        _fk(name, 'statement_id', 'statements'),
        _fk(name, 'author_id', 'members'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    )
    op.create_index(op.f(f'ix_{name}_consultation_id'), name, ['consultation_id'])


def upgrade() -> None:
    op.create_table(
        'discussions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', _WHEN, nullable=False),
        sa.Column('closed_at', _WHEN, nullable=True),
        sa.Column('groups', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('attribute', sa.String(length=60), nullable=False),
        sa.Column('apart', sa.JSON(), nullable=False),
        _fk('discussions', 'consultation_id', 'consultations'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_discussions')),
        sa.UniqueConstraint('consultation_id', name=op.f('uq_discussions_consultation_id')),
    )
    _reason_table(
        'reason_impressions',
        sa.Column('viewer_id', sa.Integer(), nullable=False),
        sa.Column('shown_at', _WHEN, nullable=False),
        _fk('reason_impressions', 'viewer_id', 'members'),
        sa.UniqueConstraint('statement_id', 'author_id', 'viewer_id',
                            name='uq_reason_impressions_reason_viewer'),
    )
    _reason_table(
        'reason_endorsements',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('created_at', _WHEN, nullable=False),
        _fk('reason_endorsements', 'member_id', 'members'),
        sa.UniqueConstraint('statement_id', 'author_id', 'member_id',
                            name='uq_reason_endorsements_reason_member'),
    )
    _reason_table(
        'reason_replies',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('moderation', sa.String(length=20), nullable=False),
        sa.Column('created_at', _WHEN, nullable=False),
        _fk('reason_replies', 'member_id', 'members'),
    )
    op.create_table(
        'stance_credits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', _WHEN, nullable=False),
        _fk('stance_credits', 'consultation_id', 'consultations'),
        _fk('stance_credits', 'member_id', 'members'),
        _fk('stance_credits', 'statement_id', 'statements'),
        _fk('stance_credits', 'author_id', 'members'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stance_credits')),
    )
    op.create_index(op.f('ix_stance_credits_consultation_id'), 'stance_credits',
                    ['consultation_id'])


def downgrade() -> None:
    for name in ('stance_credits', 'reason_replies', 'reason_endorsements',
                 'reason_impressions'):
        op.drop_index(op.f(f'ix_{name}_consultation_id'), table_name=name)
        op.drop_table(name)
    op.drop_table('discussions')
