"""Members and responses frames for the analysis tests, built from short row specs.

Imported as ``from answer_frames import ...`` (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import pandas as pd
from helpers import responses_frame


def roster(rows, invited=None):
    """Members frame from (member_id, responded, {attribute: value}) rows."""
    rows = list(rows)
    keys = sorted({k for r in rows for k in r[2]})
    data = {
        "member_id": [r[0] for r in rows],
        "name": [f"M{r[0]}" for r in rows],
        "email": None,
        "external_id": None,
        "invited": [True if invited is None else r[0] in invited for r in rows],
        "responded": [r[1] for r in rows],
    }
    for k in keys:
        data[k] = [r[2].get(k) for r in rows]
    return pd.DataFrame(data)


def responses(rows):
    """Responses frame (no rationale) from ``(member_id, statement_id, stance)`` rows."""
    return responses_frame(rows, rationale="")


def groups(spec):
    """Roster from [(count, responded count, {attr: value}), ...], ids 1, 2, ... in order."""
    rows, mid = [], 0
    for count, answered, attrs in spec:
        for i in range(count):
            mid += 1
            rows.append((mid, i < answered, attrs))
    return roster(rows)
