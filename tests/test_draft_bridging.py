"""The proposed joint response quotes the discussion: bridging reasons, the minority's marks."""

from __future__ import annotations

from deliberation_seed import REASONS, seed_discussion_consultation

from cop_widgets.export.proposal import proposed_sections
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.words.draft import md_escape, propose_draft

ASK, TRUST, NOBODY = REASONS[(0, 0)], REASONS[(1, 0)], REASONS[(4, 0)]
COSTLY, SAVES = REASONS[(0, 1)], REASONS[(1, 1)]
ACROSS = "Reasons marked \u201cSpeaks for me too\u201d across groups"
MINORITY_MARKED = "The reasons members on this side marked \u201cSpeaks for me too\u201d most:"


def quoted(text: str) -> str:
    return f"> {md_escape(text)}"


def item_of(section: str, number: int) -> str:
    """The list item of statement ``number`` in a section, with its sub-items and quotes."""
    return section.split(f"**{number}.**", 1)[1].split("\n- ", 1)[0]


def test_divergent_statements_propose_the_bridging_reasons_quoted_without_author(store,
                                                                                  clock):
    seeded = seed_discussion_consultation(store, clock)
    divergent = proposed_sections(ConsultationAnalysis(store, seeded.cid))["divergent"]
    item = item_of(divergent, 1)
    lines = item.split(ACROSS, 1)[1].splitlines()
    assert lines[1:] == ["    " + quoted(ASK), "    >", "    " + quoted(TRUST)]
    assert quoted(NOBODY) not in item.split(ACROSS, 1)[1]  # shown, never marked


def test_minority_views_quote_what_the_minority_side_marked_most(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    minority = proposed_sections(ConsultationAnalysis(store, seeded.cid))["minority"]
    item = item_of(minority, 2)
    # Ottoline, on the disagreeing minority, marked Osgood's reason: that is quoted, not
    # the reason the minority gave
    assert MINORITY_MARKED in item and quoted(SAVES) in item
    assert quoted(COSTLY) not in item


def test_without_a_discussion_the_minority_quotes_its_own_reasons(store, clock):
    seeded = seed_discussion_consultation(store, clock, discussion=False)
    sections = proposed_sections(ConsultationAnalysis(store, seeded.cid))
    item = item_of(sections["minority"], 2)
    assert MINORITY_MARKED not in item and quoted(COSTLY) in item
    assert ACROSS not in sections["divergent"]


def test_at_most_two_bridging_reasons_are_proposed(sqlite_store):
    seeded = seed_discussion_consultation(sqlite_store)  # statement 1 divided after it
    a = ConsultationAnalysis(sqlite_store, seeded.cid)
    first = seeded.statements[0].id
    sections = propose_draft(a.development, a.consultation, a.scale, a.statements_frame,
                             a.summary, a.responses, bridging={first: ["one", "two", "three"]})
    part = item_of(sections["divergent"], 1).split(ACROSS, 1)[1]
    assert "> one" in part and "> two" in part and "three" not in part
