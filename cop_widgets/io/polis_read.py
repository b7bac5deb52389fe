"""Read a Pol.is conversation export folder (``comments.csv``, ``votes.csv``, ...).

A Pol.is export folder holds ``comments.csv`` and ``votes.csv`` (required) and
``participants-votes.csv`` and ``summary.csv`` (optional). In Pol.is files a vote is 1 agree,
-1 disagree, 0 pass; ``moderated`` is 1 accepted, 0 unmoderated, -1 rejected; timestamps are
milliseconds since the epoch (seconds are detected and accepted).

Reading checks every value and raises :class:`PolisFormatError` naming the file, the line and
the column of the first problem. Text cells (a comment's body, the summary, an ``xid``) lose
the ``'`` that :func:`cop_widgets.io.csv.spreadsheet_cell` puts before a formula when we write
a folder, so our own exports read back unchanged. Importing into the store is
:func:`cop_widgets.services.importing.import_polis`; writing a folder back is
:mod:`cop_widgets.io.polis_write`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Place, ValidationError
from .csv import cell_text

__all__ = ["PolisFormatError", "PolisExport", "read_polis_export"]

_SECONDS_LIMIT = 100_000_000_000  # below: seconds (year 5138); above: milliseconds


class PolisFormatError(ValidationError):
    """A Pol.is export file is missing or malformed.

    Its field is the file; its place the line and column, as data.

    Parameters
    ----------
    file : str
        The file name (``votes.csv``).
    code : str
        A code of :data:`cop_widgets.error_codes.RULES` (``not-a-polis-vote``).
    value : object, optional
        The value read.
    line : int or None
        1-based line of the file where the problem is (the header is line 1).
    column : str or None
        The column name.
    **params
        The values the code's template names.

    """

    def __init__(self, file: str, code: str, value: Any = None, *, line: int | None = None,
                 column: str | None = None, **params: Any):
        self.file = file
        self.line = line
        self.column = column
        place = Place(file, line, column) if line is not None or column is not None else None
        super().__init__(file, code, value, place=place, **params)


@dataclass(eq=False)
class PolisExport:
    """A Pol.is export, read and checked.

    Attributes
    ----------
    path : pathlib.Path
        The folder.
    comments : pandas.DataFrame
        One row per comment, by id: ``comment_id``, ``author_id`` (Int64), ``moderated``
        (-1, 0, 1), ``rejected`` (moderated -1), ``text``, ``timestamp_ms`` (Int64).
    votes : pandas.DataFrame
        The latest vote per (voter, comment): ``voter_id``, ``comment_id``, ``vote`` (-1, 0,
        1), ``timestamp_ms``; sorted by voter then comment.
    participants : pandas.DataFrame
        From ``participants-votes.csv`` when present: ``participant``, ``group_id`` (Int64,
        <NA> when Pol.is did not group them), ``xid``; else empty.
    summary : dict of str to str
        ``summary.csv`` as key -> value (empty when absent).
    n_revotes : int
        Votes superseded by a later vote of the same voter on the same comment.
    time_unit : str
        ``"ms"`` or ``"s"``: the unit the timestamps were written in.

    """

    path: Path
    comments: pd.DataFrame
    votes: pd.DataFrame
    participants: pd.DataFrame
    summary: dict[str, str] = field(default_factory=dict)
    n_revotes: int = 0
    time_unit: str = "ms"

    @property
    def participant_ids(self) -> np.ndarray:
        """Every participant id: voters and those listed in participants-votes, ascending."""
        ids = self.votes["voter_id"].to_numpy(dtype=np.int64)
        if len(self.participants):
            ids = np.concatenate([ids, self.participants["participant"].to_numpy(np.int64)])
        return np.unique(ids)


# -- reading ------------------------------------------------------------------------------


def _open_text(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolisFormatError(name, "file-missing", folder=str(path.parent)) from None
    except OSError as exc:
        raise PolisFormatError(name, "file-unreadable", detail=exc.strerror) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolisFormatError(name, "not-utf8", line=line) from None


def _records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, fields) for every CSV record, header included."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PolisFormatError(name, "not-csv", line=reader.line_num,
                                   detail=str(exc)) from None
        yield previous + 1, row
        previous = reader.line_num


def _header(text: str, name: str, required: tuple[str, ...]) -> list[str]:
    first = next(_records(text, name), None)
    if first is None:
        raise PolisFormatError(name, "no-header", line=1)
    header = [h.strip() for h in first[1]]
    for column in required:
        if column not in header:
            raise PolisFormatError(name, "column-missing", line=1, column=column,
                                   header=", ".join(header))
    return header


def _int_or_none(value: str) -> int | None:
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
        return None
    return int(float(text)) if "." in text else int(text)


def _scan(text: str, name: str, header: list[str],
          checks: Mapping[str, tuple[str, Any]]) -> None:
    """Walk the records and raise on the first value that fails its check."""
    index = {c: header.index(c) for c in checks}
    for line, row in _records(text, name):
        if line == 1:
            continue
        if not row or row == [""]:
            continue
        if len(row) != len(header):
            raise PolisFormatError(name, "field-count", line=line, count=len(row),
                                   expected=len(header))
        for column, (code, ok) in checks.items():
            value = row[index[column]]
            if not ok(value):
                raise PolisFormatError(name, code, value, line=line, column=column)
    raise PolisFormatError(name, "unreadable-value", line=None)


def _is_id(value: str) -> bool:
    n = _int_or_none(value)
    return n is not None and 0 <= n < 2**53


def _is_vote(value: str) -> bool:
    return _int_or_none(value) in (-1, 0, 1)


def _is_moderated(value: str) -> bool:
    return _int_or_none(value) in (-1, 0, 1)


def _is_timestamp(value: str) -> bool:
    try:
        number = float(value.strip())
    except ValueError:
        return False
    return bool(np.isfinite(number)) and 0 <= number < 1e17


def _is_optional_id(value: str) -> bool:
    return value.strip() == "" or _is_id(value)


def _frame(text: str, name: str, columns: list[str]) -> pd.DataFrame | None:
    """Read the wanted columns as text with the fast parser, or None if it cannot."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, usecols=columns,
                           keep_default_na=False, na_filter=False, skip_blank_lines=True,
                           skipinitialspace=False, encoding_errors="strict")
    except (ValueError, pd.errors.ParserError):
        return None


def _ints(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (values, ok) for a text column of integers (a trailing ``.0`` allowed)."""
    numbers = pd.to_numeric(series.str.strip(), errors="coerce")
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2.0**53)
    ok &= series.str.strip().str.fullmatch(r"[+-]?\d+(\.0*)?").to_numpy(dtype=bool)
    return np.where(ok, values, 0).astype(np.int64), ok


def _timestamps(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    numbers = pd.to_numeric(series.str.strip(), errors="coerce")
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(values) & (values >= 0) & (values < 1e17)
    return np.where(ok, values, 0.0), ok


def _typed_votes(text: str, columns: list[str]) -> tuple[np.ndarray, ...] | None:
    """Fast path: the usual, clean votes.csv parses straight into numbers."""
    try:
        frame = pd.read_csv(io.StringIO(text), usecols=columns, skip_blank_lines=True)
    except (ValueError, pd.errors.ParserError):
        return None
    kinds = [frame[c].dtype.kind for c in columns]
    if kinds[0] not in "if" or any(k != "i" for k in kinds[1:]):
        return None
    return (frame["timestamp"].to_numpy(dtype=float), frame["comment-id"].to_numpy(np.int64),
            frame["voter-id"].to_numpy(np.int64), frame["vote"].to_numpy(np.int64))


def _read_votes(path: Path) -> tuple[pd.DataFrame, int, str]:
    name = "votes.csv"
    text = _open_text(path / name, name)
    required = ("timestamp", "comment-id", "voter-id", "vote")
    header = _header(text, name, required)
    checks = {"timestamp": ("not-a-polis-time", _is_timestamp),
              "comment-id": ("not-a-polis-id", _is_id),
              "voter-id": ("not-a-polis-id", _is_id),
              "vote": ("not-a-polis-vote", _is_vote)}
    typed = _typed_votes(text, list(required))
    if typed is not None:
        ts, cid, vid, vote = typed
        good = (np.isfinite(ts) & (ts >= 0) & (ts < 1e17) & (cid >= 0) & (cid < 2**53)
                & (vid >= 0) & (vid < 2**53) & np.isin(vote, (-1, 0, 1)))
    else:
        frame = _frame(text, name, list(required))
        if frame is None:
            _scan(text, name, header, checks)
        ts, ok_t = _timestamps(frame["timestamp"])
        cid, ok_c = _ints(frame["comment-id"])
        vid, ok_v = _ints(frame["voter-id"])
        vote, ok_x = _ints(frame["vote"])
        good = ok_t & ok_c & ok_v & ok_x & (cid >= 0) & (vid >= 0) & np.isin(vote, (-1, 0, 1))
    if not good.all():
        _scan(text, name, header, checks)
    unit = "s" if len(ts) and ts.max() < _SECONDS_LIMIT else "ms"
    ms = np.round(ts * 1000.0 if unit == "s" else ts).astype(np.int64)
    # The latest vote per (voter, comment); equal times: the later line wins (lexsort is
    # stable, so lines keep their order within equal keys).
    order = np.lexsort((ms, cid, vid))
    vid, cid, vote, ms = vid[order], cid[order], vote[order], ms[order]
    last = np.ones(len(vid), dtype=bool)
    last[:-1] = (vid[1:] != vid[:-1]) | (cid[1:] != cid[:-1])
    n_revotes = int((~last).sum())
    votes = pd.DataFrame({"voter_id": vid[last], "comment_id": cid[last], "vote": vote[last],
                          "timestamp_ms": ms[last]})
    return votes, n_revotes, unit


def _read_comments(path: Path, unit: str) -> pd.DataFrame:
    name = "comments.csv"
    text = _open_text(path / name, name)
    required = ("comment-id", "moderated", "comment-body")
    header = _header(text, name, required)
    optional = [c for c in ("timestamp", "author-id") if c in header]
    checks: dict[str, tuple[str, Any]] = {
        "comment-id": ("not-a-polis-id", _is_id),
        "moderated": ("not-a-polis-vote", _is_moderated)}
    if "timestamp" in optional:
        checks["timestamp"] = ("not-a-polis-time",
                               lambda v: v.strip() == "" or _is_timestamp(v))
    if "author-id" in optional:
        checks["author-id"] = ("not-a-polis-optional-id", _is_optional_id)
    frame = _frame(text, name, list(required) + optional)
    if frame is None:
        _scan(text, name, header, checks)
    cid, ok_c = _ints(frame["comment-id"])
    mod, ok_m = _ints(frame["moderated"])
    good = ok_c & ok_m & (cid >= 0) & np.isin(mod, (-1, 0, 1))
    author = pd.array([pd.NA] * len(frame), dtype="Int64")
    stamp = pd.array([pd.NA] * len(frame), dtype="Int64")
    if "author-id" in optional:
        blank = frame["author-id"].str.strip() == ""
        values, ok_a = _ints(frame["author-id"].where(~blank, "0"))
        good &= ok_a & (values >= 0)
        author = pd.array(np.where(blank, 0, values), dtype="Int64")
        author[blank.to_numpy()] = pd.NA
    if "timestamp" in optional:
        blank = frame["timestamp"].str.strip() == ""
        values, ok_t = _timestamps(frame["timestamp"].where(~blank, "0"))
        good &= ok_t
        ms = np.round(values * 1000.0 if unit == "s" else values).astype(np.int64)
        stamp = pd.array(ms, dtype="Int64")
        stamp[blank.to_numpy()] = pd.NA
    if not good.all():
        _scan(text, name, header, checks)
    comments = pd.DataFrame({"comment_id": cid, "author_id": author, "moderated": mod,
                             "rejected": mod == -1,
                             "text": frame["comment-body"].map(cell_text).to_numpy(),
                             "timestamp_ms": stamp})
    dup = comments["comment_id"].duplicated()
    if dup.any():
        _duplicate(text, name, header, "comment-id", int(comments["comment_id"][dup].iloc[0]))
    return comments.sort_values("comment_id", ignore_index=True)


def _duplicate(text: str, name: str, header: list[str], column: str, value: int) -> None:
    i = header.index(column)
    seen = False
    for line, row in _records(text, name):
        if line > 1 and len(row) > i and _int_or_none(row[i]) == value:
            if seen:
                raise PolisFormatError(name, "id-repeated-above", row[i],
                                       line=line, column=column)
            seen = True
    raise PolisFormatError(name, "id-repeated", value, column=column)


def _read_participants(path: Path) -> pd.DataFrame:
    name = "participants-votes.csv"
    empty = pd.DataFrame({"participant": pd.Series([], dtype=np.int64),
                          "group_id": pd.Series([], dtype="Int64"),
                          "xid": pd.Series([], dtype=object)})
    if not (path / name).exists():
        return empty
    text = _open_text(path / name, name)
    header = _header(text, name, ("participant",))
    wanted = ["participant"] + [c for c in ("group-id", "xid") if c in header]
    checks: dict[str, tuple[str, Any]] = {
        "participant": ("not-a-polis-id", _is_id)}
    if "group-id" in wanted:
        checks["group-id"] = ("not-a-polis-optional-id", _is_optional_id)
    frame = _frame(text, name, wanted)
    if frame is None:
        _scan(text, name, header, checks)
    pid, ok = _ints(frame["participant"])
    ok &= pid >= 0
    group = pd.array([pd.NA] * len(frame), dtype="Int64")
    if "group-id" in wanted:
        blank = frame["group-id"].str.strip() == ""
        values, ok_g = _ints(frame["group-id"].where(~blank, "0"))
        ok &= ok_g & (values >= 0)
        group = pd.array(values, dtype="Int64")
        group[blank.to_numpy()] = pd.NA
    if not ok.all():
        _scan(text, name, header, checks)
    xid = (frame["xid"].map(cell_text).to_numpy() if "xid" in wanted
           else np.full(len(frame), "", object))
    out = pd.DataFrame({"participant": pid, "group_id": group, "xid": xid})
    if out["participant"].duplicated().any():
        _duplicate(text, name, header, "participant",
                   int(out["participant"][out["participant"].duplicated()].iloc[0]))
    return out.sort_values("participant", ignore_index=True)


def _read_summary(path: Path) -> dict[str, str]:
    name = "summary.csv"
    if not (path / name).exists():
        return {}
    text = _open_text(path / name, name)
    summary: dict[str, str] = {}
    for line, row in _records(text, name):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise PolisFormatError(name, "summary-line", row[0],
                                   line=line)
        summary[cell_text(row[0].strip())] = cell_text(row[1])
    return summary


def read_polis_export(path: str | Path) -> PolisExport:
    """Read and check a Pol.is export folder.

    Parameters
    ----------
    path : str or Path
        The folder holding ``comments.csv`` and ``votes.csv`` (required) and, when present,
        ``participants-votes.csv`` and ``summary.csv``.

    Returns
    -------
    PolisExport
        Re-votes resolved to the latest per (voter, comment); moderated -1 comments kept and
        flagged ``rejected``; timestamps in milliseconds.

    Raises
    ------
    PolisFormatError
        Naming the file, line and column of the first problem, e.g.
        ``votes.csv line 14, column vote: must be -1, 0 or 1 (got 'x')``.

    """
    folder = Path(path)
    if not folder.is_dir():
        raise PolisFormatError(str(folder), "not-an-export")
    votes, n_revotes, unit = _read_votes(folder)
    comments = _read_comments(folder, unit)
    known = comments["comment_id"].to_numpy()
    unknown = ~np.isin(votes["comment_id"].to_numpy(), known)
    if unknown.any():
        bad = int(votes["comment_id"][unknown].iloc[0])
        text = _open_text(folder / "votes.csv", "votes.csv")
        header = _header(text, "votes.csv", ())
        i = header.index("comment-id")
        for line, row in _records(text, "votes.csv"):
            if line > 1 and len(row) > i and _int_or_none(row[i]) == bad:
                raise PolisFormatError("votes.csv", "unknown-comment",
                                       row[i], line=line, column="comment-id")
    participants = _read_participants(folder)
    summary = _read_summary(folder)
    return PolisExport(folder, comments, votes, participants, summary, n_revotes, unit)
