"""The methodology says how each option of every scale is counted (issue 12, item 1).

tests/test_kaner_more_discussion.py checks Kaner's options; here the five-point scale and
Pol.is's agree / disagree are checked the same way, in the exported Markdown: their levels
in order with the positions the median and IQR use, the pass counted as an answer and left
out of every share and measure, and the consensus rule with its values on that scale's
number of levels. A last check walks every scale of :data:`cop_widgets.scales.SCALES` so
that a scale added later cannot go unexplained.
"""

from __future__ import annotations

import pytest

from cop_widgets import model as m
from cop_widgets.export.api import export_consultation
from cop_widgets.scales import SCALES

PASS_SENTENCE = ("A pass is counted as an answer and left out of every share agreeing or "
                 "disagreeing and of every measure.")
NEVER_SPLIT = ("A statement is never called divided or polarised when nobody is on one of "
               "the two sides.")


@pytest.fixture
def development(sqlite_store) -> m.Development:
    """The development every consultation here answers."""
    return sqlite_store.add_development(m.Development("policy", "A new policy"))


def methodology(store, development, tmp_path, scale: str) -> str:
    """Export a consultation on ``scale`` (one stance, one pass); return its methodology."""
    consultation = store.add_consultation(m.Consultation(development.id, "Q", scale=scale))
    cid = consultation.id
    [statement] = store.add_statements([m.Statement(cid, "One statement")])
    members = store.add_members([m.Member(cid, name) for name in ("Ana", "Bo")])
    tokens = [store.add_invitation(member.id)[1] for member in members]
    store.open_consultation(cid)
    top = SCALES[scale].maximum
    for token, stance in zip(tokens, (top, None), strict=True):
        store.save_card(cid, token, [m.StanceResponse(statement.id, stance)])
    path = export_consultation(store, cid, "md", tmp_path / f"{scale}.md", charts=False)[0]
    markdown = path.read_text(encoding="utf-8")
    return markdown[markdown.index("## Methodology"):].replace("\u2019", "'")


def test_the_five_point_scale_is_counted_as_five_levels_and_a_pass(
        sqlite_store, development, tmp_path):
    method = methodology(sqlite_store, development, tmp_path, "likert5")
    assert ("The options \u201cStrongly disagree\u201d (1), \u201cDisagree\u201d (2), "
            "\u201cNeither agree nor disagree\u201d (3), \u201cAgree\u201d (4), \u201cStrongly "
            "agree\u201d (5) are the ordinal levels of the scale, from least to most "
            "agreement") in method
    assert PASS_SENTENCE in method and NEVER_SPLIT in method
    assert "A member could also pass." in method
    # nothing of Kaner's: no category of its own, no support said apart
    assert "are not degrees of agreement" not in method
    assert "will support the decision while disliking it" not in method
    assert "ask for more discussion" not in method
    assert ("the IQR is at most 1 steps between adjacent levels on the 5 ordinal levels of "
            "this scale") in method
    assert "polarised when van der Eijk's A is below 0," in method


def test_agree_disagree_is_counted_as_two_levels_and_a_pass(
        sqlite_store, development, tmp_path):
    method = methodology(sqlite_store, development, tmp_path, "agree_disagree")
    assert ("The options \u201cDisagree\u201d (1), \u201cAgree\u201d (2) are the ordinal "
            "levels of the scale, from least to most agreement") in method
    assert PASS_SENTENCE in method and NEVER_SPLIT in method
    assert "are not degrees of agreement" not in method
    assert "ask for more discussion" not in method
    assert ("the IQR is at most 0.25 steps between adjacent levels on the 2 ordinal levels "
            "of this scale") in method
    # on two levels, A is below 0 for any split: the stricter threshold is said
    assert "polarised when van der Eijk's A is below -0.6," in method.replace("\u2212", "-")


@pytest.mark.parametrize("scale", sorted(SCALES))
def test_every_option_of_every_scale_is_explained(sqlite_store, development, tmp_path, scale):
    method = methodology(sqlite_store, development, tmp_path, scale)
    counting = next(line for line in method.splitlines()
                    if "are the ordinal levels of the scale" in line)
    for level in SCALES[scale].levels:
        assert f"\u201c{level.label}\u201d (" in counting.replace("\u2019", "'"), level.label
    # the pass is said in the same paragraph, whether the scale has categories or not
    assert "pass" in counting and NEVER_SPLIT in counting
