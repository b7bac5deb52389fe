"""Where the four real Pol.is conversations are (read in place, never copied).

Pol.is data is CC BY 4.0, gathered with the Polis software (compdemocracy.org/polis) and
sub-licensed under CC BY 4.0 with attribution to The Computational Democracy Project; see
``shared/data/polis/README.md`` beside the repository for sources.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CONVERSATIONS = [
    "london.youth.policing",
    "15-per-hour-seattle",
    "scoop-hivemind.biodiversity",
    "vtaiwan.uberx",
]

_REPO = Path(__file__).resolve().parents[2]


def polis_data_dir() -> Path | None:
    candidates = []
    if os.environ.get("COP_WIDGETS_POLIS_DATA"):
        candidates.append(Path(os.environ["COP_WIDGETS_POLIS_DATA"]))
    candidates += [_REPO.parent / "shared" / "data" / "polis", Path("/work/shared/data/polis")]
    for candidate in candidates:
        if (candidate / CONVERSATIONS[0] / "votes.csv").exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def polis_data() -> Path:
    found = polis_data_dir()
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the Pol.is open data (shared/data/polis) is missing under CI")
        pytest.skip("the Pol.is open data (shared/data/polis) is not beside the repository; "
                    "set COP_WIDGETS_POLIS_DATA")
    return found
