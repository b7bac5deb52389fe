"""Figure: a chart with its text alternative, both written in one language.

Every builder of :mod:`cop_widgets.charts.figures` ends with :func:`make_figure`, which
writes the numbers on the chart's axes the way the language writes them (decimal and
percent signs, from CLDR) and turns off Vega's English screen-reader descriptions outside
English: the figure's text is then the text alternative.

A figure carries two drawings of the same data: :attr:`Figure.chart`, for a page or a
document at least :data:`WIDE` pixels wide, and :attr:`Figure.narrow`, for a phone or a narrow
panel (at most :data:`NARROW` pixels, legend under the plot). A builder may draw its own
narrow chart; otherwise :func:`compact` makes one from the wide chart. A page shows the one
that fits its panel (``widgets.figure_view.FigureView``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import altair as alt

from ...i18n import DEFAULT_LANGUAGE, format_percent, language_or_default

__all__ = ["Figure", "make_figure", "compact", "WIDE", "NARROW", "NARROW_PLOT"]

#: Widest a figure's drawing may be, in pixels: the 882-pixel panel of a 1280-pixel window,
#: less a margin. Builders keep :attr:`Figure.chart` within it.
WIDE = 860
#: Widest a figure's narrow drawing may be: a 390-pixel phone, less the page's margins.
NARROW = 320
#: Width of the plot of a narrow chart (its axis labels come on top, its legend under it).
NARROW_PLOT = 240
#: Characters on a line of a narrow chart's title.
NARROW_TITLE = 40
#: Width of the plots :func:`compact` draws: room is left for axis labels beside them.
COMPACT_PLOT = 180
#: Longest legend entry, in pixels: never cut (Vega cuts at 160 by default).
LEGEND_LABEL_LIMIT = 300
#: Longest axis label beside a wide plot, in pixels.
AXIS_LABEL_LIMIT = 300
#: Longest axis label beside a narrow plot.
NARROW_AXIS_LABEL_LIMIT = 70


@dataclass(frozen=True)
class Figure:
    """A chart with its text alternative.

    Attributes
    ----------
    chart : altair.TopLevelMixin
        The chart (drawn by the page, or offline with :func:`cop_widgets.charts.render.to_svg`).
    text : str
        A paragraph with the same numbers, for screen readers, exports and print.
    language : str
        The language the chart's words and its text are written in.
    narrow : altair.TopLevelMixin or None
        The same chart for a panel narrower than ``chart`` (at most :data:`NARROW` pixels
        wide, legend under the plot); :func:`make_figure` always sets it.
    """

    chart: alt.TopLevelMixin
    text: str
    language: str = DEFAULT_LANGUAGE
    narrow: alt.TopLevelMixin | None = None


def make_figure(chart: alt.TopLevelMixin, text: str, language: str | None = None, *,
                narrow: alt.TopLevelMixin | None = None) -> Figure:
    """Wrap up a chart: numbers on its axes written the way ``language`` writes them.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart, its words already in ``language``.
    text : str
        Its text alternative, in ``language``.
    language : str, optional
        ``en``, ``fr`` or ``es`` (English when omitted or unknown).
    narrow : altair.TopLevelMixin, optional
        The chart drawn for a narrow panel; by default :func:`compact` of ``chart``.

    Returns
    -------
    Figure
        In a language other than English both charts are configured with the language's
        number locale and without Vega's ARIA descriptions (they are English).
    """
    language = language_or_default(language)
    config: dict = {"legend": {"labelLimit": LEGEND_LABEL_LIMIT},
                    "axisY": {"labelLimit": AXIS_LABEL_LIMIT}}
    if language != DEFAULT_LANGUAGE:
        config.update(aria=False, title={"aria": False},
                      locale={"number": _number_locale(language)})
    if narrow is None:
        narrow = compact(chart)
        narrow_config = {**config, "legend": {**config["legend"], "orient": "bottom",
                                              "direction": "vertical"},
                         "axisY": {"labelLimit": NARROW_AXIS_LABEL_LIMIT}}
    else:
        narrow_config = config
    return Figure(chart.configure(**config), text, language, narrow.configure(**narrow_config))


def compact(chart: alt.TopLevelMixin, width: int = COMPACT_PLOT) -> alt.TopLevelMixin:
    """Return a copy of ``chart`` whose plots are ``width`` pixels wide at most.

    :func:`make_figure` also puts the legends of such a chart under its plots and shortens
    the axis labels beside them to :data:`NARROW_AXIS_LABEL_LIMIT` pixels (the figure's
    text alternative and tooltips keep them whole); a builder whose labels matter draws its
    own narrow chart (:func:`~cop_widgets.charts.figures.divergence_chart` does).
    """
    narrow = chart.copy(deep=True)
    _shrink(narrow, width)
    return narrow


def _shrink(chart: alt.TopLevelMixin, width: int) -> None:
    """Set every plot of ``chart`` wider than ``width`` to ``width`` (in place)."""
    current = getattr(chart, "width", alt.Undefined)
    if isinstance(current, (int, float)) and current > width:
        chart.width = width
    title = getattr(chart, "title", alt.Undefined)
    if isinstance(title, str) and len(title) > NARROW_TITLE:
        chart.title = textwrap.wrap(title, NARROW_TITLE)  # Vega draws a list as lines
    for key in ("layer", "vconcat", "hconcat", "concat"):
        children = getattr(chart, key, alt.Undefined)
        for child in children if isinstance(children, list) else ():
            _shrink(child, width)


def _number_locale(language: str) -> dict:
    """Return the d3-format locale of ``language`` (decimal and percent signs), from CLDR."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    sign = format_percent(0, language)
    return {"decimal": get_decimal_symbol(language), "thousands": get_group_symbol(language),
            "grouping": [3], "currency": ["", ""],
            "percent": sign[sign.index("0") + 1:]}
