"""The facilitator's notebook API: a consultation as DataFrames and altair charts.

For a facilitator in JupyterLab who wants more than the workbench's tabs::

    from cop_widgets import open_consultation

    c = open_consultation(1)              # --db URL / $COP_WIDGETS_DB / cop-widgets.db
    c.statements                          # accepted statements, in card order
    c.positions                           # one row per member and statement answered
    c.summary()                           # counts, shares, consensus measures, class
    c.groups()                            # opinion groups: each member's group
    c.by("region")                        # the summary within each region
    c.chart("divergence")                 # an alt.Chart to restyle or compose

Everything comes from :class:`~cop_widgets.services.analysis.ConsultationAnalysis`, the
service the tabs, the CLI and the exports read, so the notebook shows the same numbers.
Charts display offline: :func:`open_consultation` switches altair from its default
renderer (HTML that loads Vega from a CDN) to the Vega-Lite mimetype that JupyterLab draws
itself. In an anonymous consultation members appear as pseudonyms (``P01``...) in an order that
says nothing about the roster.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from .services.analysis import ConsultationAnalysis
from .store import Store
from .words.opinion import groups_note

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from .analysis.summary import ConsensusRule

__all__ = ["CHARTS", "NotebookConsultation", "open_consultation"]

#: The charts :meth:`NotebookConsultation.chart` draws.
CHARTS = ("divergence", "attribute", "participation", "groups", "rounds")


def _offline_charts() -> None:
    """Show altair charts without the internet: JupyterLab draws the Vega-Lite mimetype.

    Altair's default renderer writes HTML that loads Vega from a CDN, which fails in a
    workshop room without a network; JupyterLab renders the mimetype with its own Vega. A
    renderer the user chose is left alone.
    """
    import altair as alt

    if alt.renderers.active in ("default", "html"):
        alt.renderers.enable("mimetype")


def open_consultation(consultation_id: int, db: str | Store | None = None, *,
                      rule: ConsensusRule | None = None) -> NotebookConsultation:
    """Open a consultation for analysis in a notebook.

    Parameters
    ----------
    consultation_id : int
        The consultation.
    db : str or Store, optional
        A database URL or an open store; by default ``$COP_WIDGETS_DB``, else
        ``sqlite:///cop-widgets.db`` in the working directory.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.

    Returns
    -------
    NotebookConsultation

    Raises
    ------
    NotFound
        If the consultation does not exist.

    """
    _offline_charts()
    store = db if isinstance(db, Store) else Store(db)
    return NotebookConsultation(ConsultationAnalysis(store, consultation_id, rule=rule))


class NotebookConsultation:
    """A consultation's analysis as DataFrames and charts.

    Parameters
    ----------
    analysis : ConsultationAnalysis
        The loaded consultation; :meth:`refresh` loads it again with the latest answers.

    """

    def __init__(self, analysis: ConsultationAnalysis):
        self.analysis = analysis
        self._pseudonyms: dict[int, str] | None = None

    def __repr__(self) -> str:
        c = self.analysis.consultation
        return (f"<consultation {c.id}: {c.title!r}, {len(self.analysis.statements)} "
                f"statements, {self.analysis.answered} of {len(self.analysis.members)} "
                "members answered>")

    def refresh(self) -> NotebookConsultation:
        """Load the consultation again, with the answers that arrived since; return self."""
        a = self.analysis
        self.analysis = ConsultationAnalysis(a.store, a.consultation_id, rule=a.rule)
        return self

    # -- data --------------------------------------------------------------------------

    @property
    def statements(self) -> pd.DataFrame:
        """Accepted statements in card order: ``number``, ``statement_id``, ``text``..."""
        frame = self.analysis.statements_frame.copy()
        frame.insert(0, "number", range(1, len(frame) + 1))
        return frame

    def _member_labels(self) -> dict[int, str]:
        """Member ids to what the notebook shows: the id, or a pseudonym when anonymous."""
        ids = [int(i) for i in self.analysis.members["member_id"]]
        if not self.analysis.consultation.anonymous:
            return {i: str(i) for i in ids}
        if self._pseudonyms is None:
            shuffled = list(ids)
            secrets.SystemRandom().shuffle(shuffled)
            width = max(2, len(str(len(ids))))
            self._pseudonyms = {i: f"P{n:0{width}d}" for n, i in enumerate(shuffled, 1)}
        return self._pseudonyms

    @property
    def positions(self) -> pd.DataFrame:
        """One row per member and answered statement.

        Columns ``member`` (the member's id; a pseudonym in an anonymous consultation),
        ``statement_id``, ``statement`` (its text), ``stance`` (the level, ``<NA>`` for a
        pass), ``level`` (the level in words) and ``rationale``. Sorted by member and
        statement; no name appears.
        """
        import pandas as pd

        responses = self.analysis.responses
        texts = dict(zip(self.analysis.statements_frame["statement_id"],
                         self.analysis.statements_frame["text"], strict=True))
        scale = self.analysis.scale
        labels = self._member_labels()
        frame = pd.DataFrame({
            "member": responses["member_id"].map(lambda i: labels[int(i)]),
            "statement_id": responses["statement_id"],
            "statement": responses["statement_id"].map(texts),
            "stance": responses["stance"],
            "level": [scale.label(None if pd.isna(s) else int(s))
                      for s in responses["stance"]],
            "rationale": responses.get("rationale", pd.Series([""] * len(responses))),
        })
        return frame.sort_values(["member", "statement_id"]).reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Per statement: its text, counts, shares, ordinal measures and class."""
        statements = self.statements.set_index("statement_id")[["number", "text"]]
        return statements.join(self.analysis.summary, how="left")

    def groups(self, k: int | None = None) -> pd.DataFrame:
        """Each clustered member's opinion group (``A``, ``B``...) and map position.

        Empty, with the reason in ``DataFrame.attrs["note"]``, when there are no groups.
        """
        import pandas as pd

        groups = self.analysis.groups(k)
        labels = self._member_labels()
        if groups.note is not None:
            frame = pd.DataFrame(columns=["member", "group", "x", "y"])
            frame.attrs["note"] = groups_note(groups)
            return frame
        clustered = groups.labels.dropna()
        coords = groups.coords.set_index("member_id").reindex(clustered.index)
        frame = pd.DataFrame({
            "member": [labels.get(int(i), str(i)) for i in clustered.index],
            "group": [chr(65 + int(g)) for g in clustered],
            "x": coords["x"].to_numpy(), "y": coords["y"].to_numpy(),
        })
        return frame.sort_values(["group", "member"]).reset_index(drop=True)

    def by(self, attribute: str | None = None) -> pd.DataFrame | None:
        """Return the summary within each group of ``attribute`` (default: the first one).

        In an anonymous consultation, groups with fewer answering members than the
        consultation shows are merged into ``"(other groups)"`` (with the smallest other
        group when they are too few together), as in every view.
        """
        return self.analysis.by(attribute)

    def representation(self, attribute: str | None = None) -> pd.DataFrame:
        """Return who answered against who is on the roster, by group, with the flags.

        The groups are those of :meth:`by`: small groups merged into ``"(other groups)"``
        in an anonymous consultation, that row flagged when any group in it is.
        """
        return self.analysis.representation(attribute)

    # -- charts ------------------------------------------------------------------------

    def chart(self, kind: str = "divergence", attribute: str | None = None,
              language: str | None = None) -> alt.TopLevelMixin:
        """Return one of the workbench's charts as an altair chart.

        Parameters
        ----------
        kind : str
            One of :data:`CHARTS`.
        attribute : str, optional
            For ``attribute`` and ``participation``: the member attribute (default: the
            first one).
        language : str, optional
            Language of the labels; the consultation's by default.

        Raises
        ------
        ValueError
            If ``kind`` is not one of :data:`CHARTS`, or there is nothing to draw.

        """
        from .charts.figures.opinion import opinion_map
        from .charts.figures.participation import participation_chart
        from .charts.figures.rounds import rounds_chart
        from .charts.figures.stances import attribute_chart, divergence_chart

        a = self.analysis
        language = language or a.consultation.language
        if kind == "divergence":
            figure = divergence_chart(a.distribution, a.summary, a.statements_frame, a.scale,
                                      language=language)
        elif kind == "attribute":
            attribute = a.attribute(attribute)
            by_group = a.by(attribute)
            if by_group is None:
                raise ValueError("chart 'attribute': there is no attribute or no answer")
            figure = attribute_chart(by_group, a.statements_frame, attribute,
                                     language=language)
        elif kind == "participation":
            attribute = a.attribute(attribute)
            figure = participation_chart(a.shown_members(attribute) if attribute
                                         else a.members, attribute, language=language)
        elif kind == "groups":
            groups = a.groups()
            if groups.note is not None:
                raise ValueError(f"chart 'groups': {groups_note(groups)}")
            figure = opinion_map(groups.coords, groups.labels, language=language)
        elif kind == "rounds":
            rounds = a.rounds()
            if rounds is None:
                raise ValueError("chart 'rounds': the consultation has had one round")
            figure = rounds_chart(*rounds, a.statements_frame, language=language)
        else:
            raise ValueError(f"kind must be one of {', '.join(CHARTS)}, not {kind!r}")
        return figure.chart
