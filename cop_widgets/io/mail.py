"""Email files: a composed message as MIME (plain text with an HTML alternative), and ``.eml``.

The words come composed (:class:`cop_widgets.model.mail.MailContent`, from
``cop_widgets.words.mail``, where member text is escaped in the HTML); this module only
wraps them in headers and writes files.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..model.mail import MailContent, Message

__all__ = ["build_mime", "eml_name", "write_eml"]


def build_mime(content: MailContent, message: Message, from_address: str,
               reply_to: str = "") -> EmailMessage:
    """Return the MIME message of an outbox message: ``multipart/alternative``, UTF-8.

    Its ``Message-ID`` names the outbox row, so a mail program can tell a copy.
    """
    mime = EmailMessage()
    mime["Subject"] = content.subject
    mime["From"] = from_address
    mime["To"] = message.recipient
    if reply_to:
        mime["Reply-To"] = reply_to
    mime["Date"] = formatdate(localtime=False, usegmt=True)
    domain = from_address.rpartition("@")[2] or "localhost"
    mime["Message-ID"] = make_msgid(f"cop-widgets.{message.consultation_id}.{message.id}",
                                    domain=domain)
    # quoted-printable: every line within SMTP's limit, whatever the text or the link
    mime.set_content(content.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    mime.add_alternative(content.html, subtype="html", charset="utf-8",
                         cte="quoted-printable")
    mime["Content-Language"] = message.language  # after the parts: set_content drops it
    return mime


def eml_name(message: Message) -> str:
    """Return the file name of a message in an ``.eml`` folder (one per outbox row)."""
    return f"{message.consultation_id}-{message.id:06d}-{message.kind}-{message.member_id}.eml"


def write_eml(folder: str | os.PathLike[str], message: Message, mime: EmailMessage) -> Path:
    """Write ``mime`` as ``folder/<eml_name>``, whole or not at all (temporary file, rename).

    The folder is made if missing. Files are readable by the user only: each holds a live
    personal link.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    path = target / eml_name(message)
    partial = path.with_suffix(".eml.part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(mime.as_bytes())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return path
