"""Voila with the gate in front of its pages: ``python -m cop_widgets.jupyter.voila_app``.

``cop-widgets serve`` runs this rather than ``python -m voila``. It is Voila, configured the
same way (``--Voila.*`` and every other option still apply), with these differences:

* the handler of ``/voila/render/<page>`` asks :class:`~cop_widgets.jupyter.gate.Gate`
  first, and a refused request is answered (403, 404, or 429 and 503 with
  ``Retry-After``) with a short page in the visitor's language before any kernel starts;
* ``--CopVoila.max_kernels`` caps the live kernels (0: no cap), and
  ``--CopVoila.max_pages_per_link`` the live pages one member's link holds (0: no limit;
  :class:`LinkKernels` keeps which kernel each link holds);
* every response carries ``Referrer-Policy: no-referrer``, because member URLs carry tokens;
* responses are gzip-compressed and the kernel's WebSocket deflated when the browser
  accepts it (``--CopVoila.compress``), and the static files a page loads stay in the
  browser's cache (:class:`HashedExtensionFileHandler`, :class:`VoilaStaticFileHandler`):
  a member on a poor network downloads about 30 % of the bytes once, and little again;
* no file beside the notebooks is served at ``/voila/files/``;
* no folder is listed: Voila's tree pages (``/``, ``/voila/tree/...``) and the contents API
  behind them (``/voila/api/contents/...``) are not served, so the names of the files in
  the folder ``serve`` runs in (a facilitator's own, after ``cop-widgets init``) are not
  shown to anyone, and no tree page fetches its stylesheet from a CDN.

Voila's own ``prelaunch_hook`` cannot do this: Voila refuses it together with preheated
kernels, which a workshop needs.
"""

from __future__ import annotations

import os
import re
import time
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qs

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import FileFindHandler
from traitlets import Bool, Integer
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from .gate import RETRY_AFTER_SECONDS, Gate, link_of
from .keys import FACILITATOR_KEY_HASH_ENV
from .refusal_page import refusal_html

__all__ = ["CopVoila", "GatedVoilaHandler", "HashedExtensionFileHandler", "LinkKernels",
           "VoilaStaticFileHandler", "main"]

#: The member link (:func:`~cop_widgets.jupyter.gate.link_of`) of the page request being
#: served, for :class:`LinkKernels` to note which kernel it gets.
_SERVING_LINK: ContextVar[str | None] = ContextVar("cop_serving_link", default=None)

#: A file name carrying a content hash, as JupyterLab's extension builder writes them
#: (``remoteEntry.c8c9eed2cdefdeac.js``, ``84.09c61a35dce1705f.js``).
HASHED_NAME = re.compile(r"\.[0-9a-f]{16,}\.(?:js|css)$")
#: Seconds a browser keeps Voila's own front-end files (``/voila/static/``) without asking
#: again. Their names carry no hash (``7155.voila.js``): a day, so that a Voila upgrade
#: reaches every browser by the next day. Without the header browsers guessed (a tenth of
#: the file's age), which is shorter just after an install and longer later.
VOILA_STATIC_MAX_AGE = 24 * 3600
#: Seconds for a file whose URL or name carries its content's hash: it cannot change.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


class HashedExtensionFileHandler(FileFindHandler):
    """Voila's handler of ``/voila/labextensions/``, with content-hashed files kept cached.

    Voila (like JupyterLab) serves the widget extensions' files with ``Cache-Control:
    no-cache``, so each visit asks again for every one of them (17 requests for the member
    page, each a round trip on a slow network). Their names, or the ``?v=`` their loader
    adds, are hashes of their content: such a file is cached for good. Any other file keeps
    jupyter_server's rule (no-cache, revalidated).
    """

    def set_headers(self) -> None:
        """jupyter_server's headers, then a long cache life for a content-hashed file."""
        super().set_headers()
        if "v" in self.request.arguments or HASHED_NAME.search(self.request.path):
            self.set_header("Cache-Control", f"max-age={IMMUTABLE_MAX_AGE}, immutable")


class VoilaStaticFileHandler(MultiStaticFileHandler):
    """Voila's handler of ``/voila/static/`` (its front end), with a day's cache life."""

    def get_cache_time(self, path: str, modified, mime_type: str) -> int:
        """Tornado's ten years for a ``?v=`` URL; else :data:`VOILA_STATIC_MAX_AGE`."""
        if "v" in self.request.arguments:
            return self.CACHE_MAX_AGE
        return VOILA_STATIC_MAX_AGE


class LinkKernels:
    """Which live kernel each member link holds, to limit the pages one link may open.

    Voila gives a page its kernel in one of two calls of its kernel manager: a preheated
    one from ``get_rendered_notebook``, a new one from ``start_kernel``. Both are wrapped:
    a kernel started or taken while a member link's request is served (the request sets
    ``_SERVING_LINK``) is that link's. A kernel that has stopped (its page was closed, or
    culled when idle) no longer counts.

    Parameters
    ----------
    kernel_manager : voila's kernel manager
        The server's; its two calls are wrapped on this instance only.
    """

    def __init__(self, kernel_manager: Any):
        self.kernel_manager = kernel_manager
        self.owner: dict[str, str] = {}
        start = kernel_manager.start_kernel

        async def start_kernel(*args: Any, **kwargs: Any) -> str:
            kernel_id = await ensure_async(start(*args, **kwargs))
            self._note(kernel_id)
            return kernel_id

        kernel_manager.start_kernel = start_kernel
        rendered = getattr(kernel_manager, "get_rendered_notebook", None)
        if rendered is not None:  # Voila's preheated pool
            async def get_rendered_notebook(*args: Any, **kwargs: Any) -> Any:
                result = await rendered(*args, **kwargs)
                self._note(result[2])  # (render task, rendered cells, kernel id)
                return result

            kernel_manager.get_rendered_notebook = get_rendered_notebook

    def _note(self, kernel_id: str) -> None:
        link = _SERVING_LINK.get()
        if link is not None:
            self.owner[kernel_id] = link

    def pages(self, link: str | None) -> int:
        """Return how many live kernels ``link`` holds (0 for ``None``)."""
        live = set(self.kernel_manager.list_kernel_ids())
        for kernel_id in [k for k in self.owner if k not in live]:
            del self.owner[kernel_id]
        return 0 if link is None else sum(1 for k in self.owner.values() if k == link)


class GatedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler behind the gate: no kernel for a request the gate refuses."""

    @tornado.web.authenticated  # as Voila's own handler, when Voila's token is on
    async def get(self, path: str | None = None):
        """Answer the gate's refusal, or render the page as Voila does."""
        started = time.perf_counter()
        gate: Gate = self.settings["cop_gate"]
        # The kernel reads the first value of each parameter (pages.query_params): so do we.
        params = {key: values[0] for key, values in parse_qs(self.request.query).items()
                  if values}
        link = link_of(path or "", params)
        refusal = gate.check(path or "", params,
                             live_kernels=len(self.kernel_manager.list_kernel_ids()),
                             accept_language=self.request.headers.get("Accept-Language"),
                             link_pages=self.settings["cop_link_kernels"].pages(link))
        if refusal is None:
            serving = _SERVING_LINK.set(link)  # the kernel this request gets is the link's
            try:
                return await super().get(path)
            finally:
                _SERVING_LINK.reset(serving)
        self.set_status(refusal.status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if refusal.status in (429, 503):
            self.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
        self.log.info("gate: %s %s refused (%s) in %.1f ms", refusal.status, path,
                      refusal.code, 1000 * (time.perf_counter() - started))
        self.finish(refusal_html(refusal))


class CopVoila(Voila):
    """Voila serving the workbooks behind :class:`~cop_widgets.jupyter.gate.Gate`."""

    max_kernels = Integer(
        0, config=True,
        help="Live kernels (preheated ones included) past which a page request is answered "
             "503 with Retry-After; 0 for no cap.",
    )
    max_pages_per_link = Integer(
        5, config=True,
        help="Live pages (kernels) one member's link may hold at once; past it, a request "
             "with that link is answered 429 with Retry-After. 0 for no limit.",
    )
    compress = Bool(
        True, config=True,
        help="Gzip responses of a text type (pages, JavaScript, CSS, JSON) and deflate the "
             "kernel's WebSocket messages, for browsers that accept it. Off behind a proxy "
             "that compresses (it would not compress twice).",
    )

    def initialize(self, argv=None) -> None:
        """Voila's start-up, then no file served beside the notebooks.

        Voila serves files beside the notebooks at ``/voila/files/`` (images by default):
        chart images a facilitator exported into the workbook folder would be public there,
        whatever the results visibility. The pages need no such file, so none is served.
        (Set here rather than as ``--VoilaConfiguration.file_allowlist=[]``, which traitlets
        reports as deprecated on every start.)
        """
        super().initialize(argv)
        self.voila_configuration.file_allowlist = []

    def init_settings(self) -> dict:
        """Voila's settings, plus the gate, compression and a ``Referrer-Policy``.

        ``compress_response`` must be among the settings the application is built with:
        tornado chooses its output transforms (gzip) when it builds the application, and
        ``--Voila.tornado_settings``, which Voila applies afterwards, would set it in vain.
        """
        from ..store import Store

        settings = super().init_settings()
        settings["compress_response"] = self.compress
        # The kernel's messages (every widget's state) too: permessage-deflate, which
        # jupyter_server's kernel WebSocket offers when this setting is not None.
        settings["websocket_compression_options"] = {} if self.compress else None
        store = Store(os.environ.get("COP_WIDGETS_DB"), migrate=False)
        settings["cop_gate"] = Gate(store, os.environ.get(FACILITATOR_KEY_HASH_ENV),
                                    self.max_kernels, self.max_pages_per_link)
        settings["cop_link_kernels"] = LinkKernels(self.kernel_manager)
        headers = dict(settings.get("headers", {}))
        headers["Referrer-Policy"] = "no-referrer"
        settings["headers"] = headers
        return settings

    def init_handlers(self) -> list:
        """Voila's handlers, with the page handler behind the gate and no folder listed.

        The static files' handlers are replaced by ones that let browsers cache them (see
        :class:`HashedExtensionFileHandler`, :class:`VoilaStaticFileHandler`).
        """
        replaced = {TornadoVoilaHandler: GatedVoilaHandler,
                    FileFindHandler: HashedExtensionFileHandler,
                    MultiStaticFileHandler: VoilaStaticFileHandler}
        handlers = []
        for spec in super().init_handlers():
            if spec[1] in (TornadoVoilaTreeHandler, VoilaContentsHandler):
                continue
            if spec[1] in replaced:
                spec = (spec[0], replaced[spec[1]], *spec[2:])
            handlers.append(spec)
        return handlers


main = CopVoila.launch_instance

if __name__ == "__main__":
    main()
