"""Page weight (issue 15): what a member's browser downloads, asked over HTTP.

One real ``cop-widgets serve`` for the module (``shared_server``). The member page and the
big static files it loads (Voila's front end, the JupyterLab stylesheet, the widget
extensions) come back gzip-encoded to a browser that accepts it, those static files carry
cache headers that let a repeat visit take them from the browser's cache without asking, and
the kernel's WebSocket (every widget's state) is deflated. benchmarks/page_weight.py
measures the bytes in chromium; these tests pin the headers.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import os
import re
import urllib.request
from html import unescape
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

#: A repeat visit within a day must skip every static file the page loads.
DAY = 24 * 3600


def fetch(base_url: str, path: str, encoding: str | None = "gzip") -> tuple[dict, bytes]:
    """GET ``path``; return the headers (lower-case names) and the body as sent."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    request = urllib.request.Request(base_url + path, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200, path
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def max_age(headers: dict) -> int:
    """The ``max-age`` of ``Cache-Control`` (0 when absent or when caching is refused)."""
    control = headers.get("cache-control", "")
    if "no-cache" in control or "no-store" in control:
        return 0
    found = re.search(r"max-age=(\d+)", control)
    return int(found.group(1)) if found else 0


@pytest.fixture(scope="module")
def member_page(shared_server) -> tuple[dict, str]:
    """The member page's headers and HTML, asked with ``Accept-Encoding: gzip``."""
    seeded = shared_server.consultations.open
    token = seeded.tokens[seeded.members[0].id]
    headers, body = fetch(shared_server.base_url,
                          f"/voila/render/member.ipynb?c={seeded.consultation.id}&t={token}")
    assert headers.get("content-encoding") == "gzip"
    return headers, gzip.decompress(body).decode("utf-8")


def page_config(html: str) -> dict:
    """The page's ``jupyter-config-data`` (its kernel, its widget extensions)."""
    return json.loads(re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html,
        re.S).group(1))


def static_paths(html: str) -> list[str]:
    """The page's own scripts and stylesheets, and its widget extensions' entry points."""
    paths = [unescape(p) for p in re.findall(r'(?:src|href)="(/voila/[^"]+)"', html)]
    config = page_config(html)
    paths += [f"/voila/labextensions/{ext['name']}/{ext['load']}"
              for ext in config["federated_extensions"]]
    return paths


def test_the_member_page_comes_gzipped_and_is_never_cached(member_page):
    headers, html = member_page
    assert "cop-member-page" in html or "Your position" in html
    # it carries the member's kernel: a cached copy would open a kernel that is gone
    assert max_age(headers) == 0 and "no-store" in headers["cache-control"]


def test_the_big_static_files_come_gzipped_and_cached(shared_server, member_page):
    _headers, html = member_page
    paths = static_paths(html)
    # the files that make the weight: Voila's front end and styles, JupyterLab's
    # stylesheet, and the widget manager's entry point
    for expected in ("voila.js", "voila-style.js", "index.css", "jupyterlab-manager"):
        assert any(expected in path for path in paths), (expected, paths)
    for path in paths:
        headers, body = fetch(shared_server.base_url, path)
        plain = gzip.decompress(body)
        assert headers.get("content-encoding") == "gzip", path
        assert len(body) < len(plain) / 2, path
        assert max_age(headers) >= DAY, (path, headers.get("cache-control"))
        if "?v=" in path or "/labextensions/" in path:  # named by their content's hash
            assert max_age(headers) >= 365 * DAY, (path, headers.get("cache-control"))


def test_a_widget_extension_chunk_is_cached_for_good(shared_server, member_page):
    """The chunks a widget extension loads, ``?v=<hash>``, are cached without revalidation."""
    _headers, html = member_page
    entry = next(p for p in static_paths(html) if "jupyterlab-manager" in p)
    _h, body = fetch(shared_server.base_url, entry)
    script = gzip.decompress(body).decode("utf-8")
    chunk = re.search(r'(\d+):"([0-9a-f]{16,})"', script)
    assert chunk, "no chunk hash in the extension's entry point"
    folder = entry.rsplit("/", 1)[0]
    headers, _ = fetch(shared_server.base_url,
                       f"{folder}/{chunk.group(1)}.{chunk.group(2)}.js?v={chunk.group(2)}")
    assert "immutable" in headers["cache-control"]
    assert max_age(headers) >= 365 * DAY


def test_a_browser_that_does_not_accept_gzip_gets_plain_files(shared_server, member_page):
    _headers, html = member_page
    path = next(p for p in static_paths(html) if "index.css" in p)
    headers, body = fetch(shared_server.base_url, path, encoding=None)
    assert "content-encoding" not in headers
    assert body.startswith(b"/*") or b"{" in body[:2000]


def websocket_extensions(base_url: str, path: str) -> tuple[int, str]:
    """Open a WebSocket handshake offering permessage-deflate; return status and extensions."""
    where = urlsplit(base_url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    try:
        connection.request("GET", path, headers={
            "Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits"})
        response = connection.getresponse()
        return response.status, response.getheader("Sec-WebSocket-Extensions") or ""
    finally:
        connection.close()


def test_the_kernels_messages_are_deflated(shared_server, member_page):
    """Every widget's state comes over the kernel's WebSocket: compressed when offered."""
    _headers, html = member_page
    config = page_config(html)
    status, extensions = websocket_extensions(
        shared_server.base_url, f"/api/kernels/{config['kernelId']}/channels")
    assert status == 101
    assert "permessage-deflate" in extensions
