"""The drafting desk proposes the discussion's bridging reasons (issue 13, item 7).

The facilitator clicks "Propose from the analysis" in the desk of the seeded anonymous
consultation (``deliberation_seed``), whose statement 1 divides the community and whose
discussion is open: under statement 1 in "Where views differ", the draft quotes the reasons
marked "Speaks for me too" across groups, most bridging first, and never a reason nobody
marked, nor who wrote or marked any of them.
"""

from __future__ import annotations

from deliberation_seed import REASONS, identities, seed_discussion_consultation

from cop_widgets.widgets.drafting import DraftEditor
from cop_widgets.words.draft import md_escape

ASK, TRUST, NOBODY = REASONS[(0, 0)], REASONS[(1, 0)], REASONS[(4, 0)]
ACROSS = "Reasons marked \u201cSpeaks for me too\u201d across groups"


def proposed(store, cid) -> DraftEditor:
    desk = DraftEditor(store, cid)
    desk.propose_button.click()
    assert desk.message.kind == "ok", desk.message.text
    return desk


def item_of(section: str, number: int) -> str:
    """The list item of statement ``number`` in a section, with its sub-items and quotes."""
    assert f"**{number}.**" in section, section
    return section.split(f"**{number}.**", 1)[1].split("\n- ", 1)[0]


def test_the_desk_proposes_the_bridging_reasons_under_a_divergent_statement(sqlite_store):
    seeded = seed_discussion_consultation(sqlite_store)
    desk = proposed(sqlite_store, seeded.cid)
    divergent = desk.sections["divergent"].value
    item = item_of(divergent, 1)
    assert ACROSS in item
    quotes = [line.strip() for line in item.split(ACROSS, 1)[1].splitlines()
              if line.strip().startswith(">") and line.strip() != ">"]
    # marked across both roster groups first, then the reason marked in one group only
    assert quotes == [f"> {md_escape(ASK)}", f"> {md_escape(TRUST)}"]
    assert md_escape(NOBODY) not in item.split(ACROSS, 1)[1]  # shown to five, marked by none
    everything = "\n".join(area.value for area in desk.sections.values()).lower()
    assert [who for who in identities() if who.lower() in everything] == []


def test_the_desk_proposes_no_bridging_reason_before_the_discussion_opened(sqlite_store):
    seeded = seed_discussion_consultation(sqlite_store, discussion=False)
    desk = proposed(sqlite_store, seeded.cid)
    assert not [key for key, area in desk.sections.items() if ACROSS in area.value]
