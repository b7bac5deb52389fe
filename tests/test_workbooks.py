"""Every workbook executes top to bottom, headless, against a demo store (nbclient).

The notebook's widget state is stored (``store_widget_state``): the tests read what the
displayed page shows from it, as a browser would render it.
"""

from __future__ import annotations

import html
import types

import nbformat
import pytest
from helpers import demo_store, demo_url
from nbclient import NotebookClient

from cop_widgets.links import workbooks_dir

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
REFUSAL = "This link does not open a position card."


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    """The demo consultation in a SQLite file, which ``COP_WIDGETS_DB`` points the kernels to.

    Gives its ``consultation_id``, ``consultation``, ``statements`` and ``tokens``.
    """
    with demo_store(tmp_path) as (store, seeded):
        demo = types.SimpleNamespace(
            consultation_id=seeded.consultation_id, tokens=seeded.tokens,
            consultation=store.get_consultation(seeded.consultation_id),
            statements=store.list_statements(seeded.consultation_id))
    monkeypatch.setenv("COP_WIDGETS_DB", demo_url(tmp_path))
    for name in ("VOILA_PREHEAT", "VOILA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return demo


def run(name: str, tmp_path) -> list[str]:
    """Execute workbook ``name``; return the texts its displayed widget shows, in order.

    The texts are the ``value``, ``description`` and ``placeholder`` of the displayed
    widget and of every widget below it, HTML entities decoded.
    """
    nb = nbformat.read(workbooks_dir() / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o["data"][WIDGET_VIEW]["model_id"] for o in outputs
             if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1, f"{name} displays {len(views)} widgets"
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    texts: list[str] = []

    def visit(model_id: str) -> None:
        model = state[model_id]["state"]
        texts.extend(html.unescape(model[key]) for key in ("value", "description", "placeholder")
                     if isinstance(model.get(key), str) and model[key].strip("\u200b "))
        for child in model.get("children", ()):
            visit(child.removeprefix("IPY_MODEL_"))

    visit(views[0])
    return texts


def test_workbooks_are_thin():
    for path in workbooks_dir().glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert 1 <= len(code) <= 3 and all(len(c.source.splitlines()) <= 6 for c in code)


@pytest.mark.slow
def test_member_workbook_with_a_token_shows_the_members_card(demo_db, tmp_path, monkeypatch):
    member_id = next(iter(demo_db.tokens))
    monkeypatch.setenv("QUERY_STRING", f"c={demo_db.consultation_id}&t={demo_db.tokens[member_id]}")
    page = "\n".join(run("member.ipynb", tmp_path))
    assert REFUSAL not in page
    assert demo_db.statements and all(s.text in page for s in demo_db.statements)
    assert "Submit my position" in page


@pytest.mark.slow
def test_member_workbook_without_a_token_shows_a_refusal_and_no_card(demo_db, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setenv("QUERY_STRING", f"c={demo_db.consultation_id}")
    page = "\n".join(run("member.ipynb", tmp_path))
    assert REFUSAL in page and "The link has no invitation code." in page
    assert not any(s.text in page for s in demo_db.statements)
    assert "Submit my position" not in page


@pytest.mark.slow
def test_results_workbook_shows_the_consultation(demo_db, tmp_path, monkeypatch):
    # the demo is open and shows results after submission: a member's link opens them
    token = next(iter(demo_db.tokens.values()))
    monkeypatch.setenv("QUERY_STRING", f"c={demo_db.consultation_id}&t={token}")
    page = "\n".join(run("results.ipynb", tmp_path))
    assert demo_db.consultation.title in page
    assert REFUSAL not in page
