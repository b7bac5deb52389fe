"""Opinion groups, representativeness and consensus on made-up matrices."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from helpers import responses_frame
from sklearn.metrics import adjusted_rand_score

from cop_widgets.analysis.opinion import (
    GROUP_NOTES,
    Z_90,
    OpinionGroups,
    consensus_statements,
    group_informed_consensus,
    opinion_groups,
    representative_statements,
    vote_matrix,
)
from cop_widgets.errors import ValidationError
from cop_widgets.words.opinion import groups_note


def two_camps(n_per_camp=40, n_statements=12, seed=1, noise=0.1, fill=1.0):
    """Camp A agrees with the first half of the statements, camp B with the second half."""
    rng = np.random.default_rng(seed)
    rows, truth = [], {}
    for member in range(2 * n_per_camp):
        camp = member % 2
        truth[member + 1] = camp
        for s in range(n_statements):
            if rng.random() > fill:
                continue
            agree = (s < n_statements // 2) == (camp == 0)
            vote = 1 if agree else -1
            if rng.random() < noise:
                vote = rng.choice([-vote, None])
            rows.append((member + 1, s + 101, vote))
    return responses_frame(rows), pd.Series(truth)


def test_vote_matrix_agree_disagree_pass_and_missing():
    responses = responses_frame([(1, 10, 1), (1, 11, -1), (2, 10, None), (3, 12, 1)])
    matrix = vote_matrix(responses, "agree_disagree")
    assert matrix.member_ids.tolist() == [1, 2, 3]
    assert matrix.statement_ids.tolist() == [10, 11, 12]
    values = matrix.values
    assert values[0].tolist()[:2] == [1.0, -1.0] and np.isnan(values[0, 2])
    assert values[1, 0] == 0.0 and np.isnan(values[1, 1])
    assert matrix.polarity.tolist() == [1, -1, 0, 1]
    assert matrix.to_frame().loc[3, 12] == 1.0


def test_vote_matrix_ordinal_scales_map_to_minus_one_one():
    responses = responses_frame([(1, 1, 5), (1, 2, 3), (1, 3, 1), (2, 1, 4), (2, 2, None)])
    values = vote_matrix(responses, "likert5").values
    assert values[0].tolist() == [1.0, 0.0, -1.0]
    assert values[1, 0] == 0.5 and values[1, 1] == 0.0
    kaner = vote_matrix(responses_frame([(1, 1, 8), (1, 2, 1), (1, 3, 5)]), "kaner8")
    assert kaner.values[0, 0] == 1.0 and kaner.values[0, 1] == -1.0
    assert kaner.polarity.tolist() == [1, -1, 0]  # "Abstain" neither agrees nor disagrees


def test_vote_matrix_statement_ids_order_and_refusals():
    responses = responses_frame([(1, 10, 1), (1, 11, -1), (2, 12, 1)])
    matrix = vote_matrix(responses, "agree_disagree", [11, 10], moderated_out=[12])
    assert matrix.statement_ids.tolist() == [11, 10, 12]
    assert matrix.active.tolist() == [True, True, False]
    assert vote_matrix(responses, "agree_disagree", [10]).member_ids.tolist() == [1]
    with pytest.raises(ValidationError, match="stance"):
        vote_matrix(responses_frame([(1, 1, 3)]), "agree_disagree")
    with pytest.raises(ValidationError, match="needs a column"):
        vote_matrix(responses.drop(columns="stance"), "agree_disagree")


def test_two_camps_are_found():
    responses, truth = two_camps()
    matrix = vote_matrix(responses, "agree_disagree")
    groups = opinion_groups(matrix)
    assert groups.k == 2
    assert groups.note is None
    assert groups.silhouette > 0.5
    labels = groups.labels.astype(int)
    assert adjusted_rand_score(truth.reindex(labels.index), labels) == 1.0
    assert list(groups.coords.columns) == ["member_id", "x", "y"]
    assert groups.labels.dtype == "Int64"
    fixed = opinion_groups(matrix, k=3)
    assert fixed.k == 3


def test_members_with_few_votes_are_not_clustered():
    responses, _ = two_camps(n_per_camp=20)
    responses = pd.concat([responses, responses_frame([(999, 101, 1), (999, 102, 1)])])
    groups = opinion_groups(vote_matrix(responses, "agree_disagree"))
    assert pd.isna(groups.labels[999])
    assert groups.labels.drop(999).notna().all()
    assert 999 in set(groups.coords["member_id"])


def test_order_of_arrival_and_member_ids_do_not_matter_beyond_the_data():
    responses, _ = two_camps(noise=0.3, seed=4)
    saved = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        responses["member_id"] * 60, unit="s")
    responses = responses.assign(saved_at=saved)
    groups = opinion_groups(vote_matrix(responses, "agree_disagree"))
    mapping = {i: 5000 - 3 * i for i in responses["member_id"].unique()}
    moved = responses.assign(member_id=responses["member_id"].map(mapping))
    other = opinion_groups(vote_matrix(moved.iloc[::-1], "agree_disagree"))
    back = other.labels.rename(index={v: k for k, v in mapping.items()}).sort_index()
    assert back.to_dict() == groups.labels.to_dict()


def test_members_are_seeded_in_the_order_a_polis_cold_start_reads_them():
    # Pol.is's cold start reads the votes sorted by statement, then participant: a member's
    # row comes with the first statement they answered (statements in the order they were
    # created), then by when they joined. Base clusters are numbered in that order.
    rng = np.random.default_rng(11)
    rows, arrived = [], {}
    for member in range(1, 21):
        for statement in range(101, 113):
            if statement == 101 and member % 3 == 0:  # never answered the first statement
                continue
            rows.append((member, statement, int(rng.choice([-1, 1]))))
        arrived[member] = 1000 - 10 * member  # the higher the id, the earlier
    start = pd.Timestamp("2024-01-01", tz="UTC")
    responses = responses_frame(rows)
    responses = responses.assign(
        saved_at=start + pd.to_timedelta(responses["member_id"].map(arrived), unit="s"))
    expected = sorted(arrived, key=lambda member: (member % 3 == 0, arrived[member]))
    for columns in (list(range(101, 113)), list(range(112, 100, -1))):
        groups = opinion_groups(vote_matrix(responses, "agree_disagree", columns))
        assert groups.base_labels.is_unique  # twenty distinct positions, twenty clusters
        assert groups.base_labels.sort_values().index.tolist() == expected
    # When members joined can be given (Pol.is's participant ids, for an import): it orders
    # them instead of their first answer; a member it leaves out joined last.
    joined = {member: member for member in arrived if member != 4}
    groups = opinion_groups(vote_matrix(responses, "agree_disagree", joined=joined))
    expected = sorted(arrived, key=lambda member: (member % 3 == 0, member == 4, member))
    assert groups.base_labels.sort_values().index.tolist() == expected


def test_no_groups_give_a_code_and_its_numbers():
    crossed = responses_frame([(1, 1, 1), (1, 2, -1), (2, 1, -1), (2, 2, 1)])
    groups = opinion_groups(vote_matrix(crossed, "agree_disagree"))
    assert groups.k == 0 and groups.labels.isna().all()
    assert groups.note == "too-few-members"
    assert groups.note_params == {"members": 2, "distinct": 2, "minimum": 4, "positions": 3}
    one = opinion_groups(vote_matrix(responses_frame([(1, 1, 1), (2, 1, -1)]), "agree_disagree"))
    assert (one.note, one.note_params) == ("too-few-answers", {})
    empty = opinion_groups(vote_matrix(responses_frame([]), "agree_disagree"))
    assert empty.k == 0 and empty.note == "too-few-answers"
    # Eight members on four distinct positions: five groups cannot be made.
    corners = [(m, s, v) for m, (a, b) in enumerate([(1, 1), (1, -1), (-1, 1), (-1, -1)] * 2)
               for s, v in ((1, a), (2, b))]
    five = opinion_groups(vote_matrix(responses_frame(corners), "agree_disagree"), k=5)
    assert (five.note, five.note_params) == ("too-few-positions", {"count": 5})
    assert {groups.note, one.note, five.note} == set(GROUP_NOTES)
    assert opinion_groups(vote_matrix(responses_frame(corners), "agree_disagree"), k=2).note is None
    with pytest.raises(ValidationError):
        opinion_groups(vote_matrix(responses_frame([(1, 1, 1)]), "agree_disagree"), k=0)


def test_groups_note_says_why_in_the_page_language():
    crossed = responses_frame([(1, 1, 1), (1, 2, -1), (2, 1, -1), (2, 2, 1)])
    few = opinion_groups(vote_matrix(crossed, "agree_disagree"))
    assert groups_note(few) == (
        "There are too few members for opinion groups: 2 answered enough statements and 2 of "
        "them took distinct positions; groups need at least 4 members with at least 3 "
        "distinct positions.")
    french = groups_note(few, "fr")
    assert french != groups_note(few) and "2" in french and "4" in french
    one = opinion_groups(vote_matrix(responses_frame([(1, 1, 1), (2, 1, -1)]), "agree_disagree"))
    assert groups_note(one) == ("There are too few answers for opinion groups: they need "
                                "answers to at least two statements.")
    assert groups_note(one, "es") != groups_note(one)
    responses, _ = two_camps()
    assert groups_note(opinion_groups(vote_matrix(responses, "agree_disagree"))) is None
    bad = OpinionGroups(few.labels, few.coords, 0, float("nan"), "no-such-reason")
    with pytest.raises(ValueError):
        groups_note(bad)


def test_representative_statements_pick_each_camps_statements():
    responses, _ = two_camps()
    matrix = vote_matrix(responses, "agree_disagree")
    groups = opinion_groups(matrix)
    rep = representative_statements(matrix, groups, top=3)
    assert list(rep.columns) == ["group", "statement_id", "direction", "n_agree",
                                 "n_disagree", "n_seen", "p", "repness", "z", "p_z",
                                 "significant", "rank"]
    assert rep.groupby("group").size().max() <= 3
    for group, part in rep.groupby("group"):
        members = groups.members(group)
        first_half = responses[responses["member_id"].isin(members)
                               & (responses["statement_id"] < 107)]["stance"].mean() > 0
        agreed = part[part["direction"] == "agree"]["statement_id"]
        assert len(agreed)
        assert ((agreed < 107) == first_half).all()
        assert part["significant"].all()
        assert (part["z"] > Z_90).all() and (part["p_z"] > Z_90).all()
        assert part["rank"].tolist() == list(range(1, len(part) + 1))
    row = rep.iloc[0]
    assert row["p"] == pytest.approx((row["n_agree"] + 1) / (row["n_seen"] + 2))


def test_group_informed_consensus_is_the_product_over_groups():
    responses, _ = two_camps(n_per_camp=15)
    shared = [(m, 200, 1) for m in range(1, 31)]
    responses = pd.concat([responses, responses_frame(shared)])
    matrix = vote_matrix(responses, "agree_disagree")
    groups = opinion_groups(matrix)
    gac = group_informed_consensus(matrix, groups)
    assert gac.index.name == "statement_id"
    assert gac.idxmax() == 200
    expected = 1.0
    for group in range(groups.k):
        seen = len(groups.members(group))
        expected *= (seen + 1) / (seen + 2)
    assert gac[200] == pytest.approx(expected)
    consensus = consensus_statements(matrix, groups)
    agree = consensus[consensus["direction"] == "agree"]
    assert agree.iloc[0]["statement_id"] == 200
    assert set(consensus["direction"]) <= {"agree", "disagree"}
    assert (consensus["p"] > 0.5).all() and (consensus["z"] > Z_90).all()


def test_deterministic():
    responses, _ = two_camps(noise=0.35, fill=0.6, seed=9)
    matrix = vote_matrix(responses, "agree_disagree")
    a, b = opinion_groups(matrix, seed=0), opinion_groups(matrix, seed=0)
    pd.testing.assert_series_equal(a.labels, b.labels)
    pd.testing.assert_frame_equal(a.coords, b.coords)
    pd.testing.assert_frame_equal(representative_statements(matrix, a),
                                  representative_statements(matrix, b))


def sparse_responses(n_members: int, n_statements: int, fill: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = int(n_members * n_statements * fill)
    member = rng.integers(0, n_members, n) + 1
    statement = rng.integers(0, n_statements, n) + 1
    camp = member % 3
    lean = np.where((statement % 3) == camp, 0.8, -0.4)
    vote = np.where(rng.random(n) < (lean + 1) / 2, 1, -1)
    vote = np.where(rng.random(n) < 0.15, 0, vote)
    out = pd.DataFrame({"member_id": member, "statement_id": statement,
                        "stance": pd.array(np.where(vote == 0, 0, vote), dtype="Int64")})
    out.loc[vote == 0, "stance"] = pd.NA
    return out.drop_duplicates(["member_id", "statement_id"], keep="last")


@pytest.mark.slow
def test_large_sparse_matrix_is_fast():
    responses = sparse_responses(20_000, 2_000, 0.02)
    start = time.perf_counter()
    matrix = vote_matrix(responses, "agree_disagree")
    groups = opinion_groups(matrix)
    representative_statements(matrix, groups)
    group_informed_consensus(matrix, groups)
    elapsed = time.perf_counter() - start
    print(f"\n20,000 x 2,000 at 2%: {elapsed:.2f} s, k={groups.k}")
    assert groups.k >= 2
    assert elapsed < 10
