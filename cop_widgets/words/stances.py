"""The classes of a statement and the shares counted apart, in words.

:mod:`cop_widgets.analysis.summary` gives each statement a class code and counts apart the
answers that are not degrees of agreement (a pass on every scale, Kaner's "Abstain" and "More
discussion needed") and the support reported apart (Kaner's "Don't like it, but will
support it"). Every view (``cop-widgets analyze``, the Divergence tab, the proposed draft
and the exports) writes them with these words, so that none says "polarised" where another
says "wants more discussion".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import N_, format_percent, translator
from ..scales import APART, CATEGORIES, PASS_CATEGORY

__all__ = ["CLASS_WORDS", "CATEGORY_WORDS", "APART_WORDS", "SHARE_PHRASE", "class_words",
           "category_shares", "category_phrases"]

#: The classes of ``analysis.summary.statement_summary`` in words (English msgids).
CLASS_WORDS = {
    "consensus": N_("consensus"),
    "leaning": N_("leaning"),
    "divided": N_("divided"),
    "polarised": N_("polarised"),
    "neutral": N_("neither agree nor disagree"),
    "more discussion": N_("wants more discussion"),
    "no answers": N_("no answers"),
}

#: Each category counted apart, by code (English msgids); its phrase gives its share of
#: all answers (:data:`SHARE_PHRASE`).
CATEGORY_WORDS = {
    "abstain": N_("abstains"),
    "more_discussion": N_("wants more discussion"),
    PASS_CATEGORY: N_("passes or is unsure"),
}

#: Each share reported apart, by code (English msgids); its phrase gives its share of the
#: stances on the scale.
APART_WORDS = {
    "reluctant_support": N_("will support it while disliking it"),
}

#: A share counted or reported apart: ``"wants more discussion: 50%"`` (an English msgid).
SHARE_PHRASE = N_("{name}: {percent}")


def class_words(klass: str, language: str | None = None) -> str:
    """Return a class code of the summary in words, in ``language`` (English by default)."""
    return translator(language)(CLASS_WORDS.get(klass, klass))


def category_shares(row: Mapping[str, Any], *, passes: bool = True) -> dict[str, float]:
    """Return the shares counted apart of one summary row, by code, zero shares left out.

    Parameters
    ----------
    row : mapping
        A row of ``analysis.summary.statement_summary`` (``<code>_share`` for each
        category, ``pass_share``, ``pct_<code>`` for each share reported apart).
    passes : bool
        Whether to include the pass (``"pass"``).

    Returns
    -------
    dict of str to float
        Categories first (share of all answers), then the shares reported apart (share of
        the stances on the scale), in the order of :data:`cop_widgets.scales.CATEGORIES`
        and :data:`cop_widgets.scales.APART`.

    """
    codes = [*CATEGORIES, PASS_CATEGORY] if passes else list(CATEGORIES)
    shares = {code: row.get(f"{code}_share") for code in codes}
    shares |= {code: row.get(f"pct_{code}") for code in APART}
    return {code: float(x) for code, x in shares.items()
            if x is not None and x == x and float(x) > 0}


def category_phrases(row: Mapping[str, Any], language: str | None = None, *,
                     passes: bool = False) -> list[str]:
    """Say the shares counted apart of one summary row: ``"wants more discussion: 50%"``.

    Parameters
    ----------
    row : mapping
        A row of ``analysis.summary.statement_summary``.
    language : str, optional
        Language of the words and numbers (English by default).
    passes : bool
        Whether to say the pass's share too (most views show it in a column of its own).

    Returns
    -------
    list of str
        One phrase per share above zero, categories first.

    """
    _ = translator(language)
    words = CATEGORY_WORDS | APART_WORDS
    return [_(SHARE_PHRASE).format(name=_(words[code]),
                                   percent=format_percent(share, language))
            for code, share in category_shares(row, passes=passes).items()]
