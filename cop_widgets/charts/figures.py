"""Chart builders, each returning a chart and a paragraph with the same numbers.

Each builder returns a :class:`Figure`: an altair chart and its text alternative.

Everything is aggregated here in Python, so a chart's specification grows with the number
of statements and groups, never with the number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ..scales import Scale
from .palette import GROUP_COLOURS, level_colours

__all__ = [
    "Figure",
    "divergence_chart",
    "attribute_chart",
    "opinion_map",
    "participation_chart",
    "rounds_chart",
    "short_label",
]

WIDTH = 560


@dataclass(frozen=True)
class Figure:
    """A chart with its text alternative.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The chart (render it offline with :func:`cop_widgets.charts.render.to_svg`).
    text : str
        A paragraph with the same numbers, for screen readers, exports and print.
    """

    chart: alt.TopLevelMixin
    text: str


def short_label(number: int, text: str, limit: int = 60) -> str:
    """Return ``"3. First words of the statement…"`` for an axis."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{number}. {text}"


def _pct(x: float) -> str:
    return "no" if pd.isna(x) else f"{100 * x:.0f}%"


def divergence_chart(distribution: pd.DataFrame, summary: pd.DataFrame,
                     statements: pd.DataFrame, scale: Scale) -> Figure:
    """Diverging stacked bars per statement, most divergent first.

    Parameters
    ----------
    distribution : DataFrame
        From ``analysis.summary.stance_distribution``: statement_id, stance, label, count.
    summary : DataFrame
        From ``analysis.summary.statement_summary`` (indexed by statement_id).
    statements : DataFrame
        ``Store.statements_frame``: statement_id, text, position (card order numbers).
    scale : Scale
        The consultation's scale.
    """
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    order = summary.sort_values("divergence", ascending=False, na_position="last").index
    labels = {sid: short_label(numbers.get(sid, 0), texts.get(sid, "")) for sid in order}
    polarity = {level.value: level.polarity for level in scale.levels}
    ranks = {level.value: i for i, level in enumerate(reversed(scale.levels))}
    colours = level_colours(scale)
    rows = []
    stances = distribution[distribution["stance"].notna()].copy()
    stances["stance"] = stances["stance"].astype(int)
    for sid, group in stances.groupby("statement_id", sort=False):
        total = group["count"].sum()
        if sid not in labels or total == 0:
            continue
        group = group.assign(rank=group["stance"].map(ranks)).sort_values("rank")
        share = group["count"] / total
        left = (share[group["stance"].map(polarity) < 0].sum()
                + share[group["stance"].map(polarity) == 0].sum() / 2)
        x = -left
        for (_, row), s in zip(group.iterrows(), share, strict=True):
            rows.append({"statement": labels[sid], "text": texts.get(sid, ""),
                         "label": row["label"], "count": int(row["count"]),
                         "share": float(s), "x0": x, "x1": x + s})
            x += s
    data = pd.DataFrame(rows, columns=["statement", "text", "label", "count", "share", "x0",
                                       "x1"])
    domain = [level.label for level in scale.levels]
    chart = (
        alt.Chart(data, title="Where the community agrees and splits")
        .mark_bar()
        .encode(
            x=alt.X("x0:Q", title="Share of stances (disagree ← → agree)",
                    scale=alt.Scale(domain=[-1, 1]), axis=alt.Axis(format="%")),
            x2="x1:Q",
            y=alt.Y("statement:N", sort=[labels[s] for s in order], title=None,
                    axis=alt.Axis(labelLimit=380)),
            color=alt.Color("label:N", title="Stance",
                            scale=alt.Scale(domain=domain, range=[colours[v] for v in
                                                                  scale.values])),
            tooltip=[alt.Tooltip("text:N", title="Statement"),
                     alt.Tooltip("label:N", title="Stance"),
                     alt.Tooltip("count:Q", title="Members"),
                     alt.Tooltip("share:Q", title="Share", format=".0%")],
        )
        .properties(width=WIDTH)
    )
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#424242").encode(x="x:Q")
    return Figure(alt.layer(chart, rule), describe_divergence(summary, labels))


def describe_divergence(summary: pd.DataFrame, labels: Mapping[int, str]) -> str:
    """Return a paragraph: how many statements reach consensus, lean, divide or polarise."""
    answered = summary[summary["class"] != "no answers"]
    if answered.empty:
        return "No member has submitted a position yet."
    counts = answered["class"].value_counts()
    parts = [f"{counts.get(c, 0)} {one if counts.get(c, 0) == 1 else many}"
             for c, one, many in (
                 ("consensus", "reaches consensus", "reach consensus"),
                 ("leaning", "leans one way", "lean one way"),
                 ("divided", "is divided", "are divided"),
                 ("polarised", "is polarised", "are polarised"))]
    text = f"Of {len(answered)} statements answered, " + ", ".join(parts) + "."
    top = answered.sort_values("divergence", ascending=False).head(3)
    details = [f"{labels.get(sid, sid)} ({_pct(r.pct_agree)} agree, "
               f"{_pct(r.pct_disagree)} disagree, {int(r.n)} answers)"
               for sid, r in top.iterrows()]
    if details:
        text += " Most divergent: " + "; ".join(details) + "."
    consensus = answered[answered["class"] == "consensus"]
    if not consensus.empty:
        text += " Consensus on: " + "; ".join(
            f"{labels.get(sid, sid)} ({_pct(r.pct_disagree)} disagree)"
            if r.direction == "disagree" else
            f"{labels.get(sid, sid)} ({_pct(r.pct_agree)} agree)"
            for sid, r in consensus.iterrows()) + "."
    return text


def attribute_chart(by_group: pd.DataFrame, statements: pd.DataFrame,
                    attribute: str) -> Figure:
    """Heat map of the share agreeing, statement by group of a member attribute.

    Parameters
    ----------
    by_group : DataFrame
        From ``analysis.summary.by_attribute``: MultiIndex (group, statement_id) with
        ``pct_agree``, ``pct_disagree``, ``group_size``.
    statements : DataFrame
        ``Store.statements_frame``.
    attribute : str
        The attribute's name, for titles and text.
    """
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    data = by_group.reset_index()
    data = data.rename(columns={data.columns[0]: "group"})
    data["statement"] = [short_label(numbers.get(s, 0), texts.get(s, ""), 45)
                         for s in data["statement_id"]]
    data["group"] = data["group"].astype(str)
    data = data[["group", "statement", "pct_agree", "pct_disagree", "group_size"]]
    order = [short_label(numbers[s], texts[s], 45) for s in statements["statement_id"]]
    chart = (
        alt.Chart(data, title=f"Share agreeing, by {attribute}")
        .mark_rect()
        .encode(
            x=alt.X("group:N", title=attribute),
            y=alt.Y("statement:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color("pct_agree:Q", title="Agree", scale=alt.Scale(
                domain=[0, 1], scheme="purpleorange", reverse=True),
                legend=alt.Legend(format="%")),
            tooltip=["group:N", "statement:N",
                     alt.Tooltip("pct_agree:Q", format=".0%", title="Agree"),
                     alt.Tooltip("pct_disagree:Q", format=".0%", title="Disagree"),
                     alt.Tooltip("group_size:Q", title="Members")],
        )
    )
    answered = data.dropna(subset=["pct_agree"])
    spread = answered.groupby("statement")["pct_agree"].agg(["max", "min", "idxmax", "idxmin"])
    if spread.empty:
        text = f"No answers to compare by {attribute} yet."
    else:
        spread["gap"] = spread["max"] - spread["min"]
        top = spread.sort_values("gap", ascending=False).head(3)
        text = f"Compared by {attribute}, the widest gaps in agreement are: " + "; ".join(
            f"{st}: {_pct(r['max'])} among {data.loc[r['idxmax'], 'group']} against "
            f"{_pct(r['min'])} among {data.loc[r['idxmin'], 'group']}"
            for st, r in top.iterrows()) + "."
    return Figure(chart, text)


def opinion_map(coords: pd.DataFrame, labels: pd.Series, bins: int = 24) -> Figure:
    """Members on the 2-D opinion map, coloured by opinion group, binned on a grid.

    Parameters
    ----------
    coords : DataFrame
        ``member_id``, ``x``, ``y`` (from ``analysis.opinion.opinion_groups``).
    labels : Series
        Group per member_id (<NA> for members not placed in a group).
    bins : int
        Grid cells per side: the chart has at most ``bins² × groups`` points.
    """
    frame = coords.set_index("member_id")[["x", "y"]].join(labels.rename("group"))
    frame = frame.dropna(subset=["x", "y"])
    if frame.empty:
        return Figure(alt.Chart(pd.DataFrame({"x": [], "y": []})).mark_point(),
                      "Not enough positions yet to draw the opinion map.")
    frame["group"] = ["Group " + chr(65 + int(g)) if pd.notna(g) else "Not grouped"
                      for g in frame["group"]]
    edges_x = np.linspace(frame.x.min(), frame.x.max() + 1e-9, bins + 1)
    edges_y = np.linspace(frame.y.min(), frame.y.max() + 1e-9, bins + 1)
    frame["cx"] = np.digitize(frame.x, edges_x) - 1
    frame["cy"] = np.digitize(frame.y, edges_y) - 1
    cells = (frame.groupby(["group", "cx", "cy"]).size().rename("members").reset_index())
    cells["x"] = (edges_x[cells.cx] + edges_x[cells.cx + 1]) / 2
    cells["y"] = (edges_y[cells.cy] + edges_y[cells.cy + 1]) / 2
    groups = sorted(cells["group"].unique(), key=lambda g: (g == "Not grouped", g))
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] if g != "Not grouped" else "#bdbdbd"
               for i, g in enumerate(groups)]
    chart = (
        alt.Chart(cells[["group", "x", "y", "members"]], title="Opinion map")
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None),
            size=alt.Size("members:Q", title="Members"),
            color=alt.Color("group:N", title="Opinion group",
                            scale=alt.Scale(domain=groups, range=colours)),
            tooltip=["group:N", "members:Q"],
        )
        .properties(width=360, height=300)
    )
    sizes = frame["group"].value_counts()
    named = [f"{g} ({sizes[g]} members)" for g in groups if g != "Not grouped"]
    text = (f"Members fall into {len(named)} opinion groups: " + ", ".join(named) + "."
            if named else "No opinion groups could be formed.")
    if "Not grouped" in sizes:
        text += f" {sizes['Not grouped']} members answered too little to be placed."
    return Figure(chart, text)


def participation_chart(members: pd.DataFrame, attribute: str | None = None) -> Figure:
    """Invited members who responded and who have not, overall or by an attribute.

    Parameters
    ----------
    members : DataFrame
        ``Store.members_frame``: ``invited``, ``responded`` and attribute columns.
    attribute : str, optional
        Break the bars down by this attribute.
    """
    frame = members.copy()
    frame["group"] = (frame[attribute].fillna("(not given)").replace("", "(not given)")
                      if attribute else "All members")
    frame["status"] = np.where(frame["responded"], "Responded",
                               np.where(frame["invited"], "Not yet", "Not invited"))
    counts = frame.groupby(["group", "status"]).size().rename("members").reset_index()
    chart = (
        alt.Chart(counts, title="Who has been heard" + (f", by {attribute}" if attribute
                                                         else ""))
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=attribute or None),
            x=alt.X("members:Q", title="Members", stack="zero"),
            color=alt.Color("status:N", title=None, scale=alt.Scale(
                domain=["Responded", "Not yet", "Not invited"],
                range=["#0072B2", "#E69F00", "#bdbdbd"])),
            tooltip=["group:N", "status:N", "members:Q"],
        )
        .properties(width=WIDTH)
    )
    rates = frame.groupby("group")["responded"].agg(["sum", "count"])
    rates["rate"] = rates["sum"] / rates["count"]
    text = (f"{int(rates['sum'].sum())} of {int(rates['count'].sum())} members have "
            f"responded ({_pct(rates['sum'].sum() / max(rates['count'].sum(), 1))}).")
    if attribute and len(rates) > 1:
        low = rates.sort_values("rate").iloc[0]
        text += (f" Lowest response by {attribute}: {rates.sort_values('rate').index[0]} "
                 f"({int(low['sum'])} of {int(low['count'])}, {_pct(low['rate'])}).")
    return Figure(chart, text)


def rounds_chart(per_round: pd.DataFrame, change: pd.DataFrame,
                 statements: pd.DataFrame) -> Figure:
    """Consensus per statement across Delphi rounds, and who moved in the last round.

    Parameters
    ----------
    per_round : DataFrame
        ``analysis.rounds.rounds_summary``: indexed by (round, statement_id).
    change : DataFrame
        ``analysis.rounds.round_change`` between the last two rounds.
    statements : DataFrame
        ``Store.statements_frame``.
    """
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    data = per_round.reset_index()[["round", "statement_id", "consensus", "pct_agree"]]
    data = data[data["statement_id"].isin(numbers)].dropna(subset=["consensus"])
    data["statement"] = [short_label(numbers[s], texts[s], 40) for s in data["statement_id"]]
    data = data.drop(columns="statement_id")
    lines = (
        alt.Chart(data, title="Consensus (Tastle & Wierman) by round")
        .mark_line(point=True)
        .encode(x=alt.X("round:O", title="Round"),
                y=alt.Y("consensus:Q", title="Consensus", scale=alt.Scale(domain=[0, 1])),
                color=alt.Color("statement:N", title="Statement",
                                scale=alt.Scale(range=list(GROUP_COLOURS))),
                tooltip=["statement:N", "round:O",
                         alt.Tooltip("consensus:Q", format=".2f"),
                         alt.Tooltip("pct_agree:Q", format=".0%", title="Agree")])
        .properties(width=WIDTH, height=220)
    )
    moved = change.reset_index()
    moved = moved[moved["statement_id"].isin(numbers)]
    moved["statement"] = [short_label(numbers[s], texts[s], 40) for s in moved["statement_id"]]
    bars = (
        alt.Chart(moved[["statement", "changed_share", "shift", "stable"]],
                  title="Members who changed their answer in the last round")
        .mark_bar(color="#0072B2")
        .encode(x=alt.X("changed_share:Q", title="Share who changed",
                        axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("statement:N", title=None, axis=alt.Axis(labelLimit=300)),
                tooltip=["statement:N", alt.Tooltip("changed_share:Q", format=".0%"),
                         alt.Tooltip("shift:Q", format=".0%", title="Distribution moved"),
                         "stable:N"])
        .properties(width=WIDTH)
    )
    rounds = sorted(data["round"].unique())
    text = f"{len(rounds)} rounds."
    if len(moved):
        stable = int(moved["stable"].sum())
        text += (f" Between the last two rounds, {stable} of {len(moved)} statements were "
                 f"stable (their answers moved by at most 15%).")
        top = moved.sort_values("changed_share", ascending=False).head(2)
        text += " Most movement: " + "; ".join(
            f"{r.statement} ({_pct(r.changed_share)} of members changed)"
            for r in top.itertuples()) + "."
    return Figure(alt.vconcat(lines, bars), text)
