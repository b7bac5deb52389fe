"""Translations of the user interface through gettext (catalogues in ``locale/``)."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["LOCALE_DIR", "DOMAIN", "translator"]

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "cop_widgets"


@lru_cache(maxsize=8)
def translator(language: str = "en") -> Callable[[str], str]:
    """Return the ``gettext`` function for ``language``; English where a string is missing."""
    return gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    ).gettext
