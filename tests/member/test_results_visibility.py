"""The results page sends nothing of a consultation to a visitor who may not see it (issue 11, 2).

The review opened ``results.ipynb?c=2`` without a token on a DRAFT consultation whose
visibility is ``never`` and read its brief in the widget state. The gate now refuses that
request before a kernel starts (tests/server/test_gate.py); the page itself, the second
line, must send nothing either: every synced value of every widget is checked here.
"""

from __future__ import annotations

import pytest
from helpers import seed_consultation, walk

from cop_widgets import model as m
from cop_widgets.widgets.results import ResultsView


def synced_text(root) -> str:
    """Every string value of every synced trait of every widget under ``root``."""
    parts = []  # model ids (IPY_MODEL_...) differ between pages and say nothing: left out
    for widget in walk(root):
        state = widget.get_state()
        parts += [value for value in state.values() if isinstance(value, str)]
        parts += [item for value in state.values() if isinstance(value, (list, tuple))
                  for item in value if isinstance(item, str)]
    return "\n".join(p for p in parts if not p.startswith("IPY_MODEL_"))


@pytest.fixture
def confidential(store):
    development = store.add_development(m.Development(
        "policy", "Secret restructuring plan", summary="Only the board knows this yet."))
    return store.add_consultation(m.Consultation(
        development.id, "Confidential: restructuring", scale="likert5", visibility="never"))


@pytest.mark.parametrize("token", [None, "bogus"])
def test_no_brief_of_a_draft_never_consultation(store, confidential, token):
    page = ResultsView(store, confidential.id, token)
    text = synced_text(page)
    assert "There are no published results at this link." in text
    for secret in ("Secret restructuring", "Only the board", "Confidential"):
        assert secret not in text


def test_an_unpublished_open_consultation_looks_like_a_missing_one(store):
    seeded = seed_consultation(store, title="Still collecting", visibility="after_close")
    hidden = synced_text(ResultsView(store, seeded.consultation.id))
    missing = synced_text(ResultsView(store, 999_999))
    assert "Still collecting" not in hidden and "New assessment policy" not in hidden
    assert hidden == missing  # nothing but its language says whether the id exists


def test_a_member_with_their_link_reads_the_brief_before_results(store):
    seeded = seed_consultation(store, title="Still collecting", visibility="after_close")
    token = seeded.tokens[seeded.members[0].id]
    text = synced_text(ResultsView(store, seeded.consultation.id, token))
    assert "New assessment policy" in text
    assert "not published yet" in text


def test_a_closed_consultations_results_ask_nobody_to_answer(store, clock):
    """The results page said "Please answer by" after the consultation closed."""
    import datetime as dt

    seeded = seed_consultation(store, visibility="after_close")
    cid = seeded.consultation.id
    store.update_consultation(cid, deadline=clock.now + dt.timedelta(days=3))
    token = seeded.tokens[seeded.members[0].id]
    assert "Please answer by" in synced_text(ResultsView(store, cid, token))  # still open
    store.close_consultation(cid)
    assert "Please answer by" not in synced_text(ResultsView(store, cid))
