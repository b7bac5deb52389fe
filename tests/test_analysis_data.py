"""``cop-widgets analyze``'s data: codes for programs, words for people."""

from __future__ import annotations

from cop_widgets.analysis.opinion import GROUP_NOTES
from cop_widgets.export.analysis_data import analysis_data, format_text
from cop_widgets.services.analysis import ConsultationAnalysis


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
