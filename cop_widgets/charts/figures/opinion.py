"""The opinion map: members placed by their answers, coloured by opinion group.

:func:`opinion_map` bins members on a grid, so the chart grows with the grid and the
groups, never with the number of members, and says in words how many fall in each group.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...i18n import N_, Words
from ..palette import GROUP_COLOURS
from .figure import Figure, make_figure

__all__ = ["opinion_map", "NOT_GROUPED"]

#: Members of the opinion map who are in no opinion group.
NOT_GROUPED = N_("Not grouped")
#: The colour of members in no opinion group.
NOT_GROUPED_COLOUR = "#bdbdbd"


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
    words = Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    frame = coords.set_index("member_id")[["x", "y"]].join(labels.rename("group"))
    frame = frame.dropna(subset=["x", "y"])
    if frame.empty:
        empty = alt.Chart(pd.DataFrame({"x": [], "y": []})).mark_point()
        return make_figure(empty, _("Not enough positions yet to draw the opinion map."),
                           words.language)
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
    colours = [GROUP_COLOURS[i % len(GROUP_COLOURS)] if g != outside else NOT_GROUPED_COLOUR
               for i, g in enumerate(groups)]
    chart = (
        alt.Chart(cells[["group", "x", "y", "members"]], title=_("Opinion map"))
        .mark_circle(opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=None), y=alt.Y("y:Q", axis=None),
            size=alt.Size("members:Q", title=_("Members"),
                          legend=alt.Legend(values=_whole(cells["members"]), format="d")),
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
    return make_figure(chart, text, words.language)


def _whole(counts: pd.Series, most: int = 5) -> list[int]:
    """Up to ``most`` whole numbers from the least to the most members in a cell.

    The size legend counts members: Vega's own steps would be 0.2, 0.4... members.
    """
    low, high = int(counts.min()), int(counts.max())
    return sorted({int(round(v)) for v in np.linspace(low, high, min(most, high - low + 1))})
