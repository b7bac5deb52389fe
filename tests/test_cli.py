"""The ``cop-widgets`` command: demo seeding and Voila serving, run as real processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from helpers import free_port, stop_process_tree, wait_for_http

from cop_widgets.links import workbooks_dir
from cop_widgets.store import Store

CLI = [sys.executable, "-m", "cop_widgets.cli"]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[str, str]:
    """``cop-widgets demo`` run once for this module: ``(database URL, what it printed)``.

    Its test reads the database; ``serve`` serves it (seeding is not what serve's test is
    about, and serving writes nothing into the database).
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db"
    out = subprocess.run([*CLI, "demo", "--db", url, "--base-url", "http://127.0.0.1:9999"],
                         capture_output=True, text=True, check=True).stdout
    return url, out


def test_demo_seeds_and_prints_working_links(demo_run):
    url, out = demo_run
    links = re.findall(r"http://127\.0\.0\.1:9999/voila/render/member\.ipynb\?\S+", out)
    assert len(links) == 40
    assert "facilitator.ipynb" in out
    store = Store(url)
    members = frame = None
    for link in links:
        query = parse_qs(urlparse(link).query)
        member = store.get_member_for_token(int(query["c"][0]), query["t"][0])
        assert member.consultation_id == int(query["c"][0])
    cid = int(parse_qs(urlparse(links[0]).query)["c"][0])
    members = store.members_frame(cid)
    frame = store.responses_frame(cid)
    assert members.role.nunique() == 3 and members.region.nunique() == 4
    assert len(store.list_statements(cid)) == 8
    assert 0 < (~members.responded).sum() < 10  # a few have not answered
    spread = frame.groupby("statement_id").stance.std()
    assert spread.max() > 1.2 and spread.min() < 0.9  # some split, some agree


def test_demo_uses_cop_widgets_db_then_the_default_file(tmp_path, monkeypatch):
    # which database is a matter of the command line, decided before anything is seeded:
    # the demo's discussion (most of its seeding time) is left out
    monkeypatch.chdir(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "COP_WIDGETS_DB"}
    subprocess.run([*CLI, "demo", "--no-discussion"], capture_output=True, check=True,
                   env=env, cwd=tmp_path)
    assert (tmp_path / "cop-widgets.db").exists()
    env["COP_WIDGETS_DB"] = f"sqlite:///{tmp_path}/other.db"
    subprocess.run([*CLI, "demo", "--no-discussion"], capture_output=True, check=True,
                   env=env, cwd=tmp_path)
    assert (tmp_path / "other.db").exists()


def test_bad_command_line_says_what_is_wrong():
    result = subprocess.run([*CLI, "serve", "--port", "notaport"], capture_output=True,
                            text=True)
    assert result.returncode == 2 and "--port" in result.stderr


@pytest.mark.slow
def test_serve_serves_the_workbook_pages_and_lists_no_folder(tmp_path, demo_run):
    url, _out = demo_run
    chart = workbooks_dir() / f"joint-response-test-{os.getpid()}-divergence.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n")
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*CLI, "serve", "--db", url, "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", proc, 60, log)
        # the workbooks' pages are served (a link without its token is refused by the gate,
        # before any kernel: the page exists)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/voila/render/member.ipynb?c=1&t=nope", timeout=10)
        assert refused.value.code == 403
        # no folder is listed: not the tree page, not the contents API behind it
        for path in ("/", "/voila/tree", "/voila/api/contents/"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert refused.value.code == 404, path
        # An exported chart image beside the workbooks is not served either (it would show
        # the results to anyone, whatever their visibility).
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/files/{chart.name}",
                                   timeout=10)
        assert refused.value.code in (403, 404)
    finally:
        stop_process_tree(proc, grace=30)
        chart.unlink(missing_ok=True)


@pytest.mark.parametrize("public_url,env_prefix,expected", [
    (None, None, "/"),
    (None, "/services/cop/", "/services/cop/"),
    (None, "services//cop", "/services/cop/"),
    ("https://hub.example.org/services/cop", "/ignored/", "/services/cop/"),
    ("http://10.0.0.5:8866/", None, "/"),
])
def test_url_prefix(monkeypatch, public_url, env_prefix, expected):
    from cop_widgets.jupyter.serve import url_prefix

    if env_prefix is None:
        monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    else:
        monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", env_prefix)
    assert url_prefix(public_url) == expected


@pytest.mark.parametrize("bad", ["hub.example.org/cop", "ftp://hub/cop/",
                                 "https://hub/cop/?x=1", "https:///cop/"])
def test_bad_public_url_is_refused_before_anything_starts(tmp_path, bad):
    result = subprocess.run([*CLI, "serve", "--db", f"sqlite:///{tmp_path}/x.db",
                             "--public-url", bad], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--public-url" in result.stderr and "must" in result.stderr
    assert not (tmp_path / "x.db").exists()  # refused before the database was touched
