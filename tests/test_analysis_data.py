"""``cop-widgets analyze``'s data: codes for programs, words for people."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from cop_widgets import model as m
from cop_widgets.analysis.opinion import GROUP_NOTES
from cop_widgets.export.analysis_data import analysis_data, format_text
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.store import Store


def test_no_groups_gives_a_code_in_json_and_words_in_text(store, seeded):
    # three members, nobody has answered: too few for opinion groups
    data = analysis_data(ConsultationAnalysis(store, seeded.consultation.id))
    groups = data["groups"]
    assert groups["k"] == 0
    assert groups["note"] in GROUP_NOTES
    assert groups["note_text"] and groups["note_text"] != groups["note"]
    text = format_text(data)
    assert f"Opinion groups: {groups['note_text']}" in text
    assert groups["note"] not in text.split("Opinion groups:")[1].splitlines()[0]


# -- issue 11, item 6: no roster id next to an opinion group in an anonymous consultation --

#: The ``cop-widgets`` console script of this environment, run as a facilitator would.
COP_WIDGETS = str(Path(sys.executable).with_name("cop-widgets"))
#: Two camps of members who answer five statements the opposite way.
CAMPS = {"A": (5, 5, 1, 1, 4), "B": (1, 1, 5, 5, 2)}


def _people(n: int = 12) -> list[tuple[str, str, str]]:
    """Names, emails and roster ids that must never appear in an anonymous analysis."""
    return [(f"Zelda Quill{i:02d}", f"zq{i:02d}@corp.example", f"EMP-{i + 1:03d}")
            for i in range(n)]


def _two_camps(store: Store, *, anonymous: bool) -> int:
    """A consultation whose members, named and with roster ids, answer in two camps."""
    development = store.add_development(m.Development("policy", "Rota change"))
    cid = store.add_consultation(m.Consultation(
        development.id, "Rota", scale="likert5", anonymous=anonymous)).id
    statements = store.add_statements(
        [m.Statement(cid, f"Statement {i}", external_id=f"S{i}") for i in range(5)])
    members = store.add_members([
        m.Member(cid, name, email=email, external_id=external,
                 attributes={"site": ("north", "south")[i % 2]})
        for i, (name, email, external) in enumerate(_people())])
    tokens = {mb.id: store.add_invitation(mb.id)[1] for mb in members}
    store.open_consultation(cid)
    for i, member in enumerate(members):
        camp = CAMPS["A" if i < 7 else "B"]
        hedge = 3 if i % 4 == 1 else None  # not every member answers alike
        store.save_card(cid, tokens[member.id], [
            m.StanceResponse(s.id, hedge if (hedge and j == 4) else stance)
            for j, (s, stance) in enumerate(zip(statements, camp, strict=True))])
    return cid


def _analyze(url: str, cid: int, fmt: str, *extra: str) -> str:
    result = subprocess.run([COP_WIDGETS, "analyze", str(cid), "--db", url, "--format", fmt,
                             *extra], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _placed(store: Store, cid: int) -> dict[int, int]:
    """Members per opinion group, counted from the service's labels."""
    labels = ConsultationAnalysis(store, cid).groups().labels.dropna().astype(int)
    return {int(g): int(n) for g, n in labels.value_counts().items()}


def test_anonymous_analysis_names_no_member_in_json_or_text(sqlite_store):
    """The attack: ``analyze --format json`` listed ``{"member": "EMP-001", "group": 1}``.

    What is tested is what ``analyze`` prints, not the database: SQLite only, as the named
    case below (the store's own tests cover both backends).
    """
    store = sqlite_store
    cid = _two_camps(store, anonymous=True)
    out = _analyze(store.url, cid, "json", "--attribute", "site")
    text = _analyze(store.url, cid, "text", "--attribute", "site")
    secrets = [value for person in _people() for value in person]
    secrets += [mb.name.split()[0] for mb in store.list_members(cid)]
    for output in (out, text):
        assert not [s for s in secrets if s in output]
        assert "EMP" not in output and "@" not in output
    data = json.loads(out)
    assert data["consultation"]["anonymous"] is True
    assert "members" not in data
    # no database member id either: nothing that is one member's
    assert not [value for value in _walk(data) if isinstance(value, dict) and "member" in value]
    placed = _placed(store, cid)
    assert data["groups"]["k"] == len(placed) >= 2
    sizes = {s["group"]: s["members"] for s in data["groups"]["sizes"]}
    assert sizes == placed
    assert sum(sizes.values()) == sum(placed.values()) > 0
    assert ", ".join(f"group {g}: {n} members" for g, n in sorted(placed.items())) in text


def test_named_analysis_still_lists_each_member_with_their_group(sqlite_store):
    cid = _two_camps(sqlite_store, anonymous=False)
    data = json.loads(_analyze(sqlite_store.url, cid, "json"))
    assert data["consultation"]["anonymous"] is False
    labels = ConsultationAnalysis(sqlite_store, cid).groups().labels
    external = {mb.id: mb.external_id for mb in sqlite_store.list_members(cid)}
    expected = {external[int(i)]: (None if pd.isna(g) else int(g)) for i, g in labels.items()}
    assert {mb["member"]: mb["group"] for mb in data["members"]} == expected
    assert {p[2] for p in _people()} == set(expected)
    sizes = {s["group"]: s["members"] for s in data["groups"]["sizes"]}
    assert sizes == _placed(sqlite_store, cid)


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
