"""One consultation, loaded once and analysed once (work in progress by the lead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import model as m

if TYPE_CHECKING:
    from ..analysis.opinion import VoteMatrix
    from ..store import Store

__all__ = ["polis_vote_matrix"]


def polis_vote_matrix(store: Store, consultation_id: int) -> VoteMatrix:
    """Return the vote matrix of a consultation with Pol.is's treatment of moderation.

    Accepted statements are the columns; rejected and withdrawn ones stay as inactive
    columns (Pol.is's ``mod-out``: zeros that move nobody but count in each member's number
    of answers); pending ones are left out.

    Returns
    -------
    VoteMatrix

    """
    from ..analysis.opinion import vote_matrix

    consultation = store.get_consultation(consultation_id)
    statements = store.list_statements(consultation_id, states=None)
    accepted = [s.id for s in statements if s.moderation is m.ModerationState.ACCEPTED]
    out = [s.id for s in statements if s.moderation in (m.ModerationState.REJECTED,
                                                        m.ModerationState.WITHDRAWN)]
    return vote_matrix(store.responses_frame(consultation_id, rationales=False),
                       consultation.scale, accepted, moderated_out=out)
