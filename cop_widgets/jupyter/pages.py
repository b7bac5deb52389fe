"""Entry points of the workbooks: read the link on the server side, build the page.

Each workbook is one cell calling one of these. Who the member is comes from the ``t``
parameter of the link, read here from the kernel's environment (Voila puts the request's
query string there), never from a widget value.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from ..errors import ValidationError
from ..i18n import LANGUAGES
from ..model.fields import optional_id
from .keys import FACILITATOR_KEY_HASH_ENV, key_matches
from .request_info import preheated, wait_for_request_info

__all__ = ["query_params", "consultation_id_of", "language_of", "member_page", "results_page",
           "endorse_page", "facilitator_page", "analysis_notebook", "under_voila"]


def under_voila() -> bool:
    """Whether this kernel was started by Voila (rather than JupyterLab or nbclient)."""
    return "VOILA_PREHEAT" in os.environ or "VOILA_BASE_URL" in os.environ


def query_params() -> dict[str, str]:
    """Return the page's query parameters (first value of each), read on the server side.

    Under Voila's preheated kernels the query string arrives after start-up, so this waits
    for it (:func:`~cop_widgets.jupyter.request_info.wait_for_request_info`, which does not
    import Voila's server into the kernel).
    """
    if preheated():
        query = wait_for_request_info().get("QUERY_STRING", "")
    else:
        query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}


def consultation_id_of(params: dict[str, str]) -> int | None:
    """Return the link's consultation id; ``None`` (a bad link) unless it is a valid id."""
    try:
        return optional_id("c", int(params.get("c", "")))
    except (ValueError, ValidationError):  # not a number, or out of the ids' range
        return None


def language_of(params: dict[str, str]) -> str | None:
    """Return the link's ``lang`` when it is one of ours, else ``None``."""
    lang = params.get("lang")
    return lang if lang in LANGUAGES else None


def _store(db_url: str | None):
    from ..store import Store

    # `cop-widgets serve` migrates once at start; pages do not pay for it per kernel.
    return Store(db_url, migrate=False)


def member_page(db_url: str | None = None):
    """Return the member's page for the link that opened this kernel.

    A preheated kernel first pays the page's first-use costs on the page's own store
    (:func:`~cop_widgets.jupyter.warmup.warm_up`), before it waits for its visitor; a
    kernel started for a visitor does not: its visitor is already waiting.
    """
    from ..widgets.member import MemberPage
    from . import warmup
    from .request_info import preheated

    store = _store(db_url)  # before the wait: a preheated kernel has it ready
    if preheated():
        warmup.warm_up(store)
    params = query_params()
    return MemberPage(store, consultation_id_of(params), params.get("t"),
                      language_of(params))


def results_page(db_url: str | None = None):
    """Return the read-only results page for the link that opened this kernel."""
    from ..widgets.results import ResultsView

    store = _store(db_url)  # before the wait: a preheated kernel has it ready
    params = query_params()
    return ResultsView(store, consultation_id_of(params), params.get("t"),
                       language_of(params))


def endorse_page(db_url: str | None = None):
    """Return the endorsement page (the latest draft) for the link that opened this kernel."""
    from ..widgets.endorse import EndorsementPage

    store = _store(db_url)  # before the wait: a preheated kernel has it ready
    params = query_params()
    return EndorsementPage(store, consultation_id_of(params), params.get("t"),
                           language_of(params))


def _facilitator_key_given(params: dict[str, str]) -> bool:
    """Whether the link carries the key ``cop-widgets serve`` printed (constant time)."""
    return key_matches(params.get("k"), os.environ.get(FACILITATOR_KEY_HASH_ENV))


def analysis_notebook(consultation_id: int, db_url: str | None = None):
    """Open a consultation for analysis: the analysis workbook's first cell.

    In JupyterLab this is :func:`cop_widgets.open_consultation`. Served by Voila, the
    workbook would show a consultation's figures to anyone reaching the server, so it asks
    for the facilitator key, as the facilitator page does.

    Raises
    ------
    PermissionError
        Under Voila, without the facilitator link's key.

    """
    if under_voila() and not _facilitator_key_given(query_params()):
        raise PermissionError("The analysis workbook needs the facilitator link printed by "
                              "`cop-widgets serve` (or open it in JupyterLab).")
    from ..notebook import open_consultation

    return open_consultation(consultation_id, db_url)


def facilitator_page(db_url: str | None = None, base_url: str | None = None):
    """Return the facilitator's workbench.

    In JupyterLab the user already runs code, so the workbench opens. Under Voila anyone
    reaching the server could open this page, so it asks for the facilitator key that
    ``cop-widgets serve`` printed (``?k=...``), compared in constant time. Under Voila,
    ``?lang=fr`` (or ``es``) gives the workbench, and its refusal, in that language.
    """
    import ipywidgets as w

    from ..i18n import translator
    from ..widgets.common import Message

    language = None
    if under_voila():
        params = query_params()
        language = language_of(params)
        if not _facilitator_key_given(params):
            _ = translator(language)
            message = Message()
            message.show(_("The facilitator page needs the facilitator link printed by "
                           "`cop-widgets serve` (or open the workbook in JupyterLab)."),
                         "error")
            return w.VBox([message])
    from ..widgets.facilitator import facilitator_workbench

    return facilitator_workbench(db_url, base_url, language=language)
