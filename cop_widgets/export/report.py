"""Everything an export needs, gathered once from the store and the analysis.

:func:`build_report` reads the store (consultation, development, statements, answers,
roster, rounds, drafts, endorsements) and calls the analysis and chart builders; every
renderer works from the resulting :class:`Report` only. The report never holds a member's
name: the roster is reduced to counts per group, endorsements to counts per kind and the
block reasons' text.

A report has a ``language`` (the consultation's, unless :func:`build_report` is given
another): the proposed body, the consensus rule in words and the charts are written in it,
and :mod:`cop_widgets.export.document` lays the rest out in it. Constants here (endorsement
kinds, measures, section titles) are English msgids, translated where they are shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..i18n import DEFAULT_LANGUAGE, language_or_default, translator
from ..model import (
    Consultation,
    Development,
    DevelopmentKind,
    endorsement_counts,
)
from ..scales import Scale
from ..vocabulary import ALL_MEMBERS
from ..words.draft import SECTION_TITLES, SECTIONS
from .learned import Learned, learned
from .proposal import proposed_sections
from .report_parts import (
    MEASURES,
    Addressee,
    DraftStep,
    EndorsementTally,
    GroupParticipation,
    Methodology,
    ReportFigure,
    Section,
    draft_steps,
)

if TYPE_CHECKING:
    from ..analysis.summary import ConsensusRule
    from ..services.analysis import ConsultationAnalysis
    from ..store import Store

__all__ = ["Report", "build_report", "merged_groups", "participation"]


@dataclass(frozen=True, eq=False)
class Report:
    """Everything an export of one consultation needs.

    Attributes
    ----------
    development, consultation : Development, Consultation
        What is answered, and the question put to the community.
    scale : Scale
        The consultation's scale.
    sections : tuple of Section
        The body, in :data:`~cop_widgets.analysis.draft.SECTIONS` order (every section
        present, empty text when the draft left it out), then any further section the
        draft holds, in its order.
    draft_version : int or None
        Version of the saved draft the body comes from; ``None`` when proposed.
    draft_saved_at : datetime or None
        When that draft was saved.
    proposed : bool
        True when no draft was saved and the body was proposed by
        :func:`~cop_widgets.analysis.draft.propose_draft`.
    draft_shared_at, draft_finalised_at : datetime or None
        When the body's version was put to the members, and finalised (``None``: not
        yet). A finalised body is the final joint response (:attr:`final`).
    steps : tuple of DraftStep
        Every step of every version (saved, put to the members, finalised), in order.
    statements : DataFrame
        ``Store.statements_frame``: accepted statements in card order (numbered from 1).
    summary : DataFrame
        ``statement_summary`` of the current round, restricted to accepted statements.
    attribute : str or None
        The member attribute of the comparison (default: the first one).
    by_group : DataFrame or None
        ``by_attribute`` for ``attribute``, the groups as every comparison shows them: in
        an anonymous consultation, groups of fewer than :data:`MIN_GROUP_SIZE` answering
        members are merged into ``"(other groups)"`` with, if needed, a complementary one
        (:meth:`ConsultationAnalysis.disclosure`).
    figures : tuple of ReportFigure
        Divergence, attribute comparison, participation overall and by ``attribute``;
        a chart without data to show is left out.
    endorsements : EndorsementTally or None
        Answers to the version put to the members; ``None`` before one was.
    addressee : Addressee or None
        For a request for opinion: the requester, their deadline and questions.
    methodology : Methodology
        Dates, participation, measures and the consensus rule.
    language : str
        The language of the export (``en``, ``fr``, ``es``): the consultation's unless
        :func:`build_report` was given another.
    learned : Learned or None
        The discussion of reasons in counts and reasons' text (:mod:`.learned`); ``None``
        when it was never opened.

    """

    development: Development
    consultation: Consultation
    scale: Scale
    sections: tuple[Section, ...]
    draft_version: int | None
    draft_saved_at: dt.datetime | None
    proposed: bool
    statements: pd.DataFrame
    summary: pd.DataFrame
    attribute: str | None
    by_group: pd.DataFrame | None
    figures: tuple[ReportFigure, ...]
    endorsements: EndorsementTally | None
    addressee: Addressee | None
    methodology: Methodology
    language: str = DEFAULT_LANGUAGE
    draft_shared_at: dt.datetime | None = None
    draft_finalised_at: dt.datetime | None = None
    steps: tuple[DraftStep, ...] = ()
    learned: Learned | None = None

    @property
    def final(self) -> bool:
        """Whether the body is the finalised joint response (no longer a draft)."""
        return self.draft_finalised_at is not None

    def section(self, key: str) -> Section:
        """Return the section with ``key``. Raises ``KeyError``."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def figure(self, key: str) -> ReportFigure | None:
        """Return the figure with ``key``, or ``None`` when the report has none."""
        return next((f for f in self.figures if f.key == key), None)

    def statement_rows(self) -> list[tuple[int, str, pd.Series | None]]:
        """Return ``(number, text, summary row or None)`` for each statement in card order."""
        rows = []
        for number, (sid, text) in enumerate(
                zip(self.statements["statement_id"], self.statements["text"], strict=True),
                start=1):
            row = self.summary.loc[sid] if sid in self.summary.index else None
            rows.append((number, str(text), row))
        return rows


def _participation_row(attribute: str | None, group: str, row: pd.Series
                       ) -> GroupParticipation:
    return GroupParticipation(attribute, group, int(row["roster"]), int(row["invited"]),
                              int(row["responded"]), float(row["response_rate"]),
                              float(row["gap_points"]), bool(row["under_represented"]))


def participation(analysis: ConsultationAnalysis) -> tuple[
        GroupParticipation, dict[str, tuple[GroupParticipation, ...]]]:
    """Return participation overall and for each group of each member attribute.

    The groups and their ``under_represented`` flags are the analysis service's
    (:meth:`ConsultationAnalysis.representation`, one rule for every view): in an anonymous
    consultation no group under the smallest shown is listed, it is in
    ``"(other groups)"``.

    Returns
    -------
    overall : GroupParticipation
        The whole roster (group ``"All members"``, gap 0).
    by_attribute : dict
        For each attribute, its groups by name, then ``"(not given)"``, then
        ``"(other groups)"``.

    """
    overall = _participation_row(None, ALL_MEMBERS, analysis.participation)
    result = {attribute: tuple(_participation_row(attribute, str(group), row)
                               for group, row in analysis.representation(attribute).iterrows())
              for attribute in analysis.attributes}
    return overall, result


def merged_groups(analysis: ConsultationAnalysis) -> dict[str, tuple[int, int]]:
    """Return, for each attribute with merged groups, how many were small and how many more.

    From :meth:`ConsultationAnalysis.disclosure`: ``(groups under the smallest shown,
    groups merged with them so that they cannot be found by subtraction)``.
    """
    counts = {}
    for attribute in analysis.attributes:
        merge = analysis.disclosure(attribute)
        if merge.merged:
            counts[attribute] = (len(merge.primary), len(merge.complementary))
    return counts


def _figures(analysis: ConsultationAnalysis, attribute: str | None,
             language: str) -> tuple[ReportFigure, ...]:
    from ..charts import figures

    _ = translator(language)
    result = []
    statements, summary, members = (analysis.statements_frame, analysis.summary,
                                    analysis.members)
    by_group = analysis.by(attribute)
    if len(summary) and len(statements):
        result.append(ReportFigure(
            "divergence", _("Agreement and divergence per statement"),
            figures.divergence_chart(analysis.distribution, summary, statements,
                                     analysis.scale, language=language)))
        if attribute and by_group is not None and len(by_group):
            result.append(ReportFigure(
                "attribute", _("Share agreeing, by {attribute}").format(attribute=attribute),
                figures.attribute_chart(by_group, statements, attribute, language=language)))
    if len(members):
        result.append(ReportFigure("participation", _("Who has been heard"),
                                   figures.participation_chart(members, language=language)))
        if attribute:
            result.append(ReportFigure(
                "participation-by-attribute",
                _("Who has been heard, by {attribute}").format(attribute=attribute),
                figures.participation_chart(analysis.shown_members(attribute), attribute,
                                            language=language)))
    return tuple(result)


def _endorsements(analysis: ConsultationAnalysis) -> EndorsementTally | None:
    draft = analysis.latest_draft
    if draft is None:
        return None
    counts = endorsement_counts(analysis.endorsements)
    # the store's drawn order: blocks by time would link a reason to who blocked when
    return EndorsementTally(draft.version, counts, tuple(analysis.blocks),
                            len(analysis.members))


def build_report(store: Store, consultation_id: int, *, attribute: str | None = None,
                 rule: ConsensusRule | None = None,
                 language: str | None = None) -> Report:
    """Gather everything an export of a consultation needs.

    Parameters
    ----------
    store : Store
        Where the consultation lives.
    consultation_id : int
        The consultation to export.
    attribute : str, optional
        The member attribute to compare groups by; default the first attribute of the
        roster (in ``Store.members_frame`` column order), none when members have none.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.
    language : str, optional
        The language of the export (``en``, ``fr``, ``es``); by default the consultation's.
        A language without a catalogue gives English.

    Returns
    -------
    Report
        The body is the version put to the members (the final one once finalised); before
        one was, the latest version saved privately (the facilitator's text, as saved);
        when none was saved, the draft proposed from the analysis in the report's language
        (``proposed`` is then true).

    Raises
    ------
    NotFound
        If the consultation does not exist.
    ValidationError
        If ``attribute`` is not an attribute of the roster.

    """
    from ..services.analysis import ConsultationAnalysis

    analysis = ConsultationAnalysis(store, consultation_id, rule=rule)
    consultation, development = analysis.consultation, analysis.development
    language = language_or_default(language or consultation.language)
    _ = translator(language)
    attribute = analysis.attribute(attribute)
    statements = analysis.statements_frame
    rounds = analysis.round_list
    drafts = store.list_drafts(consultation_id)
    # the members' version (final, or put to them); before any, the latest saved privately
    draft = analysis.latest_draft or (drafts[-1] if drafts else None)
    body = (proposed_sections(analysis, language=language) if draft is None
            else dict(draft.sections))
    sections = [Section(key, _(SECTION_TITLES[key]), body.get(key, "")) for key in SECTIONS]
    sections += [Section(key, key, text) for key, text in body.items() if key not in SECTIONS]

    addressee = None
    if development.kind is DevelopmentKind.REQUEST_FOR_OPINION:
        addressee = Addressee(development.requester, development.requester_deadline,
                              tuple(development.questions))

    overall, groups = participation(analysis)
    methodology = Methodology(
        development_date=development.date,
        consultation_deadline=consultation.deadline,
        first_round_opened=rounds[0].opened_at if rounds else None,
        rounds=len(rounds),
        exported_at=analysis.loaded_at,
        statements=len(statements),
        overall=overall,
        by_attribute=groups,
        measures=MEASURES,
        rule=analysis.rule,
        scale=analysis.scale,
        representation_rule=analysis.representation_rule,
        smallest_group=analysis.smallest_group,
        merged_groups=merged_groups(analysis),
    )
    return Report(
        development=development,
        consultation=consultation,
        scale=analysis.scale,
        sections=tuple(sections),
        draft_version=draft.version if draft else None,
        draft_saved_at=draft.created_at if draft else None,
        proposed=draft is None,
        statements=statements,
        summary=analysis.summary,
        attribute=attribute,
        by_group=analysis.by(attribute),
        figures=_figures(analysis, attribute, language),
        endorsements=_endorsements(analysis),
        addressee=addressee,
        methodology=methodology,
        language=language,
        draft_shared_at=draft.shared_at if draft else None,
        draft_finalised_at=draft.finalised_at if draft else None,
        steps=draft_steps(drafts),
        learned=learned(analysis),
    )
