"""``cop-widgets analyze``: the discussion's reasons and change, in JSON and in text."""

from __future__ import annotations

import json

from deliberation_seed import REASONS, seed_discussion_consultation

from cop_widgets.cli import main

ASK, NOBODY = REASONS[(0, 0)], REASONS[(4, 0)]


def analyze(capsys, db_url, cid, fmt):
    assert main(["analyze", str(cid), "--db", db_url, "--format", fmt]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


def test_json_lists_reasons_without_author_and_the_change(store, db_url, clock, capsys):
    seeded = seed_discussion_consultation(store, clock)
    result = analyze(capsys, db_url, seeded.cid, "json")
    first = str(seeded.statements[0].id)
    assert result["discussion"] == {"opened": True, "open": True, "groups": "roster"}
    assert {tuple(sorted(r)) for r in result["reasons"]} == {
        ("bridging", "endorsements", "number", "shown", "side", "statement", "text")}
    assert result["reasons"][0] == {"statement": first, "number": 1, "side": "disagree",
                                    "text": ASK, "shown": 5, "endorsements": 2,
                                    "bridging": 0.2}
    assert sorted(r["text"] for r in result["reasons"]) == sorted(REASONS.values())
    assert result["change"] == [
        {"statement": first, "number": 1, "compared": 6, "moved": 2, "toward_agree": 1,
         "toward_disagree": 1},
        {"statement": str(seeded.statements[1].id), "number": 2, "compared": 6, "moved": 0,
         "toward_agree": 0, "toward_disagree": 0},
        {"statement": str(seeded.statements[2].id), "number": 3, "compared": 0, "moved": 0,
         "toward_agree": 0, "toward_disagree": 0}]
    # the statements are named as in the rest of the JSON
    assert first in [s["statement"] for s in result["statements"]]


def test_text_prints_the_top_bridging_reasons_and_the_change(store, db_url, clock, capsys):
    seeded = seed_discussion_consultation(store, clock)
    text = analyze(capsys, db_url, seeded.cid, "text")
    part = text.split("Discussion of reasons (open): the most bridging reasons\n", 1)[1]
    reasons, change = part.split("Change of mind after reading others' reasons\n")
    lines = reasons.splitlines()
    assert lines[0].split()[:2] == [str(seeded.statements[0].id), "disagree,"]
    assert lines[0].endswith(f"bridging 0.20, marked by 2 of 5 shown: {ASK}")
    assert len(lines) == 4 and NOBODY not in reasons  # marked by nobody: not printed
    assert change.splitlines()[0].split(None, 1) == [
        str(seeded.statements[0].id),
        "6 compared, 2 moved: 1 toward agreement, 1 toward disagreement"]


def test_before_a_discussion_the_lists_are_empty_and_the_text_says_so(store, db_url, clock,
                                                                     capsys):
    seeded = seed_discussion_consultation(store, clock, discussion=False)
    result = analyze(capsys, db_url, seeded.cid, "json")
    assert result["discussion"] is None
    assert result["reasons"] == [] and result["change"] == []
    text = analyze(capsys, db_url, seeded.cid, "text")
    assert text.rstrip().endswith("Discussion of reasons: not opened.")
