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
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import summary as an
from ..analysis.draft import SECTION_TITLES, SECTIONS, propose_draft
from ..errors import NotFound, ValidationError
from ..i18n import (
    DEFAULT_LANGUAGE,
    N_,
    format_number,
    format_percent,
    language_or_default,
    translator,
)
from ..model import Consultation, Development, DevelopmentKind, EndorsementKind
from ..scales import Scale, get_scale

if TYPE_CHECKING:
    from ..charts.figures import Figure
    from ..store import Store

__all__ = [
    "ROSTER_COLUMNS",
    "ALL_MEMBERS",
    "UNDER_REPRESENTED_POINTS",
    "MIN_GROUP_SIZE",
    "ENDORSEMENT_LABELS",
    "MEASURES",
    "Section",
    "ReportFigure",
    "EndorsementTally",
    "Addressee",
    "GroupParticipation",
    "Measure",
    "Methodology",
    "Report",
    "build_report",
    "member_attributes",
    "participation",
    "rule_text",
]

#: Columns of ``Store.members_frame`` that are not member attributes.
ROSTER_COLUMNS = ("member_id", "name", "email", "external_id", "invited", "responded")

#: A group whose response rate is more than this many percentage points under the overall
#: rate is flagged as under-represented.
UNDER_REPRESENTED_POINTS = 10.0

#: Groups with fewer answering members are left out of the comparison by attribute.
MIN_GROUP_SIZE = an.MIN_GROUP_SIZE

#: The group of :func:`participation` that holds the whole roster (an English msgid).
ALL_MEMBERS = N_("All members")

#: Endorsement kinds in words (English msgids), in the order exports list them.
ENDORSEMENT_LABELS: dict[str, str] = {
    EndorsementKind.ENDORSE.value: N_("Endorse"),
    EndorsementKind.CAN_LIVE_WITH.value: N_("Can live with it"),
    EndorsementKind.BLOCK.value: N_("Block"),
}


@dataclass(frozen=True)
class Measure:
    """A consensus measure used in the report, with one plain sentence about it.

    Both are English msgids, translated where they are shown.
    """

    name: str
    description: str


#: The measures reported per statement, in the order of the statement table.
MEASURES: tuple[Measure, ...] = (
    Measure(N_("Percent agreement"),
            N_("The share of stances on the agreeing levels of the scale (passes left out); "
               "Delphi studies usually call three quarters or more a consensus.")),
    Measure(N_("Median and IQR"),
            N_("The middle stance on the scale, and the interquartile range: how far apart "
               "the middle half of the stances lie (0 when they share one level).")),
    Measure(N_("Tastle & Wierman consensus"),
            N_("1 when every stance is on the same level, 0 when the stances split evenly "
               "between the two extremes; the divergence in the charts is 1 minus it.")),
    Measure(N_("van der Eijk's agreement A"),
            N_("1 when everyone chose the same level, 0 when the stances spread evenly over "
               "the scale, -1 when the community splits into two opposite camps.")),
    Measure(N_("Leik's dispersion"),
            N_("0 when every stance is on the same level, 1 when the stances split evenly "
               "between the two extremes.")),
)


@dataclass(frozen=True)
class Section:
    """One section of the joint response: its key, title and Markdown body."""

    key: str
    title: str
    markdown: str


@dataclass(frozen=True, eq=False)
class ReportFigure:
    """A chart of the report.

    Attributes
    ----------
    key : str
        Stable, file-name-safe key (``divergence``, ``attribute``, ``participation``,
        ``participation-by-attribute``); Markdown exports name image files after it.
    title : str
        Title in words, in the report's language (may name a member attribute, so escape
        it).
    figure : Figure
        The altair chart and its text alternative.

    """

    key: str
    title: str
    figure: Figure


@dataclass(frozen=True)
class EndorsementTally:
    """The members' answers to the latest saved draft, without names.

    Attributes
    ----------
    draft_version : int
        The draft answered.
    counts : dict of str to int
        Members per endorsement kind (every kind present, zero included), keyed by the
        kind's value (``endorse``, ``can_live_with``, ``block``).
    block_reasons : tuple of str
        The reasons given with each block, oldest first.
    roster : int
        Members on the roster, to say how many have not answered.

    """

    draft_version: int
    counts: dict[str, int]
    block_reasons: tuple[str, ...]
    roster: int

    @property
    def answered(self) -> int:
        """Members who answered the draft."""
        return sum(self.counts.values())

    @property
    def not_answered(self) -> int:
        """Members on the roster who have not answered the draft."""
        return max(self.roster - self.answered, 0)


@dataclass(frozen=True)
class Addressee:
    """Who asked for the community's opinion, by when, and what they asked."""

    requester: str
    deadline: dt.date
    questions: tuple[str, ...]


@dataclass(frozen=True)
class GroupParticipation:
    """Invited and responding members of one group (or of the whole roster).

    Attributes
    ----------
    attribute : str or None
        The member attribute, ``None`` for the whole roster.
    group : str
        The attribute's value (``"(not given)"`` when missing), or ``"All members"``
        (:data:`ALL_MEMBERS`); both English msgids, translated where shown.
    roster : int
        Members of the group on the roster.
    invited : int
        Members invited: an open invitation, or a submitted card (a member who answered
        was invited even if the link was later revoked).
    responded : int
        Members with a submitted card in the current round.
    rate : float
        ``responded / invited`` (``nan`` when nobody was invited).
    gap : float
        ``rate`` minus the overall rate, in percentage points (0 for the whole roster).
    under_represented : bool
        The gap is more than :data:`UNDER_REPRESENTED_POINTS` points under the overall rate.

    """

    attribute: str | None
    group: str
    roster: int
    invited: int
    responded: int
    rate: float
    gap: float
    under_represented: bool


@dataclass(frozen=True)
class Methodology:
    """How the response was reached: dates, who was heard, measures and the rule.

    Attributes
    ----------
    development_date : date or None
        When the development was announced.
    consultation_deadline : datetime or None
        When cards stopped being accepted (UTC).
    first_round_opened : datetime or None
        When the first round of cards opened (UTC).
    rounds : int
        Number of rounds; the figures describe the last one.
    exported_at : datetime
        When the export was made (the store's clock, UTC).
    statements : int
        Accepted statements on the card.
    overall : GroupParticipation
        The whole roster.
    by_attribute : dict of str to tuple of GroupParticipation
        Every member attribute, its groups by name with ``"(not given)"`` last.
    measures : tuple of Measure
        The measures reported, with a sentence each.
    rule : ConsensusRule
        The thresholds used to classify statements.
    rule_text : str
        The rule's actual values in one plain paragraph, in the report's language.
    scale : Scale
        The consultation's scale.

    """

    development_date: dt.date | None
    consultation_deadline: dt.datetime | None
    first_round_opened: dt.datetime | None
    rounds: int
    exported_at: dt.datetime
    statements: int
    overall: GroupParticipation
    by_attribute: dict[str, tuple[GroupParticipation, ...]]
    measures: tuple[Measure, ...]
    rule: an.ConsensusRule
    rule_text: str
    scale: Scale

    @property
    def under_represented(self) -> list[GroupParticipation]:
        """Every flagged group, attribute by attribute."""
        return [g for groups in self.by_attribute.values() for g in groups
                if g.under_represented]


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
    statements : DataFrame
        ``Store.statements_frame``: accepted statements in card order (numbered from 1).
    summary : DataFrame
        ``statement_summary`` of the current round, restricted to accepted statements.
    attribute : str or None
        The member attribute of the comparison (default: the first one).
    by_group : DataFrame or None
        ``by_attribute`` for ``attribute``, without groups of fewer than
        :data:`MIN_GROUP_SIZE` answering members.
    figures : tuple of ReportFigure
        Divergence, attribute comparison, participation overall and by ``attribute``;
        a chart without data to show is left out.
    endorsements : EndorsementTally or None
        Answers to the latest saved draft; ``None`` when no draft was saved.
    addressee : Addressee or None
        For a request for opinion: the requester, their deadline and questions.
    methodology : Methodology
        Dates, participation, measures and the consensus rule.
    language : str
        The language of the export (``en``, ``fr``, ``es``): the consultation's unless
        :func:`build_report` was given another.

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


def member_attributes(members: pd.DataFrame) -> list[str]:
    """Return the attribute columns of ``Store.members_frame``, in its (sorted) order."""
    return [c for c in members.columns if c not in ROSTER_COLUMNS]


def _group_labels(column: pd.Series) -> pd.Series:
    """Return each member's group as text, ``"(not given)"`` when missing or blank."""
    def label(value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return an.NOT_GIVEN
        text = str(value)
        return text if text.strip() else an.NOT_GIVEN

    return column.astype(object).map(label)


def _participation_row(frame: pd.DataFrame, attribute: str | None, group: str,
                       overall_rate: float | None) -> GroupParticipation:
    invited = int((frame["invited"].astype(bool) | frame["responded"].astype(bool)).sum())
    responded = int(frame["responded"].astype(bool).sum())
    rate = responded / invited if invited else math.nan
    if overall_rate is None:
        gap = 0.0
    else:
        gap = (rate - overall_rate) * 100 if not math.isnan(rate) else math.nan
    under = (not math.isnan(gap)) and gap < -UNDER_REPRESENTED_POINTS
    return GroupParticipation(attribute, group, len(frame), invited, responded, rate, gap,
                              under)


def participation(members: pd.DataFrame) -> tuple[GroupParticipation,
                                                  dict[str, tuple[GroupParticipation, ...]]]:
    """Return participation overall and for each group of each member attribute.

    Parameters
    ----------
    members : DataFrame
        ``Store.members_frame``.

    Returns
    -------
    overall : GroupParticipation
        The whole roster (group ``"All members"``).
    by_attribute : dict
        For each attribute, its groups by name with ``"(not given)"`` last.

    """
    overall = _participation_row(members, None, ALL_MEMBERS, None)
    base = overall.rate if not math.isnan(overall.rate) else math.nan
    result: dict[str, tuple[GroupParticipation, ...]] = {}
    for attribute in member_attributes(members):
        labels = _group_labels(members[attribute])
        names = sorted(set(labels) - {an.NOT_GIVEN})
        if (labels == an.NOT_GIVEN).any():
            names.append(an.NOT_GIVEN)
        result[attribute] = tuple(
            _participation_row(members[labels == name], attribute, name, base)
            for name in names)
    return overall, result


def rule_text(rule: an.ConsensusRule, scale: Scale, *, language: str | None = None) -> str:
    """Describe the consensus rule's actual values in plain words for ``scale``.

    ``language`` is the language of the paragraph (English by default).
    """
    _ = translator(language)
    k = len(scale.values)
    limit = rule.iqr_limit(k)
    return _(
        "A statement reaches consensus when at least {min_agree} of the stances are on one "
        "side (agreeing, or disagreeing: a consensus against it), at most {max_disagree} are "
        "on the other side, and the IQR is at most {limit} steps between adjacent levels on "
        "this {levels}-level scale ({max_iqr} on a five-point scale). Otherwise it is "
        "polarised when van der Eijk's A is below {polarised}, leaning when one side holds "
        "at least half of the stances and more than the other, and divided in every other "
        "case. Passes are counted as answers but left out of every share and measure."
    ).format(min_agree=format_percent(rule.min_agree, language),
             max_disagree=format_percent(rule.max_disagree, language),
             limit=format_number(limit, language), levels=format_number(k, language),
             max_iqr=format_number(rule.max_iqr, language),
             polarised=format_number(rule.polarised_below, language))


def _figures(scale: Scale, responses: pd.DataFrame, statements: pd.DataFrame,
             summary: pd.DataFrame, members: pd.DataFrame, attribute: str | None,
             by_group: pd.DataFrame | None, language: str) -> tuple[ReportFigure, ...]:
    from ..charts import figures

    _ = translator(language)
    result = []
    if len(summary) and len(statements):
        answered = responses[responses["statement_id"].isin(statements["statement_id"])]
        distribution = an.stance_distribution(answered, scale)
        result.append(ReportFigure(
            "divergence", _("Agreement and divergence per statement"),
            figures.divergence_chart(distribution, summary, statements, scale,
                                     language=language)))
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
                figures.participation_chart(members, attribute, language=language)))
    return tuple(result)


def _endorsements(store: Store, draft_id: int, version: int,
                  roster: int) -> EndorsementTally:
    answers = store.list_endorsements(draft_id)
    counts = {kind: 0 for kind in ENDORSEMENT_LABELS}
    for answer in answers:
        counts[answer.kind.value] += 1
    epoch = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    blocks = sorted((a for a in answers if a.kind is EndorsementKind.BLOCK),
                    key=lambda a: (a.created_at or epoch, a.id or 0))
    return EndorsementTally(version, counts, tuple(a.reason for a in blocks), roster)


def build_report(store: Store, consultation_id: int, *, attribute: str | None = None,
                 rule: an.ConsensusRule | None = None,
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
        The body is the latest saved draft (the facilitator's text, as saved); when none
        was saved, the draft proposed from the analysis in the report's language
        (``proposed`` is then true).

    Raises
    ------
    NotFound
        If the consultation does not exist.
    ValidationError
        If ``attribute`` is not an attribute of the roster.

    """
    rule = rule or an.ConsensusRule()
    consultation = store.get_consultation(consultation_id)
    development = store.get_development(consultation.development_id)
    language = language_or_default(language or consultation.language)
    _ = translator(language)
    scale = get_scale(consultation.scale)
    statements = store.statements_frame(consultation_id).reset_index(drop=True)
    responses = store.responses_frame(consultation_id)
    members = store.members_frame(consultation_id)
    rounds = store.list_rounds(consultation_id)

    attributes = member_attributes(members)
    if attribute is None:
        attribute = attributes[0] if attributes else None
    elif attribute not in attributes:
        raise ValidationError("attribute", "must be an attribute of the roster: "
                              + (", ".join(attributes) or "the roster has none"), attribute)

    summary = an.statement_summary(responses, scale, rule)
    summary = summary[summary.index.isin(statements["statement_id"])]
    by_group = None
    if attribute and len(responses):
        by_group = an.by_attribute(responses, members, attribute, scale, rule,
                                   min_group_size=MIN_GROUP_SIZE)
        by_group = by_group[by_group.index.get_level_values("statement_id")
                            .isin(statements["statement_id"])]

    try:
        draft = store.get_draft(consultation_id)
    except NotFound:
        draft = None
    if draft is None:
        body = propose_draft(development, consultation, scale, statements, summary,
                             responses, by_group=by_group, attribute=attribute,
                             language=language)
        tally = None
    else:
        body = dict(draft.sections)
        tally = _endorsements(store, draft.id, draft.version, len(members))
    sections = [Section(key, _(SECTION_TITLES[key]), body.get(key, "")) for key in SECTIONS]
    sections += [Section(key, key, text) for key, text in body.items() if key not in SECTIONS]

    addressee = None
    if development.kind is DevelopmentKind.REQUEST_FOR_OPINION:
        addressee = Addressee(development.requester, development.requester_deadline,
                              tuple(development.questions))

    overall, groups = participation(members)
    methodology = Methodology(
        development_date=development.date,
        consultation_deadline=consultation.deadline,
        first_round_opened=rounds[0].opened_at if rounds else None,
        rounds=len(rounds),
        exported_at=store.now(),
        statements=len(statements),
        overall=overall,
        by_attribute=groups,
        measures=MEASURES,
        rule=rule,
        rule_text=rule_text(rule, scale, language=language),
        scale=scale,
    )
    return Report(
        development=development,
        consultation=consultation,
        scale=scale,
        sections=tuple(sections),
        draft_version=draft.version if draft else None,
        draft_saved_at=draft.created_at if draft else None,
        proposed=draft is None,
        statements=statements,
        summary=summary,
        attribute=attribute,
        by_group=by_group,
        figures=_figures(scale, responses, statements, summary, members, attribute,
                         by_group, language),
        endorsements=tally,
        addressee=addressee,
        methodology=methodology,
        language=language,
    )
