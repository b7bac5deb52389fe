"""One consultation, loaded once and analysed once: what every view reads.

The CLI (``cop-widgets analyze``), the Divergence tab, the drafting desk's proposal, the
exports and the facilitator's notebook API (:func:`cop_widgets.open_consultation`) all read
a :class:`ConsultationAnalysis`, so they cannot disagree on which statements count, which
groups are shown, which groups are under-represented, or what the opinion groups are.

The rules it applies, each decided in one place:

- statements: the accepted ones are analysed; rejected and withdrawn ones stay in the
  vote matrix as Pol.is's ``mod-out`` columns (zeros that move nobody but count in each
  member's number of answers); pending proposals are left out everywhere;
- the smallest group shown: :func:`cop_widgets.model.policies.smallest_group_shown`
  (anonymity decides); groups under it are merged into ``"(other groups)"``, with a
  complementary group when they are too few together
  (:func:`cop_widgets.analysis.disclosure.merge_small_groups`), once per attribute
  (:meth:`ConsultationAnalysis.disclosure`), and every comparison by group reads the roster
  so merged (:meth:`ConsultationAnalysis.shown_members`): the summary by group, the cruxes,
  the participation by group and the weighting;
- under-representation: :class:`cop_widgets.model.policies.RepresentationRule`;
- the default attribute: the first attribute column of the roster.

Analysis returns numbers and codes; the sentences are written by the presentation layer.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from .. import model as m
from ..errors import ValidationError
from ..model.policies import RepresentationRule, smallest_group_shown
from ..scales import get_scale
from .vote_matrix import moderated_matrix, polis_vote_matrix

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.disclosure import GroupMerge
    from ..analysis.opinion import OpinionGroups, VoteMatrix
    from ..analysis.summary import ConsensusRule
    from ..analysis.weighting import WeightingResult
    from ..store import Store
    from .deliberation import DiscussionAnalysis

__all__ = ["ConsultationAnalysis", "polis_vote_matrix"]

class ConsultationAnalysis:
    """A consultation loaded once, with every analysis the views show.

    Parameters
    ----------
    store : Store
        Where the consultation is.
    consultation_id : int
        The consultation.
    rule : ConsensusRule, optional
        Classification thresholds; the defaults when omitted.
    round_number : int, optional
        The Delphi round to analyse; the current (latest) one by default.

    Attributes
    ----------
    consultation : Consultation
    development : Development
    scale : Scale
    statements : list of Statement
        The accepted statements, in card order.
    statements_frame : DataFrame
        ``statement_id``, ``text``, ``external_id``, ``position`` of the accepted statements.
    responses : DataFrame
        Each member's latest submitted stance on each accepted statement (as
        ``Store.responses_frame``).
    members : DataFrame
        ``Store.members_frame``: the roster with ``invited`` and ``responded``.
    attributes : list of str
        The roster's attribute columns.
    default_attribute : str or None
        The first of ``attributes``: what the views compare by unless told otherwise.
    smallest_group : int
        The smallest group of answering members any comparison shows; smaller groups are
        merged (:meth:`disclosure`).
    representation_rule : RepresentationRule
        When a group counts as under-represented.
    loaded_at : datetime
        When it was loaded (the store's clock, UTC).

    Raises
    ------
    NotFound
        If the consultation does not exist.

    """

    def __init__(self, store: Store, consultation_id: int, *,
                 rule: ConsensusRule | None = None, round_number: int | None = None):
        from ..analysis.representation import attribute_columns
        from ..analysis.summary import ConsensusRule

        self.store = store
        self.consultation = store.get_consultation(consultation_id)
        self.development = store.get_development(self.consultation.development_id)
        self.scale = get_scale(self.consultation.scale)
        self.rule = rule or ConsensusRule()
        self.round_number = round_number
        self._all_statements = store.list_statements(consultation_id, states=None)
        self.statements = [s for s in self._all_statements
                           if s.moderation is m.ModerationState.ACCEPTED]
        self.members = store.members_frame(consultation_id)
        self.attributes = attribute_columns(self.members)
        self.default_attribute = self.attributes[0] if self.attributes else None
        self.smallest_group = smallest_group_shown(self.consultation)
        self.loaded_at = store.now()
        self.representation_rule = RepresentationRule()
        self._by: dict[str, pd.DataFrame] = {}
        self._merges: dict[str, GroupMerge] = {}
        self._groups: dict[int | None, OpinionGroups] = {}

    # -- what was loaded ------------------------------------------------------------------

    @property
    def consultation_id(self) -> int:
        """The consultation's id."""
        return int(self.consultation.id)

    @cached_property
    def statements_frame(self) -> pd.DataFrame:
        """The accepted statements: ``statement_id``, ``text``, ``external_id``, ``position``."""
        from ..store.frames import statements_table

        return statements_table(self.statements)

    @cached_property
    def _all_responses(self) -> pd.DataFrame:
        """Every latest submitted stance in the round, moderated-out statements included.

        Read on first use: a view of the roster alone (the Participation tab) never pays
        for reading the answers.
        """
        return self.store.responses_frame(self.consultation_id, self.round_number)

    def _on_accepted(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Keep the rows of ``frame`` about accepted statements."""
        accepted = [s.id for s in self.statements]
        return frame[frame["statement_id"].isin(accepted)].reset_index(drop=True)

    @cached_property
    def responses(self) -> pd.DataFrame:
        """The latest submitted stances on the accepted statements."""
        return self._on_accepted(self._all_responses)

    @property
    def answered(self) -> int:
        """How many members have submitted a card in the analysed round."""
        return int(self.members["responded"].sum()) if len(self.members) else 0

    def attribute(self, name: str | None = None) -> str | None:
        """Return ``name`` checked against the roster, or the default attribute.

        Raises
        ------
        ValidationError
            If ``name`` is not an attribute of the roster.

        """
        if name is None:
            return self.default_attribute
        if name not in self.attributes:
            if not self.attributes:
                raise ValidationError("attribute", "no-attributes", name)
            raise ValidationError("attribute", "not-an-attribute", name,
                                  attributes=", ".join(self.attributes))
        return name

    # -- per statement ---------------------------------------------------------------------

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per accepted statement: counts, shares, ordinal measures and class.

        Indexed by ``statement_id``; a statement nobody answered has no row. The ordinal
        measures are computed on the scale's ordinal levels only; the options that are
        categories of their own (Kaner's "Abstain" and "More discussion needed") and the
        pass are counted apart as shares of all answers, and a statement where members
        ask for more discussion has the class ``"more discussion"``
        (:mod:`cop_widgets.analysis.summary`). Every view writes its classes and shares
        from this one table, with the words of :mod:`cop_widgets.words.stances`.
        """
        from ..analysis.summary import statement_summary

        return statement_summary(self.responses, self.scale, self.rule)

    @cached_property
    def distribution(self) -> pd.DataFrame:
        """Answers on each level of each accepted statement, in long format."""
        from ..analysis.summary import stance_distribution

        return stance_distribution(self.responses, self.scale)

    # -- by roster group --------------------------------------------------------------------

    def disclosure(self, attribute: str | None = None) -> GroupMerge:
        """Return which groups of ``attribute`` are shown by name, and which are merged.

        Groups with fewer than :attr:`smallest_group` members who answered (counted both as
        members with a submitted card and as members with an answer in :attr:`responses`)
        are merged into ``"(other groups)"``, with the smallest group shown when they are
        too few together (:func:`cop_widgets.analysis.disclosure.merge_small_groups`).
        Every comparison by ``attribute`` shows these groups. In a consultation that is not
        anonymous every group is shown, and the answers are not read for it.

        Raises
        ------
        ValidationError
            If there is no attribute, or ``attribute`` is not one of the roster's.

        """
        from ..analysis.disclosure import group_sizes, merge_small_groups

        attribute = self.attribute(attribute)
        if attribute is None:
            raise ValidationError("attribute", "no-attributes")
        if attribute not in self._merges:
            answering = (self.responses["member_id"] if self.smallest_group > 1 else None)
            sizes = group_sizes(self.members, attribute, answering)
            self._merges[attribute] = merge_small_groups(sizes, self.smallest_group)
        return self._merges[attribute]

    def shown_members(self, attribute: str | None = None) -> pd.DataFrame:
        """Return :attr:`members` with the groups of ``attribute`` as they are shown.

        Each member's value of ``attribute`` is their group's label in :meth:`disclosure`
        (their group, or ``"(other groups)"``); :attr:`members` itself when no group is
        merged. Charts and tables by group draw from this frame.
        """
        from ..analysis.disclosure import merged_members

        merge = self.disclosure(attribute)
        if not merge.merged:
            return self.members
        return merged_members(self.members, self.attribute(attribute), merge.labels)

    def by(self, attribute: str | None = None) -> pd.DataFrame | None:
        """Return the per-statement summary within each group of ``attribute``.

        The groups are those of :meth:`disclosure`: groups with fewer answering members
        than :attr:`smallest_group` are merged into ``"(other groups)"``, never shown alone.
        ``None`` when there is no attribute or no answer.
        """
        from ..analysis.summary import by_attribute

        attribute = self.attribute(attribute)
        if attribute is None or self.responses.empty:
            return None
        if attribute not in self._by:
            self._by[attribute] = by_attribute(self.responses, self.shown_members(attribute),
                                               attribute, self.scale, self.rule)
        return self._by[attribute]

    def cruxes(self, attribute: str | None = None, top: int | None = None) -> pd.DataFrame:
        """Return the statements that split the groups of ``attribute`` most.

        The groups are those of :meth:`disclosure`; a group counts on a statement when at
        least :attr:`smallest_group` of its members took a stance on it.
        """
        from ..analysis.summary import cruxes

        attribute = self.attribute(attribute)
        if attribute is None:
            raise ValidationError("attribute", "no-attributes")
        return cruxes(self.responses, self.shown_members(attribute), attribute, self.scale,
                      top=top, min_group_size=self.smallest_group)

    def representation(self, attribute: str | None = None) -> pd.DataFrame:
        """Return who answered against who is on the roster, by group of ``attribute``.

        The groups are those of :meth:`disclosure`. The ``under_represented`` column
        follows :attr:`representation_rule`; the merged ``"(other groups)"`` row is flagged
        when it, or any group merged into it, is under-represented.
        """
        from ..analysis.representation import representation

        merge = self.disclosure(attribute)
        return representation(self.members, self.attribute(attribute),
                              self.representation_rule, labels=merge.labels)

    @cached_property
    def participation(self) -> pd.Series:
        """Participation of the whole roster (columns of :meth:`representation`)."""
        from ..analysis.representation import representation_overall

        return representation_overall(self.members)

    def under_represented(self) -> dict[str, list[str]]:
        """Return, for each attribute, the groups flagged as under-represented.

        Groups as :meth:`representation` shows them: a merged group is
        ``"(other groups)"``, never its own name.
        """
        flagged = {}
        for attribute in self.attributes:
            table = self.representation(attribute)
            flagged[attribute] = [str(g) for g in table.index[table["under_represented"]]]
        return flagged

    def weighting(self, attribute: str | None = None
                  ) -> tuple[WeightingResult, pd.DataFrame] | None:
        """Return the post-stratification weights by ``attribute`` and raw vs weighted.

        The cells are the groups of :meth:`disclosure`: with a small group as a cell of its
        own, the raw and weighted figures side by side would give its figures away.
        ``None`` when there is no attribute or no answer.
        """
        from ..analysis.weighting import compare_raw_weighted, poststratification_weights

        attribute = self.attribute(attribute)
        if attribute is None or self.responses.empty:
            return None
        members = self.shown_members(attribute)
        result = poststratification_weights(
            members, attribute, respondents=self.responses["member_id"].unique())
        return result, compare_raw_weighted(self.responses, members, attribute, self.scale)

    # -- opinion groups --------------------------------------------------------------------

    @cached_property
    def matrix(self) -> VoteMatrix:
        """The vote matrix under Pol.is's moderation rule (see the module's notes)."""
        return moderated_matrix(self._all_statements, self._all_responses, self.scale,
                                self.members)

    def groups(self, k: int | None = None) -> OpinionGroups:
        """Return the opinion groups (``k`` chosen by silhouette when omitted)."""
        from ..analysis.opinion import opinion_groups

        if k not in self._groups:
            self._groups[k] = opinion_groups(self.matrix, k=k)
        return self._groups[k]

    def representative(self, k: int | None = None, top: int | None = None) -> pd.DataFrame:
        """Return what sets each opinion group apart (empty when there are no groups)."""
        import pandas as pd

        from ..analysis.opinion import representative_statements

        groups = self.groups(k)
        if groups.note is not None:
            return pd.DataFrame(columns=["group", "statement_id", "direction", "repness",
                                         "z", "significant"])
        kwargs: dict[str, Any] = {} if top is None else {"top": top}
        return representative_statements(self.matrix, groups, **kwargs)

    def consensus(self, k: int | None = None) -> pd.Series | None:
        """Return the group-informed consensus of each statement (``None`` without groups)."""
        from ..analysis.opinion import group_informed_consensus

        groups = self.groups(k)
        if groups.note is not None:
            return None
        return group_informed_consensus(self.matrix, groups)

    # -- the joint response ----------------------------------------------------------------

    @cached_property
    def latest_draft(self) -> m.Draft | None:
        """The latest saved version of the joint response, ``None`` before the first."""
        from ..errors import NotFound

        try:
            return self.store.get_draft(self.consultation_id)
        except NotFound:
            return None

    @cached_property
    def endorsements(self) -> list[m.Endorsement]:
        """The members' answers to the latest draft (none without a draft)."""
        draft = self.latest_draft
        return [] if draft is None else self.store.list_endorsements(draft.id)

    @cached_property
    def rationales(self) -> dict[int, list[str]]:
        """Reasons under each accepted statement, in the store's order.

        That order is drawn from the consultation's secret per statement, never submission
        or roster order, so the k-th reasons of two statements link nobody.
        """
        reasons = self.store.list_rationales(self.consultation_id, self.round_number)
        accepted = {s.id for s in self.statements}
        return {sid: texts for sid, texts in reasons.items() if sid in accepted}

    @property
    def blocks(self) -> list[str]:
        """Reasons of the blocks given to the latest draft, in the store's order.

        That order is drawn from the consultation's secret per draft: neither time nor
        roster order.
        """
        return [e.reason for e in self.endorsements if e.kind is m.EndorsementKind.BLOCK]

    @cached_property
    def discussion(self) -> DiscussionAnalysis:
        """The discussion phase: bridging reasons and opinion change (issue 13)."""
        from .deliberation import DiscussionAnalysis

        return DiscussionAnalysis(self)

    # -- rounds ----------------------------------------------------------------------------

    @cached_property
    def round_list(self) -> list[m.Round]:
        """The consultation's rounds, first first."""
        return self.store.list_rounds(self.consultation_id)

    def rounds(self) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """Return the summary of every round and the change between the last two.

        ``None`` when the consultation has had one round.
        """
        from ..analysis.rounds import round_change, rounds_summary

        numbers = [r.number for r in self.round_list]
        if len(numbers) < 2:
            return None
        analysed = self.round_number or numbers[-1]  # its answers are loaded already
        frames = {n: self.responses if n == analysed else self._on_accepted(
                      self.store.responses_frame(self.consultation_id, n))
                  for n in numbers}
        return (rounds_summary(frames, self.scale),
                round_change(frames[numbers[-2]], frames[numbers[-1]]))
