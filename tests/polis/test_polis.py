"""Pol.is import, export and opinion groups on the four real conversations and on bad files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from cop_widgets import model as m
from cop_widgets.analysis.opinion import (
    group_informed_consensus,
    opinion_groups,
    representative_statements,
)
from cop_widgets.errors import ValidationError
from cop_widgets.io import PolisFormatError, read_polis_export
from cop_widgets.services.analysis import polis_vote_matrix
from cop_widgets.services.exporting import export_polis
from cop_widgets.services.importing import import_polis
from cop_widgets.store import Store

CONVERSATIONS = ["london.youth.policing", "15-per-hour-seattle", "scoop-hivemind.biodiversity",
                 "vtaiwan.uberx"]

# Adjusted Rand index against Pol.is's own group-id, over the participants Pol.is grouped
# (ours unclustered count as a group of their own). Floors are what this implementation
# reaches, a little below (benchmarks/polis_groups.py prints both side by side).
ARI_FLOORS = {
    "london.youth.policing": -0.03,  # reaches -0.019; see BELOW_REDDWARF
    "15-per-hour-seattle": 0.56,  # 0.563
    "scoop-hivemind.biodiversity": 0.965,  # 0.970
    "vtaiwan.uberx": 0.92,  # 0.927 (Pol.is's participant ids as the join order)
}
# red-dwarf 0.4.0 measured the same way (run_pipeline, random_state=0).
REDDWARF_ARI = {
    "london.youth.policing": 0.122,
    "15-per-hour-seattle": 0.459,
    "scoop-hivemind.biodiversity": 0.936,
    "vtaiwan.uberx": 0.824,
}
# Where Pol.is's steps, followed from the export, stay below red-dwarf. london: its first
# fifteen comments, the owner's seed statements (age, gender, language, ethnicity, an
# encounter with the police), were most likely Pol.is "meta" statements, which Pol.is
# leaves out of the math (mod-update puts is_meta comments in mod-out) and its export does
# not mark: on the projection without them Pol.is's three groups are exactly the k-means
# regions of their own centres, and a cold start without them finds those groups (ARI 1.0),
# while with them Pol.is's own centres put people in their group with ARI 0.39 only. With
# every statement, as the export gives them, k-means lands between -0.06 and 0.19 by its
# seeds; red-dwarf's 0.122 comes from seeding with the leftmost points (np.unique sorts).
BELOW_REDDWARF = {"london.youth.policing"}


def latest_votes(votes_csv: Path) -> dict[tuple[int, int], int]:
    """Independent reading: the latest vote per (voter, comment), later line on equal time."""
    latest: dict[tuple[int, int], tuple[float, int, int]] = {}
    with open(votes_csv, newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle)):
            key = (int(row["voter-id"]), int(row["comment-id"]))
            stamp = (float(row["timestamp"]), line)
            if key not in latest or stamp >= latest[key][:2]:
                latest[key] = (*stamp, int(row["vote"]))
    return {k: v[2] for k, v in latest.items()}


def imported_votes(store: Store, cid: int) -> dict[tuple[int, int], int]:
    frame = store.responses_frame(cid)
    members = store.members_frame(cid).set_index("member_id")["external_id"].astype(int)
    statements = {s.id: int(s.external_id) for s in store.list_statements(cid, states=None)}
    stance = frame["stance"].fillna(0).astype(int)
    return {(int(members[mid]), statements[sid]): int(v)
            for mid, sid, v in zip(frame["member_id"], frame["statement_id"], stance,
                                   strict=True)}


def external_labels(store: Store, cid: int, groups) -> pd.Series:
    members = store.members_frame(cid).set_index("member_id")["external_id"].astype(int)
    labels = groups.labels.copy()
    labels.index = members.reindex(labels.index).to_numpy()
    return labels


# -- the four real conversations ------------------------------------------------------------


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_import_counts_match_votes_csv(polis_data, sqlite_store, name):
    folder = polis_data / name
    consultation = import_polis(sqlite_store, folder)
    expected = latest_votes(folder / "votes.csv")
    assert imported_votes(sqlite_store, consultation.id) == expected
    counts = sqlite_store.stance_counts(consultation.id)
    by_external = {int(s.external_id): s.id
                   for s in sqlite_store.list_statements(consultation.id, states=None)}
    for comment in {c for _, c in expected}:
        agree = sum(1 for (_, c), v in expected.items() if c == comment and v == 1)
        disagree = sum(1 for (_, c), v in expected.items() if c == comment and v == -1)
        got = counts.get(by_external[comment], {})
        assert (got.get(1, 0), got.get(-1, 0)) == (agree, disagree)
    c = sqlite_store.get_consultation(consultation.id)
    assert (c.scale, c.anonymous, c.status, c.visibility) == (
        "agree_disagree", True, m.ConsultationStatus.CLOSED, m.Visibility.AFTER_CLOSE)
    development = sqlite_store.get_development(c.development_id)
    assert development.kind is m.DevelopmentKind.OTHER
    assert development.source_url.startswith("https://pol.is/")


def test_moderated_statements_are_rejected_and_out_of_groups(polis_data, sqlite_store):
    folder = polis_data / "scoop-hivemind.biodiversity"
    comments = pd.read_csv(folder / "comments.csv")
    rejected = set(comments.loc[comments["moderated"] == -1, "comment-id"])
    consultation = import_polis(sqlite_store, folder)
    statements = sqlite_store.list_statements(consultation.id, states=None)
    state = {int(s.external_id): s.moderation for s in statements}
    assert {c for c, s in state.items() if s is m.ModerationState.REJECTED} == rejected
    assert len(rejected) > 100
    out_ids = {s.id for s in statements if s.moderation is m.ModerationState.REJECTED}
    matrix = polis_vote_matrix(sqlite_store, consultation.id)
    inactive = set(matrix.statement_ids[~matrix.active].tolist())
    assert inactive == out_ids & set(matrix.statement_ids.tolist())
    groups = opinion_groups(matrix)
    rep = representative_statements(matrix, groups)
    assert not set(rep["statement_id"]) & out_ids
    assert not set(group_informed_consensus(matrix, groups).index) & out_ids
    # Moderated-out columns move nobody: changing their votes leaves every position alone.
    flipped = matrix.__class__(**{**matrix.__dict__, "_cache": {}})
    mask = ~matrix.active[matrix.cols]
    flipped.data = matrix.data.copy()
    flipped.data[mask] = -flipped.data[mask]
    again = opinion_groups(flipped)
    pd.testing.assert_frame_equal(groups.coords, again.coords)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_groups_agree_with_polis(polis_data, sqlite_store, name):
    folder = polis_data / name
    consultation = import_polis(sqlite_store, folder)
    groups = opinion_groups(polis_vote_matrix(sqlite_store, consultation.id))
    polis = read_polis_export(folder).participants.set_index("participant")["group_id"]
    polis = polis.dropna().astype(int)
    ours = external_labels(sqlite_store, consultation.id, groups)
    ours = ours.reindex(polis.index).fillna(-1).astype(int)
    ari = adjusted_rand_score(polis.to_numpy(), ours.to_numpy())
    print(f"\nARI {name}: {ari:.4f} (k={groups.k}, Pol.is k={polis.nunique()}, "
          f"red-dwarf 0.4.0 {REDDWARF_ARI[name]})")
    assert ari >= ARI_FLOORS[name]
    if name not in BELOW_REDDWARF:
        assert ARI_FLOORS[name] >= REDDWARF_ARI[name]


def test_london_without_its_seed_statements_gives_polis_groups_exactly(polis_data,
                                                                       sqlite_store):
    # The reason london is in BELOW_REDDWARF, checked: leave out of the math the statements
    # Pol.is most likely treated as meta (inferred, the export does not record it): comments
    # 0-14, the owner's seed statements about the participant. A cold start then finds
    # Pol.is's own three groups, person for person.
    from cop_widgets.analysis.opinion import vote_matrix

    folder = polis_data / "london.youth.policing"
    consultation = import_polis(sqlite_store, folder)
    statements = sqlite_store.list_statements(consultation.id, states=None)
    out = [s.id for s in statements
           if s.moderation is m.ModerationState.REJECTED or int(s.external_id) < 15]
    kept = [s.id for s in statements if s.id not in out]
    responses = sqlite_store.responses_frame(consultation.id, rationales=False)
    groups = opinion_groups(vote_matrix(responses, "agree_disagree", kept, moderated_out=out))
    polis = read_polis_export(folder).participants.set_index("participant")["group_id"]
    polis = polis.dropna().astype(int)
    ours = external_labels(sqlite_store, consultation.id, groups)
    assert groups.k == 3
    assert ours.notna().sum() == len(polis)
    assert adjusted_rand_score(polis.to_numpy(), ours.reindex(polis.index).to_numpy()) == 1.0


def test_deterministic_and_independent_of_member_ids(polis_data, sqlite_store):
    consultation = import_polis(sqlite_store, polis_data / "scoop-hivemind.biodiversity")
    matrix = polis_vote_matrix(sqlite_store, consultation.id)
    first, second = opinion_groups(matrix), opinion_groups(matrix)
    pd.testing.assert_series_equal(first.labels, second.labels)
    pd.testing.assert_frame_equal(first.coords, second.coords)
    assert first.silhouette == second.silhouette
    rep1 = representative_statements(matrix, first)
    pd.testing.assert_frame_equal(rep1, representative_statements(matrix, second))

    # Relabel members with a shuffled set of new ids: the partition must not change.
    from cop_widgets.analysis.opinion import vote_matrix

    responses = sqlite_store.responses_frame(consultation.id)
    ids = np.unique(responses["member_id"])
    new_ids = np.random.default_rng(7).permutation(np.arange(10_000, 10_000 + len(ids)))
    relabel = dict(zip(ids.tolist(), new_ids.tolist(), strict=True))
    shuffled = responses.assign(member_id=responses["member_id"].map(relabel))
    shuffled = shuffled.sample(frac=1.0, random_state=3)
    active = matrix.statement_ids[matrix.active].tolist()
    inactive = matrix.statement_ids[~matrix.active].tolist()
    other = opinion_groups(vote_matrix(shuffled, "agree_disagree", active,
                                       moderated_out=inactive))
    back = other.labels.copy()
    back.index = [dict(zip(new_ids.tolist(), ids.tolist(), strict=True))[i]
                  for i in back.index]
    back = back.reindex(first.labels.index)
    assert (back.isna() == first.labels.isna()).all()
    clustered = first.labels.notna()
    assert adjusted_rand_score(first.labels[clustered].astype(int),
                               back[clustered].astype(int)) == 1.0


def test_round_trip_keeps_votes(polis_data, sqlite_store, tmp_path):
    consultation = import_polis(sqlite_store, polis_data / "15-per-hour-seattle")
    groups = opinion_groups(polis_vote_matrix(sqlite_store, consultation.id))
    out = export_polis(sqlite_store, consultation.id, tmp_path / "export", groups=groups)
    assert {p.name for p in out.iterdir()} >= {"comments.csv", "votes.csv",
                                               "participants-votes.csv", "summary.csv"}
    again = import_polis(sqlite_store, out)
    assert imported_votes(sqlite_store, again.id) == imported_votes(sqlite_store, consultation.id)
    before = {(int(s.external_id), s.moderation)
              for s in sqlite_store.list_statements(consultation.id, states=None)}
    after = {(int(s.external_id), s.moderation)
             for s in sqlite_store.list_statements(again.id, states=None)}
    assert before == after
    participants = read_polis_export(out).participants.set_index("participant")["group_id"]
    ours = external_labels(sqlite_store, consultation.id, groups).dropna().astype(int)
    assert participants.reindex(ours.index).astype(int).to_dict() == ours.to_dict()
    summary = read_polis_export(out).summary
    assert summary["topic"] == "$15/hour"
    header = (out / "participants-votes.csv").read_text().splitlines()[0].split(",")
    assert header[:6] == ["participant", "group-id", "n-comments", "n-votes", "n-agree",
                          "n-disagree"]


# -- small hand-written exports -------------------------------------------------------------


COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1600000000000,x,0,0,1,0,1,First statement\n"
    "1600000000000,x,1,0,0,1,1,\"Second, with a comma\nand a new line\"\n"
    "1600000000000,x,2,1,0,0,-1,Rejected statement\n"
)
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def write_export(folder: Path, votes: str, comments: str = COMMENTS,
                 summary: str | None = "topic,A small test\nurl,https://pol.is/test\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "comments.csv").write_text(comments, encoding="utf-8")
    (folder / "votes.csv").write_text(votes, encoding="utf-8")
    if summary is not None:
        (folder / "summary.csv").write_text(summary, encoding="utf-8")
    return folder


def test_revotes_resolve_to_the_latest(tmp_path, sqlite_store):
    votes = VOTES_HEADER + (
        "1600000000300,x,0,5,1\n"
        "1600000000100,x,0,5,-1\n"   # earlier in time though later in the file
        "1600000000200,x,1,5,1\n"
        "1600000000400,x,1,5,0\n"    # changed to a pass
        "1600000000500,x,0,6,-1\n"
    )
    folder = write_export(tmp_path / "revotes", votes)
    export = read_polis_export(folder)
    assert export.n_revotes == 2
    got = {(r.voter_id, r.comment_id): r.vote for r in export.votes.itertuples()}
    assert got == {(5, 0): 1, (5, 1): 0, (6, 0): -1}
    consultation = import_polis(sqlite_store, folder)
    assert imported_votes(sqlite_store, consultation.id) == got
    assert sqlite_store.get_development(
        sqlite_store.get_consultation(consultation.id).development_id).title == "A small test"
    texts = [s.text for s in sqlite_store.list_statements(consultation.id, states=None)]
    assert texts[1] == "Second, with a comma\nand a new line"


def test_timestamps_in_seconds_are_accepted(tmp_path, sqlite_store):
    votes = VOTES_HEADER + "1600000000,x,0,1,1\n1600000005,x,1,1,-1\n1600000009,x,0,2,0\n"
    folder = write_export(tmp_path / "seconds", votes, summary=None)
    export = read_polis_export(folder)
    assert export.time_unit == "s"
    assert export.votes["timestamp_ms"].min() == 1_600_000_000_000
    consultation = import_polis(sqlite_store, folder)
    frame = sqlite_store.responses_frame(consultation.id)
    assert frame["saved_at"].min() == pd.Timestamp("2020-09-13 12:26:40", tz="UTC")
    assert sqlite_store.get_development(
        sqlite_store.get_consultation(consultation.id).development_id).title == "seconds"


@pytest.mark.parametrize(
    ("votes", "comments", "expected"),
    [
        (VOTES_HEADER + "1600000000000,x,0,1,1\n1600000000000,x,0,2,x\n", COMMENTS,
         "votes.csv line 3, column vote: must be -1, 0 or 1 (got 'x')"),
        (VOTES_HEADER + "1600000000000,x,0,1,1\n1600000000000,x,1,2,2\n", COMMENTS,
         "votes.csv line 3, column vote: must be -1, 0 or 1 (got '2')"),
        (VOTES_HEADER + "1600000000000,x,0,1,1\nyesterday,x,0,2,1\n", COMMENTS,
         "votes.csv line 3, column timestamp: must be a time in milliseconds or seconds "
         "since 1970 (got 'yesterday')"),
        ("timestamp,datetime,comment-id,voter-id\n1600000000000,x,0,1\n", COMMENTS,
         "votes.csv line 1, column vote: is missing"),
        (VOTES_HEADER + "1600000000000,x,0,-3,1\n", COMMENTS,
         "votes.csv line 2, column voter-id: must be a whole number, 0 or more (got '-3')"),
        (VOTES_HEADER + "1600000000000,x,9,1,1\n", COMMENTS,
         "votes.csv line 2, column comment-id: is not a comment-id of comments.csv (got '9')"),
        (VOTES_HEADER + "1600000000000,x,0,1,1\n",
         COMMENTS + "1600000000000,x,3,1,0,0,7,Bad moderation\n",
         "comments.csv line 6, column moderated: must be -1, 0 or 1 (got '7')"),
        (VOTES_HEADER + "1600000000000,x,0,1,1\n",
         COMMENTS + "1600000000000,x,1,1,0,0,1,Same id again\n",
         "comments.csv line 6, column comment-id: repeats an id already used above"),
        (VOTES_HEADER + "1600000000000,x,0,1,1\n1600000000000,x,0\n", COMMENTS,
         "votes.csv line 3: has 3 fields where the header has 5"),
    ],
)
def test_malformed_files_name_file_line_column_and_write_nothing(tmp_path, sqlite_store, votes,
                                                                 comments, expected):
    folder = write_export(tmp_path / "bad", votes, comments)
    with pytest.raises(PolisFormatError) as caught:
        read_polis_export(folder)
    assert str(caught.value).startswith(expected)
    assert isinstance(caught.value, ValidationError)
    with pytest.raises(PolisFormatError):
        import_polis(sqlite_store, folder)
    assert sqlite_store.list_consultations() == []
    assert sqlite_store.list_developments() == []


def test_missing_file_is_named(tmp_path, sqlite_store):
    folder = write_export(tmp_path / "nofile", VOTES_HEADER + "1600000000000,x,0,1,1\n")
    (folder / "comments.csv").unlink()
    with pytest.raises(PolisFormatError, match=r"^comments\.csv: is missing from the export"):
        import_polis(sqlite_store, folder)
    assert sqlite_store.list_consultations() == []
    with pytest.raises(PolisFormatError, match="is not a folder"):
        read_polis_export(tmp_path / "nowhere")


def test_bad_participants_file_is_named(tmp_path):
    folder = write_export(tmp_path / "pv", VOTES_HEADER + "1600000000000,x,0,1,1\n")
    (folder / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,0,0,1,1,0,1\n"
        "2,a,0,0,0,0,\n")
    with pytest.raises(PolisFormatError, match=r"^participants-votes\.csv line 3, column "
                                               r"group-id: must be a whole number"):
        read_polis_export(folder)


def test_a_failure_inside_the_store_writes_nothing(tmp_path, sqlite_store, monkeypatch):
    folder = write_export(tmp_path / "ok", VOTES_HEADER + "1600000000000,x,0,1,1\n")
    import cop_widgets.store.importing as importing_module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    # the answers are copied last, after the consultation, statements and members
    monkeypatch.setattr(importing_module, "copy_rows", boom)
    with pytest.raises(RuntimeError):
        import_polis(sqlite_store, folder)
    assert sqlite_store.list_consultations() == []
    assert sqlite_store.list_developments() == []


def test_too_few_members_gives_a_note(tmp_path, sqlite_store):
    votes = VOTES_HEADER + "".join(
        f"16000000000{i:02d},x,{c},{p},{1 if (p + c) % 2 else -1}\n"
        for i, (p, c) in enumerate((p, c) for p in range(3) for c in range(2)))
    consultation = import_polis(sqlite_store, write_export(tmp_path / "few", votes))
    groups = opinion_groups(polis_vote_matrix(sqlite_store, consultation.id))
    assert groups.k == 0
    assert groups.labels.isna().all()
    assert groups.note == "too-few-members"
    assert representative_statements(polis_vote_matrix(sqlite_store, consultation.id),
                                     groups).empty


# -- fuzzing the reader --------------------------------------------------------------------

_cell = st.one_of(
    st.sampled_from(["", "0", "1", "-1", "2", "x", "1.5", "1e3", "-0", " 1", "1600000000000",
                     "\"", "a,b", "\n", "NaN", "inf", "99999999999999999999999"]),
    st.text(max_size=6),
)


@st.composite
def _csv_text(draw, header: list[str]) -> str:
    columns = draw(st.one_of(st.just(header), st.permutations(header),
                             st.lists(st.sampled_from(header + ["other"]), max_size=6)))
    rows = draw(st.lists(st.lists(_cell, min_size=len(columns), max_size=len(columns) + 1),
                         max_size=5))
    lines = [",".join(columns)] + [",".join(r) for r in rows]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(votes=_csv_text(["timestamp", "datetime", "comment-id", "voter-id", "vote"]),
       comments=_csv_text(["timestamp", "comment-id", "author-id", "moderated",
                           "comment-body"]),
       summary=st.one_of(st.none(), st.text(max_size=30)))
def test_reader_raises_only_polis_format_errors(tmp_path_factory, votes, comments, summary):
    folder = tmp_path_factory.mktemp("fuzz")
    write_export(folder, votes, comments, summary)
    try:
        export = read_polis_export(folder)
    except PolisFormatError as error:
        assert error.file in {"votes.csv", "comments.csv", "summary.csv"}
        return
    assert set(export.votes["vote"]).issubset({-1, 0, 1})
    assert not export.votes.duplicated(["voter_id", "comment_id"]).any()


def test_dates_are_aware_utc(tmp_path, sqlite_store):
    folder = write_export(tmp_path / "tz", VOTES_HEADER + "1600000000000,x,0,1,1\n")
    consultation = import_polis(sqlite_store, folder)
    saved = sqlite_store.responses_frame(consultation.id)["saved_at"].iloc[0]
    assert saved.to_pydatetime() == dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=dt.timezone.utc)
