"""The one vote matrix: members x statements, agree +1, disagree -1, pass 0, stored sparsely.

Ordinal scales map linearly onto [-1, 1]. Statements moderated out stay as columns of zeros
for everyone, as Pol.is's ``zero-out-columns`` does: they move nobody but still count in
each member's number of answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from ...errors import ValidationError
from ...scales import Scale, get_scale

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = ["VoteMatrix", "vote_matrix"]


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
        When each member joined (NaN when unknown): the ``joined`` key given to
        :func:`vote_matrix`, else their earliest answer time in seconds since the epoch. It
        orders members who first answered the same statement, as Pol.is's participant ids
        do when it seeds its clusters.
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
    """Map each level to its vote in [-1, 1] and to its polarity.

    Ordinal levels are spread evenly by their ordinal position; a category of its own
    (Kaner's "Abstain", "More discussion needed") is 0, like a pass: it says nothing about
    how far a member agrees.
    """
    span = len(scale.ordinal_levels) - 1
    values = {}
    for lv in scale.levels:
        position = scale.position(lv.value)
        values[lv.value] = (0.0 if position is None or span == 0
                            else 2.0 * (position - 1) / span - 1.0)
    return values, {lv.value: lv.polarity for lv in scale.levels}


def vote_matrix(
    responses: pd.DataFrame,
    scale: Scale | str,
    statement_ids: Sequence[int] | None = None,
    *,
    moderated_out: Iterable[int] = (),
    joined: Mapping[int, float] | pd.Series | None = None,
) -> VoteMatrix:
    """Build the vote matrix from a responses frame.

    Parameters
    ----------
    responses : pandas.DataFrame
        Columns ``member_id``, ``statement_id``, ``stance`` (nullable integer, <NA> = pass)
        and optionally ``saved_at`` (the order of arrival). As returned by
        ``Store.responses_frame``.
    scale : Scale or str
        The consultation's scale (or its key). Agree/disagree maps to +1 / -1; the
        ordinal levels of other scales map linearly onto [-1, 1] by their ordinal
        position; a pass, and a level that is a category of its own, is 0.
    statement_ids : sequence of int, optional
        Columns, in this order. Answers to other statements are dropped. Default: every
        statement answered, ascending.
    moderated_out : iterable of int
        Statements moderated out (Pol.is's ``mod-out``): kept as inactive columns so that
        they count in members' number of answers as in Pol.is, but they move nobody and are
        never reported.
    joined : mapping or Series, optional
        member_id -> when the member joined, any increasing key: for a conversation imported
        from Pol.is, its participant ids, the order Pol.is seeds its groups with among
        members who first answered the same statement. Members left out count as joining
        last. Default: each member's first answer time (``saved_at``).

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
            raise ValidationError("responses", "frame-column", column=repr(column))
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
        raise ValidationError("responses.stance", "off-the-scale-frame", int(raw[bad][0]),
                              scale=scale.key)
    value_of, polarity_of = _scale_maps(scale)
    lv = np.sort(levels)
    idx = np.searchsorted(lv, raw)
    idx = np.clip(idx, 0, len(lv) - 1)
    data = np.where(is_pass, 0.0, np.asarray([value_of[v] for v in lv])[idx])
    polarity = np.where(is_pass, 0, np.asarray([polarity_of[v] for v in lv])[idx]).astype(
        np.int8)

    if joined is not None:  # when each member joined is known: no need to read answer times
        times = pd.Series(joined, dtype=float).reindex(member_ids).to_numpy(dtype=float)
    else:
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
