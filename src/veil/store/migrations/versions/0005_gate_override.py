"""gate override: the legal basis of each override decision

Revision ID: 0005_gate_override
Revises: 0003_incident
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_gate_override'
down_revision: str | None = '0003_incident'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('legal_basis', sa.String(length=80), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('legal_basis')
