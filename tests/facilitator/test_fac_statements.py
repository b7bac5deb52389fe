import helpers

from cop_widgets import model as m
from cop_widgets.widgets.statements import StatementsEditor


def texts(sqlite_store, consultation_id, states=(m.ModerationState.ACCEPTED,)):
    return [s.text for s in sqlite_store.list_statements(consultation_id, states=states)]


def test_add_one(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    assert editor.rows == []
    editor.new_text.value = "Phase it in over two years."
    editor.add_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["Phase it in over two years."]
    assert [r.text.value for r in editor.rows] == ["Phase it in over two years."]
    assert editor.new_text.value == ""


def test_add_empty_is_refused(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.new_text.value = "  "
    editor.add_button.click()
    assert editor.message.kind == "error" and "statement: must not be empty" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id, states=None) == []


def test_edit_text(sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, "Old words")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.rows[0].text.value = "New words"
    editor.rows[0].save_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["New words"]


def test_edit_refused_once_answered(sqlite_store, draft_consultation):
    helpers.one_answered_statement(sqlite_store, draft_consultation.id, "Answered")

    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.rows[0].text.value = "Changed"
    editor.rows[0].save_button.click()
    assert editor.message.kind == "error"
    assert texts(sqlite_store, draft_consultation.id) == ["Answered"]
    # the row shows the stored words again, and keeps them through a redraw
    assert editor.rows[0].text.value == "Answered"
    editor.refresh()
    assert editor.rows[0].text.value == "Answered"
    # said as a sentence, not as "statement: rule (got 'Changed')"
    assert editor.message.text == (
        "Nothing was saved: the statement cannot change once members have answered; "
        "withdraw it and add a new statement instead. The form shows the saved value again.")
    assert "statement:" not in editor.message.text and "Changed" not in editor.message.text
    # beside the row's buttons, where the click was
    assert editor.message.value in editor.rows[0].children[1].children[-1].value


def test_an_empty_edit_of_an_unanswered_statement_is_put_back_too(
        sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t) for t in ("A", "B")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.rows[1].text.value = "B, reworded and not saved"
    editor.rows[0].text.value = "   "
    editor.rows[0].save_button.click()
    assert editor.message.kind == "error"
    assert editor.message.text == ("Nothing was saved: the statement must not be empty. "
                                   "The form shows the saved value again.")
    assert [r.text.value for r in editor.rows] == ["A", "B, reworded and not saved"]
    assert texts(sqlite_store, draft_consultation.id) == ["A", "B"]


def test_a_too_long_edit_stays_in_its_box_to_be_shortened(sqlite_store, draft_consultation):
    """Nothing lost: 501 typed characters are not thrown away for being one too many."""
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t) for t in ("A", "B")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    typed = "x" * 501
    editor.rows[0].text.value = typed
    editor.rows[0].save_button.click()
    assert editor.message.kind == "error"
    assert editor.message.text.startswith("Nothing was saved: the statement must be at most "
                                          "500 characters")
    assert "statement:" not in editor.message.text and "saved value" not in editor.message.text
    assert editor.rows[0].text.value == typed
    assert texts(sqlite_store, draft_consultation.id) == ["A", "B"]
    editor.rows[0].text.value = typed[:500]  # shortened where it is, then saved
    editor.rows[0].save_button.click()
    assert texts(sqlite_store, draft_consultation.id) == [typed[:500], "B"]


def test_reorder(sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t) for t in ("A", "B", "C")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    assert editor.rows[0].up_button.disabled and editor.rows[2].down_button.disabled
    editor.rows[2].up_button.click()
    assert texts(sqlite_store, draft_consultation.id) == ["A", "C", "B"]
    editor.rows[0].down_button.click()
    assert texts(sqlite_store, draft_consultation.id) == ["C", "A", "B"]
    assert [r.text.value for r in editor.rows] == ["C", "A", "B"]
    assert editor.rows[0].text.description == "Statement 1"


def test_withdraw_and_restore(sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t) for t in ("A", "B")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.rows[0].withdraw_button.click()
    assert texts(sqlite_store, draft_consultation.id) == ["B"]
    assert texts(sqlite_store, draft_consultation.id, [m.ModerationState.WITHDRAWN]) == ["A"]
    assert len(editor.rows) == 1
    assert len(editor.withdrawn_picker.options) == 1

    editor.restore_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert sorted(texts(sqlite_store, draft_consultation.id)) == ["A", "B"]
    assert editor.restore_button.disabled


def test_import_pasted_text(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.paste.value = "First\n\n  Second  \nThird\n"
    editor.import_text_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert "3 statements" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["First", "Second", "Third"]
    assert editor.paste.value == ""


def test_import_pasted_text_all_or_nothing(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.paste.value = "Fine\n" + "x" * 501 + "\nAlso fine"
    editor.import_text_button.click()
    assert editor.message.kind == "error"
    assert "line 2" in editor.message.text and "500" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id, states=None) == []
    assert editor.paste.value.startswith("Fine")  # kept for fixing


def test_import_csv_statement_column(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.upload.value = helpers.upload_value(
        'id,Statement\n1,"Train us first, then change"\n\n2,Fund it properly\n')
    editor.import_csv_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert "Statement" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["Train us first, then change",
                                                          "Fund it properly"]
    assert editor.upload.value == ()


def test_import_csv_first_column_and_bom(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.upload.value = helpers.upload_value("\ufeffProposals,notes\nOne,x\nTwo,y\n")
    editor.import_csv_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["One", "Two"]


def test_import_csv_bad_line_writes_nothing(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.upload.value = helpers.upload_value("text,notes\nGood one,a\n,b\nAnother,c\n")
    editor.import_csv_button.click()
    assert editor.message.kind == "error"
    assert "CSV line 3" in editor.message.text and "must not be empty" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id, states=None) == []


def test_import_csv_without_file_or_not_utf8(sqlite_store, draft_consultation):
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.import_csv_button.click()
    assert editor.message.kind == "error" and "choose a file" in editor.message.text
    editor.upload.value = helpers.upload_value("text\nCaf\xe9\n".encode("latin-1"))
    editor.import_csv_button.click()
    assert editor.message.kind == "error" and "UTF-8" in editor.message.text
    assert texts(sqlite_store, draft_consultation.id, states=None) == []


def _proposal(sqlite_store, draft_consultation, name="Bo Berg", text="Pay for the training"):
    member = sqlite_store.add_member(m.Member(draft_consultation.id, name))
    _inv, token = sqlite_store.add_invitation(member.id)
    # members propose while it is open
    sqlite_store.update_consultation(draft_consultation.id, status="open")
    return sqlite_store.propose_statement(draft_consultation.id, token, text)


def test_moderation_accept_and_reject(sqlite_store, draft_consultation):
    sqlite_store.add_statement(m.Statement(draft_consultation.id, "Facilitator's"))
    first = _proposal(sqlite_store, draft_consultation, "Bo Berg", "Pay for the training")
    _proposal(sqlite_store, draft_consultation, "Ana Alves", "Spam")
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    assert [r.statement.id for r in editor.pending_rows][0] == first.id
    html = editor.pending_rows[0].children[0].value
    assert "Bo Berg" in html

    editor.pending_rows[0].accept_button.click()
    assert texts(sqlite_store, draft_consultation.id) == ["Facilitator's", "Pay for the training"]
    assert len(editor.pending_rows) == 1
    editor.pending_rows[0].reject_button.click()
    assert texts(sqlite_store, draft_consultation.id, [m.ModerationState.REJECTED]) == ["Spam"]
    assert editor.pending_rows == []


def test_moderation_hides_proposer_when_anonymous(sqlite_store, draft_consultation):
    sqlite_store.update_consultation(draft_consultation.id, anonymous=True)
    _proposal(sqlite_store, draft_consultation, "Bo Berg")
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    assert len(editor.pending_rows) == 1
    assert not any("Bo Berg" in v for v in helpers.html_values(editor))
    assert "a member" in editor.pending_rows[0].children[0].value


def test_an_unsaved_edit_survives_work_on_another_row(sqlite_store, draft_consultation):
    sqlite_store.add_statements([m.Statement(draft_consultation.id, t)
                                 for t in ("One", "Two", "Three")])
    editor = StatementsEditor(sqlite_store, draft_consultation.id)
    editor.rows[2].text.value = "Three, reworded but not saved"
    editor.rows[0].down_button.click()
    assert editor.message.kind == "ok", editor.message.text
    assert texts(sqlite_store, draft_consultation.id) == ["Two", "One", "Three"]
    assert editor.rows[2].text.value == "Three, reworded but not saved"
    editor.rows[2].save_button.click()
    assert texts(sqlite_store, draft_consultation.id) == ["Two", "One",
                                                          "Three, reworded but not saved"]
