"""What a member or visitor sees of a consultation's results, read once and without pandas.

Member and results pages run in a kernel per visitor, so they must start fast and must not
import pandas or altair. This light reading gives the same figures as
:class:`~cop_widgets.services.analysis.ConsultationAnalysis` (accepted statements, each
member's latest submitted card in the round; ``tests/test_consistency.py`` checks both
agree); who may see it is :func:`cop_widgets.model.policies.results_visible`.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ..scales import Scale, get_scale

if TYPE_CHECKING:
    from .. import model as m
    from ..store import Store

__all__ = ["PublishedResults", "published_results"]


class PublishedResults:
    """A consultation's results as the member and results pages show them.

    Each part is read from the store when first asked for, so a page pays only for what
    it shows (the member page shows the counts, not the reasons).

    Parameters
    ----------
    store : Store
        Where the consultation is.
    consultation : Consultation
        The consultation.
    round_number : int, optional
        The round; the current one by default.

    Attributes
    ----------
    scale : Scale
        The consultation's scale.
    statements : list of Statement
        The accepted statements, in card order.

    """

    def __init__(self, store: Store, consultation: m.Consultation,
                 round_number: int | None = None):
        self._store, self._id, self._round = store, consultation.id, round_number
        self.scale: Scale = get_scale(consultation.scale)
        self.statements = store.list_statements(consultation.id)
        self._accepted = {s.id for s in self.statements}

    @cached_property
    def counts(self) -> dict[int, dict[int | None, int]]:
        """Count each member's latest submitted stance, per accepted statement.

        ``{statement_id: {stance: count}}``, the pass counted under ``None``.
        """
        counts = self._store.stance_counts(self._id, self._round)
        return {sid: c for sid, c in counts.items() if sid in self._accepted}

    @cached_property
    def answered(self) -> int:
        """Members with a submitted card in the round."""
        return self._store.count_respondents(self._id, self._round)

    @cached_property
    def roster(self) -> int:
        """Members on the roster."""
        return len(self._store.list_members(self._id))

    @cached_property
    def reasons(self) -> dict[int, list[str]]:
        """The reasons given under each accepted statement (never with a name)."""
        reasons = self._store.list_rationales(self._id, self._round)
        return {sid: r for sid, r in reasons.items() if sid in self._accepted}


def published_results(store: Store, consultation: m.Consultation,
                      round_number: int | None = None) -> PublishedResults:
    """Return the results of ``consultation`` (round ``round_number``, else the current one).

    Nothing here decides who may see them: ask
    :func:`~cop_widgets.model.policies.results_visible` first.
    """
    return PublishedResults(store, consultation, round_number)
