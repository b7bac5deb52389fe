"""Code run in the 'spawn' worker processes of ``test_concurrency.py``.

Kept apart from the test module so that a worker imports only this file and
``cop_widgets.store`` (about 0.4 s of CPU), not the test module with pytest, pandas,
ipywidgets and the test helpers (about 0.9 s). The workers open their stores without
migrating: the parent's ``store`` fixture already did.
"""

from __future__ import annotations

import random

from cop_widgets.model.policies import CardSaveLimit
from cop_widgets.scales import SCALES
from cop_widgets.store import Store

STANCES = SCALES["likert5"].values + (None,)
#: The workers save as fast as a loop can, faster than the members' save limit allows: these
#: tests are about revision numbering under concurrency, so they raise the limit out of the
#: way while its check still runs inside every save (tests/store/test_limits.py tests the
#: limit itself, concurrency included).
UNDER_LOAD = CardSaveLimit(max_saves=10_000, max_revisions=10_000)

_barrier = None


def init_worker(barrier):
    """Pool initializer: keep the start barrier shared by every worker."""
    global _barrier
    _barrier = barrier


def save_cards(url, consultation_id, token, statement_ids, seed, saves):
    """Worker: save ``saves`` cards with random stances; return what was acknowledged.

    Returns a list of dicts: revision, card_id, status, concerns and responses (sorted
    ``(statement_id, stance, rationale)`` tuples), in the order the saves returned.
    """
    rng = random.Random(seed)
    acknowledged = []
    with Store(url, migrate=False) as store:
        store.card_save_limit = UNDER_LOAD
        _barrier.wait(timeout=60)
        for i in range(saves):
            status = "draft" if rng.random() < 0.4 else "submitted"
            fewest = 0 if status == "draft" else 1  # a submitted card needs an answer
            chosen = sorted(rng.sample(statement_ids, rng.randint(fewest, len(statement_ids))))
            responses = [(sid, rng.choice(STANCES), f"seed {seed} save {i}" if rng.random() < .5
                          else "") for sid in chosen]
            concerns = f"worker {seed} save {i}"
            card = store.save_card(
                consultation_id, token,
                [{"statement_id": s, "stance": v, "rationale": r} for s, v, r in responses],
                concerns=concerns, status=status,
            )
            acknowledged.append({"revision": card.revision, "card_id": card.id,
                                 "status": status, "concerns": concerns,
                                 "responses": responses})
    return acknowledged
