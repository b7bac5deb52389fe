"""ipywidgets' front end, spoken on a page's kernel websocket without a browser (tests only).

What a browser does for a Voila page, at the protocol level: open a
``jupyter.widget.control`` comm, ask for every model's state (``request_states`` ->
``update_states``), and send widget messages (``update``, ``click``) to models. Used by the
tests that attack a real ``cop-widgets serve`` through its websocket or read what a page
shows; ``benchmarks/load.py`` speaks the same protocol for its load.
"""

from __future__ import annotations

import asyncio
import json
import re
import struct
import time
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

#: ipywidgets' control comm protocol (``ipywidgets._version.__control_protocol_version__``).
CONTROL_PROTOCOL = "1.0.0"
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




def run_in_thread(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coroutine`` in a thread of its own: the browser tests' Playwright may hold this
    thread's event loop (they run on the same pytest worker)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
