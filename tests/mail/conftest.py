"""A real SMTP server on loopback (aiosmtpd), one per test module, and a STARTTLS variant.

``smtp_server`` answers plain SMTP; ``tls_smtp_server`` requires STARTTLS with a certificate
for 127.0.0.1 signed by a certificate authority made by the test (trustme), and a login
(user ``facilitator``, password :data:`PASSWORD`). Both record every message they accept
and refuse the recipients their handler is told to (``550``, or ``451`` once for a
transient refusal). The handler is emptied before each test that asks for ``mailbox``.
"""

from __future__ import annotations

import socket
import ssl
import threading
import types
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PASSWORD = "s3cret-Pa55word-zq"  # unusual, so a grep for it finds only leaks
USER = "facilitator"


class RecordingHandler:
    """Accept messages and keep them; refuse the recipients in ``refuse`` or ``busy``."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages: list[types.SimpleNamespace] = []
            self.refuse: set[str] = set()
            self.busy: set[str] = set()  # refused with 451 once each, then accepted
            self.logins: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.busy:
            self.busy.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(types.SimpleNamespace(
                rcpt=list(envelope.rcpt_tos), raw=envelope.content, mime=parsed,
                tls=session.ssl is not None))
            number = len(self.messages)
        return f"250 2.0.0 queued as m{number}"

    def received(self) -> list[types.SimpleNamespace]:
        with self.lock:
            return list(self.messages)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
        and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture(scope="module")
def smtp_server():
    """A plain SMTP server on 127.0.0.1 for the module: ``.port``, ``.handler``, ``.url``."""
    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield types.SimpleNamespace(port=port, handler=handler,
                                    url=f"smtp://127.0.0.1:{port}?security=none")
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def tls_smtp_server(tmp_path_factory):
    """A STARTTLS-only server with a login, its certificate from a test CA (``.ca_file``)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            tls_context=server_context, require_starttls=True,
                            authenticator=_authenticator, auth_required=True)
    controller.start()
    try:
        yield types.SimpleNamespace(port=port, handler=handler, ca_file=str(ca_file), ca=ca,
                                    url=f"smtp://{USER}@127.0.0.1:{port}", password=PASSWORD)
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The module's SMTP server with nothing received yet (its handler emptied first)."""
    smtp_server.handler.reset()
    return smtp_server
