"""Files in and out: Pol.is conversation exports and every CSV the facilitator uses.

Nothing here touches the store or a widget: readers return model objects or frames, writers
take data and return text or write a folder.
"""

from .polis_read import PolisExport, PolisFormatError, read_polis_export
from .polis_write import write_polis_export

__all__ = [
    "PolisExport",
    "PolisFormatError",
    "read_polis_export",
    "write_polis_export",
]
