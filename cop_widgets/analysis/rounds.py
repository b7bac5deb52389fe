"""Change between Delphi rounds: measures per round, who moved, and stability.

Pure functions over the frames of each round (``Store.responses_frame(cid, round)``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..scales import Scale
from .summary import ConsensusRule, statement_summary

__all__ = ["STABLE_SHIFT", "rounds_summary", "round_change"]

#: A statement whose distribution moves by at most this share between two rounds is
#: called stable (the 15% criterion often used in Delphi studies).
STABLE_SHIFT = 0.15


def rounds_summary(rounds: Mapping[int, pd.DataFrame], scale: Scale,
                   rule: ConsensusRule | None = None) -> pd.DataFrame:
    """Return the statement summary of every round, stacked.

    Parameters
    ----------
    rounds : mapping of int to DataFrame
        Round number to that round's responses frame.
    scale : Scale
        The consultation's scale.
    rule : ConsensusRule, optional
        The consensus rule (default rule if omitted).

    Returns
    -------
    DataFrame
        The columns of ``statement_summary`` plus ``round``, indexed by
        (round, statement_id).
    """
    frames = {number: statement_summary(frame, scale, rule)
              for number, frame in sorted(rounds.items())}
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, names=["round", "statement_id"])


def round_change(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two rounds statement by statement.

    Parameters
    ----------
    before, after : DataFrame
        Responses frames of the earlier and the later round (stored values compared).

    Returns
    -------
    DataFrame
        Indexed by statement_id, with ``n_both`` (members who answered in both rounds),
        ``changed`` (how many of them gave another answer, a pass counting as an answer),
        ``changed_share``, ``shift`` (half the sum of absolute differences between the two
        rounds' shares per level and pass: the share of answers that moved, 0 to 1),
        and ``stable`` (``shift`` at most :data:`STABLE_SHIFT`).
    """
    keys = ["member_id", "statement_id"]
    left = before[keys + ["stance"]].rename(columns={"stance": "before"})
    right = after[keys + ["stance"]].rename(columns={"stance": "after"})
    both = left.merge(right, on=keys, how="inner")
    moved = ~((both["before"] == both["after"]).fillna(False)
              | (both["before"].isna() & both["after"].isna()))
    per = pd.DataFrame({"statement_id": both["statement_id"], "moved": moved.astype(int)})
    counts = per.groupby("statement_id")["moved"].agg(["size", "sum"])
    counts.columns = ["n_both", "changed"]

    def shares(frame: pd.DataFrame) -> pd.DataFrame:
        stance = frame["stance"].astype("Float64").fillna(np.inf)  # the pass as a level
        table = pd.crosstab(frame["statement_id"], stance)
        return table.div(table.sum(axis=1), axis=0)

    a, b = shares(before), shares(after)
    a, b = a.align(b, join="outer", fill_value=0.0)
    shift = (a - b).abs().sum(axis=1) / 2
    statements = sorted(set(before["statement_id"]) | set(after["statement_id"]))
    result = pd.DataFrame(index=pd.Index(statements, name="statement_id"))
    result = result.join(counts).fillna({"n_both": 0, "changed": 0})
    result[["n_both", "changed"]] = result[["n_both", "changed"]].astype(int)
    result["changed_share"] = result["changed"] / result["n_both"].replace(0, np.nan)
    result["shift"] = shift.reindex(result.index)
    result["stable"] = result["shift"] <= STABLE_SHIFT
    return result
