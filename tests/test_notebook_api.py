"""The facilitator's notebook API (``open_consultation``) and the analysis workbook."""

from __future__ import annotations

import altair as alt
import nbformat
import pandas as pd
import pytest
from helpers import demo_store, demo_url
from nbclient import NotebookClient

from cop_widgets import open_consultation
from cop_widgets.errors import NotFound, ValidationError
from cop_widgets.jupyter.keys import FACILITATOR_KEY_HASH_ENV, key_hash
from cop_widgets.links import workbooks_dir


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """``(url, consultation_id)`` of the demo consultation (anonymous) in a SQLite file.

    Seeded once for the module: every test here only reads it (the notebook API, the
    analysis workbook and its entry point write nothing).
    """
    folder = tmp_path_factory.mktemp("demo")
    with demo_store(folder) as (_store, seeded):
        cid = seeded.consultation_id
    return demo_url(folder), cid


def test_open_consultation_gives_the_services_numbers_as_dataframes(demo_db):
    url, cid = demo_db
    c = open_consultation(cid, url)
    statements = c.statements
    assert list(statements["number"]) == list(range(1, len(statements) + 1))
    summary = c.summary()
    assert list(summary.index) == list(statements["statement_id"])
    answered = summary.dropna(subset=["n"])
    # the summary counts exactly the positions the notebook lists
    counts = c.positions.groupby("statement_id").size()
    assert (answered["n"].astype(int) == counts.reindex(answered.index)).all()
    assert set(summary["class"].dropna()) <= {"consensus", "leaning", "divided", "polarised"}


def test_positions_of_an_anonymous_consultation_carry_pseudonyms_not_ids(demo_db):
    url, cid = demo_db
    c = open_consultation(cid, url)
    assert c.analysis.consultation.anonymous
    positions = c.positions
    ids = {str(i) for i in c.analysis.members["member_id"]}
    assert positions["member"].str.fullmatch(r"P\d+").all()
    assert not set(positions["member"]) & ids
    names = set(c.analysis.members["name"])
    assert not any(name in positions.to_string() for name in names)


def test_groups_by_and_chart(demo_db):
    url, cid = demo_db
    c = open_consultation(cid, url)
    groups = c.groups()
    assert set(groups["group"]) == {chr(65 + g) for g in range(c.analysis.groups().k)}
    by_role = c.by("role")
    assert isinstance(by_role, pd.DataFrame)
    shown = by_role.groupby(level="group")["n"].max()
    assert (shown >= c.analysis.smallest_group).all()
    chart = c.chart("divergence").properties(title="restyled")
    assert isinstance(chart, alt.TopLevelMixin)
    assert chart.to_dict()["title"] == "restyled"
    with pytest.raises(ValueError, match="kind must be one of"):
        c.chart("pie")
    with pytest.raises(ValidationError, match="attribute"):
        c.by("no such attribute")


def test_open_consultation_that_does_not_exist(demo_db):
    url, _cid = demo_db
    with pytest.raises(NotFound):
        open_consultation(999, url)


@pytest.mark.slow
def test_analysis_workbook_runs_and_shows_the_summary_and_a_chart(demo_db, tmp_path,
                                                                  monkeypatch):
    url, cid = demo_db
    assert cid == 1  # the workbook opens consultation 1, the demo's
    monkeypatch.setenv("COP_WIDGETS_DB", url)
    nb = nbformat.read(workbooks_dir() / "analysis.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    first = open_consultation(cid, url).statements["text"].iloc[0]
    assert first[:30] in text
    assert any(key.startswith("application/vnd.vegalite") for o in outputs
               for key in o.get("data", {}))


def test_analysis_entry_point_asks_voila_visitors_for_the_facilitator_key(demo_db,
                                                                          monkeypatch):
    from cop_widgets.jupyter.pages import analysis_notebook

    url, cid = demo_db
    monkeypatch.setenv("VOILA_BASE_URL", "/")  # served by Voila
    monkeypatch.setenv(FACILITATOR_KEY_HASH_ENV, key_hash("right-key"))
    for query in (f"c={cid}", f"c={cid}&k=wrong-key", ""):
        monkeypatch.setenv("QUERY_STRING", query)
        with pytest.raises(PermissionError, match="facilitator link"):
            analysis_notebook(cid, url)
    monkeypatch.setenv("QUERY_STRING", "k=right-key")
    assert analysis_notebook(cid, url).analysis.consultation_id == cid
    monkeypatch.delenv("VOILA_BASE_URL")  # JupyterLab: the user already runs code
    monkeypatch.setenv("QUERY_STRING", "")
    assert analysis_notebook(cid, url).analysis.consultation_id == cid


@pytest.mark.slow
def test_analysis_workbook_served_without_the_key_shows_no_figures(demo_db, tmp_path,
                                                                   monkeypatch):
    url, cid = demo_db
    monkeypatch.setenv("COP_WIDGETS_DB", url)
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv(FACILITATOR_KEY_HASH_ENV, key_hash("right-key"))
    monkeypatch.setenv("QUERY_STRING", f"c={cid}")
    nb = nbformat.read(workbooks_dir() / "analysis.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert any(o.output_type == "error" and o.ename == "PermissionError" for o in outputs)
    shown = "\n".join(str(o.get("data", {})) for o in outputs)
    first = open_consultation(cid, url).statements["text"].iloc[0]
    assert first[:30] not in shown
    assert not any(key.startswith("application/vnd.vegalite") for o in outputs
                   for key in o.get("data", {}))
