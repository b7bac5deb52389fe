"""The facilitator's live divergence dashboard: where the community agrees and splits."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import CopWidgetsError
from ..i18n import (
    N_,
    format_number,
    format_percent,
    plural_translator,
    translator,
)
from ..vocabulary import OTHER_GROUPS, group_label
from .common import ConsultationView, Message, esc, fit_width, tagged
from .figure_view import FigureView
from .learned import learned_html

if TYPE_CHECKING:
    from ..services.analysis import ConsultationAnalysis
    from ..store import Store

__all__ = ["DivergenceDashboard"]

#: The side a statement sets an opinion group apart on (``analysis.opinion``'s
#: ``direction`` values; English msgids, translated where shown).
_DIRECTION_WORDS = {"agree": N_("agree"), "disagree": N_("disagree")}


class DivergenceDashboard(ConsultationView, w.VBox):
    """Charts of the consultation's answers that refresh as cards arrive.

    Parameters
    ----------
    store : Store
        Where the answers are read.
    consultation_id : int
        The consultation shown.
    attribute : str, optional
        Member attribute to compare groups by (default: the first one on the roster).
    poll_seconds : float
        How often to look for new cards while live refresh is on.
    language : str, optional
        Language of the dashboard (``en``, ``fr``, ``es``); English by default. The charts
        and their text alternatives (:mod:`cop_widgets.charts.figures`), the weighting
        note and the opinion-group notes of the analysis are written in it too.

    Attributes
    ----------
    consultation_id : int or None
        The consultation shown; assigning another one reads its roster and redraws.
    attribute_picker : ipywidgets.Dropdown
        Member attribute for the comparison and the participation chart.
    refresh_button : ipywidgets.Button
        Redraws now.
    live : ipywidgets.Checkbox
        When ticked, redraws by itself when new cards arrive.
    summary, divergence, comparison, groups, learned, participation : ipywidgets.HTML
        The sections (``learned``: "What we learned from each other", see
        :func:`~cop_widgets.widgets.learned.learned_html`).
    """

    def __init__(self, store: Store, consultation_id: int, attribute: str | None = None,
                 poll_seconds: float = 5.0, *, language: str | None = None):
        super().__init__()
        self.store = store
        self.poll_seconds = poll_seconds
        self.language = language
        self._ = _ = translator(language)
        self.ngettext = plural_translator(language)
        self.message = Message(language=language)
        self.attribute_picker = w.Dropdown(description=_("Compare by"),
                                           style={"description_width": "initial"})
        self.refresh_button = w.Button(description=_("Refresh"), icon="refresh", layout=fit_width(),
                                       tooltip=_("Redraw the charts with the latest answers"))
        self.live = w.Checkbox(value=False,
                               description=_("Refresh by itself as cards arrive"),
                               style={"description_width": "initial"}, indent=False)
        self.summary, self.divergence = w.HTML(), FigureView()
        self.comparison, self.groups, self.participation = (FigureView(), FigureView(),
                                                            FigureView())
        self.rounds = FigureView()
        self.weighted = w.HTML()
        self.learned = w.HTML()  # what members learned from each other (issue 13)
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.attribute_picker.observe(self._on_attribute, names="value")
        self.live.observe(self._on_live, names="value")
        #: The card and statement counts the charts were last drawn from (see poll_once).
        self._seen: tuple[int, int] | None = None
        self._attribute = attribute
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.children = [
            w.HBox([self.attribute_picker, self.refresh_button, self.live],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.message, self.summary, self.divergence, self.rounds, self.comparison,
            self.weighted, self.groups, self.learned, self.participation,
        ]
        self.add_class("cop-dashboard")
        self.consultation_id = consultation_id  # draws it

    def show_consultation(self) -> None:
        """Read the roster's attributes of :attr:`consultation_id` and draw every section.

        The attribute compared by stays when the new roster has it, else it is the first.
        """
        from ..services.analysis import ConsultationAnalysis

        try:
            analysis = ConsultationAnalysis(self.store, self.consultation_id)
        except CopWidgetsError as exc:  # said as a refresh would say it
            self.message.show(self.message.problem(exc), "error")
            return
        wanted = self.attribute_picker.value or self._attribute
        names = analysis.attributes
        # New options select the first one for a moment: the picker is not listened to
        # while they change, so the charts are drawn once, below.
        self.attribute_picker.unobserve(self._on_attribute, names="value")
        try:
            self.attribute_picker.options = [(self._("(nothing)"), "")] + [(n, n)
                                                                           for n in names]
            self.attribute_picker.value = (wanted if wanted in names
                                           else analysis.default_attribute or "")
        finally:
            self.attribute_picker.observe(self._on_attribute, names="value")
        self.refresh(analysis)

    def _on_attribute(self, _change: Any) -> None:
        self.refresh()

    # -- helpers ------------------------------------------------------------------------

    def _percent(self, ratio: float) -> str:
        return format_percent(ratio, self.language)

    def _points(self, difference: float) -> str:
        """Return a difference of two shares in percentage points, signed (``+5``, ``-12``)."""
        return format_number(100 * difference, self.language, digits=0, signed=True)

    def _group(self, name: Any) -> str:
        return group_label(name, self._)

    def _figure(self, view: FigureView, figure: Any, title: str, after: str = "") -> None:
        view.show(figure, title, after, language=self.language)

    # -- drawing ------------------------------------------------------------------------

    def _fingerprint(self) -> tuple[int, int]:
        return (self.store.count_cards(self.consultation_id),
                len(self.store.list_statements(self.consultation_id)))

    def refresh(self, analysis: ConsultationAnalysis | None = None) -> None:
        """Read the latest answers and redraw every section (from ``analysis`` if given)."""
        try:
            self._draw(analysis)
        except CopWidgetsError as exc:
            self.message.show(self.message.problem(exc), "error")
        else:
            self.message.clear()

    def _draw(self, analysis: ConsultationAnalysis | None = None) -> None:
        from ..charts import figures
        from ..services.analysis import ConsultationAnalysis

        self._seen = self._fingerprint()
        analysis = analysis or ConsultationAnalysis(self.store, self.consultation_id)
        statements = analysis.statements_frame
        attribute = self.attribute_picker.value or None
        language = self.language
        # The placeholders are filled after escaping: {answered} holds markup.
        submitted = esc(self.ngettext(
            "{answered} of {members} members have submitted a position on {count} "
            "statement.",
            "{answered} of {members} members have submitted a position on {count} "
            "statements.", len(statements))).format(
            answered=f"<strong>{esc(format_number(analysis.answered, language))}</strong>",
            members=esc(format_number(len(analysis.members), language)),
            count=esc(format_number(len(statements), language)))
        self.summary.value = f"<p>{submitted}</p>"
        if analysis.responses.empty or statements.empty:
            self.divergence.value = tagged(
                "p", self._("No positions submitted yet: charts appear here."))
            self.comparison.value = self.groups.value = self.weighted.value = ""
        else:
            self._figure(self.divergence,
                         figures.divergence_chart(analysis.distribution, analysis.summary,
                                                  statements, analysis.scale,
                                                  language=language),
                         self._("Agreement and divergence per statement"))
            if attribute:
                self._comparison(analysis, attribute)
            else:
                self.comparison.value = ""
            self.weighted.value = self._weighted(analysis, attribute) if attribute else ""
            self._opinion_groups(analysis)
        self._figure(self.participation,
                     figures.participation_chart(analysis.shown_members(attribute) if attribute
                                                 else analysis.members, attribute,
                                                 language=language),
                     self._("Who has been heard"))
        self._rounds(analysis)
        self.learned.value = learned_html(analysis, language=language)

    def _rounds(self, analysis: ConsultationAnalysis) -> None:
        """Draw the change between Delphi rounds (nothing when there is one round)."""
        from ..charts import figures

        rounds = analysis.rounds()
        if rounds is None:
            self.rounds.value = ""
            return
        summary, change = rounds
        self._figure(self.rounds, figures.rounds_chart(summary, change,
                                                       analysis.statements_frame,
                                                       language=self.language),
                     self._("Change between rounds"))

    def _comparison(self, analysis: ConsultationAnalysis, attribute: str) -> None:
        """Draw the comparison by ``attribute``, groups under the smallest shown merged.

        In an anonymous consultation a group of one or two answering members would show
        their stances as good as named, and leaving it out would not do: the whole
        community's figures minus the other groups' would give them. Such groups are
        merged into "(other groups)", with the smallest other group when they are too few
        together (``ConsultationAnalysis.disclosure``), and the page says so.
        """
        from ..charts import figures

        _ = self._
        smallest = analysis.smallest_group
        statements = analysis.statements_frame
        figure = figures.attribute_chart(analysis.by(attribute), statements, attribute,
                                         language=self.language)
        html = ""
        if smallest > 1:
            html += tagged("p", _(
                "The consultation is anonymous: groups with fewer than {minimum} members who "
                "answered are shown together as \u201c{other}\u201d, with the smallest other "
                "group when they are too few together, so that no one's stance can be found, "
                "even by subtraction.").format(
                    minimum=format_number(smallest, self.language), other=_(OTHER_GROUPS)))
        cruxes = analysis.cruxes(attribute, top=3)
        if len(cruxes):
            texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
            crux = _("{statement}: {high_group} {high_percent} agree, {low_group} "
                     "{low_percent}")
            items = "".join(
                "<li>" + esc(crux.format(
                    statement=texts.get(r.statement_id, r.statement_id),
                    high_group=self._group(r.group_high),
                    high_percent=self._percent(r.pct_agree_max_group),
                    low_group=self._group(r.group_low),
                    low_percent=self._percent(r.pct_agree_min_group))) + "</li>"
                for r in cruxes.itertuples())
            html += (tagged("h4", _("Statements that split the groups by {attribute} "
                                    "most").format(attribute=attribute))
                     + f"<ol>{items}</ol>")
        self._figure(self.comparison, figure,
                     _("Comparison by {attribute}").format(attribute=attribute), html)

    def _weighted(self, analysis: ConsultationAnalysis, attribute: str) -> str:
        """Raw beside results re-weighted to the roster's composition by ``attribute``."""
        from ..words.weighting import weighting_note

        weighting = analysis.weighting(attribute)
        if weighting is None:
            return ""
        result, table = weighting
        _ = self._
        statements = analysis.statements_frame
        texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
        rows = "".join(
            f"<tr><th scope='row'>{esc(texts.get(sid, sid))}</th>"
            f"<td>{esc(self._percent(r.pct_agree_raw))}</td>"
            f"<td>{esc(self._percent(r.pct_agree_weighted))}</td>"
            f"<td>{esc(self._points(r.difference))}</td></tr>"
            for sid, r in table.iterrows() if sid in texts and r.pct_agree_raw == r.pct_agree_raw)
        heads = "".join(f"<th scope='col'>{esc(h)}</th>" for h in (
            _("Statement"), _("Agree (as answered)"), _("Agree (weighted)"),
            _("Difference (points)")))
        return (tagged("h4", _("Results weighted to the roster (by {attribute})").format(
                    attribute=attribute))
                + tagged("p", weighting_note(result, language=self.language))
                + f"<table class='cop-table'><thead><tr>{heads}</tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    def _opinion_groups(self, analysis: ConsultationAnalysis) -> None:
        from ..charts import figures
        from ..words.opinion import groups_note

        _ = self._
        groups = analysis.groups()
        title = _("Opinion groups")
        if groups.note:  # why there are no groups, in the page's language
            self.groups.value = (tagged("h4", title)
                                 + tagged("p", groups_note(groups, self.language)))
            return
        html = ""
        statements = analysis.statements_frame
        texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
        for group, rows in analysis.representative(top=3).groupby("group"):
            items = "".join(
                "<li>" + esc(_("{direction}: {statement}").format(
                    direction=_(_DIRECTION_WORDS.get(r.direction, r.direction)),
                    statement=texts.get(r.statement_id, ""))) + "</li>"
                for r in rows.itertuples())
            html += (tagged("p", _("What sets group {letter} apart:").format(
                letter=chr(65 + int(group)))) + f"<ul>{items}</ul>")
        self._figure(self.groups, figures.opinion_map(groups.coords, groups.labels,
                                                      language=self.language), title, html)

    # -- live refresh -------------------------------------------------------------------

    def poll_once(self) -> bool:
        """Redraw if cards or statements changed since the last drawing; say if it did."""
        if self._fingerprint() != self._seen:
            self.refresh()
            return True
        return False

    def _on_live(self, change: Any) -> None:
        if change["new"]:
            self._stop.clear()
            self._thread = threading.Thread(target=self._poll_loop, daemon=True)
            self._thread.start()
        else:
            self._stop.set()

    def _poll_loop(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.poll_once()
            except Exception as exc:  # keep the page alive; say what went wrong
                self.message.show(self._("Live refresh stopped: {problem}").format(
                    problem=exc), "error")
                return

    def close(self) -> None:
        """Stop live refresh and close the widget."""
        self._stop.set()
        super().close()
