"""The Binder path: ``binder/postBuild`` and ``binder/start`` as repo2docker runs them.

Binder does not run ``cop-widgets serve``: it runs a Jupyter server in which Voila is a server
extension (``urlpath=voila/render/...``), configured by the files ``postBuild`` writes into
``$HOME``. This test runs both scripts with a temporary ``$HOME``, starts that server on a
loopback port with the repository as its root, and opens the Binder link forms of the README
in chromium: the public results of the closed demo, a member link of the open demo (from
``~/demo-links.txt``) and the facilitator workbook in JupyterLab. Each must render, and no
request may leave loopback: Voila as a server extension loaded MathJax from cdnjs until
``jupyter-server-mathjax`` (a dependency) served it locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import free_port, stop_process_tree, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def binder(tmp_path_factory, chromium_executable):
    home = tmp_path_factory.mktemp("binder-home")
    env = dict(os.environ)
    for name in ("COP_WIDGETS_DB", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"):
        env.pop(name, None)
    env["HOME"] = str(home)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], env=env, cwd=ROOT,
                   check=True, timeout=300, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    links = (home / "demo-links.txt").read_text().splitlines()
    # Binder's root folder is the repository; a copy of its workbooks stands in for it, so
    # that JupyterLab's checkpoints land in the temporary folder, not in the repository.
    root = home / "repo"
    shutil.copytree(ROOT / "workbooks", root / "workbooks")
    port = free_port()
    log = home / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", str(ROOT / "binder" / "start"), "jupyter", "server", "--no-browser",
             "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
             "--IdentityProvider.token=", f"--ServerApp.root_dir={root}"],
            env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/api/status", process, 90, log)
        yield base, links
    finally:
        stop_process_tree(process)


def relative_link(links: list[str], label: str) -> str:
    """The link after ``label: `` in ``demo-links.txt``."""
    for line in links:
        name, _, link = line.partition(": ")
        if name.startswith(label):
            return link
    raise AssertionError(f"no {label!r} line in demo-links.txt: {links[:3]}")


def test_public_results_of_the_closed_demo(binder, open_page):
    base, links = binder
    link = relative_link(links, "results")
    assert link.startswith("voila/render/workbooks/results.ipynb?c=")
    visit = open_page(f"{base}/{link}")
    page = visit.page
    assert page.locator(".cop-results-page").count() == 1
    assert page.locator(".cop-results-page").inner_text().strip()
    visit.assert_loopback_only()
    assert not visit.page_errors


def test_a_member_link_of_the_open_demo_shows_the_card(binder, open_page):
    base, links = binder
    member_lines = [line for line in links if "member.ipynb" in line]
    assert len(member_lines) >= 30
    link = member_lines[0].partition(": ")[2]
    visit = open_page(f"{base}/{link}")
    assert visit.page.locator(".cop-member-page .cop-card").count() == 1
    assert visit.page.locator(".cop-statement input[type=radio]").count() >= 5
    visit.assert_loopback_only()
    assert not visit.page_errors


def test_the_facilitator_workbook_opens_in_jupyterlab(binder, open_page):
    base, _ = binder

    def notebook_shown(page):
        # JupyterLab shows an empty placeholder cell ("Click to add a cell.") until the
        # notebook's contents arrive: wait for the workbook's own cell
        page.locator(".jp-Notebook .jp-Cell", has_text="facilitator_page").first.wait_for(
            state="visible")

    visit = open_page(f"{base}/lab/tree/workbooks/facilitator.ipynb", ready=notebook_shown)
    assert "facilitator_page" in visit.page.locator(".jp-Notebook").inner_text()
    visit.assert_loopback_only()
