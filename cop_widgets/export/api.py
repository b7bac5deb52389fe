"""A consultation's export: its files in memory, on disk, or as one download.

:func:`export_files` renders the files; ``cop-widgets export CONSULTATION --format
md|html|docx --out FILE`` writes them with :func:`export_consultation`, and the drafting
desk offers them as one browser download with :func:`export_download`, writing nothing on
the server.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ValidationError
from .report import build_report

if TYPE_CHECKING:
    from ..analysis.summary import ConsensusRule
    from ..store import Store

__all__ = ["FORMATS", "MIME_TYPES", "SUFFIXES", "export_consultation", "export_download",
           "export_files", "normalise_format"]

#: Accepted format names, each mapped to its canonical name.
FORMATS: dict[str, str] = {"md": "md", "markdown": "md", "html": "html", "htm": "html",
                           "docx": "docx", "word": "docx"}
#: The usual file suffix of each canonical format.
SUFFIXES: dict[str, str] = {"md": ".md", "html": ".html", "docx": ".docx"}
#: The media type of each canonical format's file.
MIME_TYPES: dict[str, str] = {
    "md": "text/markdown", "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


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


def export_files(store: Store, consultation_id: int, fmt: str, *, stem: str,
                 charts: bool = True, attribute: str | None = None,
                 rule: ConsensusRule | None = None,
                 language: str | None = None) -> dict[str, bytes]:
    """Render a consultation's export in memory.

    Parameters
    ----------
    stem : str
        The document's file name without its suffix; chart images of a Markdown export are
        named after it (``<stem>-divergence.png``, ...).
    store, consultation_id, fmt, charts, attribute, rule, language
        As for :func:`export_consultation`.

    Returns
    -------
    dict of str to bytes
        File name to content: the document first, then any chart images.

    """
    canonical = normalise_format(fmt)
    report = build_report(store, consultation_id, attribute=attribute, rule=rule,
                          language=language)
    name = stem + SUFFIXES[canonical]
    if canonical == "html":
        from .html import render_html

        return {name: render_html(report, charts=charts).encode("utf-8")}
    if canonical == "docx":
        from .docx import render_docx

        return {name: render_docx(report, charts=charts)}
    from .markdown import render_markdown

    text, images = render_markdown(report, charts=charts, stem=stem)
    return {name: text.encode("utf-8"), **images}


def export_download(store: Store, consultation_id: int, fmt: str, *, stem: str,
                    **options: object) -> tuple[str, str, bytes]:
    """Return a consultation's export as one file to download: name, media type, content.

    Nothing is written on disk. A Markdown export with chart images comes as one zip of
    the document and its images. ``options`` are :func:`export_files`'s.
    """
    files = export_files(store, consultation_id, fmt, stem=stem, **options)
    name, data = next(iter(files.items()))
    if len(files) == 1:
        return name, MIME_TYPES[normalise_format(fmt)], data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in files.items():
            archive.writestr(file_name, content)
    return stem + ".zip", "application/zip", buffer.getvalue()


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
    normalise_format(fmt)
    path = Path(out)
    if path.is_dir():
        raise ValidationError("out", "folder-not-file", str(path))
    files = export_files(store, consultation_id, fmt, stem=path.stem, charts=charts,
                         attribute=attribute, rule=rule, language=language)
    path.parent.mkdir(parents=True, exist_ok=True)
    document, *images = files
    written = [path, *(path.with_name(name) for name in images)]
    for image in written[1:]:
        _write(image, files[image.name])
    _write(path, files[document])  # last: the document appears once its images are there
    return written
