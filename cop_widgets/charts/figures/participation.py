"""Who has been heard: invited members who responded and who have not.

:func:`participation_chart` counts the roster's members by status (responded, not yet,
not invited), overall or by a member attribute, and names the group that responded least.
Its groups are those of the members frame it is given: in an anonymous consultation, the
analysis service's ``shown_members(attribute)``, where groups too small to be shown alone
are already ``"(other groups)"``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ...analysis.summary.attributes import member_groups
from ...i18n import Words
from ...vocabulary import ALL_MEMBERS, NOT_GIVEN, OTHER_GROUPS
from .figure import Figure, make_figure
from .labels import WIDTH, percent

__all__ = ["participation_chart"]

#: The one group of the participation chart when it is not broken down by an attribute.
#: Colours of the statuses: responded, not yet, not invited.
STATUS_COLOURS = ("#0072B2", "#E69F00", "#bdbdbd")


def participation_chart(members: pd.DataFrame, attribute: str | None = None, *,
                        language: str | None = None) -> Figure:
    """Invited members who responded and who have not, overall or by an attribute.

    Parameters
    ----------
    members : DataFrame
        ``Store.members_frame``: ``member_id``, ``invited``, ``responded`` and attribute
        columns; in an anonymous consultation, with the groups as shown
        (``ConsultationAnalysis.shown_members``).
    attribute : str, optional
        Break the bars down by this attribute; groups as in the comparisons by group (a
        missing or blank value is "(not given)"), the codes "(not given)" and
        "(other groups)" in the chart's language.
    language : str, optional
        Language of the chart's words and text (English by default).
    """
    words = Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    frame = members.copy()
    if attribute:
        frame["group"] = [_(g) if g in (NOT_GIVEN, OTHER_GROUPS) else g
                          for g in member_groups(frame, attribute).to_numpy()]
    else:
        frame["group"] = _(ALL_MEMBERS)
    statuses = [_("Responded"), _("Not yet"), _("Not invited")]
    frame["status"] = np.where(frame["responded"], statuses[0],
                               np.where(frame["invited"], statuses[1], statuses[2]))
    counts = frame.groupby(["group", "status"]).size().rename("members").reset_index()
    title = (_("Who has been heard, by {attribute}").format(attribute=attribute) if attribute
             else _("Who has been heard"))
    chart = (
        alt.Chart(counts, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=attribute or None),
            # Members are counted whole: no tick between two counts (0.2, 0.4...).
            x=alt.X("members:Q", title=_("Members"), stack="zero",
                    axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("status:N", title=None, scale=alt.Scale(
                domain=statuses, range=list(STATUS_COLOURS))),
            tooltip=[alt.Tooltip("group:N", title=attribute or _("Group")),
                     alt.Tooltip("status:N", title=_("Status")),
                     alt.Tooltip("members:Q", title=_("Members"))],
        )
        .properties(width=WIDTH)
    )
    rates = frame.groupby("group")["responded"].agg(["sum", "count"])
    rates["rate"] = rates["sum"] / rates["count"]
    responded, total = int(rates["sum"].sum()), int(rates["count"].sum())
    text = ngettext("{responded} of {count} member has responded ({percent}).",
                    "{responded} of {count} members have responded ({percent}).",
                    total).format(responded=number(responded), count=number(total),
                                  percent=percent(responded / max(total, 1), words.language))
    if attribute and len(rates) > 1:
        ranked = rates.sort_values("rate")
        low = ranked.iloc[0]
        text += " " + _("Lowest response by {attribute}: {group} ({responded} of {count}, "
                        "{percent}).").format(
            attribute=attribute, group=ranked.index[0], responded=number(int(low["sum"])),
            count=number(int(low["count"])), percent=percent(low["rate"], words.language))
    return make_figure(chart, text, words.language)
