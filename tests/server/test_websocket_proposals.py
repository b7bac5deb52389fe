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

import html
import time

import pytest
from tornado.websocket import websocket_connect
from widget_client import KERNEL_ID, Page, model_of, run_in_thread

from cop_widgets import model as m
from cop_widgets.error_codes import RULES
from cop_widgets.model.policies import MAX_PENDING_PROPOSALS

pytestmark = pytest.mark.slow

PROPOSALS = 200


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
    before, after, seconds = run_in_thread(flood(ws_url, PROPOSALS))
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
