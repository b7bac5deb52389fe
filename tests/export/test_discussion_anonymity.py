"""An anonymous consultation's discussion names nobody: exports, charts, JSON, widgets.

Members with distinctive names, emails and roster ids give reasons, mark them, reply and
change their minds (``deliberation_seed``). Every output is read whole, and none of what
identifies a member may appear (the reasons themselves must, so the check reads something):

- the md, html and docx exports (Word's XML parts included) in en, fr and es, and once
  with the charts on: the html charts' text alternatives and captions, the md images' alt
  texts and captions;
- ``cop-widgets analyze``'s JSON and text, where no member id (nor a roster id) is the
  value of any field of ``reasons`` and ``change``;
- the Divergence tab's "What we learned from each other" panel, and everything the
  Discussion tab and a member's page sync to the browser.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from deliberation_seed import (
    EXTERNAL,
    REASONS,
    REPLY_PENDING,
    identities,
    seed_discussion_consultation,
)
from helpers import walk

from cop_widgets.export.analysis_data import analysis_data, format_text
from cop_widgets.export.api import export_consultation
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.widgets.discussion_tab import DiscussionTab
from cop_widgets.widgets.learned import learned_html
from cop_widgets.widgets.member import MemberPage
from cop_widgets.words.discussion import LEARNED_TITLE

LANGUAGES = ("en", "fr", "es")
#: Members added to another consultation first: the seeded members' ids are above it.
PAD = 100
#: A base64 ``data:`` URL (an image inside a page): its letters are no text of the page.
DATA_URL = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def file_text(path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as package:
            return "\n".join(package.read(name).decode("utf-8", "replace")
                             for name in package.namelist())
    return DATA_URL.sub("data:", path.read_text(encoding="utf-8"))


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [who for who in identities() if who.lower() in lowered]


def state_text(root) -> str:
    """Everything ``root`` and the widgets under it sync to the browser, as one string."""
    return "\n".join(repr(widget.get_state()) for widget in walk(root))


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_no_export_names_a_member_next_to_reasons_marks_or_changes(sqlite_store, tmp_path,
                                                                   fmt):
    seeded = seed_discussion_consultation(sqlite_store)
    for language in LANGUAGES:
        paths = export_consultation(sqlite_store, seeded.cid, fmt,
                                    tmp_path / f"{language}.{fmt}", charts=False,
                                    language=language)
        text = "\n".join(file_text(path) for path in paths)
        assert leaks(text) == [], language
        assert "Nobody has time to check everything" in text  # reasons are shown
        if language == "en":
            assert LEARNED_TITLE in text


def test_chart_text_alternatives_and_captions_name_no_member(sqlite_store, tmp_path):
    seeded = seed_discussion_consultation(sqlite_store)
    page, *images = export_consultation(sqlite_store, seeded.cid, "html",
                                        tmp_path / "charts.html", charts=True)
    assert images == []  # inline SVG
    html = page.read_text(encoding="utf-8")
    alternatives = re.findall(r'role="img" aria-label="([^"]*)"', html)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S)
    assert alternatives and len(captions) >= len(alternatives)
    assert leaks("\n".join(alternatives + captions)) == []
    assert leaks(file_text(page)) == []  # the SVG's own text too
    document, *pngs = export_consultation(sqlite_store, seeded.cid, "md",
                                          tmp_path / "charts.md", charts=True)
    assert pngs and all(p.suffix == ".png" for p in pngs)
    md = document.read_text(encoding="utf-8")
    alts = re.findall(r"!\[([^\]]*)\]\(", md)
    md_captions = re.findall(r"^\*[^*\n]+\.\* .*$", md, re.M)
    assert len(alts) == len(pngs) and len(md_captions) >= len(alts)
    assert leaks("\n".join(alts + md_captions)) == [] and leaks(md) == []


def values(item) -> list:
    """Every scalar value in ``item`` (nested dicts and lists), keys left out."""
    if isinstance(item, dict):
        return [v for value in item.values() for v in values(value)]
    if isinstance(item, (list, tuple)):
        return [v for value in item for v in values(value)]
    return [item]


def test_analyze_json_and_text_name_no_member(store, clock):
    seeded = seed_discussion_consultation(store, clock, pad=PAD)
    member_ids = {mb.id for mb in seeded.members}
    assert min(member_ids) > PAD
    result = analysis_data(ConsultationAnalysis(store, seeded.cid))
    dumped = json.dumps(result, ensure_ascii=False)
    assert leaks(dumped) == [] and leaks(format_text(result)) == []
    assert "members" not in result
    assert {r["text"] for r in result["reasons"]} == set(REASONS.values())
    assert result["change"], "no change to look at"
    roster = {int(x.split("-")[1]) for x in EXTERNAL}  # the numbers of the roster ids
    for row in [*result["reasons"], *result["change"]]:
        assert not {"author", "author_id", "member", "member_id", "by"} & set(row)
        for value in values(row):
            if isinstance(value, bool):
                continue
            if isinstance(value, int):
                assert value not in member_ids | roster, (value, row)
            elif isinstance(value, str):
                assert value not in {str(i) for i in member_ids | roster}, (value, row)
                assert not re.search(r"\b(" + "|".join(map(str, member_ids | roster))
                                     + r")\b", value), (value, row)


def test_the_learned_panel_and_the_widgets_name_no_member(sqlite_store):
    seeded = seed_discussion_consultation(sqlite_store)
    analysis = ConsultationAnalysis(sqlite_store, seeded.cid)
    for language in LANGUAGES:
        panel = learned_html(analysis, language=language)
        assert leaks(panel) == [], language
        assert "Ask the learners first" in panel  # the reason credited with a move
    tab = DiscussionTab(sqlite_store, seeded.cid)
    synced = state_text(tab)
    assert leaks(synced) == []
    assert REPLY_PENDING in synced and "Trust &lt;matters&gt;" in synced  # read something
    reader = seeded.members[3]  # Isidore: marked a reason, wrote the reply waiting
    page = MemberPage(sqlite_store, seeded.cid, seeded.tokens[reader.id])
    synced = state_text(page)
    assert leaks(synced) == []
    assert "Ask the learners first" in synced and "What would you ask them first?" in synced
