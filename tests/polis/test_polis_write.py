"""The Pol.is writer called directly with data, no store: what each file holds, and that the
reader takes the folder back."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd

from cop_widgets import model as m
from cop_widgets.io import read_polis_export, write_polis_export

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
T0_MS = int(T0.timestamp() * 1000)
#: A five-level scale's polarity: 1-2 disagree, 3 neither, 4-5 agree.
POLARITY = {1: -1, 2: -1, 3: 0, 4: 1, 5: 1}
DEVELOPMENT = m.Development("other", "Night shifts", summary="What changes in March",
                            source_url="https://example.org/night")


def _statements(external_ids=("", "", "")):
    states = [m.ModerationState.ACCEPTED, m.ModerationState.WITHDRAWN,
              m.ModerationState.PENDING]
    return [m.Statement(1, f"Statement {i}", proposed_by=11 if i == 2 else None,
                        moderation=state, external_id=ext, id=100 + i)
            for i, (state, ext) in enumerate(zip(states, external_ids, strict=True))]


def _members(external_ids=("", "", "")):
    return [m.Member(1, name, external_id=ext, id=10 + i)
            for i, (name, ext) in enumerate(zip(("Ana", "Bo", "Cy"), external_ids,
                                                strict=True))]


def _responses():
    return pd.DataFrame({
        "member_id": [10, 10, 11, 11, 12],
        "statement_id": [100, 101, 100, 102, 999],  # 999: not a statement, left out
        "stance": pd.array([5, 2, None, 3, 1], dtype="Int64"),
        "saved_at": [T0, T0, T0 + dt.timedelta(seconds=2), T0 + dt.timedelta(seconds=2), T0]})


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_ids_are_positions_when_external_ids_are_not_whole_numbers(tmp_path):
    folder = write_polis_export(tmp_path / "out", DEVELOPMENT, _statements(), _members(),
                                _responses(), POLARITY, written_at=T0)
    votes = [(r["timestamp"], r["comment-id"], r["voter-id"], r["vote"])
             for r in _rows(folder / "votes.csv")]
    # by polarity: 5 agrees, 2 disagrees, a pass and a neutral level are 0
    assert votes == [(str(T0_MS), "0", "0", "1"), (str(T0_MS), "1", "0", "-1"),
                     (str(T0_MS + 2000), "0", "1", "0"), (str(T0_MS + 2000), "2", "1", "0")]
    comments = _rows(folder / "comments.csv")
    assert [(c["comment-id"], c["moderated"], c["author-id"], c["agrees"], c["disagrees"])
            for c in comments] == [("0", "1", "", "1", "0"), ("1", "-1", "", "0", "1"),
                                   ("2", "0", "1", "0", "0")]
    assert {c["timestamp"] for c in comments} == {str(T0_MS)}  # the first vote's time


def test_external_ids_are_kept_and_groups_written(tmp_path):
    labels = pd.Series([0, 1, pd.NA], index=[10, 11, 12], dtype="Int64")
    folder = write_polis_export(tmp_path / "out", DEVELOPMENT,
                                _statements(("7", "8", "9")), _members(("40", "41", "42")),
                                _responses(), POLARITY, written_at=T0, labels=labels)
    participants = _rows(folder / "participants-votes.csv")
    assert [(p["participant"], p["group-id"], p["n-votes"], p["n-agree"], p["n-disagree"],
             p["n-comments"], p["7"], p["8"], p["9"]) for p in participants] == [
        ("40", "0", "2", "1", "1", "0", "1", "-1", ""),
        ("41", "1", "2", "0", "0", "1", "0", "", "0"),
        ("42", "", "0", "0", "0", "0", "", "", "")]
    export = read_polis_export(folder)
    assert export.comments["comment_id"].tolist() == [7, 8, 9]
    assert export.comments["rejected"].tolist() == [False, True, False]
    assert export.participant_ids.tolist() == [40, 41, 42]
    assert export.summary == {
        "topic": "Night shifts", "url": "https://example.org/night", "views": "3",
        "voters": "2", "voters-in-conv": "2", "commenters": "1", "comments": "3",
        "groups": "2", "conversation-description": "What changes in March"}


def test_no_names_are_written(tmp_path):
    folder = write_polis_export(tmp_path / "out", DEVELOPMENT, _statements(), _members(),
                                _responses(), POLARITY, written_at=T0)
    written = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert not {"Ana", "Bo", "Cy"} & set(written.replace(",", " ").split())


def test_without_votes_the_comments_are_dated_when_written(tmp_path):
    folder = write_polis_export(tmp_path / "out", DEVELOPMENT, _statements(), _members(),
                                _responses().iloc[0:0], POLARITY, written_at=T0)
    assert _rows(folder / "votes.csv") == []
    assert {c["timestamp"] for c in _rows(folder / "comments.csv")} == {str(T0_MS)}
    assert read_polis_export(folder).votes.empty
