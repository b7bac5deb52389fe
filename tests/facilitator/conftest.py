"""Fixtures of the facilitator widget tests: a fresh SQLite store per test, built by verbs.

These fixtures deliberately do not use the shared ones of ``tests/conftest.py``: ``store``
here overrides the shared, backend-parametrised one with a plain SQLite file.
"""

from __future__ import annotations

import datetime as dt
import types
import urllib.parse

import ipywidgets as w
import pytest

from cop_widgets import model as m
from cop_widgets.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path}/t.db")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def development(store):
    return store.add_development(m.Development("policy", "New assessment policy"))


@pytest.fixture
def consultation(store, development):
    """A draft, non-anonymous consultation with no statement and no member."""
    return store.add_consultation(m.Consultation(
        development.id, "How should we respond?", anonymous=False))


def upload_value(text: str | bytes, name: str = "upload.csv") -> tuple[dict, ...]:
    """Return what an ipywidgets 8 FileUpload holds after the user chose a file."""
    content = text.encode("utf-8") if isinstance(text, str) else text
    return ({"name": name, "type": "text/csv", "size": len(content),
             "content": memoryview(content),
             "last_modified": dt.datetime.now(dt.timezone.utc)},)


def walk(widget):
    """Yield ``widget`` and every widget below it (hidden ones included)."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def html_values(widget) -> list[str]:
    """Return the value of every HTML widget under ``widget``."""
    return [x.value for x in walk(widget) if isinstance(x, (w.HTML, w.HTMLMath))]


def token_of(link: str) -> str:
    """Return the invitation token of a member link."""
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["t"][0]


def links_of(textarea_value: str) -> dict[str, str]:
    """Return ``{name: link}`` from the ``name,link`` lines of the links text area."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(textarea_value)))
    assert rows[0] == ["name", "link"]
    return {name: link for name, link in rows[1:]}


@pytest.fixture
def helpers():
    return types.SimpleNamespace(upload_value=upload_value, walk=walk, html_values=html_values,
                                 token_of=token_of, links_of=links_of)
