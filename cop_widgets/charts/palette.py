"""Colour-blind-safe colours shared by every chart and bar (no altair import here)."""

from __future__ import annotations

from ..scales import Scale

__all__ = ["DIVERGING", "PASS_COLOUR", "GROUP_COLOURS", "level_colours"]

#: ColorBrewer PuOr, most agreement (purple) to least (orange): safe for the common
#: forms of colour blindness and printable in greyscale.
DIVERGING = ("#5e3c99", "#8073ac", "#b2abd2", "#d8daeb", "#e0e0e0", "#fee0b6", "#fdb863",
             "#e08214", "#b35806")
PASS_COLOUR = "#9e9e9e"
#: Okabe & Ito's qualitative palette, for opinion groups and member attributes.
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#F0E442", "#000000")


def level_colours(scale: Scale) -> dict[int | None, str]:
    """Map each level of ``scale`` (and the pass, ``None``) to a colour of :data:`DIVERGING`."""
    n = len(scale.levels)
    picks = [round(i * (len(DIVERGING) - 1) / max(n - 1, 1)) for i in range(n)]
    colours: dict[int | None, str] = {
        level.value: DIVERGING[p] for level, p in zip(scale.levels, picks, strict=True)
    }
    colours[None] = PASS_COLOUR
    return colours
