"""The representation gap in words: one measure, one name, for every view.

The gap is :func:`cop_widgets.analysis.representation.representation`'s ``gap_points``: a
group's share of the members who answered minus its share of the roster, in percentage
points, the measure :class:`cop_widgets.model.policies.RepresentationRule` flags on. The
Participation tab and the export's methodology name it and explain it with these words, so
that no reader takes it for a response rate minus the overall rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_, Words, format_percent

if TYPE_CHECKING:
    from ..model.policies import RepresentationRule

__all__ = ["GAP_HEADER", "SHARE_OF_ROSTER", "SHARE_OF_ANSWERS", "gap_explained"]

#: The column's name, in every table that shows the gap (an English msgid).
GAP_HEADER = N_("Representation gap (points)")
#: The two shares the gap subtracts, shown beside it (English msgids).
SHARE_OF_ROSTER = N_("Share of roster")
SHARE_OF_ANSWERS = N_("Share of answers")


def gap_explained(rule: RepresentationRule, words: Words) -> str:
    """Say what the representation gap is and when a group is flagged, with the rule's values.

    Parameters
    ----------
    rule : RepresentationRule
        The rule the analysis flags groups with.
    words : Words
        The page's or export's language.

    Returns
    -------
    str
        Two or three sentences.

    """
    text = words.gettext(
        "Representation gap: a group's share of the members who answered minus its share "
        "of the roster, in percentage points (it is not the group's response rate minus "
        "the overall rate). A group is flagged as under-represented when its gap is "
        "{points} points or more under zero, or when its response rate is under {share} "
        "of the overall rate.").format(points=words.number(rule.max_gap_points),
                                       share=format_percent(rule.min_rate_ratio,
                                                            words.language))
    if rule.min_roster > 1:
        text += " " + words.ngettext(
            "Only groups of at least {count} member on the roster are flagged.",
            "Only groups of at least {count} members on the roster are flagged.",
            rule.min_roster).format(count=words.number(rule.min_roster))
    return text
