"""Colour-blind-safe colours shared by every chart and bar (no altair import here)."""

from __future__ import annotations

from ..scales import Scale

__all__ = ["DIVERGING", "PASS_COLOUR", "GROUP_COLOURS", "level_colours",
           "stance_colours"]

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


def stance_colours(scale: Scale) -> dict[int | None, str]:
    """Return each level's colour: purples agree, oranges disagree, greys for categories.

    A scale whose levels all lie on one line, agreeing ones first, keeps the palette's
    colours (:func:`~cop_widgets.charts.palette.level_colours`). Otherwise each side takes
    its half of the diverging palette and a category of its own is grey, so that a colour
    never puts a level on a side it is not counted on.
    """
    polarities = [level.polarity for level in scale.levels]
    if not scale.category_levels and polarities == sorted(polarities, reverse=True):
        return level_colours(scale)
    colours = level_colours(scale)  # the pass's colour, and a start
    agree = [lv for lv in scale.levels if lv.ordinal and lv.polarity > 0]
    disagree = [lv for lv in scale.levels if lv.ordinal and lv.polarity < 0]
    for side, first in ((agree, 0), (disagree, 5)):
        for j, level in enumerate(side):
            colours[level.value] = DIVERGING[first + round(j * 3 / max(len(side) - 1, 1))]
    # greys apart from the palest purple (#d8daeb), which reluctant support may take
    greys = ("#bdbdbd", "#8c8c8c", "#e6e6e6")
    others = [lv for lv in scale.levels if not lv.ordinal or lv.polarity == 0]
    for j, level in enumerate(others):
        colours[level.value] = greys[j % len(greys)]
    return colours
