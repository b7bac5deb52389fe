"""What each opinion group stands for: representative statements and consensus, as Pol.is.

Representativeness compares a group with the other groups together, with add-one priors and
one- and two-proportion z-scores (significant at 90% one-sided, :data:`Z_90`);
group-informed consensus is the product over groups of each group's chance of agreeing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .groups import OpinionGroups

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .matrix import VoteMatrix

__all__ = ["Z_90", "representative_statements", "group_informed_consensus",
           "consensus_statements"]

#: One-sided z threshold for 90% confidence, as Pol.is (``z-sig-90?``).
Z_90 = 1.2816


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
