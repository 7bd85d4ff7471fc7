"""finding cells: a small-cells finding keeps the cells it flagged, so the gate shows what `veil check` shows

Revision ID: 0007_finding_cells
Revises: 0004_one_incident
Create Date: 2026-12-07 15:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_finding_cells"
down_revision: str | None = "0004_one_incident"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cells", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("cells")
