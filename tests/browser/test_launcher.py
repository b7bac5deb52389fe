"""JupyterLab's launcher items, as the wheel installs them, in a real JupyterLab and chromium.

The wheel is built once (``pip wheel``, no network) and its shared data
(``<name>.data/data/share/jupyter/``) unpacked into a folder that the JupyterLab started
here gets as ``JUPYTER_PATH``: jupyter-app-launcher then finds the launcher file there as it
does in ``<prefix>/share/jupyter`` after ``pip install``. One JupyterLab serves the module;
chromium (``$COP_WIDGETS_CHROMIUM``, default ``/usr/bin/chromium``, never downloaded) has
every non-loopback request sent to a closed loopback port, and the test asserts that none
was made. ``COP_WIDGETS_SHOTS=folder`` keeps a screenshot of each step there.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import types
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import free_port, stop_process_tree, wait_for_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
LAUNCHER_DIR = "jupyter_app_launcher"  # jupyter_app_launcher.handlers.PATH_PREFIX
CONFIG_NAME = "jp_app_launcher_cop_widgets.yaml"
WORKBOOK_TITLE = "New joint-response workbook"
PREVIEW_TITLE = "Member page preview (Voila)"
STEP_MS = 90_000  # a kernel, Voila and the demo's seeding on two busy cores
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _shot(page, name: str) -> None:
    folder = os.environ.get("COP_WIDGETS_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"launcher-{name}.png"))


def _notebook_when_written(path: Path, seconds: float = 30.0) -> dict:
    """The notebook at ``path`` once JupyterLab has finished writing it.

    The file browser lists the copy as soon as it exists; its contents arrive a moment
    later (CI once read it empty), so read until it parses or the time is up.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _leaves_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return False
    return parts.hostname not in LOOPBACK


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built once without dependencies or network."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(folder), str(REPO)], check=True, timeout=300)
    (built,) = folder.glob("cop_widgets-*.whl")
    return built


@pytest.fixture(scope="module")
def shared_data(wheel, tmp_path_factory) -> Path:
    """The wheel's ``share/jupyter`` folder, unpacked as ``pip install`` would place it."""
    prefix = tmp_path_factory.mktemp("prefix")
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            head, _, rest = name.partition(".data/data/")
            if rest and "/" not in head:
                target = prefix / rest
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return prefix / "share" / "jupyter"


def test_wheel_puts_the_launcher_file_where_jupyter_app_launcher_reads(shared_data):
    from jupyter_app_launcher.handlers import PATH_PREFIX
    from jupyter_app_launcher.utils import parse_config

    folder = shared_data / PATH_PREFIX
    configs = [p.name for p in folder.iterdir() if p.suffix in (".yml", ".yaml")
               and p.stem.startswith("jp_app_launcher")]  # the package's own filter
    assert configs == [CONFIG_NAME]
    items = {item["title"]: item for item in parse_config(str(folder), str(folder / CONFIG_NAME))}
    assert set(items) == {WORKBOOK_TITLE, PREVIEW_TITLE}  # both passed its schema
    workbook, preview = items[WORKBOOK_TITLE], items[PREVIEW_TITLE]
    assert workbook["type"] == "notebook" and preview["type"] == "notebook-voila"
    # The copy is the facilitator workbook itself; the preview's notebook is there too.
    assert workbook["sourceCode"] is not None, "no facilitator workbook beside the file"
    assert json.loads(workbook["sourceCode"]) == json.loads(
        (REPO / "workbooks" / "facilitator.ipynb").read_text())
    assert Path(preview["source"]).is_file()
    assert all(item["icon"].lstrip().startswith("<svg") for item in items.values())
    # Voila on loopback only, with a template of the wheel's that loads nothing from a CDN.
    assert preview["args"]["Voila.ip"] == "127.0.0.1"
    template = preview["args"]["VoilaConfiguration.template"]
    assert (shared_data / "voila" / "templates" / template / "index.html.j2").is_file()


def _installed_copies() -> list[Path]:
    """Launcher files of this package already installed in this environment's data folders.

    An install of the package (``pip install -e .`` too: hatch copies shared data) puts one
    in ``<prefix>/share/jupyter``; JupyterLab then lists each item once per copy, ours first
    (``JUPYTER_PATH`` comes first).
    """
    from jupyter_core.paths import ENV_JUPYTER_PATH, SYSTEM_JUPYTER_PATH

    return [Path(d) / LAUNCHER_DIR / CONFIG_NAME for d in [*ENV_JUPYTER_PATH, *SYSTEM_JUPYTER_PATH]
            if (Path(d) / LAUNCHER_DIR / CONFIG_NAME).is_file()]


@pytest.fixture(scope="module")
def lab(shared_data, tmp_path_factory) -> types.SimpleNamespace:
    """A real JupyterLab on a loopback port that sees the wheel's shared data."""
    folder = tmp_path_factory.mktemp("lab")
    root = folder / "root"
    root.mkdir()
    token = secrets.token_hex(16)
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "COP_WIDGETS_DB", "VOILA"))}
    env.update(
        JUPYTER_PATH=str(shared_data), JUPYTER_CONFIG_DIR=str(folder / "config"),
        JUPYTER_DATA_DIR=str(folder / "data"), JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        # an activated environment: jupyter-app-launcher starts `voila` from PATH
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    # No "official Jupyter news?" question over the pages (nothing is fetched either way).
    notification = folder / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log = folder / "lab.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             "--ServerApp.allow_root=True",  # containers and CI often run as root
             f"--LabApp.workspaces_dir={folder / 'workspaces'}",
             f"--LabApp.user_settings_dir={folder / 'settings'}",
             # nothing fetched from the internet by the server either
             "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/api/status?token={token}", process, 120, log)
        yield types.SimpleNamespace(url=f"{base}/lab?token={token}", root=root,
                                    process=process, log=log, env=env,
                                    copies=1 + len(_installed_copies()))
    finally:
        stop_process_tree(process)


def _voila_commands(process) -> list[list[str]]:
    import psutil

    found = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            command = child.cmdline()
        except psutil.Error:
            continue
        if any(Path(part).name == "voila" for part in command[:2]):
            found.append(command)
    return found


def test_launcher_items_open_what_they_say(browser, lab):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(STEP_MS)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("websocket", lambda ws: requests.append(ws.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests.append(ws.url))
    try:
        page.goto(lab.url)
        launcher = page.locator(".jp-Launcher")
        expect(launcher).to_be_visible(timeout=STEP_MS)
        section = launcher.locator(".jp-Launcher-section", has=page.locator(
            ".jp-Launcher-sectionTitle", has_text="cop-widgets"))
        cards = {title: section.locator(".jp-LauncherCard", has_text=title)
                 for title in (WORKBOOK_TITLE, PREVIEW_TITLE)}
        for title, card in cards.items():
            expect(card, f"launcher item {title!r}").to_have_count(lab.copies)
            expect(card.first.locator(".jp-LauncherCard-label")).to_have_text(title)
        section.scroll_into_view_if_needed()
        _shot(page, "1280")

        # 1. A copy of the facilitator workbook, in the folder open in the file browser.
        cards[WORKBOOK_TITLE].first.click()
        copy_name = f"{WORKBOOK_TITLE}.ipynb"
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=copy_name)
        expect(tab).to_have_class(re.compile("lm-mod-current"), timeout=STEP_MS)
        notebook = page.locator(".jp-NotebookPanel:visible")
        expect(notebook.locator(".jp-Cell").first).to_contain_text("facilitator_page()",
                                                                   timeout=STEP_MS)
        copy = lab.root / copy_name
        expect(page.locator(".jp-DirListing-item", has_text=copy_name)).to_be_visible()
        assert _notebook_when_written(copy)["cells"][0]["source"] == json.loads(
            (REPO / "workbooks" / "facilitator.ipynb").read_text())["cells"][0]["source"]
        _shot(page, "workbook")

        # 2. The member page of the demo, rendered by Voila in a tab of JupyterLab.
        page.keyboard.press("Control+Shift+L")  # a new launcher
        expect(page.locator(".jp-Launcher:visible")).to_have_count(1)
        page.locator(".jp-Launcher:visible .jp-LauncherCard", has_text=PREVIEW_TITLE).first.click()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=PREVIEW_TITLE)
        expect(tab).to_be_visible(timeout=STEP_MS)
        frame = page.frame_locator(".jp-IFrame:visible iframe")
        expect(frame.locator(".cop-preview-notice")).to_contain_text("Preview", timeout=STEP_MS)
        expect(frame.locator(".cop-member-page .cop-brief")).to_contain_text(
            "How should our network respond to the AI guidance?")
        expect(frame.locator(".cop-member-page .cop-statement input[type=radio]").first) \
            .to_be_visible()
        _shot(page, "preview")
        commands = _voila_commands(lab.process)
        assert len(commands) == 1, commands
        assert "--Voila.ip=127.0.0.1" in commands[0]  # not on every interface
        page.keyboard.press("Control+b")  # the file browser closed: the preview's width
        page.set_viewport_size({"width": 390, "height": 800})
        _shot(page, "preview-390")
    finally:
        context.close()
    outside = sorted({url for url in requests if _leaves_loopback(url)})
    assert not outside, f"requests left loopback: {outside}"
    assert any("/proxy/absolute/" in url for url in requests)  # Voila through the lab
