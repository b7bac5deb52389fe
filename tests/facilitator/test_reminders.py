"""Representation gaps in the participation panel, and reminders."""

from __future__ import annotations

import csv
import io

import pytest

from cop_widgets.demo import seed_demo
from cop_widgets.errors import InvalidToken
from cop_widgets.store import Store
from cop_widgets.widgets.participation import ParticipationPanel


@pytest.fixture
def named(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/d.db")
    seeded = seed_demo(store, members=20, silent=5, anonymous=False)
    yield store, seeded
    store.close()


def test_gaps_and_flags_are_shown(named):
    store, seeded = named
    panel = ParticipationPanel(store, seeded.consultation_id)
    assert "Representation gap (points)" in panel.by_attribute.value
    assert "Share of roster" in panel.by_attribute.value


def test_reminders_give_new_links_to_those_who_have_not_answered(named):
    store, seeded = named
    cid = seeded.consultation_id
    panel = ParticipationPanel(store, cid, base_url="http://127.0.0.1:9000")
    panel.reminder_button.click()
    assert panel.message.kind == "ok", panel.message.text
    rows = list(csv.DictReader(io.StringIO(panel.reminder_links.value)))
    silent = set(seeded.tokens) - seeded.responded
    assert {r["name"] for r in rows} == {seeded.names[mid] for mid in silent}
    assert "data:text/csv;base64," in panel.reminder_download.value
    for row in rows:
        token = row["link"].split("t=")[1]
        member = store.get_member_for_token(cid, token)
        assert seeded.names[member.id] == row["name"]
        with pytest.raises(InvalidToken):  # the old link no longer works
            store.get_member_for_token(cid, seeded.tokens[member.id])
    answered = next(iter(seeded.responded))  # those who answered keep their link
    assert store.get_member_for_token(cid, seeded.tokens[answered]).id == answered


def test_anonymous_reminders_are_counts_only(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/a.db")
    seeded = seed_demo(store, members=12, silent=3, anonymous=True)
    panel = ParticipationPanel(store, seeded.consultation_id)
    panel.reminder_button.click()
    assert "3 invited members have not answered" in panel.message.text
    assert panel.reminder_links.value == ""
    for name in seeded.names.values():
        assert name not in panel.message.text


def test_reminders_use_the_address_typed_on_the_roster_tab(named):
    from cop_widgets.widgets.facilitator import FacilitatorWorkbench

    store, seeded = named
    cid = seeded.consultation_id
    bench = FacilitatorWorkbench(store)
    bench.picker.value = cid
    bench.roster.base_url.value = "not an address"
    bench.participation.reminder_button.click()
    assert bench.participation.message.kind == "error"
    assert "http://" in bench.participation.message.text
    for mid in set(seeded.tokens) - seeded.responded:  # nothing revoked by the refusal
        assert store.get_member_for_token(cid, seeded.tokens[mid]).id == mid
    bench.roster.base_url.value = "https://cop.example.org"
    bench.participation.reminder_button.click()
    assert bench.participation.message.kind == "ok", bench.participation.message.text
    rows = list(csv.DictReader(io.StringIO(bench.participation.reminder_links.value)))
    assert rows and all(r["link"].startswith("https://cop.example.org/") for r in rows)
    assert bench.base_url == "https://cop.example.org"  # kept for the next consultation
