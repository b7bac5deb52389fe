"""What the adversarial review found holding, kept holding (issue 11, "What held up").

* a page's kernel websocket drops ``execute_request`` (a visitor cannot run code);
* Jupyter's ``/api/*`` (but a page's own kernel channel), ``/tree`` and ``/lab`` are closed;
  ``/voila/files/`` is covered by ``tests/test_cli.py``.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.websocket import websocket_connect

pytestmark = pytest.mark.slow


def message(msg_type: str, content: dict) -> str:
    """A Jupyter message in the JSON form of the kernel websocket (no subprotocol)."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "visitor",
                   "session": uuid.uuid4().hex, "date": "2026-12-02T00:00:00Z",
                   "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
        "buffers": [],
    })


async def replies_to(url: str, requests: list[str], until: str, timeout: float = 120,
                     grace: float = 3) -> list[dict]:
    """Send ``requests`` on the kernel channel; collect the shell replies.

    Reading stops ``grace`` seconds after a reply of type ``until`` (the last request's
    reply: the kernel answers shell requests in order, so any earlier reply has come by
    then), or after ``timeout`` seconds.
    """
    connection = await websocket_connect(url)
    for request in requests:
        await connection.write_message(request)
    found: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            raw = await asyncio.wait_for(connection.read_message(),
                                         timeout=max(0.05, deadline - loop.time()))
        except asyncio.TimeoutError:
            break
        if raw is None:
            break
        if isinstance(raw, str):
            msg = json.loads(raw)
            if msg.get("channel") == "shell":
                found.append(msg)
                if msg["header"]["msg_type"] == until:
                    deadline = min(deadline, loop.time() + grace)
    connection.close()
    return found


def test_a_visitor_cannot_run_code_through_the_kernel_websocket(served, tmp_path):
    server = served
    seeded = server.consultations.open
    token = seeded.tokens[seeded.members[0].id]
    page = server.get(f"/voila/render/member.ipynb?c={seeded.consultation.id}&t={token}")
    assert page.status == 200
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.body).group(1)
    marker = tmp_path / "ran.txt"
    url = server.base_url.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels"
    # in a thread of its own: the browser tests' Playwright may hold this thread's loop
    with ThreadPoolExecutor(1) as pool:
        replies = pool.submit(asyncio.run, replies_to(url, [
            message("execute_request", {"code": f"open({str(marker)!r}, 'w').write('x')",
                                        "silent": False, "store_history": False,
                                        "user_expressions": {}, "allow_stdin": False}),
            message("kernel_info_request", {}),
        ], until="kernel_info_reply")).result()
    kinds = [reply["header"]["msg_type"] for reply in replies]
    assert "kernel_info_reply" in kinds  # the channel works: an allowed message is answered
    assert "execute_reply" not in kinds
    assert not marker.exists()


def test_jupyter_endpoints_are_closed(served):
    server = served
    for path in ("/api/kernels", "/api/contents", "/api/sessions", "/api/terminals", "/tree",
                 "/lab", "/api/kernelspecs", "/voila/api/shutdown/x",
                 # no folder is listed, not even the names of the notebooks served
                 "/", "/voila/tree", "/voila/tree/workbooks", "/voila/api/contents",
                 "/voila/api/contents/member.ipynb"):
        reply = server.get(path)
        assert reply.status in (403, 404, 405), (path, reply.status, reply.body[:200])
    assert server.kernels() == []
