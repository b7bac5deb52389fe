"""Write a consultation as a Pol.is conversation export folder.

The writer takes the consultation's data, never the store:
:func:`cop_widgets.services.exporting.export_polis` reads the store and calls
:func:`write_polis_export`. The folder it writes is one :func:`~cop_widgets.io.polis_read.
read_polis_export` reads back, so an imported conversation round-trips.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import model as m
from .csv import write_csv

__all__ = ["write_polis_export"]

#: Pol.is's ``moderated`` for each moderation state (a withdrawn statement is moderated out).
_MODERATED = {m.ModerationState.ACCEPTED: 1, m.ModerationState.PENDING: 0,
              m.ModerationState.REJECTED: -1, m.ModerationState.WITHDRAWN: -1}


def _numeric_ids(values: list[str]) -> list[int] | None:
    """Return ``values`` as ids if they are distinct whole numbers, 0 or more, else None."""
    try:
        ids = [int(v) for v in values]
    except ValueError:
        return None
    if any(i < 0 for i in ids) or len(set(ids)) != len(ids):
        return None
    return ids


def _frame_rows(frame: pd.DataFrame) -> Iterator[list[object]]:
    """Yield ``frame``'s header, then its rows with a missing value as ``None``."""
    yield list(frame.columns)
    cells = frame.astype(object)
    yield from cells.where(frame.notna(), None).itertuples(index=False, name=None)


def _polis_datetime(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000.0, dt.timezone.utc).strftime(
        "%a %b %d %H:%M:%S UTC %Y")


def _votes(responses: pd.DataFrame, polarity: Mapping[int, int], cid_of: dict[int, int],
           pid_of: dict[int, int]) -> pd.DataFrame:
    """Return ``votes.csv``'s rows: one per answer, a stance counted by its polarity."""
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
    return votes


def _participants(votes: pd.DataFrame, pids: list[int], cids: list[int],
                  group_of: dict[int, int], authored: pd.Series) -> pd.DataFrame:
    """Return ``participants-votes.csv``: counts, then one column of votes per comment."""
    wide = votes.pivot(index="voter-id", columns="comment-id", values="vote")
    wide = wide.reindex(index=sorted(pids), columns=sorted(cids))
    head = pd.DataFrame({
        "participant": wide.index.to_numpy(),
        "group-id": pd.array([group_of.get(p) for p in wide.index], dtype="Int64"),
        "n-comments": [int(authored.get(p, 0)) for p in wide.index],
        "n-votes": wide.notna().sum(axis=1).to_numpy(),
        "n-agree": (wide == 1).sum(axis=1).to_numpy(),
        "n-disagree": (wide == -1).sum(axis=1).to_numpy()})
    body = wide.astype("Int64").reset_index(drop=True)
    body.columns = [str(c) for c in body.columns]
    return pd.concat([head, body], axis=1)


def write_polis_export(path: str | Path, development: m.Development,
                       statements: Sequence[m.Statement], members: Sequence[m.Member],
                       responses: pd.DataFrame, polarity: Mapping[int, int], *,
                       written_at: dt.datetime,
                       labels: pd.Series | None = None,
                       participant_ids: Sequence[int] | None = None) -> Path:
    """Write a consultation as a Pol.is export folder.

    Writes ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` (with ``group-id``
    when ``labels`` is given) and ``summary.csv`` in Pol.is's layout. Comment and participant
    ids are the statements' and members' ``external_id`` when those are distinct whole
    numbers (so an imported conversation keeps its ids), else 0, 1, 2... in the order given;
    ``participant_ids`` replaces the members' ids. A statement's ``author-id`` is its
    proposer's participant id (empty when ``proposed_by`` is None). Stances count by
    polarity: agreeing levels 1, disagreeing -1, others and passes 0. No names are written:
    participants are numbers only. Every cell goes through
    :func:`~cop_widgets.io.csv.spreadsheet_cell`.

    Parameters
    ----------
    path : str or Path
        The folder to write (created if needed; the four files are overwritten).
    development : Development
        Gives ``topic``, ``url`` and ``conversation-description`` of ``summary.csv``.
    statements : sequence of Statement
        Every statement of the consultation, in card order, with their ids.
    members : sequence of Member
        The roster, with their ids.
    responses : pandas.DataFrame
        One row per answer: ``member_id``, ``statement_id``, ``stance`` (nullable: a pass)
        and ``saved_at``; answers to statements not in ``statements`` are left out.
    polarity : mapping of int to int
        The scale's polarity of each stance value (1, -1 or 0).
    written_at : datetime.datetime
        The comments' time when there is no vote to date them by (else the first vote's).
    labels : pandas.Series, optional
        Opinion group of each member id (``NA`` when not grouped), for ``group-id``.
    participant_ids : sequence of int, optional
        Each member's participant id, in the order of ``members`` (distinct, 0 or more):
        pseudonyms chosen by the caller instead of the members' external ids.

    Returns
    -------
    Path
        The folder.

    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    cids = _numeric_ids([s.external_id for s in statements]) or list(range(len(statements)))
    pids = ([int(p) for p in participant_ids] if participant_ids is not None
            else _numeric_ids([mb.external_id for mb in members]) or list(range(len(members))))
    cid_of = {s.id: c for s, c in zip(statements, cids, strict=True)}
    pid_of = {mb.id: p for mb, p in zip(members, pids, strict=True)}

    votes = _votes(responses, polarity, cid_of, pid_of)
    write_csv(folder / "votes.csv", _frame_rows(votes))

    start = (int(votes["timestamp"].min()) if len(votes)
             else int(written_at.timestamp() * 1000))
    agrees = votes[votes["vote"] == 1].groupby("comment-id").size()
    disagrees = votes[votes["vote"] == -1].groupby("comment-id").size()
    authors = [pid_of.get(s.proposed_by) for s in statements]
    comments = pd.DataFrame({
        "timestamp": start, "datetime": _polis_datetime(start), "comment-id": cids,
        "author-id": pd.array(authors, dtype="Int64"),
        "agrees": [int(agrees.get(c, 0)) for c in cids],
        "disagrees": [int(disagrees.get(c, 0)) for c in cids],
        "moderated": [_MODERATED[s.moderation] for s in statements],
        "comment-body": [s.text for s in statements]})
    write_csv(folder / "comments.csv", _frame_rows(comments))

    group_of: dict[int, int] = {}
    if labels is not None:
        for member_id, group in labels.dropna().items():
            if int(member_id) in pid_of:
                group_of[pid_of[int(member_id)]] = int(group)
    participants = _participants(votes, pids, cids, group_of,
                                 pd.Series(authors).value_counts())
    write_csv(folder / "participants-votes.csv", _frame_rows(participants))

    voters = int(votes["voter-id"].nunique())
    rows = [("topic", development.title), ("url", development.source_url),
            ("views", len(members)), ("voters", voters), ("voters-in-conv", voters),
            ("commenters", sum(1 for s in statements if s.proposed_by is not None)),
            ("comments", len(statements)), ("groups", len(set(group_of.values()))),
            ("conversation-description", development.summary)]
    write_csv(folder / "summary.csv", rows)
    return folder
