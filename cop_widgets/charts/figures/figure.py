"""Figure: a chart with its text alternative, both written in one language.

Every builder of :mod:`cop_widgets.charts.figures` ends with :func:`make_figure`, which
writes the numbers on the chart's axes the way the language writes them (decimal and
percent signs, from CLDR) and turns off Vega's English screen-reader descriptions outside
English: the figure's text is then the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt

from ...i18n import DEFAULT_LANGUAGE, format_percent, language_or_default

__all__ = ["Figure", "make_figure"]


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


def make_figure(chart: alt.TopLevelMixin, text: str, language: str | None = None) -> Figure:
    """Wrap up a chart: numbers on its axes written the way ``language`` writes them.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        The chart, its words already in ``language``.
    text : str
        Its text alternative, in ``language``.
    language : str, optional
        ``en``, ``fr`` or ``es`` (English when omitted or unknown).

    Returns
    -------
    Figure
        In a language other than English the chart is configured with the language's
        number locale and without Vega's ARIA descriptions (they are English).
    """
    language = language_or_default(language)
    if language != DEFAULT_LANGUAGE:
        chart = chart.configure(aria=False, title={"aria": False},
                                locale={"number": _number_locale(language)})
    return Figure(chart, text, language)


def _number_locale(language: str) -> dict:
    """Return the d3-format locale of ``language`` (decimal and percent signs), from CLDR."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    sign = format_percent(0, language)
    return {"decimal": get_decimal_symbol(language), "thousands": get_group_symbol(language),
            "grouping": [3], "currency": ["", ""],
            "percent": sign[sign.index("0") + 1:]}
