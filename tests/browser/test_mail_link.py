"""A reminder sent through a real SMTP server (aiosmtpd) opens its member's card in a browser.

The message is delivered by ``services.mailing`` to a server on loopback started here; its
link is read from the message the server received and opened in chromium against the
shared live ``cop-widgets serve``. The old link, revoked by the reminder, is refused.
"""

from __future__ import annotations

import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from expect_or_skip import expect
from helpers import GATE_REFUSAL, gate_refused, member_statement, status_of

from cop_widgets.model.mail import MailSettings
from cop_widgets.services import mailing
from cop_widgets.words.mail import composer

pytestmark = pytest.mark.browser


class _Inbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def inbox():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def test_a_mailed_reminder_link_opens_the_members_card(live, open_page, make_consultation,
                                                      inbox):
    port, handler = inbox
    store = live.store
    seeded = make_consultation(members=2)
    cid = seeded.consultation.id
    member = seeded.members[0]
    store.update_member(member.id, email="reader@example.org")  # the other has no address
    settings = MailSettings.from_url(f"smtp://127.0.0.1:{port}?security=none",
                                     from_address="facilitator@example.org")
    report = mailing.remind(store, cid, mailing.SmtpTransport(settings),
                            composer(store, cid, live.base_url), settings)
    assert (report.sent, report.failed) == (1, 0)
    (rcpt, raw), = handler.messages
    assert rcpt == ["reader@example.org"]
    unfolded = re.sub(rb"=\r?\n", b"", raw).replace(b"=3D", b"=")  # quoted-printable
    link = re.search(rb"http://127\.0\.0\.1:\d+/voila/render/member\.ipynb\?c=\d+&t=[\w\-]+",
                     unfolded).group().decode()
    assert link.startswith(live.base_url) and f"c={cid}&" in link
    page = open_page(link).page  # ready when rendered
    assert status_of(page) == 200
    expect(member_statement(page, 0)).to_be_visible()
    expect(page.locator(GATE_REFUSAL)).to_have_count(0)
    old = open_page(live.member_link(cid, seeded.tokens[member.id]), ready=gate_refused).page
    expect(old.locator(GATE_REFUSAL)).to_be_visible()
