"""The facilitator's workbench: pick or create a consultation, then prepare and follow it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from .. import model as m
from ..errors import CopWidgetsError, ValidationError
from ..i18n import N_, format_list, translator
from . import tabs as registry
from .common import Message, esc, fit_width, full_width, guarded, labelled, tagged
from .intake import KIND_CHOICES, IntakeForm
from .roster import DEFAULT_BASE_URL
from .settings import new_consultation
from .tabs import TAB_TITLES

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["FacilitatorWorkbench", "NewConsultationForm", "facilitator_workbench", "TAB_TITLES"]

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
        self.development_picker = w.Dropdown(layout=full_width())
        self.intake = IntakeForm(store, on_saved=self._development_saved, language=language)
        self.intake.save_button.description = _("Save development only")
        self.title = w.Text(placeholder=_("e.g. How should our community respond to the new "
                                          "guideline?"), layout=full_width())
        self.create_button = w.Button(description=_("Create consultation"), icon="plus",
                                      button_style="primary", layout=fit_width())
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
        self.intake.clear()  # the intake says "saved" beside its own button

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

    The tabs are declared in :data:`~cop_widgets.widgets.tabs.TABS`; each tab's widget is
    reached by its key (``bench.roster``, ``bench.dashboard``...), ``None`` until built.

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
    consultation_id : int or None
        The consultation shown; setting it (or choosing it in :attr:`picker`) builds its
        tabs.
    picker : ipywidgets.Dropdown
        The consultation being worked on.
    new_form : NewConsultationForm
        Creates a consultation (inside the "New consultation" section).
    tabs : ipywidgets.Tab
        One tab per entry of :data:`~cop_widgets.widgets.tabs.TABS`.
    intake, statements, settings, roster, participation, discussion, dashboard, drafting
        The tabs' widgets for the chosen consultation (``None`` before one is chosen, and
        for a lazy tab until it is first opened).
    message : Message
        Problems loading a consultation.

    """

    consultation_id = traitlets.Int(None, allow_none=True)

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
        self.links_made: dict[int, dict[int, tuple[str, str, str]]] = {}
        self.consultation: m.Consultation | None = None
        for spec in registry.TABS:
            setattr(self, spec.key, None)

        self.picker = w.Dropdown(layout=full_width(max_width="48em"))
        self.new_form = NewConsultationForm(store, on_created=self._created, language=language)
        self.new_section = w.Accordion(children=[self.new_form],
                                       titles=(_("New consultation"),))
        self.tabs = w.Tab()
        self.empty = w.HTML()
        self.picker.observe(self._on_pick, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        super().__init__([
            w.HTML(tagged("h2", _("Facilitator workbench")) + self._guide_html()),
            labelled(_("Consultation"), self.picker),
            self.new_section,
            self.message,
            self.empty,
            self.tabs,
        ], **kwargs)
        self.reload()

    def _guide_html(self) -> str:
        """Return what the tabs are for, every one named, and which database this is."""
        from ..store.engine import shown_url

        _ = self._
        titles = format_list([_(title) for title in TAB_TITLES], self.language)
        database = shown_url(self.store.url)
        return (tagged("p", _("The tabs take a consultation from the external development to "
                              "the joint response: {tabs}.").format(tabs=titles))
                + tagged("p", _("Database: {database}").format(database=database)))

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
        # New options select the first one for a moment: held, only the consultation
        # finally chosen reaches _on_consultation.
        with self.hold_trait_notifications():
            self.picker.options = options
            self.picker.value = select
        self.picker.disabled = not consultations
        if not consultations:
            self.new_section.selected_index = 0
            self.empty.value = "<p>" + esc(_("No consultation yet. Create the first one in "
                                             "\u201cNew consultation\u201d above.")) + "</p>"
            self.tabs.layout.display = "none"
            return
        self.empty.value = ""
        self.tabs.layout.display = ""

    def _on_pick(self, change: Any) -> None:
        self.consultation_id = change["new"]

    @traitlets.observe("consultation_id")
    def _on_consultation(self, change: Any) -> None:
        if change["new"] == change["old"] or change["new"] is None:
            return
        if self.picker.value != change["new"]:
            self.reload(select=change["new"])  # also picks it, if it exists
        self.show(change["new"])

    def _created(self, consultation: m.Consultation) -> None:
        self.new_section.selected_index = None
        self.reload(select=consultation.id)
        self.tabs.selected_index = registry.tab_index("statements")

    def relabel(self, _consultation: Any = None) -> None:
        """Write the consultations' titles and statuses in the picker again."""
        self.reload(select=self.picker.value)

    def keep_address(self, change: dict) -> None:
        """Remember the Voila address typed on the roster tab for the next consultation."""
        self.base_url = change["new"].strip() or self.base_url

    # -- tabs -------------------------------------------------------------------------

    def _on_tab(self, change: Any) -> None:
        if change["new"] is not None and self.consultation is not None:
            self.open_tab(registry.TABS[change["new"]].key)

    def open_tab(self, key: str) -> Any:
        """Build the tab ``key`` if it is lazy and not built yet, else refresh it.

        Returns the tab's widget (``None`` while no consultation is shown).
        """
        index = registry.tab_index(key)
        spec, view = registry.TABS[index], getattr(self, key)
        if self.consultation is None:
            return None
        if view is None:
            holder = self.tabs.children[index]
            if spec.waiting:
                holder.children = [w.HTML(tagged("p", self._(spec.waiting)))]
            view = spec.build(self, self.consultation, self._built())
            setattr(self, key, view)
            holder.children = [view]
        elif spec.reopen is not None:
            guarded(self.message, lambda: spec.reopen(view))()
        return view

    def open_dashboard(self) -> Any:
        """Build (or refresh) the divergence dashboard of the consultation shown."""
        return self.open_tab("dashboard")

    def open_drafting(self) -> Any:
        """Build (or refresh) the drafting desk of the consultation shown."""
        return self.open_tab("drafting")

    def _built(self) -> dict[str, Any]:
        return {spec.key: getattr(self, spec.key) for spec in registry.TABS
                if getattr(self, spec.key) is not None}

    def show(self, consultation_id: int) -> None:
        """Build the tabs for one consultation (a lazy tab waits until it is opened)."""
        built: dict[str, Any] = {}
        try:
            consultation = self.store.get_consultation(consultation_id)
            for spec in registry.TABS:
                if not spec.lazy:
                    built[spec.key] = spec.build(self, consultation, built)
        except CopWidgetsError as exc:
            for view in built.values():
                _close_tree(view)
            self.message.show(self._("Could not open the consultation: {problem}").format(
                problem=self.message.problem(exc)), "error")
            return
        self.message.clear()
        self.consultation = consultation
        for spec in registry.TABS:
            setattr(self, spec.key, built.get(spec.key))
        old = self.tabs.children
        self.tabs.children = [built[spec.key] if spec.key in built else w.VBox()
                              for spec in registry.TABS]
        self.tabs.titles = tuple(self._(spec.title) for spec in registry.TABS)
        for child in old:  # lazy tabs' widgets are inside their holders
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

