"""Errors cross process boundaries intact (a worker's refusal reaches its parent)."""

from __future__ import annotations

import pickle

import pytest

from cop_widgets.errors import (
    PLACE_CSV,
    ConsultationNotOpen,
    InvalidToken,
    NotFound,
    Place,
    ValidationError,
)


@pytest.mark.parametrize("error", [
    ValidationError("title", "too-long", "x" * 300, limit=200, length=300),
    ValidationError("text", "empty", place=Place(PLACE_CSV, line=3, column="text")),
    InvalidToken("token-revoked"),
    ConsultationNotOpen("status", "endorsements-not-open"),
    NotFound("consultation", 7),
], ids=["validation", "with-place", "token", "not-open", "not-found"])
def test_errors_survive_pickling(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.code == error.code and copy.params == error.params
    assert getattr(copy, "field", None) == getattr(error, "field", None)
