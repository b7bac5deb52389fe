"""Two Voila servers on one PostgreSQL database: what a community that outgrew a laptop runs.

Members submit through both servers (alternating, some at the same time), one member
revises on the other server, and the facilitator's view, read from the database, counts
everyone. Each server is a real ``cop-widgets serve --db <postgresql url>`` process; the
database is a fresh one made by ``tests/conftest.py``'s ``db_url`` fixture (PostgreSQL only
here: skipped locally without a server, failed under ``CI=true``).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from expect_or_skip import expect
from helpers import choose, free_port, member_message, tail

from cop_widgets import model as m
from cop_widgets.links import member_link
from cop_widgets.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

SERVER_START_TIMEOUT = 90.0
#: Voila moves to another port when the one asked for was taken meanwhile; it says where.
RUNNING_AT = re.compile(r"Voil\S* is running at:\s*\n\s*(http://127\.0\.0\.1:(\d+))/")
THANK_YOU = "Thank you: your position is submitted"
STATEMENTS = (
    "Our network should publish a joint statement before the end of term.",
    "Members need a half-day of training before the change.",
    "The change will reduce the time we spend on paperwork.",
)
STANCES = {"Strongly agree": 5, "Agree": 4, "Neither agree nor disagree": 3,
           "Disagree": 2, "Strongly disagree": 1, "Pass / unsure": None}


# -- servers (started like tests/browser/conftest.py's ``live``, twice) --------------------


class ServeProcess:
    """``cop-widgets serve --db URL`` in its own session, output in files."""

    def __init__(self, name: str, db_url: str, folder: Path):
        self.name = name
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{name}.stderr"
        env = dict(os.environ)
        env.pop("COP_WIDGETS_DB", None)
        env["JUPYTER_RUNTIME_DIR"] = str(folder / f"runtime-{name}")
        env["PYTHONUNBUFFERED"] = "1"
        with open(folder / f"{name}.stdout", "wb") as out, open(self.log, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cop_widgets.cli", "serve", "--db", db_url,
                 "--port", str(self.port), "--host", "127.0.0.1"],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True)

    def wait_http(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        """Wait until Voila says where it listens, and answers there over HTTP."""
        deadline = time.monotonic() + timeout
        last = ""
        listening = False
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server {self.name} exited with {self.process.returncode}:\n"
                            f"{tail(self.log)}", pytrace=False)
            if not listening:
                found = RUNNING_AT.search(self.log.read_text(errors="replace"))
                if found:
                    self.base_url, self.port = found.group(1), int(found.group(2))
                    listening = True
                else:
                    time.sleep(0.25)
                    continue
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=2):
                    return
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return
                last = repr(exc)
            except (OSError, http.client.HTTPException) as exc:
                last = repr(exc)
            time.sleep(0.25)
        pytest.fail(f"server {self.name} did not answer within {timeout:.0f} s ({last}):\n"
                    f"{tail(self.log)}", pytrace=False)

    def link(self, consultation_id: int, token: str) -> str:
        return member_link(self.base_url, consultation_id, token)

    def stop(self, grace: float = 20.0) -> list[str]:
        """Stop the group and every kernel (kernels run in sessions of their own).

        Returns what was still running afterwards (empty when all is gone).
        """
        import psutil

        try:
            tree = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            tree = []
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        _gone, alive = psutil.wait_procs(tree, timeout=5)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        _gone, alive = psutil.wait_procs(alive, timeout=5)
        return [f"{self.name}: pid {p.pid}" for p in alive]


@pytest.fixture
def seeded_pg(db_url):
    """Seed through store verbs: an open likert5 consultation, 6 invited members.

    ``db_url`` is tests/conftest.py's fresh database, restricted by the test's
    parametrisation to PostgreSQL (created per test, dropped at teardown).
    """
    store = Store(db_url)
    try:
        development = store.add_development(m.Development(
            "policy", "New assessment policy", summary="The ministry changes assessment.",
            source_url="https://example.org/policy", date="2026-01-10"))
        consultation = store.add_consultation(m.Consultation(
            development.id, "Two servers, one community", scale="likert5",
            anonymous=False, visibility="after_submission"))
        statements = store.add_statements(
            [m.Statement(consultation.id, text) for text in STATEMENTS])
        members = store.add_members([
            m.Member(consultation.id, f"Member {i + 1}",
                     attributes={"role": ("tutor", "coordinator")[i % 2]})
            for i in range(6)])
        tokens = {member.id: store.add_invitation(member.id)[1] for member in members}
        store.open_consultation(consultation.id)
    finally:
        store.close()
    return types.SimpleNamespace(url=db_url, cid=consultation.id, statements=statements,
                                 members=members, tokens=tokens)


@pytest.fixture
def two_servers(chromium_executable, seeded_pg, tmp_path):
    """Two ``cop-widgets serve`` processes on the same PostgreSQL database."""
    servers = [ServeProcess(name, seeded_pg.url, tmp_path) for name in ("A", "B")]
    try:
        for server in servers:
            server.wait_http()
        assert servers[0].port != servers[1].port
        yield servers
    finally:
        leftovers = [line for server in servers for line in server.stop()]
    assert not leftovers, f"processes left running: {leftovers}"


# -- page helpers -------------------------------------------------------------------------


def fill(page, labels) -> None:
    for index, label in enumerate(labels):
        choose(page, index, label)


def click_submit(page) -> None:
    page.get_by_role("button", name="Submit my position").click()


def kernel_port(visit) -> set[int]:
    """The ports of the kernel web sockets a page opened (which server it talked to)."""
    return {int(match.group(1)) for url in visit.websockets
            if (match := re.search(r"//127\.0\.0\.1:(\d+)/api/kernels/", url))}


def stored(card: m.PositionCard) -> dict[int, int | None]:
    return {r.statement_id: r.stance for r in card.responses}


# -- the test -----------------------------------------------------------------------------


# Only the PostgreSQL parameter of tests/conftest.py's ``db_url``: two processes share it.
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_members_on_two_servers_are_all_counted(two_servers, seeded_pg, open_page, rendered):
    a, b = two_servers
    cid, statements, members, tokens = (seeded_pg.cid, seeded_pg.statements,
                                        seeded_pg.members, seeded_pg.tokens)
    plans = [  # (member, server, answers); servers alternate
        (members[0], a, ("Strongly agree", "Disagree", "Agree")),
        (members[1], b, ("Agree", "Agree", "Strongly disagree")),
        (members[2], a, ("Disagree", "Strongly agree", "Pass / unsure")),
        (members[3], b, ("Neither agree nor disagree", "Agree", "Agree")),
        (members[4], a, ("Strongly disagree", "Disagree", "Disagree")),
        (members[5], b, ("Agree", "Strongly agree", "Neither agree nor disagree")),
    ]

    # 1. Four members at the same time, two on each server: all links opened before any
    #    page is ready, all four submit clicks before any answer comes back.
    together = plans[:4]
    visits = [open_page(server.link(cid, tokens[member.id]), ready=None,
                        wait_until="commit") for member, server, _ in together]
    for visit in visits:
        rendered(visit.page)
    for visit, (_member, _server, answers) in zip(visits, together, strict=True):
        fill(visit.page, answers)
    for visit in visits:
        click_submit(visit.page)
    for visit, (_member, server, _answers) in zip(visits, together, strict=True):
        expect(member_message(visit.page)).to_contain_text(THANK_YOU)
        expect(member_message(visit.page)).to_contain_text("(version 1)")
        assert kernel_port(visit) == {server.port}, visit.websockets

    # 2. Two more, one after the other, still alternating servers.
    for member, server, answers in plans[4:]:
        visit = open_page(server.link(cid, tokens[member.id]))
        fill(visit.page, answers)
        click_submit(visit.page)
        expect(member_message(visit.page)).to_contain_text(THANK_YOU)
        assert kernel_port(visit) == {server.port}, visit.websockets

    # 3. Member 1 submitted on server A; they revise on server B.
    reviser, first_server, first = plans[0]
    assert first_server is a
    visit = open_page(b.link(cid, tokens[reviser.id]))
    page = visit.page
    expect(page.locator(".cop-member-page")).to_contain_text("Welcome back")
    for index, label in enumerate(first):  # B shows what A stored
        expect(page.locator(".cop-member-page .cop-statement").nth(index).get_by_role(
            "radio", name=label, exact=True)).to_be_checked()
    revised = ("Disagree", first[1], first[2])
    choose(page, 0, revised[0])
    click_submit(page)
    expect(member_message(page)).to_contain_text(THANK_YOU)
    expect(member_message(page)).to_contain_text("(version 2)")
    assert kernel_port(visit) == {b.port}, visit.websockets
    for v in [*visits, visit]:
        assert v.page_errors == [], v.page_errors
        assert v.dialogs == [], v.dialogs

    # 4. The facilitator's view, read from the database afterwards, counts everyone.
    from cop_widgets.widgets.dashboard import DivergenceDashboard
    from cop_widgets.widgets.participation import ParticipationPanel

    store = Store(seeded_pg.url, migrate=False)
    try:
        assert store.count_respondents(cid) == len(plans)
        assert store.count_cards(cid) == len(plans) + 1  # revisions: one member has two
        for member, _server, answers in plans:
            card = store.get_card(cid, tokens[member.id], include_drafts=False)
            assert card is not None, member.name
            assert card.status is m.CardStatus.SUBMITTED
            want = revised if member.id == reviser.id else answers
            assert stored(card) == {s.id: STANCES[label]
                                    for s, label in zip(statements, want, strict=True)}
        revisions = store.list_card_revisions(cid, reviser.id)
        assert [c.revision for c in revisions] == [1, 2]
        assert stored(revisions[0]) == {s.id: STANCES[label]
                                        for s, label in zip(statements, first, strict=True)}
        assert stored(revisions[1]) == {s.id: STANCES[label]
                                        for s, label in zip(statements, revised, strict=True)}
        frame = store.responses_frame(cid)
        assert set(frame["member_id"]) == {member.id for member, *_ in plans}
        assert set(frame.loc[frame["member_id"] == reviser.id, "revision"]) == {2}

        panel = ParticipationPanel(store, cid)
        summary = re.sub(r"\s+", " ", panel.summary.value)
        assert (f"<th scope='row'>Responded (submitted a card)</th><td>{len(plans)}</td>"
                in summary), summary
        assert "100%" in summary, summary
        assert "Every invited member has answered." in panel.not_responded.value

        dashboard = DivergenceDashboard(store, cid)
        assert (f"<strong>{len(plans)}</strong> of {len(members)} members have submitted"
                in dashboard.summary.value), dashboard.summary.value
    finally:
        store.close()

