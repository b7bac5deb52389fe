"""Opinion groups the Pol.is way: vote matrix, sparse PCA, base clusters, k-means, repness.

Pure functions on DataFrames and numpy arrays (no store, no widgets). The steps follow
Pol.is's math (``polismath.math.conversation``, ``pca``, ``clusters``, ``repness``):

1. **Vote matrix.** Members x statements; agree +1, disagree -1, pass 0, missing NaN.
   Ordinal scales map linearly onto [-1, 1]. Statements moderated out stay as columns of
   zeros for everyone, as Pol.is's ``zero-out-columns`` does: they move nobody but still count
   in each member's number of answers.
2. **PCA to 2-D** of the column-mean-imputed, centred matrix. Imputation with the column mean
   followed by centring makes every missing entry exactly 0, so the centred matrix keeps the
   sparsity of the votes and the covariance is one sparse product.
3. **Sparsity-aware projection**: a member's coordinates are scaled by
   ``sqrt(n_statements / n_answered)`` so that members who answered little are not piled up
   in the centre.
4. **Who is clustered**: members who answered at least ``min(min_votes, n_statements)``
   statements; if fewer than 15 qualify, the most active members are added up to 15.
5. **Base clusters**: k-means with k = 100 on the clustered members, seeded with the first
   distinct positions in order of arrival (Pol.is's cold start).
6. **Groups**: weighted k-means of the base-cluster centres for k in 2..5 (at most
   ``2 + n_base // 12``), seeded the same way, at most 20 iterations (Pol.is's effective
   setting); k is chosen by the silhouette of the base-cluster centres. A member's group is
   the group of their base cluster.

Order of arrival is each member's earliest ``saved_at`` when the responses carry it; ties
(and members without a time) are ordered by the content of their answers, never by their
ids, so relabelling members changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from ..errors import ValidationError
from ..i18n import format_number, translator
from ..scales import Scale, get_scale

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "VoteMatrix",
    "vote_matrix",
    "OpinionGroups",
    "opinion_groups",
    "representative_statements",
    "group_informed_consensus",
    "consensus_statements",
    "Z_90",
]

#: One-sided z threshold for 90% confidence, as Pol.is (``z-sig-90?``).
Z_90 = 1.2816

_BASE_K = 100
_MAX_K = 5
_GREEDY_N = 15
_BASE_ITERS = 100
_GROUP_ITERS = 20
_SAME_CLUSTERING = 0.01
_MIN_MEMBERS = 4


# -- vote matrix --------------------------------------------------------------------------


@dataclass(eq=False)
class VoteMatrix:
    """Members' answers to statements, stored sparsely.

    Attributes
    ----------
    member_ids : numpy.ndarray
        Row labels, ascending.
    statement_ids : numpy.ndarray
        Column labels, in the order asked for (ascending by default).
    rows, cols : numpy.ndarray
        Row and column index of each answer (one entry per answer, passes included).
    data : numpy.ndarray
        The answer in [-1, 1] (agree +1, disagree -1, pass 0).
    polarity : numpy.ndarray
        +1 for an answer that counts as agreeing, -1 disagreeing, 0 neither (passes and
        neutral levels): what representativeness and consensus count.
    active : numpy.ndarray
        One boolean per statement; ``False`` for a statement moderated out, kept only as
        Pol.is keeps it (a column of zeros that shifts nobody).
    member_times : numpy.ndarray
        Each member's earliest answer time in seconds since the epoch (NaN when unknown):
        the order of arrival Pol.is seeds its clusters with.
    scale : str
        Key of the stance scale the answers came from.

    """

    member_ids: NDArray
    statement_ids: NDArray
    rows: NDArray
    cols: NDArray
    data: NDArray
    polarity: NDArray
    active: NDArray
    member_times: NDArray
    scale: str = "agree_disagree"
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_members, n_statements)``."""
        return len(self.member_ids), len(self.statement_ids)

    @property
    def n_answers(self) -> int:
        """Number of answers, passes included."""
        return len(self.data)

    @property
    def values(self) -> NDArray:
        """Dense float matrix members x statements, NaN where a member did not answer.

        Statements moderated out show their real answers here; the analysis treats them as
        zeros. Dense: fine for a few thousand members, costly beyond.
        """
        out = np.full(self.shape, np.nan)
        out[self.rows, self.cols] = self.data
        return out

    def sparse(self, what: str = "data") -> sparse.csr_matrix:
        """Return ``data`` or ``polarity`` (or ``"seen"``: 1 per answer) as a CSR matrix.

        Passes are explicit entries in ``"seen"`` only; in ``"data"`` a pass is a 0.
        """
        if what not in self._cache:
            values = {"data": self.data, "polarity": self.polarity,
                      "seen": np.ones(len(self.data))}[what]
            self._cache[what] = sparse.csr_matrix(
                (values.astype(float), (self.rows, self.cols)), shape=self.shape)
        return self._cache[what]

    def to_frame(self) -> pd.DataFrame:
        """Return the dense matrix as a DataFrame indexed by member_id, one column a statement."""
        return pd.DataFrame(self.values, index=pd.Index(self.member_ids, name="member_id"),
                            columns=pd.Index(self.statement_ids, name="statement_id"))


def _scale_maps(scale: Scale) -> tuple[dict[int, float], dict[int, int]]:
    low, high = scale.minimum, scale.maximum
    span = high - low
    values = {lv.value: (0.0 if span == 0 else 2.0 * (lv.value - low) / span - 1.0)
              for lv in scale.levels}
    return values, {lv.value: lv.polarity for lv in scale.levels}


def vote_matrix(
    responses: pd.DataFrame,
    scale: Scale | str,
    statement_ids: Sequence[int] | None = None,
    *,
    moderated_out: Iterable[int] = (),
) -> VoteMatrix:
    """Build the vote matrix from a responses frame.

    Parameters
    ----------
    responses : pandas.DataFrame
        Columns ``member_id``, ``statement_id``, ``stance`` (nullable integer, <NA> = pass)
        and optionally ``saved_at`` (the order of arrival). As returned by
        ``Store.responses_frame``.
    scale : Scale or str
        The consultation's scale (or its key). Agree/disagree maps to +1 / -1; ordinal
        scales map linearly onto [-1, 1]; a pass is 0.
    statement_ids : sequence of int, optional
        Columns, in this order. Answers to other statements are dropped. Default: every
        statement answered, ascending.
    moderated_out : iterable of int
        Statements moderated out (Pol.is's ``mod-out``): kept as inactive columns so that
        they count in members' number of answers as in Pol.is, but they move nobody and are
        never reported.

    Returns
    -------
    VoteMatrix
        Members are those with at least one answer to a kept statement, ascending by id.

    Raises
    ------
    ValidationError
        If a column is missing or a stance is not a level of the scale.

    """
    scale = get_scale(scale) if isinstance(scale, str) else scale
    for column in ("member_id", "statement_id", "stance"):
        if column not in responses.columns:
            raise ValidationError("responses", f"needs a column {column!r}")
    mod_out = [int(s) for s in moderated_out]
    if statement_ids is None:
        wanted = np.unique(responses["statement_id"].to_numpy(dtype=np.int64))
    else:
        wanted = np.asarray(list(dict.fromkeys(int(s) for s in statement_ids)), dtype=np.int64)
        extra = np.setdiff1d(np.asarray(mod_out, dtype=np.int64), wanted)
        wanted = np.concatenate([wanted, extra])
    active = ~np.isin(wanted, np.asarray(mod_out, dtype=np.int64))

    sid = responses["statement_id"].to_numpy(dtype=np.int64)
    order = np.argsort(wanted, kind="stable")
    pos = np.searchsorted(wanted[order], sid)
    pos = np.clip(pos, 0, max(len(wanted) - 1, 0))
    keep = (wanted[order][pos] == sid) if len(wanted) else np.zeros(len(sid), bool)
    cols = order[pos[keep]] if len(wanted) else np.zeros(0, np.int64)
    frame = responses.loc[keep]

    mid = frame["member_id"].to_numpy(dtype=np.int64)
    member_ids, rows = np.unique(mid, return_inverse=True)
    stance = frame["stance"].astype("Int64")
    is_pass = stance.isna().to_numpy()
    raw = stance.fillna(0).to_numpy(dtype=np.int64)
    levels = np.asarray(scale.values, dtype=np.int64)
    bad = ~is_pass & ~np.isin(raw, levels)
    if bad.any():
        raise ValidationError("responses.stance",
                              f"must be a level of the scale {scale.key} or a pass",
                              int(raw[bad][0]))
    value_of, polarity_of = _scale_maps(scale)
    lv = np.sort(levels)
    idx = np.searchsorted(lv, raw)
    idx = np.clip(idx, 0, len(lv) - 1)
    data = np.where(is_pass, 0.0, np.asarray([value_of[v] for v in lv])[idx])
    polarity = np.where(is_pass, 0, np.asarray([polarity_of[v] for v in lv])[idx]).astype(
        np.int8)

    times = np.full(len(member_ids), np.nan)
    if "saved_at" in frame.columns and len(frame):
        saved = pd.to_datetime(frame["saved_at"], utc=True)
        seconds = (saved - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy()
        first = pd.Series(seconds).groupby(rows).min()
        times[first.index.to_numpy()] = first.to_numpy()

    # One answer per (member, statement): the last row wins, as a re-vote would.
    flat = rows.astype(np.int64) * max(len(wanted), 1) + cols
    _, last = np.unique(flat[::-1], return_index=True)
    sel = np.sort(len(flat) - 1 - last)
    return VoteMatrix(
        member_ids=member_ids, statement_ids=wanted, rows=rows[sel].astype(np.int64),
        cols=np.asarray(cols, dtype=np.int64)[sel], data=data[sel], polarity=polarity[sel],
        active=active, member_times=times, scale=scale.key,
    )


# -- opinion groups -----------------------------------------------------------------------


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
        Why there are no groups, in plain words; ``None`` when there are groups.
    components : numpy.ndarray
        The two principal axes (2 x n_statements).
    base_labels : pandas.Series
        Base cluster of each clustered member (indexed by member_id).

    """

    labels: pd.Series
    coords: pd.DataFrame
    k: int
    silhouette: float
    note: str | None = None
    components: NDArray | None = None
    base_labels: pd.Series | None = None

    def members(self, group: int) -> NDArray:
        """Return the member ids of one group, ascending."""
        return np.sort(self.labels.index[(self.labels == group).fillna(False)].to_numpy())


def _canonical_order(matrix: VoteMatrix) -> NDArray:
    """Row order that depends on the data only: arrival time, then answer content."""
    n, m = matrix.shape
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
    return np.lexsort((h2, h1, count, times))


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
    """Lloyd's k-means as Pol.is runs it: empty clusters dropped, stop when centres settle."""
    w = np.ones(len(points)) if weights is None else weights
    for _ in range(max_iters + 1):
        labels = _nearest(points, centres)
        total = np.bincount(labels, weights=w, minlength=len(centres))
        keep = total > 0
        new = np.stack([np.bincount(labels, weights=w * points[:, j], minlength=len(centres))
                        for j in range(points.shape[1])], axis=1)[keep] / total[keep, None]
        settled = keep.all() and np.all(
            np.sqrt(((np.sort(new, axis=0) - np.sort(centres, axis=0)) ** 2).sum(1))
            < _SAME_CLUSTERING)
        centres = new
        if settled:
            break
    return _nearest(points, centres), centres


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
                   seed: int = 0, *, language: str | None = None) -> OpinionGroups:
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
    language : str, optional
        Language of the ``note`` said when there are no groups (English by default).

    Returns
    -------
    OpinionGroups
        Deterministic: the same matrix gives the same groups, whatever the member ids.

    """
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
        raise ValidationError("k", "must be a whole number of groups, at least 1", k)
    n, m = matrix.shape
    order = _canonical_order(matrix) if n else np.zeros(0, np.int64)
    coords = np.zeros((n, 2))
    comps = np.zeros((2, m))
    counts = np.zeros(n, np.int64)
    if n and matrix.n_answers:
        coords, comps, counts = _project(matrix, order, seed)
    ids = matrix.member_ids
    coords_frame = pd.DataFrame({"member_id": ids, "x": coords[:, 0], "y": coords[:, 1]})
    empty = pd.Series(pd.array([pd.NA] * n, dtype="Int64"),
                      index=pd.Index(ids, name="member_id"), name="group")

    def without(note: str) -> OpinionGroups:
        return OpinionGroups(empty, coords_frame, 0, float("nan"), note, comps, None)

    _ = translator(language)
    n_statements = int((np.bincount(matrix.cols, minlength=m) > 0).sum()) if m else 0
    active_answered = int((matrix.active[matrix.cols]).sum()) if matrix.n_answers else 0
    if n_statements < 2 or active_answered == 0:
        return without(_("There are too few answers for opinion groups: they need answers "
                         "to at least two statements."))
    threshold = min(min_votes, n_statements)
    chosen = counts >= threshold
    if chosen.sum() < _GREEDY_N:
        ranked = [i for i in order[np.argsort(-counts[order], kind="stable")]
                  if not chosen[i] and counts[i] > 0]
        chosen[ranked[: _GREEDY_N - int(chosen.sum())]] = True
    rows = order[chosen[order]]
    points = coords[rows]
    distinct = len(np.unique(points, axis=0))
    if len(rows) < _MIN_MEMBERS or distinct < 3:
        return without(_(
            "There are too few members for opinion groups: {members} answered enough "
            "statements and {distinct} of them took distinct positions; groups need at least "
            "{minimum} members with at least {positions} distinct positions.").format(
            members=format_number(len(rows), language),
            distinct=format_number(distinct, language),
            minimum=format_number(_MIN_MEMBERS, language),
            positions=format_number(3, language)))

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
        return without(_("There are too few distinct positions for {count} groups.").format(
            count=format_number(k if k is not None else candidates[0], language)))
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


# -- statistics per group -----------------------------------------------------------------


def _prop_test(success: NDArray, n: NDArray) -> NDArray:
    s, t = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(t) * (s / t - 0.5)


def _two_prop_test(s1: NDArray, s2: NDArray, n1: NDArray, n2: NDArray) -> NDArray:
    s1, s2, n1, n2 = s1 + 1.0, s2 + 1.0, n1 + 1.0, n2 + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / denom
    return np.where(pooled >= 1, 0.0, np.nan_to_num(z))


def _group_counts(matrix: VoteMatrix, groups: OpinionGroups) -> tuple[NDArray, ...]:
    """Return (group numbers, agree, disagree, seen) arrays of shape (n_groups, m)."""
    labels = groups.labels.reindex(matrix.member_ids)
    lab = labels.to_numpy(dtype="float64", na_value=np.nan)
    found = np.unique(lab[~np.isnan(lab)]).astype(np.int64)
    m = matrix.shape[1]
    g_of_row = np.full(len(lab), -1, np.int64)
    ok = ~np.isnan(lab)
    g_of_row[ok] = np.searchsorted(found, lab[ok].astype(np.int64))
    g = g_of_row[matrix.rows]
    sel = g >= 0
    flat = g[sel] * m + matrix.cols[sel]
    size = len(found) * m
    pol = matrix.polarity[sel]
    agree = np.bincount(flat[pol > 0], minlength=size).reshape(len(found), m)
    disagree = np.bincount(flat[pol < 0], minlength=size).reshape(len(found), m)
    seen = np.bincount(flat, minlength=size).reshape(len(found), m)
    return found, agree, disagree, seen


_REPNESS_COLUMNS = ["group", "statement_id", "direction", "n_agree", "n_disagree", "n_seen",
                    "p", "repness", "z", "p_z", "significant", "rank"]


def representative_statements(matrix: VoteMatrix, groups: OpinionGroups,
                              top: int = 5) -> pd.DataFrame:
    """Statements that set each group apart, selected as Pol.is does.

    For each group and statement, with add-one priors: ``p`` = (n + 1) / (seen + 2) of the
    group agreeing (or disagreeing); ``repness`` = that probability divided by the same for
    the other groups together; ``z`` = two-proportion z-score group vs other groups;
    ``p_z`` = one-proportion z-score of ``p`` against one half. The direction is the one with
    significant tests, else the larger ``z``. ``significant``: ``z > 1.2816`` and
    ``p_z > 1.2816`` (90% one-sided, as Pol.is). Per group: the significant statements ranked
    by ``repness * z * p * p_z``, the best agreed one first, at most ``top``, agreements
    before disagreements; a group without significant statements gets its single best one.

    Parameters
    ----------
    matrix : VoteMatrix
        The vote matrix the groups were found on.
    groups : OpinionGroups
        From :func:`opinion_groups`.
    top : int
        At most this many statements per group.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``statement_id``, ``direction`` ("agree"/"disagree"),
        ``n_agree``, ``n_disagree``, ``n_seen``, ``p``, ``repness``, ``z``, ``p_z``,
        ``significant``, ``rank`` (1 = most representative), sorted by group and rank.

    """
    if groups.k == 0:
        return pd.DataFrame({c: [] for c in _REPNESS_COLUMNS})
    found, na, nd, ns = _group_counts(matrix, groups)
    na, nd, ns = na.astype(float), nd.astype(float), ns.astype(float)
    ra_tot, rd_tot, rs_tot = na.sum(0), nd.sum(0), ns.sum(0)
    records = []
    active = np.where(matrix.active)[0]
    for gi, group in enumerate(found):
        oa, od, os_ = ra_tot - na[gi], rd_tot - nd[gi], rs_tot - ns[gi]
        pa = (na[gi] + 1) / (ns[gi] + 2)
        pd_ = (nd[gi] + 1) / (ns[gi] + 2)
        ra = pa / ((oa + 1) / (os_ + 2))
        rd = pd_ / ((od + 1) / (os_ + 2))
        pat, pdt = _prop_test(na[gi], ns[gi]), _prop_test(nd[gi], ns[gi])
        rat = _two_prop_test(na[gi], oa, ns[gi], os_)
        rdt = _two_prop_test(nd[gi], od, ns[gi], os_)
        sig_a = (rat > Z_90) & (pat > Z_90)
        sig_d = (rdt > Z_90) & (pdt > Z_90)
        agree_dir = np.where(sig_a != sig_d, sig_a, rat > rdt)
        rows = []
        for j in active:
            a = bool(agree_dir[j])
            rows.append({
                "group": int(group), "statement_id": matrix.statement_ids[j].item(),
                "direction": "agree" if a else "disagree",
                "n_agree": int(na[gi, j]), "n_disagree": int(nd[gi, j]),
                "n_seen": int(ns[gi, j]),
                "p": float(pa[j] if a else pd_[j]), "repness": float(ra[j] if a else rd[j]),
                "z": float(rat[j] if a else rdt[j]), "p_z": float(pat[j] if a else pdt[j]),
                "significant": bool(sig_a[j] if a else sig_d[j]),
                "_ra": float(ra[j]), "_rat": float(rat[j]), "_pa": float(pa[j]),
                "_pat": float(pat[j]),
            })
        records.extend(_select_repness(rows, top))
    frame = pd.DataFrame.from_records(records, columns=_REPNESS_COLUMNS)
    return frame.sort_values(["group", "rank"], ignore_index=True)


def _select_repness(rows: list[dict], top: int) -> list[dict]:
    """Pol.is's ``select-rep-comments`` for one group."""
    best_agree = None
    best_any = None
    for r in rows:
        if r["n_agree"] == 0 and r["n_disagree"] == 0:
            continue
        if best_any is None or max(r["_rat"], r["z"]) > max(best_any["_rat"], best_any["z"]):
            best_any = r
        if best_agree is None:
            if r["_pat"] > Z_90 or (r["_ra"] > 1.0 and r["_pa"] > 0.5):
                best_agree = r
        elif best_agree["_ra"] > 1.0:
            if (r["_ra"] * r["_rat"] * r["_pa"] * r["_pat"]
                    > best_agree["_ra"] * best_agree["_rat"] * best_agree["_pa"]
                    * best_agree["_pat"]):
                best_agree = r
        elif r["_pa"] * r["_pat"] > best_agree["_pa"] * best_agree["_pat"]:
            best_agree = r
    sufficient = [r for r in rows if r["significant"]]
    if best_agree is not None:
        best_agree = {**best_agree, "direction": "agree", "p": best_agree["_pa"],
                      "repness": best_agree["_ra"], "z": best_agree["_rat"],
                      "p_z": best_agree["_pat"],
                      "significant": bool(best_agree["_rat"] > Z_90
                                          and best_agree["_pat"] > Z_90)}
    if not sufficient:
        chosen = [best_agree] if best_agree else ([best_any] if best_any else [])
    else:
        drop = best_agree["statement_id"] if best_agree else None
        ranked = sorted((r for r in sufficient if r["statement_id"] != drop),
                        key=lambda r: (-(r["repness"] * r["z"] * r["p"] * r["p_z"]),
                                       r["statement_id"]))
        chosen = ([best_agree] if best_agree else []) + ranked
        chosen = chosen[:top]
        chosen = ([r for r in chosen if r["direction"] == "agree"]
                  + [r for r in chosen if r["direction"] == "disagree"])
    out = []
    for rank, r in enumerate(chosen[:top], start=1):
        out.append({c: r[c] for c in _REPNESS_COLUMNS if c != "rank"} | {"rank": rank})
    return out


def group_informed_consensus(matrix: VoteMatrix, groups: OpinionGroups) -> pd.Series:
    """Pol.is's group-informed consensus: product over groups of (agree + 1) / (seen + 2).

    High only when every group tends to agree. Without groups, the whole set of members
    who answered counts as one group.

    Returns
    -------
    pandas.Series
        Indexed by statement_id (active statements, matrix order), name
        ``group_informed_consensus``.

    """
    return _gac(matrix, groups, agree=True)


def _gac(matrix: VoteMatrix, groups: OpinionGroups, agree: bool) -> pd.Series:
    if groups.k == 0:
        found, na, nd, ns = _group_counts(
            matrix, OpinionGroups(pd.Series(0, index=matrix.member_ids, dtype="Int64"),
                                  groups.coords, 1, float("nan")))
    else:
        found, na, nd, ns = _group_counts(matrix, groups)
    hits = na if agree else nd
    prob = ((hits + 1.0) / (ns + 2.0)).prod(axis=0)
    name = "group_informed_consensus" if agree else "group_informed_dissent"
    return pd.Series(prob[matrix.active], index=pd.Index(
        matrix.statement_ids[matrix.active], name="statement_id"), name=name)


_CONSENSUS_COLUMNS = ["direction", "statement_id", "n_success", "n_seen", "p", "z",
                      "group_informed", "rank"]


def consensus_statements(matrix: VoteMatrix, groups: OpinionGroups,
                         top: int = 5) -> pd.DataFrame:
    """Statements most members agree on, and those most disagree with (Pol.is's consensus).

    As Pol.is: over every member who answered, ``p`` = (n + 1) / (seen + 2) agreeing (or
    disagreeing) and ``z`` its one-proportion z-score against one half; kept when
    ``p > 0.5`` and ``z > 1.2816``, ranked by ``p * z``, at most ``top`` per direction.
    ``group_informed`` adds the group-informed value (product over groups) for the same
    direction, so that a reader sees whether the consensus holds across groups.

    Returns
    -------
    pandas.DataFrame
        Columns ``direction`` ("agree"/"disagree"), ``statement_id``, ``n_success``,
        ``n_seen``, ``p``, ``z``, ``group_informed``, ``rank``.

    """
    act = matrix.active
    pol = matrix.polarity
    m = matrix.shape[1]
    na = np.bincount(matrix.cols[pol > 0], minlength=m).astype(float)
    nd = np.bincount(matrix.cols[pol < 0], minlength=m).astype(float)
    ns = np.bincount(matrix.cols, minlength=m).astype(float)
    frames = []
    for direction, hits, gac in (("agree", na, _gac(matrix, groups, True)),
                                 ("disagree", nd, _gac(matrix, groups, False))):
        p = (hits + 1) / (ns + 2)
        z = _prop_test(hits, ns)
        keep = act & (p > 0.5) & (z > Z_90)
        idx = np.where(keep)[0]
        metric = p[idx] * z[idx]
        idx = idx[np.lexsort((matrix.statement_ids[idx], -metric))][:top]
        frames.append(pd.DataFrame({
            "direction": direction, "statement_id": matrix.statement_ids[idx],
            "n_success": hits[idx].astype(np.int64), "n_seen": ns[idx].astype(np.int64),
            "p": p[idx], "z": z[idx],
            "group_informed": gac.reindex(matrix.statement_ids[idx]).to_numpy(),
            "rank": np.arange(1, len(idx) + 1),
        }, columns=_CONSENSUS_COLUMNS))
    return pd.concat(frames, ignore_index=True)
