"""Exporting a consultation from the store as a Pol.is conversation export folder."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import model as m
from ..io.polis_write import write_polis_export
from ..scales import get_scale
from .importing import from_polis_import

if TYPE_CHECKING:
    from ..analysis.opinion import OpinionGroups
    from ..store import Store

__all__ = ["export_polis", "unmoderated"]


def unmoderated(statement: m.Statement) -> bool:
    """Whether a statement was never published: a proposal pending, or one refused.

    Pending statements, and members' proposals the facilitator rejected, were never on
    anybody's card; :func:`export_polis` leaves them out unless asked. A rejected statement
    nobody proposed (the facilitator's, or a comment Pol.is moderated out, imported with
    its votes) stays: it is one of the moderated-out columns of the analysis.
    """
    return (statement.moderation is m.ModerationState.PENDING
            or (statement.moderation is m.ModerationState.REJECTED
                and statement.proposed_by is not None))


def export_polis(store: Store, consultation_id: int, path: str | Path,
                 groups: OpinionGroups | None = None, *,
                 include_unmoderated: bool = False) -> Path:
    """Write a consultation as a Pol.is export folder.

    Reads the consultation, its development, its statements (in card order), the roster
    and the answers, and writes them with :func:`cop_widgets.io.write_polis_export`:
    ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` (with ``group-id`` when
    ``groups`` is given) and ``summary.csv``, every cell safe to open in a spreadsheet.
    No names are written. Statements' ``external_id`` are kept as Pol.is comment ids when
    they are distinct whole numbers.

    Participant ids: in a named consultation, the members' ``external_id`` when those are
    distinct whole numbers. In an anonymous one, no roster id travels next to a vote: the
    participants are numbered 0, 1, 2... in an order drawn at random for each export, every
    vote carries the same time (the latest answer's), and no statement has an
    ``author-id``. The exception is a conversation imported from Pol.is
    (:func:`~cop_widgets.services.importing.from_polis_import`): its participant ids are the
    pseudonyms Pol.is published and are kept, so that an export round-trips.

    Parameters
    ----------
    store : Store
        The store to read; nothing is written to it.
    consultation_id : int
        Which consultation to write out.
    path : str or Path
        The folder to write (created if needed; the four files are overwritten).
    groups : OpinionGroups, optional
        Opinion groups to write in ``participants-votes.csv``.
    include_unmoderated : bool
        Also write the statements nobody was shown (:func:`unmoderated`: pending ones and
        members' rejected proposals), with their answers if any. Default: left out.

    Returns
    -------
    Path
        The folder.

    """
    consultation = store.get_consultation(consultation_id)
    scale = get_scale(consultation.scale)
    statements = [s for s in store.list_statements(consultation_id, states=None)
                  if include_unmoderated or not unmoderated(s)]
    members = store.list_members(consultation_id)
    participant_ids = None
    responses = store.responses_frame(consultation_id)
    if consultation.anonymous:
        statements = [replace(s, proposed_by=None) if s.proposed_by is not None else s
                      for s in statements]
        if not from_polis_import(store.members_frame(consultation_id)):
            participant_ids = random.SystemRandom().sample(range(len(members)), len(members))
            # One moment for every vote: a saved time would link a pseudonym to whoever was
            # seen answering then. Each participant has one vote per statement, so no order
            # among votes is lost.
            responses = responses.assign(saved_at=responses["saved_at"].max())
    return write_polis_export(
        path, store.get_development(consultation.development_id), statements, members,
        responses,
        {level.value: level.polarity for level in scale.levels},
        written_at=store.now(), labels=None if groups is None else groups.labels,
        participant_ids=participant_ids)
