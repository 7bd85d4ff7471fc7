"""Alembic environment: migrations run on the connection Veil hands over (see Database.upgrade)."""

from alembic import context

import veil.store.models  # noqa: F401  (registers every table on Base.metadata)
from veil.store.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `veil db upgrade` (Database.upgrade), not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
