"""Per-statement summaries of stances: shares, ordinal measures and a consensus class.

Input is the frame of :meth:`Store.responses_frame`: one row per member and answered
statement, with columns ``member_id``, ``statement_id`` and ``stance`` (nullable integer,
``<NA>`` is a pass); other columns are ignored. Member attributes come from
:meth:`Store.members_frame`. Every function is pure: the result depends only on the multiset
of (member, statement, stance) rows, so shuffling rows or renaming members changes nothing.
Statements appear in ascending ``statement_id`` order.

Counting
--------
``n`` counts answers including passes; ``n_stance`` counts stances (non-pass answers) and is
the base of every share of stances and every ordinal measure; ``pass_share = n_pass / n``.
A statement whose answers are all passes has ``nan`` measures and class ``"no answers"``.

Classes (see :class:`ConsensusRule`)
------------------------------------
``"consensus"``, ``"polarised"``, ``"leaning"``, ``"divided"`` or ``"no answers"``.

Modules: :mod:`.classes` (the rule), :mod:`.statements` (one row per statement, and the
counting every summary shares) and :mod:`.attributes` (within the groups of a member
attribute, and cruxes between them). The smallest group shown to others is the model's
policy :data:`cop_widgets.model.policies.MIN_GROUP_SIZE`; groups under it are merged, not
dropped, by :mod:`cop_widgets.analysis.disclosure` before they reach these functions.
"""

from __future__ import annotations

from .attributes import CRUX_COLUMNS, NOT_GIVEN, by_attribute, cruxes
from .classes import CLASSES, ConsensusRule, classify
from .statements import SUMMARY_COLUMNS, stance_distribution, statement_summary

__all__ = [
    "CLASSES",
    "CRUX_COLUMNS",
    "NOT_GIVEN",
    "SUMMARY_COLUMNS",
    "ConsensusRule",
    "classify",
    "statement_summary",
    "stance_distribution",
    "by_attribute",
    "cruxes",
]
