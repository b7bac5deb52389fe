"""The workbook's email panel (Roster & invitations tab) and the Participation tab's button,
against a real SMTP server on loopback (aiosmtpd) and an .eml folder."""

from __future__ import annotations

import os

from helpers import walk

from cop_widgets import model as m
from cop_widgets.widgets.facilitator import FacilitatorWorkbench
from cop_widgets.widgets.mail_panel import MailPanel

BASE = "http://127.0.0.1:8866"


def _consultation(store, n=4, *, anonymous=False):
    development = store.add_development(m.Development("policy", "A policy"))
    consultation = store.add_consultation(m.Consultation(
        development.id, "How do we answer?", anonymous=anonymous))
    members = store.add_members([m.Member(consultation.id, f"Member <{i}>",
                                          f"member{i}@example.org") for i in range(n)])
    store.add_statements([m.Statement(consultation.id, "A statement.")])
    store.open_consultation(consultation.id)
    return consultation, members


def _panel(store, consultation) -> MailPanel:
    return MailPanel(store, consultation.id, base_url=lambda: BASE)


def test_invitations_into_an_eml_folder_by_default_and_each_members_delivery(
        sqlite_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    consultation, members = _consultation(sqlite_store)
    panel = _panel(sqlite_store, consultation)
    assert panel.route.value == "eml" and panel.smtp_box.layout.display == "none"
    assert "\u2014" in panel.deliveries.value  # nobody messaged yet
    panel.invite_button.click()
    assert panel.message.kind == "ok", panel.message.text
    assert panel.message.text.startswith("4 messages written into outbox-eml")
    assert len(list((tmp_path / "outbox-eml").glob("*.eml"))) == 4
    assert panel.deliveries.value.count("written as an .eml file") == 4
    assert "Member &lt;0&gt;" in panel.deliveries.value  # member text escaped
    panel.invite_button.click()  # nobody is invited twice
    assert panel.message.text.startswith("0 messages written")
    assert len(list((tmp_path / "outbox-eml").glob("*.eml"))) == 4


def test_refused_addresses_are_listed_with_the_reply_fixed_and_sent_alone(
        sqlite_store, mailbox):
    consultation, members = _consultation(sqlite_store)
    mailbox.handler.refuse = {"member1@example.org"}
    panel = _panel(sqlite_store, consultation)
    panel.route.value = "smtp"
    assert panel.smtp_box.layout.display == "" and panel.eml_box.layout.display == "none"
    panel.smtp.value = mailbox.url
    panel.from_address.value = "facilitator@example.org"
    panel.invite_button.click()
    assert panel.message.text == "3 messages sent. 1 failed: see Delivery below.", \
        panel.message.text
    assert "Failed addresses" in panel.deliveries.value
    assert "550" in panel.deliveries.value and "mailbox unavailable" in panel.deliveries.value
    assert panel.fix_box.layout.display == ""
    assert panel.fix_member.value == members[1].id
    assert panel.fix_email.value == "member1@example.org"
    panel.fix_email.value = "member1.fixed@example.org"
    panel.fix_button.click()
    assert panel.message.kind == "ok", panel.message.text
    panel.invite_button.click()
    assert panel.message.text.startswith("1 message sent."), panel.message.text
    received = [r.rcpt for r in mailbox.handler.received()]
    assert len(received) == 4 and ["member1.fixed@example.org"] in received
    assert "Failed addresses" not in panel.deliveries.value
    assert panel.fix_box.layout.display == "none"


def test_the_password_field_is_used_once_and_bad_fields_are_named(sqlite_store, tmp_path,
                                                                   monkeypatch):
    monkeypatch.delenv("COP_WIDGETS_SMTP_PASSWORD", raising=False)
    consultation, _members = _consultation(sqlite_store)
    panel = _panel(sqlite_store, consultation)
    panel.route.value = "smtp"
    panel.invite_button.click()
    assert panel.message.kind == "error" and "SMTP server" in panel.message.text
    panel.smtp.value = "smtp://someone@127.0.0.1:9"
    panel.invite_button.click()
    assert panel.message.kind == "error" and "Password" in panel.message.text
    assert sqlite_store.list_outbox(consultation.id) == []  # nothing half made
    panel.password.value = "typed-secret"
    panel.rate.value = "fast"
    panel.invite_button.click()
    assert "Messages per minute" in panel.message.text
    panel.rate.value = ""
    panel.invite_button.click()  # port 9 answers nothing: failed, and the password gone
    assert panel.password.value == ""
    assert sqlite_store.list_outbox(consultation.id)  # made, failed, waiting for a rerun
    assert "typed-secret" not in repr(sqlite_store.list_outbox(consultation.id))


def test_the_workbench_emails_from_the_roster_and_reminds_from_participation(
        sqlite_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    consultation, members = _consultation(sqlite_store, n=3)
    bench = FacilitatorWorkbench(sqlite_store, consultation_id=consultation.id)
    roster = bench.roster
    assert roster.mail in list(walk(roster))
    roster.mail.invite_button.click()
    assert roster.mail.message.text.startswith("3 messages written"), roster.mail.message.text
    assert len(list((tmp_path / "outbox-eml").glob("*-invitation-*.eml"))) == 3
    panel = bench.participation
    assert panel.email_reminder_button.layout.display != "none"
    panel.email_reminder_button.click()
    assert panel.message.kind == "ok", panel.message.text
    assert panel.message.text.startswith("3 messages written"), panel.message.text
    assert len(list((tmp_path / "outbox-eml").glob("*-reminder-*.eml"))) == 3
    assert roster.mail.deliveries.value.count("reminder") == 3  # the roster tab follows
    assert os.stat(next((tmp_path / "outbox-eml").glob("*.eml"))).st_mode & 0o077 == 0
