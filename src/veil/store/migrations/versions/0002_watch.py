"""watch: sweep runs, incidents, external reports

Revision ID: 0002_watch
Revises: 0001
Create Date: 2026-11-23 19:08:01.251472
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import veil.store.base

revision: str = '0002_watch'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sweep_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=1000), nullable=False),
    sa.Column('started', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('files', sa.Integer(), nullable=False),
    sa.Column('scanned', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Integer(), nullable=False),
    sa.Column('taken_down', sa.Integer(), nullable=False),
    sa.Column('scanner_version', sa.String(length=40), nullable=False),
    sa.Column('policy_version', sa.String(length=80), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep_runs'))
    )
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sweep_runs_started'), ['started'], unique=False)

    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('opened', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=500), nullable=False),
    sa.Column('public_path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('finding_kinds', sa.JSON(), nullable=False),
    sa.Column('quarantine_path', sa.String(length=1000), nullable=False),
    sa.Column('exposure_start', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('exposure_start_source', sa.String(length=20), nullable=False),
    sa.Column('taken_down', veil.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('publication_id', sa.Integer(), nullable=True),
    sa.Column('sweep_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'],
                            name=op.f('fk_incidents_publication_id_publications')),
    sa.ForeignKeyConstraint(['sweep_run_id'], ['sweep_runs.id'], name=op.f('fk_incidents_sweep_run_id_sweep_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incidents_sha256'), ['sha256'], unique=False)
        batch_op.create_index('ix_incidents_status_id', ['status', 'id'], unique=False)

    op.create_table('external_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('public_path', sa.String(length=1000), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=320), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_external_reports_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_reports')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_external_reports_token_hash'))
    )
    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_reports_created'), ['created'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_reports_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_reports_status'))
        batch_op.drop_index(batch_op.f('ix_external_reports_created'))

    op.drop_table('external_reports')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_status_id')
        batch_op.drop_index(batch_op.f('ix_incidents_sha256'))

    op.drop_table('incidents')
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweep_runs_started'))

    op.drop_table('sweep_runs')
