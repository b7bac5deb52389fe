"""Sentences written from the analysis, in the page's language: the presentation of results.

:mod:`cop_widgets.analysis` returns numbers and codes; this package turns them into the
words a facilitator or member reads, from the catalogues of :mod:`cop_widgets.i18n`.

Modules: :mod:`.opinion` (why there are no opinion groups), :mod:`.weighting` (what a
post-stratification weighting did), :mod:`.stances` (the classes of a statement and the
shares counted apart) and :mod:`.draft` (the proposed joint response).
"""

from __future__ import annotations

from .draft import (
    CLASS_WORDS,
    SECTION_TITLES,
    SECTIONS,
    md_escape,
    propose_draft,
    quote_rationales,
)
from .opinion import groups_note
from .stances import CATEGORY_WORDS, category_phrases, class_words
from .weighting import describe_weighting, weighting_note

__all__ = [
    "CATEGORY_WORDS",
    "CLASS_WORDS",
    "category_phrases",
    "class_words",
    "SECTIONS",
    "SECTION_TITLES",
    "describe_weighting",
    "groups_note",
    "md_escape",
    "propose_draft",
    "quote_rationales",
    "weighting_note",
]
