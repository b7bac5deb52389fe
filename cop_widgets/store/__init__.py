"""Storage: SQLAlchemy Core on SQLite (default) or PostgreSQL, with Alembic migrations."""

from .base import hash_token
from .engine import DEFAULT_FILE, resolve_url
from .store import Store

__all__ = ["Store", "hash_token", "resolve_url", "DEFAULT_FILE"]
