"""Opinion groups the Pol.is way: projection to 2-D, base clusters, k chosen by silhouette.

This is one full computation from all the answers, as Pol.is's math makes it from a cold
start (``polismath.math.conversation``, ``clusters``, ``pca``): participants in play from
its vote threshold, column-mean PCA, sparsity-aware projection, k-means base clusters seeded
with the first distinct positions in the order a cold start reads the votes (by statement,
then participant: ``polismath.components.postgres/conv-poll``; see :func:`_poll_order`),
weighted k-means of the base clusters for each k in its bounds, k by silhouette. Pol.is
itself updates a live conversation after each batch of votes, seeding each k-means with the
previous update's clusters and holding k back until a new best k has won four updates in a
row, so its groups also carry the conversation's history; a one-shot computation cannot
replay a history it does not know (replaying it from vote times changed the groups with the
batch size chosen, which Pol.is's exports do not record). Statements a Pol.is moderator
marked "meta" (``is_meta``: Pol.is's ``mod-update`` puts them in ``mod-out``) are left out
of the math like rejected ones; its exports do not say which they were, so an imported
conversation that had some is grouped on every statement. ``benchmarks/polis_groups.py``
measures how close this comes.

Results are numbers and codes: when there are no groups, :attr:`OpinionGroups.note` is a
code of :data:`GROUP_NOTES` and ``note_params`` its numbers; the sentence is written by
:func:`cop_widgets.words.opinion.groups_note`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from ...errors import ValidationError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .matrix import VoteMatrix

__all__ = ["GROUP_NOTES", "MIN_MEMBERS", "MIN_POSITIONS", "OpinionGroups", "opinion_groups"]

#: Why there are no groups: every value of :attr:`OpinionGroups.note` but ``None``.
GROUP_NOTES = ("too-few-answers", "too-few-members", "too-few-positions")
#: Groups need at least this many clustered members ...
MIN_MEMBERS = 4
#: ... with at least this many distinct positions among them.
MIN_POSITIONS = 3

_BASE_K = 100
_MAX_K = 5
_GREEDY_N = 15
_BASE_ITERS = 100
_GROUP_ITERS = 20
_SAME_CLUSTERING = 0.01


@dataclass(eq=False)
class OpinionGroups:
    """Opinion groups of the members of a vote matrix.

    Attributes
    ----------
    labels : pandas.Series
        Indexed by member_id (every member of the matrix), Int64 group number from 0 (the
        largest group) upwards; <NA> for a member not clustered (too few answers).
    coords : pandas.DataFrame
        Columns ``member_id``, ``x``, ``y``: every member's position on the opinion map.
    k : int
        Number of groups (0 when there are none).
    silhouette : float
        Silhouette of the chosen grouping over the base clusters (NaN without groups).
    note : str or None
        Why there are no groups, a code of :data:`GROUP_NOTES`; ``None`` when there are
        groups.
    components : numpy.ndarray
        The two principal axes (2 x n_statements).
    base_labels : pandas.Series
        Base cluster of each clustered member (indexed by member_id).
    note_params : dict
        The numbers behind ``note``: for ``"too-few-members"``, ``members`` (members who
        answered enough statements), ``distinct`` (their distinct positions), ``minimum``
        (:data:`MIN_MEMBERS`) and ``positions`` (:data:`MIN_POSITIONS`); for
        ``"too-few-positions"``, ``count`` (the number of groups asked for or tried first);
        empty otherwise.

    """

    labels: pd.Series
    coords: pd.DataFrame
    k: int
    silhouette: float
    note: str | None = None
    components: NDArray | None = None
    base_labels: pd.Series | None = None
    note_params: dict[str, int] = field(default_factory=dict)

    def members(self, group: int) -> NDArray:
        """Return the member ids of one group, ascending."""
        return np.sort(self.labels.index[(self.labels == group).fillna(False)].to_numpy())


def _poll_order(matrix: VoteMatrix) -> NDArray:
    """Rows in the order a Pol.is cold start meets them; ties by answer content, never ids.

    A cold start (``polismath.conv-man/load-or-init`` without a stored conversation, or
    ``polismath.darwin.export/get-export-data-at-time``) reads every vote at once through
    ``polismath.components.postgres/conv-poll``, sorted by comment id (``tid``), then
    participant id (``pid``), then time; ``named-matrix/update-nmat`` adds a participant's
    row where their first vote comes. So the rows are ordered by the first statement each
    member answered (statements in the order they were created: ascending id; moderated-out
    ones count, their votes are read too), then by ``pid``, the order participants joined:
    here each member's first answer time. Members who answered nothing come last.
    """
    n, m = matrix.shape
    created = np.empty(m, np.int64)
    created[np.argsort(matrix.statement_ids, kind="stable")] = np.arange(m)
    first = np.full(n, m, np.int64)
    np.minimum.at(first, matrix.rows, created[matrix.cols])
    # Deterministic fingerprint of each member's answers (independent of member ids).
    code = np.round((matrix.data + 1.0) * 4.0).astype(np.int64) + 1
    a = (matrix.cols.astype(np.int64) + 1) * np.int64(1_000_003) + code
    h1 = np.zeros(n, np.int64)
    h2 = np.zeros(n, np.int64)
    with np.errstate(over="ignore"):
        np.add.at(h1, matrix.rows, (a * np.int64(2_654_435_761)) ^ (a >> np.int64(7)))
        np.add.at(h2, matrix.rows, (a * a) % np.int64(1_000_000_007))
    count = np.bincount(matrix.rows, minlength=n)
    times = np.where(np.isnan(matrix.member_times), np.inf, matrix.member_times)
    return np.lexsort((h2, h1, count, times, first))


def _project(matrix: VoteMatrix, order: NDArray,
             seed: int) -> tuple[NDArray, NDArray, NDArray]:
    """Return (coords, components, raw answer counts), rows in matrix order.

    Computed with the rows in ``order`` and the answers sorted, so that floating-point sums
    do not depend on member ids.
    """
    n, m = matrix.shape
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    rows = rank[matrix.rows]
    sort = np.lexsort((matrix.cols, rows))
    rows, cols, data = rows[sort], matrix.cols[sort], matrix.data[sort]
    seen_cols = np.bincount(cols, minlength=m) > 0
    counts = np.bincount(rows, minlength=n)
    act = matrix.active[cols]
    r, c, d = rows[act], cols[act], data[act]
    n_col = np.bincount(c, minlength=m)
    col_sum = np.bincount(c, weights=d, minlength=m)
    mean = np.divide(col_sum, n_col, out=np.zeros(m), where=n_col > 0)
    centred = sparse.csr_matrix((d - mean[c], (r, c)), shape=(n, m))
    cov = (centred.T @ centred).toarray()
    comps = np.zeros((2, m))
    if m and np.any(cov):
        if m <= 400:
            vals, vecs = np.linalg.eigh(cov)
            top = vecs[:, np.argsort(vals)[::-1][:2]].T
        else:
            from scipy.sparse.linalg import eigsh

            v0 = np.random.default_rng(seed).uniform(0.5, 1.5, m)
            vals, vecs = eigsh(cov, k=2, which="LA", v0=v0, tol=1e-10)
            top = vecs[:, np.argsort(vals)[::-1]].T
        comps[: len(top)] = top
        for i in range(2):  # sign convention: largest loading positive
            j = int(np.argmax(np.abs(comps[i])))
            if comps[i, j] < 0:
                comps[i] = -comps[i]
    n_cols = int(seen_cols.sum())
    inactive_seen = int((seen_cols & ~matrix.active).sum())
    n_voted = np.bincount(r, minlength=n) + inactive_seen
    scale = np.sqrt(n_cols / np.maximum(n_voted, 1))
    coords = np.asarray(centred @ comps.T) * scale[:, None]
    return coords[rank], comps, counts[rank]


def _first_distinct(points: NDArray, k: int) -> NDArray:
    _, idx = np.unique(points, axis=0, return_index=True)
    return points[np.sort(idx)[:k]].copy()


def _kmeans(points: NDArray, centres: NDArray, weights: NDArray | None,
            max_iters: int) -> tuple[NDArray, NDArray]:
    """Lloyd's k-means as Pol.is runs it: empty clusters dropped, stop when centres settle.

    Like Pol.is's ``kmeans``, at most ``max_iters + 1`` steps; the members returned are those
    of the last step (each point in the cluster of the nearest centre before the centres
    moved), with the centres that step computed.
    """
    w = np.ones(len(points)) if weights is None else weights
    for _ in range(max_iters + 1):
        labels = _nearest(points, centres)
        total = np.bincount(labels, weights=w, minlength=len(centres))
        keep = total > 0
        new = np.stack([np.bincount(labels, weights=w * points[:, j], minlength=len(centres))
                        for j in range(points.shape[1])], axis=1)[keep] / total[keep, None]
        settled = _settled(centres, new)
        centres = new
        if settled:
            break
    return (np.cumsum(keep) - 1)[labels], centres


def _settled(old: NDArray, new: NDArray) -> bool:
    """Pol.is's ``same-clustering?``: centres sorted as rows, paired in order, all moved < 0.01.

    As in Pol.is, pairs are zipped, so a step that dropped an empty cluster compares only
    the first pairs.
    """
    a, b = old[np.lexsort(old.T[::-1])], new[np.lexsort(new.T[::-1])]
    n = min(len(a), len(b))
    return bool(np.all(np.sqrt(((a[:n] - b[:n]) ** 2).sum(1)) < _SAME_CLUSTERING))


def _nearest(points: NDArray, centres: NDArray) -> NDArray:
    d = np.zeros((len(points), len(centres)))
    for j in range(points.shape[1]):
        diff = points[:, j, None] - centres[None, :, j]
        d += diff * diff
    return d.argmin(1)


def _silhouette(points: NDArray, labels: NDArray) -> float:
    from sklearn.metrics import silhouette_score

    if len(np.unique(labels)) < 2 or len(np.unique(labels)) >= len(points):
        return float("nan")
    return float(silhouette_score(points, labels))


def opinion_groups(matrix: VoteMatrix, k: int | None = None, min_votes: int = 7,
                   seed: int = 0) -> OpinionGroups:
    """Find opinion groups as Pol.is does.

    Parameters
    ----------
    matrix : VoteMatrix
        From :func:`vote_matrix`.
    k : int, optional
        Number of groups (2..5 usually); default: chosen by silhouette in 2..5.
    min_votes : int
        Members with fewer answers are not clustered (unless fewer than 15 members
        qualify, when the most active are added up to 15, as Pol.is does).
    seed : int
        Seed of the eigen-solver's start vector for large matrices; results do not depend
        on it beyond rounding.

    Returns
    -------
    OpinionGroups
        Deterministic: the same matrix gives the same groups, whatever the member ids.
        Without groups, ``k`` is 0 and ``note`` says why (a code of :data:`GROUP_NOTES`):
        ``"too-few-answers"`` (answers to fewer than two statements, or none to a statement
        still in play), ``"too-few-members"`` (fewer than :data:`MIN_MEMBERS` clustered
        members or fewer than :data:`MIN_POSITIONS` distinct positions among them) or
        ``"too-few-positions"`` (fewer distinct positions than groups asked for).

    """
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise ValidationError("k", "not-a-group-count", k)
    n, m = matrix.shape
    order = _poll_order(matrix) if n else np.zeros(0, np.int64)
    coords = np.zeros((n, 2))
    comps = np.zeros((2, m))
    counts = np.zeros(n, np.int64)
    if n and matrix.n_answers:
        coords, comps, counts = _project(matrix, order, seed)
    ids = matrix.member_ids
    coords_frame = pd.DataFrame({"member_id": ids, "x": coords[:, 0], "y": coords[:, 1]})
    empty = pd.Series(pd.array([pd.NA] * n, dtype="Int64"),
                      index=pd.Index(ids, name="member_id"), name="group")

    def without(note: str, **params: int) -> OpinionGroups:
        return OpinionGroups(empty, coords_frame, 0, float("nan"), note, comps, None, params)

    n_statements = int((np.bincount(matrix.cols, minlength=m) > 0).sum()) if m else 0
    active_answered = int((matrix.active[matrix.cols]).sum()) if matrix.n_answers else 0
    if n_statements < 2 or active_answered == 0:
        return without("too-few-answers")
    threshold = min(min_votes, n_statements)
    chosen = counts >= threshold
    if chosen.sum() < _GREEDY_N:
        ranked = [i for i in order[np.argsort(-counts[order], kind="stable")]
                  if not chosen[i] and counts[i] > 0]
        chosen[ranked[: _GREEDY_N - int(chosen.sum())]] = True
    rows = order[chosen[order]]
    points = coords[rows]
    distinct = len(np.unique(points, axis=0))
    if len(rows) < MIN_MEMBERS or distinct < MIN_POSITIONS:
        return without("too-few-members", members=int(len(rows)), distinct=int(distinct),
                       minimum=MIN_MEMBERS, positions=MIN_POSITIONS)

    base_labels, base_centres = _kmeans(points, _first_distinct(points, _BASE_K), None,
                                        _BASE_ITERS)
    weights = np.bincount(base_labels, minlength=len(base_centres)).astype(float)
    if k is not None:
        candidates = [k]
    else:
        candidates = list(range(2, min(_MAX_K, 2 + len(base_centres) // 12) + 1))
    best: tuple[float, int, NDArray] | None = None
    for kk in candidates:
        if kk > len(np.unique(base_centres, axis=0)):
            continue
        if kk == 1:
            labels = np.zeros(len(base_centres), np.int64)
            score = float("nan")
        else:
            labels, _ = _kmeans(base_centres, _first_distinct(base_centres, kk), weights,
                                _GROUP_ITERS)
            score = _silhouette(base_centres, labels)
        if best is None or (not np.isnan(score) and (np.isnan(best[0]) or score > best[0])):
            best = (score, kk, labels)
    if best is None:
        return without("too-few-positions",
                       count=int(k if k is not None else candidates[0]))
    score, _, group_of_base = best
    member_group = group_of_base[base_labels]
    # Number groups canonically: largest first, then by centre position.
    found = np.unique(member_group)
    sizes = np.array([(member_group == g).sum() for g in found])
    centre = np.array([points[member_group == g].mean(0) for g in found])
    rank = np.lexsort((centre[:, 1], centre[:, 0], -sizes))
    renumber = np.empty(len(found), np.int64)
    renumber[rank] = np.arange(len(found))
    final = renumber[np.searchsorted(found, member_group)]
    labels_arr = pd.array([pd.NA] * n, dtype="Int64")
    labels_arr[rows] = final
    labels = pd.Series(labels_arr, index=pd.Index(ids, name="member_id"), name="group")
    base = pd.Series(base_labels, index=pd.Index(ids[rows], name="member_id"),
                     name="base").sort_index()
    return OpinionGroups(labels, coords_frame, int(len(found)), float(score), None, comps,
                         base)
