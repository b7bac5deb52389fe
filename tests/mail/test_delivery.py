"""Delivering the outbox to a real SMTP server on loopback (aiosmtpd), or to .eml files."""

from __future__ import annotations

import datetime as dt
import re
import ssl
from email import message_from_bytes, policy

import pytest

from cop_widgets import model as m
from cop_widgets.i18n import translator
from cop_widgets.model.mail import MailSettings
from cop_widgets.services import mailing
from cop_widgets.store.base import hash_token
from cop_widgets.words.mail import SUBJECTS, composer

BASE = "http://127.0.0.1:8866"
LINK = re.compile(r"[?&]t=([A-Za-z0-9_\-]+)")


def _consultation(store, n, *, language="en", title="Q <script>alert(1)</script> & more",
                  anonymous=False):
    development = store.add_development(m.Development("policy", "The <i>new</i> policy"))
    consultation = store.add_consultation(m.Consultation(
        development.id, title, scale="likert5", language=language, anonymous=anonymous,
        deadline=dt.datetime(2027, 1, 10, 14, 30, tzinfo=dt.timezone.utc)))
    members = store.add_members([m.Member(consultation.id, f"Member {i}",
                                          f"member{i}@example.org") for i in range(n)])
    store.add_statements([m.Statement(consultation.id, "A statement.")])
    store.open_consultation(consultation.id)
    return consultation, members


def _settings(server, **others):
    return MailSettings.from_url(server.url, from_address="facilitator@example.org", **others)


def _send(store, consultation, server, run=mailing.invite, **options):
    settings = _settings(server)
    return run(store, consultation.id, mailing.SmtpTransport(settings), composer(
        store, consultation.id, BASE), settings, **options)


def _parts(mime):
    text = mime.get_body(("plain",)).get_content()
    html = mime.get_body(("html",)).get_content()
    return text, html


def test_forty_invitations_reach_their_own_members_with_their_own_link(store, mailbox):
    consultation, members = _consultation(store, 40)
    report = _send(store, consultation, mailbox)
    assert (report.sent, report.failed, report.skipped) == (40, 0, 0)
    received = mailbox.handler.received()
    assert sorted(r.rcpt[0] for r in received) == sorted(mb.email for mb in members)
    hashes = {i.member_id: i.token_hash for i in store.list_invitations(consultation.id)}
    by_email = {mb.email: mb for mb in members}
    for message in received:
        member = by_email[message.rcpt[0]]
        assert message.mime["To"] == member.email
        text, html = _parts(message.mime)
        tokens = set(LINK.findall(text)) | set(LINK.findall(html))
        assert len(tokens) == 1  # one link, this member's own
        assert hash_token(tokens.pop()) == hashes[member.id]
        assert "<script>" not in html and "&lt;script&gt;" in html  # member text escaped
        assert "<i>new</i>" not in html
        assert member.name in text
    sent = store.list_outbox(consultation.id)
    assert {o.status for o in sent} == {"sent"} and {o.token for o in sent} == {""}
    assert all(o.reply_code == 250 and o.reply.startswith("2.0.0 queued") for o in sent)
    # a rerun sends nothing more
    again = _send(store, consultation, mailbox)
    assert (again.sent, again.failed, again.skipped) == (0, 0, 40)
    assert len(mailbox.handler.received()) == 40


def test_three_refused_recipients_fail_with_the_reply_and_a_rerun_sends_only_them(
        store, mailbox):
    consultation, members = _consultation(store, 8)
    refused = {members[i].email for i in (1, 4, 6)}
    mailbox.handler.refuse |= refused
    report = _send(store, consultation, mailbox)
    assert (report.sent, report.failed) == (5, 3)
    assert {f[0] for f in report.failures} == refused
    failed = [o for o in store.list_outbox(consultation.id) if o.status == "failed"]
    assert {o.recipient for o in failed} == refused
    assert {(o.reply_code, o.reply) for o in failed} == {(550, "5.1.1 mailbox unavailable")}
    deliveries = store.list_deliveries(consultation.id)
    assert {d.recipient for d in deliveries.values() if d.status == "failed"} == refused
    # the fix: two addresses corrected, the server accepts the third again
    fixed = {members[1].id: "fixed1@example.org", members[4].id: "fixed4@example.org"}
    for member_id, email in fixed.items():
        store.update_member(member_id, email=email)
    mailbox.handler.refuse.clear()
    before = len(mailbox.handler.received())
    again = _send(store, consultation, mailbox)
    assert (again.sent, again.failed) == (3, 0)
    rerun = [r.rcpt[0] for r in mailbox.handler.received()[before:]]
    assert sorted(rerun) == sorted([*fixed.values(), members[6].email])
    assert {o.status for o in store.list_outbox(consultation.id)} == {"sent"}


def test_a_busy_server_is_retried_with_backoff_and_the_rate_spaces_messages(
        sqlite_store, mailbox):
    store = sqlite_store
    consultation, members = _consultation(store, 3)
    mailbox.handler.busy.add(members[1].email)  # 451 once
    waits: list[float] = []
    now = [0.0]

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    settings = _settings(mailbox, rate=30)  # one message every 2 s
    report = mailing.invite(store, consultation.id, mailing.SmtpTransport(settings),
                            composer(store, consultation.id, BASE), settings,
                            sleep=sleep, monotonic=lambda: now[0], backoff=5.0)
    assert (report.sent, report.failed) == (3, 0)
    # the first goes at once; the second waits its turn (2 s), is refused 451, waits the
    # backoff (5 s) and goes; the third waits its turn after the second (2 s)
    assert waits == [pytest.approx(2.0), pytest.approx(5.0), pytest.approx(2.0)]
    assert len(mailbox.handler.received()) == 3
    assert [o.attempts for o in store.list_outbox(consultation.id)] == [1, 1, 1]


def test_french_reminders_are_in_french_with_a_new_link(sqlite_store, mailbox):
    store = sqlite_store
    consultation, members = _consultation(store, 3, language="fr", title="Notre réponse")
    store.add_invitations([mb.id for mb in members])  # links handed out by hand
    old = store.list_invitations(consultation.id)
    report = _send(store, consultation, mailbox, run=mailing.remind)
    assert (report.sent, report.failed) == (3, 0)
    fr = translator("fr")
    for message in mailbox.handler.received():
        assert message.mime["Content-Language"] == "fr"
        assert message.mime["Subject"] == fr(SUBJECTS["reminder"]).format(
            title="Notre réponse")
        text, html = _parts(message.mime)
        assert "janv." in text or "janvier" in text  # the deadline, written the French way
        assert '<html lang="fr">' in html
        # the sentences themselves, not only the headers (the catalogue's own words)
        assert "Nous n'avons pas encore reçu votre position" in text
        assert "Ce lien remplace celui que vous avez reçu auparavant" in text
        assert "We have not" not in text and "Hello" not in text
        token = LINK.findall(text)[0]
        assert hash_token(token) not in {i.token_hash for i in old}  # the new link
    old_ids = {i.id for i in old}
    assert all(i.revoked for i in store.list_invitations(consultation.id) if i.id in old_ids)
    # all sent: the next remind is a new round (nobody has answered yet)
    assert _send(store, consultation, mailbox, run=mailing.remind).sent == 3
    assert len(mailbox.handler.received()) == 6


def test_eml_folder_gets_one_file_per_message_and_a_rerun_writes_none(sqlite_store, tmp_path):
    store = sqlite_store
    consultation, members = _consultation(store, 4)
    settings = MailSettings("localhost", security="none",
                            from_address="facilitator@example.org")
    folder = tmp_path / "out"

    def run():
        return mailing.invite(store, consultation.id, mailing.EmlTransport(folder),
                              composer(store, consultation.id, BASE), settings)

    assert (run().sent, run().sent) == (4, 0)
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 4 and not list(folder.glob("*.part"))
    recipients = sorted(message_from_bytes(f.read_bytes(), policy=policy.default)["To"]
                        for f in files)
    assert recipients == sorted(mb.email for mb in members)
    assert {o.status for o in store.list_outbox(consultation.id)} == {"written"}


def test_the_tls_context_refuses_an_unknown_authority(sqlite_store, tls_smtp_server):
    tls_smtp_server.handler.reset()
    store = sqlite_store
    consultation, _members = _consultation(store, 1)
    settings = MailSettings.from_url(tls_smtp_server.url,
                                     from_address="facilitator@example.org")
    transport = mailing.SmtpTransport(settings, "whatever", context=ssl.create_default_context())
    waits: list[float] = []
    report = mailing.invite(store, consultation.id, transport,
                            composer(store, consultation.id, BASE), settings,
                            sleep=waits.append)
    assert report.failed == 1 and "CERTIFICATE_VERIFY_FAILED" in report.failures[0][2]
    assert waits == []  # final at once: no retry reaches another server
    assert tls_smtp_server.handler.received() == []


def test_two_senders_at_once_never_send_one_message_twice(store, mailbox):
    import collections
    import threading

    from cop_widgets.store import Store

    consultation, members = _consultation(store, 20)
    store.add_invitations([mb.id for mb in members], message="invitation")
    settings = _settings(mailbox)
    reports = []

    def sender():
        with Store(store.url) as own:
            reports.append(mailing.deliver(own, consultation.id, mailing.SmtpTransport(settings),
                                           composer(own, consultation.id, BASE), settings))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = collections.Counter(r.rcpt[0] for r in mailbox.handler.received())
    assert counts == {mb.email: 1 for mb in members}
    assert sum(r.sent for r in reports) == 20 and sum(r.failed for r in reports) == 0
