"""The CSV formats of ``cop_widgets.io``, called directly: rosters and statements read in,
links and reminders written out."""

from __future__ import annotations

import csv
import io

import pytest

from cop_widgets.errors import ValidationError
from cop_widgets.io import (
    check_attribute_names,
    links_csv,
    members_from_csv,
    reminders_csv,
    spreadsheet_cell,
    statements_from_csv,
)

# -- roster ---------------------------------------------------------------------------------


def test_roster_columns_by_name_any_case_and_attributes():
    members = members_from_csv(7, (
        "Name,EMAIL,External_ID,role,region\n"
        "Ana Alves,ana@example.org,p1,nurse,North\n"
        "\n"
        ' , , , , \n'
        '"Berg, Bo",,,doctor,\n'))
    assert [(mb.consultation_id, mb.name, mb.email, mb.external_id) for mb in members] == [
        (7, "Ana Alves", "ana@example.org", "p1"), (7, "Berg, Bo", "", "")]
    assert members[0].attributes == {"role": "nurse", "region": "North"}
    assert members[1].attributes == {"role": "doctor"}  # an empty cell is no value
    assert all(mb.id is None for mb in members)  # read, not stored


@pytest.mark.parametrize(("text", "message"), [
    ("", "CSV file: is empty; the first line must name the columns"),
    (" , \nAna,x\n", "CSV file: is empty; the first line must name the columns"),
    ("email,role\nana@example.org,nurse\n",
     "CSV file: needs a column called name on its first line (got 'email, role')"),
    ("name,Region,region\nAna,North,South\n",
     "CSV line 1: names a column twice (capitals aside): each column must have its own name "
     "(got 'region')"),
    ("name,Invited\nAna,yes\n",
     "CSV line 1: invited is a reserved name; call the attribute something else "
     "(got 'invited')"),
    ("name,role\nAna,nurse,extra\n",
     "CSV line 2: has more cells than the first line has columns"),
    ("name,email\nAna,ana@example.org\nBo,bo-at-example\n",
     "CSV line 3, email: must look like name@example.org (got 'bo-at-example')"),
    ("name,role\n\n\n", "CSV file: has no members below its first line"),
    ('name\nAna\n"' + "x" * 140_000 + '"\n',
     "CSV line 3: is not valid CSV (field larger than field limit (131072))"),
])
def test_roster_refusals_name_line_and_field(text, message):
    with pytest.raises(ValidationError) as caught:
        members_from_csv(1, text)
    assert str(caught.value) == message


def test_reserved_names_are_checked_without_capitals_or_spaces():
    check_attribute_names("attributes", ["role", "region"])
    with pytest.raises(ValidationError) as caught:
        check_attribute_names("attributes", ["role", " Responded "])
    assert caught.value.field == "attributes" and "reserved name" in caught.value.rule


# -- statements ----------------------------------------------------------------------------


def test_statements_from_the_statement_column_in_any_case():
    statements, column = statements_from_csv(3, (
        'id,STATEMENT\n1,"Train us first, then change"\n\n2,Fund it properly\n'))
    assert column == "STATEMENT"
    assert [(s.consultation_id, s.text) for s in statements] == [
        (3, "Train us first, then change"), (3, "Fund it properly")]


def test_statements_text_column_wins_over_statement_and_first_column_is_the_fallback():
    statements, column = statements_from_csv(1, "statement,text\nnot this,this one\n")
    assert (column, [s.text for s in statements]) == ("text", ["this one"])
    statements, column = statements_from_csv(1, ",notes\nUnnamed column,x\n")
    assert (column, [s.text for s in statements]) == ("column 1", ["Unnamed column"])


@pytest.mark.parametrize(("text", "message"), [
    ("\n", "CSV file: is empty; the first line must name the columns"),
    ("text\n\n \n", "CSV file: has no statements below its header line"),
    ("text,notes\nGood one,a\n,b\n", "CSV line 3, column \u201ctext\u201d: must not be empty"),
    ("id,text\n1\n", "CSV line 2, column \u201ctext\u201d: must not be empty"),
])
def test_statement_refusals_name_line_and_column(text, message):
    with pytest.raises(ValidationError) as caught:
        statements_from_csv(1, text)
    assert str(caught.value).startswith(message)


# -- writing -------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_stays_text(start):
    assert spreadsheet_cell(start + "SUM(A1)") == "'" + start + "SUM(A1)"


def test_ordinary_cells_are_left_alone():
    assert spreadsheet_cell("Ana") == "Ana"
    assert spreadsheet_cell("") == ""
    assert spreadsheet_cell("a=b") == "a=b"


def test_links_csv_reads_back_with_its_header_and_quoting():
    links = [("Berg, Bo", "bo@example.org", "http://x/?c=1&t=a"),
             ("=HYPERLINK(1)", "", "http://x/?c=1&t=b")]
    text = links_csv(links)
    assert text.startswith("name,email,link\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "email", "link"], ["Berg, Bo", "bo@example.org", "http://x/?c=1&t=a"],
                    ["'=HYPERLINK(1)", "", "http://x/?c=1&t=b"]]
    assert links_csv([]) == "name,email,link\n"


def test_links_csv_guards_an_email_cell_that_starts_like_a_formula():
    text = links_csv([("Ana", "@ana@example.org", "http://x/?t=1")])
    assert list(csv.reader(io.StringIO(text)))[1] == ["Ana", "'@ana@example.org",
                                                      "http://x/?t=1"]


def test_reminders_csv_guards_name_and_email_not_the_link():
    text = reminders_csv([("-Ana", "@ana@example.org", "http://x/?t=1"),
                          ("Bo", "", "http://x/?t=2")])
    assert list(csv.DictReader(io.StringIO(text))) == [
        {"name": "'-Ana", "email": "'@ana@example.org", "link": "http://x/?t=1"},
        {"name": "Bo", "email": "", "link": "http://x/?t=2"}]
