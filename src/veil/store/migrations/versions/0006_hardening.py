"""hardening: publication commits (crash-safe publication)

Revision ID: 0006_hardening
Revises: 0005_gate_override
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import veil.store.base

revision: str = '0006_hardening'
down_revision: str | None = '0005_gate_override'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('publication_commits',
    sa.Column('journal_id', sa.String(length=64), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('journal_id', name=op.f('pk_publication_commits'))
    )
    with op.batch_alter_table('publication_commits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publication_commits_release_id'), ['release_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('publication_commits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_commits_release_id'))
    op.drop_table('publication_commits')
