"""A preheated kernel learns its page request without importing Voila's server (issue 15).

A kernel of ``serve --preheat`` starts before anyone asks for a page and waits for the link
on Voila's query websocket. Voila's helper for this (``voila.utils``) imports Voila's whole
server into every kernel: 3.8 s and about 75 MB each. ``cop_widgets.jupyter.request_info``
speaks the same protocol with the websocket client alone.

- In a fresh interpreter set up as Voila sets up a preheated kernel, against a stand-in for
  Voila's query websocket, the member page is built for the link's member, and neither
  Voila nor Jupyter's server is imported.
- Under a real ``cop-widgets serve --preheat 1``, the preheated page is the member's: the
  widget state the page's websocket gives back shows the consultation's statements and the
  member's own draft, and a second link gets a page of its own. The kernel warmed up
  before its visitor came (``cop_widgets.jupyter.warmup``, in the server's log), and
  nothing the warm-up built is in the state.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import uuid

import pytest
from helpers import free_port
from widget_client import KERNEL_ID, Page, run_in_thread

from cop_widgets.demo import seed_demo
from cop_widgets.jupyter.request_info import query_url
from cop_widgets.jupyter.warmup import NO_CONSULTATION
from cop_widgets.store import Store

BUILD = """
import json, sys
from cop_widgets.jupyter.pages import member_page

page = member_page(sys.argv[1])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in
               {"voila", "jupyter_server", "jupyterlab_server", "jsonschema", "nbconvert"})
member = getattr(page, "member", None)
print(json.dumps({"member": member.id if member else None,
                  "refused": page.refusal is not None, "heavy": heavy}))
"""


class QuerySocket:
    """A stand-in for Voila's ``voila/query/<kernel id>`` websocket, on a loopback port."""

    def __init__(self, kernel_id: str, info: dict[str, str]) -> None:
        self.port = free_port()
        self.asked: list[str] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(kernel_id, info), daemon=True)

    def _run(self, kernel_id: str, info: dict[str, str]) -> None:
        import tornado.web
        import tornado.websocket

        owner = self

        class Handler(tornado.websocket.WebSocketHandler):
            def open(self, asked: str) -> None:
                owner.asked.append(asked)
                if asked == kernel_id:
                    self.write_message(json.dumps(info))

        async def serve() -> None:
            app = tornado.web.Application([(r"/voila/query/([^/]+)", Handler)])
            listening = app.listen(self.port, address="127.0.0.1")
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            listening.stop()

        asyncio.run(serve())

    def __enter__(self) -> QuerySocket:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('preheat') / 'demo.db'}"
    with Store(url) as store:
        seeded = seed_demo(store)
    return url, seeded


def _preheated_env(port: int, kernel_id: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QUERY_STRING"}
    env.update(VOILA_PREHEAT="True", VOILA_APP_PORT=str(port), VOILA_KERNEL_ID=kernel_id,
               VOILA_SERVER_URL="/", VOILA_BASE_URL="/")
    return env


def test_the_query_url_is_where_voila_hands_the_request_over():
    assert query_url({"VOILA_APP_PORT": "8871", "VOILA_KERNEL_ID": "k1",
                      "VOILA_SERVER_URL": "/prefix/"}) == \
        "ws://127.0.0.1:8871/prefix/voila/query/k1"
    assert query_url({"VOILA_APP_PORT": "8871", "VOILA_KERNEL_ID": "k1",
                      "VOILA_SERVER_URL": "/", "VOILA_WS_BASE_URL": "/ws/",
                      "VOILA_WS_PROTOCOL": "wss", "VOILA_APP_IP": "10.0.0.2"}) == \
        "wss://10.0.0.2:8871/ws/voila/query/k1"


def test_a_preheated_kernel_builds_the_links_page_without_voilas_server(demo):
    url, seeded = demo
    member_id, token = next(iter(seeded.tokens.items()))
    kernel_id = str(uuid.uuid4())
    query = f"c={seeded.consultation_id}&t={token}"
    with QuerySocket(kernel_id, {"QUERY_STRING": query, "SCRIPT_NAME": "/x"}) as socket:
        done = subprocess.run([sys.executable, "-c", BUILD, url], capture_output=True,
                              text=True, timeout=120,
                              env=_preheated_env(socket.port, kernel_id))
    assert done.returncode == 0, done.stderr
    built = json.loads(done.stdout.strip().splitlines()[-1])
    assert socket.asked == [kernel_id]
    assert built == {"member": member_id, "refused": False, "heavy": []}


def test_a_preheated_kernel_that_cannot_reach_voila_refuses_instead_of_hanging(demo):
    url, _ = demo
    env = _preheated_env(free_port(), str(uuid.uuid4()))  # nothing listens there
    done = subprocess.run([sys.executable, "-c", BUILD, url], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["refused"] is True


# -- under a real server ---------------------------------------------------------------------


async def _widget_state(base_url: str, html: str) -> dict:
    """What ipywidgets' front end asks the page's kernel for: every widget model's state."""
    from tornado.websocket import websocket_connect

    kernel_id = KERNEL_ID.search(html).group(1)
    connection = await websocket_connect(base_url.replace("http://", "ws://")
                                         + f"/api/kernels/{kernel_id}/channels")
    try:
        page = Page(connection, timeout=60)
        await page.open_control()
        return await page.states()
    finally:
        connection.close()


@pytest.mark.slow
def test_a_preheated_page_under_serve_is_the_members_own(serving):
    server = serving(preheat=1)
    assert server.wait_for_kernels(1) == 1  # the pool
    seeded = server.consultations.open
    c = seeded.consultation.id
    first = seeded.members[0]
    concerns = "Concerns only the first member wrote"
    server.store.save_card(c, seeded.tokens[first.id], [
        {"statement_id": seeded.statements[0].id, "stance": 2}], concerns=concerns)
    texts = []
    for member in seeded.members[:2]:
        reply = server.get(f"/voila/render/member.ipynb?c={c}&t={seeded.tokens[member.id]}")
        assert reply.status == 200
        states = run_in_thread(_widget_state(server.base_url, reply.body))
        text = json.dumps(states)
        assert all(json.dumps(s.text)[1:-1] in text for s in seeded.statements)
        assert f"cop-st-{NO_CONSULTATION}" not in text  # the warm-up's row
        texts.append(text)
    assert concerns in texts[0]  # the first link's page shows the first member's draft
    assert concerns not in texts[1]  # the second link's page is the second member's
    assert "member kernel warmed up in" in server.log.read_text(errors="replace")
