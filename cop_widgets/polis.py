"""Import and export Pol.is conversation exports (``comments.csv``, ``votes.csv``, ...).

A Pol.is export folder holds ``comments.csv`` and ``votes.csv`` (required) and
``participants-votes.csv`` and ``summary.csv`` (optional). In Pol.is files a vote is 1 agree,
-1 disagree, 0 pass; ``moderated`` is 1 accepted, 0 unmoderated, -1 rejected; timestamps are
milliseconds since the epoch (seconds are detected and accepted).

Reading checks every value and raises :class:`PolisFormatError` naming the file, the line and
the column of the first problem. Importing writes the whole conversation in one transaction:
a refused export writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import model as m
from .errors import ValidationError

if TYPE_CHECKING:
    from .analysis.opinion import OpinionGroups
    from .store import Store

__all__ = ["PolisFormatError", "PolisExport", "read_polis_export", "import_polis",
           "export_polis", "polis_vote_matrix"]

_SECONDS_LIMIT = 100_000_000_000  # below: seconds (year 5138); above: milliseconds
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class PolisFormatError(ValidationError):
    """A Pol.is export file is missing or malformed.

    Attributes
    ----------
    file : str
        The file name (``votes.csv``).
    line : int or None
        1-based line of the file where the problem is (the header is line 1).
    column : str or None
        The column name.

    """

    def __init__(self, file: str, rule: str, value: Any = None, *, line: int | None = None,
                 column: str | None = None):
        self.file = file
        self.line = line
        self.column = column
        where = file
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f", column {column}" if line is not None else f" column {column}"
        super().__init__(where, rule, value)


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
        raise PolisFormatError(name, f"is missing from the export folder {path.parent}"
                               ) from None
    except OSError as exc:
        raise PolisFormatError(name, f"cannot be read ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolisFormatError(name, "is not UTF-8 text", line=line) from None


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
            raise PolisFormatError(name, f"is not valid CSV ({exc})",
                                   line=reader.line_num) from None
        yield previous + 1, row
        previous = reader.line_num


def _header(text: str, name: str, required: tuple[str, ...]) -> list[str]:
    first = next(_records(text, name), None)
    if first is None:
        raise PolisFormatError(name, "is empty; it needs a header line", line=1)
    header = [h.strip() for h in first[1]]
    for column in required:
        if column not in header:
            raise PolisFormatError(name, f"is missing (the header has {', '.join(header)})",
                                   line=1, column=column)
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
            raise PolisFormatError(name, f"has {len(row)} fields where the header has "
                                   f"{len(header)}", line=line)
        for column, (rule, ok) in checks.items():
            value = row[index[column]]
            if not ok(value):
                raise PolisFormatError(name, rule, value, line=line, column=column)
    raise PolisFormatError(name, "has a value that could not be read", line=None)


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
    checks = {"timestamp": ("must be a time in milliseconds or seconds since 1970",
                            _is_timestamp),
              "comment-id": ("must be a whole number, 0 or more", _is_id),
              "voter-id": ("must be a whole number, 0 or more", _is_id),
              "vote": ("must be -1, 0 or 1", _is_vote)}
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
        "comment-id": ("must be a whole number, 0 or more", _is_id),
        "moderated": ("must be -1, 0 or 1", _is_moderated)}
    if "timestamp" in optional:
        checks["timestamp"] = ("must be a time in milliseconds or seconds since 1970",
                               lambda v: v.strip() == "" or _is_timestamp(v))
    if "author-id" in optional:
        checks["author-id"] = ("must be a whole number, 0 or more, or empty",
                               _is_optional_id)
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
                             "rejected": mod == -1, "text": frame["comment-body"].to_numpy(),
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
                raise PolisFormatError(name, "repeats an id already used above", row[i],
                                       line=line, column=column)
            seen = True
    raise PolisFormatError(name, "repeats an id", value, column=column)


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
        "participant": ("must be a whole number, 0 or more", _is_id)}
    if "group-id" in wanted:
        checks["group-id"] = ("must be a whole number, 0 or more, or empty", _is_optional_id)
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
    xid = frame["xid"].to_numpy() if "xid" in wanted else np.full(len(frame), "", object)
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
            raise PolisFormatError(name, "needs a key and a value on each line", row[0],
                                   line=line)
        summary[row[0].strip()] = row[1]
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
        raise PolisFormatError(str(folder), "is not a folder holding a Pol.is export")
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
                raise PolisFormatError("votes.csv", "is not a comment-id of comments.csv",
                                       row[i], line=line, column="comment-id")
    participants = _read_participants(folder)
    summary = _read_summary(folder)
    return PolisExport(folder, comments, votes, participants, summary, n_revotes, unit)


# -- import -------------------------------------------------------------------------------


def _clip(text: str, limit_key: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    limit = m.LIMITS[limit_key]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def import_polis(store: Store, path: str | Path) -> m.Consultation:
    """Import a Pol.is export folder as a closed, anonymous consultation.

    Creates a development (kind "other"; title from ``summary.csv`` ``topic`` or the folder
    name; summary from ``conversation-description``; source from ``url`` when it is http(s)),
    a consultation on the ``agree_disagree`` scale (anonymous, closed, results visible after
    close), one statement per comment (``external_id`` = comment id; moderated -1 is
    "rejected", others "accepted"), one member "Participant N" per participant
    (``external_id`` = participant id) and each participant's latest votes as one submitted
    card. A card is dated at the participant's first vote, their arrival, which is the order
    Pol.is seeds its opinion groups with. Texts longer than the model allows are shortened
    with an ellipsis.

    Parameters
    ----------
    store : Store
        Where to write, in one transaction.
    path : str or Path
        The export folder.

    Returns
    -------
    Consultation
        The new consultation with its id.

    Raises
    ------
    PolisFormatError
        If the export is malformed; nothing is written.

    """
    export = read_polis_export(path)
    summary = export.summary
    title = _clip(summary.get("topic", "") or export.path.resolve().name, "title")
    if not title:
        title = "Pol.is conversation"
    url = summary.get("url", "").strip()
    development = m.Development(
        m.DevelopmentKind.OTHER, title,
        summary=_clip(summary.get("conversation-description", ""), "summary"),
        source_url=url if _URL.match(url) and len(url) <= m.LIMITS["source_url"] else "")
    consultation = m.Consultation(
        1, title, scale="agree_disagree", anonymous=True,
        visibility=m.Visibility.AFTER_CLOSE, status=m.ConsultationStatus.CLOSED)
    comments = export.comments
    statements = [
        m.Statement(1, _clip(text, "statement") or f"(comment {cid} has no text)",
                    moderation=(m.ModerationState.REJECTED if rejected
                                else m.ModerationState.ACCEPTED),
                    external_id=str(cid))
        for cid, text, rejected in zip(comments["comment_id"].tolist(),
                                       comments["text"].tolist(),
                                       comments["rejected"].tolist(), strict=True)]
    pids = export.participant_ids
    members = [m.Member(1, f"Participant {pid}", external_id=str(pid)) for pid in pids.tolist()]
    votes = export.votes
    member_index = np.searchsorted(pids, votes["voter_id"].to_numpy())
    statement_index = np.searchsorted(comments["comment_id"].to_numpy(),
                                      votes["comment_id"].to_numpy())
    first_ms = votes.groupby("voter_id")["timestamp_ms"].transform("min").to_numpy()
    stances = votes["vote"].to_numpy()
    rows = pd.DataFrame({
        "member_index": member_index,
        "statement_index": statement_index,
        "stance": pd.array(np.where(stances == 0, None, stances), dtype="Int64"),  # 0 = pass
        "saved_at": pd.to_datetime(first_ms, unit="ms", utc=True),
    })
    return store.import_consultation(development, consultation, statements, members, rows)


def polis_vote_matrix(store: Store, consultation_id: int):
    """Return the vote matrix of a consultation with Pol.is's treatment of moderation.

    Accepted statements are the columns; rejected and withdrawn ones stay as inactive
    columns (Pol.is's ``mod-out``: zeros that move nobody but count in each member's number
    of answers); pending ones are left out.

    Returns
    -------
    VoteMatrix

    """
    from .analysis.opinion import vote_matrix

    consultation = store.get_consultation(consultation_id)
    statements = store.list_statements(consultation_id, states=None)
    accepted = [s.id for s in statements if s.moderation is m.ModerationState.ACCEPTED]
    out = [s.id for s in statements if s.moderation in (m.ModerationState.REJECTED,
                                                        m.ModerationState.WITHDRAWN)]
    return vote_matrix(store.responses_frame(consultation_id, rationales=False),
                       consultation.scale, accepted,
                       moderated_out=out)


# -- export -------------------------------------------------------------------------------


def _numeric_ids(values: list[str]) -> list[int] | None:
    try:
        ids = [int(v) for v in values]
    except ValueError:
        return None
    if any(i < 0 for i in ids) or len(set(ids)) != len(ids):
        return None
    return ids


def _polis_datetime(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000.0, dt.timezone.utc).strftime(
        "%a %b %d %H:%M:%S UTC %Y")


_MODERATED = {m.ModerationState.ACCEPTED: 1, m.ModerationState.PENDING: 0,
              m.ModerationState.REJECTED: -1, m.ModerationState.WITHDRAWN: -1}


def export_polis(store: Store, consultation_id: int, path: str | Path,
                 groups: OpinionGroups | None = None) -> Path:
    """Write a consultation as a Pol.is export folder.

    Writes ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` (with ``group-id``
    when ``groups`` is given) and ``summary.csv`` in Pol.is's layout. Comment and participant
    ids are the statements' and members' ``external_id`` when those are distinct whole
    numbers (so an imported conversation keeps its ids), else 0, 1, 2... in card and roster
    order. Stances count by polarity: agreeing levels 1, disagreeing -1, others and passes 0.
    No names are written: participants are numbers only.

    Parameters
    ----------
    store : Store
        Where the consultation is.
    consultation_id : int
        The consultation.
    path : str or Path
        The folder to write (created if needed; the four files are overwritten).
    groups : OpinionGroups, optional
        Opinion groups to write in ``participants-votes.csv``.

    Returns
    -------
    Path
        The folder.

    """
    from .scales import get_scale

    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    consultation = store.get_consultation(consultation_id)
    development = store.get_development(consultation.development_id)
    scale = get_scale(consultation.scale)
    polarity = {lv.value: lv.polarity for lv in scale.levels}
    statements = store.list_statements(consultation_id, states=None)
    members = store.list_members(consultation_id)
    cids = _numeric_ids([s.external_id for s in statements]) or list(range(len(statements)))
    pids = _numeric_ids([mb.external_id for mb in members]) or list(range(len(members)))
    cid_of = {s.id: c for s, c in zip(statements, cids, strict=True)}
    pid_of = {mb.id: p for mb, p in zip(members, pids, strict=True)}

    responses = store.responses_frame(consultation_id)
    responses = responses[responses["statement_id"].isin(cid_of)]
    stance = responses["stance"]
    vote = np.zeros(len(responses), np.int64)
    answered = stance.notna().to_numpy()
    vote[answered] = [polarity.get(int(v), 0) for v in stance[answered].tolist()]
    saved = pd.to_datetime(responses["saved_at"], utc=True)
    ms = ((saved - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)).to_numpy(
        dtype=np.int64) if len(responses) else np.zeros(0, np.int64)
    votes = pd.DataFrame({
        "timestamp": ms,
        "comment-id": responses["statement_id"].map(cid_of).to_numpy(dtype=np.int64),
        "voter-id": responses["member_id"].map(pid_of).to_numpy(dtype=np.int64),
        "vote": vote})
    votes = votes.sort_values(["timestamp", "voter-id", "comment-id"], kind="stable")
    stamps = {t: _polis_datetime(t) for t in np.unique(votes["timestamp"]).tolist()}
    votes.insert(1, "datetime", votes["timestamp"].map(stamps))
    votes.to_csv(folder / "votes.csv", index=False, lineterminator="\n")

    start = int(ms.min()) if len(ms) else int(store.now().timestamp() * 1000)
    agrees = votes[votes["vote"] == 1].groupby("comment-id").size()
    disagrees = votes[votes["vote"] == -1].groupby("comment-id").size()
    comments = pd.DataFrame({
        "timestamp": start, "datetime": _polis_datetime(start), "comment-id": cids,
        "author-id": pd.array([pid_of.get(s.proposed_by) for s in statements], dtype="Int64"),
        "agrees": [int(agrees.get(c, 0)) for c in cids],
        "disagrees": [int(disagrees.get(c, 0)) for c in cids],
        "moderated": [_MODERATED[s.moderation] for s in statements],
        "comment-body": [s.text for s in statements]})
    comments.to_csv(folder / "comments.csv", index=False, lineterminator="\n")

    wide = votes.pivot(index="voter-id", columns="comment-id", values="vote")
    wide = wide.reindex(index=sorted(pids), columns=sorted(cids))
    group_of: dict[int, int] = {}
    if groups is not None:
        for member_id, group in groups.labels.dropna().items():
            if int(member_id) in pid_of:
                group_of[pid_of[int(member_id)]] = int(group)
    authored = pd.Series([pid_of.get(s.proposed_by) for s in statements]).value_counts()
    head = pd.DataFrame({
        "participant": wide.index.to_numpy(),
        "group-id": pd.array([group_of.get(p) for p in wide.index], dtype="Int64"),
        "n-comments": [int(authored.get(p, 0)) for p in wide.index],
        "n-votes": wide.notna().sum(axis=1).to_numpy(),
        "n-agree": (wide == 1).sum(axis=1).to_numpy(),
        "n-disagree": (wide == -1).sum(axis=1).to_numpy()})
    body = wide.astype("Int64").reset_index(drop=True)
    body.columns = [str(c) for c in body.columns]
    pd.concat([head, body], axis=1).to_csv(folder / "participants-votes.csv", index=False,
                                           lineterminator="\n")

    n_groups = len(set(group_of.values())) if group_of else 0
    rows = [("topic", development.title), ("url", development.source_url),
            ("views", len(members)), ("voters", int(votes["voter-id"].nunique())),
            ("voters-in-conv", int(votes["voter-id"].nunique())),
            ("commenters", int(sum(1 for s in statements if s.proposed_by is not None))),
            ("comments", len(statements)), ("groups", n_groups),
            ("conversation-description", development.summary)]
    with open(folder / "summary.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder
