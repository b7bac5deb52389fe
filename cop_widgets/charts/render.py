"""Render charts offline with vl-convert: SVG for widgets and HTML, PNG for Word.

:func:`fitted_svg` gives a page both drawings of a figure (wide and narrow, see
:mod:`cop_widgets.charts.figures.figure`) and lets the page show the one that fits its
panel, with a CSS container query that travels with the markup: it works in Voila and in
JupyterLab alike, and no drawing is ever wider than its panel.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

    from .figures import Figure

__all__ = ["to_svg", "to_png", "fitted_svg", "svg_width"]

_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)"')


def _spec(chart: alt.TopLevelMixin) -> tuple[dict, str]:
    import altair as alt

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return chart.to_dict(), version


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Return the chart as an SVG document (text is XML-escaped by the renderer)."""
    import vl_convert as vlc

    spec, version = _spec(chart)
    return vlc.vegalite_to_svg(spec, vl_version=version)


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Return the chart as PNG bytes."""
    import vl_convert as vlc

    spec, version = _spec(chart)
    return vlc.vegalite_to_png(spec, vl_version=version, scale=scale)


def svg_width(svg: str) -> float:
    """Return the width an SVG drawing of vl-convert asks for, in pixels (0 if unknown)."""
    found = _WIDTH.search(svg)
    return float(found.group(1)) if found else 0.0


def fitted_svg(figure: Figure) -> str:
    """Return a figure's wide and narrow drawings, of which a page shows the one that fits.

    The wide drawing is shown where its panel is at least as wide as it, the narrow one
    elsewhere; either shrinks (keeping its proportions) in a panel narrower than itself,
    so a drawing never overflows its panel. The markup carries its own ``<style>`` (a
    container query scoped to this figure), since JupyterLab has no Voila template.

    Parameters
    ----------
    figure : Figure
        A chart builder's figure (:mod:`cop_widgets.charts.figures`).

    Returns
    -------
    str
        HTML: a ``div.cop-chart`` holding both SVG drawings (their text escaped by the
        renderer).
    """
    wide = to_svg(figure.chart)
    narrow = to_svg(figure.narrow) if figure.narrow is not None else wide
    key = "cop-chart-" + hashlib.sha1(wide.encode()).hexdigest()[:10]
    width = int(svg_width(wide) + 0.5)
    style = (f".{key}{{container-type:inline-size;width:100%;max-width:100%}}"
             f".{key} svg{{display:block;max-width:100%;height:auto}}"
             f".{key} .cop-chart-wide{{display:none}}"
             f"@container (min-width: {width}px){{.{key} .cop-chart-wide{{display:block}}"
             f".{key} .cop-chart-narrow{{display:none}}}}")
    return (f'<div class="cop-chart {key}"><style>{style}</style>'
            f'<div class="cop-chart-wide">{wide}</div>'
            f'<div class="cop-chart-narrow">{narrow}</div></div>')
