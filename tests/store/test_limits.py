"""How much one member may write: pending proposals and card saves (issue 11, item 7).

The review scripted 200 proposals through the kernel websocket in 10 s, and 300 maximal
drafts added 5.9 MB in 1.9 s. Here one member's token does the same against the store (the
page's buttons call these verbs and nothing else): the store keeps at most
``MAX_PENDING_PROPOSALS`` proposals waiting and at most ``max_saves`` cards within the
window, refuses the rest by code, and writes nothing of a refused call.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from helpers import refused

from cop_widgets import model as m
from cop_widgets.errors import ValidationError
from cop_widgets.model.policies import CARD_SAVE_LIMIT, MAX_PENDING_PROPOSALS, CardSaveLimit
from cop_widgets.store import schema as t

PENDING = [m.ModerationState.PENDING]


def pending_of(store, consultation_id: int, member_id: int) -> list[m.Statement]:
    return [s for s in store.list_statements(consultation_id, states=PENDING)
            if s.proposed_by == member_id]


def attempt(call) -> ValidationError | None:
    """Run ``call``; return the ValidationError it raised, or ``None``."""
    try:
        call()
    except ValidationError as exc:
        return exc
    return None


# -- pending proposals -------------------------------------------------------------------------


def test_a_member_scripting_200_proposals_leaves_five_waiting(store, seeded):
    c, [member, other, _third] = seeded.consultation, seeded.members[:3]
    token = seeded.tokens[member.id]
    before = len(store.list_statements(c.id, states=None))

    errors = [attempt(lambda i=i: store.propose_statement(c.id, token, f"Proposal {i}"))
              for i in range(200)]

    refusals = [e for e in errors if e is not None]
    assert len(refusals) == 200 - MAX_PENDING_PROPOSALS == 195
    assert all(e is None for e in errors[:MAX_PENDING_PROPOSALS])  # the first five went in
    assert {(e.field, e.code, e.params["limit"]) for e in refusals} == {
        ("proposal", "too-many-pending-proposals", MAX_PENDING_PROPOSALS)}
    assert "5 proposals awaiting the facilitator" in refusals[0].rule
    # nothing half-written: the five accepted proposals and nothing of the refused ones
    assert [s.text for s in pending_of(store, c.id, member.id)] == [
        f"Proposal {i}" for i in range(MAX_PENDING_PROPOSALS)]
    assert len(store.list_statements(c.id, states=None)) == before + MAX_PENDING_PROPOSALS
    # the limit is one member's: another member still proposes
    store.propose_statement(c.id, seeded.tokens[other.id], "Another member's idea")
    assert len(pending_of(store, c.id, other.id)) == 1


def test_after_moderation_the_member_can_propose_again(store, seeded):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    proposals = [store.propose_statement(c.id, token, f"Idea {i}")
                 for i in range(MAX_PENDING_PROPOSALS)]
    refused("proposal", "5 proposals", lambda: store.propose_statement(c.id, token, "One more"),
            code="too-many-pending-proposals")

    store.update_statement(proposals[0].id, moderation=m.ModerationState.ACCEPTED)
    store.update_statement(proposals[1].id, moderation=m.ModerationState.REJECTED)
    store.propose_statement(c.id, token, "Room for this one")
    store.propose_statement(c.id, token, "And this one")
    refused("proposal", None, lambda: store.propose_statement(c.id, token, "Over again"),
            code="too-many-pending-proposals")
    assert len(pending_of(store, c.id, member.id)) == MAX_PENDING_PROPOSALS


def test_proposals_sent_at_once_still_leave_five_waiting(store, seeded):
    """Eight kernels of one member proposing at the same moment: counted one after another."""
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    with ThreadPoolExecutor(8) as pool:
        errors = list(pool.map(
            lambda i: attempt(lambda: store.propose_statement(c.id, token, f"At once {i}")),
            range(16)))
    assert sum(e is None for e in errors) == MAX_PENDING_PROPOSALS
    assert {e.code for e in errors if e is not None} == {"too-many-pending-proposals"}
    assert len(pending_of(store, c.id, member.id)) == MAX_PENDING_PROPOSALS


# -- card saves ----------------------------------------------------------------------------------


def maximal_card(statements) -> dict:
    """The largest card the text limits allow: every reason and both boxes full."""
    return {
        "responses": [{"statement_id": s.id, "stance": 3,
                       "rationale": "r" * m.LIMITS["rationale"]} for s in statements],
        "concerns": "c" * m.LIMITS["concerns"],
        "impact": "i" * m.LIMITS["impact"],
    }


def stored_characters(store, consultation_id: int) -> int:
    """Characters of member text the consultation's cards hold, read from the tables."""
    with store.engine.connect() as conn:
        cards = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(t.cards.c.concerns)
                                                   + sa.func.length(t.cards.c.impact)), 0))
            .where(t.cards.c.consultation_id == consultation_id)).scalar()
        reasons = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(
                t.card_responses.c.rationale)), 0))
            .join(t.cards, t.cards.c.id == t.card_responses.c.card_id)
            .where(t.cards.c.consultation_id == consultation_id)).scalar()
    return int(cards) + int(reasons)


def test_300_rapid_maximal_saves_store_at_most_the_limit(store, seeded, clock):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    card = maximal_card(seeded.statements)
    limit = CARD_SAVE_LIMIT

    errors = []
    for _ in range(300):
        clock.advance(0.005)  # 300 saves in 1.5 s, as the review's script did
        errors.append(attempt(lambda: store.save_card(c.id, token, status="draft", **card)))

    saved = [e for e in errors if e is None]
    refusals = [e for e in errors if e is not None]
    assert len(saved) == limit.max_saves and errors[:limit.max_saves] == saved
    assert {(e.field, e.code) for e in refusals} == {("card", "saving-too-often")}
    first = refusals[0]
    # the wait: until the first save leaves the ten-minute window
    assert first.params["limit"] == limit.max_saves and first.params["minutes"] == 10
    assert 595 <= first.params["wait_seconds"] <= 600
    assert first.params["until"] == (store.list_card_revisions(c.id, member.id)[0].saved_at
                                     + limit.window)
    # what one member stored is bounded by the limit times the largest card
    per_card = (m.LIMITS["concerns"] + m.LIMITS["impact"]
                + len(seeded.statements) * m.LIMITS["rationale"])
    assert store.count_cards(c.id) == limit.max_saves
    assert stored_characters(store, c.id) == limit.max_saves * per_card


def test_the_window_slides_and_the_member_saves_again(store, seeded, clock):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    limit = CARD_SAVE_LIMIT
    for _ in range(limit.max_saves):  # one save every 10 s: the 30th 290 s after the first
        store.save_card(c.id, token, status="draft")
        clock.advance(seconds=10)
    err = refused("card", "30 times in the last 10 minutes",
                  lambda: store.save_card(c.id, token, status="draft"),
                  code="saving-too-often")
    assert err.params["wait_seconds"] == 600 - 300  # until the first save leaves the window
    clock.advance(seconds=300)
    card = store.save_card(c.id, token, [{"statement_id": seeded.statements[0].id,
                                          "stance": 4}])
    assert card.revision == limit.max_saves + 1
    # the second save of the burst is still in the window: the next one waits 10 s more
    err = refused("card", None, lambda: store.save_card(c.id, token, status="draft"),
                  code="saving-too-often")
    assert err.params["wait_seconds"] == 10
    # one member's limit: another member saves
    other = seeded.members[1]
    assert store.save_card(c.id, seeded.tokens[other.id], status="draft").revision == 1


def test_saves_sent_at_once_from_several_kernels_still_stop_at_the_limit(store, seeded):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    with ThreadPoolExecutor(8) as pool:
        errors = list(pool.map(
            lambda _i: attempt(lambda: store.save_card(c.id, token, status="draft")),
            range(48)))
    assert sum(e is None for e in errors) == CARD_SAVE_LIMIT.max_saves
    assert {e.code for e in errors if e is not None} == {"saving-too-often"}
    assert [card.revision for card in store.list_card_revisions(c.id, member.id)] == list(
        range(1, CARD_SAVE_LIMIT.max_saves + 1))


def test_a_normal_member_never_meets_the_limit(store, seeded, clock):
    """Reading, saving drafts as they go, submitting, revising later: never refused."""
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    answers = []
    for statement in seeded.statements:
        answers.append({"statement_id": statement.id, "stance": 2, "rationale": "Because"})
        store.save_card(c.id, token, answers, status="draft")
        store.save_card(c.id, token, answers, status="draft")  # a double click
        clock.advance(seconds=20)
    store.save_card(c.id, token, answers, concerns="Time", status="submitted")
    store.save_card(c.id, token, answers, concerns="Time, and money", status="submitted")
    clock.advance(hours=2)
    last = store.save_card(c.id, token, answers[:2], status="submitted")
    assert last.revision == 2 * len(seeded.statements) + 3


def test_a_round_keeps_at_most_max_revisions_of_a_card(store, seeded, clock):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    store.card_save_limit = CardSaveLimit(max_saves=3, window=dt.timedelta(minutes=1),
                                          max_revisions=7)
    for _ in range(7):
        store.save_card(c.id, token, status="draft")
        clock.advance(seconds=30)  # two saves a minute: under the rate
    err = refused("card", "7 times in this round",
                  lambda: store.save_card(c.id, token, status="draft"),
                  code="too-many-revisions")
    assert err.params == {"limit": 7}
    clock.advance(hours=1)
    refused("card", None, lambda: store.save_card(c.id, token, status="draft"),
            code="too-many-revisions")
    assert store.count_cards(c.id) == 7


def test_the_limit_can_be_loosened_for_a_load_test(store, seeded):
    c, member = seeded.consultation, seeded.members[0]
    token = seeded.tokens[member.id]
    store.card_save_limit = None
    for _ in range(CARD_SAVE_LIMIT.max_saves + 5):
        store.save_card(c.id, token, status="draft")
    assert store.count_cards(c.id) == CARD_SAVE_LIMIT.max_saves + 5


# -- the policy alone ----------------------------------------------------------------------------


NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_the_policy_counts_only_saves_within_the_window():
    rule = CardSaveLimit(max_saves=3, window=dt.timedelta(minutes=10))
    ago = [NOW - dt.timedelta(minutes=x) for x in (1, 2, 11)]
    assert rule.wait(ago, NOW) is None  # the save 11 minutes ago no longer counts
    ago = [NOW - dt.timedelta(minutes=x) for x in (9, 1, 2)]  # any order
    assert rule.wait(ago, NOW) == dt.timedelta(minutes=1)
    # more saves than the limit in the window (a limit made stricter): the newest count
    ago = [NOW - dt.timedelta(minutes=x) for x in (1, 2, 3, 8, 9)]
    assert rule.wait(ago, NOW) == dt.timedelta(minutes=7)
    assert rule.wait([NOW] * 3, NOW) == dt.timedelta(minutes=10)


@pytest.mark.parametrize("bad", [{"max_saves": 0}, {"window": dt.timedelta(0)},
                                 {"max_revisions": 0}])
def test_the_policy_refuses_a_limit_that_allows_nothing(bad):
    with pytest.raises(ValueError):
        CardSaveLimit(**bad)
