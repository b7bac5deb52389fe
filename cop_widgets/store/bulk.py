"""Bulk writes: many rows in one go, past SQLAlchemy's per-row work, for imports.

A Core insert of many dicts spends more time preparing parameters than the database spends
writing them. These functions hand the rows to the driver instead: ``COPY`` on PostgreSQL,
multi-row ``INSERT`` statements through ``executemany`` on SQLite. Values go through the
same bind processors a Core insert uses (the same text for dates and JSON).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = ["copy_rows", "insert_returning_ids"]


def insert_returning_ids(conn: Connection, table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert many rows in batches and return their new ids in the order given.

    On PostgreSQL, ``INSERT ... RETURNING`` in batches. On SQLite, where RETURNING goes row
    by row, the ids are given: the next ones after the table's largest. That is safe because
    every write transaction on SQLite starts with ``BEGIN IMMEDIATE`` (see ``engine``), so no
    other writer can take an id until this transaction ends.

    Parameters
    ----------
    conn : Connection
        In an open write transaction.
    table : Table
        With an integer ``id`` primary key.
    rows : list of dict
        Column values; every row names the same columns in the same order, ``id`` aside.
        Columns left out take their scalar default.

    Raises
    ------
    ValueError
        The rows do not all name the same columns in one order.

    """
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        query = table.insert().returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(query, rows).scalars())
    first = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one() + 1
    ids = list(range(first, first + len(rows)))
    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in rows[0] and c.name != "id" and c.default is not None
                and c.default.is_scalar}
    columns = [*rows[0], *defaults, "id"]
    if any(list(row) != columns[:len(row)] for row in rows):
        raise ValueError(f"{table.name}: every row needs the same columns, in one order")
    # Each column's bind processor for this dialect, as a Core insert would apply it.
    processors = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                  for name in columns]
    constant = list(defaults.values())
    copy_rows(conn, table, columns, (
        tuple(v if p is None else p(v)
              for p, v in zip(processors, (*row.values(), *constant, new_id), strict=True))
        for row, new_id in zip(rows, ids, strict=True)))
    return ids


def copy_rows(conn: Connection, table: sa.Table, columns: Sequence[str],
              rows: Iterable[tuple]) -> None:
    """Write many rows fast: COPY on PostgreSQL, the driver's executemany on SQLite.

    Parameters
    ----------
    conn : Connection
        In an open write transaction.
    table : Table
        Where the rows go.
    columns : sequence of str
        The columns each row gives values for, in order.
    rows : iterable of tuple
        Values in the driver's own form: no SQLAlchemy type processing is applied.

    Raises
    ------
    ValueError
        On SQLite, the values do not make whole rows of ``len(columns)``.

    """
    cursor = conn.connection.driver_connection.cursor()
    names = ", ".join(columns)
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Many rows per statement: half the time of one row per statement, since the
            # per-statement work of the driver and of SQLite dominates. 200 rows keep the
            # parameters under SQLite's oldest limit of 999 for up to 4 columns.
            per_row = len(columns)
            batch = max(1, 800 // per_row)
            row_marks = "(" + ", ".join("?" for _ in columns) + ")"
            flat = list(itertools.chain.from_iterable(rows))
            if len(flat) % per_row:
                raise ValueError(f"{table.name}: every row needs {per_row} values")
            n_rows = len(flat) // per_row
            full = n_rows - n_rows % batch
            insert = f"INSERT INTO {table.name} ({names}) VALUES "
            if full:
                width = batch * per_row
                cursor.executemany(insert + ", ".join([row_marks] * batch),
                                   (flat[i:i + width] for i in range(0, full * per_row, width)))
            if n_rows > full:
                cursor.execute(insert + ", ".join([row_marks] * (n_rows - full)),
                               flat[full * per_row:])
    finally:
        cursor.close()
