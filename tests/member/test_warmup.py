"""A preheated member kernel warms up before its visitor arrives, and the visitor never sees it.

``cop_widgets.jupyter.warmup`` pays the member page's first-use costs (ipywidgets' traits,
SQLAlchemy's compilation, the words) while a preheated kernel waits for its link. Here:

- the warm-up leaves no widget open and sends nothing: its comms publish nothing while it
  runs (a stand-in for the kernel's comm records every message), and the kernel's comms are
  back afterwards;
- it reads nothing of any member: every read finds nothing;
- a warm-up that fails is logged and the page is built all the same;
- the member workbook's page warms up before it waits for the link, only in a preheated
  kernel, and is the link's member's page.
"""

from __future__ import annotations

import io
import logging

import comm
import pytest
from comm.base_comm import BaseComm
from ipywidgets.widgets.widget import _instances

from cop_widgets.errors import CopWidgetsError
from cop_widgets.jupyter import pages, warmup
from cop_widgets.widgets import card_row

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


class RecordingComm(BaseComm):
    """The kernel's comm, standing in: every message it would publish is recorded."""

    sent: list[tuple[str, dict]] = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        RecordingComm.sent.append((msg_type, data))


@pytest.fixture
def kernel_comms(monkeypatch):
    RecordingComm.sent = []
    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    return RecordingComm.sent


@pytest.fixture
def warmup_log():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    warmup.log.addHandler(handler)
    yield out
    warmup.log.removeHandler(handler)


def test_the_warm_up_leaves_no_widget_and_sends_nothing(store, seeded, kernel_comms):
    before = set(_instances)
    assert warmup.warm_up(store) is True
    assert set(_instances) == before
    assert kernel_comms == []
    assert comm.create_comm is RecordingComm  # the kernel's comms are back


class Spy:
    """A store whose every answer is recorded."""

    def __init__(self, store):
        self._store, self.answers = store, []

    def __getattr__(self, name):
        verb = getattr(self._store, name)

        def call(*args, **kwargs):
            try:
                answer = verb(*args, **kwargs)
            except CopWidgetsError as exc:
                self.answers.append((name, exc.code))
                raise
            self.answers.append((name, answer))
            return answer

        return call


def test_the_warm_up_reads_nothing_of_any_member(store, seeded):
    spy = Spy(store)
    assert warmup.warm_up(spy) is True
    assert len(spy.answers) >= 6
    found = [(name, answer) for name, answer in spy.answers
             if answer not in (None, [], "not-found", "token-unknown")]
    assert found == []


def test_a_failing_warm_up_is_logged_and_the_page_opens_all_the_same(
        store, seeded, kernel_comms, monkeypatch, warmup_log):
    made = card_row.StatementRow

    def breaks(*args, **kwargs):
        made(*args, **kwargs)  # some widgets are open when it fails
        raise RuntimeError("broken row")

    monkeypatch.setattr(card_row, "StatementRow", breaks)
    before = set(_instances)
    assert warmup.warm_up(store) is False
    assert "warm-up-failed" in warmup_log.getvalue()
    assert "broken row" in warmup_log.getvalue()
    assert set(_instances) == before and kernel_comms == []
    assert comm.create_comm is RecordingComm
    monkeypatch.setattr(card_row, "StatementRow", made)
    token = seeded.tokens[seeded.members[0].id]
    monkeypatch.setenv("QUERY_STRING", f"c={seeded.consultation.id}&t={token}")
    assert pages.member_page(store.url).member.id == seeded.members[0].id


@pytest.mark.parametrize("preheated", [True, False], ids=["preheated", "started-for-visitor"])
def test_the_workbooks_page_warms_up_before_it_waits_and_is_the_members(
        store, seeded, monkeypatch, preheated):
    member = seeded.members[1]
    query = f"c={seeded.consultation.id}&t={seeded.tokens[member.id]}"
    steps = []
    monkeypatch.setattr(warmup, "warm_up", lambda s: steps.append("warm-up"))
    monkeypatch.setattr(pages, "wait_for_request_info",
                        lambda: steps.append("wait") or {"QUERY_STRING": query})
    if preheated:
        monkeypatch.setenv("VOILA_PREHEAT", "True")
    else:
        monkeypatch.delenv("VOILA_PREHEAT", raising=False)
        monkeypatch.setenv("QUERY_STRING", query)
    page = pages.member_page(store.url)
    assert page.member.id == member.id
    assert steps == (["warm-up", "wait"] if preheated else [])
