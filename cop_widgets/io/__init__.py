"""Files in and out: Pol.is conversation exports and every CSV the facilitator uses.

Nothing here touches the store or a widget: readers return model objects or frames, writers
take data and return text or write a folder.
"""

from .csv import (
    check_attribute_names,
    links_csv,
    members_from_csv,
    reminders_csv,
    spreadsheet_cell,
    statements_from_csv,
)
from .polis_read import PolisExport, PolisFormatError, read_polis_export
from .polis_write import write_polis_export
from .text import parse_attributes, statements_from_text, uploaded_text

__all__ = [
    "PolisExport",
    "PolisFormatError",
    "check_attribute_names",
    "links_csv",
    "members_from_csv",
    "parse_attributes",
    "read_polis_export",
    "reminders_csv",
    "spreadsheet_cell",
    "statements_from_csv",
    "statements_from_text",
    "uploaded_text",
    "write_polis_export",
]
