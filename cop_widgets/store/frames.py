"""Store verbs that hand analysis its tables: answers, roster and statements as DataFrames.

The answers of a large consultation are read through the database driver's own cursor, as
plain tuples (or, on SQLite, as two packed lists per card) and turned into numpy columns:
per-row type processing would cost more than the query. numpy and pandas are imported by
these verbs only, never by member pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..vocabulary import ROSTER_COLUMNS
from . import schema as t
from .base import StoreBase
from .cards import latest_submitted
from .members import select_members
from .statements import select_statements

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["FrameVerbs", "statements_table"]


class FrameVerbs(StoreBase):
    """``responses_frame``, ``members_frame`` and ``statements_frame`` for the analysis."""

    def responses_frame(self, consultation_id: int, round_number: int | None = None, *,
                        rationales: bool = True) -> pd.DataFrame:
        """Return the latest submitted stance of each member on each statement.

        Parameters
        ----------
        consultation_id : int
        round_number : int, optional
            Default: the current (latest) round.
        rationales : bool
            False leaves the ``rationale`` column out (quicker for the numbers alone).

        Returns
        -------
        pandas.DataFrame
            Columns ``member_id``, ``statement_id``, ``stance`` (nullable integer; missing
            is a pass), ``rationale``, ``revision``, ``saved_at``. One row per member and
            answered statement, from each member's latest submitted revision in the round,
            sorted by member and statement.
        """
        import numpy as np
        import pandas as pd

        with self._read() as conn:
            round_ = self._round(conn, consultation_id, round_number)
            latest = latest_submitted(round_.id)
            cards = _fetch_plain(conn, (
                sa.select(t.cards.c.id, t.cards.c.member_id, t.cards.c.revision,
                          t.cards.c.saved_at)
                .join(latest, latest.c.card_id == t.cards.c.id)
                .order_by(t.cards.c.id)
            ))
            if rationales or conn.dialect.name != "sqlite":
                answer_card, statement, stance, texts = _answers_plain(conn, latest, rationales)
            else:
                answer_card, statement, stance = _answers_packed_sqlite(conn, latest)
        card_id = np.fromiter((c[0] for c in cards), dtype=np.int64, count=len(cards))
        member_of = np.fromiter((c[1] for c in cards), dtype=np.int64, count=len(cards))
        revision_of = np.fromiter((c[2] for c in cards), dtype=np.int64, count=len(cards))
        saved_of = pd.to_datetime(pd.Series([c[3] for c in cards], dtype=object), utc=True)
        at = np.searchsorted(card_id, answer_card)  # every answer's card is in ``cards``
        member = member_of[at]
        order = np.lexsort((statement, member))
        at = at[order]
        stance = stance[order]
        passed = np.isnan(stance)
        frame = pd.DataFrame({
            "member_id": member[order],
            "statement_id": statement[order],
            "stance": pd.arrays.IntegerArray(np.where(passed, 0, stance).astype(np.int64),
                                             passed),
        })
        if rationales:
            frame["rationale"] = [texts[i] for i in order.tolist()]
        frame["revision"] = revision_of[at]
        frame["saved_at"] = pd.DatetimeIndex(saved_of)[at]
        return frame

    def members_frame(self, consultation_id: int) -> pd.DataFrame:
        """Return the roster with participation: one row per member.

        Columns: ``member_id``, ``name``, ``email``, ``external_id``, ``invited`` (an open
        invitation exists), ``responded`` (a submitted card in the current round), then one
        column per attribute.
        """
        import pandas as pd

        with self._read() as conn:
            members = select_members(conn, consultation_id)
            round_ = self._round(conn, consultation_id, None)
            invited = set(conn.execute(
                sa.select(t.invitations.c.member_id)
                .where(t.invitations.c.consultation_id == consultation_id,
                       t.invitations.c.revoked_at.is_(None))
            ).scalars())
            responded = set(conn.execute(
                sa.select(t.cards.c.member_id)
                .where(t.cards.c.round_id == round_.id,
                       t.cards.c.status == m.CardStatus.SUBMITTED.value)
            ).scalars())
        records = [
            {"member_id": mb.id, "name": mb.name, "email": mb.email,
             "external_id": mb.external_id, "invited": mb.id in invited,
             "responded": mb.id in responded, **mb.attributes}
            for mb in members
        ]
        return pd.DataFrame.from_records(records, columns=[*ROSTER_COLUMNS, *sorted(
            {k for mb in members for k in mb.attributes})])

    def statements_frame(self, consultation_id: int) -> pd.DataFrame:
        """Return accepted statements in card order.

        Columns: ``statement_id``, ``text``, ``external_id``, ``position``.
        """
        with self._read() as conn:
            return statements_table(select_statements(conn, consultation_id))


def statements_table(statements: list[m.Statement]) -> pd.DataFrame:
    """Return statements as a frame: ``statement_id``, ``text``, ``external_id``, ``position``.

    The form of :meth:`FrameVerbs.statements_frame`, for statements already read.
    """
    import pandas as pd

    return pd.DataFrame([(s.id, s.text, s.external_id, s.position) for s in statements],
                        columns=["statement_id", "text", "external_id", "position"])


def _fetch_plain(conn: Connection, query: sa.Select) -> list[tuple]:
    """Run ``query`` on the driver's own cursor and return plain tuples (fast for bulk reads).

    Only for columns that need no type processing (integers and text), or whose raw form
    the caller converts itself (timestamps through ``pandas.to_datetime``).
    """
    compiled = query.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _answers_plain(conn: Connection, latest: sa.Subquery, rationales: bool
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Read the answers of the ``latest`` cards, one row each.

    Returns the card ids, statement ids, stances (float, NaN for a pass) and, when asked
    for, the rationales (else an empty list).
    """
    import numpy as np

    columns = [t.card_responses.c.card_id, t.card_responses.c.statement_id,
               t.card_responses.c.stance]
    if rationales:
        columns.append(t.card_responses.c.rationale)
    # The bulk of the rows comes through the driver: no per-row type processing.
    rows = _fetch_plain(conn, sa.select(*columns).join(
        latest, latest.c.card_id == t.card_responses.c.card_id))
    n = len(rows)
    return (np.fromiter((r[0] for r in rows), dtype=np.int64, count=n),
            np.fromiter((r[1] for r in rows), dtype=np.int64, count=n),
            np.fromiter((np.nan if r[2] is None else r[2] for r in rows), dtype=np.float64,
                        count=n),
            [r[3] for r in rows] if rationales else [])


#: Stands for a pass (NULL stance) in ``_answers_packed_sqlite``: no scale has this level.
_PASS_MARK = -(2**40)


def _answers_packed_sqlite(conn: Connection, latest: sa.Subquery
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read the answers of the ``latest`` cards as one row per card (SQLite only).

    The statement ids and stances of a card come as two comma-separated lists built by one
    aggregate query; both aggregates run over the same rows in the same order, so the lists
    line up. Parsing two strings per card is several times quicker than fetching one Python
    tuple per answer. Returns card ids, statement ids and stances (float, NaN for a pass).
    """
    import numpy as np

    answers = t.card_responses
    rows = _fetch_plain(conn, (
        sa.select(answers.c.card_id, sa.func.count(),
                  sa.func.group_concat(answers.c.statement_id, ","),
                  sa.func.group_concat(sa.func.coalesce(answers.c.stance, _PASS_MARK), ","))
        .join(latest, latest.c.card_id == answers.c.card_id)
        .group_by(answers.c.card_id)
    ))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    cards = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    counts = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    statements = np.fromstring(",".join(r[2] for r in rows), dtype=np.int64, sep=",")
    stances = np.fromstring(",".join(r[3] for r in rows), dtype=np.int64, sep=",")
    if len(statements) != counts.sum() or len(stances) != counts.sum():
        raise RuntimeError("card_responses: the packed lists do not match their counts")
    return (np.repeat(cards, counts), statements,
            np.where(stances == _PASS_MARK, np.nan, stances.astype(np.float64)))
