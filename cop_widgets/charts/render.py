"""Render charts offline with vl-convert: SVG for HTML exports, PNG for Word and Markdown.

The live dashboard does not draw here: the facilitator's browser draws its figures
(:mod:`cop_widgets.widgets.figure_view`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt


__all__ = ["to_svg", "to_png", "svg_width"]

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
