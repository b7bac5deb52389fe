"""Fixtures of the facilitator widget tests: a fresh SQLite file store per test, built by verbs.

``sqlite_store`` is a plain SQLite file, whatever backend the shared ``store`` fixture of
``tests/conftest.py`` runs on. Helpers (``walk``, ``html_values``, ``upload_value``...) are
imported from ``tests/helpers.py``.
"""

from __future__ import annotations

import pytest

from cop_widgets import model as m
from cop_widgets.store import Store


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store(f"sqlite:///{tmp_path}/t.db")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def development(sqlite_store):
    return sqlite_store.add_development(m.Development("policy", "New assessment policy"))


@pytest.fixture
def draft_consultation(sqlite_store, development):
    """A draft, non-anonymous consultation with no statement and no member."""
    return sqlite_store.add_consultation(m.Consultation(
        development.id, "How should we respond?", anonymous=False))
