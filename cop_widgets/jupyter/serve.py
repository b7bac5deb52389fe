"""Run Voila on the workbooks with the store configured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from ..io.workbooks import served_folder
from ..store.engine import resolve_url, shown_url, sqlite_file
from .keys import FACILITATOR_KEY_HASH_ENV, key_hash

__all__ = ["absolute_db_url", "voila_command", "serve", "default_max_kernels",
           "compression_wanted"]

#: JupyterLab extensions that Voila must not load into the pages: they extend JupyterLab's
#: own interface (its launcher, its proxy, its Voila preview button), which a page has not.
LAB_ONLY_EXTENSIONS = ("jupyter_app_launcher", "@jupyterhub/jupyter-server-proxy",
                       "@voila-dashboards/jupyterlab-preview")
#: Extensions whose work no page uses: jupyterlab_pygments colours highlighted code, and no
#: page shows code (3 requests fewer per first visit; benchmarks/page_weight.py).
UNUSED_EXTENSIONS = ("jupyterlab_pygments",)

#: The Jupyter data folder holding the ``cop`` Voila template (this package's folder).
JUPYTER_DATA = Path(__file__).parent
#: Where a facilitator may set the key instead of letting ``serve`` make one. ``serve``
#: reads it and takes it out of the environment it passes on: the server and its kernels
#: get only its hash (see :mod:`cop_widgets.jupyter.keys`).
FACILITATOR_KEY_ENV = "COP_WIDGETS_FACILITATOR_KEY"
#: Kernels for visitors allowed beyond the preheated pool, by default.
VISITOR_KERNELS = 40
#: ``0`` (or ``false``, ``no``, ``off``) turns gzip off: behind a proxy that compresses
#: itself, or to measure what it saves (benchmarks/page_weight.py).
COMPRESS_ENV = "COP_WIDGETS_COMPRESS"


def compression_wanted(environ: dict[str, str] | None = None) -> bool:
    """Return whether ``serve`` gzips its responses: unless ``$COP_WIDGETS_COMPRESS`` says no."""
    value = (environ if environ is not None else os.environ).get(COMPRESS_ENV, "")
    return value.strip().lower() not in ("0", "false", "no", "off")


def default_max_kernels(preheat: int) -> int:
    """Return the default cap of live kernels: the preheated pool plus 40 visitors' kernels.

    A kernel takes 60-120 MB, so 40 visitors' kernels stay within about 5 GB; a pool of
    ``preheat`` kernels is started anyway, and each visitor who takes one leaves room for
    a refill.
    """
    return max(preheat, 0) + VISITOR_KERNELS


def facilitator_key_file(db_url: str) -> Path | None:
    """Return where the facilitator key of the database ``db_url`` is kept.

    Beside a SQLite file (``cop.db`` -> ``cop.db.facilitator-key``); for another database,
    in ``~/.config/cop-widgets/`` under a name drawn from its URL (password left out);
    ``None`` for an in-memory database, whose key cannot outlive the server anyway.
    """
    import hashlib

    database = sqlite_file(db_url)
    if database is not None:
        return database.with_name(database.name + ".facilitator-key")
    if db_url.startswith("sqlite"):
        return None  # in memory
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    name = hashlib.sha256(shown_url(db_url).encode()).hexdigest()[:16]
    return config / "cop-widgets" / f"facilitator-{name}.key"


def facilitator_key(db_url: str) -> str:
    """Return the facilitator key for ``db_url``.

    ``$COP_WIDGETS_FACILITATOR_KEY`` if set, else the one kept in
    :func:`facilitator_key_file` (made there the first time), so that the facilitator link
    stays the same from one ``serve`` to the next.
    """
    from ..io.keyfile import read_or_create_key

    given = os.environ.get(FACILITATOR_KEY_ENV)
    if given:
        return given
    path = facilitator_key_file(db_url)
    return read_or_create_key(path) if path else secrets.token_urlsafe(18)


def absolute_db_url(url: str | None) -> str:
    """Resolve ``url`` and make a relative SQLite path absolute.

    Voila starts kernels in the workbooks folder, so a relative path would name another file.
    """
    url = resolve_url(url)
    path = sqlite_file(url)
    if path is not None and not path.is_absolute():
        url = f"sqlite:///{path.resolve()}"
    return url


def url_prefix(public_url: str | None) -> str:
    """Return the path the pages are served under, ``/`` or ``/some/path/``.

    The path of ``public_url`` when given; else ``$JUPYTERHUB_SERVICE_PREFIX`` (set by
    JupyterHub for a service, which its proxy forwards with the prefix kept); else ``/``.

    Raises
    ------
    ValidationError
        If ``public_url`` is not an http(s) URL with a host, or has a query or fragment.
    """
    from urllib.parse import urlsplit

    from ..errors import ValidationError

    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("--public-url", "not-a-public-url", public_url)
        if parts.query or parts.fragment:
            raise ValidationError("--public-url", "url-query", public_url)
        path = parts.path
    else:
        path = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "") or "/"
    return "/" + "".join(f"{piece}/" for piece in path.split("/") if piece)


def voila_command(port: int, host: str, *, preheat: int = 0,
                  fill_delay: float | None = None, prefix: str = "/",
                  max_kernels: int | None = None, folder: Path | None = None,
                  max_pages_per_link: int | None = None) -> list[str]:
    """Return the Voila command line serving the workbooks.

    Parameters
    ----------
    port, host : int, str
        Where Voila listens.
    preheat : int
        Number of kernels Voila keeps started for the member page (0: none).
    fill_delay : float, optional
        Seconds before the preheated pool refills (Voila's default when omitted).
    prefix : str
        The path the pages are served under (see :func:`url_prefix`).
    max_kernels : int, optional
        Live kernels past which a page request is answered 503 (0: no cap); by default
        :func:`default_max_kernels` of ``preheat``.
    folder : Path, optional
        The workbooks served; by default :func:`~cop_widgets.io.workbooks.served_folder`
        (the working directory's when it holds them, else the package's).
    max_pages_per_link : int, optional
        Live pages one member's link may hold (0: no limit); by default
        ``CopVoila.max_pages_per_link`` (5).
    """
    if folder is None:
        folder = served_folder()
    if max_kernels is None:
        max_kernels = default_max_kernels(preheat)
    command = [
        # Voila with a gate in front of its pages: a link without its credential is refused
        # before a kernel starts (cop_widgets.jupyter.gate).
        sys.executable, "-m", "cop_widgets.jupyter.voila_app", str(folder),
        f"--CopVoila.max_kernels={max_kernels}",
        *([f"--CopVoila.max_pages_per_link={max_pages_per_link}"]
          if max_pages_per_link is not None else []),
        f"--port={port}", f"--Voila.ip={host}", "--no-browser",
        f"--Voila.base_url={prefix}",
        "--VoilaConfiguration.show_tracebacks=False",
        # Our template (found through JUPYTER_PATH) loads nothing from a CDN.
        "--VoilaConfiguration.template=cop",
        # JupyterLab's own extensions stay out of the pages: the launcher's
        # (jupyter-app-launcher) threw in every page, and none of them serves a member.
        # (one option per item: a list in one option is deprecated since traitlets 5)
        *(f"--VoilaConfiguration.extension_denylist={name}"
          for name in LAB_ONLY_EXTENSIONS + UNUSED_EXTENSIONS),
        "--theme=light",
        # Kernels talk to the server over Unix sockets in the runtime folder, not TCP ports:
        # when a hundred start at once (a preheated pool), free ports picked by one kernel
        # were taken by another's before it bound them ("Address already in use"), and
        # the members given those kernels got no page (benchmarks/load.py).
        *(["--KernelManager.transport=ipc"] if os.name == "posix" else []),
        # Voila's page-close beacon posts without an _xsrf cookie (the notebook page never
        # sets one), so every closed tab left its kernel running. Standalone Voila has no
        # state-changing endpoint but that shutdown (kernel ids are random UUIDs), so the
        # check is switched off; idle kernels of vanished tabs are culled as a safety net.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        # Thirty members opening their links at once on two cores: kernels answer slowly,
        # and Voila's default wait for a cell's output gave up on every page (measured by
        # benchmarks/burst.py: 0 of 30 pages usable; with 120 s, 30 of 30).
        "--VoilaExecutor.iopub_timeout=120",
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
        # gzip: the member page's 5 MB of JavaScript and CSS travel as about 1.4 MB
        # (benchmarks/page_weight.py); cop_widgets.jupyter.voila_app sets it up.
        f"--CopVoila.compress={compression_wanted()}",
    ]
    if preheat > 0:
        command += [
            "--preheat_kernel=True",
            f"--pool_size={preheat}",
            '--VoilaKernelManager.kernel_pools_config='
            f'{{"member.ipynb": {{"pool_size": {preheat}}}, "default": {{"pool_size": 0}}}}',
        ]
        if fill_delay is not None:
            # A workshop burst: refill the pool later so the refill does not compete with the
            # pages being served (benchmarks/burst.py: 30 pages, pool 30, p50 80.7 s with
            # Voila's 1 s; with 30 s, 22.4 s on a quick day but 130 s on a slower one, where
            # the refill fell inside the burst; 33.9 s with 120 s). A visitor who finds the
            # pool empty waits for the refill, so this is for a pool as large as the burst.
            command += [f"--VoilaKernelManager.fill_delay={fill_delay:g}"]
    return command


def serve(db_url: str | None, port: int, host: str, *, preheat: int = 0,
          fill_delay: float | None = None, public_url: str | None = None,
          max_kernels: int | None = None, max_pages_per_link: int | None = None) -> int:
    """Run Voila until it stops; return its exit code.

    The facilitator workbook, when opened through Voila rather than JupyterLab, asks for a
    facilitator key (:func:`facilitator_key`: ``$COP_WIDGETS_FACILITATOR_KEY``, else kept in
    a file beside the database, so the printed link stays the same for that database).

    ``public_url`` is where members reach the pages, when that is not ``http://HOST:PORT/``
    (behind a proxy, or as a JupyterHub service): its path is the prefix Voila serves under,
    and the links printed here and made by the facilitator page start with it. Without it,
    ``$JUPYTERHUB_SERVICE_PREFIX`` (if set) is the prefix.

    ``max_kernels`` caps the live kernels, ``max_pages_per_link`` the live pages of one
    member's link (see :func:`voila_command`).

    The workbooks served are those of the working directory when it holds them (a folder
    written by ``cop-widgets init``), else the package's; the default database
    (``cop-widgets.db`` in the working directory) is then the folder's too.
    """
    from ..errors import ValidationError
    from ..store import Store

    prefix = url_prefix(public_url)  # a bad --public-url stops before anything starts
    if max_kernels is not None and max_kernels < 0:
        raise ValidationError("--max-kernels", "not-a-count", max_kernels)
    if max_pages_per_link is not None and max_pages_per_link < 0:
        raise ValidationError("--max-pages-per-link", "not-a-count", max_pages_per_link)
    env = dict(os.environ)
    env["COP_WIDGETS_DB"] = absolute_db_url(db_url)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p
    )
    Store(env["COP_WIDGETS_DB"]).close()  # migrate once here, not in every page's kernel
    key = facilitator_key(env["COP_WIDGETS_DB"])
    env.pop(FACILITATOR_KEY_ENV, None)
    env[FACILITATOR_KEY_HASH_ENV] = key_hash(key)
    local = f"http://{host}:{port}{prefix}".rstrip("/")
    base = public_url.rstrip("/") if public_url else local
    # for the links the facilitator page creates (an explicit --public-url wins)
    if public_url:
        env["COP_WIDGETS_BASE_URL"] = base
    else:
        env.setdefault("COP_WIDGETS_BASE_URL", base)
    folder = served_folder()
    print(f"Serving {folder} on {local}/ (database: {shown_url(env['COP_WIDGETS_DB'])})")
    if folder != Path.cwd().absolute():
        print("(the package's own workbooks: `cop-widgets init FOLDER` writes them into a "
              "folder of yours, served when `cop-widgets serve` starts there)")
    print(f"Facilitator page: {base}/voila/render/facilitator.ipynb"
          f"?k={key}", flush=True)
    kept = facilitator_key_file(env["COP_WIDGETS_DB"])
    if os.environ.get(FACILITATOR_KEY_ENV):
        print(f"(the key is ${FACILITATOR_KEY_ENV})", flush=True)
    elif kept:
        print(f"(the key is kept in {kept}, readable by you only: the link stays the same "
              f"until you delete that file)", flush=True)
    return subprocess.call(voila_command(port, host, preheat=preheat, fill_delay=fill_delay,
                                         prefix=prefix, max_kernels=max_kernels,
                                         folder=folder,
                                         max_pages_per_link=max_pages_per_link), env=env)
