"""CSV cells that stay text when a spreadsheet opens them."""

from __future__ import annotations

__all__ = ["spreadsheet_cell"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value
