"""Small things a facilitator noticed (issue 12, item 5): each with the test that failed.

* the facilitator link changes at every restart -> the key is kept per database;
* ``serve`` prints a traitlets DeprecationWarning for ``file_allowlist=[]``;
* ``export`` (any read-only command) without ``--db`` in another folder creates an empty
  ``cop-widgets.db`` and then says "consultation 1 does not exist";
* the facilitator page under Voila says "Run the cell below", lists 5 of 7 tabs, names
  ``cop-widgets.db`` whatever the database, and shows its heading twice.
"""

from __future__ import annotations

import html
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import free_port, html_of, stop_process_tree, wait_for_http

from cop_widgets.i18n import translator
from cop_widgets.jupyter.serve import facilitator_key, facilitator_key_file
from cop_widgets.links import workbooks_dir
from cop_widgets.store import Store
from cop_widgets.widgets.facilitator import FacilitatorWorkbench
from cop_widgets.widgets.tabs import TAB_TITLES

COP_WIDGETS = str(Path(sys.executable).with_name("cop-widgets"))


# -- the facilitator key, kept per database -------------------------------------------------


def test_the_key_is_kept_beside_a_sqlite_database_for_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("COP_WIDGETS_FACILITATOR_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'cop.db'}"
    path = facilitator_key_file(url)
    assert path == tmp_path / "cop.db.facilitator-key"
    key = facilitator_key(url)
    assert len(key) >= 24 and facilitator_key(url) == key
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)  # opened wider by hand: put back to the owner only
    assert facilitator_key(url) == key and stat.S_IMODE(path.stat().st_mode) == 0o600
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert facilitator_key(other) != key  # one key per database
    monkeypatch.setenv("COP_WIDGETS_FACILITATOR_KEY", "chosen-key")
    assert facilitator_key(url) == "chosen-key"


def test_another_database_keeps_its_key_in_the_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COP_WIDGETS_FACILITATOR_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    url = "postgresql+psycopg://cop:secret-password@db.example/cop"
    path = facilitator_key_file(url)
    assert path.parent == tmp_path / "cop-widgets" and "secret-password" not in str(path)
    assert facilitator_key(url) == facilitator_key(url) == path.read_text().strip()
    assert facilitator_key_file("sqlite:///:memory:") is None


def test_readme_and_serve_help_say_how_to_keep_the_facilitator_link(tmp_path):
    """Issue 12 asks for the stable key to be documented in the README and ``serve --help``."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    at = readme.index("$COP_WIDGETS_FACILITATOR_KEY")
    paragraph = readme[readme.rfind("\n- ", 0, at):readme.find("\n\n", at)]
    assert "facilitator" in paragraph and "?k=KEY" in paragraph
    assert "facilitator-key" in paragraph and "stays the same" in paragraph
    env = {k: v for k, v in os.environ.items() if k != "COP_WIDGETS_DB"}
    result = subprocess.run([COP_WIDGETS, "serve", "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    help_text = " ".join(result.stdout.split())  # argparse wraps lines at any space
    assert "$COP_WIDGETS_FACILITATOR_KEY" in help_text
    assert "facilitator-key" in help_text and "stays the same" in help_text


def _serve_once(db_url: str, folder: Path) -> tuple[str, str]:
    """Start ``cop-widgets serve`` on ``db_url`` until it answers; return stdout, stderr."""
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("COP_WIDGETS_FACILITATOR_KEY", "COP_WIDGETS_DB")}
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    out, err = folder / f"out{port}", folder / f"err{port}"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen(
            [COP_WIDGETS, "serve", "--db", db_url, "--port", str(port), "--host",
             "127.0.0.1"], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", process, 60, err)
    finally:
        stop_process_tree(process)
    return out.read_text(), err.read_text()


@pytest.mark.slow
def test_the_facilitator_link_survives_a_restart_and_serve_warns_of_nothing(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cop.db'}"
    Store(db_url).close()
    links = []
    for _ in range(2):
        out, err = _serve_once(db_url, tmp_path)
        links.append(re.search(r"facilitator\.ipynb\?k=(\S+)", out).group(1))
        assert "DeprecationWarning" not in err, err
        assert "kept in" in out and "facilitator-key" in out
    assert links[0] == links[1]


# -- read-only commands open only a database that is there -----------------------------------


@pytest.mark.parametrize("command", [
    ["analyze", "1"], ["export", "1", "--format", "md", "--out", "x.md"],
    ["export-polis", "1", "--out", "polis"]])
def test_a_read_only_command_creates_no_database(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if k != "COP_WIDGETS_DB"}
    result = subprocess.run([COP_WIDGETS, *command], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"no file {tmp_path / 'cop-widgets.db'}" in result.stderr
    assert "--db" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_a_missing_consultation_names_the_database_looked_in(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cop.db'}"
    Store(db_url).close()
    result = subprocess.run([COP_WIDGETS, "analyze", "7", "--db", db_url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "consultation 7 does not exist" in result.stderr and db_url in result.stderr


# -- the facilitator page says what is true under Voila and in JupyterLab --------------------


def test_the_workbench_names_every_tab_and_its_database(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'served.db'}"
    for language in ("en", "fr"):
        _ = translator(language)
        with Store(db_url) as store:
            text = html.unescape(html_of(FacilitatorWorkbench(store, language=language)))
        assert all(_(title) in text for title in TAB_TITLES), language
        assert "served.db" in text and "cop-widgets.db" not in text
        assert text.count(_("Facilitator workbench")) == 1


def test_the_facilitator_workbook_says_nothing_voila_contradicts():
    nb = nbformat.read(workbooks_dir() / "facilitator.ipynb", as_version=4)
    shown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    # Voila shows markdown cells (not code): no "run the cell", no second heading, no tab
    # list that can fall behind the workbench's tabs
    assert shown == []


def test_saving_a_development_only_says_so_once_beside_its_button(sqlite_store):
    """It said "Saved the new development" twice: beside its button and under Create."""
    from cop_widgets.widgets.facilitator import NewConsultationForm

    form = NewConsultationForm(sqlite_store)
    form.intake.title.value = "The ministry's new guidance"
    form.intake.save_button.click()
    text = html.unescape(html_of(form))
    assert text.count("Saved the new development") == 1, text
    assert sqlite_store.list_developments()[-1].title == "The ministry's new guidance"
