"""Participation: who has been invited and who has answered, overall and by group."""

from __future__ import annotations

import base64
import csv
import io
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .common import Message, esc, guarded

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

__all__ = ["ParticipationPanel", "participation_counts", "reminders_csv"]

_BASE_COLUMNS = ("member_id", "name", "email", "external_id", "invited", "responded")
NOT_GIVEN = "(not given)"


def _rate(responded: int, reached: int) -> str:
    return f"{100 * responded / reached:.0f}%" if reached else "\u2013"


def participation_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Return roster, invited, responded and reached counts of a members frame.

    ``reached`` counts members with a working link or a submitted card: the response
    rate is ``responded / reached`` (a member whose link was revoked after answering
    still counts).
    """
    invited = frame["invited"].astype(bool)
    responded = frame["responded"].astype(bool)
    return {
        "members": len(frame),
        "invited": int(invited.sum()),
        "responded": int(responded.sum()),
        "reached": int((invited | responded).sum()),
    }


class ParticipationPanel(w.VBox):
    """Invited and responded counts of a consultation, overall and by attribute.

    In a consultation that is not anonymous, it also lists the invited members who have
    not answered yet; in an anonymous one it shows counts only.

    Parameters
    ----------
    store : Store
        Where the roster and cards live.
    consultation_id : int
        The consultation to watch.

    Attributes
    ----------
    summary : ipywidgets.HTML
        The overall counts and response rate.
    by_attribute : ipywidgets.HTML
        One table per attribute (role, region...): counts and rate per group.
    not_responded : ipywidgets.HTML
        Names of invited members without a submitted card (empty when anonymous).
    refresh_button : ipywidgets.Button
        Reads the counts again.
    message : Message
        Errors, if any.

    """

    def __init__(self, store: Store, consultation_id: int,
                 base_url: str = "http://127.0.0.1:8866", **kwargs: Any):
        self.store = store
        self.base_url = base_url
        self.consultation_id = consultation_id
        self.message = Message()
        self.summary = w.HTML()
        self.by_attribute = w.HTML()
        self.not_responded = w.HTML()
        self.refresh_button = w.Button(description="Refresh", icon="refresh",
                                       tooltip="Read the latest answers")
        self.refresh_button.on_click(guarded(self.message, self._refresh))
        self.reminder_button = w.Button(
            description="Prepare reminders", icon="envelope", layout=w.Layout(width="auto"),
            tooltip="New links for invited members who have not answered, as a CSV")
        self.reminder_button.on_click(guarded(self.message, self.reminders))
        self.reminder_links = w.Textarea(description="Reminders (name, email, link)",
                                         layout=w.Layout(width="100%", height="8em"),
                                         style={"description_width": "initial"})
        self.reminder_download = w.HTML()
        super().__init__([
            w.HTML("<h3>Participation</h3>"),
            self.refresh_button,
            self.message,
            self.summary,
            self.by_attribute,
            self.not_responded,
            w.HTML("<h4>Reminders</h4>"),
            self.reminder_button, self.reminder_links, self.reminder_download,
        ], **kwargs)
        self.refresh()

    def _refresh(self) -> str:
        self.refresh()
        return f"Refreshed at {self.store.now():%H:%M:%S} UTC."

    def refresh(self) -> None:
        """Read the roster and cards again and redraw the counts."""
        consultation = self.store.get_consultation(self.consultation_id)
        frame = self.store.members_frame(self.consultation_id)
        counts = participation_counts(frame)
        if not counts["members"]:
            self.summary.value = ("<p>No member on the roster yet: add members in "
                                  "\u201cRoster & invitations\u201d.</p>")
            self.by_attribute.value = self.not_responded.value = ""
            return
        self.summary.value = (
            "<table class='cop-table'><tbody>"
            f"<tr><th scope='row'>On the roster</th><td>{counts['members']}</td></tr>"
            f"<tr><th scope='row'>Invited (working link)</th><td>{counts['invited']}</td></tr>"
            f"<tr><th scope='row'>Responded (submitted a card)</th>"
            f"<td>{counts['responded']}</td></tr>"
            f"<tr><th scope='row'>Response rate</th>"
            f"<td>{_rate(counts['responded'], counts['reached'])}</td></tr>"
            "</tbody></table>"
            "<small>Response rate: members who submitted a card, out of members invited "
            "(a member whose link was revoked after answering still counts).</small>"
        )
        self.by_attribute.value = self._groups(frame)
        if consultation.anonymous:
            self.not_responded.value = (
                "<p>This consultation is anonymous: only counts are shown, never who has "
                "or has not answered.</p>")
            return
        waiting = frame[frame["invited"].astype(bool) & ~frame["responded"].astype(bool)]
        if waiting.empty:
            self.not_responded.value = (
                "<p>Every invited member has answered.</p>" if counts["invited"] else
                "<p>Nobody is invited yet: create links in \u201cRoster & invitations\u201d.</p>"
            )
        else:
            items = "".join(f"<li>{esc(name)}</li>" for name in waiting["name"])
            self.not_responded.value = (
                f"<h4>Invited, not answered yet ({len(waiting)})</h4><ul>{items}</ul>")

    def _groups(self, frame: pd.DataFrame) -> str:
        from ..analysis.representation import attribute_columns, representation

        attributes = attribute_columns(frame)
        if not attributes:
            return ("<p>Members have no attributes (role, region...), so there is no "
                    "breakdown by group.</p>")
        parts = []
        for attribute in attributes:
            table = representation(frame, attribute)
            rows = []
            for group, r in table.iterrows():
                if not r["invited"] and not r["responded"]:
                    note = "nobody invited"
                elif bool(r["under_represented"]):
                    note = "\u26a0 under-represented"
                elif not r["responded"]:
                    note = "no answer yet from this group"
                else:
                    note = ""
                gap = "\u2013" if r["gap_points"] != r["gap_points"] else \
                    f"{r['gap_points']:+.0f}"
                rows.append(
                    f"<tr><th scope='row'>{esc(group)}</th><td>{int(r['roster'])}</td>"
                    f"<td>{int(r['invited'])}</td><td>{int(r['responded'])}</td>"
                    f"<td>{_share(r['response_rate'])}</td><td>{_share(r['roster_share'])}</td>"
                    f"<td>{_share(r['respondent_share'])}</td><td>{gap}</td>"
                    f"<td>{esc(note)}</td></tr>")
            parts.append(
                f"<h4>By {esc(attribute)}</h4><table class='cop-table'><thead><tr>"
                f"<th scope='col'>{esc(attribute)}</th><th scope='col'>On the roster</th>"
                "<th scope='col'>Invited</th><th scope='col'>Responded</th>"
                "<th scope='col'>Response rate</th><th scope='col'>Share of roster</th>"
                "<th scope='col'>Share of answers</th><th scope='col'>Gap (points)</th>"
                "<th scope='col'>Note</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
        parts.append("<small>Gap: the group's share of those who answered minus its share of "
                     "the roster, in percentage points. A group is flagged when it is 10 "
                     "points or more under its share, or answers at under half the overall "
                     "rate.</small>")
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
            return (f"{len(waiting)} invited members have not answered. The consultation is "
                    "anonymous, so send one reminder to the whole roster.")
        if waiting.empty:
            return "Every invited member has answered: no reminder needed."
        from ..paths import member_link

        issued = self.store.add_invitations(waiting["member_id"].tolist())
        rows = [(name, email, member_link(self.base_url, self.consultation_id, token))
                for name, email, (_inv, token) in zip(waiting["name"], waiting["email"],
                                                      issued, strict=True)]
        text = reminders_csv(rows)
        self.reminder_links.value = text
        payload = base64.b64encode(text.encode("utf-8")).decode()
        self.reminder_download.value = (
            f'<a download="reminders-{self.consultation_id}.csv" '
            f'href="data:text/csv;base64,{payload}">Download the reminders as a CSV file</a>')
        return (f"New links for {len(rows)} members who have not answered (their old links no "
                "longer work). Copy or download them now: they are shown only once.")


def _share(x: float) -> str:
    return "\u2013" if x != x else f"{100 * x:.0f}%"


def reminders_csv(rows: list[tuple[str, str, str]]) -> str:
    """Return ``name,email,link`` lines for a mail merge, safe to open in a spreadsheet."""
    from .csv_cells import spreadsheet_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "email", "link"])
    for name, email, link in rows:
        writer.writerow([spreadsheet_cell(name), spreadsheet_cell(email), link])
    return out.getvalue()
