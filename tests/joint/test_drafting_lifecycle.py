"""Issue 12, item 2 (and the download of item 4): the drafting desk's steps, in Python.

The facilitator saves versions privately (the members' pages show nothing of them), puts
one to the members (they answer it), and finalises it (asked twice; the consultation closes,
the member's page shows the response as final with its date, and the store refuses any
later answer by its code). The export is offered as a download made in memory: nothing is
written in the working folder, and no server path is shown.
"""

from __future__ import annotations

import base64
import io
import os
import re
import zipfile

import pytest
from helpers import demo_store, html_of, walk

from cop_widgets import model as m
from cop_widgets.i18n import format_datetime
from cop_widgets.widgets.common import Message
from cop_widgets.widgets.drafting import DraftEditor
from cop_widgets.widgets.endorse import EndorsementPage
from cop_widgets.widgets.member import MemberPage


@pytest.fixture
def demo(tmp_path):
    """``(store, consultation id, two member tokens)``: the open demo consultation."""
    folder = tmp_path / "db"
    folder.mkdir()
    with demo_store(folder, members=8, silent=1) as (store, seeded):
        yield store, seeded.consultation_id, list(seeded.tokens.values())[:2]


def write(desk, text):
    desk.sections["consensus"].value = text


def test_save_privately_then_put_to_the_members_then_finalise(demo):
    store, cid, (token, other) = demo
    desk = DraftEditor(store, cid)
    assert desk.share_button.disabled and desk.finalise_button.disabled
    write(desk, "A private first version.")
    desk.save_button.click()
    assert desk.message.kind == "ok" and "privately" in desk.message.text
    assert "No version has been put to the members yet" in desk.stage.value
    # the members see nothing of it
    page = EndorsementPage(store, cid, token)
    assert page.form is None and "no draft to read yet" in page.message.text
    assert "A private first version." not in html_of(page)
    assert not hasattr(MemberPage(store, cid, token), "open_draft")
    # put to the members: endorsement opens on it
    assert not desk.share_button.disabled
    assert desk.share_button.description == "Put version 1 to the members"
    desk.share_button.click()
    assert desk.step_message.kind == "ok", desk.step_message.text
    assert "put to the members" in desk.step_message.text
    shared = store.get_draft(cid)
    assert shared.version == 1 and shared.shared
    assert "Members have version 1, put to them on" in desk.stage.value
    assert desk.share_button.disabled and not desk.finalise_button.disabled
    page = EndorsementPage(store, cid, token)
    assert "A private first version." in html_of(page)
    page.choice.value = "endorse"
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert MemberPage(store, cid, other).open_draft is not None
    # a later version, saved privately, changes nothing for the members
    write(desk, "A second version, not yet shown.")
    desk.save_button.click()
    assert "Version 2 is saved privately" in desk.stage.value
    again = EndorsementPage(store, cid, other)
    assert again.draft.version == 1 and "not yet shown" not in html_of(again)
    desk.refresh_button.click()
    assert "Version 1:" in desk.tally.value and "1 of 8 members" in desk.tally.value
    # finalise: asked twice, then the version put to the members is final
    desk.finalise_button.click()
    assert desk.step_message.kind == "info" and "again to confirm" in desk.step_message.text
    assert not store.get_draft(cid).final
    desk.finalise_button.click()
    assert desk.step_message.kind == "ok", desk.step_message.text
    final = store.get_draft(cid)
    assert final.version == 1 and final.final
    assert store.get_consultation(cid).status is m.ConsultationStatus.CLOSED
    assert "The joint response is final: version 1, finalised on" in desk.stage.value
    assert desk.save_button.disabled and desk.share_button.disabled
    assert desk.finalise_button.disabled
    assert desk.share_button.layout.display == desk.finalise_button.layout.display == "none"
    assert "Final version 1:" in desk.tally.value
    reopened = DraftEditor(store, cid)  # the desk opens on the final text
    assert reopened.version == 1 and reopened.sections["consensus"].value == \
        "A private first version."
    # the member's page shows it final, with its date, and takes no answer
    closed = EndorsementPage(store, cid, other)
    assert closed.form is None
    assert (f"finalised on {format_datetime(final.finalised_at, 'en')}"
            in html_of(closed))
    assert "Draft joint response" not in html_of(closed)
    assert "This response is final" in closed.message.text


def test_a_page_left_open_across_finalising_takes_no_answer(demo):
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "The response."}, share=True)
    page = EndorsementPage(store, cid, token)
    store.finalise_draft(cid)
    page.choice.value = "block"
    page.reason.value = "Too late, but still"
    page.submit.click()
    assert page.message.kind == "error"
    assert "the joint response was finalised on" in page.message.text
    assert store.list_endorsements(store.get_draft(cid).id) == []
    assert page.latest_button.description == "Read the final response"
    page.latest_button.click()
    assert page.form is None and "This response is final" in page.message.text


def test_unsaved_edits_are_not_put_to_the_members(demo):
    store, cid, _tokens = demo
    desk = DraftEditor(store, cid)
    write(desk, "Saved text.")
    desk.save_button.click()
    write(desk, "Typed after saving.")
    desk.share_button.click()
    assert desk.step_message.kind == "error" and "not saved" in desk.step_message.text
    assert not store.get_draft(cid, 1).shared


def test_the_store_refusal_is_said_beside_the_steps(demo):
    store, cid, _tokens = demo
    desk = DraftEditor(store, cid)
    write(desk, "Saved text.")
    desk.save_button.click()
    store.close_consultation(cid)
    desk.share_button.click()
    assert desk.step_message.kind == "error"
    assert "while the consultation is open" in desk.step_message.text
    assert desk.message.kind == "ok"  # the save's own message stays beside its button


def box_of(root, widget):
    """Return the box whose children hold ``widget``."""
    for box in walk(root):
        if widget in tuple(getattr(box, "children", ()) or ()):
            return box
    raise AssertionError(f"{widget!r} is not on the desk")


def messages_shown(desk) -> list:
    """The desk's messages that hold text, as placed on the page."""
    return [x for x in walk(desk) if isinstance(x, Message) and x.text]


def test_refreshing_the_tally_reports_beside_its_button(demo):
    """It reported to the steps' message, above the tally, away from its button."""
    store, cid, _tokens = demo
    store.add_draft(cid, {"consensus": "The response."}, share=True)
    desk = DraftEditor(store, cid)
    desk.refresh_button.click()
    [message] = messages_shown(desk)
    assert message.kind == "ok" and message.text.startswith("Refreshed at ")
    row = box_of(desk, desk.refresh_button)
    assert message in row.children
    # the row sits below the tally, the steps' row above it
    order = list(desk.children)
    assert order.index(desk.tally) < order.index(row)
    assert order.index(box_of(desk, desk.step_message)) < order.index(desk.tally)
    assert desk.step_message.text == ""


def test_the_export_leaves_the_save_message_beside_the_save_button(demo):
    """The export's message replaced the save message."""
    store, cid, _tokens = demo
    desk = DraftEditor(store, cid)
    write(desk, "Saved privately.")
    desk.save_button.click()
    saved = desk.message.text
    assert desk.message.kind == "ok" and "Saved version 1 privately" in saved
    desk.export_format.value = "md"
    desk.export_button.click()
    assert desk.message.text == saved and desk.message in box_of(desk, desk.save_button).children
    shown = messages_shown(desk)
    assert len(shown) == 2 and desk.message in shown
    [export] = [x for x in shown if x is not desk.message]
    assert export.kind == "ok" and export.text.startswith("Ready: joint-response-")
    assert export in box_of(desk, desk.export_button).children


def data_link(desk):
    found = re.search(r'<a download="([^"]+)" href="data:([^;]+);base64,([^"]+)"',
                      desk.download.value)
    assert found, desk.download.value
    return found.group(1), found.group(2), base64.b64decode(found.group(3))


@pytest.mark.parametrize("fmt", ["html", "docx", "md"])
def test_the_export_is_a_download_that_writes_nothing(demo, tmp_path, monkeypatch, fmt):
    import cop_widgets.export.api as api

    store, cid, _tokens = demo
    work = tmp_path / "workbooks"
    work.mkdir()
    monkeypatch.chdir(work)
    before_db = sorted(os.listdir(tmp_path / "db"))

    def no_write(*args, **kwargs):
        raise AssertionError("the desk wrote an export file on the server")

    monkeypatch.setattr(api, "_write", no_write)
    store.add_draft(cid, {"consensus": "Our final words."}, share=True)
    store.finalise_draft(cid)
    desk = DraftEditor(store, cid, export_dir=work)
    desk.export_format.value = fmt
    desk.export_button.click()
    assert desk.export_message.kind == "ok", desk.export_message.text
    name, mime, data = data_link(desk)
    assert os.listdir(work) == [] and sorted(os.listdir(tmp_path / "db")) == before_db
    shown = desk.export_message.text + html_of(desk).replace(desk.download.value, "")
    for path in (str(tmp_path), str(work), os.getcwd(), "/tmp", "/work"):
        assert path not in shown, path
    assert name in desk.export_message.text and "/" not in name
    if fmt == "md":  # the document and its chart images, in one zip
        assert (name, mime) == (f"joint-response-{cid}.zip", "application/zip")
        files = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert files[0] == f"joint-response-{cid}.md" and len(files) > 1
        assert all(f.endswith(".png") for f in files[1:])
        text = zipfile.ZipFile(io.BytesIO(data)).read(files[0]).decode()
        assert "Our final words." in text and "Draft version" not in text
    elif fmt == "html":
        assert (name, mime) == (f"joint-response-{cid}.html", "text/html")
        assert "Our final words." in data.decode() and "Draft version" not in data.decode()
    else:
        assert name == f"joint-response-{cid}.docx" and data[:2] == b"PK"


def test_the_member_page_announces_a_final_response_as_final(demo):
    """It still said "A draft joint response is ready ... say whether you can stand behind
    it" once the response was final."""
    store, cid, (token, _other) = demo
    store.add_draft(cid, {"consensus": "Our answer."}, share=True)
    notice = html_of(MemberPage(store, cid, token).draft_notice)
    assert "A draft joint response is ready" in notice and "stand behind it" in notice
    store.finalise_draft(cid)
    page = MemberPage(store, cid, token)
    notice = html_of(page.draft_notice)
    assert "The joint response is final" in notice and "finalised on" in notice
    assert "draft" not in notice.lower() and "stand behind" not in notice
    assert page.open_draft.description == "Read the final joint response"
