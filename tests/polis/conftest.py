"""Where the four real Pol.is conversations are: ``tests/data/polis``, a copy kept in the
repository so that a fresh machine has them (``COP_WIDGETS_POLIS_DATA`` points elsewhere).

Pol.is data is CC BY 4.0, gathered with the Polis software (compdemocracy.org/polis) and
sub-licensed under CC BY 4.0 with attribution to The Computational Democracy Project; see
``tests/data/polis/README.md`` for the sources.
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

#: The copy in the repository.
POLIS_DATA = Path(__file__).resolve().parents[1] / "data" / "polis"


def polis_data_dir() -> Path | None:
    candidate = Path(os.environ.get("COP_WIDGETS_POLIS_DATA") or POLIS_DATA)
    return candidate if (candidate / CONVERSATIONS[0] / "votes.csv").exists() else None


@pytest.fixture(scope="session")
def polis_data() -> Path:
    found = polis_data_dir()
    if found is None:
        pytest.fail(f"the Pol.is open data is missing: no {CONVERSATIONS[0]}/votes.csv in "
                    f"{os.environ.get('COP_WIDGETS_POLIS_DATA') or POLIS_DATA}")
    return found
