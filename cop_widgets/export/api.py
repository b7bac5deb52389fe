"""Write a consultation's export to disk: the call behind the CLI and the facilitator's button.

``cop-widgets export CONSULTATION --format md|html|docx --out FILE`` and the workbench's
export button both call :func:`export_consultation`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ValidationError
from .report import build_report

if TYPE_CHECKING:
    from ..analysis.summary import ConsensusRule
    from ..store import Store

__all__ = ["FORMATS", "SUFFIXES", "export_consultation", "normalise_format"]

#: Accepted format names, each mapped to its canonical name.
FORMATS: dict[str, str] = {"md": "md", "markdown": "md", "html": "html", "htm": "html",
                           "docx": "docx", "word": "docx"}
#: The usual file suffix of each canonical format.
SUFFIXES: dict[str, str] = {"md": ".md", "html": ".html", "docx": ".docx"}


def normalise_format(fmt: str) -> str:
    """Return the canonical format (``md``, ``html`` or ``docx``) for a name or suffix."""
    key = str(fmt).strip().lower().lstrip(".")
    if key not in FORMATS:
        raise ValidationError("format", "not-one-of", fmt, allowed="md, html, docx")
    return FORMATS[key]


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the new one."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; an export is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_consultation(store: Store, consultation_id: int, fmt: str, out: str | os.PathLike,
                        *, charts: bool = True, attribute: str | None = None,
                        rule: ConsensusRule | None = None,
                        language: str | None = None) -> list[Path]:
    """Export a consultation's joint response to a file (and its chart images, for Markdown).

    Parameters
    ----------
    store, consultation_id : Store, int
        The consultation to export, and where it lives.
    fmt : str
        ``"md"`` (or ``"markdown"``), ``"html"`` or ``"docx"``.
    out : str or path-like
        The file to write; its folder is created if missing. An existing file is replaced.
    charts : bool
        Include the charts: PNG files beside a Markdown file (``<stem>-divergence.png``,
        ...), inline SVG in HTML, PNG images in Word. When false, each figure keeps only its
        text, with a note that the chart was left out.
    attribute : str, optional
        Member attribute for the group comparison (default: the first attribute).
    rule : ConsensusRule, optional
        Classification thresholds (default: :class:`ConsensusRule`'s defaults).
    language : str, optional
        The language of the export (``en``, ``fr``, ``es``): headings, sentences, tables,
        charts, dates and numbers. By default the consultation's language. What members and
        the facilitator wrote (the saved draft included) is kept as written.

    Returns
    -------
    list of Path
        The files written: the export first, then any chart images.

    Raises
    ------
    ValidationError
        For an unknown format or attribute.
    NotFound
        If the consultation does not exist.

    """
    canonical = normalise_format(fmt)
    path = Path(out)
    if path.is_dir():
        raise ValidationError("out", "folder-not-file", str(path))
    report = build_report(store, consultation_id, attribute=attribute, rule=rule,
                          language=language)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = [path]
    if canonical == "html":
        from .html import render_html

        _write(path, render_html(report, charts=charts).encode("utf-8"))
    elif canonical == "docx":
        from .docx import render_docx

        _write(path, render_docx(report, charts=charts))
    else:
        from .markdown import render_markdown

        text, images = render_markdown(report, charts=charts, stem=path.stem)
        for name, data in images.items():
            image = path.with_name(name)
            _write(image, data)
            written.append(image)
        _write(path, text.encode("utf-8"))
    return written
