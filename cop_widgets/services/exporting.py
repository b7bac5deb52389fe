"""Exporting a consultation from the store as a Pol.is conversation export folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..io.polis_write import write_polis_export
from ..scales import get_scale

if TYPE_CHECKING:
    from ..analysis.opinion import OpinionGroups
    from ..store import Store

__all__ = ["export_polis"]


def export_polis(store: Store, consultation_id: int, path: str | Path,
                 groups: OpinionGroups | None = None) -> Path:
    """Write a consultation as a Pol.is export folder.

    Reads the consultation, its development, every statement (in card order), the roster
    and the answers, and writes them with :func:`cop_widgets.io.write_polis_export`:
    ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` (with ``group-id`` when
    ``groups`` is given) and ``summary.csv``. Statements' and members' ``external_id`` are
    kept as Pol.is ids when they are distinct whole numbers; no names are written.

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

    Returns
    -------
    Path
        The folder.

    """
    consultation = store.get_consultation(consultation_id)
    scale = get_scale(consultation.scale)
    return write_polis_export(
        path, store.get_development(consultation.development_id),
        store.list_statements(consultation_id, states=None),
        store.list_members(consultation_id), store.responses_frame(consultation_id),
        {level.value: level.polarity for level in scale.levels},
        written_at=store.now(), labels=None if groups is None else groups.labels)
