"""How an export writes values in its language: dates, moments, numbers, shares and links.

Each function takes the language (:mod:`cop_widgets.i18n` formats, CLDR data) and writes a
missing value as :data:`MISSING` (or says it was not recorded); the layout of
:mod:`cop_widgets.export.document` and :mod:`cop_widgets.export.methodology` writes every
value through them.
"""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import quote, urlsplit

import pandas as pd

from ..i18n import format_date, format_datetime, format_number, format_percent, translator

__all__ = ["MISSING", "fmt_date", "fmt_moment", "fmt_number", "fmt_gap", "fmt_pct",
           "safe_url"]

#: What a value that cannot be computed is written as.
MISSING = "–"


def fmt_date(value: dt.date | None, language: str | None = None) -> str:
    """Return the date in the language (``YYYY-MM-DD`` in English), or ``"not recorded"``."""
    if value is None:
        _ = translator(language)
        return _("not recorded")
    return format_date(value, language)


def fmt_moment(value: dt.datetime | None, language: str | None = None) -> str:
    """Return the moment in UTC (``YYYY-MM-DD HH:MM UTC`` in English), or ``"not set"``."""
    if value is None:
        _ = translator(language)
        return _("not set")
    return format_datetime(value.astimezone(dt.timezone.utc), language)


def fmt_number(x: float | None, language: str | None = None,
               digits: int | None = None) -> str:
    """Return a number the way the language writes it (``digits`` decimals), or a dash."""
    if x is None or pd.isna(x):
        return MISSING
    return format_number(float(x) if digits is not None else x, language, digits=digits)


def fmt_gap(x: float, language: str | None = None) -> str:
    """Return a gap in whole percentage points, signed (``+5``, ``-12``), or a dash."""
    if math.isnan(x):
        return MISSING
    return format_number(x, language, digits=0, signed=True)


def fmt_pct(x: float | None, language: str | None = None) -> str:
    """Return a share as a whole percentage (``"94%"``, ``"94 %"``), or a dash if undefined."""
    if x is None or pd.isna(x):
        return MISSING
    return format_percent(float(x), language)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` percent-encoded if it is an ``http(s)`` URL, else ``None``."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")
