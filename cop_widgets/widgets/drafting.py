"""The facilitator's drafting desk for the joint response.

Propose a draft, edit it and save versions privately, put a version to the members, follow
their answers, finalise the response, and download its export.
"""

from __future__ import annotations

import base64
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
from .common import ConsultationView, Message, esc, full_width, guarded, refreshed_at, tagged

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DraftEditor", "endorsement_tally_html"]

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
    # The count is a paragraph, not a <caption>: the page shows a table as a block that
    # scrolls (templates/cop), and a caption inside it wraps to the narrow cells' width.
    # The table keeps the sentence as its name.
    return (f"{tagged('p', caption)}<table class='cop-tally' aria-label='{esc(caption)}'>"
            f"{cells}</table>{reasons}")


class DraftEditor(ConsultationView, w.VBox):
    """Propose a draft from the analysis, edit, save privately, share, finalise, export.

    A version is saved privately: members see nothing of it until the facilitator puts it
    to them, which opens endorsement on it (and on it alone). Finalising the version put
    to them closes the answers and the consultation. The rules are the store's
    (:mod:`cop_widgets.store.drafts`); the buttons only follow them.

    Parameters
    ----------
    store : Store
        Where drafts and endorsements are kept.
    consultation_id : int
        The consultation whose joint response this is.
    export_dir : str or Path, optional
        Kept for older callers and unused: the export is offered as a download from
        memory, and nothing is written on the server.
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
    share_button, finalise_button : ipywidgets.Button
        Put the version shown to the members; finalise the version they have.
    version_picker : ipywidgets.Dropdown
        Loads an earlier version into the editors.
    stage : ipywidgets.HTML
        Where the response stands: which version the members have, since when, and any
        later version saved privately; or that it is final, and since when.
    tally : ipywidgets.HTML
        The answers to the version put to the members.
    message, step_message, tally_message, export_message : Message
        What the save (and propose) buttons, the share and finalise buttons, the refresh
        of the tally and the export button report, each beside its buttons.
    download : ipywidgets.HTML
        The link that downloads the latest export (a ``data:`` URL: no server path).
    """

    version = traitlets.Int(None, allow_none=True)

    def __init__(self, store: Store, consultation_id: int, export_dir: str | Path = ".", *,
                 language: str | None = None):
        super().__init__()
        self.store = store
        self.language = language
        self._ = _ = translator(language)
        self.ngettext = plural_translator(language)
        self.message = Message(language=language)
        self.step_message = Message(language=language)
        self.export_message = Message(language=language)
        self.tally_message = Message(language=language)
        self.sections = {
            # rows, not a height: a height would hold the label too, and where the label
            # sits above the field (a phone) the field would spill over the next one
            key: w.Textarea(description=_(SECTION_TITLES[key]), rows=6,
                            layout=full_width(),
                            style={"description_width": "initial"})
            for key in SECTIONS
        }
        for box in self.sections.values():
            box.add_class("cop-stacked")  # the Voila template puts its label above it
        def auto() -> w.Layout:
            return w.Layout(width="auto")

        self.propose_button = w.Button(description=_("Propose from the analysis"),
                                       icon="magic", layout=auto(),
                                       tooltip=_("Fill the sections from the answers so far"))
        self.save_button = w.Button(description=_("Save privately as a new version"),
                                    icon="save", button_style="primary", layout=auto())
        self.version_picker = w.Dropdown(description=_("Version"),
                                         style={"description_width": "initial"},
                                         layout=w.Layout(
                                             width="auto", max_width="100%",
                                             min_width="min(28em, calc(100% - 4px))"))
        self.stage = w.HTML()
        self.share_button = w.Button(description=_("Put this version to the members"),
                                     icon="share", button_style="info", layout=auto())
        self.finalise_button = w.Button(description=_("Finalise the response"), icon="lock",
                                        button_style="warning", layout=auto())
        self.tally = w.HTML()
        self.refresh_button = w.Button(description=_("Refresh the tally"), icon="refresh",
                                       layout=auto())
        self.export_format = w.Dropdown(options=[(_(label), fmt) for label, fmt in _FORMATS],
                                        description=_("Export as"),
                                        style={"description_width": "initial"})
        self.export_button = w.Button(description=_("Export"), icon="download", layout=auto())
        self.download = w.HTML()
        self.propose_button.on_click(guarded(self.message, self.propose))
        self.save_button.on_click(guarded(self.message, self.save))
        self.share_button.on_click(guarded(self.step_message, self.share))
        self.finalise_button.on_click(guarded(self.step_message, self.finalise))
        self.refresh_button.on_click(guarded(self.tally_message, self._refresh_clicked))
        self.export_button.on_click(guarded(self.export_message, self.export))
        self.version_picker.observe(self._on_pick, names="value")
        #: The sections as last loaded or saved: edits beyond them are not in the store.
        self._saved: dict[str, str] = {key: "" for key in SECTIONS}
        #: The replacing action the facilitator was warned about (done if asked again).
        self._warned: tuple | None = None
        #: Every version, as last read from the store.
        self._drafts: list[m.Draft] = []

        def row() -> w.Layout:  # each box its own layout: a shared one moves them all
            return w.Layout(flex_flow="row wrap", align_items="center")

        self.children = [
            w.HTML(tagged("p", _("Edit each section in Markdown. Each version is saved "
                                 "privately: members see a version only once you put it to "
                                 "them, and then answer it through their own link."))),
            w.HBox([self.propose_button, self.version_picker], layout=row()),
            *self.sections.values(),
            w.HBox([self.save_button, self.message], layout=row()),
            w.HTML(tagged("h4", _("The members' version"))), self.stage,
            w.HBox([self.share_button, self.finalise_button, self.step_message], layout=row()),
            w.HTML(tagged("h4", _("Endorsement round"))), self.tally,
            w.HBox([self.refresh_button, self.tally_message], layout=row()),
            w.HTML(tagged("h4", _("Export"))),
            w.HBox([self.export_format, self.export_button, self.export_message], layout=row()),
            self.download,
        ]
        self.add_class("cop-drafting")
        self.consultation_id = consultation_id  # loads its latest version

    def show_consultation(self) -> None:
        """Load the latest version of :attr:`consultation_id`'s draft and its tally."""
        self._fill({}, saved=True)
        self._warned = None
        self.version = None
        for message in (self.message, self.step_message, self.tally_message,
                        self.export_message):
            message.clear()
        self.download.value = ""
        self._load_versions()
        self.refresh_tally()

    # -- versions -----------------------------------------------------------------------

    def _load_versions(self, select: int | None = None) -> None:
        self._drafts = drafts = self.store.list_drafts(self.consultation_id)
        # New options select the first one for a moment: held, only the version finally
        # chosen is loaded into the sections. Called only when the sections hold no edit.
        with self.hold_trait_notifications():
            self.version_picker.options = [(self._version_label(d), d.version)
                                           for d in drafts] or [(self._("none yet"), None)]
            final = next((d.version for d in drafts if d.final), None)
            latest = drafts[-1].version if drafts else None
            self.version_picker.value = select or final or latest  # the final text first
            self.version = self.version_picker.value  # (unchanged options say nothing)
        self._show_stage()

    def _version_label(self, draft: m.Draft) -> str:
        _ = self._
        state = (_("final") if draft.final else _("put to the members") if draft.shared
                 else _("private"))
        return f"{draft.version} ({self._when(draft.created_at)}, {state})"

    def _shared(self) -> m.Draft | None:
        """Return the version put to the members (the newest shared one), as last read."""
        return next((d for d in reversed(self._drafts) if d.shared), None)

    def _show_stage(self) -> None:
        """Say where the response stands, and offer the steps that are open."""
        _, number = self._, (lambda n: format_number(n, self.language))
        shared = self._shared()
        later = [d.version for d in self._drafts if shared is None or d.version > shared.version]
        if shared is not None and shared.final:
            words = _("The joint response is final: version {number}, finalised on {moment}. "
                      "Members read it as final; answers are closed.").format(
                number=number(shared.version), moment=self._when(shared.finalised_at))
        elif shared is not None:
            words = _("Members have version {number}, put to them on {moment}.").format(
                number=number(shared.version), moment=self._when(shared.shared_at))
        elif self._drafts:
            words = _("No version has been put to the members yet: they see nothing of the "
                      "versions saved.")
        else:
            words = _("No version saved yet.")
        if later and not (shared is not None and shared.final):
            words += " " + self.ngettext(
                "Version {numbers} is saved privately: members do not see it.",
                "Versions {numbers} are saved privately: members do not see them.",
                len(later)).format(numbers=", ".join(number(v) for v in later))
        self.stage.value = tagged("p", words)
        final = shared is not None and shared.final
        self.save_button.disabled = final
        for button in (self.share_button, self.finalise_button):  # no step after the last
            button.layout.display = "none" if final else None
        self.share_button.disabled = final or self.version is None or (
            shared is not None and self.version <= shared.version)
        if self.version is not None:
            self.share_button.description = _("Put version {number} to the members").format(
                number=number(self.version))
        self.finalise_button.disabled = final or shared is None
        if shared is not None:
            self.finalise_button.description = _("Finalise version {number}").format(
                number=number(shared.version))

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
        self._show_stage()

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
        """Save the sections privately as a new version of the draft."""
        sections = {k: a.value for k, a in self.sections.items()}
        draft = self.store.add_draft(self.consultation_id, sections)
        self._saved, self._warned = sections, None  # then reloaded as stored, below
        self._load_versions(draft.version)
        self.refresh_tally()
        return self._("Saved version {number} privately: members do not see it until you "
                      "put it to them.").format(
            number=format_number(draft.version, self.language))

    # -- steps ------------------------------------------------------------------------

    def share(self) -> str:
        """Put the version in the editors to the members: endorsement opens on it."""
        _ = self._
        if self.version is None:
            return ""
        if self.unsaved():
            self.step_message.show(_("The sections hold edits that are not saved. Save them "
                                     "as a new version first, then put that version to the "
                                     "members."), "error")
            return ""
        draft = self.store.share_draft(self.consultation_id, self.version)
        self._load_versions(self.version)
        self.refresh_tally()
        return _("Version {number} is now put to the members: they can read and answer it "
                 "through their own link.").format(
            number=format_number(draft.version, self.language))

    def finalise(self) -> str:
        """Finalise the version put to the members, once asked twice."""
        _ = self._
        shared = self._shared()
        if shared is None:
            return ""
        if self._warned != ("finalise", shared.version):
            self._warned = ("finalise", shared.version)
            self.step_message.show(_(
                "Finalising version {number} closes the consultation: members can no longer "
                "answer it or change their cards, and no version can follow. Click Finalise "
                "again to confirm.").format(number=format_number(shared.version,
                                                                 self.language)), "info")
            return ""
        self._warned = None
        final = self.store.finalise_draft(self.consultation_id)
        self._load_versions(self.version)
        self.refresh_tally()
        return _("Version {number} is the final joint response, finalised on {moment}. The "
                 "consultation is closed.").format(
            number=format_number(final.version, self.language),
            moment=self._when(final.finalised_at))

    # -- endorsement round -----------------------------------------------------------

    def refresh_tally(self) -> str:
        """Redraw the tally of answers to the version put to the members."""
        try:
            draft = self.store.get_draft(self.consultation_id)
        except NotFound:
            self.tally.value = tagged("p", self._("No version put to the members yet: they "
                                                  "have nothing to answer."))
            return ""
        invited = int(self.store.members_frame(self.consultation_id)["invited"].sum())
        version = (self._("Final version {number}:") if draft.final
                   else self._("Version {number}:")).format(
            number=format_number(draft.version, self.language))
        self.tally.value = tagged("p", version) + endorsement_tally_html(
            self.store.list_endorsements(draft.id), invited, language=self.language)
        return ""

    def _refresh_clicked(self) -> str:
        """Redraw the tally and say when, beside its button."""
        self.refresh_tally()
        return refreshed_at(self._, self.store.now())

    # -- export -----------------------------------------------------------------------

    def export(self) -> str:
        """Offer the joint response in the chosen format as a download.

        The file is made in memory and handed to the browser as a ``data:`` link: nothing
        is written on the server, and no server path is shown. A Markdown export with
        chart images comes as one zip.
        """
        from ..export.api import export_download

        name, mime, data = export_download(self.store, self.consultation_id,
                                           self.export_format.value,
                                           stem=f"joint-response-{self.consultation_id}")
        payload = base64.b64encode(data).decode()
        words = self._("Download {file}").format(file=name)
        self.download.value = (f'<a download="{esc(name)}" href="data:{mime};base64,{payload}">'
                               f"{esc(words)}</a>")
        return self._("Ready: {file} is offered below as a download.").format(file=name)
