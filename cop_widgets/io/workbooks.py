"""The workbooks in a folder of the user's own: written by ``cop-widgets init``, served from there.

The package ships its workbooks (``cop_widgets/workbooks`` in a wheel, ``workbooks/`` in a
checkout: :func:`cop_widgets.links.workbooks_dir`). :func:`write_workbooks` copies them, with
a short ``README.md``, into a folder the user chose, so that the facilitator opens them in
JupyterLab from there and ``cop-widgets serve`` run from there serves them
(:func:`served_folder`), with the database ``cop-widgets.db`` beside them by default (the
default SQLite file is named relative to the working directory, and JupyterLab starts a
notebook's kernel in the notebook's folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationError
from ..links import workbooks_dir

__all__ = ["WORKBOOKS", "README", "FolderNotEmpty", "InitResult", "workbook_files",
           "write_workbooks", "is_workbook_folder", "served_folder", "readme_text"]

#: The workbooks ``init`` writes, each with what it is (for the README). They are the pages
#: ``serve`` serves (:data:`cop_widgets.jupyter.gate.PAGES`).
WORKBOOKS: dict[str, str] = {
    "facilitator.ipynb": "the facilitator workbench: set up a consultation, invite the "
                         "members, follow who answered, read the analysis, draft the joint "
                         "response and publish it. Open it in JupyterLab.",
    "member.ipynb": "the page a member's personal link opens: their position card.",
    "results.ipynb": "the results page, where the community stands (when the results are "
                     "shown to members).",
    "endorse.ipynb": "the page where members endorse the draft joint response, or not.",
    "analysis.ipynb": "the same analysis as pandas DataFrames and altair charts, for going "
                      "further in Python.",
}
#: The workbooks a folder must hold for ``serve`` to serve it rather than the package's.
SERVED_REQUIRED = ("facilitator.ipynb", "member.ipynb", "results.ipynb", "endorse.ipynb")
#: The name of the README ``init`` writes beside the workbooks.
README = "README.md"


class FolderNotEmpty(ValidationError):
    """``init`` would overwrite files already in the folder; nothing was written.

    Its code is ``would-overwrite`` (field ``folder``).

    Attributes
    ----------
    folder : Path
        The folder.
    existing : list of Path
        The files that are there already.
    """

    def __init__(self, folder: Path, existing: list[Path]):
        self.folder = folder
        self.existing = existing
        super().__init__("folder", "would-overwrite", str(folder),
                         files=", ".join(path.name for path in existing))


@dataclass(frozen=True)
class InitResult:
    """What :func:`write_workbooks` wrote: the folder and its files, in writing order."""

    folder: Path
    files: tuple[Path, ...]


def workbook_files(folder: Path) -> list[Path]:
    """Return the files :func:`write_workbooks` writes into ``folder``, README last."""
    return [folder / name for name in WORKBOOKS] + [folder / README]


def readme_text(folder: Path) -> str:
    """Return the README written beside the workbooks in ``folder``."""
    lines = [
        "# Joint-response workbooks",
        "",
        "Written by `cop-widgets init`. The workbooks:",
        "",
        *[f"- `{name}`: {what}" for name, what in WORKBOOKS.items()],
        "",
        "## Next",
        "",
        "1. Serve the pages members open, from this folder:",
        "",
        "       cd " + _shell_word(str(folder)),
        "       cop-widgets serve",
        "",
        "   It prints the facilitator page's link (its key stays the same from one start "
        "to the next).",
        "",
        "2. Open the facilitator workbench in JupyterLab, from this folder:",
        "",
        "       jupyter lab facilitator.ipynb",
        "",
        "   and run its cell (Shift+Enter).",
        "",
        "## The database",
        "",
        "Both use `cop-widgets.db` in this folder (made at the first start), unless the "
        "environment variable `COP_WIDGETS_DB` names another database (`serve --db URL` "
        "for the server). Keep the folder private: the database holds the members' "
        "answers and links, and `cop-widgets.db.facilitator-key` the facilitator's key.",
        "",
        "To try everything on an example consultation first: `cop-widgets demo` in this "
        "folder.",
        "",
    ]
    return "\n".join(lines)


def _shell_word(text: str) -> str:
    """``text`` quoted for a POSIX shell when it needs it."""
    import shlex

    return shlex.quote(text)


def write_workbooks(folder: Path, *, force: bool = False) -> InitResult:
    """Copy the package's workbooks and a README into ``folder``.

    Every file is checked before any is written: without ``force``, if one of them exists
    already, nothing is written.

    Parameters
    ----------
    folder : Path
        Where to write; created (with its parents) if absent.
    force : bool
        Overwrite files of the same names.

    Returns
    -------
    InitResult

    Raises
    ------
    FolderNotEmpty
        If a file to write exists already and ``force`` is false.
    ValidationError
        ``not-a-folder`` if ``folder`` is a file.
    """
    folder = Path(folder).absolute()
    if folder.exists() and not folder.is_dir():
        raise ValidationError("folder", "not-a-folder", str(folder))
    files = workbook_files(folder)
    if not force:
        existing = [path for path in files if path.exists() or path.is_symlink()]
        if existing:
            raise FolderNotEmpty(folder, existing)
    source = workbooks_dir()
    contents = {folder / name: (source / name).read_bytes() for name in WORKBOOKS}
    contents[folder / README] = readme_text(folder).encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for path in files:
        if path.is_symlink():
            path.unlink()  # replace a link by the file, never write through it
        path.write_bytes(contents[path])
    return InitResult(folder, tuple(files))


def is_workbook_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the workbooks ``serve`` needs (as ``init`` writes them)."""
    return all((Path(folder) / name).is_file() for name in SERVED_REQUIRED)


def served_folder(cwd: Path | None = None) -> Path:
    """Return the folder ``serve`` serves: ``cwd`` if it holds the workbooks, else the package's.

    Parameters
    ----------
    cwd : Path, optional
        The working directory (by default the process's).
    """
    here = Path.cwd() if cwd is None else Path(cwd)
    return here.absolute() if is_workbook_folder(here) else workbooks_dir()
