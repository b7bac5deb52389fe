"""Deliver the outbox: through the community's SMTP server, or as ``.eml`` files.

:func:`deliver` takes one message at a time from the store's outbox (claimed, so two
senders never take the same one), hands it to a transport and records the answer: ``sent``
with the server's reply, ``written`` for a file, or ``failed`` with the refusal's code and
text, while the others in the batch still go. A connection lost or a ``4xx`` answer is
retried with a growing wait (``backoff``, doubled each time) up to ``attempts`` times; a
``5xx`` refusal is final for this run. A rate (messages per minute) spaces the messages.
One SMTP conversation serves the whole batch (reopened after a lost connection).

:func:`invite` and :func:`remind` choose who gets a message, make the links and their
messages in one transaction each, then deliver; a rerun only finishes what is unsent. The
words of a message come from a ``compose`` function (``cop_widgets.words.mail``), so this
layer writes no sentence. The SMTP password is passed in, used for the login and never
kept, logged or printed.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

from ..io.mail import build_mime, write_eml
from ..model import mail as mm
from ..store import Store

__all__ = ["Refused", "Transient", "SmtpTransport", "EmlTransport", "Report", "deliver",
           "invite", "remind"]

log = logging.getLogger(__name__)

Compose = Callable[[mm.Message], mm.MailContent]

#: A claimed message not confirmed after this long belonged to a sender that died.
LEASE = dt.timedelta(minutes=10)


class Refused(Exception):
    """The server refused this message for good (a ``5xx`` reply)."""

    def __init__(self, code: int | None, reply: str):
        super().__init__(code, reply)
        self.code, self.reply = code, reply


class Transient(Refused):
    """The message may go if tried again (a ``4xx`` reply, a lost connection)."""


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


class SmtpTransport:
    """One SMTP conversation for a batch, through :mod:`smtplib`.

    Parameters
    ----------
    settings : MailSettings
        Host, port, security, user.
    password : str, optional
        For ``settings.user``; used to log in, never kept beyond this object.
    context : ssl.SSLContext, optional
        The TLS context (default: the system's trusted authorities, hostname checked).
    timeout : float
        Seconds to wait for the server.

    """

    def __init__(self, settings: mm.MailSettings, password: str | None = None, *,
                 context: ssl.SSLContext | None = None, timeout: float = 30):
        self.settings = settings
        self._password = password
        self.context = context or ssl.create_default_context()
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __repr__(self) -> str:
        s = self.settings
        return f"SmtpTransport({s.security}://{s.user + '@' if s.user else ''}{s.host}:{s.port})"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                                  context=self.context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        smtp.ehlo()
        if s.security == "starttls":
            smtp.starttls(context=self.context)  # refused unless the server offers it
            smtp.ehlo()
        if s.user:
            _login(smtp, s.user, self._password or "")
        return smtp

    def close(self) -> None:
        """End the conversation (QUIT), if one is open."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(self, mime: EmailMessage, message: mm.Message) -> tuple[int | None, str]:
        """Send one message; return the server's reply to its DATA.

        Raises :class:`Refused` (``5xx``) or :class:`Transient` (``4xx``, connection lost).
        """
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            smtp = self._smtp
            for step in (lambda: smtp.mail(self.settings.from_address),
                         lambda: smtp.rcpt(message.recipient)):
                code, reply = step()
                if code not in (250, 251):
                    smtp.rset()
                    raise (Transient if 400 <= code < 500 else Refused)(code, _text(reply))
            code, reply = smtp.data(mime.as_bytes(policy=SMTP_POLICY))  # CRLF line ends
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise Refused(exc.smtp_code, _text(exc.smtp_error)) from None
        except ssl.SSLCertVerificationError as exc:  # the wrong server: no retry helps
            self._smtp = None
            raise Refused(None, f"{type(exc).__name__}: {exc}") from None
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as exc:
            self._smtp = None
            raise Transient(None, f"{type(exc).__name__}: {exc}") from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            kind = Transient if 400 <= exc.smtp_code < 500 else Refused
            raise kind(exc.smtp_code, _text(exc.smtp_error)) from None
        if code != 250:
            raise (Transient if 400 <= code < 500 else Refused)(code, _text(reply))
        return code, _text(reply)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with the first mechanism both sides know; a refusal is final.

    ``smtplib.SMTP.login`` tries the next mechanism after a refused password, which some
    servers never answer; the same password is no better in another mechanism.
    """
    advertised = smtp.esmtp_features.get("auth", "").upper().split()
    for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5"):
        if mechanism in advertised:
            smtp.user, smtp.password = user, password
            method = getattr(smtp, "auth_" + mechanism.lower().replace("-", "_"))
            smtp.auth(mechanism, method, initial_response_ok=mechanism != "LOGIN")
            return
    smtp.login(user, password)  # no common mechanism: smtplib says so


class EmlTransport:
    """Write each message as an ``.eml`` file into ``folder`` (no server needed)."""

    status = "written"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def send(self, mime: EmailMessage, message: mm.Message) -> tuple[int | None, str]:
        """Write the file; return ``(None, its name)``."""
        return None, write_eml(self.folder, message, mime).name

    def close(self) -> None:
        """Nothing to close."""


@dataclass
class Report:
    """What one run did: counts, and the failures with the server's reply.

    ``skipped`` counts roster members who got no message in this run (no email address,
    already sent one, or not due one).
    """

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)
    finishing: bool = False  # the run finished an earlier interrupted or refused batch
    held: int = 0  # receipts of an anonymous consultation kept back from an .eml folder


def deliver(store: Store, consultation_id: int, transport: SmtpTransport | EmlTransport,
            compose: Compose, settings: mm.MailSettings, *,
            kinds: Sequence[str] = mm.KINDS, attempts: int = 3, backoff: float = 2.0,
            sleep: Callable[[float], None] = time.sleep,
            monotonic: Callable[[], float] = time.monotonic,
            lease: dt.timedelta = LEASE) -> Report:
    """Deliver a consultation's pending messages one by one; see the module docstring.

    ``sleep`` and ``monotonic`` are the clock the rate and the backoff wait on (tests give
    a fake one).
    """
    report = Report()
    status = getattr(transport, "status", "sent")
    interval = 60.0 / settings.rate if settings.rate else 0.0
    stale = store.recover_stale(consultation_id, lease)
    if stale:
        log.warning("%d message(s) of consultation %d were interrupted while sending",
                    stale, consultation_id)
    next_at: float | None = None
    try:
        while (message := store.claim_message(consultation_id, kinds)) is not None:
            if next_at is not None and (wait := next_at - monotonic()) > 0:
                sleep(wait)
            mime = build_mime(compose(message), message, settings.from_address,
                              settings.reply_to)
            for attempt in range(1, attempts + 1):
                try:
                    code, reply = transport.send(mime, message)
                except Transient as exc:
                    if attempt < attempts:
                        log.info("message %d: %s %s; trying again", message.id, exc.code,
                                 exc.reply)
                        sleep(backoff * 2 ** (attempt - 1))
                        continue
                    code, reply, final = exc.code, exc.reply, "failed"
                except Refused as exc:
                    code, reply, final = exc.code, exc.reply, "failed"
                else:
                    final = status
                break
            store.mark_message(message.id, final, code, reply)
            next_at = monotonic() + interval
            if final == "failed":
                report.failed += 1
                report.failures.append((message.recipient, code, reply))
                log.warning("message %d failed: %s %s", message.id, code, reply)
            else:
                report.sent += 1
    finally:
        transport.close()
    report.failed += stale
    return report


def invite(store: Store, consultation_id: int, transport: SmtpTransport | EmlTransport,
           compose: Compose, settings: mm.MailSettings, **options: object) -> Report:
    """Invite by email every member with an address never invited; finish earlier runs.

    Members invited before (a link handed out, or a message sent) get nothing new; their
    unsent or failed invitations are delivered.
    """
    members = store.list_members(consultation_id)
    ever = {i.member_id for i in store.list_invitations(consultation_id)}
    todo = [mb.id for mb in members if mb.email and mb.id not in ever]
    if todo:
        store.add_invitations(todo, message="invitation")
    finishing = store.requeue_failed(consultation_id, ("invitation",)) > 0
    report = deliver(store, consultation_id, transport, compose, settings,
                     kinds=("invitation",), **options)  # type: ignore[arg-type]
    report.finishing = finishing
    report.skipped = len(members) - report.sent - report.failed
    return report


def remind(store: Store, consultation_id: int, transport: SmtpTransport | EmlTransport,
           compose: Compose, settings: mm.MailSettings, **options: object) -> Report:
    """Send a reminder with a new link to invited members who have not answered.

    The new link replaces the old one. In an anonymous consultation every invited member
    gets one (who has not answered is never singled out, not even in the outbox). If an
    earlier reminder run left messages unsent (interrupted, or refused), this run only
    finishes it: no new link for anyone, so nobody gets two reminders.
    """
    members = store.list_members(consultation_id)
    finishing = store.count_unsent(consultation_id, ("reminder",)) > 0
    if not finishing:
        anonymous = store.get_consultation(consultation_id).anonymous
        frame = store.members_frame(consultation_id)
        due = frame["invited"].astype(bool) & (frame["email"] != "")
        if not anonymous:
            due &= ~frame["responded"].astype(bool)
        todo = [int(i) for i in frame.loc[due, "member_id"]]
        if todo:
            store.add_invitations(todo, message="reminder")
    store.requeue_failed(consultation_id, ("reminder",))
    report = deliver(store, consultation_id, transport, compose, settings,
                     kinds=("reminder",), **options)  # type: ignore[arg-type]
    report.finishing = finishing
    report.skipped = len(members) - report.sent - report.failed
    return report
