"""initial schema: accounts, releases, scans, decisions, publications, audit

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 18:22:33.496678
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import veil.store.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_log_seq'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_created'), ['created'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_event'), ['event'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', veil.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('target_path', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('submitter_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submitter_id'], ['users.id'],
                            name=op.f('fk_releases_submitter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases'))
    )
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.create_index('ix_releases_created_id', ['created', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_releases_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_releases_submitter_id'), ['submitter_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_user_roles_user_id'))
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_roles_user_id'), ['user_id'], unique=False)

    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_web_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_sessions_token_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'],
                            name=op.f('fk_decisions_release_id_releases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_decisions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_release_id'), ['release_id'], unique=False)

    op.create_table('release_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'],
                            name=op.f('fk_release_files_release_id_releases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'],
                            name=op.f('fk_release_files_uploader_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_files')),
    sa.UniqueConstraint('release_id', 'name', 'version', name=op.f('uq_release_files_release_id'))
    )
    with op.batch_alter_table('release_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_files_release_id'), ['release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_files_sha256'), ['sha256'], unique=False)

    op.create_table('decision_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'],
                            name=op.f('fk_decision_files_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['release_files.id'],
                            name=op.f('fk_decision_files_file_id_release_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_files'))
    )
    with op.batch_alter_table('decision_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_files_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_files_file_id'), ['file_id'], unique=False)

    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('site', sa.String(length=500), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('publisher_id', sa.Integer(), nullable=False),
    sa.Column('published', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn', veil.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['release_files.id'],
                            name=op.f('fk_publications_file_id_release_files')),
    sa.ForeignKeyConstraint(['publisher_id'], ['users.id'],
                            name=op.f('fk_publications_publisher_id_users')),
    sa.ForeignKeyConstraint(['release_id'], ['releases.id'],
                            name=op.f('fk_publications_release_id_releases')),
    sa.ForeignKeyConstraint(['withdrawn_by'], ['users.id'],
                            name=op.f('fk_publications_withdrawn_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_file_id'), ['file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publications_release_id'), ['release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_publications_sha256'), ['sha256'], unique=False)

    op.create_table('scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('lease_expires', veil.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('scanner_version', sa.String(length=40), nullable=False),
    sa.Column('policy_version', sa.String(length=80), nullable=False),
    sa.Column('created', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished', veil.store.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['release_files.id'],
                            name=op.f('fk_scans_file_id_release_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scans'))
    )
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scans_file_id'), ['file_id'], unique=False)
        batch_op.create_index('ix_scans_status_id', ['status', 'id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('effect', sa.String(length=20), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.Column('visibility', sa.String(length=60), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('detector', sa.String(length=60), nullable=False),
    sa.Column('samples', sa.JSON(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['scan_id'], ['scans.id'],
                            name=op.f('fk_findings_scan_id_scans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_scan_id'), ['scan_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_scan_id'))

    op.drop_table('findings')
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_index('ix_scans_status_id')
        batch_op.drop_index(batch_op.f('ix_scans_file_id'))

    op.drop_table('scans')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_sha256'))
        batch_op.drop_index(batch_op.f('ix_publications_release_id'))
        batch_op.drop_index(batch_op.f('ix_publications_file_id'))

    op.drop_table('publications')
    with op.batch_alter_table('decision_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_files_file_id'))
        batch_op.drop_index(batch_op.f('ix_decision_files_decision_id'))

    op.drop_table('decision_files')
    with op.batch_alter_table('release_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_files_sha256'))
        batch_op.drop_index(batch_op.f('ix_release_files_release_id'))

    op.drop_table('release_files')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_release_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))

    op.drop_table('web_sessions')
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_roles_user_id'))

    op.drop_table('user_roles')
    with op.batch_alter_table('releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_releases_submitter_id'))
        batch_op.drop_index(batch_op.f('ix_releases_status'))
        batch_op.drop_index('ix_releases_created_id')

    op.drop_table('releases')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_event'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor'))

    op.drop_table('audit_log')
    op.drop_table('audit_head')

