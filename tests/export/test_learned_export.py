"""The exports' section "What we learned from each other" and the discussion's method."""

from __future__ import annotations

import html

import docx
import pytest
from deliberation_seed import REASONS, STATEMENTS, seed_discussion_consultation

from cop_widgets.export.api import export_consultation
from cop_widgets.export.blocks import Heading, ItemList, Paragraph, Table
from cop_widgets.export.document import build_document
from cop_widgets.export.learned import DISCUSSION_METHOD_TITLE
from cop_widgets.export.methodology import METHODOLOGY_TITLE
from cop_widgets.export.report import build_report
from cop_widgets.words.discussion import BRIDGING_RULE, CHANGE_RULE, GROUPS_RULE, LEARNED_TITLE

ASK, TRUST, SAVES = REASONS[(0, 0)], REASONS[(1, 0)], REASONS[(1, 1)]
COSTLY = REASONS[(0, 1)]


def blocks_of(store, cid):
    return build_document(build_report(store, cid))


def table(blocks, caption):
    [found] = [b for b in blocks if isinstance(b, Table) and b.caption == caption]
    return found.rows


def texts(blocks):
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append("".join(span.text for span in b.spans))
        elif isinstance(b, ItemList):
            out += list(b.items)
        elif isinstance(b, Heading):
            out.append(b.text)
    return out


def test_the_section_counts_who_moved_the_moves_credits_and_bridging_reasons(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    blocks = blocks_of(store, seeded.cid)
    headings = [b.text for b in blocks if isinstance(b, Heading) and b.level == 2]
    # after the stances on each statement, before the methodology
    assert headings.index(LEARNED_TITLE) == headings.index(METHODOLOGY_TITLE) - 1
    # statement, compared, moved, toward agreement, toward disagreement, net
    assert table(blocks, "Opinion change on each statement") == (
        ("1", STATEMENTS[0], "6", "2", "1", "1", "0"),
        ("2", STATEMENTS[1], "6", "0", "0", "0", "0"),
        ("3", STATEMENTS[2], "0", "0", "0", "0", "0"))
    words = texts(blocks)
    assert "Agree \u2192 Disagree: 1" in words
    assert "Agree \u2192 Strongly agree: 1" in words
    assert f"\u201c{ASK}\u201d: 1" in words  # credited by Marisol
    assert "6 members were compared: 2 moved, 1 toward agreement and 1 toward " \
           "disagreement." in words
    # text, side, shown, "Speaks for me too": the reason marked in both groups first
    assert table(blocks, "The most bridging reasons under statement 1") == (
        (ASK, "disagree", "5", "2"), (TRUST, "agree", "5", "2"))
    assert table(blocks, "The most bridging reasons under statement 2") == (
        (SAVES, "agree", "5", "2"), (COSTLY, "disagree", "5", "1"))
    assert table(blocks, "Opinion change on each statement, by group") == (
        ("1", "coordinator", "3", "1", "1", "0", "+1"),
        ("1", "tutor", "3", "1", "0", "1", "-1"),
        ("2", "coordinator", "3", "0", "0", "0", "0"),
        ("2", "tutor", "3", "0", "0", "0", "0"))
    opening = next(w for w in words if w.startswith("The discussion of reasons opened"))
    assert "5 reasons were given" in opening and "marked \u201cSpeaks for me too\u201d 7 " \
        "times" in opening and "2 replies, 1 of them accepted" in opening


def test_the_methodology_says_how_groups_ranking_and_change_were_made(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    blocks = blocks_of(store, seeded.cid)
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.text == DISCUSSION_METHOD_TITLE)
    methodology = next(i for i, b in enumerate(blocks)
                       if isinstance(b, Heading) and b.text == METHODOLOGY_TITLE)
    assert start > methodology
    said = texts(blocks[start + 1:start + 5])
    assert said[0] == GROUPS_RULE["roster"].format(attribute="role")
    assert said[1:3] == [BRIDGING_RULE, CHANGE_RULE]
    assert "read by the facilitator before any other member saw them" in said[3]


def test_without_a_discussion_there_is_no_section_and_no_claim_of_one(store, clock):
    seeded = seed_discussion_consultation(store, clock, discussion=False)
    blocks = blocks_of(store, seeded.cid)
    words = " ".join(texts(blocks))
    assert LEARNED_TITLE not in words and DISCUSSION_METHOD_TITLE not in words
    assert BRIDGING_RULE not in words and CHANGE_RULE not in words
    assert not [b for b in blocks if isinstance(b, Table) and "bridging" in b.caption]


def document_text(path):
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_format_writes_the_section_with_member_text_escaped(sqlite_store, tmp_path,
                                                                  fmt):
    seeded = seed_discussion_consultation(sqlite_store)
    [path] = [p for p in export_consultation(sqlite_store, seeded.cid, fmt,
                                             tmp_path / f"out.{fmt}", charts=False)
              if p.suffix == f".{fmt}"]
    text = document_text(path)
    assert LEARNED_TITLE in text and DISCUSSION_METHOD_TITLE in text
    assert "Agree \u2192 Disagree: 1" in text
    if fmt == "html":
        assert html.escape(TRUST, quote=False) in text and TRUST not in text
    elif fmt == "md":
        assert "Trust \\<matters\\> more than speed \\& cost." in text
    else:
        assert TRUST in text
