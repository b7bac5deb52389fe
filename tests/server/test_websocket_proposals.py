"""200 proposals scripted through the kernel websocket, as the review did (issue 11, item 7).

The review opened a member page, then sent the widgets' own messages on the page's kernel
websocket (the text of the proposal box, a click on "Send proposal") 200 times in 10 s, and
200 proposals waited for the facilitator. Here a real ``cop-widgets serve`` is attacked the
same way, with ipywidgets' protocol as a browser speaks it (see ``benchmarks/load.py``):

1. ``GET`` the member page with a valid link and read the kernel id from it;
2. open the kernel websocket, open a ``jupyter.widget.control`` comm and ask for every
   model's state (``request_states`` -> ``update_states``);
3. find the proposal box, the "Send proposal" button and the message place beside it;
4. send 200 ``update`` messages (the box's value) and 200 ``click`` events, as fast as the
   socket takes them, then ask for the state again (the kernel answers its shell messages in
   order, so that answer comes after every click was handled).

The store must hold exactly ``MAX_PENDING_PROPOSALS`` pending proposals of that member (the
first ones sent), and the page must say why the others were refused.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import struct
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.websocket import websocket_connect

from cop_widgets import model as m
from cop_widgets.error_codes import RULES
from cop_widgets.model.policies import MAX_PENDING_PROPOSALS

pytestmark = pytest.mark.slow

#: ipywidgets' control comm protocol (``ipywidgets._version.__control_protocol_version__``).
CONTROL_PROTOCOL = "1.0.0"
PROPOSALS = 200
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    """A Jupyter shell message in the JSON form of the kernel websocket (no subprotocol)."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "attacker",
                   "session": session, "date": "2026-12-02T00:00:00Z", "version": "5.3"},
        "parent_header": {}, "metadata": metadata or {}, "content": content,
        "channel": "shell", "buffers": [],
    })


def decode(raw: str | bytes) -> dict:
    """A message of the kernel websocket: JSON text, or a binary frame (a message with
    buffers: a count, offsets, the JSON, then the buffers)."""
    if isinstance(raw, str):
        return json.loads(raw)
    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack("!" + "I" * count, raw[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0]:end].decode("utf-8"))


class Page:
    """A member page's kernel websocket, spoken to as ipywidgets' front end does."""

    def __init__(self, connection, timeout: float):
        self.connection = connection
        self.session = uuid.uuid4().hex
        self.control = uuid.uuid4().hex
        self.deadline = time.monotonic() + timeout

    async def send(self, comm_id: str, data: dict) -> None:
        await self.connection.write_message(message(
            "comm_msg", {"comm_id": comm_id, "data": data}, self.session))

    async def open_control(self) -> None:
        await self.connection.write_message(message(
            "comm_open", {"comm_id": self.control, "target_name": "jupyter.widget.control",
                          "data": {}}, self.session, metadata={"version": CONTROL_PROTOCOL}))

    async def states(self) -> dict[str, dict]:
        """Ask for every widget model's state; return ``{model_id: {"model_name", "state"}}``."""
        await self.send(self.control, {"method": "request_states"})
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no update_states from the page's kernel")
            raw = await asyncio.wait_for(self.connection.read_message(), left)
            if raw is None:
                raise ConnectionError("the kernel websocket closed")
            reply = decode(raw)
            content = reply.get("content") or {}
            data = content.get("data") or {}
            if (reply.get("msg_type") == "comm_msg" and content.get("comm_id") == self.control
                    and data.get("method") == "update_states"):
                return data["states"]


def model_of(states: dict[str, dict], model_name: str, description: str) -> str:
    """The one model of ``model_name`` whose ``description`` is ``description``."""
    found = [model_id for model_id, s in states.items()
             if s["model_name"] == model_name and s["state"].get("description") == description]
    assert len(found) == 1, (model_name, description, found)
    return found[0]


def place_beside(states: dict[str, dict], button: str) -> str:
    """The message place in the row of ``button`` (``Message.beside``): an HTML model."""
    for s in states.values():
        children = s["state"].get("children") or []
        if s["model_name"] == "HBoxModel" and f"IPY_MODEL_{button}" in children:
            places = [child.removeprefix("IPY_MODEL_") for child in children]
            places = [p for p in places if states[p]["model_name"] == "HTMLModel"]
            assert len(places) == 1, places
            return places[0]
    raise AssertionError(f"no row holds the button {button}")


async def flood(ws_url: str, count: int, timeout: float = 240) -> tuple[dict, dict, float]:
    """Send ``count`` proposals through the page's widgets; return the states before and
    after, and the seconds the flood took."""
    connection = await websocket_connect(ws_url)
    try:
        page = Page(connection, timeout)
        await page.open_control()
        before = await page.states()
        box = model_of(before, "TextareaModel", "Propose a new statement")
        button = model_of(before, "ButtonModel", "Send proposal")
        started = time.monotonic()
        for i in range(count):
            await page.send(box, {"method": "update", "state": {"value": f"Scripted {i}"},
                                  "buffer_paths": []})
            await page.send(button, {"method": "custom", "content": {"event": "click"}})
        after = await page.states()
        return before, after, time.monotonic() - started
    finally:
        connection.close()


def test_200_proposals_through_the_websocket_leave_five_waiting(serving):
    server = serving()
    seeded = server.consultations.open
    member = seeded.members[0]
    c = seeded.consultation.id
    reply = server.get(f"/voila/render/member.ipynb?c={c}&t={seeded.tokens[member.id]}")
    assert reply.status == 200
    kernel_id = KERNEL_ID.search(reply.body).group(1)
    ws_url = server.base_url.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
    # in a thread of its own: the browser tests' Playwright may hold this thread's loop
    with ThreadPoolExecutor(1) as pool:
        before, after, seconds = pool.submit(asyncio.run, flood(ws_url, PROPOSALS)).result()
    print(f"{PROPOSALS} proposals through the websocket handled in {seconds:.1f} s")

    # the store: exactly the first five of this member wait, nothing of the others
    pending = [s for s in server.store.list_statements(c, states=[m.ModerationState.PENDING])
               if s.proposed_by == member.id]
    assert [s.text for s in pending] == [f"Scripted {i}" for i in range(MAX_PENDING_PROPOSALS)]
    everything = server.store.list_statements(c, states=None)
    assert len(everything) == len(seeded.statements) + MAX_PENDING_PROPOSALS

    # the page: the place beside "Send proposal" says why, as one sentence
    button = model_of(after, "ButtonModel", "Send proposal")
    place = after[place_beside(after, button)]["state"]["value"]
    refusal = "Your statement was not sent: " + RULES["too-many-pending-proposals"].format(
        limit=MAX_PENDING_PROPOSALS)
    assert "5 proposals awaiting the facilitator" in refusal
    assert html.escape(refusal) in place
    assert "cop-error" in place and 'role="alert"' in place
    # the box keeps the last text refused, for the member to send later
    box = model_of(after, "TextareaModel", "Propose a new statement")
    assert after[box]["state"]["value"] == f"Scripted {PROPOSALS - 1}"
    # before the flood, the place was empty: the sentence came from the clicks
    assert before[place_beside(before, button)]["state"]["value"] == ""
