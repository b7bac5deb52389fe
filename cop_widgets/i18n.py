"""Translations of the user interface through gettext (catalogues in ``locale/``).

Every string a member or a facilitator reads goes through ``_()``, the function
:func:`translator` returns for the page's language. Strings defined at module level
(labels in dicts, scale levels) are marked with the no-op :func:`N_` so that Babel extracts
them, and are translated where they are shown.

Catalogues
----------
``babel.cfg`` (repository root) drives the extraction::

    pybabel extract -F babel.cfg -k _ -k N_ -o cop_widgets/locale/cop_widgets.pot cop_widgets
    pybabel update -i cop_widgets/locale/cop_widgets.pot -d cop_widgets/locale -D cop_widgets
    pybabel compile -d cop_widgets/locale -D cop_widgets

Messages kept as constants (scale labels, section titles, vocabulary) are marked with
:func:`N_`, so the standard Python extractor finds them.

Formats
-------
:func:`format_number`, :func:`format_percent`, :func:`format_date` and
:func:`format_datetime` write numbers and moments the way the language does (CLDR data,
through Babel). English keeps the ISO dates it always showed (``2026-01-10 14:30 UTC``).

Domain errors
-------------
The model, the store and the import parsers raise :mod:`cop_widgets.errors` with a field
(named as in the code), a code of :data:`cop_widgets.error_codes.RULES` and its parameters;
``str(exc)`` is English, for the CLI and the tests. Pages tell them in their language
through :func:`cop_widgets.widgets.problems.problem_in_words`, by code: the rule's template
is the msgid, numbers and moments are written the language's way, and the field is the
label on the page or its msgid. No page reads an error's English text.

Still in English, and why
-------------------------
* The text of a saved joint response draft: the facilitator's content. "Propose from the
  analysis" writes it in the consultation's language; what the facilitator then writes is
  theirs.
* The Markdown cells of ``workbooks/*.ipynb`` (a notebook cannot pick a catalogue).
* File formats: the ``name,link`` header of the links CSV and the CSV column names
  (``name``, ``email``, ``text``, ``statement``); language names, each in itself.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

__all__ = [
    "LOCALE_DIR",
    "DOMAIN",
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "N_",
    "language_or_default",
    "translations",
    "translator",
    "plural_translator",
    "Words",
    "format_number",
    "format_percent",
    "format_list",
    "format_date",
    "format_datetime",
]

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "cop_widgets"
#: Languages with a complete catalogue (English is the source language).
LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate where shown)."""
    return message


def language_or_default(language: str | None) -> str:
    """Return ``language`` if it has a catalogue, else English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=8)
def translations(language: str | None = DEFAULT_LANGUAGE) -> gettext.NullTranslations:
    """Return the gettext translations of ``language``; English where a string is missing."""
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR,
                               languages=[language_or_default(language)], fallback=True)


def translator(language: str | None = DEFAULT_LANGUAGE) -> Callable[[str], str]:
    """Return the ``gettext`` function for ``language``; English where a string is missing."""
    return translations(language).gettext


def plural_translator(language: str | None = DEFAULT_LANGUAGE) -> Callable[[str, str, int], str]:
    """Return the ``ngettext`` function for ``language`` (singular, plural, count)."""
    return translations(language).ngettext


class Words:
    """The words of one language: its ``gettext`` and ``ngettext``, and its numbers.

    Parameters
    ----------
    language : str, optional
        ``en``, ``fr`` or ``es`` (English when omitted or unknown).

    Attributes
    ----------
    language : str
        The language, as :func:`language_or_default` resolves it.
    gettext, ngettext : callable
        Its translators (:func:`translator`, :func:`plural_translator`).

    """

    def __init__(self, language: str | None = None):
        self.language = language_or_default(language)
        self.gettext = translator(self.language)
        self.ngettext = plural_translator(self.language)

    def number(self, value: float) -> str:
        """Return ``value`` written the way the language writes numbers."""
        return format_number(value, self.language)


# -- formats ------------------------------------------------------------------------------


def format_number(value: float, language: str | None = DEFAULT_LANGUAGE, *,
                  digits: int | None = None, signed: bool = False) -> str:
    """Return ``value`` written the way ``language`` writes numbers (``1,234`` / ``1 234``).

    ``digits`` fixes the number of decimals (``0.62`` / ``0,62`` with 2); ``signed`` writes
    a plus sign before positive numbers (``+20``), for gaps and differences.
    """
    from babel.numbers import format_decimal

    pattern = None
    if digits is not None or signed:
        if digits is None:
            decimals = ".###"
        else:
            decimals = "." + "0" * digits if digits > 0 else ""
        pattern = "#,##0" + decimals
        if signed:
            pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=language_or_default(language))


def format_percent(ratio: float, language: str | None = DEFAULT_LANGUAGE) -> str:
    """Return ``ratio`` (0.5 for half) as a whole percentage (``50%``, ``50 %``)."""
    from babel.numbers import format_percent as babel_percent

    return babel_percent(ratio, locale=language_or_default(language))


def format_list(items: Iterable[str], language: str | None = DEFAULT_LANGUAGE) -> str:
    """Return ``items`` joined as the language lists things (``a, b and c`` / ``a, b et c``)."""
    from babel.lists import format_list as babel_list

    items = [str(item) for item in items]
    return babel_list(items, locale=language_or_default(language)) if items else ""


def format_date(value: dt.date | None, language: str | None = DEFAULT_LANGUAGE) -> str:
    """Return a date: ISO in English, else the language's long form (``10 janvier 2026``)."""
    if value is None:
        return ""
    language = language_or_default(language)
    if language == "en":
        return value.isoformat()
    from babel.dates import format_date as babel_date

    return babel_date(value, format="long", locale=language)


def format_datetime(value: dt.datetime | None,
                    language: str | None = DEFAULT_LANGUAGE) -> str:
    """Return a moment in UTC: ``2026-01-10 14:30 UTC`` in English, the language's form else."""
    if value is None:
        return ""
    language = language_or_default(language)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    if language == "en":
        return f"{value:%Y-%m-%d %H:%M} UTC"
    from babel import Locale
    from babel.dates import format_date as babel_date
    from babel.dates import format_time as babel_time

    pattern = str(Locale.parse(language).datetime_formats["long"])  # "{1}, {0}"
    when = pattern.replace("'", "").format(
        babel_time(value, format="short", locale=language),
        babel_date(value.date(), format="long", locale=language))
    return when + " UTC"
