"""Storage: SQLAlchemy Core on SQLite (default) or PostgreSQL, with Alembic migrations."""

from .engine import DEFAULT_FILE, resolve_url
from .store import Store, hash_token

__all__ = ["Store", "hash_token", "resolve_url", "DEFAULT_FILE"]
