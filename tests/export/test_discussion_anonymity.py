"""An anonymous consultation's discussion names nobody: exports, JSON and analyze's text.

Members with distinctive names, emails and roster ids give reasons, mark them, reply and
change their minds; every output is read whole, Word's XML parts included, and none of
what identifies a member may appear (the reasons themselves must, so the check reads
something).
"""

from __future__ import annotations

import json
import zipfile

import pytest
from deliberation_seed import REASONS, identities, seed_discussion_consultation

from cop_widgets.export.analysis_data import analysis_data, format_text
from cop_widgets.export.api import export_consultation
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.words.discussion import LEARNED_TITLE


def file_text(path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return "\n".join(package.read(name).decode("utf-8", "replace")
                             for name in package.namelist())
    return path.read_text(encoding="utf-8")


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [who for who in identities() if who.lower() in lowered]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_no_export_names_a_member_next_to_reasons_marks_or_changes(sqlite_store, tmp_path,
                                                                   fmt):
    seeded = seed_discussion_consultation(sqlite_store)
    for language in ("en", "fr"):
        paths = export_consultation(sqlite_store, seeded.cid, fmt,
                                    tmp_path / f"{language}.{fmt}", charts=False,
                                    language=language)
        text = "\n".join(file_text(path) for path in paths)
        assert leaks(text) == []
        if language == "en":
            assert LEARNED_TITLE in text
            assert "Nobody has time to check everything" in text  # reasons are shown


def test_analyze_json_and_text_name_no_member(store, clock):
    seeded = seed_discussion_consultation(store, clock)
    result = analysis_data(ConsultationAnalysis(store, seeded.cid))
    dumped = json.dumps(result, ensure_ascii=False)
    assert leaks(dumped) == [] and leaks(format_text(result)) == []
    assert "members" not in result
    assert {r["text"] for r in result["reasons"]} == set(REASONS.values())
    for row in [*result["reasons"], *result["change"]]:
        assert not {"author", "author_id", "member", "member_id", "by"} & set(row)
