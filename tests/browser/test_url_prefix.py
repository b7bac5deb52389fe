"""``cop-widgets serve`` under a URL prefix, as a JupyterHub service or behind a proxy is.

JupyterHub runs a service with ``$JUPYTERHUB_SERVICE_PREFIX`` (``/services/NAME/``) and its
proxy forwards requests with that prefix kept; a reverse proxy does the same with a
``--public-url``. The pages, their kernels' web sockets and the links the server prints must
all live under the prefix. This test starts the real server with the environment variable a
hub sets, opens the facilitator link it printed and a member link under the prefix, submits
a card, and finds it in the database. (JupyterHub itself is not started: it needs Node's
configurable-http-proxy, which this project does not install.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from expect_or_skip import expect
from helpers import free_port, seed_consultation, stop_process_tree, wait_for_http

from cop_widgets.links import member_link
from cop_widgets.store import Store

pytestmark = pytest.mark.browser
PREFIX = "/services/cop-widgets/"


@pytest.fixture(scope="module")
def hub_service(tmp_path_factory, chromium_executable):
    folder = tmp_path_factory.mktemp("prefix")
    db_url = f"sqlite:///{folder / 'cop.db'}"
    store = Store(db_url)
    seeded = seed_consultation(store, members=2, title="Under a prefix")
    port = free_port()
    env = dict(os.environ)
    env.pop("COP_WIDGETS_BASE_URL", None)
    env["JUPYTERHUB_SERVICE_PREFIX"] = PREFIX
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    env["PYTHONUNBUFFERED"] = "1"
    out, log = folder / "serve.stdout", folder / "serve.stderr"
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
             "--port", str(port), "--host", "127.0.0.1"],
            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True)
    base = f"http://127.0.0.1:{port}{PREFIX}".rstrip("/")
    try:
        wait_for_http(f"{base}/", process, 60, log)
        yield base, port, store, seeded, out
    finally:
        stop_process_tree(process)
        store.close()


def test_nothing_is_served_outside_the_prefix(hub_service):
    _, port, *_ = hub_service
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/member.ipynb", timeout=10)
    assert info.value.code == 404


def test_printed_facilitator_link_carries_the_prefix(hub_service, open_page):
    base, _, _, _, out = hub_service
    printed = out.read_text()
    found = re.search(r"Facilitator page: (\S+)", printed)
    assert found, printed
    assert found.group(1).startswith(f"{base}/voila/render/facilitator.ipynb?k=")

    def workbench(page):
        page.get_by_role("tab").first.wait_for(state="visible")

    visit = open_page(found.group(1), ready=workbench)
    assert visit.page.get_by_role("tab").count() >= 5
    visit.assert_loopback_only()


def test_member_submits_a_card_under_the_prefix(hub_service, open_page, rendered):
    base, port, store, seeded, _ = hub_service
    member = seeded.members[0]
    visit = open_page(member_link(base, seeded.consultation.id, seeded.tokens[member.id]))
    page = visit.page
    for index in range(len(seeded.statements)):
        row = page.locator(".cop-member-page .cop-statement").nth(index)
        row.locator(".widget-radio-box > label").filter(
            has_text=re.compile(r"^\s*Agree\s*$")).click()
    page.get_by_role("button", name="Submit my position").click()
    expect(page.locator(".cop-member-page .cop-message")).to_contain_text(
        "Thank you: your position is submitted")
    card = store.get_card(seeded.consultation.id, seeded.tokens[member.id])
    assert card is not None and {r.stance for r in card.responses} == {4}
    sockets = [url for url in visit.websockets if "/api/kernels/" in url]
    assert sockets and all(
        url.startswith(f"ws://127.0.0.1:{port}{PREFIX}api/kernels/") for url in sockets)
    visit.assert_loopback_only()
