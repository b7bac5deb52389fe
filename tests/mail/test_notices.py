"""Receipts of submitted cards (off by default) and notices that a draft or the results are
published, delivered by a real SMTP server on loopback (aiosmtpd) or into .eml files."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from cop_widgets import model as m
from cop_widgets.errors import InvalidToken, ValidationError
from cop_widgets.model.mail import MailRoute
from cop_widgets.services.mail_actions import deliveries
from cop_widgets.services.mail_actions import mail_members as _mail_members
from cop_widgets.words.mail import composer

BASE = "http://127.0.0.1:8866"
TOKEN = re.compile(r"[?&]t=([A-Za-z0-9_\-]+)")


def mail_members(store, consultation_id, action, route, *, base_url):
    return _mail_members(store, consultation_id, action, route,
                         compose=composer(store, consultation_id, base_url))


def _smtp(server) -> MailRoute:
    return MailRoute(smtp=server.url, from_address="facilitator@example.org")


def _consultation(store, n=3, *, receipts=False, anonymous=False, language="en"):
    development = store.add_development(m.Development("policy", "The <i>new</i> policy"))
    consultation = store.add_consultation(m.Consultation(
        development.id, "Our <answer> & more", anonymous=anonymous, receipts=receipts,
        language=language))
    members = store.add_members([m.Member(consultation.id, f"Member {i}",
                                          f"member{i}@example.org") for i in range(n)])
    statements = store.add_statements([m.Statement(consultation.id, "A statement.")])
    store.open_consultation(consultation.id)
    tokens = {mb.id: token for mb, (_inv, token) in
              zip(members, store.add_invitations([mb.id for mb in members]), strict=True)}
    return consultation, members, statements, tokens


def _submit(store, consultation, statements, token, stance=5, status="submitted"):
    store.save_card(consultation.id, token, [m.StanceResponse(statements[0].id, stance)],
                    status=status)


def _text(received) -> str:
    return received.mime.get_body(("plain",)).get_content()


def test_receipts_are_off_by_default_and_name_no_stance_when_asked_for(store, mailbox):
    quiet, _members, statements, tokens = _consultation(store)
    _submit(store, quiet, statements, next(iter(tokens.values())))
    assert store.list_outbox(quiet.id) == []  # off by default: nothing waits

    consultation, members, statements, tokens = _consultation(store, receipts=True)
    _submit(store, consultation, statements, tokens[members[0].id], status="draft")
    assert store.list_outbox(consultation.id) == []  # a draft card is not a submission
    _submit(store, consultation, statements, tokens[members[0].id], stance=2)
    _submit(store, consultation, statements, tokens[members[1].id], stance=5)
    waiting = store.list_outbox(consultation.id)
    assert [(w.kind, w.member_id, w.token) for w in waiting] == [
        ("receipt", members[0].id, ""), ("receipt", members[1].id, "")]  # no link kept

    report = mail_members(store, consultation.id, "waiting", _smtp(mailbox), base_url=BASE)
    assert (report.sent, report.failed) == (2, 0)
    got = {r.rcpt[0]: r for r in mailbox.handler.received()}
    assert set(got) == {"member0@example.org", "member1@example.org"}
    text = _text(got["member0@example.org"])
    assert "received" in text and "Our <answer> & more" in text
    assert not TOKEN.search(text) and "Disagree" not in text and "Agree" not in text
    html = got["member0@example.org"].mime.get_body(("html",)).get_content()
    assert "Our &lt;answer&gt; &amp; more" in html and "<answer>" not in html
    # sending again sends nothing: each receipt went once
    again = mail_members(store, consultation.id, "waiting", _smtp(mailbox), base_url=BASE)
    assert again.sent == 0 and len(mailbox.handler.received()) == 2


def test_an_anonymous_consultations_receipts_never_go_into_a_folder_nor_by_name(
        sqlite_store, mailbox, tmp_path):
    store = sqlite_store
    consultation, members, statements, tokens = _consultation(store, receipts=True,
                                                              anonymous=True)
    _submit(store, consultation, statements, tokens[members[2].id])
    folder = tmp_path / "eml"
    report = mail_members(store, consultation.id, "waiting", MailRoute(eml_dir=str(folder)),
                          base_url=BASE)
    assert (report.sent, report.held) == (0, 1)
    assert not folder.exists() or not list(folder.iterdir())
    view = deliveries(store, consultation.id)
    assert all(message is None or message.kind != "receipt" for _mb, message in view.latest)
    assert view.receipts == {"pending": 1}  # counted, never named
    report = mail_members(store, consultation.id, "waiting", _smtp(mailbox), base_url=BASE)
    assert (report.sent, report.held) == (1, 0)
    assert [r.rcpt for r in mailbox.handler.received()] == [["member2@example.org"]]
    assert deliveries(store, consultation.id).receipts == {"sent": 1}


def test_a_draft_notice_waits_for_a_shared_version_and_gives_each_member_a_new_link(
        store, mailbox, clock):
    consultation, members, _statements, old_tokens = _consultation(store)
    with pytest.raises(ValidationError) as refused:
        mail_members(store, consultation.id, "endorsement", _smtp(mailbox), base_url=BASE)
    assert (refused.value.field, refused.value.code) == ("draft", "draft-not-open")
    store.add_draft(consultation.id, {"consensus": "Private words."})  # saved privately
    with pytest.raises(ValidationError):
        mail_members(store, consultation.id, "endorsement", _smtp(mailbox), base_url=BASE)
    assert store.list_outbox(consultation.id) == [] and mailbox.handler.received() == []

    store.share_draft(consultation.id, 1)
    report = mail_members(store, consultation.id, "endorsement", _smtp(mailbox),
                          base_url=BASE)
    assert (report.sent, report.failed) == (3, 0)
    by_address = {r.rcpt[0]: _text(r) for r in mailbox.handler.received()}
    for member in members:
        text = by_address[member.email]
        assert "/voila/render/endorse.ipynb?c=" in text and "replaces" in text
        (token,) = TOKEN.findall(text)
        assert store.get_member_for_token(consultation.id, token).id == member.id
        with pytest.raises(InvalidToken):  # the link before it stops working
            store.get_member_for_token(consultation.id, old_tokens[member.id])
    # a rerun sends nobody a second notice; a newer version put to them is news again
    assert mail_members(store, consultation.id, "endorsement", _smtp(mailbox),
                        base_url=BASE).sent == 0
    clock.advance(3600)
    store.add_draft(consultation.id, {"consensus": "Better words."}, share=True)
    assert mail_members(store, consultation.id, "endorsement", _smtp(mailbox),
                        base_url=BASE).sent == 3


def test_a_results_notice_goes_once_the_results_are_public_with_no_personal_link(
        store, mailbox):
    consultation, members, _statements, tokens = _consultation(store)
    store.update_member(members[1].id, email="")  # no address, no message
    with pytest.raises(ValidationError) as refused:
        mail_members(store, consultation.id, "results", _smtp(mailbox), base_url=BASE)
    assert refused.value.code == "results-not-published"
    store.close_consultation(consultation.id)
    report = mail_members(store, consultation.id, "results", _smtp(mailbox), base_url=BASE)
    assert report.sent == 2
    texts = {r.rcpt[0]: _text(r) for r in mailbox.handler.received()}
    assert set(texts) == {"member0@example.org", "member2@example.org"}
    for text in texts.values():
        assert f"/voila/render/results.ipynb?c={consultation.id}" in text
        assert not TOKEN.search(text)
    for member in members:  # nothing revoked: their links still open their cards
        assert store.get_member_for_token(consultation.id, tokens[member.id]).id == member.id
    assert mail_members(store, consultation.id, "results", _smtp(mailbox),
                        base_url=BASE).sent == 0


def test_results_never_shown_are_never_announced(sqlite_store, mailbox):
    consultation, *_rest = _consultation(sqlite_store)
    sqlite_store.update_consultation(consultation.id, visibility="never")
    sqlite_store.close_consultation(consultation.id)
    with pytest.raises(ValidationError) as refused:
        mail_members(sqlite_store, consultation.id, "results", _smtp(mailbox), base_url=BASE)
    assert refused.value.code == "results-not-published"
    assert sqlite_store.list_outbox(consultation.id) == []


def test_french_notices_and_receipts_are_in_french(sqlite_store, tmp_path):
    store = sqlite_store
    consultation, members, statements, tokens = _consultation(store, receipts=True,
                                                              language="fr")
    _submit(store, consultation, statements, tokens[members[0].id])
    store.add_draft(consultation.id, {"consensus": "Nos mots."}, share=True)
    folder = tmp_path / "eml"
    mail_members(store, consultation.id, "waiting", MailRoute(eml_dir=str(folder)),
                 base_url=BASE)
    mail_members(store, consultation.id, "endorsement", MailRoute(eml_dir=str(folder)),
                 base_url=BASE)
    subjects = sorted(message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
                      for path in folder.glob("*.eml"))
    assert len(subjects) == 4
    assert all(s.startswith(("Nous avons reçu", "Notre réponse commune")) for s in subjects), \
        subjects
