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
import traitlets

from .. import model as m
from ..errors import NotFound
from ..i18n import (
    N_,
    format_datetime,
    format_number,
    language_or_default,
    plural_translator,
    translator,
)
from ..vocabulary import ENDORSEMENT_LABELS
from ..words.draft import SECTION_TITLES, SECTIONS
from .common import ConsultationView, Message, esc, guarded, tagged

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DraftEditor", "endorsement_tally_html"]

_MIME = {"md": "text/markdown", "html": "text/html",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
#: Export formats (labels as English msgids; "Word" and "Markdown" are product names,
#: the same in every language).
_FORMATS = (("Word (.docx)", "docx"), (N_("Web page (.html)"), "html"),
            ("Markdown (.md)", "md"))


def endorsement_tally_html(endorsements: list[m.Endorsement], invited: int, *,
                           language: str | None = None) -> str:
    """Return the tally of answers to a draft, with block reasons (escaped, no names).

    ``language`` is the facilitator's (``en``, ``fr``, ``es``; English by default).
    """
    _ = translator(language)
    counts = m.endorsement_counts(endorsements)
    cells = "".join(f"<tr><th scope='row'>{esc(_(word))}</th>"
                    f"<td>{esc(format_number(counts[kind], language))}</td></tr>"
                    for kind, word in ENDORSEMENT_LABELS.items())
    blocks = [e.reason for e in endorsements if e.kind is m.EndorsementKind.BLOCK]
    reasons = (tagged("p", _("Reasons given for blocking:")) + "<ul>"
               + "".join(f"<li>{esc(r)}</li>" for r in blocks) + "</ul>") if blocks else ""
    ngettext = plural_translator(language)
    caption = ngettext(
        "{answered} of {invited} members has answered this version",
        "{answered} of {invited} members have answered this version",
        len(endorsements)).format(answered=format_number(len(endorsements), language),
                                  invited=format_number(invited, language))
    return (f"<table class='cop-tally'><caption>{esc(caption)}</caption>{cells}</table>"
            f"{reasons}")


class DraftEditor(ConsultationView, w.VBox):
    """Propose a draft from the analysis, edit its sections, save versions, export.

    Parameters
    ----------
    store : Store
        Where drafts and endorsements are kept.
    consultation_id : int
        The consultation whose joint response this is.
    export_dir : str or Path
        Folder where exports are written (also offered as downloads).
    language : str, optional
        Language of the desk (``en``, ``fr``, ``es``); English by default. The text of the
        draft is the facilitator's content, for the community: "Propose from the analysis"
        writes it in the consultation's language (:mod:`cop_widgets.analysis.draft`), and
        exports are documents in the consultation's language too, whatever the desk's.

    Attributes
    ----------
    consultation_id : int or None
        The consultation whose joint response is edited; assigning another one loads its
        latest version (edits not saved are dropped).
    version : int or None
        The saved version the sections were loaded from; assigning one loads it.
    sections : dict of str to ipywidgets.Textarea
        One Markdown editor per section of :data:`~cop_widgets.analysis.draft.SECTIONS`.
    propose_button, save_button, export_button, refresh_button : ipywidgets.Button
    version_picker : ipywidgets.Dropdown
        Loads an earlier version into the editors.
    tally : ipywidgets.HTML
        The endorsement round's tally for the latest version.
    """

    version = traitlets.Int(None, allow_none=True)

    def __init__(self, store: Store, consultation_id: int, export_dir: str | Path = ".", *,
                 language: str | None = None):
        super().__init__()
        self.store = store
        self.export_dir = Path(export_dir)
        self.language = language
        self._ = _ = translator(language)
        self.ngettext = plural_translator(language)
        self.message = Message(language=language)
        self.sections = {
            key: w.Textarea(description=_(SECTION_TITLES[key]), layout=w.Layout(
                width="100%", height="9em"), style={"description_width": "initial"})
            for key in SECTIONS
        }
        self.propose_button = w.Button(description=_("Propose from the analysis"),
                                       icon="magic", layout=w.Layout(width="auto"),
                                       tooltip=_("Fill the sections from the answers so far"))
        self.save_button = w.Button(description=_("Save as a new version"), icon="save",
                                    button_style="primary", layout=w.Layout(width="auto"))
        self.version_picker = w.Dropdown(description=_("Version"),
                                         style={"description_width": "initial"})
        self.tally = w.HTML()
        self.refresh_button = w.Button(description=_("Refresh the tally"), icon="refresh",
                                       layout=w.Layout(width="auto"))
        self.export_format = w.Dropdown(options=[(_(label), fmt) for label, fmt in _FORMATS],
                                        description=_("Export as"),
                                        style={"description_width": "initial"})
        self.export_button = w.Button(description=_("Export"), icon="download",
                                      layout=w.Layout(width="auto"))
        self.download = w.HTML()
        self.propose_button.on_click(guarded(self.message, self.propose))
        self.save_button.on_click(guarded(self.message, self.save))
        self.refresh_button.on_click(guarded(self.message, self.refresh_tally))
        self.export_button.on_click(guarded(self.message, self.export))
        self.version_picker.observe(self._on_pick, names="value")
        #: The sections as last loaded or saved: edits beyond them are not in the store.
        self._saved: dict[str, str] = {key: "" for key in SECTIONS}
        #: The replacing action the facilitator was warned about (done if asked again).
        self._warned: tuple | None = None
        self.children = [
            w.HTML(tagged("p", _("Edit each section in Markdown. Saving keeps every earlier "
                                 "version. Members answer the latest saved version through "
                                 "their own link."))),
            w.HBox([self.propose_button, self.version_picker]),
            *self.sections.values(),
            self.save_button, self.message,
            w.HTML(tagged("h4", _("Endorsement round"))), self.tally, self.refresh_button,
            w.HTML(tagged("h4", _("Export"))), w.HBox([self.export_format,
                                                       self.export_button]),
            self.download,
        ]
        self.consultation_id = consultation_id  # loads its latest version

    def show_consultation(self) -> None:
        """Load the latest version of :attr:`consultation_id`'s draft and its tally."""
        self._fill({}, saved=True)
        self._warned = None
        self.version = None
        self.message.clear()
        self.download.value = ""
        self._load_versions()
        self.refresh_tally()

    # -- versions -----------------------------------------------------------------------

    def _load_versions(self, select: int | None = None) -> None:
        drafts = self.store.list_drafts(self.consultation_id)
        # New options select the first one for a moment: held, only the version finally
        # chosen is loaded into the sections. Called only when the sections hold no edit.
        with self.hold_trait_notifications():
            self.version_picker.options = [(f"{d.version} ({self._when(d.created_at)})",
                                            d.version) for d in drafts] or [
                (self._("none yet"), None)]
            self.version_picker.value = select if select else (drafts[-1].version if drafts
                                                                else None)
            self.version = self.version_picker.value  # (unchanged options say nothing)

    def _when(self, moment: Any) -> str:
        if language_or_default(self.language) == "en":
            return f"{moment:%Y-%m-%d %H:%M}"
        return format_datetime(moment, self.language)

    def unsaved(self) -> bool:
        """Whether the editors hold text that no saved version has."""
        return any(area.value != self._saved.get(key, "")
                   for key, area in self.sections.items())

    def _confirmed(self, action: tuple, warning: str) -> bool:
        """Whether ``action`` may replace the editors' text now.

        With unsaved edits, the first request only warns (nothing is replaced); asking for
        the same action again goes ahead.
        """
        if not self.unsaved() or self._warned == action:
            self._warned = None
            return True
        self._warned = action
        self.message.show(warning, "error")
        return False

    def _fill(self, sections: dict[str, str], *, saved: bool) -> None:
        for key, area in self.sections.items():
            area.value = sections.get(key, "")
        if saved:
            self._saved = {key: area.value for key, area in self.sections.items()}

    def _on_pick(self, change: Any) -> None:
        """Load the version chosen, unless that would drop edits without a warning."""
        chosen = change["new"]
        if chosen is None or chosen == self.version:  # nothing to load (or put back)
            return
        if not self._confirmed(("version", chosen), self._(
                "The sections hold edits that are not saved. Save them as a new version "
                "first, or choose version {number} again to discard them.").format(
                    number=format_number(chosen, self.language))):
            self.version_picker.value = self.version  # put back: it is the one loaded
            return
        self.version = chosen

    @traitlets.observe("version")
    def _on_version(self, change: Any) -> None:
        if change["new"] is None or change["new"] == change["old"]:
            return
        draft = self.store.get_draft(self.consultation_id, change["new"])
        self._fill(dict(draft.sections), saved=True)

    def propose(self) -> str:
        """Fill every section from the analysis of the answers so far."""
        from ..export.proposal import proposed_sections
        from ..services.analysis import ConsultationAnalysis

        if not self._confirmed(("propose",), self._(
                "The sections hold edits that are not saved. Save them as a new version "
                "first, or click Propose again to replace them.")):
            return ""
        proposal = proposed_sections(ConsultationAnalysis(self.store, self.consultation_id))
        self._fill(proposal, saved=False)
        return self._("Proposed from the answers so far. Edit the sections, then save them "
                      "as a new version.")

    def save(self) -> str:
        """Save the sections as a new version of the draft."""
        sections = {k: a.value for k, a in self.sections.items()}
        draft = self.store.add_draft(self.consultation_id, sections)
        self._saved, self._warned = sections, None  # then reloaded as stored, below
        self._load_versions(draft.version)
        self.refresh_tally()
        return self._("Saved version {number}. Members now see this version.").format(
            number=format_number(draft.version, self.language))

    # -- endorsement round -----------------------------------------------------------

    def refresh_tally(self) -> str:
        """Redraw the tally of answers to the latest version."""
        try:
            draft = self.store.get_draft(self.consultation_id)
        except NotFound:
            self.tally.value = tagged("p", self._("No version saved yet: members have nothing "
                                                  "to answer."))
            return ""
        invited = int(self.store.members_frame(self.consultation_id)["invited"].sum())
        version = self._("Version {number}:").format(
            number=format_number(draft.version, self.language))
        self.tally.value = tagged("p", version) + endorsement_tally_html(
            self.store.list_endorsements(draft.id), invited, language=self.language)
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
        words = self._("Download {file}").format(file=name)
        self.download.value = (f'<a download="{esc(name)}" href="data:{mime};base64,{payload}">'
                               f"{esc(words)}</a>")
        charts = len(files) - 1
        if not charts:
            return self._("Exported to {path}").format(path=main.resolve())
        return self.ngettext("Exported to {path} (with {count} chart file beside it)",
                             "Exported to {path} (with {count} chart files beside it)",
                             charts).format(path=main.resolve(),
                                            count=format_number(charts, self.language))
