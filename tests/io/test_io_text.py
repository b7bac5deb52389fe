"""Typed, pasted and uploaded text in ``cop_widgets.io.text``, called directly."""

from __future__ import annotations

import pytest

from cop_widgets.errors import ValidationError
from cop_widgets.io import parse_attributes, statements_from_text, uploaded_text


def _files(content: bytes, name: str = "roster.csv") -> tuple[dict, ...]:
    return ({"name": name, "type": "text/csv", "size": len(content),
             "content": memoryview(content)},)


def test_uploaded_text_drops_the_byte_order_mark():
    assert uploaded_text(_files("\ufeffname\nCaf\u00e9\n".encode())) == (
        "roster.csv", "name\nCaf\u00e9\n")


def test_uploaded_text_refuses_no_file_and_other_encodings():
    with pytest.raises(ValidationError) as caught:
        uploaded_text(())
    assert str(caught.value) == ("CSV file: choose a file first (button \u201cChoose CSV "
                                 "file\u201d)")
    with pytest.raises(ValidationError) as caught:
        uploaded_text(_files("Caf\u00e9".encode("latin-1"), "old.csv"), field="Roster")
    assert caught.value.field == "Roster"
    assert "must be UTF-8 text" in str(caught.value) and "old.csv" in str(caught.value)


def test_statements_from_text_one_per_non_blank_line():
    statements = statements_from_text(4, "First\n\n  Second  \r\nThird")
    assert [(s.consultation_id, s.text) for s in statements] == [
        (4, "First"), (4, "Second"), (4, "Third")]


def test_statements_from_text_names_the_refused_line():
    with pytest.raises(ValidationError) as caught:
        statements_from_text(1, "Fine\n\n" + "x" * 501)
    exc = caught.value
    assert (exc.field, exc.code, exc.place.line) == ("text", "too-long", 3)
    assert exc.params == {"limit": 500, "length": 501}
    assert str(exc).startswith("line 3, text: must be at most 500 characters, not 501")
    with pytest.raises(ValidationError, match="write or paste at least one statement"):
        statements_from_text(1, " \n\n")


def test_parse_attributes_trims_and_skips_blank_parts():
    assert parse_attributes(" role = nurse ;; region=North=East; ") == {
        "role": "nurse", "region": "North=East"}
    assert parse_attributes("") == {}


@pytest.mark.parametrize(("text", "message"), [
    ("role nurse", "attributes: write each as name=value, separated by ; (got 'role nurse')"),
    ("=nurse", "attributes: each value needs a name before = (got '=nurse')"),
    ("role=a; role=b", "attributes: gives role twice (got 'role=b')"),
    ("EMAIL=x", "attributes: EMAIL is a reserved name; call the attribute something else "
                "(got 'EMAIL')"),
])
def test_parse_attributes_refusals(text, message):
    with pytest.raises(ValidationError) as caught:
        parse_attributes(text)
    assert str(caught.value) == message
