"""Veil's database: SQLAlchemy 2 models split by area (models_*.py) on one `Base`, Alembic migrations, and the
engine seam where SQLite and PostgreSQL differ (engine.py). Later areas add their own models module and migration.
"""

from veil.store.base import Base
from veil.store.engine import Database, default_database_url, open_database

__all__ = ["Base", "Database", "default_database_url", "open_database"]
