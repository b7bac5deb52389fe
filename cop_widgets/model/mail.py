"""Email: the settings of the community's SMTP server, and the messages of the outbox.

No I/O here. :class:`MailSettings` holds no password: the password comes from
``$COP_WIDGETS_SMTP_PASSWORD`` or a prompt, is handed to the sender and never kept
(never in the database, a log or a printed line). :class:`Message` is one row of the
store's outbox; :class:`MailContent` is what a message says, once composed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import ValidationError
from .fields import set_field

__all__ = ["SECURITIES", "KINDS", "LINK_KINDS", "NOTICES", "STATUSES", "UNSENT",
           "MailSettings", "MailRoute", "Message", "MailContent"]

#: How the connection to the SMTP server is protected: STARTTLS on a plain port (587),
#: implicit TLS (465), or none (a relay on the same machine only).
SECURITIES = ("starttls", "tls", "none")
#: Kinds of message the outbox carries. An ``invitation`` and a ``reminder`` carry the
#: member's personal link to their card; an ``endorsement`` notice (a draft joint response is
#: put to the members) carries it to the draft; a ``results`` notice carries the results
#: page's link (personal only where results are not public); a ``receipt`` (a card was
#: submitted, sent only where the consultation asks for receipts) carries no link.
KINDS = ("invitation", "reminder", "endorsement", "results", "receipt")
#: Kinds whose message is made with a new personal link (which revokes the one before).
LINK_KINDS = ("invitation", "reminder", "endorsement")
#: Kinds the facilitator sends to tell members that something was published.
NOTICES = ("endorsement", "results")
#: A message's states. ``pending`` waits; ``sending`` is claimed by one sender; ``sent`` was
#: accepted by the server; ``written`` was written as an ``.eml`` file; ``failed`` was refused
#: (retried by a rerun); ``superseded`` was replaced by a newer link before it went;
#: ``cancelled`` lost its address (the member's email was cleared).
STATUSES = ("pending", "sending", "sent", "written", "failed", "superseded", "cancelled")
#: States whose message has not reached anyone yet and a rerun may still deliver.
UNSENT = ("pending", "sending", "failed")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


@dataclass(frozen=True)
class MailSettings:
    """Where and how messages are sent (no password: see the module docstring).

    Attributes
    ----------
    host : str
        The SMTP server's name or address.
    port : int
        Its port, 1 to 65535 (587 for STARTTLS, 465 for implicit TLS).
    security : str
        ``"starttls"``, ``"tls"`` (implicit) or ``"none"``.
    user : str
        The login, or empty for a server that needs none.
    from_address : str
        The sender's address (``From``).
    reply_to : str
        Where replies go, or empty.
    rate : float or None
        At most this many messages per minute; ``None`` for no limit.

    """

    host: str
    port: int = 587
    security: str = "starttls"
    user: str = ""
    from_address: str = "cop-widgets@localhost"
    reply_to: str = ""
    rate: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host or not _HOST.match(self.host):
            raise ValidationError("host", "not-an-smtp-url", self.host)
        if isinstance(self.port, bool) or not isinstance(self.port, int) \
                or not 1 <= self.port <= 65535:
            raise ValidationError("port", "not-a-port", self.port)
        if self.security not in SECURITIES:
            raise ValidationError("security", "not-one-of", self.security,
                                  allowed=", ".join(SECURITIES))
        if not isinstance(self.user, str):
            raise ValidationError("user", "not-text", self.user)
        for name in ("from_address", "reply_to"):
            value = getattr(self, name)
            if not isinstance(value, str) or (value or name == "from_address") \
                    and not _EMAIL.match(value):
                raise ValidationError(name, "not-an-email", value)
        if self.rate is not None:
            rate = self.rate
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) \
                    or not math.isfinite(rate) or rate <= 0:
                raise ValidationError("rate", "not-a-rate", rate)
            set_field(self, "rate", float(rate))

    @classmethod
    def from_url(cls, url: str, **others: object) -> MailSettings:
        """Read ``smtp://[user@]host[:port]`` (STARTTLS) or ``smtps://...`` (implicit TLS).

        ``smtp://host:port?security=none`` asks for an unprotected connection (a relay on
        the same machine). A password in the URL is refused: it would end in a shell
        history. ``others`` are the remaining fields (``from_address``, ``reply_to``, ``rate``).
        """
        parts = urlsplit(url if isinstance(url, str) else "")
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname \
                or parts.password is not None or parts.path not in ("", "/"):
            raise ValidationError("smtp", "not-an-smtp-url", _without_password(url))
        try:
            port = parts.port
        except ValueError:
            raise ValidationError("port", "not-a-port", parts.netloc.rsplit(":", 1)[-1]) \
                from None
        security = "tls" if parts.scheme == "smtps" else "starttls"
        asked = parse_qs(parts.query).get("security")
        if asked:
            if parts.scheme == "smtps" or asked[0] != "none":
                raise ValidationError("security", "not-one-of", asked[0], allowed="none")
            security = "none"
        return cls(host=parts.hostname, port=port or (465 if security == "tls" else 587),
                   security=security, user=unquote(parts.username or ""),
                   **others)  # type: ignore[arg-type]


@dataclass(frozen=True)
class MailRoute:
    """How messages leave: through the community's SMTP server, or as ``.eml`` files.

    Exactly one of ``smtp`` and ``eml_dir`` is given. No password: see the module docstring.

    Attributes
    ----------
    smtp : str
        ``smtp://[user@]host[:port]`` or ``smtps://...`` (see :meth:`MailSettings.from_url`),
        or empty.
    eml_dir : str
        The folder the ``.eml`` files are written into, or empty.
    from_address, reply_to : str
        The sender and where replies go (see :class:`MailSettings`).
    rate : float or None
        At most this many messages per minute.
    ca_file : str
        A PEM file of the only certificate authorities trusted (a self-signed server), or
        empty for the system's.

    """

    smtp: str = ""
    eml_dir: str = ""
    from_address: str = "cop-widgets@localhost"
    reply_to: str = ""
    rate: float | None = None
    ca_file: str = ""

    def __post_init__(self) -> None:
        for name in ("smtp", "eml_dir", "ca_file"):
            if not isinstance(getattr(self, name), str):
                raise ValidationError(name, "not-text", getattr(self, name))
            set_field(self, name, getattr(self, name).strip())
        if self.smtp and self.eml_dir:
            raise ValidationError("eml_dir", "one-mail-route", self.eml_dir)
        if not self.smtp and not self.eml_dir:
            raise ValidationError("eml_dir", "required", "")
        self.settings()  # every other field checked now, before anything is made

    @property
    def user(self) -> str:
        """The SMTP login, or empty (files need none)."""
        return self.settings().user

    def settings(self) -> MailSettings:
        """Return the :class:`MailSettings` of this route (a local stand-in for files)."""
        others = {"from_address": self.from_address, "reply_to": self.reply_to,
                  "rate": self.rate}
        if self.smtp:
            return MailSettings.from_url(self.smtp, **others)
        return MailSettings(host="localhost", security="none",
                            **others)  # type: ignore[arg-type]


def _without_password(url: object) -> str:
    """Return ``url`` with any password replaced, for an error message."""
    if not isinstance(url, str):
        return repr(url)
    return re.sub(r"//([^/@:]*):[^/@]*@", r"//\1:***@", url)


@dataclass(frozen=True)
class MailContent:
    """What a message says: a subject, a plain text and its HTML alternative."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Message:
    """One message of the outbox.

    Attributes
    ----------
    id : int
        The outbox row.
    consultation_id, member_id : int
        Whose message it is.
    kind : str
        One of :data:`KINDS`.
    recipient : str
        The address it goes (or went) to.
    language : str
        The consultation's language when the message was made.
    status : str
        One of :data:`STATUSES`.
    token : str
        The member's link token while the message is unsent; empty once sent, written,
        superseded or cancelled (the store otherwise keeps only token hashes).
    attempts : int
        How many times a sender claimed it.
    created_at : datetime
        When its link was made.
    done_at : datetime or None
        When it was sent, written, failed or superseded.
    reply_code : int or None
        The SMTP server's last reply code (``250``, ``550``...).
    reply : str
        The server's last reply text, or what went wrong, or the ``.eml`` file written.

    """

    id: int
    consultation_id: int
    member_id: int
    kind: str
    recipient: str
    language: str
    status: str
    token: str
    attempts: int
    created_at: dt.datetime
    done_at: dt.datetime | None = None
    reply_code: int | None = None
    reply: str = ""

    def __repr__(self) -> str:  # the token is a live link: never in a log line
        return (f"Message(id={self.id}, member_id={self.member_id}, kind={self.kind!r}, "
                f"status={self.status!r})")
