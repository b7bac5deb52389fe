"""Participation: who has been invited and who has answered, overall and by group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .common import Message, esc, guarded

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

__all__ = ["ParticipationPanel", "participation_counts"]

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

    def __init__(self, store: Store, consultation_id: int, **kwargs: Any):
        self.store = store
        self.consultation_id = consultation_id
        self.message = Message()
        self.summary = w.HTML()
        self.by_attribute = w.HTML()
        self.not_responded = w.HTML()
        self.refresh_button = w.Button(description="Refresh", icon="refresh",
                                       tooltip="Read the latest answers")
        self.refresh_button.on_click(guarded(self.message, self._refresh))
        super().__init__([
            w.HTML("<h3>Participation</h3>"),
            self.refresh_button,
            self.message,
            self.summary,
            self.by_attribute,
            self.not_responded,
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
        attributes = [c for c in frame.columns if c not in _BASE_COLUMNS]
        if not attributes:
            return ("<p>Members have no attributes (role, region...), so there is no "
                    "breakdown by group.</p>")
        parts = []
        for attribute in attributes:
            values = frame[attribute].fillna("").astype(str).str.strip().replace("", NOT_GIVEN)
            rows = []
            for value in sorted(values.unique(), key=lambda v: (v == NOT_GIVEN, v.lower())):
                group = frame[values == value]
                c = participation_counts(group)
                if not c["reached"]:
                    note = "nobody invited"
                elif not c["responded"]:
                    note = "\u26a0 no answer yet from this group"
                else:
                    note = ""
                rows.append(
                    f"<tr><th scope='row'>{esc(value)}</th><td>{c['members']}</td>"
                    f"<td>{c['invited']}</td><td>{c['responded']}</td>"
                    f"<td>{_rate(c['responded'], c['reached'])}</td><td>{esc(note)}</td></tr>")
            parts.append(
                f"<h4>By {esc(attribute)}</h4><table class='cop-table'><thead><tr>"
                f"<th scope='col'>{esc(attribute)}</th><th scope='col'>On the roster</th>"
                "<th scope='col'>Invited</th><th scope='col'>Responded</th>"
                "<th scope='col'>Response rate</th><th scope='col'>Note</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
        return "".join(parts)
