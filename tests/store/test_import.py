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


def test_bulk_import_matches_the_votes_and_both_read_paths_agree(store):
    """Enough votes for several multi-row INSERT batches plus a remainder; re-votes and passes.

    The expected answers come from pandas on the input; ``responses_frame`` must give them
    whether or not it reads the rationales (on SQLite the two use different queries).
    """
    import numpy as np

    rng = np.random.default_rng(7)
    n_members, n_statements, n_votes = 57, 23, 1_111
    members = [m.Member(1, f"P{i}", external_id=f"p{i}") for i in range(n_members)]
    statements = [m.Statement(1, f"S{j}", external_id=f"s{j}") for j in range(n_statements)]
    member_index = rng.integers(0, n_members, n_votes)
    statement_index = rng.integers(0, n_statements, n_votes)
    stance = rng.choice([-1, 0, 1], n_votes)
    votes = pd.DataFrame({
        "member_index": member_index, "statement_index": statement_index,
        "stance": pd.array(np.where(stance == 0, None, stance), dtype="Int64"),
        "saved_at": [T0 + dt.timedelta(seconds=int(s)) for s in rng.integers(0, 10**6, n_votes)],
    })
    c = store.import_consultation(m.Development("other", "Bulk"),
                                  m.Consultation(1, "Bulk", scale="agree_disagree"),
                                  statements, members, votes)

    latest = votes.drop_duplicates(["member_index", "statement_index"], keep="last")
    expected = {(f"p{r.member_index}", f"s{r.statement_index}",
                 None if pd.isna(r.stance) else int(r.stance)) for r in latest.itertuples()}
    member_ext = {mb.id: mb.external_id for mb in store.list_members(c.id)}
    statement_ext = {s.id: s.external_id for s in store.list_statements(c.id)}
    full = store.responses_frame(c.id)
    lean = store.responses_frame(c.id, rationales=False)
    got = {(member_ext[r.member_id], statement_ext[r.statement_id],
            None if pd.isna(r.stance) else int(r.stance)) for r in lean.itertuples()}
    assert got == expected
    assert len(lean) == len(expected)
    assert "rationale" not in lean.columns and (full["rationale"] == "").all()
    pd.testing.assert_frame_equal(lean, full.drop(columns="rationale"))
    assert lean["stance"].isna().sum() == sum(1 for e in expected if e[2] is None) > 0
    assert list(lean.sort_values(["member_id", "statement_id"]).index) == list(lean.index)


def test_both_read_paths_agree_on_revised_cards_and_drafts(seeded, store):
    """Only each member's latest submitted revision counts, on either read path."""
    cid = seeded.consultation.id
    s1, s2, s3 = (s.id for s in seeded.statements)
    a, b, c = (seeded.tokens[mb.id] for mb in seeded.members)
    store.save_card(cid, a, [{"statement_id": s1, "stance": 2}, {"statement_id": s2, "stance": 5}])
    store.save_card(cid, a, [{"statement_id": s1, "stance": None, "rationale": "unsure"}])
    store.save_card(cid, b, [{"statement_id": s3, "stance": 4}])
    store.save_card(cid, b, [{"statement_id": s3, "stance": 1}], status="draft")
    store.save_card(cid, c, [{"statement_id": s2, "stance": 3}], status="draft")
    full = store.responses_frame(cid)
    lean = store.responses_frame(cid, rationales=False)
    pd.testing.assert_frame_equal(lean, full.drop(columns="rationale"))
    by_member = {(r.member_id, r.statement_id): (None if pd.isna(r.stance) else int(r.stance),
                                                 r.revision) for r in lean.itertuples()}
    a_id, b_id, _ = (mb.id for mb in seeded.members)
    assert by_member == {(a_id, s1): (None, 2), (b_id, s3): (4, 1)}
    assert list(full["rationale"]) == ["unsure", ""]
