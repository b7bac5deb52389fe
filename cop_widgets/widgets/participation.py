"""Participation: who has been invited and who has answered, overall and by group."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..i18n import Words, format_number, format_percent, plural_translator, translator
from ..io import reminders_csv
from ..vocabulary import OTHER_GROUPS, group_label
from ..words.participation import GAP_HEADER, SHARE_OF_ANSWERS, SHARE_OF_ROSTER, gap_explained
from .common import (
    ConsultationView,
    Message,
    esc,
    fit_width,
    full_width,
    guarded,
    refreshed_at,
    tagged,
)
from .tabs import TABS, tab_index

if TYPE_CHECKING:
    from ..services.analysis import ConsultationAnalysis
    from ..store import Store

__all__ = ["ParticipationPanel", "participation_counts"]

#: Title of the roster's tab, named in the panel's hints (its msgid in the tabs' registry).
_ROSTER_TAB = TABS[tab_index("roster")].title
_NONE = "\u2013"


def _rate(responded: int, reached: int, language: str | None = None) -> str:
    return format_percent(responded / reached, language) if reached else _NONE


def participation_counts(analysis: ConsultationAnalysis) -> dict[str, int]:
    """Return the roster, invited, responded and reached counts of a consultation.

    The first three are the analysis service's
    (:attr:`~cop_widgets.services.analysis.ConsultationAnalysis.participation`).
    ``reached`` counts members with a working link or a submitted card: the response
    rate is ``responded / reached`` (a member whose link was revoked after answering
    still counts).
    """
    overall = analysis.participation
    frame = analysis.members
    reached = frame["invited"].astype(bool) | frame["responded"].astype(bool)
    return {
        "members": int(overall["roster"]),
        "invited": int(overall["invited"]),
        "responded": int(overall["responded"]),
        "reached": int(reached.sum()),
    }


class ParticipationPanel(ConsultationView, w.VBox):
    """Invited and responded counts of a consultation, overall and by attribute.

    In a consultation that is not anonymous, it also lists the invited members who have
    not answered yet; in an anonymous one it shows counts only.

    Parameters
    ----------
    store : Store
        Where the roster and cards live.
    consultation_id : int
        The consultation to watch.
    base_url : str or callable
        Address of the Voila server members open (used in reminder links), or a function
        returning it when the reminders are made (the roster's address field, say).
    language : str, optional
        Language of the panel (``en``, ``fr``, ``es``); English by default. The reminders
        CSV keeps its ``name,email,link`` header in every language (it is a file format).

    Attributes
    ----------
    consultation_id : int or None
        The consultation watched; assigning another one redraws the panel for it.
    summary : ipywidgets.HTML
        The overall counts and response rate.
    by_attribute : ipywidgets.HTML
        One table per attribute (role, region...): counts and rate per group. The groups
        are the analysis service's (``ConsultationAnalysis.representation``): in an
        anonymous consultation no group under the smallest shown is listed, it is in
        "(other groups)", flagged when any group in it is under-represented.
    not_responded : ipywidgets.HTML
        Names of invited members without a submitted card (empty when anonymous).
    refresh_button : ipywidgets.Button
        Reads the counts again.
    reminder_button, reminder_links, reminder_download : ipywidgets.Widget
        Prepare new links for invited members who have not answered, to copy or download.
    email_reminder_button : ipywidgets.Button
        Emails the reminders through ``email_reminders`` (the Roster tab's email settings);
        hidden when no such function is given.
    message : Message
        Errors, if any.

    """

    def __init__(self, store: Store, consultation_id: int,
                 base_url: str | Callable[[], str] = "http://127.0.0.1:8866", *,
                 language: str | None = None,
                 email_reminders: Callable[[], str] | None = None,
                 **kwargs: Any):
        self.store = store
        self.base_url = base_url
        self.language = language
        self._ = _ = translator(language)
        self.ngettext = plural_translator(language)
        self.message = Message(language=language)
        self.summary = w.HTML()
        self.by_attribute = w.HTML()
        self.not_responded = w.HTML()
        self.refresh_button = w.Button(description=_("Refresh"), icon="refresh",
                                       tooltip=_("Read the latest answers"),
                                       layout=fit_width())
        self.refresh_button.on_click(guarded(self.message, self._refresh))
        self.reminder_button = w.Button(
            description=_("Prepare reminders"), icon="envelope", layout=fit_width(),
            tooltip=_("New links for invited members who have not answered, as a CSV"))
        self.reminder_button.on_click(guarded(self.message, self.reminders))
        self.email_reminder_button = w.Button(
            description=_("Email the reminders"), icon="bell", layout=fit_width(),
            tooltip=_("Email a new link to invited members who have not answered, with the "
                      "email settings of the Roster & invitations tab"))
        if email_reminders is None:
            self.email_reminder_button.layout.display = "none"
        else:
            self.email_reminder_button.on_click(guarded(self.message, email_reminders))
        self.reminder_links = w.Textarea(description=_("Reminders (name, email, link)"),
                                         layout=full_width(height="8em"),
                                         style={"description_width": "initial"})
        self.reminder_download = w.HTML()
        super().__init__([
            w.HTML(tagged("h3", _("Participation"))),
            self.message.beside(self.refresh_button),
            self.summary,
            self.by_attribute,
            self.not_responded,
            w.HTML(tagged("h4", _("Reminders"))),
            self.message.beside(self.reminder_button, self.email_reminder_button),
            self.reminder_links,
            self.reminder_download,
        ], **kwargs)
        self.consultation_id = consultation_id  # draws it

    def show_consultation(self) -> None:
        """Draw the panel for :attr:`consultation_id`, without another one's reminders."""
        self.message.clear()
        self.reminder_links.value = self.reminder_download.value = ""
        self.refresh()

    # -- helpers ------------------------------------------------------------------------

    def _number(self, value: Any) -> str:
        return format_number(int(value), self.language)

    def _share(self, x: float) -> str:
        return _NONE if x != x else format_percent(x, self.language)

    def _group(self, name: Any) -> str:
        return group_label(name, self._)

    def _refresh(self) -> str:
        self.refresh()
        return refreshed_at(self._, self.store.now())

    # -- drawing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the roster and cards again and redraw the counts.

        The counts and the groups flagged as under-represented are the analysis service's,
        so they are the ones the export and ``cop-widgets analyze`` give.
        """
        from ..services.analysis import ConsultationAnalysis

        _ = self._
        analysis = ConsultationAnalysis(self.store, self.consultation_id)
        frame = analysis.members
        counts = participation_counts(analysis)
        roster_tab = _(_ROSTER_TAB)
        if not counts["members"]:
            self.summary.value = tagged("p", _(
                "No member on the roster yet: add members in \u201c{tab}\u201d.").format(
                tab=roster_tab))
            self.by_attribute.value = self.not_responded.value = ""
            return
        rows = [
            (_("On the roster"), self._number(counts["members"])),
            (_("Invited (working link)"), self._number(counts["invited"])),
            (_("Responded (submitted a card)"), self._number(counts["responded"])),
            (_("Response rate"), _rate(counts["responded"], counts["reached"],
                                       self.language)),
        ]
        self.summary.value = (
            "<table class='cop-table'><tbody>"
            + "".join(f"<tr><th scope='row'>{esc(head)}</th><td>{esc(value)}</td></tr>"
                      for head, value in rows)
            + "</tbody></table>"
            + tagged("small", _("Response rate: members who submitted a card, out of members "
                                "invited (a member whose link was revoked after answering "
                                "still counts)."))
        )
        self.by_attribute.value = self._groups(analysis)
        if analysis.consultation.anonymous:
            self.not_responded.value = tagged("p", _(
                "This consultation is anonymous: only counts are shown, never who has or has "
                "not answered."))
            return
        waiting = frame[frame["invited"].astype(bool) & ~frame["responded"].astype(bool)]
        if waiting.empty:
            self.not_responded.value = tagged("p", (
                _("Every invited member has answered.") if counts["invited"] else
                _("Nobody is invited yet: create links in \u201c{tab}\u201d.").format(
                    tab=roster_tab)))
        else:
            items = "".join(f"<li>{esc(name)}</li>" for name in waiting["name"])
            heading = _("Invited, not answered yet ({count})").format(
                count=self._number(len(waiting)))
            self.not_responded.value = tagged("h4", heading) + f"<ul>{items}</ul>"

    def _groups(self, analysis: ConsultationAnalysis) -> str:
        _ = self._
        attributes = analysis.attributes
        if not attributes:
            return tagged("p", _("Members have no attributes (role, region...), so there is "
                                 "no breakdown by group."))
        heads = [_("On the roster"), _("Invited"), _("Responded"), _("Response rate"),
                 _(SHARE_OF_ROSTER), _(SHARE_OF_ANSWERS), _(GAP_HEADER), _("Note")]
        parts = []
        for attribute in attributes:
            table = analysis.representation(attribute)
            rows = []
            for group, r in table.iterrows():
                if not r["invited"] and not r["responded"]:
                    note = _("nobody invited")
                elif bool(r["under_represented"]):
                    note = "\u26a0 " + _("under-represented")
                elif not r["responded"]:
                    note = _("no answer yet from this group")
                else:
                    note = ""
                gap = _NONE if r["gap_points"] != r["gap_points"] else format_number(
                    r["gap_points"], self.language, digits=0, signed=True)
                cells = [self._number(r["roster"]), self._number(r["invited"]),
                         self._number(r["responded"]), self._share(r["response_rate"]),
                         self._share(r["roster_share"]), self._share(r["respondent_share"]),
                         gap, note]
                rows.append(f"<tr><th scope='row'>{esc(self._group(group))}</th>"
                            + "".join(f"<td>{esc(cell)}</td>" for cell in cells) + "</tr>")
            header = "".join(f"<th scope='col'>{esc(h)}</th>" for h in [attribute, *heads])
            parts.append(
                tagged("h4", _("By {attribute}").format(attribute=attribute))
                + f"<table class='cop-table'><thead><tr>{header}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
        parts.append(tagged("small", gap_explained(analysis.representation_rule,
                                                   Words(self.language))))
        if analysis.smallest_group > 1:
            parts.append("<p>" + tagged("small", _(
                "The consultation is anonymous: groups with fewer than {minimum} members who "
                "answered are shown together as \u201c{other}\u201d, with the smallest other "
                "group when they are too few together, so that no one's answers can be found "
                "by subtraction. \u201c{other}\u201d is flagged when any group in it is "
                "under-represented.").format(
                    minimum=self._number(analysis.smallest_group), other=_(OTHER_GROUPS)))
                + "</p>")
        return "".join(parts)

    # -- reminders ----------------------------------------------------------------------

    def reminders(self) -> str:
        """Prepare reminders for invited members who have not answered.

        In a named consultation: a new link for each of them (their earlier link stops
        working; a saved draft stays theirs) in a CSV for a mail merge. In an anonymous
        one: counts only, never who has not answered.
        """
        consultation = self.store.get_consultation(self.consultation_id)
        frame = self.store.members_frame(self.consultation_id)
        waiting = frame[frame["invited"].astype(bool) & ~frame["responded"].astype(bool)]
        if consultation.anonymous:
            self.reminder_links.value = ""
            self.reminder_download.value = ""
            return self.ngettext(
                "{count} invited member has not answered. The consultation is anonymous, so "
                "send one reminder to the whole roster.",
                "{count} invited members have not answered. The consultation is anonymous, "
                "so send one reminder to the whole roster.",
                len(waiting)).format(count=self._number(len(waiting)))
        if waiting.empty:
            return self._("Every invited member has answered: no reminder needed.")
        from ..links import member_link

        # the address first: a bad one must stop us before any old link is revoked
        base = self.base_url() if callable(self.base_url) else self.base_url
        issued = self.store.add_invitations(waiting["member_id"].tolist())
        rows = [(name, email, member_link(base, self.consultation_id, token))
                for name, email, (_inv, token) in zip(waiting["name"], waiting["email"],
                                                      issued, strict=True)]
        text = reminders_csv(rows)
        self.reminder_links.value = text
        payload = base64.b64encode(text.encode("utf-8")).decode()
        words = self._("Download the reminders as a CSV file")
        self.reminder_download.value = (
            f'<a download="reminders-{self.consultation_id}.csv" '
            f'href="data:text/csv;base64,{payload}">{esc(words)}</a>')
        return self.ngettext(
            "A new link for {count} member who has not answered (their old link no longer "
            "works). Copy or download it now: it is shown only once.",
            "New links for {count} members who have not answered (their old links no longer "
            "work). Copy or download them now: they are shown only once.",
            len(rows)).format(count=self._number(len(rows)))

