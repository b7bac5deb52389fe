"""Delphi rounds: consensus per statement across rounds, and who moved in the last one.

:func:`rounds_chart` draws the consensus of each statement round by round above the share
of members who changed their answer between the last two rounds, and says which
statements were stable.
"""

from __future__ import annotations

from functools import partial

import altair as alt
import pandas as pd

from ...i18n import Words
from ..palette import GROUP_COLOURS
from .figure import Figure, make_figure
from .labels import WIDTH, numbered, percent, short_label

__all__ = ["rounds_chart", "STABLE_MARKS"]

#: Whether a statement's answers stayed stable between two rounds (a sign: no language).
STABLE_MARKS = {True: "✓", False: "✗"}


def rounds_chart(per_round: pd.DataFrame, change: pd.DataFrame,
                 statements: pd.DataFrame, *, language: str | None = None) -> Figure:
    """Consensus per statement across Delphi rounds, and who moved in the last round.

    Parameters
    ----------
    per_round : DataFrame
        ``analysis.rounds.rounds_summary``: indexed by (round, statement_id).
    change : DataFrame
        ``analysis.rounds.round_change`` between the last two rounds.
    statements : DataFrame
        ``Store.statements_frame``.
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    from ...analysis.rounds import STABLE_SHIFT

    words = Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    pct = partial(percent, language=words.language)
    numbers, texts = numbered(statements)
    data = per_round.reset_index()[["round", "statement_id", "consensus", "pct_agree"]]
    data = data[data["statement_id"].isin(numbers)].dropna(subset=["consensus"])
    data["statement"] = [short_label(numbers[s], texts[s], 40) for s in data["statement_id"]]
    data = data.drop(columns="statement_id")
    statement_tip = alt.Tooltip("statement:N", title=_("Statement"))
    lines = (
        alt.Chart(data, title=_("Consensus (Tastle & Wierman) by round"))
        .mark_line(point=True)
        .encode(x=alt.X("round:O", title=_("Round")),
                y=alt.Y("consensus:Q", title=_("Consensus"), scale=alt.Scale(domain=[0, 1])),
                color=alt.Color("statement:N", title=_("Statement"),
                                scale=alt.Scale(range=list(GROUP_COLOURS)),
                                legend=alt.Legend(orient="bottom", direction="vertical")),
                tooltip=[statement_tip, alt.Tooltip("round:O", title=_("Round")),
                         alt.Tooltip("consensus:Q", format=".2f", title=_("Consensus")),
                         alt.Tooltip("pct_agree:Q", format=".0%", title=_("Agree"))])
        .properties(width=WIDTH, height=220)
    )
    moved = change.reset_index()
    moved = moved[moved["statement_id"].isin(numbers)]
    moved["statement"] = [short_label(numbers[s], texts[s], 40) for s in moved["statement_id"]]
    marks = moved.assign(stable=[STABLE_MARKS[bool(s)] for s in moved["stable"]])
    limit = pct(STABLE_SHIFT)
    bars = (
        alt.Chart(marks[["statement", "changed_share", "shift", "stable"]],
                  title=_("Members who changed their answer in the last round"))
        .mark_bar(color="#0072B2")
        .encode(x=alt.X("changed_share:Q", title=_("Share who changed"),
                        axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("statement:N", title=None),
                tooltip=[statement_tip,
                         alt.Tooltip("changed_share:Q", format=".0%",
                                     title=_("Share who changed")),
                         alt.Tooltip("shift:Q", format=".0%", title=_("Distribution moved")),
                         alt.Tooltip("stable:N", title=_(
                             "Stable (moved by at most {percent})").format(percent=limit))])
        .properties(width=WIDTH)
    )
    rounds = sorted(data["round"].unique())
    text = ngettext("{count} round.", "{count} rounds.", len(rounds)).format(
        count=number(len(rounds)))
    if len(moved):
        stable = int(moved["stable"].sum())
        text += " " + ngettext(
            "Between the last two rounds, {stable} of {count} statement was stable (its "
            "answers moved by at most {percent}).",
            "Between the last two rounds, {stable} of {count} statements were stable (their "
            "answers moved by at most {percent}).", len(moved)).format(
            stable=number(stable), count=number(len(moved)), percent=limit)
        top = moved.sort_values("changed_share", ascending=False).head(2)
        text += " " + _("Most movement: {statements}.").format(statements="; ".join(
            _("{statement} ({percent} of members changed)").format(
                statement=r.statement, percent=pct(r.changed_share))
            for r in top.itertuples()))
    return make_figure(alt.vconcat(lines, bars), text, words.language)
