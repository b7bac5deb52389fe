"""Every workbook executes top to bottom, headless, against a demo store (nbclient)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from cop_widgets.demo import seed_demo
from cop_widgets.paths import workbooks_dir
from cop_widgets.store import Store

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def demo(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/demo.db"
    with Store(url) as store:
        seeded = seed_demo(store)
    monkeypatch.setenv("COP_WIDGETS_DB", url)
    for name in ("VOILA_PREHEAT", "VOILA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return seeded


def run(name: str, tmp_path) -> list[dict]:
    nb = nbformat.read(workbooks_dir() / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    return outputs


def test_workbooks_are_thin():
    for path in workbooks_dir().glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert 1 <= len(code) <= 3 and all(len(c.source.splitlines()) <= 6 for c in code)


@pytest.mark.slow
def test_member_workbook_runs_with_a_token(demo, tmp_path, monkeypatch):
    member_id = next(iter(demo.tokens))
    monkeypatch.setenv("QUERY_STRING", f"c={demo.consultation_id}&t={demo.tokens[member_id]}")
    outputs = run("member.ipynb", tmp_path)
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_member_workbook_runs_without_a_token(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", f"c={demo.consultation_id}")
    outputs = run("member.ipynb", tmp_path)
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_results_workbook_runs(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", f"c={demo.consultation_id}")
    outputs = run("results.ipynb", tmp_path)
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs)
