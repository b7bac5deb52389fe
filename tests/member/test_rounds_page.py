"""A round-2 card: previous distribution, own earlier stance, revision into the new round."""

from __future__ import annotations

import pytest

from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.member import MemberPage
from cop_widgets.widgets.settings import ConsultationSettings

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_round_two_card(store, seeded):
    cid = seeded.consultation.id
    (a, ta), (b, tb), _ = list(seeded.tokens.items())
    s1 = seeded.statements[0].id
    store.save_card(cid, ta, [{"statement_id": s1, "stance": 5}])
    store.save_card(cid, tb, [{"statement_id": s1, "stance": 1}])
    settings = ConsultationSettings(store, cid)
    settings.round_button.click()
    assert "Round 2 is open" in settings.message.text
    page = MemberPage(store, cid, ta)
    assert "Round 2." in page.status.value
    previous = page.rows[0].previous.value
    assert "Strongly agree 1 (50%)" in previous and "Strongly disagree 1 (50%)" in previous
    assert "Your stance then:</strong> Strongly agree" in previous
    assert page.rows[0].stance.value == 5  # the earlier answer as a starting point
    assert "you did not answer" in page.rows[1].previous.value
    page.rows[0].stance.value = 4
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert store.get_card(cid, ta).responses[0].stance == 4
    assert store.get_card(cid, ta, round_number=1).responses[0].stance == 5
    assert store.responses_frame(cid, 1)["stance"].tolist() == [5, 1]
    dash = DivergenceDashboard(store, cid)
    assert "Change between rounds" in dash.rounds.value
    assert "2 rounds." in dash.rounds.value
