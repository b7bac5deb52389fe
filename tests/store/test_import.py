"""Bulk import of a whole consultation, on both backends: all or nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cop_widgets import model as m
from cop_widgets.errors import ValidationError

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def parts():
    return (m.Development("other", "Imported"),
            m.Consultation(1, "Imported question", scale="agree_disagree"),
            [m.Statement(1, "A", external_id="c0"), m.Statement(1, "B", external_id="c1")],
            [m.Member(1, "P0", external_id="p0"), m.Member(1, "P1", external_id="p1"),
             m.Member(1, "P2", external_id="p2")])


def test_import_keeps_the_latest_vote_and_external_ids(store):
    votes = [(0, 0, 1, T0), (0, 1, None, T0), (1, 1, -1, T0),
             (0, 0, -1, T0 + dt.timedelta(minutes=5))]  # a re-vote: the later one wins
    c = store.import_consultation(*parts(), votes)
    frame = store.responses_frame(c.id)
    members = {mb.id: mb.external_id for mb in store.list_members(c.id)}
    statements = {s.id: s.external_id for s in store.list_statements(c.id)}
    got = {(members[r.member_id], statements[r.statement_id],
            None if pd.isna(r.stance) else int(r.stance)) for r in frame.itertuples()}
    assert got == {("p0", "c0", -1), ("p0", "c1", None), ("p1", "c1", -1)}
    saved = frame.groupby("member_id")["saved_at"].max()
    assert saved.min() == pd.Timestamp(T0) and saved.max() == pd.Timestamp(T0) + pd.Timedelta(
        minutes=5)
    assert store.count_respondents(c.id) == 2  # P2 cast no vote: no card


def test_import_accepts_a_frame(store):
    votes = pd.DataFrame({"member_index": [0, 1], "statement_index": [1, 0],
                          "stance": pd.array([1, None], dtype="Int64"),
                          "saved_at": [T0, T0]})
    c = store.import_consultation(*parts(), votes)
    assert len(store.responses_frame(c.id)) == 2


@pytest.mark.parametrize("bad,field", [
    ((3, 0, 1, T0), "votes[1].member"),
    ((0, 2, 1, T0), "votes[1].statement"),
    ((0, 0, 5, T0), "votes[1].stance"),
])
def test_bad_vote_names_the_row_and_writes_nothing(store, bad, field):
    with pytest.raises(ValidationError) as info:
        store.import_consultation(*parts(), [(0, 0, 1, T0), bad])
    assert info.value.field == field
    assert store.list_consultations() == [] and store.list_developments() == []
