"""Past one machine: two ``serve`` processes on one PostgreSQL behind HAProxy, one killed.

The topology the README gives for a conference day: HAProxy (Debian's, started here with a
configuration written by the test, :func:`haproxy_config`) in front of two ``cop-widgets
serve`` processes sharing one PostgreSQL database. A Voila page and its kernel's websocket
must reach the same server, so the proxy sticks each browser to a server with a cookie it
sets itself (``COPSERVER``); when that server stops answering its health check, the proxy
sends the browser to the other one (``option redispatch``).

Six members open their links through the proxy, three on each server. Two on server A
submit; then server A is killed (SIGKILL, its whole group, kernels included) while the
third member on A has filled the card but not yet submitted. The members of A reload: the
two who submitted find their stored answers on server B, the third fills the card again
and submits there; B's members submit. In the database every member has exactly one
submitted card, with the answers they chose: nothing lost, nothing counted twice.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest
from expect_or_skip import expect
from helpers import free_port, in_ci, member_message, wait_for_http
from test_two_servers import (  # noqa: F401  (fixtures used by name)
    STANCES,
    THANK_YOU,
    click_submit,
    fill,
    seeded_pg,
    two_servers,
)

from cop_widgets.links import member_link
from cop_widgets.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

COOKIE = "COPSERVER"


def haproxy_config(port: int, servers: dict[str, int]) -> str:
    """The proxy's configuration: sticky by cookie, health-checked, redispatch on failure.

    The README's deployment section shows the same settings.
    """
    lines = [
        "global",
        "    maxconn 2000",
        "    log stdout format raw local0",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    timeout connect 5s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout tunnel 1h",  # a kernel's websocket stays open as long as the page
        # A server busy rendering a page can take over a second to answer the check: with
        # the default (the check interval, 500 ms) the proxy marked it down, and a page
        # just rendered there had its files and kernel websocket sent to the other server,
        # which does not have its kernel (the page never became interactive).
        "    timeout check 5s",
        "    option redispatch",
        "    retries 2",
        "frontend members",
        f"    bind 127.0.0.1:{port}",
        "    default_backend serve",
        "backend serve",
        "    balance roundrobin",
        f"    cookie {COOKIE} insert indirect nocache httponly",
        # alive = answers at all: serve lists no folder, so "/" is a 404 by design
        "    option httpchk GET /",
        "    http-check expect rstatus ^[234]",
    ]
    lines += [f"    server {name} 127.0.0.1:{server_port} cookie {name} "
              "check inter 1s fall 3 rise 2" for name, server_port in servers.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def haproxy(two_servers, tmp_path):  # noqa: F811
    """Debian's HAProxy in front of the two servers; skipped locally if it is missing."""
    executable = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not os.access(executable, os.X_OK):
        reason = "no haproxy (bash scripts/test.sh installs Debian's haproxy)"
        if in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    a, b = two_servers
    port = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(port, {"a": a.port, "b": b.port}))
    log = tmp_path / "haproxy.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([executable, "-db", "-f", str(config)], stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process, 30.0, log)
        yield f"http://127.0.0.1:{port}"
        print("HAPROXY LOG\n" + log.read_text()[-20000:])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _server_of(visit) -> str:
    cookies = {c["name"]: c["value"] for c in visit.page.context.cookies()}
    return cookies.get(COOKIE, "")


def _kill(server) -> None:
    """SIGKILL the server's group and every kernel it started: the machine is gone."""
    import psutil

    try:
        tree = psutil.Process(server.process.pid).children(recursive=True)
    except psutil.Error:
        tree = []
    os.killpg(server.process.pid, signal.SIGKILL)
    for proc in tree:
        try:
            proc.kill()
        except psutil.Error:
            pass
    server.process.wait(timeout=10)


def _wait_down(proxy: str, visit, timeout: float = 30.0) -> None:
    """Wait until the proxy sends this browser elsewhere (its health check saw A go)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = visit.page.request.get(proxy + "/", fail_on_status_code=False)
        if response.status < 500:
            return
        time.sleep(0.5)
    raise AssertionError("the proxy kept sending requests to the dead server")


ANSWERS = (("Strongly agree", "Disagree", "Agree"), ("Agree", "Agree", "Strongly disagree"),
           ("Disagree", "Strongly agree", "Pass / unsure"),
           ("Neither agree nor disagree", "Agree", "Agree"),
           ("Strongly disagree", "Disagree", "Disagree"),
           ("Agree", "Strongly agree", "Neither agree nor disagree"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_server_killed_mid_burst_loses_and_duplicates_nothing(
        two_servers, haproxy, seeded_pg, open_page, rendered):  # noqa: F811
    a, b = two_servers
    cid, members, tokens = seeded_pg.cid, seeded_pg.members, seeded_pg.tokens
    visits = []
    for member in members:  # one at a time: round robin gives A, B, A, B...
        visit = open_page(member_link(haproxy, cid, tokens[member.id]), ready=None,
                          wait_until="commit")
        rendered(visit.page)
        visits.append(visit)
    places = [_server_of(v) for v in visits]
    assert sorted(places) == ["a"] * 3 + ["b"] * 3, places
    on_a = [i for i, place in enumerate(places) if place == "a"]
    on_b = [i for i, place in enumerate(places) if place == "b"]
    for visit in visits:  # the kernel's websocket went through the proxy to the same server
        assert visit.websockets and all(u.startswith(haproxy.replace("http", "ws"))
                                        for u in visit.websockets), visit.websockets

    # Two of A's members submit; the third fills the card; then A dies mid-burst.
    for i in on_a[:2]:
        fill(visits[i].page, ANSWERS[i])
        click_submit(visits[i].page)
    for i in on_a[:2]:
        expect(member_message(visits[i].page)).to_contain_text(THANK_YOU)
    late = on_a[2]
    fill(visits[late].page, ANSWERS[late])
    _kill(a)
    _wait_down(haproxy, visits[late])

    # A's members reload: the proxy sends them to B, where their stored cards are.
    for i in on_a:
        page = visits[i].page
        page.reload(wait_until="commit")
        rendered(page)
        assert _server_of(visits[i]) == "b"
        if i != late:
            expect(page.locator(".cop-member-page")).to_contain_text("Welcome back")
            for index, label in enumerate(ANSWERS[i]):
                expect(page.locator(".cop-member-page .cop-statement").nth(index)
                       .get_by_role("radio", name=label, exact=True)).to_be_checked()
        else:  # nothing of the unsent card reached the database: fill it again
            fill(page, ANSWERS[i])
            click_submit(page)
            expect(member_message(page)).to_contain_text(THANK_YOU)
    for i in on_b:
        fill(visits[i].page, ANSWERS[i])
        click_submit(visits[i].page)
        expect(member_message(visits[i].page)).to_contain_text(THANK_YOU)

    with Store(seeded_pg.url, existing=True) as store:
        for i, member in enumerate(members):
            cards = [c for c in store.list_card_revisions(cid, member.id)
                     if c.status.value == "submitted"]
            assert len(cards) == 1, (member.name, cards)  # nothing counted twice
            assert {r.statement_id: r.stance for r in cards[0].responses} == {
                s.id: STANCES[label] for s, label in zip(seeded_pg.statements, ANSWERS[i],
                                                         strict=True)}  # nothing lost
        assert store.count_respondents(cid) == len(members)
