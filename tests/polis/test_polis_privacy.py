"""Issue 11, items 6 and 9, for Pol.is: what an export and ``analyze`` say about members.

The attacks: a statement or proposal written as a spreadsheet formula reached the Pol.is
export's CSV files as it was; pending and rejected proposals, with their author id, went out
with every export; and ``analyze`` listed each member's roster id with their opinion group.
Each test runs the ``cop-widgets`` command a facilitator would run.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cop_widgets import model as m
from cop_widgets.io import read_polis_export
from cop_widgets.services.exporting import export_polis
from cop_widgets.services.importing import from_polis_import, import_polis
from cop_widgets.store import Store

COP_WIDGETS = str(Path(sys.executable).with_name("cop-widgets"))

#: How a spreadsheet formula may start (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What member and facilitator texts start with in the attack.
ATTACKS = ('=HYPERLINK("http://x","click")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=already quoted", "row\r=2+2")
PENDING = '=HYPERLINK("http://x/pending","pending proposal")'
REJECTED = "-cmd|' /C calc'!A0 rejected proposal"
ACCEPTED_PROPOSAL = "@accepted proposal"


def _analyze(url: str, cid: int, fmt: str) -> str:
    return run("analyze", str(cid), "--db", url, "--format", fmt)


def safe_cell(cell: str) -> bool:
    """A cell a spreadsheet shows as text or as a plain number, never runs."""
    return (cell[:1] not in FORMULA_STARTS
            or re.fullmatch(r"[+-]?\d+(\.\d+)?", cell) is not None)


def csv_cells(folder: Path) -> dict[str, list[list[str]]]:
    """Every CSV file of ``folder``, parsed with the csv module."""
    files = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            files[path.name] = list(csv.reader(handle))
    return files


def run(*args: str) -> str:
    result = subprocess.run([COP_WIDGETS, *args], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def proposals_consultation(store: Store, *, anonymous: bool,
                           external_ids: bool = False) -> int:
    """Statements written as formulas, answered by 12 members, and three proposals.

    Members 0 and 1 propose: one proposal accepted and answered, one left pending, one
    rejected. Member i agrees with statement j when bit j of i + 1 is set, else disagrees:
    each member's votes tell them apart. With ``external_ids`` the roster carries numeric
    roster ids 48201, 48202...
    """
    development = store.add_development(m.Development(
        "other", '=HYPERLINK("http://x/title")', summary="+summary formula",
        source_url="https://example.org/x"))
    cid = store.add_consultation(m.Consultation(
        development.id, "=consultation", scale="likert5", anonymous=anonymous)).id
    store.add_statements([m.Statement(cid, text) for text in ATTACKS])
    members = store.add_members([
        m.Member(cid, f"=Name {i}", email=f"m{i}@corp.example",
                 external_id=str(48201 + i) if external_ids else "")
        for i in range(12)])
    tokens = {mb.id: store.add_invitation(mb.id)[1] for mb in members}
    store.open_consultation(cid)
    first, second = (tokens[mb.id] for mb in members[:2])
    accepted = store.propose_statement(cid, first, ACCEPTED_PROPOSAL)
    store.update_statement(accepted.id, moderation=m.ModerationState.ACCEPTED)
    store.propose_statement(cid, second, PENDING)
    rejected = store.propose_statement(cid, first, REJECTED)
    store.update_statement(rejected.id, moderation=m.ModerationState.REJECTED)
    on_card = store.list_statements(cid)
    for i, member in enumerate(members):
        store.save_card(cid, tokens[member.id], [
            m.StanceResponse(s.id, 5 if (i + 1) >> j & 1 else 1)
            for j, s in enumerate(on_card)])
    return cid


def vote_patterns(folder: Path) -> dict[int, tuple[int, ...]]:
    """Each participant's votes, in comment order."""
    export = read_polis_export(folder)
    votes = export.votes.sort_values(["voter_id", "comment_id"])
    return {int(pid): tuple(group["vote"].tolist())
            for pid, group in votes.groupby("voter_id")}


def comment_rows(folder: Path) -> dict[str, dict[str, str]]:
    """``comments.csv`` by comment body, the prefix taken off by the reader."""
    export = read_polis_export(folder)
    with open(folder / "comments.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {text: row for text, row in zip(export.comments["text"], rows, strict=True)}


# -- item 9: formulas -----------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_every_cell_of_every_file_of_the_export_is_spreadsheet_safe(store, tmp_path,
                                                                   anonymous):
    cid = proposals_consultation(store, anonymous=anonymous)
    folder = tmp_path / "out"
    run("export-polis", str(cid), "--db", store.url, "--out", str(folder), "--unmoderated")
    files = csv_cells(folder)
    assert set(files) == {"comments.csv", "votes.csv", "participants-votes.csv",
                          "summary.csv"}
    unsafe = [(name, cell) for name, rows in files.items() for row in rows for cell in row
              if not safe_cell(cell)]
    assert unsafe == []
    # the formulas were there, as text: each cell carries its quote
    bodies = [row[-1] for row in files["comments.csv"][1:]]
    assert "'" + PENDING in bodies and "'" + REJECTED in bodies
    assert ["topic", "'" + '=HYPERLINK("http://x/title")'] in files["summary.csv"]
    assert any("-1" in row for row in files["votes.csv"][1:])  # a vote stays a number


def test_an_exported_formula_reads_back_as_the_statement_it_was(sqlite_store, tmp_path):
    cid = proposals_consultation(sqlite_store, anonymous=True)
    folder = export_polis(sqlite_store, cid, tmp_path / "out", include_unmoderated=True)
    again = import_polis(sqlite_store, folder)
    written = [s.text for s in sqlite_store.list_statements(cid, states=None)]
    assert "'=already quoted" in written and "=1+1" in written
    assert [s.text for s in sqlite_store.list_statements(again.id, states=None)] == written
    development = sqlite_store.get_development(again.development_id)
    assert development.title == '=HYPERLINK("http://x/title")'
    assert development.summary == "+summary formula"


# -- item 9: unmoderated proposals and their authors -----------------------------------------


def test_pending_and_rejected_proposals_go_out_only_on_request(sqlite_store, tmp_path):
    cid = proposals_consultation(sqlite_store, anonymous=False)
    default = tmp_path / "default"
    run("export-polis", str(cid), "--db", sqlite_store.url, "--out", str(default))
    comments = comment_rows(default)
    assert PENDING not in comments and REJECTED not in comments
    assert ACCEPTED_PROPOSAL in comments and set(ATTACKS[:4]) <= set(comments)
    assert "pending" not in (default / "comments.csv").read_text(encoding="utf-8")
    on_request = tmp_path / "on-request"
    run("export-polis", str(cid), "--db", sqlite_store.url, "--out", str(on_request),
        "--unmoderated")
    comments = comment_rows(on_request)
    assert comments[PENDING]["moderated"] == "0" and comments[REJECTED]["moderated"] == "-1"
    # named: a proposal carries its author's participant id, one for each proposer
    authors = {comments[t]["author-id"] for t in (PENDING, REJECTED, ACCEPTED_PROPOSAL)}
    assert "" not in authors and len(authors) == 2
    with open(on_request / "participants-votes.csv", newline="", encoding="utf-8") as handle:
        n_comments = {row["participant"]: row["n-comments"] for row in csv.DictReader(handle)}
    assert sorted(n for n in n_comments.values() if n != "0") == ["1", "2"]


def test_an_anonymous_export_names_no_author_even_on_request(sqlite_store, tmp_path):
    cid = proposals_consultation(sqlite_store, anonymous=True)
    folder = export_polis(sqlite_store, cid, tmp_path / "out", include_unmoderated=True)
    comments = comment_rows(folder)
    assert {PENDING, REJECTED, ACCEPTED_PROPOSAL} <= set(comments)
    assert {row["author-id"] for row in comments.values()} == {""}
    with open(folder / "participants-votes.csv", newline="", encoding="utf-8") as handle:
        assert {row["n-comments"] for row in csv.DictReader(handle)} == {"0"}
    summary = (folder / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert dict(csv.reader(summary))["commenters"] == "0"


def test_an_anonymous_export_numbers_participants_apart_from_the_roster(sqlite_store,
                                                                        tmp_path):
    """Roster ids that are whole numbers were written as Pol.is participant ids, and
    otherwise participants were numbered in roster order."""
    roster_ids = {str(48201 + i) for i in range(12)}
    anonymous = proposals_consultation(sqlite_store, anonymous=True, external_ids=True)
    named = proposals_consultation(sqlite_store, anonymous=False, external_ids=True)
    folder = export_polis(sqlite_store, named, tmp_path / "named")
    assert {str(p) for p in read_polis_export(folder).participant_ids} == roster_ids
    by_roster = list(vote_patterns(folder).values())  # named: in roster id order
    assert len(set(by_roster)) == 12  # the votes tell the members apart
    orders = []
    for n in range(2):
        folder = export_polis(sqlite_store, anonymous, tmp_path / f"anonymous{n}")
        for name in ("votes.csv", "participants-votes.csv", "comments.csv"):
            text = (folder / name).read_text(encoding="utf-8")
            assert not [v for v in roster_ids if v in text]
        patterns = vote_patterns(folder)
        assert sorted(patterns) == list(range(12))
        orders.append([by_roster.index(patterns[pid]) for pid in range(12)])
    # which roster member each number is: drawn anew for each export, not the roster order
    assert orders[0] != list(range(12)) and orders[1] != list(range(12))
    assert orders[0] != orders[1]


def test_an_anonymous_export_gives_every_vote_the_same_time(sqlite_store, tmp_path):
    """A vote's saved time linked its pseudonym to whoever was seen answering then."""
    saved = {}
    for anonymous in (True, False):
        cid = proposals_consultation(sqlite_store, anonymous=anonymous)
        folder = export_polis(sqlite_store, cid, tmp_path / f"a{anonymous}")
        with open(folder / "votes.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        saved[anonymous] = {(r["timestamp"], r["datetime"]) for r in rows}
        answers = sqlite_store.responses_frame(cid)
        latest = int(answers["saved_at"].max().timestamp() * 1000)
        times = {int(r["timestamp"]) for r in rows}
        if anonymous:
            assert times == {latest}
        else:
            assert len(times) > 1 and max(times) == latest  # a named export keeps each time
    assert len(saved[True]) == 1


# -- item 6 for Pol.is: an imported conversation keeps its participant ids -------------------
def test_an_imported_polis_conversation_keeps_its_participant_ids(sqlite_store, polis_data):
    consultation = import_polis(sqlite_store, polis_data / "london.youth.policing")
    assert consultation.anonymous
    data = json.loads(_analyze(sqlite_store.url, consultation.id, "json"))
    export = read_polis_export(polis_data / "london.youth.policing")
    assert {int(mb["member"]) for mb in data["members"]} == set(
        export.participant_ids.tolist())
    grouped = [mb["group"] for mb in data["members"] if mb["group"] is not None]
    sizes = {s["group"]: s["members"] for s in data["groups"]["sizes"]}
    assert sizes == {g: grouped.count(g) for g in set(grouped)}



def test_a_roster_counts_as_polis_only_when_every_member_is_an_imported_participant(
        sqlite_store, polis_data):
    consultation = import_polis(sqlite_store, polis_data / "london.youth.policing")
    roster = sqlite_store.members_frame(consultation.id)
    assert from_polis_import(roster)
    assert not from_polis_import(roster.iloc[0:0])
    renamed = roster.copy()
    renamed.loc[0, "name"] = "Ana Alves"
    emailed = roster.copy()
    emailed.loc[0, "email"] = "ana@example.org"
    invited = roster.copy()
    invited.loc[0, "invited"] = True
    roster_id = roster.copy()  # a roster id on a member named as if imported
    roster_id.loc[0, ["name", "external_id"]] = ["Participant EMP-001", "EMP-001"]
    for changed in (renamed, emailed, invited, roster_id, roster.assign(site="north")):
        assert not from_polis_import(changed)
