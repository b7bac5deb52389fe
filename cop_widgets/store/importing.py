"""Importing a whole consultation from another tool (Pol.is) in one transaction.

Trusted input: the facilitator's own files, not a member's link. The votes are checked and
reduced to each member's latest vote per statement with numpy, then written in bulk
(:mod:`.bulk`); a refused import writes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .. import model as m
from ..errors import ValidationError
from ..scales import get_scale
from . import schema as t
from .base import StoreBase
from .bulk import copy_rows, insert_returning_ids
from .consultations import insert_development
from .rows import consultation_values, member_values, statement_values

if TYPE_CHECKING:  # numpy and pandas are imported only when importing, not by member pages
    import numpy as np
    import pandas as pd

__all__ = ["ImportVerbs", "Answers", "latest_answers"]

#: The columns of the ``votes`` of :meth:`ImportVerbs.import_consultation`.
VOTE_COLUMNS = ["member_index", "statement_index", "stance", "saved_at"]


@dataclass(frozen=True)
class Answers:
    """Each member's latest vote per statement, sorted by member then statement.

    Attributes
    ----------
    member, statement : numpy.ndarray of int64
        Indexes into the imported members and statements, one entry per answer.
    stance : numpy.ndarray of float64
        The stance, NaN for a pass.
    voters : numpy.ndarray of int64
        The members with at least one answer, ascending (one card each).
    saved_at : pandas.DatetimeIndex
        Per voter, the time of their latest vote (naive, in UTC).

    """

    member: np.ndarray
    statement: np.ndarray
    stance: np.ndarray
    voters: np.ndarray
    saved_at: pd.DatetimeIndex


def latest_answers(votes: pd.DataFrame, scale: str, n_members: int,
                   n_statements: int) -> Answers:
    """Check ``votes`` and keep each member's latest vote on each statement.

    Parameters
    ----------
    votes : pandas.DataFrame
        Columns ``member_index``, ``statement_index``, ``stance`` (missing: a pass) and
        ``saved_at``, in the order the votes were cast.
    scale : str
        The consultation's scale key: every stance must be one of its levels.
    n_members, n_statements : int
        How many members and statements the indexes may name.

    Raises
    ------
    ValidationError
        On ``votes[i].member``, ``.statement``, ``.stance`` or ``.saved_at``: an index out
        of range, a stance off the scale, or a missing time.

    """
    import numpy as np
    import pandas as pd

    member_index = votes["member_index"].to_numpy(dtype=np.int64)
    statement_index = votes["statement_index"].to_numpy(dtype=np.int64)
    stance = pd.array(votes["stance"], dtype="Int64")
    allowed = np.array(get_scale(scale).values)
    for name, values, limit, code in (
        ("member", member_index, n_members, "not-an-imported-member"),
        ("statement", statement_index, n_statements, "not-an-imported-statement"),
    ):
        bad = np.flatnonzero((values < 0) | (values >= limit))
        if bad.size:
            raise ValidationError(f"votes[{bad[0]}].{name}", code, int(values[bad[0]]))
    stance_values = stance.to_numpy(dtype="float64", na_value=np.nan)
    bad = np.flatnonzero(~np.isnan(stance_values) & ~np.isin(stance_values, allowed))
    if bad.size:
        raise ValidationError(f"votes[{bad[0]}].stance", "off-the-scale-import",
                              stance_values[bad[0]], levels=str(sorted(allowed.tolist())))
    saved_at = pd.to_datetime(votes["saved_at"], utc=True)
    if saved_at.isna().any():
        row = int(np.flatnonzero(saved_at.isna().to_numpy())[0])
        raise ValidationError(f"votes[{row}].saved_at", "required")
    naive_utc = saved_at.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    # Sort by (member, statement); lexsort is stable, so the last of equal pairs is the
    # latest vote, which replaces the earlier ones.
    order = np.lexsort((statement_index, member_index))
    member_sorted, statement_sorted = member_index[order], statement_index[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = ((member_sorted[1:] != member_sorted[:-1])
                 | (statement_sorted[1:] != statement_sorted[:-1]))
    order = order[last]
    answer_member = member_index[order]
    answer_time = naive_utc[order]
    starts = np.flatnonzero(np.r_[True, answer_member[1:] != answer_member[:-1]]) \
        if len(order) else np.zeros(0, dtype=np.int64)
    return Answers(answer_member, statement_index[order], stance_values[order],
                   answer_member[starts],
                   pd.DatetimeIndex(np.maximum.reduceat(answer_time, starts)
                                    if len(order) else answer_time))


class ImportVerbs(StoreBase):
    """``import_consultation``: a development, consultation, roster and votes at once."""

    def import_consultation(
        self,
        development: m.Development,
        consultation: m.Consultation,
        statements: Sequence[m.Statement],
        members: Sequence[m.Member],
        votes: pd.DataFrame | Iterable[tuple[int, int, int | None, dt.datetime]],
    ) -> m.Consultation:
        """Import a whole consultation from another tool in one transaction.

        Parameters
        ----------
        development, consultation : Development, Consultation
            Their ids (and the consultation's ``development_id``) are ignored and assigned.
        statements, members : sequences of Statement, Member
            Their ``consultation_id`` is ignored; ``external_id`` keeps the other tool's ids.
        votes : DataFrame or iterable of (member_index, statement_index, stance, saved_at)
            Indexes into ``members`` and ``statements``; ``stance`` missing (``None`` or
            <NA>) is a pass. A DataFrame has those four columns. Each member's votes become
            one submitted card (revision 1) in round 1, saved at the latest of their vote
            times; a later vote on the same statement replaces an earlier one. A member
            without votes gets no card.

        Returns
        -------
        Consultation
            The new consultation, with its id. Nothing is written if anything is invalid.
        """
        import numpy as np
        import pandas as pd

        frame = (votes if isinstance(votes, pd.DataFrame)
                 else pd.DataFrame(list(votes), columns=VOTE_COLUMNS))
        answers = latest_answers(frame, consultation.scale, len(members), len(statements))
        now = self.now()
        with self.transaction() as conn:
            development = insert_development(conn, development, now)
            consultation = replace(consultation, development_id=development.id)
            cid = conn.execute(t.consultations.insert().values(
                **consultation_values(consultation), created_at=now)).inserted_primary_key[0]
            round_id = conn.execute(t.rounds.insert().values(
                consultation_id=cid, number=1, opened_at=now)).inserted_primary_key[0]
            # The models are already validated: only the consultation and position change.
            statement_ids = np.array(insert_returning_ids(conn, t.statements, [
                {**statement_values(s), "consultation_id": cid, "position": i + 1,
                 "created_at": now} for i, s in enumerate(statements)]), dtype=np.int64)
            member_ids = np.array(insert_returning_ids(conn, t.members, [
                {**member_values(mb), "consultation_id": cid, "created_at": now}
                for mb in members]), dtype=np.int64)
            card_ids = np.array(insert_returning_ids(conn, t.cards, [
                {"consultation_id": cid, "round_id": round_id, "member_id": int(member_ids[v]),
                 "revision": 1, "status": m.CardStatus.SUBMITTED.value, "concerns": "",
                 "impact": "", "saved_at": when}
                for v, when in zip(answers.voters.tolist(),
                                   answers.saved_at.tz_localize("UTC").to_pydatetime(),
                                   strict=True)
            ]), dtype=np.int64)
            card_column = card_ids[np.searchsorted(answers.voters, answers.member)]
            statement_column = statement_ids[answers.statement]
            # Python ints, and None for a pass
            stance_column = np.where(np.isnan(answers.stance), None,
                                     np.nan_to_num(answers.stance).astype(np.int64)).tolist()
            copy_rows(conn, t.card_responses, ("card_id", "statement_id", "stance", "rationale"),
                      zip(card_column.tolist(), statement_column.tolist(), stance_column,
                          itertools.repeat(""), strict=False))
        return replace(consultation, id=cid)
