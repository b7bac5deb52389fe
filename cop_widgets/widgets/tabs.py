"""The workbench's tabs, declared once: key, title, how each is built, and when.

:class:`~cop_widgets.widgets.facilitator.FacilitatorWorkbench` derives everything about its
tabs from :data:`TABS`: the Tab's children and titles, the attribute each tab's widget is
reached by (``bench.roster``...), which tabs are built only when first opened, and what a
tab does when it is opened again. Adding a tab is one :class:`TabSpec` in :data:`TABS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..i18n import N_

if TYPE_CHECKING:
    import ipywidgets as w

    from .. import model as m
    from .facilitator import FacilitatorWorkbench

__all__ = ["TabSpec", "TABS", "TAB_TITLES", "tab_index"]

#: What a tab's factory receives: the workbench, the consultation shown, and the widgets
#: of the tabs before it that are built already (by key).
Factory = Callable[["FacilitatorWorkbench", "m.Consultation", dict[str, Any]], "w.Widget"]


@dataclass(frozen=True)
class TabSpec:
    """One tab of the workbench.

    Attributes
    ----------
    key : str
        The workbench attribute holding the tab's widget (``None`` until it is built).
    title : str
        The tab's title as an English msgid, translated where shown.
    build : callable
        ``build(workbench, consultation, built)`` returns the tab's widget; ``built`` holds
        the widgets of the earlier tabs built already, by key.
    lazy : bool
        Built when the tab is first opened (the charts load altair), not with the others.
    reopen : callable, optional
        Called with the widget when its tab is opened after being built (to read the
        latest answers, say); a domain error it raises is shown in the workbench.
    waiting : str
        What a lazy tab says while it is being built (an English msgid), if anything.

    """

    key: str
    title: str
    build: Factory
    lazy: bool = False
    reopen: Callable[[Any], Any] | None = None
    waiting: str = ""


def _intake(bench: FacilitatorWorkbench, consultation: m.Consultation,
            _built: dict[str, Any]) -> w.Widget:
    from .intake import IntakeForm

    return IntakeForm(bench.store, consultation.development_id,
                      on_saved=lambda _d: bench.new_form.reload(), language=bench.language)


def _statements(bench: FacilitatorWorkbench, consultation: m.Consultation,
                _built: dict[str, Any]) -> w.Widget:
    from .statements import StatementsEditor

    return StatementsEditor(bench.store, consultation.id, language=bench.language)


def _settings(bench: FacilitatorWorkbench, consultation: m.Consultation,
              _built: dict[str, Any]) -> w.Widget:
    from .settings import ConsultationSettings

    return ConsultationSettings(bench.store, consultation.id, on_change=bench.relabel,
                                language=bench.language)


def _roster(bench: FacilitatorWorkbench, consultation: m.Consultation,
            _built: dict[str, Any]) -> w.Widget:
    from .mail_panel import MailPanel
    from .roster import RosterEditor

    roster = RosterEditor(bench.store, consultation.id, base_url=bench.base_url,
                          language=bench.language, links_made=bench.links_made)
    roster.base_url.observe(bench.keep_address, names="value")
    # Email under the links: the same roster, the same address in the links.
    roster.mail = MailPanel(bench.store, consultation.id, base_url=roster.link_base,
                            language=bench.language)
    roster.children = (*roster.children, roster.mail)
    return roster


def _participation(bench: FacilitatorWorkbench, consultation: m.Consultation,
                   built: dict[str, Any]) -> w.Widget:
    from .participation import ParticipationPanel

    roster = built["roster"]
    # Reminders use the address typed on the roster tab, as invitations do.
    panel = ParticipationPanel(bench.store, consultation.id, base_url=roster.link_base,
                               language=bench.language, email_reminders=roster.mail.remind)

    def changed() -> None:  # a roster or email action: both panels show the store's truth
        panel.refresh()
        roster.mail.refresh()

    roster.on_change = changed
    roster.mail.on_change = changed
    return panel


def _discussion(bench: FacilitatorWorkbench, consultation: m.Consultation,
                _built: dict[str, Any]) -> w.Widget:
    from .discussion_tab import DiscussionTab

    return DiscussionTab(bench.store, consultation.id, language=bench.language)


def _dashboard(bench: FacilitatorWorkbench, consultation: m.Consultation,
               _built: dict[str, Any]) -> w.Widget:
    from .dashboard import DivergenceDashboard

    return DivergenceDashboard(bench.store, consultation.id, language=bench.language)


def _drafting(bench: FacilitatorWorkbench, consultation: m.Consultation,
              _built: dict[str, Any]) -> w.Widget:
    from .drafting import DraftEditor

    return DraftEditor(bench.store, consultation.id, language=bench.language)


#: The workbench's tabs, in order.
TABS: tuple[TabSpec, ...] = (
    TabSpec("intake", N_("Intake"), _intake),
    TabSpec("statements", N_("Statements"), _statements),
    TabSpec("settings", N_("Settings"), _settings),
    TabSpec("roster", N_("Roster & invitations"), _roster),
    TabSpec("participation", N_("Participation"), _participation,
            reopen=lambda panel: panel.refresh()),
    TabSpec("discussion", N_("Discussion"), _discussion, lazy=True,
            reopen=lambda tab: tab.refresh()),
    TabSpec("dashboard", N_("Divergence"), _dashboard, lazy=True,
            reopen=lambda dashboard: dashboard.refresh(), waiting=N_("Drawing the charts\u2026")),
    TabSpec("drafting", N_("Joint response"), _drafting, lazy=True,
            reopen=lambda desk: desk.refresh_tally()),
)

#: Titles of the workbench's tabs, in order (English msgids; translated where shown).
TAB_TITLES: tuple[str, ...] = tuple(spec.title for spec in TABS)


def tab_index(key: str) -> int:
    """Return the position of the tab ``key`` in :data:`TABS`.

    Raises
    ------
    KeyError
        No tab has that key.

    """
    for index, spec in enumerate(TABS):
        if spec.key == key:
            return index
    raise KeyError(key)
