"""Why there are no opinion groups, in plain words and the page's language.

:func:`cop_widgets.analysis.opinion.opinion_groups` returns a code
(:attr:`~cop_widgets.analysis.opinion.OpinionGroups.note`) and its numbers
(``note_params``); :func:`groups_note` writes the sentence a reader sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import Words

if TYPE_CHECKING:
    from ..analysis.opinion import OpinionGroups

__all__ = ["groups_note"]


def groups_note(groups: OpinionGroups, language: str | None = None) -> str | None:
    """Say why there are no opinion groups.

    Parameters
    ----------
    groups : OpinionGroups
        From :func:`cop_widgets.analysis.opinion.opinion_groups`.
    language : str, optional
        ``en``, ``fr`` or ``es`` (English by default); numbers are written its way.

    Returns
    -------
    str or None
        One sentence; ``None`` when there are groups.

    Raises
    ------
    ValueError
        If ``groups.note`` is not a code of
        :data:`cop_widgets.analysis.opinion.GROUP_NOTES`.

    """
    if groups.note is None:
        return None
    words = Words(language)
    _ = words.gettext
    numbers = {key: words.number(value) for key, value in groups.note_params.items()}
    if groups.note == "too-few-answers":
        return _("There are too few answers for opinion groups: they need answers to at "
                 "least two statements.")
    if groups.note == "too-few-members":
        return _("There are too few members for opinion groups: {members} answered enough "
                 "statements and {distinct} of them took distinct positions; groups need at "
                 "least {minimum} members with at least {positions} distinct "
                 "positions.").format(**numbers)
    if groups.note == "too-few-positions":
        return _("There are too few distinct positions for {count} groups.").format(**numbers)
    raise ValueError(f"not a reason for having no opinion groups: {groups.note!r}")
