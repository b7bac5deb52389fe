"""The page request a preheated Voila kernel serves, read without importing Voila.

A preheated kernel starts before anyone asks for a page, so it cannot find the link's query
string in its environment. Voila hands it over on a websocket of its own server
(``voila/query/<kernel id>``, Voila's ``RequestInfoSocketHandler``): the kernel connects,
waits, and receives one JSON object of CGI-style variables (``QUERY_STRING`` among them)
once a visitor takes the kernel. The environment variables that say where that websocket
is are set by Voila's kernel manager.

Voila's own helper (``voila.utils.get_query_string``) does the same, but importing
``voila.utils`` imports Voila's whole server (jupyter_server, jupyterlab_server, jsonschema
and its format checkers): 3.8 s and about 75 MB in every preheated kernel, measured with
``python -X importtime -c "from voila.utils import get_query_string"``. This module speaks
the same protocol with the ``websockets`` client alone (0.17 s, about 15 MB).
"""

from __future__ import annotations

import json
import os

__all__ = ["preheated", "query_url", "wait_for_request_info"]

#: Seconds to open the websocket to Voila (Voila's own helper also gives up after 5 s).
OPEN_TIMEOUT_S = 5.0


def preheated() -> bool:
    """Whether this kernel was started by Voila's preheated pool."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def query_url(environ: dict[str, str] | None = None) -> str:
    """Return the websocket URL on which Voila hands this kernel its request.

    Parameters
    ----------
    environ : dict, optional
        The kernel's environment (``os.environ`` by default).

    Returns
    -------
    str
        ``ws://<ip>:<port><base>voila/query/<kernel id>``, from the variables Voila's kernel
        manager sets (``VOILA_WS_PROTOCOL``, ``VOILA_APP_IP``, ``VOILA_APP_PORT``,
        ``VOILA_WS_BASE_URL`` or else ``VOILA_SERVER_URL``, ``VOILA_KERNEL_ID``).
    """
    env = os.environ if environ is None else environ
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    if not base.endswith("/"):
        base += "/"
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def wait_for_request_info() -> dict[str, str]:
    """Wait until a visitor takes this preheated kernel; return the request's variables.

    The variables are also put into ``os.environ``, as Voila does. Outside a preheated
    kernel this returns at once with nothing.

    Returns
    -------
    dict
        ``QUERY_STRING``, ``SCRIPT_NAME``, ``PATH_INFO`` and the other variables Voila sends;
        empty when the kernel is not preheated or the websocket cannot be opened (the page
        then sees no query string, and refuses as it does a link without a token).
    """
    if not preheated():
        return {}
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        with connect(query_url(), open_timeout=OPEN_TIMEOUT_S) as socket:
            message = socket.recv()
    except (OSError, TimeoutError, WebSocketException):
        return {}
    info = {str(key): str(value) for key, value in json.loads(message).items()}
    os.environ.update(info)
    return info
