"""The facilitator's email actions, one entry for the CLI and the workbook alike.

:func:`mail_members` opens the route (the community's SMTP server, or a folder of ``.eml``
files), runs one action and returns its :class:`~cop_widgets.services.mailing.Report`:

``invite``
    an invitation to every member with an address never invited (:func:`mailing.invite`);
``remind``
    a new link to invited members who have not answered (:func:`mailing.remind`);
``endorsement`` and ``results``
    a notice that a draft is put to the members, or that the results are public
    (:meth:`Store.add_notices <cop_widgets.store.notices.NoticeVerbs.add_notices>`);
``waiting``
    every message already waiting in the outbox (receipts of submitted cards, say), and
    nothing new.

A receipt says that its member submitted a card. In an anonymous consultation, who has
answered is never shown to the facilitator, so its receipts go only through an SMTP server:
an ``.eml`` folder, which the facilitator opens, never gets them (they wait, counted in
``Report.held``).

The password is passed in (from ``$COP_WIDGETS_SMTP_PASSWORD``, a prompt or a password
field) and handed to the transport only: never kept, logged or printed.
"""

from __future__ import annotations

import ssl
from collections import Counter
from dataclasses import dataclass, field

from ..errors import ValidationError
from ..model import mail as mm
from ..model.roster import Member
from ..store import Store
from . import mailing

__all__ = ["ACTIONS", "Deliveries", "open_route", "mail_members", "deliveries"]

#: What :func:`mail_members` can do.
ACTIONS = ("invite", "remind", "endorsement", "results", "waiting")


def open_route(route: mm.MailRoute, password: str | None = None
               ) -> tuple[mm.MailSettings, mailing.SmtpTransport | mailing.EmlTransport]:
    """Return the settings and the transport of ``route``.

    Raises
    ------
    ValidationError
        ``no-smtp-password``: the SMTP route names a user and no password was given.

    """
    settings = route.settings()
    if not route.smtp:
        return settings, mailing.EmlTransport(route.eml_dir)
    if settings.user and not password:
        raise ValidationError("password", "no-smtp-password", show_value=False,
                              user=settings.user)
    context = ssl.create_default_context(cafile=route.ca_file or None)
    return settings, mailing.SmtpTransport(settings, password, context=context)


def mail_members(store: Store, consultation_id: int, action: str, route: mm.MailRoute, *,
                 compose: mailing.Compose, password: str | None = None,
                 **options: object) -> mailing.Report:
    """Run one email ``action`` of :data:`ACTIONS` for a consultation; return its report.

    ``compose`` writes each message (``cop_widgets.words.mail.composer(store, id,
    base_url)``). Every check (the action, the route, the password, whether a notice may
    go) comes before any link or message is made. ``options`` go to
    :func:`mailing.deliver` (``attempts``, ``backoff``, ``sleep``...).
    """
    if action not in ACTIONS:
        raise ValidationError("action", "not-one-of", action, allowed=", ".join(ACTIONS))
    consultation = store.get_consultation(consultation_id)
    settings, transport = open_route(route, password)
    if action == "invite":
        return mailing.invite(store, consultation_id, transport, compose, settings, **options)
    if action == "remind":
        return mailing.remind(store, consultation_id, transport, compose, settings, **options)
    kinds: tuple[str, ...] = mm.KINDS
    held = 0
    if consultation.anonymous and not route.smtp:
        kinds = tuple(k for k in kinds if k != "receipt")
        held = store.count_unsent(consultation_id, ("receipt",))
    made = 0
    if action in mm.NOTICES:
        made = store.add_notices(consultation_id, action)
        kinds = (action,)
    finishing = store.requeue_failed(consultation_id, kinds) > 0 if action != "waiting" \
        else False
    report = mailing.deliver(store, consultation_id, transport, compose, settings,
                             kinds=kinds, **options)  # type: ignore[arg-type]
    report.finishing = finishing and not made
    report.held = held
    members = len(store.list_members(consultation_id))
    report.skipped = max(members - report.sent - report.failed, 0) \
        if action != "waiting" else 0
    return report


@dataclass
class Deliveries:
    """What became of the messages of a consultation, for the Roster tab.

    Attributes
    ----------
    latest : list of (Member, Message or None)
        Each roster member, in roster order, with their latest message (``None``: never
        messaged). In an anonymous consultation receipts are left out: a receipt would
        tell who has answered.
    failed : list of (Member, Message)
        The members whose latest message failed: the addresses to check, with the
        server's reply.
    receipts : collections.Counter
        Receipts by state (``sent``, ``pending``...), counted only: in an anonymous
        consultation this is all that is shown of them.

    """

    latest: list[tuple[Member, mm.Message | None]] = field(default_factory=list)
    failed: list[tuple[Member, mm.Message]] = field(default_factory=list)
    receipts: Counter = field(default_factory=Counter)


def deliveries(store: Store, consultation_id: int) -> Deliveries:
    """Return each member's latest message and the failed ones (see :class:`Deliveries`)."""
    consultation = store.get_consultation(consultation_id)
    kinds = tuple(k for k in mm.KINDS if k != "receipt") if consultation.anonymous \
        else mm.KINDS
    latest = store.list_deliveries(consultation_id, kinds)
    members = store.list_members(consultation_id)
    view = Deliveries(latest=[(mb, latest.get(mb.id)) for mb in members])
    view.failed = [(mb, msg) for mb, msg in view.latest
                   if msg is not None and msg.status == "failed"]
    if consultation.anonymous:
        view.receipts = Counter(msg.status for msg in store.list_outbox(consultation_id,
                                                                        ("receipt",))
                                if msg.status != "superseded")
    return view
