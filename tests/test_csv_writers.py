"""Every CSV the package writes is spreadsheet-safe (issue 11, item 9).

The source of ``cop_widgets`` is read to find every function that writes CSV: one that calls
a CSV writer (``csv.writer``, ``DictWriter``, ``writerow(s)``, ``DataFrame.to_csv``,
``numpy.savetxt``) or the package's own (:func:`cop_widgets.io.csv.csv_text`,
:func:`~cop_widgets.io.csv.write_csv`). Only ``io/csv.py``'s ``_write_rows`` may call a CSV
writer itself; every other function that writes CSV must have a driver below, which feeds
it cells written as formulas and checks each cell of what it wrote. A new writer without
``spreadsheet_cell``, or one nobody drives here, fails this file.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import cop_widgets
from cop_widgets import model as m
from cop_widgets.io import csv as csv_io
from cop_widgets.io.polis_write import write_polis_export

PACKAGE = Path(cop_widgets.__file__).resolve().parent
#: Calls that write CSV themselves.
RAW_WRITERS = {"writer", "DictWriter", "writerow", "writerows", "to_csv", "savetxt"}
#: The package's CSV writers, each through ``spreadsheet_cell``.
OWN_WRITERS = {"_write_rows", "csv_text", "write_csv"}
#: The only function that may call a raw writer.
THE_WRITER = "io/csv.py:_write_rows"
#: Cells as an attacker writes them: each starts like a spreadsheet formula.
ATTACKS = ('=HYPERLINK("http://x","click")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=quoted already", "row\r=2+2")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def csv_writing_functions() -> dict[str, set[str]]:
    """``path:qualified name`` of every function that calls a CSV writer -> what it calls."""
    found: dict[str, set[str]] = {}

    def visit(node: ast.AST, where: str, names: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, where, [*names, child.name])
                continue
            if isinstance(child, ast.Call):
                called = _called_name(child)
                if called in RAW_WRITERS | OWN_WRITERS:
                    key = f"{where}:{'.'.join(names) or '<module>'}"
                    found.setdefault(key, set()).add(called)
            visit(child, where, names)

    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        visit(ast.parse(path.read_text(encoding="utf-8")), where, [])
    return found


def safe(cell: str) -> bool:
    """A cell a spreadsheet shows as text or a plain number, never runs as a formula."""
    return (cell[:1] not in FORMULA_STARTS
            or re.fullmatch(r"[+-]?\d+(\.\d+)?", cell) is not None)


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


# -- one driver per function that writes CSV: it returns every CSV text the function wrote --


def _drive_write_rows(tmp_path: Path) -> list[str]:
    out = io.StringIO()
    csv_io._write_rows(out, [[a, a] for a in ATTACKS])
    return [out.getvalue()]


def _drive_csv_text(tmp_path: Path) -> list[str]:
    return [csv_io.csv_text([ATTACKS, *[[a] for a in ATTACKS]])]


def _drive_write_csv(tmp_path: Path) -> list[str]:
    path = csv_io.write_csv(tmp_path / "x.csv", [ATTACKS, [None, *ATTACKS]])
    return [path.read_text(encoding="utf-8")]


def _drive_links_csv(tmp_path: Path) -> list[str]:
    return [csv_io.links_csv([(a, a, a) for a in ATTACKS])]


def _drive_reminders_csv(tmp_path: Path) -> list[str]:
    return [csv_io.reminders_csv([(a, a, a) for a in ATTACKS])]


def _drive_write_polis_export(tmp_path: Path) -> list[str]:
    when = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    statements = [m.Statement(1, a, proposed_by=10, moderation="pending", id=100 + i)
                  for i, a in enumerate(ATTACKS)]
    members = [m.Member(1, a.strip() or "x", external_id=a.strip(), id=10 + i)
               for i, a in enumerate(ATTACKS)]
    responses = pd.DataFrame({"member_id": [10, 11], "statement_id": [100, 101],
                              "stance": pd.array([1, 5], dtype="Int64"),
                              "saved_at": [when, when]})
    folder = write_polis_export(
        tmp_path / "polis", m.Development("other", ATTACKS[0], summary=ATTACKS[1]),
        statements, members, responses, {1: -1, 5: 1}, written_at=when,
        labels=pd.Series([0, 1], index=[10, 11], dtype="Int64"))
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.csv"))]


DRIVERS: dict[str, Callable[[Path], list[str]]] = {
    "io/csv.py:_write_rows": _drive_write_rows,
    "io/csv.py:csv_text": _drive_csv_text,
    "io/csv.py:write_csv": _drive_write_csv,
    "io/csv.py:links_csv": _drive_links_csv,
    "io/csv.py:reminders_csv": _drive_reminders_csv,
    "io/polis_write.py:write_polis_export": _drive_write_polis_export,
}


def test_only_one_function_calls_a_csv_writer_itself():
    raw = {where for where, called in csv_writing_functions().items()
           if called & RAW_WRITERS}
    assert raw == {THE_WRITER}


def test_every_function_that_writes_csv_is_driven_here():
    found = set(csv_writing_functions())
    assert found - set(DRIVERS) == set(), "a new CSV writer: add a driver to DRIVERS"
    assert set(DRIVERS) - found == set(), "a driver for a function that no longer writes CSV"


@pytest.mark.parametrize("where", sorted(DRIVERS))
def test_every_cell_each_writer_writes_is_spreadsheet_safe(where, tmp_path):
    texts = DRIVERS[where](tmp_path)
    written = [cell for text in texts for cell in cells(text)]
    assert written and [cell for cell in written if not safe(cell)] == []
    # the attack reached the file, as text
    assert "'" + ATTACKS[0] in written


def test_the_prefix_comes_off_exactly_when_it_was_put_on():
    values = [*ATTACKS, "", "Ana", "-1", "+2.5", "1e3", "'", "''", "'''=x", "'-1", "a=b",
              "'Tis the season", "- a list item"]
    for value in values:
        assert csv_io.cell_text(csv_io.spreadsheet_cell(value)) == value
    assert csv_io.spreadsheet_cell("-1") == "-1"  # Pol.is votes stay numbers
    assert csv_io.spreadsheet_cell("'=x") == "''=x"
    assert csv_io.cell_text("'Tis the season") == "'Tis the season"
