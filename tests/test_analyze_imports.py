"""``cop-widgets analyze`` imports only what it uses: a cold command pays for every import."""

import json
import subprocess
import sys

import pytest

from cop_widgets.demo import seed_demo
from cop_widgets.store import Store

# Runs the command in a fresh interpreter, then reports the modules it left imported.
RUN_AND_REPORT = """
import contextlib, io, json, sys
from cop_widgets.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["analyze", sys.argv[2], "--format", "json", "--db", sys.argv[1]])
print(json.dumps({"code": code, "output": out.getvalue(), "modules": sorted(sys.modules)}))
"""

#: Not needed to analyse a consultation: migrations (the database is current), charts,
#: widgets and documents.
NOT_IMPORTED = ("alembic", "altair", "vl_convert", "ipywidgets", "docx", "jinja2")


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('analyze') / 'demo.db'}"
    with Store(url) as store:
        consultation = seed_demo(store, seed=1).consultation_id
    done = subprocess.run([sys.executable, "-c", RUN_AND_REPORT, url, str(consultation)],
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_analyze_answers(analysed):
    assert analysed["code"] == 0
    result = json.loads(analysed["output"])
    assert result["statements"] and "groups" in result


@pytest.mark.parametrize("package", NOT_IMPORTED)
def test_analyze_does_not_import(analysed, package):
    loaded = [name for name in analysed["modules"]
              if name == package or name.startswith(package + ".")]
    assert loaded == []
