"""Render charts offline with vl-convert: SVG for widgets and HTML, PNG for Word."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt

__all__ = ["to_svg", "to_png"]


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
