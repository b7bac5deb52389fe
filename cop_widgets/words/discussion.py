"""The discussion phase in words, shared by the member page, the tabs and the exports.

Every view names the sides of a statement, the bridging rank and the change of mind with
these words (English msgids, translated where shown), so the member page, the Discussion
and Divergence tabs, ``cop-widgets analyze`` and the exports say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import N_

__all__ = ["SPEAKS_FOR_ME", "REASON_GONE", "LEARNED_TITLE", "SIDE_HEADINGS", "SIDE_WORDS",
           "BRIDGING_RULE", "CHANGE_RULE", "GROUPS_RULE", "group_name"]

#: The toggle on each reason a member is shown; its accessible name is exactly this.
SPEAKS_FOR_ME = N_("Speaks for me too")

#: A reason credited with a change of mind that its author has since changed or removed.
REASON_GONE = N_("a reason its author has since changed or removed")

#: The panel of the Divergence tab and the section of the exports on opinion change.
LEARNED_TITLE = N_("What we learned from each other")

#: Above the reasons of each side under a statement, on the member's page.
SIDE_HEADINGS = {
    "agree": N_("Reasons from members who agree"),
    "disagree": N_("Reasons from members who disagree"),
    "unsure": N_("Reasons from members who are unsure or want more discussion"),
}

#: A side in a table (facilitator tabs, exports).
SIDE_WORDS = {
    "agree": N_("agree"),
    "disagree": N_("disagree"),
    "unsure": N_("unsure"),
}

#: How reasons are ranked, for the methodology and the Discussion tab.
BRIDGING_RULE = N_(
    "Reasons are ranked by how much they are endorsed across groups, not by how many "
    "endorse them: for each group, (members of the group who marked the reason \"Speaks for "
    "me too\" + 1) divided by (members of the group who were shown it + 2), multiplied over "
    "the groups (Pol.is's group-informed consensus). A reason endorsed in every group rises; "
    "one endorsed by a single group, however large, does not. We chose this over the "
    "matrix-factorisation model Community Notes uses because a community of practice has "
    "tens of members rather than hundreds of thousands of raters, members mark reasons "
    "they agree with but never rate one unhelpful, and a rule that fits in one sentence "
    "can be checked by any member.")

#: Where the groups come from, by :class:`~cop_widgets.model.discussion.GroupSource` value.
GROUPS_RULE = {
    "opinion": N_("The groups are the opinion groups of the answers, taken when the "
                  "discussion opened."),
    "roster": N_("There were no opinion groups, so the groups are the roster's "
                 "\u201c{attribute}\u201d groups, taken when the discussion opened."),
    "none": N_("There were neither opinion groups nor roster groups when the discussion "
               "opened, so all members count as one group."),
}

#: How opinion change is counted, for the methodology and the Divergence panel.
CHANGE_RULE = N_(
    "A member's stance before the discussion is their submitted answer at the moment they "
    "were first shown other members' reasons on the statement; their stance after is their "
    "latest submitted answer. A member who was never shown any reason on a statement is "
    "not compared. A move is toward agreement when it goes to a more agreeing side (agree, "
    "then unsure, pass or a category, then disagree) or, on the same side, to a level of "
    "more agreement.")


def group_name(label: str, source: str, _: Callable[[str], str]) -> str:
    """Return a discussion group's name: "Group A" for an opinion group, else the label."""
    from ..vocabulary import group_label

    if source == "opinion" and len(label) == 1:
        return _("Group {letter}").format(letter=label)
    return group_label(label, _)
