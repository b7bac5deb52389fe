"""The gate in front of the pages, attacked over HTTP as the review did (issue 11, items 1, 2, 11).

Each test talks to a real ``cop-widgets serve`` and counts the kernel processes it starts.
The tests with the default options share one server (``served``: it counts the kernels
started since the test began); the kernel cap, the pages per link and the preheated pool have
servers of their own.
"""

from __future__ import annotations

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from widget_client import KERNEL_ID

from cop_widgets.i18n import translator
from cop_widgets.jupyter.keys import FACILITATOR_KEY_HASH_ENV, key_hash

pytestmark = pytest.mark.slow


def test_six_parallel_bogus_member_links_start_no_kernel(served):
    """The review's reproduction: six parallel bogus tokens left six kernels (400 MB)."""
    server = served
    c = server.consultations.open.consultation.id
    paths = [f"/voila/render/member.ipynb?c={c}&t=bogus{i}" for i in range(6)]
    paths += [f"/voila/render/endorse.ipynb?c={c}&t=bogus{i}" for i in range(3)]
    with ThreadPoolExecutor(9) as pool:
        replies = list(pool.map(server.get, paths))
    assert [r.status for r in replies] == [403] * 9
    assert all("This link does not open a position card." in r.body for r in replies)
    assert all("not valid for this consultation" in r.body for r in replies)
    assert server.kernels() == []


def test_a_real_member_link_still_opens_its_page(served):
    server = served
    seeded = server.consultations.open
    token = seeded.tokens[seeded.members[0].id]
    reply = server.get(f"/voila/render/member.ipynb?c={seeded.consultation.id}&t={token}")
    assert reply.status == 200
    assert server.wait_for_kernels(1) == 1
    assert reply.headers["referrer-policy"] == "no-referrer"


def test_refusals_are_in_the_requested_language(served):
    server = served
    c = server.consultations.open.consultation.id
    for lang in ("fr", "es"):
        _ = translator(lang)
        reply = server.get(f"/voila/render/member.ipynb?c={c}&t=nope&lang={lang}")
        assert reply.status == 403
        assert f'<html lang="{lang}">' in reply.body
        assert _("This link does not open a position card.") in reply.body.replace("&#x27;",
                                                                                   "'")
    # without ?lang, the browser's Accept-Language
    reply = server.get("/voila/render/member.ipynb?c=99&t=x",
                       headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in reply.body
    assert server.kernels() == []


def test_malformed_and_unknown_pages_start_no_kernel(served):
    server = served
    replies = [server.get(path) for path in (
        "/voila/render/member.ipynb?c=100000000000000000000000&t=x",
        "/voila/render/endorse.ipynb?c=1e23&t=x",
        "/voila/render/member.ipynb",
        "/voila/render/other.ipynb",
        "/voila/render/./member.ipynb?c=1&t=x",
        "/voila/render/facilitator.ipynb",
        "/voila/render/facilitator.ipynb?k=wrong",
        "/voila/render/analysis.ipynb?k=",
    )]
    assert [r.status for r in replies] == [403, 403, 403, 404, 404, 403, 403, 403]
    assert server.kernels() == []


def test_results_of_a_draft_never_consultation_send_nothing_of_it(served):
    """Item 2: ``results.ipynb?c=2`` without a token exposed the brief of a draft."""
    server = served
    seeded = server.consultations
    for consultation_id in (seeded.draft.id, seeded.never.consultation.id,
                            seeded.open.consultation.id, 12345):
        reply = server.get(f"/voila/render/results.ipynb?c={consultation_id}")
        assert reply.status == 403
        assert "There are no published results at this link." in reply.body
        for secret in ("Secret restructuring", "Only the board", "Confidential",
                       "A confidential draft", "The open consultation"):
            assert secret not in reply.body
    assert server.kernels() == []
    # a closed consultation's results are public: the page opens
    reply = server.get(f"/voila/render/results.ipynb?c={seeded.closed.consultation.id}")
    assert reply.status == 200 and server.wait_for_kernels(1) == 1


def test_a_member_reaches_results_with_their_link(served):
    server = served
    seeded = server.consultations.never
    token = seeded.tokens[seeded.members[0].id]
    reply = server.get(f"/voila/render/results.ipynb?c={seeded.consultation.id}&t={token}")
    assert reply.status == 200


def test_the_facilitator_key_opens_the_page_and_no_other_kernel_holds_it(served):
    """Item 11: the raw key was in every kernel's environment, members' kernels included."""
    server = served
    reply = server.get(f"/voila/render/facilitator.ipynb?k={server.key}")
    assert reply.status == 200
    facilitator = server.wait_for_kernels(1)
    seeded = server.consultations.open
    token = seeded.tokens[seeded.members[0].id]
    assert server.get(f"/voila/render/member.ipynb?c={seeded.consultation.id}&t={token}"
                      ).status == 200
    assert server.wait_for_kernels(2) == 2 and facilitator == 1
    # The Voila server and every kernel hold the hash; the key itself is only in the request
    # the facilitator made (their own kernel's QUERY_STRING). The CLI process that printed
    # the key is the facilitator's own and is left out. The shared server may also run
    # kernels of earlier tests' pages: they are checked too.
    request_variables = {"QUERY_STRING", "VOILA_REQUEST_URL"}
    processes = psutil.Process(server.process.pid).children(recursive=True)
    kernel_ids = {p.pid for p in server.all_kernels()}
    assert {p.pid for p in server.kernels()} <= kernel_ids
    # the Voila server, and kernels only
    assert len([p for p in processes if p.pid not in kernel_ids]) == 1, \
        [p.cmdline() for p in processes]
    assert len(processes) == 1 + len(kernel_ids) >= 3, [p.cmdline() for p in processes]
    holders = []
    for process in processes:
        environ = process.environ()
        assert environ.get(FACILITATOR_KEY_HASH_ENV) == key_hash(server.key)
        leaked = {name for name, value in environ.items() if server.key in value}
        assert leaked <= request_variables, (process.cmdline(), leaked)
        holders += [process] if leaked else []
    assert len(holders) == 1  # the facilitator's kernel, through its own link


def test_past_the_kernel_cap_a_visitor_is_asked_to_come_back(serving):
    server = serving(max_kernels=1)
    seeded = server.consultations.open
    first, second = (seeded.tokens[member.id] for member in seeded.members[:2])
    c = seeded.consultation.id
    assert server.get(f"/voila/render/member.ipynb?c={c}&t={first}").status == 200
    assert server.wait_for_kernels(1) == 1
    reply = server.get(f"/voila/render/member.ipynb?c={c}&t={second}&lang=fr")
    assert reply.status == 503
    assert reply.headers["retry-after"] == "30"
    assert translator("fr")("Many people are opening their pages right now.") \
        in reply.body.replace("&#x27;", "'")
    assert len(server.kernels()) == 1
    # a bogus link is still told it is bogus, not that the server is busy
    assert server.get(f"/voila/render/member.ipynb?c={c}&t=bogus").status == 403


def test_a_preheated_pool_is_not_spent_on_bogus_links(serving):
    """With ``--preheat``, a refused request takes no kernel from the pool."""
    server = serving(preheat=1)
    assert server.wait_for_kernels(1) == 1  # the pool
    pool = {p.pid for p in server.kernels()}
    seeded = server.consultations.open
    c = seeded.consultation.id
    for i in range(4):
        assert server.get(f"/voila/render/member.ipynb?c={c}&t=bogus{i}").status == 403
    assert {p.pid for p in server.kernels()} == pool
    token = seeded.tokens[seeded.members[0].id]
    reply = server.get(f"/voila/render/member.ipynb?c={c}&t={token}")
    assert reply.status == 200


def _shut_down(server, page_html: str) -> None:
    """Close a page as the browser's unload beacon does: shut its kernel down."""
    kernel_id = KERNEL_ID.search(page_html).group(1)
    request = urllib.request.Request(f"{server.base_url}/voila/api/shutdown/{kernel_id}",
                                     data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status in (200, 204)


def test_one_link_cannot_hold_more_than_its_pages(serving):
    """A valid link reloaded over and over is stopped at its own limit, not the server's."""
    server = serving(max_pages_per_link=2)
    seeded = server.consultations.open
    c = seeded.consultation.id
    mine, other = (seeded.tokens[member.id] for member in seeded.members[:2])
    pages = [server.get(f"/voila/render/member.ipynb?c={c}&t={mine}") for _ in range(2)]
    assert [p.status for p in pages] == [200, 200]
    assert server.wait_for_kernels(2) == 2
    # the third page of the same link, and its endorsement page (the same invitation)
    for path in (f"/voila/render/member.ipynb?c={c}&t={mine}&lang=fr",
                 f"/voila/render/endorse.ipynb?c={c}&t={mine}&lang=fr"):
        reply = server.get(path)
        assert reply.status == 429, (path, reply.status)
        assert reply.headers["retry-after"] == "30"
        assert translator("fr")("This link already has several pages open.") \
            in reply.body.replace("&#x27;", "'")
    assert len(server.kernels()) == 2  # refused before any kernel started
    # another member is not held back by it
    assert server.get(f"/voila/render/member.ipynb?c={c}&t={other}").status == 200
    assert server.wait_for_kernels(3) == 3
    # a page closed gives its place back
    _shut_down(server, pages[0].body)
    deadline = time.monotonic() + 30
    while len(server.kernels()) > 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server.get(f"/voila/render/member.ipynb?c={c}&t={mine}").status == 200


def test_a_page_from_the_preheated_pool_counts_for_its_link(serving):
    server = serving(preheat=1, max_pages_per_link=1)
    assert server.wait_for_kernels(1) == 1  # the pool
    seeded = server.consultations.open
    c = seeded.consultation.id
    token = seeded.tokens[seeded.members[0].id]
    assert server.get(f"/voila/render/member.ipynb?c={c}&t={token}").status == 200
    assert server.get(f"/voila/render/member.ipynb?c={c}&t={token}").status == 429


def test_kernels_talk_to_the_server_over_unix_sockets(served):
    """No TCP ports to race for when a preheated pool of a hundred starts at once."""
    import json
    import os

    seeded = served.consultations.open
    c = seeded.consultation.id
    token = seeded.tokens[seeded.members[-1].id]
    assert served.get(f"/voila/render/results.ipynb?c={c}&t={token}").status == 200
    assert served.wait_for_kernels(1) >= 1
    kernel = served.kernels()[0]
    connection = kernel.cmdline()[kernel.cmdline().index("-f") + 1]
    with open(connection, encoding="utf-8") as f:
        info = json.load(f)
    assert info["transport"] == ("ipc" if os.name == "posix" else "tcp"), info
