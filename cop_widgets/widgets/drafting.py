"""The facilitator's drafting desk for the joint response.

Propose a draft, edit and version it, follow the endorsement round, export the result.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..analysis.draft import SECTION_TITLES, SECTIONS
from ..errors import NotFound
from .common import Message, esc, guarded

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DraftEditor", "endorsement_tally_html"]

_KIND_WORDS = {m.EndorsementKind.ENDORSE: "Endorse",
               m.EndorsementKind.CAN_LIVE_WITH: "Can live with it",
               m.EndorsementKind.BLOCK: "Block"}
_MIME = {"md": "text/markdown", "html": "text/html",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def endorsement_tally_html(endorsements: list[m.Endorsement], invited: int) -> str:
    """Return the tally of answers to a draft, with block reasons (escaped, no names)."""
    counts = {kind: sum(e.kind is kind for e in endorsements) for kind in _KIND_WORDS}
    cells = "".join(f"<tr><th scope='row'>{esc(word)}</th><td>{counts[kind]}</td></tr>"
                    for kind, word in _KIND_WORDS.items())
    blocks = [e.reason for e in endorsements if e.kind is m.EndorsementKind.BLOCK]
    reasons = ("<p>Reasons given for blocking:</p><ul>"
               + "".join(f"<li>{esc(r)}</li>" for r in blocks) + "</ul>") if blocks else ""
    return (f"<table class='cop-tally'><caption>{len(endorsements)} of {invited} members "
            f"have answered this version</caption>{cells}</table>{reasons}")


class DraftEditor(w.VBox):
    """Propose a draft from the analysis, edit its sections, save versions, export.

    Parameters
    ----------
    store : Store
        Where drafts and endorsements are kept.
    consultation_id : int
        The consultation whose joint response this is.
    export_dir : str or Path
        Folder where exports are written (also offered as downloads).

    Attributes
    ----------
    sections : dict of str to ipywidgets.Textarea
        One Markdown editor per section of :data:`~cop_widgets.analysis.draft.SECTIONS`.
    propose_button, save_button, export_button, refresh_button : ipywidgets.Button
    version_picker : ipywidgets.Dropdown
        Loads an earlier version into the editors.
    tally : ipywidgets.HTML
        The endorsement round's tally for the latest version.
    """

    def __init__(self, store: Store, consultation_id: int, export_dir: str | Path = "."):
        super().__init__()
        self.store = store
        self.consultation_id = consultation_id
        self.export_dir = Path(export_dir)
        self.message = Message()
        self.sections = {
            key: w.Textarea(description=SECTION_TITLES[key], layout=w.Layout(
                width="100%", height="9em"), style={"description_width": "initial"})
            for key in SECTIONS
        }
        self.propose_button = w.Button(description="Propose from the analysis",
                                       icon="magic", layout=w.Layout(width="auto"),
                                       tooltip="Fill the sections from the answers so far")
        self.save_button = w.Button(description="Save as a new version", icon="save",
                                    button_style="primary", layout=w.Layout(width="auto"))
        self.version_picker = w.Dropdown(description="Version",
                                         style={"description_width": "initial"})
        self.tally = w.HTML()
        self.refresh_button = w.Button(description="Refresh the tally", icon="refresh",
                                       layout=w.Layout(width="auto"))
        self.export_format = w.Dropdown(options=[("Word (.docx)", "docx"),
                                                 ("Web page (.html)", "html"),
                                                 ("Markdown (.md)", "md")],
                                        description="Export as",
                                        style={"description_width": "initial"})
        self.export_button = w.Button(description="Export", icon="download",
                                      layout=w.Layout(width="auto"))
        self.download = w.HTML()
        self.propose_button.on_click(guarded(self.message, self.propose))
        self.save_button.on_click(guarded(self.message, self.save))
        self.refresh_button.on_click(guarded(self.message, self.refresh_tally))
        self.export_button.on_click(guarded(self.message, self.export))
        self.version_picker.observe(self._on_version, names="value")
        self.children = [
            w.HTML("<p>Edit each section in Markdown. Saving keeps every earlier version. "
                   "Members answer the latest saved version through their own link.</p>"),
            w.HBox([self.propose_button, self.version_picker]),
            *self.sections.values(),
            self.save_button, self.message,
            w.HTML("<h4>Endorsement round</h4>"), self.tally, self.refresh_button,
            w.HTML("<h4>Export</h4>"), w.HBox([self.export_format, self.export_button]),
            self.download,
        ]
        self._load_versions()
        self.refresh_tally()

    # -- versions -----------------------------------------------------------------------

    def _load_versions(self, select: int | None = None) -> None:
        drafts = self.store.list_drafts(self.consultation_id)
        self.version_picker.options = [(f"{d.version} ({d.created_at:%Y-%m-%d %H:%M})",
                                        d.version) for d in drafts] or [("none yet", None)]
        self.version_picker.value = select if select else (drafts[-1].version if drafts
                                                            else None)

    def _on_version(self, change: Any) -> None:
        if change["new"] is None:
            return
        draft = self.store.get_draft(self.consultation_id, change["new"])
        for key, area in self.sections.items():
            area.value = draft.sections.get(key, "")

    def propose(self) -> str:
        """Fill every section from the analysis of the answers so far."""
        from ..analysis.draft import propose_draft
        from ..analysis.summary import by_attribute, statement_summary
        from ..scales import get_scale

        store, cid = self.store, self.consultation_id
        consultation = store.get_consultation(cid)
        scale = get_scale(consultation.scale)
        responses = store.responses_frame(cid)
        members = store.members_frame(cid)
        fixed = {"member_id", "name", "email", "external_id", "invited", "responded"}
        attributes = [c for c in members.columns if c not in fixed]
        attribute = attributes[0] if attributes else None
        by_group = (by_attribute(responses, members, attribute, scale, min_group_size=3)
                    if attribute and not responses.empty else None)
        blocks: list[str] = []
        try:
            latest = store.get_draft(cid)
            blocks = [e.reason for e in store.list_endorsements(latest.id)
                      if e.kind is m.EndorsementKind.BLOCK]
        except NotFound:
            pass
        proposal = propose_draft(store.get_development(consultation.development_id),
                                 consultation, scale, store.statements_frame(cid),
                                 statement_summary(responses, scale), responses,
                                 by_group=by_group, attribute=attribute, blocks=blocks)
        for key, area in self.sections.items():
            area.value = proposal.get(key, "")
        return ("Proposed from the answers so far. Edit the sections, then save them as a "
                "new version.")

    def save(self) -> str:
        """Save the sections as a new version of the draft."""
        draft = self.store.add_draft(self.consultation_id,
                                     {k: a.value for k, a in self.sections.items()})
        self._load_versions(draft.version)
        self.refresh_tally()
        return f"Saved version {draft.version}. Members now see this version."

    # -- endorsement round -----------------------------------------------------------

    def refresh_tally(self) -> str:
        """Redraw the tally of answers to the latest version."""
        try:
            draft = self.store.get_draft(self.consultation_id)
        except NotFound:
            self.tally.value = "<p>No version saved yet: members have nothing to answer.</p>"
            return ""
        invited = int(self.store.members_frame(self.consultation_id)["invited"].sum())
        self.tally.value = (f"<p>Version {draft.version}:</p>" + endorsement_tally_html(
            self.store.list_endorsements(draft.id), invited))
        return ""

    # -- export -----------------------------------------------------------------------

    def export(self) -> str:
        """Export the joint response in the chosen format and offer it as a download."""
        from ..export.api import export_consultation

        fmt = self.export_format.value
        self.export_dir.mkdir(parents=True, exist_ok=True)
        out = self.export_dir / f"joint-response-{self.consultation_id}.{fmt}"
        files = [Path(f) for f in export_consultation(self.store, self.consultation_id, fmt,
                                                      out)]
        main = files[0]
        name, mime, data = main.name, _MIME[fmt], main.read_bytes()
        if len(files) > 1:  # Markdown with its chart images: one zip to download
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in files:
                    archive.write(path, path.name)
            name, mime, data = main.with_suffix(".zip").name, "application/zip", \
                buffer.getvalue()
        payload = base64.b64encode(data).decode()
        self.download.value = (f'<a download="{esc(name)}" href="data:{mime};base64,{payload}">'
                               f"Download {esc(name)}</a>")
        return f"Exported to {main.resolve()}" + (
            f" (with {len(files) - 1} chart files beside it)" if len(files) > 1 else "")
