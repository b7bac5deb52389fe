"""How the chart builders write statements, groups and shares on axes and in text.

Statements are labelled by their card number and first words (:func:`short_label`,
:func:`numbered`); a share that cannot be computed is a dash (:func:`percent`); the
analysis' "(not given)" group is named in the chart's language (:func:`group_name`).
"""

from __future__ import annotations

import pandas as pd

from ...i18n import Words, format_percent
from ...vocabulary import group_label

__all__ = ["WIDTH", "MISSING", "short_label", "numbered", "percent", "group_name"]

#: Width of the plot of a full-width chart, in pixels: with its axis labels and legend the
#: drawing stays within ``figure.WIDE``.
WIDTH = 420
#: What a share that cannot be computed is written as.
MISSING = "–"


def short_label(number: int, text: str, limit: int = 60) -> str:
    """Return ``"3. First words of the statement…"`` for an axis."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"{number}. {text}"


def numbered(statements: pd.DataFrame) -> tuple[dict[int, int], dict[int, str]]:
    """Return each statement's card number (from 1) and its text, by ``statement_id``.

    Parameters
    ----------
    statements : DataFrame
        ``Store.statements_frame``: statement_id and text, in card order.

    Returns
    -------
    numbers, texts : dict
        Card number and text of each statement_id.
    """
    ids = statements["statement_id"]
    numbers = {sid: i for i, sid in enumerate(ids, start=1)}
    return numbers, dict(zip(ids, statements["text"], strict=True))


def percent(share: float, language: str | None = None) -> str:
    """Return ``share`` as a whole percentage in ``language``, or a dash if undefined."""
    return MISSING if pd.isna(share) else format_percent(share, language)


def group_name(name: object, words: Words) -> str:
    """Return a group's name: the analysis' own groups in the language of ``words``."""
    return group_label(name, words.gettext)
