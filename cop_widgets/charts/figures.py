"""Chart builders, each returning a chart and a paragraph with the same numbers.

Each builder returns a :class:`Figure`: an altair chart and its text alternative, both in
the ``language`` given (English by default): titles, axis and legend titles, tooltips,
the words in the data (stance levels, groups, statuses), the numbers on the axes
(decimal sign, percent sign) and the text alternative. The builders read no global state:
the language is an argument, and the words come from the catalogues of
:mod:`cop_widgets.i18n`.

Everything is aggregated here in Python, so a chart's specification grows with the number
of statements and groups, never with the number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Words,
    format_percent,
)
from ..scales import Scale
from .palette import GROUP_COLOURS, level_colours

__all__ = [
    "Figure",
    "divergence_chart",
    "describe_divergence",
    "attribute_chart",
    "opinion_map",
    "participation_chart",
    "rounds_chart",
    "short_label",
]

WIDTH = 560
MISSING = "–"
#: The group of members who gave no value (``analysis.summary.NOT_GIVEN``).
NOT_GIVEN = N_("(not given)")
#: The one group of the participation chart when it is not broken down by an attribute.
ALL_MEMBERS = N_("All members")
#: Members of the opinion map who are in no opinion group.
NOT_GROUPED = N_("Not grouped")
#: Whether a statement's answers stayed stable between two rounds (a sign: no language).
STABLE_MARKS = {True: "✓", False: "✗"}


@dataclass(frozen=True)
class Figure:
    """A chart with its text alternative.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The chart (render it offline with :func:`cop_widgets.charts.render.to_svg`).
    text : str
        A paragraph with the same numbers, for screen readers, exports and print.
    language : str
        The language the chart's words and its text are written in.
    """

    chart: alt.TopLevelMixin
    text: str
    language: str = DEFAULT_LANGUAGE


class _Words(Words):
    """The words of one language, with the ones charts need."""

    def pct(self, share: float) -> str:
        return MISSING if pd.isna(share) else format_percent(share, self.language)

    def group(self, name: object) -> str:
        """Return a group's name, the analysis' "(not given)" in the language."""
        return self.gettext(NOT_GIVEN) if name == NOT_GIVEN else str(name)

    def figure(self, chart: alt.TopLevelMixin, text: str) -> Figure:
        """Wrap up a chart: numbers on its axes written the way the language writes them.

        Vega's own screen-reader descriptions of marks and axes are English whatever the
        chart says; in another language they are turned off (``aria``): the figure's text
        is the text alternative.
        """
        if self.language != DEFAULT_LANGUAGE:
            chart = chart.configure(aria=False, title={"aria": False},
                                    locale={"number": _number_locale(self.language)})
        return Figure(chart, text, self.language)


def _number_locale(language: str) -> dict:
    """Return the d3-format locale of ``language`` (decimal and percent signs), from CLDR."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    percent = format_percent(0, language)
    return {"decimal": get_decimal_symbol(language), "thousands": get_group_symbol(language),
            "grouping": [3], "currency": ["", ""],
            "percent": percent[percent.index("0") + 1:]}


def short_label(number: int, text: str, limit: int = 60) -> str:
    """Return ``"3. First words of the statement…"`` for an axis."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{number}. {text}"


def divergence_chart(distribution: pd.DataFrame, summary: pd.DataFrame,
                     statements: pd.DataFrame, scale: Scale, *,
                     language: str | None = None) -> Figure:
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
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    words = _Words(language)
    _ = words.gettext
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    order = summary.sort_values("divergence", ascending=False, na_position="last").index
    labels = {sid: short_label(numbers.get(sid, 0), texts.get(sid, "")) for sid in order}
    polarity = {level.value: level.polarity for level in scale.levels}
    ranks = {level.value: i for i, level in enumerate(reversed(scale.levels))}
    level_words = {level.value: _(level.label) for level in scale.levels}
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
        for (_i, row), s in zip(group.iterrows(), share, strict=True):
            rows.append({"statement": labels[sid], "text": texts.get(sid, ""),
                         "label": level_words.get(row["stance"], _(str(row["label"]))),
                         "count": int(row["count"]), "share": float(s), "x0": x,
                         "x1": x + s})
            x += s
    data = pd.DataFrame(rows, columns=["statement", "text", "label", "count", "share", "x0",
                                       "x1"])
    domain = [level_words[level.value] for level in scale.levels]
    chart = (
        alt.Chart(data, title=_("Where the community agrees and splits"))
        .mark_bar()
        .encode(
            x=alt.X("x0:Q", title=_("Share of stances (disagree ← → agree)"),
                    scale=alt.Scale(domain=[-1, 1]), axis=alt.Axis(format="%")),
            x2="x1:Q",
            y=alt.Y("statement:N", sort=[labels[s] for s in order], title=None,
                    axis=alt.Axis(labelLimit=380)),
            color=alt.Color("label:N", title=_("Stance"),
                            scale=alt.Scale(domain=domain, range=[colours[v] for v in
                                                                  scale.values])),
            tooltip=[alt.Tooltip("text:N", title=_("Statement")),
                     alt.Tooltip("label:N", title=_("Stance")),
                     alt.Tooltip("count:Q", title=_("Members")),
                     alt.Tooltip("share:Q", title=_("Share"), format=".0%")],
        )
        .properties(width=WIDTH)
    )
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#424242").encode(x="x:Q")
    return words.figure(alt.layer(chart, rule),
                        describe_divergence(summary, labels, language=words.language))


def describe_divergence(summary: pd.DataFrame, labels: Mapping[int, str], *,
                        language: str | None = None) -> str:
    """Return a paragraph: how many statements reach consensus, lean, divide or polarise."""
    words = _Words(language)
    _, ngettext, number, pct = words.gettext, words.ngettext, words.number, words.pct
    answered = summary[summary["class"] != "no answers"]
    if answered.empty:
        return _("No member has submitted a position yet.")
    counts = {c: int(n) for c, n in answered["class"].value_counts().items()}
    phrases = {
        "consensus": ngettext("{count} reaches consensus", "{count} reach consensus",
                              counts.get("consensus", 0)),
        "leaning": ngettext("{count} leans one way", "{count} lean one way",
                            counts.get("leaning", 0)),
        "divided": ngettext("{count} is divided", "{count} are divided",
                            counts.get("divided", 0)),
        "polarised": ngettext("{count} is polarised", "{count} are polarised",
                              counts.get("polarised", 0)),
    }
    parts = [phrase.format(count=number(counts.get(c, 0))) for c, phrase in phrases.items()]
    text = ngettext("Of {count} statement answered, {parts}.",
                    "Of {count} statements answered, {parts}.", len(answered)).format(
        count=number(len(answered)), parts=", ".join(parts))
    top = answered.sort_values("divergence", ascending=False).head(3)
    details = [_("{statement} ({agree} agree, {disagree} disagree, {answers})").format(
        statement=labels.get(sid, sid), agree=pct(r.pct_agree), disagree=pct(r.pct_disagree),
        answers=ngettext("{count} answer", "{count} answers", int(r.n)).format(
            count=number(int(r.n))))
        for sid, r in top.iterrows()]
    if details:
        text += " " + _("Most divergent: {statements}.").format(statements="; ".join(details))
    consensus = answered[answered["class"] == "consensus"]
    if not consensus.empty:
        agreed = [
            _("{statement} ({percent} disagree)").format(
                statement=labels.get(sid, sid), percent=pct(r.pct_disagree))
            if r.direction == "disagree" else
            _("{statement} ({percent} agree)").format(
                statement=labels.get(sid, sid), percent=pct(r.pct_agree))
            for sid, r in consensus.iterrows()]
        text += " " + _("Consensus on: {statements}.").format(statements="; ".join(agreed))
    return text


def attribute_chart(by_group: pd.DataFrame, statements: pd.DataFrame,
                    attribute: str, *, language: str | None = None) -> Figure:
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
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    words = _Words(language)
    _, pct = words.gettext, words.pct
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    data = by_group.reset_index()
    data = data.rename(columns={data.columns[0]: "group"})
    data["statement"] = [short_label(numbers.get(s, 0), texts.get(s, ""), 45)
                         for s in data["statement_id"]]
    data["group"] = [words.group(g) for g in data["group"].astype(str)]
    data = data[["group", "statement", "pct_agree", "pct_disagree", "group_size"]]
    order = [short_label(numbers[s], texts[s], 45) for s in statements["statement_id"]]
    chart = (
        alt.Chart(data, title=_("Share agreeing, by {attribute}").format(attribute=attribute))
        .mark_rect()
        .encode(
            x=alt.X("group:N", title=attribute),
            y=alt.Y("statement:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color("pct_agree:Q", title=_("Agree"), scale=alt.Scale(
                domain=[0, 1], scheme="purpleorange", reverse=True),
                legend=alt.Legend(format="%")),
            tooltip=[alt.Tooltip("group:N", title=attribute),
                     alt.Tooltip("statement:N", title=_("Statement")),
                     alt.Tooltip("pct_agree:Q", format=".0%", title=_("Agree")),
                     alt.Tooltip("pct_disagree:Q", format=".0%", title=_("Disagree")),
                     alt.Tooltip("group_size:Q", title=_("Members"))],
        )
    )
    answered = data.dropna(subset=["pct_agree"])
    spread = answered.groupby("statement")["pct_agree"].agg(["max", "min", "idxmax", "idxmin"])
    if spread.empty:
        text = _("No answers to compare by {attribute} yet.").format(attribute=attribute)
    else:
        spread["gap"] = spread["max"] - spread["min"]
        top = spread.sort_values("gap", ascending=False).head(3)
        gaps = "; ".join(
            _("{statement}: {high_percent} among {high_group} against {low_percent} among "
              "{low_group}").format(
                statement=st, high_percent=pct(r["max"]),
                high_group=data.loc[r["idxmax"], "group"], low_percent=pct(r["min"]),
                low_group=data.loc[r["idxmin"], "group"])
            for st, r in top.iterrows())
        text = _("Compared by {attribute}, the widest gaps in agreement are: {gaps}.").format(
            attribute=attribute, gaps=gaps)
    return words.figure(chart, text)


def opinion_map(coords: pd.DataFrame, labels: pd.Series, bins: int = 24, *,
                language: str | None = None) -> Figure:
    """Members on the 2-D opinion map, coloured by opinion group, binned on a grid.

    Parameters
    ----------
    coords : DataFrame
        ``member_id``, ``x``, ``y`` (from ``analysis.opinion.opinion_groups``).
    labels : Series
        Group per member_id (<NA> for members not placed in a group).
    bins : int
        Grid cells per side: the chart has at most ``bins² × groups`` points.
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    words = _Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    frame = coords.set_index("member_id")[["x", "y"]].join(labels.rename("group"))
    frame = frame.dropna(subset=["x", "y"])
    if frame.empty:
        return words.figure(alt.Chart(pd.DataFrame({"x": [], "y": []})).mark_point(),
                            _("Not enough positions yet to draw the opinion map."))
    outside = _(NOT_GROUPED)
    frame["group"] = [_("Group {letter}").format(letter=chr(65 + int(g))) if pd.notna(g)
                      else outside for g in frame["group"]]
    edges_x = np.linspace(frame.x.min(), frame.x.max() + 1e-9, bins + 1)
    edges_y = np.linspace(frame.y.min(), frame.y.max() + 1e-9, bins + 1)
    frame["cx"] = np.digitize(frame.x, edges_x) - 1
    frame["cy"] = np.digitize(frame.y, edges_y) - 1
    cells = (frame.groupby(["group", "cx", "cy"]).size().rename("members").reset_index())
    cells["x"] = (edges_x[cells.cx] + edges_x[cells.cx + 1]) / 2
    cells["y"] = (edges_y[cells.cy] + edges_y[cells.cy + 1]) / 2
    groups = sorted(cells["group"].unique(), key=lambda g: (g == outside, g))
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] if g != outside else "#bdbdbd"
               for i, g in enumerate(groups)]
    chart = (
        alt.Chart(cells[["group", "x", "y", "members"]], title=_("Opinion map"))
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None),
            size=alt.Size("members:Q", title=_("Members")),
            color=alt.Color("group:N", title=_("Opinion group"),
                            scale=alt.Scale(domain=groups, range=colours)),
            tooltip=[alt.Tooltip("group:N", title=_("Opinion group")),
                     alt.Tooltip("members:Q", title=_("Members"))],
        )
        .properties(width=360, height=300)
    )
    sizes = frame["group"].value_counts()
    named = [ngettext("{group} ({count} member)", "{group} ({count} members)",
                      int(sizes[g])).format(group=g, count=number(int(sizes[g])))
             for g in groups if g != outside]
    text = (ngettext("Members fall into {count} opinion group: {groups}.",
                     "Members fall into {count} opinion groups: {groups}.", len(named)).format(
                count=number(len(named)), groups=", ".join(named))
            if named else _("No opinion groups could be formed."))
    if outside in sizes:
        text += " " + ngettext("{count} member answered too little to be placed.",
                               "{count} members answered too little to be placed.",
                               int(sizes[outside])).format(count=number(int(sizes[outside])))
    return words.figure(chart, text)


def participation_chart(members: pd.DataFrame, attribute: str | None = None, *,
                        language: str | None = None) -> Figure:
    """Invited members who responded and who have not, overall or by an attribute.

    Parameters
    ----------
    members : DataFrame
        ``Store.members_frame``: ``invited``, ``responded`` and attribute columns.
    attribute : str, optional
        Break the bars down by this attribute.
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    words = _Words(language)
    _, ngettext, number, pct = words.gettext, words.ngettext, words.number, words.pct
    frame = members.copy()
    not_given = _(NOT_GIVEN)
    frame["group"] = (frame[attribute].fillna(not_given).replace("", not_given)
                      if attribute else _(ALL_MEMBERS))
    statuses = [_("Responded"), _("Not yet"), _("Not invited")]
    frame["status"] = np.where(frame["responded"], statuses[0],
                               np.where(frame["invited"], statuses[1], statuses[2]))
    counts = frame.groupby(["group", "status"]).size().rename("members").reset_index()
    title = (_("Who has been heard, by {attribute}").format(attribute=attribute) if attribute
             else _("Who has been heard"))
    chart = (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=attribute or None),
            x=alt.X("members:Q", title=_("Members"), stack="zero"),
            color=alt.Color("status:N", title=None, scale=alt.Scale(
                domain=statuses, range=["#0072B2", "#E69F00", "#bdbdbd"])),
            tooltip=[alt.Tooltip("group:N", title=attribute or _("Group")),
                     alt.Tooltip("status:N", title=_("Status")),
                     alt.Tooltip("members:Q", title=_("Members"))],
        )
        .properties(width=WIDTH)
    )
    rates = frame.groupby("group")["responded"].agg(["sum", "count"])
    rates["rate"] = rates["sum"] / rates["count"]
    responded, total = int(rates["sum"].sum()), int(rates["count"].sum())
    text = ngettext("{responded} of {count} member has responded ({percent}).",
                    "{responded} of {count} members have responded ({percent}).",
                    total).format(responded=number(responded), count=number(total),
                                  percent=pct(responded / max(total, 1)))
    if attribute and len(rates) > 1:
        ranked = rates.sort_values("rate")
        low = ranked.iloc[0]
        text += " " + _("Lowest response by {attribute}: {group} ({responded} of {count}, "
                        "{percent}).").format(
            attribute=attribute, group=ranked.index[0], responded=number(int(low["sum"])),
            count=number(int(low["count"])), percent=pct(low["rate"]))
    return words.figure(chart, text)


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
    from ..analysis.rounds import STABLE_SHIFT

    words = _Words(language)
    _, ngettext, number, pct = words.gettext, words.ngettext, words.number, words.pct
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
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
                                scale=alt.Scale(range=list(GROUP_COLOURS))),
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
                y=alt.Y("statement:N", title=None, axis=alt.Axis(labelLimit=300)),
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
    return words.figure(alt.vconcat(lines, bars), text)
