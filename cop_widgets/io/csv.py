"""Every CSV file the facilitator reads in or takes away.

In: a roster (:func:`members_from_csv`) and statements (:func:`statements_from_csv`), each
all or nothing, a refusal naming the CSV line and the field. Out: invitation links
(:func:`links_csv`) and reminders for a mail merge (:func:`reminders_csv`), whose cells stay
text when a spreadsheet opens them (:func:`spreadsheet_cell`). Headers are file formats:
they stay English in every language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from .. import model as m
from ..error_codes import PLACE_CSV
from ..errors import Place, ValidationError
from ..model import RESERVED_ATTRIBUTES

__all__ = [
    "check_attribute_names",
    "members_from_csv",
    "statements_from_csv",
    "links_csv",
    "reminders_csv",
    "spreadsheet_cell",
]

#: The roster CSV's columns that are not attributes.
_KNOWN = ("name", "email", "external_id")
#: The header line of a CSV file, where its column names are.
_HEADER = Place(PLACE_CSV, line=1)

#: Where a statements CSV's statements are, by header (any case); else the first column.
_STATEMENT_COLUMNS = ("text", "statement")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_attribute_names(field: str, names: Iterable[object], *,
                          place: Place | None = None) -> None:
    """Refuse an attribute the model reserves (``model.RESERVED_ATTRIBUTES``).

    Raises
    ------
    ValidationError
        On ``field`` (at ``place`` in a file), naming the first reserved name (capitals and
        spaces aside).

    """
    for key in names:
        if str(key).strip().lower() in RESERVED_ATTRIBUTES:
            raise ValidationError(field, "reserved-name", key, place=place, key=key)


# -- reading -------------------------------------------------------------------------------


class _Numbered(Protocol):
    """A CSV reader: it knows the line it has read up to."""

    line_num: int


@contextmanager
def _valid_csv(reader: _Numbered) -> Iterator[None]:
    """Turn the reader's ``csv.Error`` into a refusal naming the CSV line."""
    try:
        yield
    except csv.Error as exc:
        raise ValidationError(PLACE_CSV, "not-csv", place=Place(PLACE_CSV, reader.line_num),
                              detail=str(exc)) from None


def _check_header(header: Sequence[str | None] | None) -> None:
    if not header or not any((h or "").strip() for h in header):
        raise ValidationError(PLACE_CSV, "csv-empty")


def _roster_columns(header: Sequence[str]) -> dict[str, str]:
    """Return each column name without capitals -> as written; refuse a name used twice."""
    lower: dict[str, str] = {}
    for h in header:
        key = (h or "").strip().lower()
        if key and key in lower:
            raise ValidationError(PLACE_CSV, "column-twice", (h or "").strip(),
                                  place=_HEADER)
        lower[key] = h
    if "name" not in lower:
        raise ValidationError(PLACE_CSV, "no-name-column", ", ".join(header))
    check_attribute_names(PLACE_CSV, [h for h in lower if h not in _KNOWN], place=_HEADER)
    return lower


def members_from_csv(consultation_id: int, text: str) -> list[m.Member]:
    """Return the members of a roster CSV file.

    The first line names the columns: ``name`` (required), ``email`` and ``external_id``
    (optional), and any other column is an attribute (``role``, ``region``...). Empty
    lines are skipped; an empty attribute cell means the member has no value for it.

    Parameters
    ----------
    consultation_id : int
        The consultation whose roster the members join.
    text : str
        The file's text, as :func:`~cop_widgets.io.text.uploaded_text` returns it: no
        byte order mark, the header on line 1.

    Returns
    -------
    list of Member
        In file order, not stored yet.

    Raises
    ------
    ValidationError
        Naming the CSV line and the field, if a row is refused.

    """
    reader = csv.DictReader(io.StringIO(text))
    with _valid_csv(reader.reader):  # the DictReader's own line_num lags on an error
        header = reader.fieldnames
        _check_header(header)
        lower = _roster_columns(header)
        name_col, email_col, id_col = lower["name"], lower.get("email"), lower.get("external_id")
        members = []
        for row in reader:
            where = Place(PLACE_CSV, reader.line_num)
            if None in row:
                raise ValidationError(PLACE_CSV, "too-many-cells", place=where)
            if not any((v or "").strip() for v in row.values()):
                continue
            attributes = {k: v for k, v in m.parse_attributes_csv_row(
                row, skip=_KNOWN).items() if v}
            try:
                members.append(m.Member(
                    consultation_id, row.get(name_col) or "",
                    email=(row.get(email_col) or "") if email_col else "",
                    external_id=(row.get(id_col) or "") if id_col else "",
                    attributes=attributes,
                ))
            except ValidationError as exc:
                raise exc.moved(place=where) from None
    if not members:
        raise ValidationError(PLACE_CSV, "no-members")
    return members


def statements_from_csv(consultation_id: int, text: str) -> tuple[list[m.Statement], str]:
    """Return the statements of a CSV file and the name of the column they came from.

    The first line is the header row. The statements are read from the column named
    ``text`` or ``statement`` (any case), else from the first column. Empty lines are
    skipped.

    Parameters
    ----------
    consultation_id : int
        The consultation whose card the statements join; they are returned, not stored,
        so that the caller adds all of them or none.
    text : str
        The file's text.

    Returns
    -------
    statements : list of Statement
        In file order, not stored yet.
    column : str
        The header of the column read (``column 1`` when it has none).

    Raises
    ------
    ValidationError
        Naming the CSV line and column, if a row is not a valid statement.

    """
    reader = csv.reader(io.StringIO(text))
    with _valid_csv(reader):
        header = next(reader, None)
        _check_header(header)
        names = [cell.strip().lower() for cell in header]
        index = next((names.index(c) for c in _STATEMENT_COLUMNS if c in names), 0)
        column = header[index].strip() or "column 1"
        statements = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = Place(PLACE_CSV, reader.line_num, column)
            cell = row[index] if index < len(row) else ""
            try:
                statements.append(m.Statement(consultation_id, cell))
            except ValidationError as exc:
                raise exc.moved(place=where) from None
    if not statements:
        raise ValidationError(PLACE_CSV, "no-statements")
    return statements, column


# -- writing -------------------------------------------------------------------------------


def spreadsheet_cell(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def links_csv(links: Iterable[tuple[str, str]]) -> str:
    """Return ``name,link`` lines (with a header) safe to open in a spreadsheet.

    Parameters
    ----------
    links : iterable of (str, str)
        Each member's name and invitation link.

    Returns
    -------
    str
        The CSV text; a name that starts like a formula gets a leading ``'``.

    """
    return _table(["name", "link"], ([spreadsheet_cell(name), link] for name, link in links))


def reminders_csv(rows: Iterable[tuple[str, str, str]]) -> str:
    """Return ``name,email,link`` lines for a mail merge, safe to open in a spreadsheet.

    Parameters
    ----------
    rows : iterable of (str, str, str)
        Each member's name, email and new invitation link.

    Returns
    -------
    str
        The CSV text; a name or email that starts like a formula gets a leading ``'``.

    """
    return _table(["name", "email", "link"],
                  ([spreadsheet_cell(name), spreadsheet_cell(email), link]
                   for name, email, link in rows))
