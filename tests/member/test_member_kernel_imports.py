"""A member's kernel imports only what the member page needs (issue 15: memory per kernel).

Every member who opens a link gets a kernel of their own; pandas and numpy alone add about
40 MB to each. The page is built here in a fresh interpreter, as a kernel builds it, for a
member who has answered (their card, the community's distribution, the discussion of
reasons) and for one who has not, after the warm-up a preheated kernel runs before its
visitor arrives (``cop_widgets.jupyter.warmup``), and the heavy libraries must not be among
its modules.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cop_widgets.demo import seed_demo
from cop_widgets.store import Store

#: Libraries the member page never needs: the analysis, the charts and the migrations.
HEAVY = ("pandas", "numpy", "scipy", "sklearn", "altair", "alembic", "vl_convert")

BUILD = """
import json, sys
import ipywidgets
from cop_widgets.jupyter.warmup import warm_up
from cop_widgets.store import Store
from cop_widgets.widgets.member import MemberPage

store = Store(sys.argv[1], existing=True, migrate=False)
assert warm_up(store), "the warm-up failed"
page = MemberPage(store, int(sys.argv[2]), sys.argv[3], "en")
assert page.children, "the page is empty"
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('kernel') / 'demo.db'}"
    with Store(url) as store:
        seeded = seed_demo(store, discussion=True)
    return url, seeded


@pytest.mark.parametrize("answered", [True, False], ids=["answered", "not-answered"])
def test_the_member_page_imports_no_analysis_library(demo, answered):
    url, seeded = demo
    member_id = next(mid for mid in seeded.tokens if (mid in seeded.responded) == answered)
    script = BUILD.replace("{heavy}", repr(set(HEAVY)))
    done = subprocess.run(
        [sys.executable, "-c", script, url, str(seeded.consultation_id),
         seeded.tokens[member_id]], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == [], f"the member page imported {imported}"
