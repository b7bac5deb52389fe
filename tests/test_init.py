"""``cop-widgets init``: the workbooks and a README in a folder of the user's own (issue 14).

The CLI runs in this process (``main([...])``): what is tested is what it writes and prints,
and which folder and database ``serve`` and ``demo`` then take. The same steps from an
installed wheel, with a real server, are in ``test_wheel_install.py``.
"""

from __future__ import annotations

import json

import pytest

from cop_widgets.cli import main
from cop_widgets.io.workbooks import README, WORKBOOKS, served_folder
from cop_widgets.jupyter.gate import PAGES
from cop_widgets.jupyter.serve import absolute_db_url, voila_command
from cop_widgets.links import workbooks_dir
from cop_widgets.store import Store

NAMES = [*WORKBOOKS, README]


@pytest.fixture
def clean_env(monkeypatch):
    """No database named by the environment: the default file decides."""
    monkeypatch.delenv("COP_WIDGETS_DB", raising=False)


def test_init_writes_the_served_workbooks_and_a_readme(tmp_path, capsys):
    folder = tmp_path / "our consultation"  # created, and a space in its name
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)
    # exactly the pages serve serves, byte for byte the package's
    assert set(WORKBOOKS) == set(PAGES)
    for name in WORKBOOKS:
        assert (folder / name).read_bytes() == (workbooks_dir() / name).read_bytes()
        assert name in out
    assert str(folder) in out and "cop-widgets serve" in out
    assert "jupyter lab facilitator.ipynb" in out


def test_readme_says_what_each_workbook_is_and_the_next_commands(tmp_path, capsys):
    main(["init", str(tmp_path)])
    readme = (tmp_path / README).read_text(encoding="utf-8")
    for name in WORKBOOKS:
        assert f"`{name}`" in readme
    serve_at = readme.index("cop-widgets serve")
    lab_at = readme.index("jupyter lab facilitator.ipynb")
    assert serve_at < lab_at  # the two commands, in the order to run them
    assert f"cd {tmp_path}" in readme
    assert "`cop-widgets.db` in this folder" in readme and "COP_WIDGETS_DB" in readme


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "results.ipynb").write_text("my own results notebook")
    (tmp_path / README).write_text("my notes")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "results.ipynb" in err and README in err and "--force" in err
    assert "member.ipynb" not in err  # only the files that are there
    # nothing half written: the other workbooks were not added either
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "results.ipynb"]
    assert (tmp_path / "results.ipynb").read_text() == "my own results notebook"
    assert (tmp_path / README).read_text() == "my notes"


def test_init_into_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "notes").write_text("mine")
    assert main(["init", str(tmp_path / "notes"), "--force"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert (tmp_path / "notes").read_text() == "mine"


def test_force_overwrites(tmp_path, capsys):
    (tmp_path / "member.ipynb").write_text("old")
    (tmp_path / "mine.txt").write_text("kept")
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "member.ipynb").read_bytes() == \
        (workbooks_dir() / "member.ipynb").read_bytes()
    assert (tmp_path / "mine.txt").read_text() == "kept"  # not ours: left alone


def test_init_defaults_to_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    assert "  cd " not in capsys.readouterr().out  # already there


def test_serve_and_the_workbooks_take_the_folder_and_its_database(tmp_path, monkeypatch,
                                                                  clean_env, capsys):
    folder = tmp_path / "ws"
    main(["init", str(folder)])
    # elsewhere: the package's workbooks
    monkeypatch.chdir(tmp_path)
    assert served_folder() == workbooks_dir()
    monkeypatch.chdir(folder)
    assert served_folder() == folder
    assert str(folder) in voila_command(8866, "127.0.0.1")
    # serve's kernels get the folder's database (COP_WIDGETS_DB, absolute) ...
    assert absolute_db_url(None) == f"sqlite:///{folder / 'cop-widgets.db'}"
    # ... the file a workbook opened in JupyterLab (kernel started in its folder) uses too
    Store().close()
    assert (folder / "cop-widgets.db").is_file()


def test_demo_points_at_the_folders_workbook_or_at_init(tmp_path, monkeypatch, clean_env,
                                                        capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-discussion"]) == 0
    out = capsys.readouterr().out
    assert "cop-widgets init" in out and "site-packages" not in out
    assert str(workbooks_dir()) not in out
    main(["init"])
    capsys.readouterr()
    assert main(["demo", "--no-discussion", "--db", f"sqlite:///{tmp_path}/other.db"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'facilitator.ipynb'} " in out and "cop-widgets init" not in out
    assert f"COP_WIDGETS_DB=sqlite:///{tmp_path}/other.db" in out


@pytest.mark.slow
def test_the_folders_facilitator_workbook_opens_the_folders_database(tmp_path, monkeypatch,
                                                                     clean_env):
    """JupyterLab starts a notebook's kernel in its folder: the workbench opens its file."""
    import nbformat
    from nbclient import NotebookClient

    for name in ("VOILA_PREHEAT", "VOILA_BASE_URL", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "ws"
    main(["init", str(folder)])
    monkeypatch.chdir(tmp_path)  # started elsewhere, as `jupyter lab ws/facilitator.ipynb`
    nb = nbformat.read(folder / "facilitator.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    state = json.dumps(nb.metadata.widgets)
    assert "Facilitator workbench" in state and "Database: sqlite:///cop-widgets.db" in state
    assert (folder / "cop-widgets.db").is_file() and not (tmp_path / "cop-widgets.db").exists()
