"""The facilitator's live divergence dashboard: where the community agrees and splits."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..errors import CopWidgetsError
from .common import Message, esc

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DivergenceDashboard", "figure_html"]


def figure_html(figure: Any, title: str = "") -> str:
    """Return a chart as inline SVG with its text alternative as the caption.

    The SVG is rendered offline by vl-convert (which escapes text); the caption is escaped
    here. Screen readers read the caption; the drawing itself is marked decorative.
    """
    from ..charts.render import to_svg

    heading = f"<h4>{esc(title)}</h4>" if title else ""
    return (f'<figure class="cop-figure" style="margin:0 0 1em 0">{heading}'
            f'<div aria-hidden="true" style="overflow-x:auto">{to_svg(figure.chart)}</div>'
            f"<figcaption>{esc(figure.text)}</figcaption></figure>")


class DivergenceDashboard(w.VBox):
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

    Attributes
    ----------
    attribute_picker : ipywidgets.Dropdown
        Member attribute for the comparison and the participation chart.
    refresh_button : ipywidgets.Button
        Redraws now.
    live : ipywidgets.Checkbox
        When ticked, redraws by itself when new cards arrive.
    summary, divergence, comparison, groups, participation : ipywidgets.HTML
        The sections.
    """

    def __init__(self, store: Store, consultation_id: int, attribute: str | None = None,
                 poll_seconds: float = 5.0):
        super().__init__()
        self.store = store
        self.consultation_id = consultation_id
        self.poll_seconds = poll_seconds
        self.message = Message()
        self.attribute_picker = w.Dropdown(description="Compare by",
                                           style={"description_width": "initial"})
        self.refresh_button = w.Button(description="Refresh", icon="refresh",
                                       tooltip="Redraw the charts with the latest answers")
        self.live = w.Checkbox(value=False, description="Refresh by itself as cards arrive",
                               style={"description_width": "initial"}, indent=False)
        self.summary, self.divergence = w.HTML(), w.HTML()
        self.comparison, self.groups, self.participation = w.HTML(), w.HTML(), w.HTML()
        self.rounds = w.HTML()
        self.weighted = w.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.attribute_picker.observe(lambda _c: self.refresh(), names="value")
        self.live.observe(self._on_live, names="value")
        self._seen: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.children = [
            w.HBox([self.attribute_picker, self.refresh_button, self.live]),
            self.message, self.summary, self.divergence, self.rounds, self.comparison,
            self.weighted, self.groups, self.participation,
        ]
        self.add_class("cop-dashboard")
        self._load_attributes(attribute)
        self.refresh()

    def _load_attributes(self, attribute: str | None) -> None:
        names = sorted({k for mb in self.store.list_members(self.consultation_id)
                        for k in mb.attributes})
        self.attribute_picker.options = [("(nothing)", "")] + [(n, n) for n in names]
        self.attribute_picker.value = attribute if attribute in names else (
            names[0] if names else "")

    # -- drawing ------------------------------------------------------------------------

    def _fingerprint(self) -> tuple[int, int]:
        return (self.store.count_cards(self.consultation_id),
                len(self.store.list_statements(self.consultation_id)))

    def refresh(self) -> None:
        """Read the latest answers and redraw every section."""
        try:
            self._draw()
        except CopWidgetsError as exc:
            self.message.show(str(exc), "error")
        else:
            self.message.clear()

    def _draw(self) -> None:
        from ..analysis import summary as an
        from ..charts import figures
        from ..scales import get_scale

        store, cid = self.store, self.consultation_id
        self._seen = self._fingerprint()
        consultation = store.get_consultation(cid)
        scale = get_scale(consultation.scale)
        responses = store.responses_frame(cid)
        statements = store.statements_frame(cid)
        members = store.members_frame(cid)
        attribute = self.attribute_picker.value or None
        summary = an.statement_summary(responses, scale)
        summary = summary[summary.index.isin(statements["statement_id"])]
        answered = int(members["responded"].sum()) if len(members) else 0
        self.summary.value = (f"<p><strong>{answered}</strong> of {len(members)} members "
                              f"have submitted a position on {len(statements)} statements."
                              "</p>")
        if responses.empty or statements.empty:
            self.divergence.value = "<p>No positions submitted yet: charts appear here.</p>"
            self.comparison.value = self.groups.value = ""
        else:
            distribution = an.stance_distribution(responses, scale)
            self.divergence.value = figure_html(
                figures.divergence_chart(distribution, summary, statements, scale),
                "Agreement and divergence per statement")
            self.comparison.value = (self._comparison(an, figures, responses, members,
                                                      statements, scale, attribute)
                                     if attribute else "")
            self.weighted.value = (self._weighted(responses, members, statements, scale,
                                                  attribute) if attribute else "")
            self.groups.value = self._opinion_groups(responses, statements, scale)
        self.participation.value = figure_html(
            figures.participation_chart(members, attribute), "Who has been heard")
        self.rounds.value = self._rounds(scale, statements)

    def _rounds(self, scale, statements) -> str:
        """Draw the change between Delphi rounds (nothing when there is one round)."""
        from ..analysis.rounds import round_change, rounds_summary
        from ..charts import figures

        numbers = [r.number for r in self.store.list_rounds(self.consultation_id)]
        if len(numbers) < 2:
            return ""
        frames = {n: self.store.responses_frame(self.consultation_id, n) for n in numbers}
        change = round_change(frames[numbers[-2]], frames[numbers[-1]])
        return figure_html(figures.rounds_chart(rounds_summary(frames, scale), change,
                                                statements), "Change between rounds")

    @staticmethod
    def _comparison(an, figures, responses, members, statements, scale, attribute) -> str:
        by_group = an.by_attribute(responses, members, attribute, scale)
        html = figure_html(figures.attribute_chart(by_group, statements, attribute),
                           f"Comparison by {attribute}")
        cruxes = an.cruxes(responses, members, attribute, scale, top=3)
        if len(cruxes):
            texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
            items = "".join(
                f"<li>{esc(texts.get(r.statement_id, r.statement_id))}: "
                f"{esc(r.group_high)} {100 * r.pct_agree_max_group:.0f}% agree, "
                f"{esc(r.group_low)} {100 * r.pct_agree_min_group:.0f}%</li>"
                for r in cruxes.itertuples())
            html += (f"<h4>Statements that split the groups by {esc(attribute)} most</h4>"
                     f"<ol>{items}</ol>")
        return html

    @staticmethod
    def _weighted(responses, members, statements, scale, attribute) -> str:
        """Raw beside results re-weighted to the roster's composition by ``attribute``."""
        from ..analysis.representation import (
            compare_raw_weighted,
            poststratification_weights,
            weighting_note,
        )

        result = poststratification_weights(members, attribute,
                                            respondents=responses["member_id"].unique())
        table = compare_raw_weighted(responses, members, attribute, scale)
        texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
        rows = "".join(
            f"<tr><th scope='row'>{esc(texts.get(sid, sid))}</th>"
            f"<td>{100 * r.pct_agree_raw:.0f}%</td><td>{100 * r.pct_agree_weighted:.0f}%</td>"
            f"<td>{100 * r.difference:+.0f}</td></tr>"
            for sid, r in table.iterrows() if sid in texts and r.pct_agree_raw == r.pct_agree_raw)
        return (f"<h4>Results weighted to the roster (by {esc(attribute)})</h4>"
                f"<p>{esc(weighting_note(result))}</p>"
                "<table class='cop-table'><thead><tr><th scope='col'>Statement</th>"
                "<th scope='col'>Agree (as answered)</th><th scope='col'>Agree (weighted)</th>"
                "<th scope='col'>Difference (points)</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    def _opinion_groups(self, responses, statements, scale) -> str:
        try:
            from ..analysis import opinion
        except ImportError:  # opinion groups not available in this build
            return ""
        from ..charts import figures

        matrix = opinion.vote_matrix(responses, scale)
        groups = opinion.opinion_groups(matrix)
        if groups.note:
            return f"<h4>Opinion groups</h4><p>{esc(groups.note)}</p>"
        html = figure_html(figures.opinion_map(groups.coords, groups.labels), "Opinion groups")
        repness = opinion.representative_statements(matrix, groups, top=3)
        texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
        for group, rows in repness.groupby("group"):
            items = "".join(
                f"<li>{esc(r.direction)}: {esc(texts.get(r.statement_id, ''))}</li>"
                for r in rows.itertuples())
            html += f"<p>What sets group {chr(65 + int(group))} apart:</p><ul>{items}</ul>"
        return html

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
                self.message.show(f"Live refresh stopped: {exc}", "error")
                return

    def close(self) -> None:
        """Stop live refresh and close the widget."""
        self._stop.set()
        super().close()
