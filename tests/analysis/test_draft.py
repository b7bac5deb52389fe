"""The proposed draft: every section, numbers from the summary, member text escaped."""

from __future__ import annotations

import pandas as pd

from cop_widgets import model as m
from cop_widgets.analysis.summary import by_attribute, statement_summary
from cop_widgets.scales import SCALES
from cop_widgets.words.draft import SECTIONS, md_escape, propose_draft, quote_rationales

LIKERT = SCALES["likert5"]
DEV = m.Development("request_for_opinion", "Ministry asks about AI", requester="The Ministry",
                    requester_deadline="2027-01-31", questions=("Should we pause?",))
CONS = m.Consultation(1, "How do we answer?", id=1)
STATEMENTS = pd.DataFrame({"statement_id": [10, 20, 30], "position": [1, 2, 3],
                           "text": ["Tell learners", "Delay a year", "Pay <b>volunteers</b>"]})


def responses():
    rows = []
    for member in range(1, 11):
        rows.append((member, 10, 5 if member < 10 else 1,
                     "I object <img src=x>" if member == 10 else ""))
        rows.append((member, 20, 5 if member <= 5 else 1,
                     "Too fast for us" if member == 6 else ("Needed now" if member == 1
                                                            else "")))
        rows.append((member, 30, None if member <= 4 else 4, ""))
    frame = pd.DataFrame(rows, columns=["member_id", "statement_id", "stance", "rationale"])
    frame["stance"] = frame["stance"].astype("Int64")
    return frame


def test_sections_and_numbers():
    r = responses()
    summary = statement_summary(r, LIKERT)
    members = pd.DataFrame({"member_id": range(1, 11),
                            "role": ["tutor"] * 5 + ["coordinator"] * 5})
    draft = propose_draft(DEV, CONS, LIKERT, STATEMENTS, summary, r,
                          by_group=by_attribute(r, members, "role", LIKERT), attribute="role",
                          blocks=["We were not heard <script>"])
    assert list(draft) == list(SECTIONS)
    assert "The Ministry asked us, by 2027-01-31" in draft["development"]
    assert "1. Should we pause?" in draft["development"]
    assert summary.loc[10, "class"] == "consensus"
    assert "We agree: **1.** Tell learners (90% agree, 10 members)" in draft["consensus"]
    assert summary.loc[20, "class"] == "polarised"
    assert "**2.** Delay a year (polarised)" in draft["divergent"]
    assert "50% agree; the larger side among role: tutor" in draft["divergent"]
    assert "> Too fast for us" in draft["divergent"] and "> Needed now" in draft["divergent"]
    assert "10% disagree, against the majority" in draft["minority"]
    assert r"I object \<img src=x\>" in draft["minority"]
    assert r"We were not heard \<script\>" in draft["minority"]
    assert "40% of members passed" in draft["open_questions"]
    assert "Pay \\<b\\>volunteers\\</b\\>" in draft["open_questions"]


def test_quotes_are_distinct_and_from_one_side():
    r = responses()
    polarity = {lvl.value: lvl.polarity for lvl in LIKERT.levels}
    assert quote_rationales(r, 20, 1, polarity) == ["Needed now"]
    assert quote_rationales(r, 20, -1, polarity) == ["Too fast for us"]


def test_md_escape_keeps_text_literal():
    assert md_escape("- *a* [x](javascript:y)\n# b") == r"\- \*a\* \[x\](javascript:y) # b"
