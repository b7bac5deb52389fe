"""The vote matrix under Pol.is's moderation rule, read once for every view.

Accepted statements are the columns; rejected and withdrawn ones stay as inactive columns
(Pol.is's ``mod-out``); pending ones are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import model as m

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.opinion import VoteMatrix
    from ..scales import Scale
    from ..store import Store

__all__ = ["moderated_matrix", "polis_vote_matrix"]

_MODERATED_OUT = (m.ModerationState.REJECTED, m.ModerationState.WITHDRAWN)


def moderated_matrix(statements: list[m.Statement], responses: pd.DataFrame,
                      scale: Scale | str) -> VoteMatrix:
    """Build the vote matrix under Pol.is's moderation rule from loaded data."""
    from ..analysis.opinion import vote_matrix

    accepted = [s.id for s in statements if s.moderation is m.ModerationState.ACCEPTED]
    out = [s.id for s in statements if s.moderation in _MODERATED_OUT]
    return vote_matrix(responses, scale, accepted, moderated_out=out)


def polis_vote_matrix(store: Store, consultation_id: int) -> VoteMatrix:
    """Return the vote matrix of a consultation with Pol.is's treatment of moderation.

    Accepted statements are the columns; rejected and withdrawn ones stay as inactive
    columns (Pol.is's ``mod-out``); pending ones are left out. This is the matrix
    :attr:`ConsultationAnalysis.matrix` holds, read without rationales.

    Returns
    -------
    VoteMatrix

    """
    consultation = store.get_consultation(consultation_id)
    return moderated_matrix(store.list_statements(consultation_id, states=None),
                             store.responses_frame(consultation_id, rationales=False),
                             consultation.scale)
