"""one incident: the sweeper's `incidents` rows merged into `ir_incidents` / `ir_exposed_files`

Every watch incident becomes (or joins) a response incident for the same bytes: rows of the same sha256 join one
incident (the duplicates `sync_watch_incidents` used to open are folded into the first one when nothing was done in
them yet), the sweeper's facts (site, verdict, reasons, quarantine, publication, first sighting) move to the exposed
file, external reports point at the merged incident, and the `incidents` table is dropped. Also: the exposure
evidence of each exposed file, the oversight determination, status history, and notices that wait for a template.

Revision ID: 0004_one_incident
Revises: 0006_hardening
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import veil.store.base

revision: str = '0004_one_incident'
down_revision: str | None = '0006_hardening'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Child tables of an incident that mean work was done in it (a shell has none of these).
_WORK = ("ir_affected", "ir_review_items", "ir_access_requests", "ir_tasks", "ir_disclosures")


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def upgrade() -> None:
    # Columns are added in place (no table rebuild): on SQLite a rebuild of a table other tables refer to would
    # delete their rows through ON DELETE CASCADE.
    for column in (
        sa.Column('locations', sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column('exposure_start_source', sa.String(length=20), nullable=False, server_default='manual'),
        sa.Column('evidence', sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
        sa.Column('end_source', sa.String(length=20), nullable=False, server_default=''),
        sa.Column('rows', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('site', sa.String(length=500), nullable=False, server_default=''),
        sa.Column('verdict', sa.String(length=20), nullable=False, server_default=''),
        sa.Column('reasons', sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column('finding_kinds', sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column('quarantine_path', sa.String(length=1000), nullable=False, server_default=''),
        sa.Column('local_path', sa.String(length=2000), nullable=False, server_default=''),
    ):
        op.add_column('ir_exposed_files', column)
    for key, parent in (('publication_id', 'publications'), ('sweep_run_id', 'sweep_runs')):
        name = f'fk_ir_exposed_files_{key}_{parent}'
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(sa.text(f'ALTER TABLE ir_exposed_files ADD COLUMN {key} INTEGER '
                               f'CONSTRAINT {name} REFERENCES {parent} (id)'))
        else:
            op.add_column('ir_exposed_files', sa.Column(key, sa.Integer(), nullable=True))
            op.create_foreign_key(name, 'ir_exposed_files', parent, [key], ['id'])
    op.add_column('ir_incidents', sa.Column('oversight_required', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.add_column('ir_incidents', sa.Column('oversight_basis', sa.String(length=300), nullable=False,
                                            server_default=''))
    op.add_column('ir_incidents', sa.Column('oversight_set_by', sa.String(length=64), nullable=False,
                                            server_default=''))
    op.add_column('ir_notifications', sa.Column('address_kind', sa.String(length=20), nullable=False,
                                                server_default=''))
    op.add_column('ir_notifications', sa.Column('waiting_reason', sa.String(length=200), nullable=False,
                                                server_default=''))
    op.create_table('ir_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('affected_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('at', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded', veil.store.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['affected_id'], ['ir_affected.id'],
        name=op.f('fk_ir_status_history_affected_id_ir_affected'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ir_status_history'))
    )
    with op.batch_alter_table('ir_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ir_status_history_affected_id'), ['affected_id'], unique=False)

    mapping = _merge_watch_incidents(op.get_bind())

    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.drop_constraint('fk_external_reports_incident_id_incidents', type_='foreignkey')
    bind = op.get_bind()
    reports = sa.table('external_reports', sa.column('id', sa.Integer), sa.column('incident_id', sa.Integer))
    for report_id, watch_id in bind.execute(sa.select(reports.c.id, reports.c.incident_id)
                                            .where(reports.c.incident_id.is_not(None))).all():
        bind.execute(reports.update().where(reports.c.id == report_id)
                     .values(incident_id=mapping.get(watch_id)))
    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_external_reports_incident_id_ir_incidents'), 'ir_incidents',
                                    ['incident_id'], ['id'])
    op.drop_index('ix_ir_incidents_watch_incident_id', table_name='ir_incidents')
    if bind.dialect.name == 'sqlite':
        op.execute(sa.text('ALTER TABLE ir_incidents DROP COLUMN watch_incident_id'))  # in place, as above
    else:
        op.drop_column('ir_incidents', 'watch_incident_id')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_status_id')
        batch_op.drop_index('ix_incidents_sha256')
    op.drop_table('incidents')


def _merge_watch_incidents(bind: sa.Connection) -> dict[int, int]:
    """Carry every watch incident into the one incident table; returns watch id -> incident id."""
    meta = sa.MetaData()
    watch = sa.Table('incidents', meta, autoload_with=bind)
    incidents = sa.Table('ir_incidents', meta, autoload_with=bind)
    files = sa.Table('ir_exposed_files', meta, autoload_with=bind)
    timeline = sa.Table('ir_timeline', meta, autoload_with=bind)
    mapping: dict[int, int] = {}
    by_sha: dict[str, int] = {}  # the incident that holds each sha256 (the first one)
    for incident_id, sha in bind.execute(sa.select(files.c.incident_id, files.c.sha256)
                                         .order_by(files.c.incident_id)).all():
        by_sha.setdefault(sha, incident_id)
    own = dict(bind.execute(sa.select(incidents.c.watch_incident_id, incidents.c.id)
                            .where(incidents.c.watch_incident_id.is_not(None))).all())
    now = datetime.now(UTC)
    for row in bind.execute(sa.select(watch).order_by(watch.c.id)).mappings().all():
        opened, start = _aware(row['opened']) or now, _aware(row['exposure_start']) or now
        taken_down = _aware(row['taken_down'])
        keeper = by_sha.get(row['sha256'])
        mine = own.get(row['id'])
        if keeper is not None and mine is not None and mine != keeper and _is_shell(bind, meta, mine):
            # A duplicate opened for the same bytes: fold its timeline into the first incident and drop it.
            bind.execute(timeline.update().where(timeline.c.incident_id == mine).values(incident_id=keeper))
            bind.execute(timeline.insert().values(incident_id=keeper, at=now, kind='merged', actor='migration',
                                                  text=f'incident {mine} (same file) merged into this one'))
            bind.execute(files.delete().where(files.c.incident_id == mine))
            bind.execute(incidents.delete().where(incidents.c.id == mine))
            target = keeper
        elif mine is not None:
            target = mine
        elif keeper is not None:
            target = keeper
        else:
            target = bind.execute(incidents.insert().values(  # type: ignore[index]
                title=f"Exposed file {row['public_path']}"[:200],
                opened_by='takedown' if taken_down else row['source'] if row['source'] in ('sweep', 'report')
                else 'sweep',
                discovered=taken_down or opened, created=opened, reporter='veil watch', channel='sweep',
                status='open' if row['status'] == 'open' else 'closed', severity='high', major=False,
                major_reason='', risk={}, centre_reference='', deadlines_recorded=[],
                oversight_required=False, oversight_basis='', oversight_set_by='',
                closed=None if row['status'] == 'open' else now)).inserted_primary_key[0]
            bind.execute(timeline.insert().values(incident_id=target, at=taken_down or opened, kind='discovered',
                                                  text=f"discovered ({row['source']})", actor='sweeper'))
        by_sha.setdefault(row['sha256'], target)
        mapping[row['id']] = target
        _carry_file(bind, files, target, row, start, taken_down)
    return mapping


def _is_shell(bind: sa.Connection, meta: sa.MetaData, incident_id: int) -> bool:
    for name in _WORK:
        table = sa.Table(name, meta, autoload_with=bind)
        if bind.execute(sa.select(sa.func.count()).select_from(table)
                        .where(table.c.incident_id == incident_id)).scalar():
            return False
    return True


def _carry_file(bind: sa.Connection, files: sa.Table, incident_id: int, row: Any, start: datetime,
                taken_down: datetime | None) -> None:
    source = row['exposure_start_source'] if row['exposure_start_source'] in ('publication', 'first-seen') \
        else 'first-seen'
    found = bind.execute(sa.select(files).where(files.c.incident_id == incident_id,
                                                files.c.sha256 == row['sha256'])).mappings().first()
    watch_facts = {'site': row['site'] or '', 'verdict': row['verdict'] or '', 'reasons': row['reasons'] or [],
                   'finding_kinds': row['finding_kinds'] or [], 'quarantine_path': row['quarantine_path'] or '',
                   'publication_id': row['publication_id'], 'sweep_run_id': row['sweep_run_id']}
    if found is None:
        bind.execute(files.insert().values(
            incident_id=incident_id, name=row['public_path'].rsplit('/', 1)[-1][:500], sha256=row['sha256'],
            size=row['size'] or 0, location=row['public_path'], locations=[row['public_path']],
            exposure_start=start, exposure_start_source=source, evidence={source: start.isoformat()},
            exposure_end=taken_down, end_source='takedown' if taken_down else '', rows=0, people=0,
            local_path='', **watch_facts))
        return
    evidence = dict(found['evidence'] or {})
    previous = _aware(found['exposure_start'])
    if previous is not None:
        evidence.setdefault('manual', previous.isoformat())
    if source not in evidence or _aware(evidence[source]) > start:  # type: ignore[operator]
        evidence[source] = start.isoformat()
    earliest = min(evidence.items(), key=lambda kv: _aware(kv[1]))  # type: ignore[arg-type, return-value]
    locations = list(found['locations'] or [found['location']])
    if row['public_path'] not in locations:
        locations.append(row['public_path'])
    end = _aware(found['exposure_end'])
    if taken_down is not None and (end is None or taken_down > end):
        end = taken_down
    bind.execute(files.update().where(files.c.id == found['id']).values(
        evidence=evidence, exposure_start=_aware(earliest[1]), exposure_start_source=earliest[0],
        locations=locations, exposure_end=end, **watch_facts))


def downgrade() -> None:
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
        batch_op.create_index('ix_incidents_sha256', ['sha256'], unique=False)
        batch_op.create_index('ix_incidents_status_id', ['status', 'id'], unique=False)
    # The merged incidents stay in ir_incidents; external reports lose their link to them.
    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.drop_constraint('fk_external_reports_incident_id_ir_incidents', type_='foreignkey')
    op.execute(sa.text("UPDATE external_reports SET incident_id = NULL"))
    with op.batch_alter_table('external_reports', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_external_reports_incident_id_incidents', 'incidents', ['incident_id'],
                                    ['id'])
    with op.batch_alter_table('ir_incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('watch_incident_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_ir_incidents_watch_incident_id', ['watch_incident_id'], unique=False)
        batch_op.drop_column('oversight_set_by')
        batch_op.drop_column('oversight_basis')
        batch_op.drop_column('oversight_required')
    with op.batch_alter_table('ir_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ir_status_history_affected_id'))
    op.drop_table('ir_status_history')
    with op.batch_alter_table('ir_notifications', schema=None) as batch_op:
        batch_op.drop_column('waiting_reason')
        batch_op.drop_column('address_kind')
    with op.batch_alter_table('ir_exposed_files', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ir_exposed_files_sweep_run_id_sweep_runs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ir_exposed_files_publication_id_publications'), type_='foreignkey')
        for column in ('sweep_run_id', 'publication_id', 'local_path', 'quarantine_path', 'finding_kinds',
                       'reasons', 'verdict', 'site', 'rows', 'end_source', 'evidence', 'exposure_start_source',
                       'locations'):
            batch_op.drop_column(column)
