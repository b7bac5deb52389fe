"""cop-widgets: Jupyter widgets and Voila pages for a community of practice's joint response.

The facilitator's notebook API is :func:`open_consultation` (see
:mod:`cop_widgets.notebook`). It is imported on first use, so that the member page, which
imports this package, does not load pandas or altair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .notebook import NotebookConsultation, open_consultation

__version__ = "0.1.0"
__all__ = ["NotebookConsultation", "__version__", "open_consultation"]


def __getattr__(name: str) -> Any:
    if name in ("open_consultation", "NotebookConsultation"):
        from . import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'cop_widgets' has no attribute {name!r}")
