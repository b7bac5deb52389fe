import helpers
import pytest

from cop_widgets import model as m
from cop_widgets.errors import InvalidToken
from cop_widgets.widgets.roster import RosterEditor


def test_add_member_with_attributes(sqlite_store, draft_consultation):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    assert "No member yet" in roster.table.value
    roster.name.value = "Ana Alves"
    roster.email.value = "ana@example.org"
    roster.attributes.value = "role=nurse; region = North;"
    roster.add_button.click()
    assert roster.message.kind == "ok", roster.message.text
    [member] = sqlite_store.list_members(draft_consultation.id)
    assert (member.name, member.email) == ("Ana Alves", "ana@example.org")
    assert member.attributes == {"role": "nurse", "region": "North"}
    assert "nurse" in roster.table.value and "not invited" in roster.table.value
    assert roster.name.value == ""


@pytest.mark.parametrize(("attributes", "email", "words"), [
    ("role nurse", "", "name=value"),
    ("role=a; role=b", "", "role twice"),
    ("invited=yes", "", "reserved"),
    ("", "not-an-email", "email"),
])
def test_add_member_refused(sqlite_store, draft_consultation, attributes, email, words):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.name.value = "Ana"
    roster.email.value = email
    roster.attributes.value = attributes
    roster.add_button.click()
    assert roster.message.kind == "error" and words in roster.message.text
    assert sqlite_store.list_members(draft_consultation.id) == []
    assert roster.name.value == "Ana"  # kept for fixing


def test_import_csv(sqlite_store, draft_consultation):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.upload.value = helpers.upload_value(
        "Name,Email,role,region\n"
        "Ana Alves,ana@example.org,nurse,North\n"
        "\n"
        '"Berg, Bo",,doctor,\n')
    roster.import_button.click()
    assert roster.message.kind == "ok", roster.message.text
    ana, bo = sqlite_store.list_members(draft_consultation.id)
    assert ana.attributes == {"role": "nurse", "region": "North"}
    assert (bo.name, bo.email, bo.attributes) == ("Berg, Bo", "", {"role": "doctor"})
    assert roster.upload.value == ()
    assert "Berg, Bo" in roster.table.value


@pytest.mark.parametrize(("csv_text", "words"), [
    ("name,email,role\nAna,ana@example.org,nurse\nBo,bo-at-example,doctor\n",
     "CSV line 3, email"),
    ("name,role\nAna,nurse\n,doctor\n", "CSV line 3, name"),
    ("name,role\nAna,nurse,extra\n", "CSV line 2"),
    ("email,role\nana@example.org,nurse\n", "column called name"),
    ("name,responded\nAna,yes\n", "reserved"),
    ("Name,email,name\nAna,ana@example.org,Team A\n", "names a column twice"),
    ("name,email,EMAIL\nAna,ana@example.org,\n", "names a column twice"),
    ("name,Region,region\nAna,North,South\n", "names a column twice"),
])
def test_import_csv_refused_writes_nothing(sqlite_store, draft_consultation, csv_text, words):
    roster = RosterEditor(sqlite_store, draft_consultation.id)
    roster.upload.value = helpers.upload_value(csv_text)
    roster.import_button.click()
    assert roster.message.kind == "error"
    assert words in roster.message.text
    assert sqlite_store.list_members(draft_consultation.id) == []


def _roster_with(sqlite_store, draft_consultation, names):
    sqlite_store.add_members([m.Member(draft_consultation.id, n, attributes={"role": "nurse"})
                       for n in names])
    return RosterEditor(sqlite_store, draft_consultation.id, base_url="http://voila.example:8866/")


def test_links_for_everyone_not_yet_invited(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["Ana", "Bo"])
    roster.invite_all_button.click()
    assert roster.message.kind == "ok", roster.message.text
    links = helpers.links_of(roster.links.value)
    assert set(links) == {"Ana", "Bo"}
    for name, link in links.items():
        assert link.startswith(
            f"http://voila.example:8866/voila/render/member.ipynb?c={draft_consultation.id}&t=")
        member = sqlite_store.get_member_for_token(draft_consultation.id, helpers.token_of(link))
        assert member.name == name
    assert "data:text/csv" in roster.download.value
    assert "link active" in roster.table.value

    roster.invite_all_button.click()  # nobody left: no new token, old ones still work
    assert "nothing to create" in roster.message.text
    for link in links.values():
        sqlite_store.get_member_for_token(draft_consultation.id, helpers.token_of(link))


def test_new_link_revokes_the_old_one(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["Ana", "Bo"])
    roster.invite_all_button.click()
    old = helpers.links_of(roster.links.value)["Ana"]
    roster.member_picker.label = next(label for label, _ in roster.member_picker.options
                                      if label.startswith("Ana"))
    roster.new_link_button.click()
    assert "old link" in roster.message.text
    new = helpers.links_of(roster.links.value)["Ana"]
    assert new != old
    member = sqlite_store.get_member_for_token(draft_consultation.id, helpers.token_of(new))
    assert member.name == "Ana"
    with pytest.raises(InvalidToken):
        sqlite_store.get_member_for_token(draft_consultation.id, helpers.token_of(old))


def test_revoke(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["Ana", "Bo"])
    bo = sqlite_store.list_members(draft_consultation.id)[1]
    roster.invite_all_button.click()
    link = helpers.links_of(roster.links.value)["Bo"]
    roster.member_picker.value = bo.id
    roster.revoke_button.click()
    assert roster.message.kind == "ok", roster.message.text
    with pytest.raises(InvalidToken):
        sqlite_store.get_member_for_token(draft_consultation.id, helpers.token_of(link))
    assert set(helpers.links_of(roster.links.value)) == {"Ana"}
    assert "link revoked" in roster.table.value

    roster.invite_all_button.click()  # a revoked member is not re-invited in bulk
    assert set(helpers.links_of(roster.links.value)) == {"Ana"}
    roster.revoke_button.click()
    assert "nothing to revoke" in roster.message.text


def test_links_explain_once_only_and_revocation(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["Ana"])
    text = " ".join(helpers.html_values(roster))
    assert "shown only once" in text and "revokes their old link" in text


def test_spreadsheet_formula_names_are_neutralised(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["=HYPERLINK(\"http://evil\")"])
    roster.invite_all_button.click()
    [name] = helpers.links_of(roster.links.value)
    assert name.startswith("'=")


def test_bad_server_address_creates_no_link(sqlite_store, draft_consultation):
    roster = _roster_with(sqlite_store, draft_consultation, ["Ana"])
    roster.base_url.value = "voila.example"
    roster.invite_all_button.click()
    assert roster.message.kind == "error" and "http://" in roster.message.text
    assert sqlite_store.list_invitations(draft_consultation.id) == []
    assert roster.links.value == ""
