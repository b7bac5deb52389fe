"""What a member or visitor sees of a consultation's results, read once and without pandas.

Member and results pages run in a kernel per visitor, so they must start fast and must not
import pandas or altair. This light reading gives the same figures as
:class:`~cop_widgets.services.analysis.ConsultationAnalysis` (accepted statements, each
member's latest submitted card in the round; ``tests/test_consistency.py`` checks both
agree); who may see it is :func:`cop_widgets.model.policies.results_visible`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..scales import Scale, get_scale

if TYPE_CHECKING:
    from .. import model as m
    from ..store import Store

__all__ = ["PublishedResults", "published_results"]


@dataclass(frozen=True)
class PublishedResults:
    """A consultation's results as the member and results pages show them.

    Attributes
    ----------
    scale : Scale
        The consultation's scale.
    statements : list of Statement
        The accepted statements, in card order.
    counts : dict
        ``{statement_id: {stance: count}}``, the pass counted under ``None``: each
        member's latest submitted stance in the round.
    answered : int
        Members with a submitted card in the round.
    roster : int
        Members on the roster.
    reasons : dict of int to list of str
        The reasons given under each accepted statement (never with a name).

    """

    scale: Scale
    statements: list[m.Statement]
    counts: dict[int, dict[int | None, int]]
    answered: int
    roster: int
    reasons: dict[int, list[str]]


def published_results(store: Store, consultation: m.Consultation,
                      round_number: int | None = None) -> PublishedResults:
    """Read the results of ``consultation`` (round ``round_number``, else the current one).

    Nothing here decides who may see them: ask
    :func:`~cop_widgets.model.policies.results_visible` first.
    """
    statements = store.list_statements(consultation.id)
    accepted = {s.id for s in statements}
    counts = store.stance_counts(consultation.id, round_number)
    reasons = store.list_rationales(consultation.id)
    return PublishedResults(
        scale=get_scale(consultation.scale),
        statements=statements,
        counts={sid: c for sid, c in counts.items() if sid in accepted},
        answered=store.count_respondents(consultation.id, round_number),
        roster=len(store.list_members(consultation.id)),
        reasons={sid: r for sid, r in reasons.items() if sid in accepted},
    )
