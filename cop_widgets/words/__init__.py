"""Sentences written from the analysis, in the page's language: the presentation of results.

:mod:`cop_widgets.analysis` returns numbers and codes; this package turns them into the
words a facilitator or member reads, from the catalogues of :mod:`cop_widgets.i18n`.

Modules: :mod:`.opinion` (why there are no opinion groups), :mod:`.weighting` (what a
post-stratification weighting did), :mod:`.stances` (the classes of a statement and the
shares counted apart) and :mod:`.draft` (the proposed joint response).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Names this package offers, by the module that defines them. They are imported when first
#: asked for: a member's page needs a few words (``.links``) and must not pay for pandas,
#: which :mod:`.draft` and :mod:`.weighting` use.
_HOME = {
    "CLASS_WORDS": ".draft", "SECTION_TITLES": ".draft", "SECTIONS": ".draft",
    "md_escape": ".draft", "propose_draft": ".draft", "quote_rationales": ".draft",
    "groups_note": ".opinion",
    "CATEGORY_WORDS": ".stances", "category_phrases": ".stances", "class_words": ".stances",
    "describe_weighting": ".weighting", "weighting_note": ".weighting",
}


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use (PEP 562)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME[name], __name__), name)
    globals()[name] = value
    return value


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
