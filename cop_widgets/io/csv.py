"""Every CSV file the facilitator reads in or takes away.

In: a roster (:func:`members_from_csv`) and statements (:func:`statements_from_csv`), each
all or nothing, a refusal naming the CSV line and the field. Out: invitation links
(:func:`links_csv`) and reminders for a mail merge (:func:`reminders_csv`). Headers are file
formats: they stay English in every language.

Every CSV the package writes, here or elsewhere (the Pol.is export), is written by
:func:`csv_text` or :func:`write_csv`, which put every cell, header included, through
:func:`spreadsheet_cell`: a cell that a spreadsheet would run as a formula gets a leading
``'`` and stays text. :func:`cell_text` undoes exactly that prefix when a file we wrote is
read back. ``tests/test_csv_writers.py`` fails if any other code writes CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TextIO

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
    "cell_text",
    "csv_text",
    "write_csv",
]

#: The roster CSV's columns that are not attributes.
_KNOWN = ("name", "email", "external_id")
#: The header line of a CSV file, where its column names are.
_HEADER = Place(PLACE_CSV, line=1)

#: Where a statements CSV's statements are, by header (any case); else the first column.
_STATEMENT_COLUMNS = ("text", "statement")

#: What a cell starts with when a spreadsheet may read it as a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number (``-1``, ``+2.5``, ``1e3``): a spreadsheet reads it as a number, never a
#: formula, and Pol.is files need their ``-1`` votes as they are.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


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


def _formula_like(value: str) -> bool:
    """Whether ``value``, once any leading ``'`` are taken off, starts like a formula."""
    core = value.lstrip("'")
    return core[:1] in _FORMULA_STARTS and _NUMBER.fullmatch(core) is None


def spreadsheet_cell(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula.

    A value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'``, unless it is a plain number (``-1``). So does one that starts with ``'``
    before such a character, so that :func:`cell_text` can tell our prefix from the text's
    own apostrophe: ``cell_text(spreadsheet_cell(v)) == v`` for every ``v``.
    """
    return "'" + value if _formula_like(value) else value


def cell_text(cell: str) -> str:
    """Undo :func:`spreadsheet_cell`: the text of a cell of a CSV file we wrote.

    Takes off one leading ``'`` when what follows would have been given one. A file written
    elsewhere (Pol.is) whose cell starts with ``'=`` loses that apostrophe: the price of
    reading our own files back unchanged.
    """
    return cell[1:] if cell[:1] == "'" and _formula_like(cell[1:]) else cell


def _cell(value: object) -> str:
    return "" if value is None else spreadsheet_cell(str(value))


def _write_rows(handle: TextIO, rows: Iterable[Iterable[object]]) -> None:
    """Write ``rows`` as CSV, every cell through :func:`spreadsheet_cell` (the only writer).

    A row with a carriage return in a cell is written with every cell quoted: with line-feed
    line ends, Python's writer quotes a line feed but not a bare carriage return, which a
    spreadsheet reads as a new row, whose first cell could then be a formula.
    """
    writer = csv.writer(handle, lineterminator="\n")
    quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [_cell(value) for value in row]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Return ``rows`` (the header first) as CSV text safe to open in a spreadsheet.

    Parameters
    ----------
    rows : iterable of iterables
        The cells; ``None`` is an empty cell, anything else is written as ``str(value)``
        through :func:`spreadsheet_cell`.

    Returns
    -------
    str
        The CSV text, lines ending in a line feed.

    """
    out = io.StringIO()
    _write_rows(out, rows)
    return out.getvalue()


def write_csv(path: str | Path, rows: Iterable[Iterable[object]]) -> Path:
    """Write ``rows`` (the header first) as a UTF-8 CSV file safe to open in a spreadsheet.

    Parameters
    ----------
    path : str or Path
        The file, overwritten.
    rows : iterable of iterables
        As for :func:`csv_text`.

    Returns
    -------
    Path
        The file.

    """
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        _write_rows(handle, rows)
    return path


def links_csv(links: Iterable[tuple[str, str, str]]) -> str:
    """Return ``name,email,link`` lines (with a header) for a mail merge, spreadsheet-safe.

    Parameters
    ----------
    links : iterable of (str, str, str)
        Each member's name, email (empty when the roster has none) and invitation link.

    Returns
    -------
    str
        The CSV text; a cell that starts like a formula gets a leading ``'``.

    """
    return csv_text([("name", "email", "link"), *links])


def reminders_csv(rows: Iterable[tuple[str, str, str]]) -> str:
    """Return ``name,email,link`` lines for a mail merge, safe to open in a spreadsheet.

    Parameters
    ----------
    rows : iterable of (str, str, str)
        Each member's name, email and new invitation link.

    Returns
    -------
    str
        The CSV text; a cell that starts like a formula gets a leading ``'``.

    """
    return csv_text([("name", "email", "link"), *rows])
