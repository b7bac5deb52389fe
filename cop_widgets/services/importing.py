"""Importing a Pol.is conversation into the store, as a closed, anonymous consultation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import model as m
from ..io.polis_read import read_polis_export
from ..vocabulary import ROSTER_COLUMNS

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["import_polis", "from_polis_import"]

_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
#: The name :func:`import_polis` gives a participant, from their Pol.is participant id.
PARTICIPANT_NAME = "Participant {}"


def _clip(text: str, limit_key: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    limit = m.LIMITS[limit_key]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def import_polis(store: Store, path: str | Path) -> m.Consultation:
    """Import a Pol.is export folder as a closed, anonymous consultation.

    Creates a development (kind "other"; title from ``summary.csv`` ``topic`` or the folder
    name; summary from ``conversation-description``; source from ``url`` when it is http(s)),
    a consultation on the ``agree_disagree`` scale (anonymous, closed, results visible after
    close), one statement per comment (``external_id`` = comment id; moderated -1 is
    "rejected", others "accepted"), one member "Participant N" per participant
    (``external_id`` = participant id) and each participant's latest votes as one submitted
    card. A card is dated at the participant's first vote. Pol.is seeds its opinion groups
    in the order of the first comment each participant voted on, then of their participant
    id (``services.vote_matrix.polis_join_order``). Texts longer than the model allows are shortened
    with an ellipsis.

    Parameters
    ----------
    store : Store
        Where to write, in one transaction.
    path : str or Path
        The export folder.

    Returns
    -------
    Consultation
        The new consultation with its id.

    Raises
    ------
    cop_widgets.io.PolisFormatError
        If the export is malformed; nothing is written.

    """
    export = read_polis_export(path)
    summary = export.summary
    title = _clip(summary.get("topic", "") or export.path.resolve().name, "title")
    if not title:
        title = "Pol.is conversation"
    url = summary.get("url", "").strip()
    development = m.Development(
        m.DevelopmentKind.OTHER, title,
        summary=_clip(summary.get("conversation-description", ""), "summary"),
        source_url=url if _URL.match(url) and len(url) <= m.LIMITS["source_url"] else "")
    consultation = m.Consultation(
        1, title, scale="agree_disagree", anonymous=True,
        visibility=m.Visibility.AFTER_CLOSE, status=m.ConsultationStatus.CLOSED)
    comments = export.comments
    statements = [
        m.Statement(1, _clip(text, "statement") or f"(comment {cid} has no text)",
                    moderation=(m.ModerationState.REJECTED if rejected
                                else m.ModerationState.ACCEPTED),
                    external_id=str(cid))
        for cid, text, rejected in zip(comments["comment_id"].tolist(),
                                       comments["text"].tolist(),
                                       comments["rejected"].tolist(), strict=True)]
    pids = export.participant_ids
    members = [m.Member(1, PARTICIPANT_NAME.format(pid), external_id=str(pid))
               for pid in pids.tolist()]
    votes = export.votes
    member_index = np.searchsorted(pids, votes["voter_id"].to_numpy())
    statement_index = np.searchsorted(comments["comment_id"].to_numpy(),
                                      votes["comment_id"].to_numpy())
    first_ms = votes.groupby("voter_id")["timestamp_ms"].transform("min").to_numpy()
    stances = votes["vote"].to_numpy()
    rows = pd.DataFrame({
        "member_index": member_index,
        "statement_index": statement_index,
        "stance": pd.array(np.where(stances == 0, None, stances), dtype="Int64"),  # 0 = pass
        "saved_at": pd.to_datetime(first_ms, unit="ms", utc=True),
    })
    return store.import_consultation(development, consultation, statements, members, rows)



def from_polis_import(members: pd.DataFrame) -> bool:
    """Whether every member of a roster is a participant :func:`import_polis` created.

    The store keeps no mark of an import, so a roster counts as Pol.is's when every member
    looks exactly as the import leaves them: named ``Participant N`` after an ``external_id``
    N that is a whole number, no email, no attribute, no open invitation. Their external
    ids are then Pol.is participant ids, the pseudonyms Pol.is itself publishes, which may
    stand next to a position (to compare groups with Pol.is's own). A roster with anyone
    else on it (a member added, invited, or given an email or attribute) does not count.

    Parameters
    ----------
    members : pandas.DataFrame
        ``Store.members_frame``: ``name``, ``email``, ``external_id``, ``invited`` and one
        column per attribute.

    Returns
    -------
    bool
        False for an empty roster.

    """
    if not len(members):
        return False
    if any(column not in ROSTER_COLUMNS for column in members.columns):
        return False  # an attribute column: somebody has an attribute
    external = members["external_id"].astype(str)
    return bool(external.str.fullmatch(r"\d+").all()
                and (members["name"] == external.map(PARTICIPANT_NAME.format)).all()
                and (members["email"].fillna("") == "").all()
                and not members["invited"].any())
