"""One representation gap, with one name, in the Participation tab and the export.

Issue 12, item 5: "Gap (points)" meant share of answers minus share of roster in the
Participation tab, but was read as response rate minus the overall rate in the export, where
it stood beside the response rate alone. Both views now show the same measure under the same
name, beside the two shares it subtracts, explained by the same sentence.
"""

from __future__ import annotations

import html
import re

from cop_widgets import model as m
from cop_widgets.export.api import export_consultation
from cop_widgets.i18n import Words
from cop_widgets.model.policies import RepresentationRule
from cop_widgets.widgets.participation import ParticipationPanel
from cop_widgets.words.participation import GAP_HEADER, gap_explained


def _consultation(store) -> int:
    """Team b is half the roster and 5 of the 14 who answered: a gap of -14 points.

    Its response rate (50%) is 20 points under the overall rate (70%): a reader who took
    the gap for that difference would expect -20.
    """
    development = store.add_development(m.Development("technology", "A new platform"))
    consultation = store.add_consultation(m.Consultation(development.id, "What now?",
                                                         anonymous=False))
    statement = store.add_statement(m.Statement(consultation.id, "We adopt it."))
    members = store.add_members([m.Member(consultation.id, f"M{i}", attributes={
        "team": "a" if i < 10 else "b"}) for i in range(20)])
    store.open_consultation(consultation.id)
    for i, member in enumerate(members):
        token = store.add_invitation(member.id)[1]
        if i < 9 or 10 <= i < 15:
            store.save_card(consultation.id, token, [m.StanceResponse(statement.id, 4)])
    return consultation.id


def _row(html_or_md: str, group: str) -> list[str]:
    """The cells of the row of ``group`` in an HTML or Markdown table."""
    for line in re.split(r"</tr>|\n", html_or_md):
        cells = (re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", line) if "<t" in line
                 else [c.strip() for c in line.strip().strip("|").split("|")])
        if cells and html.unescape(cells[0]) == group:
            return [html.unescape(c) for c in cells]
    raise AssertionError(f"no row for {group!r}")


def _header(html_or_md: str, first: str) -> list[str]:
    return _row(html_or_md, first)


def test_the_tab_and_the_export_show_one_gap_under_one_name(sqlite_store, tmp_path):
    cid = _consultation(sqlite_store)
    panel = ParticipationPanel(sqlite_store, cid).by_attribute.value
    (path,) = export_consultation(sqlite_store, cid, "md", tmp_path / "e.md", charts=False)
    markdown = path.read_text(encoding="utf-8")
    tab_header, export_header = _header(panel, "team"), _header(markdown, "Group")
    for header in (tab_header, export_header):
        assert GAP_HEADER == "Representation gap (points)" in header
        assert header.index("Share of roster") + 1 == header.index("Share of answers") \
            == header.index(GAP_HEADER) - 1
        assert "Gap (points)" not in header
    # the same cells, under the same heads, in both views
    for view, header in ((panel, tab_header), (markdown, export_header)):
        b = dict(zip(header[1:], _row(view, "b")[1:], strict=False))
        assert (b["Response rate"], b["Share of roster"], b["Share of answers"],
                b[GAP_HEADER]) == ("50%", "50%", "36%", "-14")
    # one sentence explains it in both, with the rule's values
    sentence = gap_explained(RepresentationRule(), Words("en"))
    assert "not the group's response rate minus the overall rate" in sentence
    assert sentence in html.unescape(panel) and sentence in markdown
    assert ("team: b, 5 of 10 responded (50%); 36% of the answers against 50% of the "
            "roster, a representation gap of -14 points") in markdown
