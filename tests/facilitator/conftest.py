"""Fixtures of the facilitator widget tests, built by verbs in the root conftest's
``sqlite_store`` (a plain SQLite file, whatever backend the shared ``store`` runs on).

Helpers (``walk``, ``html_values``, ``upload_value``...) are imported from
``tests/helpers.py``.
"""

from __future__ import annotations

import pytest

from cop_widgets import model as m


@pytest.fixture
def development(sqlite_store):
    return sqlite_store.add_development(m.Development("policy", "New assessment policy"))


@pytest.fixture
def draft_consultation(sqlite_store, development):
    """A draft, non-anonymous consultation with no statement and no member."""
    return sqlite_store.add_consultation(m.Consultation(
        development.id, "How should we respond?", anonymous=False))
