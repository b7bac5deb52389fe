"""``cop-widgets invite`` and ``remind``: a sender killed mid-batch, STARTTLS, passwords, .eml."""

from __future__ import annotations

import collections
import logging
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

from cop_widgets import model as m
from cop_widgets.cli import main
from cop_widgets.demo import seed_demo
from cop_widgets.store import Store

FROM = ["--from", "facilitator@example.org"]


def _consultation(store, n):
    development = store.add_development(m.Development("policy", "New policy"))
    consultation = store.add_consultation(m.Consultation(development.id, "Our answer",
                                                         scale="likert5"))
    store.add_statements([m.Statement(consultation.id, "A statement.")])
    members = store.add_members([m.Member(consultation.id, f"Member {i}",
                                          f"member{i}@example.org") for i in range(n)])
    store.open_consultation(consultation.id)
    return consultation, members


def _wait_for(condition, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the sender ended first ({process.returncode})")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.005)


def test_a_sender_killed_mid_batch_leaves_the_rest_to_a_rerun_and_nobody_gets_two(
        db_url, mailbox, capsys):
    with Store(db_url) as store:
        consultation, members = _consultation(store, 12)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("COP_WIDGETS_DB", None)
    command = [sys.executable, "-m", "cop_widgets.cli", "invite", str(consultation.id),
               "--db", db_url, "--smtp", mailbox.url, *FROM]
    # 300 a minute: 0.2 s between messages, so the kill lands between two of them
    process = subprocess.Popen([*command, "--rate", "300"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: len(mailbox.handler.received()) >= 5, process)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    killed_at = len(mailbox.handler.received())
    assert 5 <= killed_at < 12  # mid-batch
    assert main(command[3:]) == 0  # the rerun, in this process (a second start is slow)
    counts = collections.Counter(r.rcpt[0] for r in mailbox.handler.received())
    assert counts == {mb.email: 1 for mb in members}  # everyone, exactly once
    out = capsys.readouterr().out
    assert f"{12 - killed_at} sent, 0 failed" in out
    with Store(db_url) as store:
        statuses = collections.Counter(o.status for o in store.list_outbox(consultation.id))
    # a message the server took just before the kill, unconfirmed, stays "sending" (not
    # resent: its lease has not passed); every other one is sent
    assert statuses["sent"] + statuses["sending"] == 12 and statuses["sending"] <= 1


def test_starttls_login_and_the_password_is_nowhere(tmp_path, tls_smtp_server, monkeypatch,
                                                     capsys, caplog):
    PASSWORD = tls_smtp_server.password  # noqa: N806
    tls_smtp_server.handler.reset()
    db = tmp_path / "mail.db"
    url = f"sqlite:///{db}"
    with Store(url) as store:
        consultation, members = _consultation(store, 3)
    monkeypatch.setenv("COP_WIDGETS_SMTP_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    args = ["invite", str(consultation.id), "--db", url, "--smtp", tls_smtp_server.url,
            "--smtp-ca-file", tls_smtp_server.ca_file, *FROM]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert "3 sent, 0 failed, 0 skipped" in out
    received = tls_smtp_server.handler.received()
    assert sorted(r.rcpt[0] for r in received) == sorted(mb.email for mb in members)
    assert all(r.tls for r in received)  # after STARTTLS
    # a wrong password: refused by the server, every message failed, exit 1
    with Store(url) as store:
        store.add_members([m.Member(consultation.id, "Late", "late@example.org")])
    monkeypatch.setenv("COP_WIDGETS_SMTP_PASSWORD", PASSWORD + "-wrong")
    assert main(args) == 1
    out2, err2 = capsys.readouterr()
    assert "0 sent, 1 failed" in out2 and "late@example.org" in err2
    secret = PASSWORD.encode()
    for path in db.parent.glob("mail.db*"):  # the file, its WAL and shared memory
        assert secret not in path.read_bytes()
    assert PASSWORD not in out + err + out2 + err2 + caplog.text


def test_a_user_without_a_password_is_refused_before_anything_is_made(
        tmp_path, tls_smtp_server, monkeypatch, capsys):
    PASSWORD = tls_smtp_server.password  # noqa: N806
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    with Store(url) as store:
        consultation, _members = _consultation(store, 1)
    monkeypatch.delenv("COP_WIDGETS_SMTP_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # not a terminal: no prompt
    assert main(["invite", str(consultation.id), "--db", url, "--smtp",
                 tls_smtp_server.url, *FROM]) == 2
    assert "COP_WIDGETS_SMTP_PASSWORD" in capsys.readouterr().err
    assert main(["invite", str(consultation.id), "--db", url, "--smtp",
                 f"smtp://user:{PASSWORD}@127.0.0.1:25", *FROM]) == 2
    assert PASSWORD not in capsys.readouterr().err
    with Store(url) as store:
        assert store.list_invitations(consultation.id) == []


def test_the_demo_reminds_into_an_eml_folder_and_a_rerun_of_invite_writes_nothing(
        tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with Store(url) as store:
        demo = seed_demo(store, anonymous=False, discussion=False)
        waiting = len(demo.tokens) - len(demo.responded)
    out = tmp_path / "out"
    cid = str(demo.consultation_id)
    assert main(["remind", cid, "--db", url, "--eml-dir", str(out)]) == 0
    assert f"{waiting} written, 0 failed" in capsys.readouterr().out
    files = sorted(out.glob("*.eml"))
    assert len(files) == waiting
    first = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert first["To"].endswith("@example.org") and first["Subject"].startswith("Reminder")
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    # invite: everyone was invited by the demo, so nothing is written
    assert main(["invite", cid, "--db", url, "--eml-dir", str(out)]) == 0
    assert "0 written, 0 failed" in capsys.readouterr().out
    assert len(list(Path(out).glob("*.eml"))) == waiting


def test_notify_and_send_from_the_command_line(tmp_path, mailbox, capsys):
    url = f"sqlite:///{tmp_path / 'cop.db'}"
    with Store(url) as store:
        consultation, members = _consultation(store, 3)
        store.update_consultation(consultation.id, receipts=True, anonymous=False)
        issued = store.add_invitations([mb.id for mb in members])
        statement = store.list_statements(consultation.id)[0]
        store.save_card(consultation.id, issued[0][1], [m.StanceResponse(statement.id, 4)])
    cid = str(consultation.id)
    smtp = ["--db", url, "--smtp", mailbox.url, *FROM]
    # results are not public while the consultation is open: refused, with field and rule
    assert main(["notify", cid, "--what", "results", *smtp]) == 2
    assert "results: are not public yet" in capsys.readouterr().err
    assert main(["send", cid, *smtp]) == 0  # the one receipt waiting
    assert "1 sent, 0 failed" in capsys.readouterr().out
    assert [r.rcpt for r in mailbox.handler.received()] == [["member0@example.org"]]
    with Store(url) as store:
        store.close_consultation(consultation.id)
    assert main(["notify", cid, "--what", "results", *smtp]) == 0
    assert "3 sent, 0 failed" in capsys.readouterr().out
    assert main(["notify", cid, "--what", "results", *smtp]) == 0  # nobody gets two
    assert "0 sent, 0 failed" in capsys.readouterr().out
    assert len(mailbox.handler.received()) == 4
