"""From the wheel, not the checkout: ``init`` into an empty folder, then ``serve`` from it.

Issue 14's "done when": the wheel is built once for the module and installed (``--no-deps``,
not editable) into a fresh virtual environment. Its dependencies are those of the test's own
environment, reached through a ``.pth`` file holding that ``site-packages`` folder (installing
them from the network would take minutes): a plain path line, so the ``.pth`` files in there,
the editable install of this checkout among them, are not run and ``cop_widgets`` comes
from the wheel only. Jupyter's data files (Voila's templates), which the dependencies would
install into the new environment's ``share/jupyter``, are found through ``JUPYTER_PATH``.

The venv's own ``cop-widgets`` script then writes the workbooks into an empty folder, seeds
the demo there and serves the folder: the facilitator page it prints opens, and is the
folder's (a cell added to the folder's copy shows), with the database in the folder; a
member link with a wrong token is refused by the gate.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import types
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from helpers import free_port, stop_process_tree, tail, wait_for_http

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                            **kwargs)
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result


def _has_hatchling() -> bool:
    import importlib.util

    return importlib.util.find_spec("hatchling") is not None


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> types.SimpleNamespace:
    """The wheel built from this checkout, installed alone into a fresh virtual environment."""
    started = time.perf_counter()
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    # hatchling (the build backend) from this environment when it is there: no download
    no_isolation = ["--no-build-isolation"] if _has_hatchling() else []
    # a checkout's workbooks/ may hold a cop-widgets.db of real members, or screenshots:
    # one is there while the wheel is built (see the test of what the wheel ships)
    stray = REPO / "workbooks" / f"stray-test-{os.getpid()}.db"
    stray.write_bytes(b"members")
    try:
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", *no_isolation, "-q", "-w",
              dist, REPO])
    finally:
        stray.unlink()
    (wheel,) = dist.glob("cop_widgets-*.whl")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    # this environment's pip installs into the new one (no ensurepip: seconds saved)
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
          "--no-index", wheel])
    purelib = Path(_run([python, "-c", "import sysconfig; "
                         "print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "zz_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COP_WIDGETS_", "JUPYTERHUB_")) and k != "PYTHONPATH"}
    env.update(PYTHONUNBUFFERED="1", PYTHONNOUSERSITE="1",
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"))
    print(f"wheel built and installed in {time.perf_counter() - started:.1f} s")
    return types.SimpleNamespace(venv=venv, python=python, purelib=purelib, env=env,
                                 script=venv / "bin" / "cop-widgets", wheel=wheel)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    found = _run([installed.python, "-c", "import cop_widgets, cop_widgets.links as l; "
                  "print(cop_widgets.__file__); print(l.workbooks_dir())"],
                 env=installed.env, cwd=tmp_path).stdout.split()
    assert Path(found[0]).is_relative_to(installed.purelib)
    assert Path(found[1]) == installed.purelib / "cop_widgets" / "workbooks"
    # the script is the venv's own, on the venv's interpreter
    assert installed.script.read_text().startswith(f"#!{installed.python}")


def test_the_wheel_ships_the_served_workbooks_and_nothing_else_of_that_folder(installed):
    wheel = installed.wheel  # built with a stray .db in workbooks/
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("cop_widgets/workbooks/")}
        assert not [n for n in archive.namelist() if n.endswith(".db")]
    assert shipped == {f"cop_widgets/workbooks/{name}.ipynb" for name in
                       ("facilitator", "member", "results", "endorse", "analysis")}


def test_init_into_an_empty_folder_then_serve_from_it(installed, tmp_path):
    folder = tmp_path / "our workbooks"
    folder.mkdir()
    env, script = installed.env, installed.script
    out = _run([script, "init"], env=env, cwd=folder).stdout
    assert "cop-widgets serve" in out
    # a cell of the folder's own, to tell its facilitator workbook from the package's
    marker = f"Our own copy {os.getpid()}-{time.time_ns()}"
    notebook = folder / "facilitator.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": marker})
    notebook.write_text(json.dumps(content), encoding="utf-8")

    port = free_port()
    demo = _run([script, "demo", "--no-discussion", "--base-url", f"http://127.0.0.1:{port}"],
                env=env, cwd=folder).stdout
    assert f"{folder / 'facilitator.ipynb'} " in demo and "site-packages" not in demo
    member_link = re.search(r"http://\S+/voila/render/member\.ipynb\?\S+", demo).group(0)

    log = tmp_path / "serve.log"
    with open(log, "wb") as handle:
        server = subprocess.Popen([str(script), "serve", "--port", str(port)], cwd=folder,
                                  env=env, stdout=handle, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", server, 60, log)
        printed = log.read_text()
        assert f"Serving {folder} " in printed
        assert f"database: sqlite:///{folder / 'cop-widgets.db'})" in printed
        link = re.search(r"Facilitator page: (\S+)", printed).group(1)
        status, page = _get(link)
        assert status == 200, tail(log)
        assert marker in page  # the folder's workbook ...
        assert "Facilitator workbench" in page  # ... ran the workbench: the key was right
        refused, _page = _get(member_link[:-4] + "xxxx")  # a token made up
        assert refused == 403
    finally:
        stop_process_tree(server)
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".db") == ["cop-widgets.db"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
