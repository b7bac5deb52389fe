"""The parts of an export's report: sections, figures, tallies, participation, methodology.

Sections, figures, the endorsement tally, who asked, who was heard, and how the response
was reached: everything :class:`~cop_widgets.export.report.Report` holds besides tables.

Constants here (endorsement kinds, measures) are English msgids, translated where shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import N_

if TYPE_CHECKING:
    from ..analysis.summary import ConsensusRule
    from ..charts.figures import Figure
    from ..model.policies import RepresentationRule
    from ..scales import Scale

__all__ = [
    "MEASURES",
    "Addressee",
    "DraftStep",
    "EndorsementTally",
    "GroupParticipation",
    "Measure",
    "Methodology",
    "ReportFigure",
    "STEP_WORDS",
    "Section",
    "draft_steps",
]

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


#: The steps of a version of the joint response, in words (English msgids).
STEP_WORDS: dict[str, str] = {
    "saved": N_("saved privately by the facilitator"),
    "shared": N_("put to the members: endorsement opened"),
    "finalised": N_("finalised: endorsement closed, the answers are final"),
}


@dataclass(frozen=True)
class DraftStep:
    """One step of a version of the joint response: when it was taken.

    Attributes
    ----------
    version : int
        The version.
    step : str
        ``saved``, ``shared`` (put to the members) or ``finalised``: a key of
        :data:`STEP_WORDS`.
    moment : datetime
        When.

    """

    version: int
    step: str
    moment: dt.datetime


def draft_steps(drafts: list) -> tuple[DraftStep, ...]:
    """Return every step of every version in ``drafts`` (:class:`~cop_widgets.model.Draft`).

    In the order they were taken; steps at the same moment in the order saved, put to the
    members, finalised, and by version.
    """
    order = {key: i for i, key in enumerate(STEP_WORDS)}
    steps = [DraftStep(d.version, step, moment) for d in drafts
             for step, moment in (("saved", d.created_at), ("shared", d.shared_at),
                                  ("finalised", d.finalised_at)) if moment is not None]
    return tuple(sorted(steps, key=lambda s: (s.moment, order[s.step], s.version)))


@dataclass(frozen=True)
class EndorsementTally:
    """The members' answers to the version put to them, without names.

    Attributes
    ----------
    draft_version : int
        The draft answered.
    counts : dict of str to int
        Members per endorsement kind (every kind present, zero included), keyed by the
        kind's value (``endorse``, ``can_live_with``, ``block``).
    block_reasons : tuple of str
        The reasons given with each block, in the store's drawn order (not time order).
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
        The attribute's value (``"(not given)"`` when missing), ``"(other groups)"`` for the
        groups too small to be shown alone in an anonymous consultation, or
        ``"All members"`` (:data:`ALL_MEMBERS`); the three are English msgids, translated
        where shown.
    roster : int
        Members of the group on the roster.
    invited : int
        Members invited: an open invitation, or a submitted card (a member who answered
        was invited even if the link was later revoked).
    responded : int
        Members with a submitted card in the current round.
    rate : float
        ``responded / roster``: the group's response rate.
    gap : float
        The group's share of those who answered minus its share of the roster, in
        percentage points (0 for the whole roster; ``nan`` while nobody answered).
    under_represented : bool
        Flagged by :class:`~cop_widgets.model.policies.RepresentationRule`.

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
        Every member attribute, its groups as every comparison shows them: by name, then
        ``"(not given)"``, then ``"(other groups)"``.
    measures : tuple of Measure
        The measures reported, with a sentence each.
    rule : ConsensusRule
        The thresholds used to classify statements.
    scale : Scale
        The consultation's scale.
    representation_rule : RepresentationRule
        When a group counts as under-represented.
    smallest_group : int
        The smallest group of answering members a comparison shows.
    merged_groups : dict of str to tuple of (int, int)
        For each attribute with merged groups: how many groups were under
        ``smallest_group`` and how many more were merged with them so that they cannot be
        found by subtraction (:func:`cop_widgets.analysis.disclosure.merge_small_groups`).
        Counts only: the merged groups are never named.

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
    rule: ConsensusRule
    scale: Scale
    representation_rule: RepresentationRule
    smallest_group: int
    merged_groups: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def under_represented(self) -> list[GroupParticipation]:
        """Every flagged group, attribute by attribute."""
        return [g for groups in self.by_attribute.values() for g in groups
                if g.under_represented]


