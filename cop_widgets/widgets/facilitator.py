"""The facilitator's workbench: pick or create a consultation, then prepare and follow it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..errors import CopWidgetsError, ValidationError
from ..i18n import N_, translator
from .common import FULL_WIDTH, Message, esc, guarded, labelled, tagged
from .intake import KIND_CHOICES, IntakeForm
from .participation import ParticipationPanel
from .roster import DEFAULT_BASE_URL, RosterEditor
from .settings import ConsultationSettings, new_consultation
from .statements import StatementsEditor

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["FacilitatorWorkbench", "NewConsultationForm", "facilitator_workbench", "TAB_TITLES"]

#: Titles of the workbench's tabs, in order (English msgids; translated where shown).
TAB_TITLES = (N_("Intake"), N_("Statements"), N_("Settings"), N_("Roster & invitations"),
              N_("Participation"), N_("Divergence"), N_("Joint response"))

_NEW_DEVELOPMENT = 0
_KIND_WORDS = dict((value, label) for label, value in KIND_CHOICES)
#: A consultation's status in the picker (English msgids; translated where shown).
_STATUS_WORDS = {
    m.ConsultationStatus.DRAFT: N_("draft"),
    m.ConsultationStatus.OPEN: N_("open"),
    m.ConsultationStatus.CLOSED: N_("closed"),
}


def _close_tree(widget: w.Widget) -> None:
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


class NewConsultationForm(w.VBox):
    """Create a consultation about a stored development, or about a new one.

    Parameters
    ----------
    store : Store
        Where it is saved.
    on_created : callable, optional
        Called with the new consultation.
    language : str, optional
        Language of the form (``en``, ``fr``, ``es``); English by default.

    Attributes
    ----------
    development_picker : ipywidgets.Dropdown
        A stored development, or "a new development" (then :attr:`intake` is shown).
    intake : IntakeForm
        Describes the new development; it is saved when the consultation is created.
    title : ipywidgets.Text
        The question put to the community.
    create_button : ipywidgets.Button
        Creates the consultation (and the new development, if any).
    message : Message
        What happened, or which field broke which rule.
    consultation : Consultation or None
        The consultation created last.

    """

    def __init__(self, store: Store, on_created: Any = None, *, language: str | None = None,
                 **kwargs: Any):
        self.store = store
        self.on_created = on_created
        self.consultation: m.Consultation | None = None
        self._ = _ = translator(language)
        # the consultation's title is checked under its own label (see create): a "title"
        # that reaches this message is the new development's
        self.message = Message(language=language, labels={
            "title": _("title of the new development"),
            "consultation_title": _("Question put to the community (title of the "
                                    "consultation)")})
        self.development_picker = w.Dropdown(layout=FULL_WIDTH)
        self.intake = IntakeForm(store, on_saved=self._development_saved, language=language)
        self.intake.save_button.description = _("Save development only")
        self.title = w.Text(placeholder=_("e.g. How should our community respond to the new "
                                          "guideline?"), layout=FULL_WIDTH)
        self.create_button = w.Button(description=_("Create consultation"), icon="plus",
                                      button_style="primary", layout=w.Layout(width="auto"))
        self.intake_box = w.VBox([
            w.HTML(tagged("h4", _("The new development"))), self.intake])
        self.development_picker.observe(self._on_pick, names="value")
        self.create_button.on_click(guarded(self.message, self.create))
        super().__init__([
            labelled(_("Development the community answers"), self.development_picker),
            self.intake_box,
            labelled(_("Question put to the community (title of the consultation)"),
                     self.title),
            self.create_button,
            self.message,
        ], **kwargs)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        """Reload the developments; select ``select`` (default: a new development)."""
        _ = self._
        options = [(f"{d.title} ({_(_KIND_WORDS.get(d.kind.value, d.kind.value))})", d.id)
                   for d in self.store.list_developments()]
        options.append((_("A new development (describe it below)"), _NEW_DEVELOPMENT))
        self.development_picker.options = options
        self.development_picker.value = _NEW_DEVELOPMENT if select is None else select
        self._on_pick()

    def _development_saved(self, development: m.Development) -> None:
        """Select the development just saved and empty the form for the next new one.

        The form keeps no hold on it: what is typed there next is another new development,
        never a change to this one.
        """
        self.reload(select=development.id)
        self.intake.clear()
        self.message.show(self._("Saved the new development \u201c{title}\u201d.").format(
            title=development.title), "ok")

    def _on_pick(self, _change: Any = None) -> None:
        new = self.development_picker.value == _NEW_DEVELOPMENT
        self.intake_box.layout.display = "" if new else "none"

    def create(self) -> str:
        """Create the consultation; return what happened, in words."""
        # checked before anything is saved
        title = m.text("consultation_title", self.title.value, "title")
        development_id = self.development_picker.value
        if development_id in (None, _NEW_DEVELOPMENT):
            self.intake.save()  # selects it in the picker (see _development_saved)
            development_id = self.development_picker.value
            if development_id in (None, _NEW_DEVELOPMENT):
                raise ValidationError("development", "development-unsaved")
        consultation = new_consultation(self.store, development_id, title)
        self.consultation = consultation
        self.title.value = ""
        self.intake.clear()
        self.reload()
        if self.on_created is not None:
            self.on_created(consultation)
        return self._("Created the consultation \u201c{title}\u201d as a draft. Next: its "
                      "statements, settings and roster in the tabs below.").format(
            title=consultation.title)


class FacilitatorWorkbench(w.VBox):
    """Everything a facilitator needs to prepare a consultation and follow answers.

    Parameters
    ----------
    store : Store, optional
        Where everything lives; defaults to ``Store()`` (``$COP_WIDGETS_DB``).
    base_url : str
        Address of the Voila server members open, used in invitation links.
    language : str, optional
        Language of the workbench (``en``, ``fr``, ``es``); English by default. The charts
        of the divergence tab and their text alternatives stay English (see
        :class:`~cop_widgets.widgets.dashboard.DivergenceDashboard`).

    Attributes
    ----------
    picker : ipywidgets.Dropdown
        The consultation being worked on.
    new_form : NewConsultationForm
        Creates a consultation (inside the "New consultation" section).
    tabs : ipywidgets.Tab
        Intake | Statements | Settings | Roster & invitations | Participation.
    intake, statements, settings, roster, participation
        The tabs' widgets for the chosen consultation (``None`` before one is chosen).
    message : Message
        Problems loading a consultation.

    """

    def __init__(self, store: Store | None = None, base_url: str = DEFAULT_BASE_URL, *,
                 language: str | None = None, **kwargs: Any):
        if store is None:
            from ..store import Store

            store = Store()
        self.store = store
        self.base_url = base_url
        self.language = language
        self._ = _ = translator(language)
        self.message = Message(language=language)
        # consultation id -> the invitation links made for it in this session (shown once,
        # so kept here while the facilitator works on another consultation)
        self._links_made: dict[int, dict[int, tuple[str, str]]] = {}
        self.intake: IntakeForm | None = None
        self.statements: StatementsEditor | None = None
        self.settings: ConsultationSettings | None = None
        self.roster: RosterEditor | None = None
        self.participation: ParticipationPanel | None = None
        self.dashboard = None  # built when its tab is first opened (it loads altair)
        self._dashboard_tab = w.VBox()
        self.drafting = None  # built when its tab is first opened
        self._drafting_tab = w.VBox()
        self._loading = False

        self.picker = w.Dropdown(layout=w.Layout(width="40em"))
        self.new_form = NewConsultationForm(store, on_created=self._created, language=language)
        self.new_section = w.Accordion(children=[self.new_form],
                                       titles=(_("New consultation"),))
        self.tabs = w.Tab()
        self.empty = w.HTML()
        self.picker.observe(self._on_pick, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__([
            w.HTML(tagged("h2", _("Facilitator workbench"))),
            labelled(_("Consultation"), self.picker),
            self.new_section,
            self.message,
            self.empty,
            self.tabs,
        ], **kwargs)
        self.reload()

    # -- consultations ----------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Reload the list of consultations and show ``select``.

        Without ``select``, the consultation shown stays, else the newest is shown.
        """
        consultations = self.store.list_consultations()
        _ = self._
        options = [(f"{c.title} ({_(_STATUS_WORDS[c.status])})", c.id) for c in consultations]
        ids = [c.id for c in consultations]
        if select not in ids:
            select = self.picker.value if self.picker.value in ids else (ids[-1] if ids
                                                                         else None)
        self._loading = True
        try:
            self.picker.options = options
            self.picker.value = select
        finally:
            self._loading = False
        self.picker.disabled = not consultations
        if not consultations:
            self.new_section.selected_index = 0
            self.empty.value = "<p>" + esc(_("No consultation yet. Create the first one in "
                                             "\u201cNew consultation\u201d above.")) + "</p>"
            self.tabs.layout.display = "none"
            return
        self.empty.value = ""
        self.tabs.layout.display = ""
        if self.settings is None or self.settings.consultation_id != self.picker.value:
            self.show(self.picker.value)

    def _on_pick(self, change: Any) -> None:
        if not self._loading and change["new"] is not None:
            self.show(change["new"])

    def _created(self, consultation: m.Consultation) -> None:
        self.new_section.selected_index = None
        self.reload(select=consultation.id)
        self.tabs.selected_index = 1

    def _relabel(self, _consultation: Any = None) -> None:
        self.reload(select=self.picker.value)

    def _on_tab(self, change: Any) -> None:
        if change["new"] == TAB_TITLES.index("Participation") and self.participation:
            guarded(self.message, self.participation.refresh)()
        if change["new"] == TAB_TITLES.index("Divergence") and self.settings:
            self.open_dashboard()
        if change["new"] == TAB_TITLES.index("Joint response") and self.settings:
            self.open_drafting()

    def open_drafting(self):
        """Build (or refresh) the drafting desk of the consultation shown."""
        from .drafting import DraftEditor

        if self.drafting is None:
            self.drafting = DraftEditor(self.store, self.settings.consultation_id,
                                        language=self.language)
            self._drafting_tab.children = [self.drafting]
        else:
            guarded(self.message, self.drafting.refresh_tally)()
        return self.drafting

    def open_dashboard(self):
        """Build (or refresh) the divergence dashboard of the consultation shown."""
        from .dashboard import DivergenceDashboard

        if self.dashboard is None:
            drawing = self._("Drawing the charts\u2026")
            self._dashboard_tab.children = [w.HTML(f"<p>{esc(drawing)}</p>")]
            self.dashboard = DivergenceDashboard(self.store, self.settings.consultation_id,
                                                 language=self.language)
            self._dashboard_tab.children = [self.dashboard]
        else:
            self.dashboard.refresh()
        return self.dashboard

    def _keep_address(self, change: dict) -> None:
        """Remember the Voila address typed on the roster tab for the next consultation."""
        self.base_url = change["new"].strip() or self.base_url

    def show(self, consultation_id: int) -> None:
        """Build the tabs for one consultation."""
        try:
            consultation = self.store.get_consultation(consultation_id)
            language = self.language
            intake = IntakeForm(self.store, consultation.development_id,
                                on_saved=lambda _d: self.new_form.reload(), language=language)
            statements = StatementsEditor(self.store, consultation_id, language=language)
            settings = ConsultationSettings(self.store, consultation_id,
                                            on_change=self._relabel, language=language)
            roster = RosterEditor(self.store, consultation_id, base_url=self.base_url,
                                  language=language,
                                  links_made=self._links_made.setdefault(consultation_id, {}))
            # Reminders use the address typed on the roster tab, as invitations do.
            participation = ParticipationPanel(self.store, consultation_id,
                                               base_url=roster.link_base, language=language)
            roster.on_change = participation.refresh
            roster.base_url.observe(self._keep_address, names="value")
        except CopWidgetsError as exc:
            self.message.show(self._("Could not open the consultation: {problem}").format(
                problem=self.message.problem(exc)), "error")
            return
        self.message.clear()
        old = self.tabs.children
        self.intake, self.statements, self.settings = intake, statements, settings
        self.roster, self.participation = roster, participation
        if self.dashboard is not None:
            self.dashboard.close()
            self.dashboard = None
        self._dashboard_tab = w.VBox()
        self.drafting, self._drafting_tab = None, w.VBox()
        self.tabs.children = [intake, statements, settings, roster, participation,
                              self._dashboard_tab, self._drafting_tab]
        self.tabs.titles = tuple(self._(title) for title in TAB_TITLES)
        for child in old:
            _close_tree(child)


def facilitator_workbench(db_url: str | None = None, base_url: str | None = None,
                          language: str | None = None) -> FacilitatorWorkbench:
    """Return the facilitator's workbench on the database ``db_url``.

    Parameters
    ----------
    db_url : str, optional
        SQLAlchemy URL; defaults to ``$COP_WIDGETS_DB``, else a SQLite file here.
    base_url : str, optional
        Address of the Voila server in invitation links; defaults to
        ``$COP_WIDGETS_BASE_URL``, else ``http://127.0.0.1:8866``.
    language : str, optional
        Language of the workbench (``en``, ``fr``, ``es``); English by default.

    """
    from ..store import Store

    return FacilitatorWorkbench(
        Store(db_url),
        base_url=base_url or os.environ.get("COP_WIDGETS_BASE_URL") or DEFAULT_BASE_URL,
        language=language,
    )

