"""Email from the workbook: invitations, reminders, notices, receipts, and what became of each.

The panel sits in the Roster & invitations tab; the Participation tab's "Email the
reminders" button runs :meth:`MailPanel.remind` through the same settings. Every action goes
through :func:`cop_widgets.services.mail_actions.mail_members`, as ``cop-widgets invite``,
``remind``, ``notify`` and ``send`` do, so both say the same and send the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..i18n import format_datetime, format_number
from ..model import mail as mm
from ..services.mail_actions import deliveries, mail_members
from ..words.mail import KIND_WORDS, STATUS_WORDS, composer
from .common import esc, fit_width, full_width, labelled, tagged
from .editor import ConsultationEditor

if TYPE_CHECKING:
    from ..services.mailing import Report
    from ..store import Store

__all__ = ["MailPanel", "PASSWORD_ENV"]

#: Where the SMTP password may come from instead of the password field.
PASSWORD_ENV = "COP_WIDGETS_SMTP_PASSWORD"
#: The folder ``.eml`` files go to by default, beside the workbook.
DEFAULT_EML_DIR = "outbox-eml"


class MailPanel(ConsultationEditor):
    """Send the members' emails and show each member's delivery.

    Parameters
    ----------
    store : Store
        Where the roster and the outbox live.
    consultation_id : int
        The consultation.
    base_url : callable
        Returns the address members open their pages at (the roster's address field).
    on_change : callable, optional
        Called with no argument after every action.
    language : str, optional
        Language of the panel (``en``, ``fr``, ``es``); English by default.

    Attributes
    ----------
    route : ipywidgets.RadioButtons
        ``"eml"`` (write ``.eml`` files, the default: no server needed) or ``"smtp"``.
    eml_dir, smtp, from_address, reply_to, password, rate : ipywidgets.Widget
        The route's settings. The password is used for one action and then cleared: it is
        never stored (``$COP_WIDGETS_SMTP_PASSWORD`` is read when the field is empty).
    invite_button, remind_button, endorsement_button, results_button, waiting_button
        One action each (see :mod:`cop_widgets.services.mail_actions`).
    deliveries : ipywidgets.HTML
        Each member's latest message and its state; failed addresses with the server's reply.

    """

    def __init__(self, store: Store, consultation_id: int, base_url: Callable[[], str],
                 on_change: Callable[[], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        super().__init__(store, consultation_id, on_change, language=language, **kwargs)
        _ = self._
        self.base_url = base_url
        self.route = w.RadioButtons(options=[(_("Write .eml files into a folder"), "eml"),
                                             (_("Send through our SMTP server"), "smtp")],
                                    value="eml", layout=full_width())
        self.eml_dir = w.Text(value=DEFAULT_EML_DIR, layout=full_width())
        self.smtp = w.Text(placeholder="smtp://name@mail.example.org:587",
                           layout=full_width())
        self.from_address = w.Text(value=os.environ.get("COP_WIDGETS_MAIL_FROM", ""),
                                   placeholder=_("name@example.org"), layout=full_width())
        self.reply_to = w.Text(placeholder=_("name@example.org"), layout=full_width())
        self.password = w.Password(layout=full_width())
        self.rate = w.Text(placeholder=_("no limit"), layout=full_width())
        self.message.labels.update({
            "eml_dir": _("Folder for the .eml files"), "smtp": _("SMTP server"),
            "host": _("SMTP server"), "port": _("SMTP server"), "security": _("SMTP server"),
            "from_address": _("From"), "reply_to": _("Reply to"), "password": _("Password"),
            "rate": _("Messages per minute"), "draft": _("The joint response"),
            "results": _("The results"), "base_url": _("Address of the Voila server in the "
                                                       "links"),
        })
        button = self._button
        self.invite_button = button(_("Email the invitations"), "envelope", "primary",
                                    _("Email each member never invited their personal link"))
        self.remind_button = button(_("Email the reminders"), "bell", "",
                                    _("Email a new link to invited members who have not "
                                      "answered; their old link stops working"))
        self.endorsement_button = button(_("Tell members the draft awaits them"), "bullhorn",
                                         "", _("Email each member a new link to the draft "
                                               "put to them for endorsement"))
        self.results_button = button(_("Tell members the results are public"), "bullhorn",
                                     "", _("Email each member the link of the results page"))
        self.waiting_button = button(_("Send waiting messages"), "paper-plane", "",
                                     _("Send what waits in the outbox: receipts, and messages "
                                       "of an interrupted sending"))
        self.smtp_box = w.VBox([
            labelled(_("SMTP server"), self.smtp,
                     _("smtp://name@host:587 (STARTTLS) or smtps://name@host:465 (TLS)")),
            labelled(_("Password"), self.password,
                     _("Used for this sending only, never stored. Leave empty to use "
                       "{variable}.").format(variable=PASSWORD_ENV)),
        ])
        self.eml_box = labelled(_("Folder for the .eml files"), self.eml_dir,
                                _("One file per message, to send from your own mail program. "
                                  "Each holds a personal link: keep the folder private."))
        self.deliveries = w.HTML()
        self.fix_member = w.Dropdown(options=[], layout=full_width())
        self.fix_email = w.Text(placeholder=_("name@example.org"), layout=full_width())
        self.fix_button = button(_("Save this address"), "check", "",
                                 _("Correct the address; the next sending uses it"))
        self.fix_box = w.VBox([
            labelled(_("Member whose message failed"), self.fix_member),
            labelled(_("Correct address"), self.fix_email),
            self.message.beside(self.fix_button),
        ])
        self.fix_member.observe(lambda _change: self._fill_fix(), names="value")
        self.route.observe(lambda _change: self._show_route(), names="value")
        self.children = (
            w.HTML(tagged("h3", _("Email the members"))),
            labelled(_("How messages leave"), self.route),
            self.eml_box, self.smtp_box,
            labelled(_("From"), self.from_address),
            labelled(_("Reply to (optional)"), self.reply_to),
            labelled(_("Messages per minute (optional)"), self.rate),
            self.message.beside(self.invite_button, self.remind_button),
            self.message.beside(self.endorsement_button, self.results_button,
                                self.waiting_button),
            w.HTML(tagged("h4", _("Delivery"))),
            self.deliveries,
            self.fix_box,
        )
        self.connect({self.invite_button: lambda: self.run("invite"),
                      self.remind_button: lambda: self.run("remind"),
                      self.endorsement_button: lambda: self.run("endorsement"),
                      self.results_button: lambda: self.run("results"),
                      self.waiting_button: lambda: self.run("waiting"),
                      self.fix_button: self.fix_address})
        self._show_route()
        self.consultation_id = consultation_id  # draws it

    @staticmethod
    def _button(description: str, icon: str, style: str, tooltip: str) -> w.Button:
        return w.Button(description=description, icon=icon, button_style=style,
                        tooltip=tooltip, layout=fit_width())

    def _show_route(self) -> None:
        smtp = self.route.value == "smtp"
        self.smtp_box.layout.display = "" if smtp else "none"
        self.eml_box.layout.display = "none" if smtp else ""

    # -- actions ----------------------------------------------------------------------

    def mail_route(self) -> mm.MailRoute:
        """Return the route as the fields say (checked: a bad field names its rule)."""
        from ..errors import ValidationError

        rate_text = self.rate.value.strip()
        try:
            rate = float(rate_text) if rate_text else None
        except ValueError:
            raise ValidationError("rate", "not-a-rate", rate_text) from None
        smtp = self.route.value == "smtp"
        if smtp and not self.smtp.value.strip():
            raise ValidationError("smtp", "required", "")
        return mm.MailRoute(
            smtp=self.smtp.value if smtp else "", eml_dir="" if smtp else self.eml_dir.value,
            from_address=self.from_address.value.strip() or "cop-widgets@localhost",
            reply_to=self.reply_to.value.strip(), rate=rate)

    def run(self, action: str) -> str:
        """Run one email action; return what happened, in words."""
        route = self.mail_route()
        base = self.base_url()
        password = self.password.value or os.environ.get(PASSWORD_ENV) or None
        try:
            report = mail_members(self.store, self.consultation_id, action, route,
                                  password=password,
                                  compose=composer(self.store, self.consultation_id, base))
        finally:
            self.password.value = ""  # never kept beyond one sending
        return self._report_words(report, written=not route.smtp, folder=route.eml_dir)

    def fix_address(self) -> str:
        """Save the corrected address of the member chosen among the failed ones."""
        from ..errors import ValidationError

        if self.fix_member.value is None:
            raise ValidationError("member", "choose-member")
        member = self.store.update_member(self.fix_member.value,
                                          email=self.fix_email.value.strip())
        return self._("Saved {email} for {name}. Send again: only the failed messages go, to "
                      "the corrected addresses.").format(email=member.email, name=member.name)

    def _fill_fix(self) -> None:
        chosen = self.fix_member.value
        self.fix_email.value = "" if chosen is None else self.store.get_member(chosen).email

    def remind(self) -> str:
        """Email the reminders (the Participation tab's button); then redraw, as a click does."""
        try:
            return self.run("remind")
        finally:
            self.refresh()
            if self.on_change is not None:
                self.on_change()

    def _report_words(self, report: Report, *, written: bool, folder: str) -> str:
        number = self._number
        if written:
            words = self.ngettext("{count} message written into {folder}.",
                                  "{count} messages written into {folder}.",
                                  report.sent).format(count=number(report.sent), folder=folder)
        else:
            words = self.ngettext("{count} message sent.", "{count} messages sent.",
                                  report.sent).format(count=number(report.sent))
        if report.failed:
            words += " " + self.ngettext(
                "{count} failed: see Delivery below.", "{count} failed: see Delivery below.",
                report.failed).format(count=number(report.failed))
        if report.finishing:
            words += " " + self._("This finished an earlier sending: nobody got a second "
                                  "message.")
        if report.held:
            words += " " + self.ngettext(
                "{count} receipt waits: in an anonymous consultation receipts go only "
                "through an SMTP server, never into a folder you open.",
                "{count} receipts wait: in an anonymous consultation receipts go only "
                "through an SMTP server, never into a folder you open.",
                report.held).format(count=number(report.held))
        return words

    def _number(self, value: int) -> str:
        return format_number(value, self.language)

    # -- the delivery table ---------------------------------------------------------

    def refresh(self) -> None:
        """Redraw each member's latest message and the failed addresses from the store."""
        _ = self._
        view = deliveries(self.store, self.consultation_id)
        head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in (
            _("Name"), _("Email"), _("Latest message"), _("State"), _("When")))
        rows = []
        for member, message in view.latest:
            if message is None:
                cells = [member.name, member.email or _("no address"), "\u2014", "", ""]
            else:
                when = message.done_at or message.created_at
                cells = [member.name, message.recipient, _(KIND_WORDS[message.kind]),
                         _(STATUS_WORDS[message.status]),
                         format_datetime(when, self.language) if when else ""]
            rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        parts = [f"<table class='cop-table' style='border-collapse:collapse'><thead><tr>{head}"
                 f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"] if rows else \
            [tagged("p", _("No member yet."))]
        if view.receipts:
            counts = ", ".join(f"{_(STATUS_WORDS[s])}: {self._number(n)}"
                               for s, n in sorted(view.receipts.items()))
            parts.append(tagged("p", _("Receipts (counted only: the consultation is "
                                       "anonymous): {counts}").format(counts=counts)))
        if view.failed:
            items = "".join(
                f"<li><b>{esc(m.recipient)}</b> ({esc(member.name)}): "
                f"{esc(str(m.reply_code or ''))} {esc(m.reply)}</li>"
                for member, m in view.failed)
            parts.append(tagged("h5", _("Failed addresses")) + "<p>" + esc(_(
                "Correct an address below if it is wrong, then send again: only these "
                "messages go.")) + f"</p><ul class='cop-failed'>{items}</ul>")
        self.deliveries.value = "".join(parts)
        chosen = self.fix_member.value
        options = [(f"{member.name} \u2014 {message.recipient}", member.id)
                   for member, message in view.failed]
        self.fix_member.options = options
        ids = [value for _label, value in options]
        self.fix_member.value = chosen if chosen in ids else (ids[0] if ids else None)
        self._fill_fix()
        self.fix_box.layout.display = "" if ids else "none"
