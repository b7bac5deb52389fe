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

__all__ = ["moderated_matrix", "polis_join_order", "polis_vote_matrix"]

_MODERATED_OUT = (m.ModerationState.REJECTED, m.ModerationState.WITHDRAWN)


def polis_join_order(members: pd.DataFrame) -> pd.Series | None:
    """Return when each member joined, as Pol.is orders its participants, if it knows.

    For a roster :func:`~cop_widgets.services.importing.import_polis` created, the external
    ids are Pol.is's participant ids, given in the order participants joined: Pol.is seeds
    its opinion groups in that order among participants who first voted on the same
    statement (``conv-poll`` sorts by comment, then participant id). Any other roster has
    no such order (``None``): the first answer's time stands in for it.

    Parameters
    ----------
    members : pandas.DataFrame
        ``Store.members_frame``.

    Returns
    -------
    pandas.Series or None
        member_id -> Pol.is participant id.
    """
    from .importing import from_polis_import

    if not from_polis_import(members):
        return None
    return members.set_index("member_id")["external_id"].astype(int)


def moderated_matrix(statements: list[m.Statement], responses: pd.DataFrame,
                      scale: Scale | str, members: pd.DataFrame | None = None) -> VoteMatrix:
    """Build the vote matrix under Pol.is's moderation rule from loaded data.

    ``members`` (``Store.members_frame``), when given, orders an imported Pol.is
    conversation's participants as Pol.is does (:func:`polis_join_order`).
    """
    from ..analysis.opinion import vote_matrix

    accepted = [s.id for s in statements if s.moderation is m.ModerationState.ACCEPTED]
    out = [s.id for s in statements if s.moderation in _MODERATED_OUT]
    joined = polis_join_order(members) if members is not None else None
    return vote_matrix(responses, scale, accepted, moderated_out=out, joined=joined)


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
                             consultation.scale, store.members_frame(consultation_id))
