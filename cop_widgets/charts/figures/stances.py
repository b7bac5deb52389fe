"""Charts of the stances on each statement: where the community agrees and splits.

:func:`divergence_chart` shows every statement's answers as diverging bars, most divergent
first, and :func:`describe_divergence` says the same in words; :func:`attribute_chart`
compares the share agreeing across the groups of a member attribute. Each returns a
:class:`~cop_widgets.charts.figures.Figure` in the language asked for.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from functools import partial

import altair as alt
import pandas as pd

from ...i18n import Words
from ...scales import Scale
from ...words.stances import category_phrases
from ..palette import stance_colours
from .figure import NARROW_PLOT, Figure, make_figure
from .labels import WIDTH, group_name, numbered, percent, short_label

__all__ = ["divergence_chart", "describe_divergence", "attribute_chart"]


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
    words = Words(language)
    _ = words.gettext
    numbers, texts = numbered(statements)
    order = summary.sort_values("divergence", ascending=False, na_position="last").index
    labels = {sid: short_label(numbers.get(sid, 0), texts.get(sid, "")) for sid in order}
    headings = _headings({sid: short_label(numbers.get(sid, 0), texts.get(sid, ""),
                                           HEADING_LIMIT) for sid in order})
    polarity = {level.value: level.polarity for level in scale.levels}
    ranks = _bar_order(scale)
    level_words = {level.value: _(level.label) for level in scale.levels}
    colours = stance_colours(scale)
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
            rows.append({"statement": labels[sid], "heading": headings[sid],
                         "text": texts.get(sid, ""),
                         "label": level_words.get(row["stance"], _(str(row["label"]))),
                         "count": int(row["count"]), "share": float(s), "x0": x,
                         "x1": x + s})
            x += s
    data = pd.DataFrame(rows, columns=["statement", "heading", "text", "label", "count",
                                       "share", "x0", "x1"])
    domain = [level_words[level.value] for level in scale.levels]
    sort = [labels[s] for s in order]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("x0:Q", title=_("Share of stances (disagree ← → agree)"),
                scale=alt.Scale(domain=[-1, 1]), axis=alt.Axis(format="%")),
        x2="x1:Q",
        color=alt.Color("label:N", title=_("Stance"), scale=alt.Scale(
            domain=domain, range=[colours[v] for v in scale.values]),
            legend=alt.Legend(orient="bottom", direction="vertical",
                              columns=_legend_columns(domain))),
        tooltip=[alt.Tooltip("text:N", title=_("Statement")),
                 alt.Tooltip("label:N", title=_("Stance")),
                 alt.Tooltip("count:Q", title=_("Members")),
                 alt.Tooltip("share:Q", title=_("Share"), format=".0%")],
    )
    title = _("Where the community agrees and splits")
    rule = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#424242").encode(x="x:Q")
    chart = alt.layer(
        bars.encode(y=alt.Y("statement:N", sort=sort, title=None,
                            axis=alt.Axis(labelLimit=LABEL_LIMIT))).properties(
            data=data, width=WIDTH),
        rule, title=title)
    # On a phone each statement's label sits above its bar, as wide as the plot.
    narrow = alt.layer(
        bars.properties(width=NARROW_PLOT, height=18),
        alt.Chart().mark_rule(color="#424242").encode(x=alt.datum(0)),
    ).facet(
        row=alt.Row("heading:N", sort=[headings[s] for s in order], title=None,
                    header=alt.Header(labelOrient="top", labelAnchor="start",
                                      labelAlign="left", labelAngle=0, labelPadding=2,
                                      labelLimit=NARROW_PLOT, labelExpr=_WRAP)),
        data=data, spacing=4, title=title,
    )
    text = describe_divergence(summary, labels, language=words.language)
    return make_figure(chart, text, words.language, narrow=narrow)


#: Longest statement label beside the wide chart's bars, in pixels.
LABEL_LIMIT = 300
#: Longest statement label above a narrow chart's bar, in characters.
HEADING_LIMIT = 115
#: Characters on a line of a label above a narrow chart's bar.
HEADING_LINE = 40
#: Vega expression drawing a heading's lines (Vega draws an array of strings as lines).
_WRAP = "split(datum.label, '\\n')"


def _headings(labels: Mapping[int, str]) -> dict[int, str]:
    """Return ``labels`` broken into lines for the narrow chart, all as many lines high.

    Shorter labels start with blank lines, so that each label ends just above its bar
    (the facet's headers are as high as the highest one) and is not read with the bar
    above it.
    """
    lines = {sid: textwrap.wrap(label, HEADING_LINE) or [""] for sid, label in labels.items()}
    high = max((len(v) for v in lines.values()), default=1)
    return {sid: "\n".join([""] * (high - len(v)) + v) for sid, v in lines.items()}


def _legend_columns(domain: list[str]) -> int:
    """Columns of a stance legend under a plot: fewer when the level names are long."""
    longest = max((len(d) for d in domain), default=0)
    return 1 if longest > 24 else 2 if longest > 14 else 3


def describe_divergence(summary: pd.DataFrame, labels: Mapping[int, str], *,
                        language: str | None = None) -> str:
    """Return a paragraph: how many statements reach consensus, lean, divide or polarise.

    The statements where members asked for more discussion (Kaner's "More discussion
    needed", a category of its own) are named with that share, never as divergent.

    Parameters
    ----------
    summary : DataFrame
        From ``analysis.summary.statement_summary`` (indexed by statement_id).
    labels : mapping of int to str
        Each statement's label, by statement_id (see
        :func:`~cop_widgets.charts.figures.short_label`).
    language : str, optional
        Language of the paragraph (English by default).

    Returns
    -------
    str
    """
    words = Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    pct = partial(percent, language=words.language)
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
        "neutral": ngettext("{count} is mostly neither agreed nor disagreed with",
                            "{count} are mostly neither agreed nor disagreed with",
                            counts.get("neutral", 0)),
        "more discussion": ngettext("{count} wants more discussion",
                                    "{count} want more discussion",
                                    counts.get("more discussion", 0)),
    }
    # Only the classes some statement is in: "0 are polarised" is no news.
    parts = [phrase.format(count=number(counts[c])) for c, phrase in phrases.items()
             if counts.get(c)]
    text = ngettext("Of {count} statement answered, {parts}.",
                    "Of {count} statements answered, {parts}.", len(answered)).format(
        count=number(len(answered)), parts=", ".join(parts))

    def apart(r: pd.Series) -> str:
        phrases = category_phrases(r, words.language)
        return "; " + "; ".join(phrases) if phrases else ""

    # Divergent: members on both sides; a request for more discussion is said on its
    # own, not as a split, and a spread on one side (endorsement and reluctant support)
    # is no divergence.
    spread = answered[(answered["pct_agree"] > 0) & (answered["pct_disagree"] > 0)
                      & (answered["class"] != "more discussion")]
    top = spread.sort_values("divergence", ascending=False).head(3)
    details = [_("{statement} ({agree} agree, {disagree} disagree, {answers})").format(
        statement=labels.get(sid, sid), agree=pct(r.pct_agree), disagree=pct(r.pct_disagree),
        answers=ngettext("{count} answer", "{count} answers", int(r.n)).format(
            count=number(int(r.n))) + apart(r))
        for sid, r in top.iterrows()]
    if details:
        text += " " + _("Most divergent: {statements}.").format(statements="; ".join(details))
    wanted = answered[answered["class"] == "more discussion"]
    if not wanted.empty:
        text += " " + _("More discussion wanted on: {statements}.").format(
            statements="; ".join(f"{labels.get(sid, sid)} ({apart(r)[2:]})"
                                 for sid, r in wanted.iterrows()))
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
    words = Words(language)
    _ = words.gettext
    pct = partial(percent, language=words.language)
    numbers, texts = numbered(statements)
    data = by_group.reset_index()
    data = data.rename(columns={data.columns[0]: "group"})
    data["statement"] = [short_label(numbers.get(s, 0), texts.get(s, ""), 45)
                         for s in data["statement_id"]]
    data["group"] = [group_name(g, words) for g in data["group"].astype(str)]
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
    # On a phone the statements are named by their card number (the tooltip has the text).
    narrow = chart.encode(y=alt.Y("statement:N", sort=order, title=_("Statement"),
                                  axis=alt.Axis(labelExpr="split(datum.label, '.')[0]")))
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
    return make_figure(chart, text, words.language, narrow=narrow)


def _bar_order(scale: Scale) -> dict[int, int]:
    """Return each level's place in a diverging bar, left to right.

    The disagreeing levels (most disagreement first), then the levels that are neither
    (a neutral level, and the categories of their own such as Kaner's "More discussion
    needed", centred on 0), then the agreeing levels (least agreement first): a level
    counted as support, like Kaner's "Don't like it, but will support it", is drawn on
    the agreeing side, whatever its stored value.
    """
    ordered = sorted(scale.levels,
                     key=lambda level: (level.polarity, scale.position(level.value) or 0,
                                        level.value))
    return {level.value: i for i, level in enumerate(ordered)}
