from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from cop_widgets import model as m
from cop_widgets.store import Store

NOTEBOOK = Path(__file__).resolve().parents[2] / "workbooks" / "facilitator.ipynb"


def test_notebook_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1
    assert "facilitator_page()" in code[0].source
    assert code[0].outputs == [] and code[0].execution_count is None
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_notebook_runs_headless(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/seeded.db"
    with Store(url) as store:
        dev = store.add_development(m.Development("policy", "Seeded policy"))
        c = store.add_consultation(m.Consultation(dev.id, "Seeded question", anonymous=False))
        store.add_statements([m.Statement(c.id, "One"), m.Statement(c.id, "Two")])
        [member] = store.add_members([m.Member(c.id, "Ana", attributes={"role": "nurse"})])
        _inv, token = store.add_invitation(member.id)
        store.open_consultation(c.id)
        store.save_card(c.id, token, [{"statement_id": 1, "stance": 5}])
    monkeypatch.setenv("COP_WIDGETS_DB", url)

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    [cell] = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for o in cell.outputs if o.output_type == "error"]
    bundles = [o.get("data", {}) for o in cell.outputs if o.output_type == "execute_result"]
    assert any("application/vnd.jupyter.widget-view+json" in b for b in bundles)
    assert not (tmp_path / "cop-widgets.db").exists()  # it used COP_WIDGETS_DB
