"""One self-contained HTML file: inline CSS, charts inline as SVG, nothing fetched.

Plain text is escaped with :func:`html.escape`; draft sections go through markdown-it-py
with raw HTML off (tags show as text, links are validated). The page carries a Content
Security Policy that forbids scripts and every external load, as a second line of defence.
Charts are rendered offline by vl-convert and embedded only after a check that the SVG
holds no script, event handler, external reference or embedded object. The page's ``lang``
is the report's language, which every word of the layout is written in.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from ..i18n import translator
from . import _markdown
from . import blocks as b
from .document import build_document
from .report import Report

__all__ = ["render_html", "safe_svg", "CSP"]

#: Content Security Policy of the exported page: no script, nothing loaded from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"

_CSS = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.25rem 0 .75rem; padding-bottom: .25rem;
     border-bottom: 2px solid #0072B2; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
blockquote { margin: .5rem 0 .75rem; padding: .25rem .9rem; border-left: 4px solid #E69F00;
             background: #fdf6ea; }
blockquote p { margin: .25rem 0; }
.note { color: #555; font-style: italic; }
.table { overflow-x: auto; margin: .5rem 0 1.25rem; }
table { border-collapse: collapse; font-size: .9rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding-bottom: .35rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.text { min-width: 12rem; }
.flag { color: #a33; font-weight: 600; }
figure { margin: 1.25rem 0; break-inside: avoid; }
figure .chart { overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #333; margin-top: .35rem; }
code, pre { font-family: ui-monospace, Consolas, monospace; font-size: .9em; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; }
@media print { main { max-width: none; padding: 0; } a { color: inherit; } }
""".strip()

_UNSAFE_ELEMENTS = frozenset({
    "script", "foreignobject", "iframe", "object", "embed", "image", "img", "a", "use",
    "animate", "set", "animatemotion", "animatetransform", "handler", "listener", "style",
    "link", "audio", "video", "feimage",
})
_URL_CALL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def safe_svg(svg: str) -> str | None:
    """Return ``svg`` ready to inline in HTML, or ``None`` if it is not provably inert.

    Inert means: well-formed XML without a DOCTYPE, no element that runs or loads
    anything (script, foreignObject, image, use, a, animation, style...), no ``on*``
    attribute, and no reference (``href``, ``url(...)``) other than to a fragment of the
    same SVG.
    """
    if re.search(r"<!DOCTYPE|<!ENTITY", svg, re.IGNORECASE):
        return None
    try:
        root = ET.fromstring(_PROLOG.sub("", svg))
    except ET.ParseError:
        return None
    if _local(root.tag) != "svg":
        return None
    for element in root.iter():
        if _local(element.tag) in _UNSAFE_ELEMENTS:
            return None
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                return None
            if local in ("href", "src") and not value.startswith("#"):
                return None
            if any(not target.startswith("#") for target in _URL_CALL.findall(value)):
                return None
    return _PROLOG.sub("", svg).strip()


def _e(text: object) -> str:
    return html.escape(_markdown.clean_text(str(text)), quote=True)


def _spans(spans: tuple[b.Span, ...]) -> str:
    out = []
    for span in spans:
        text = _e(span.text)
        if span.href:
            text = f'<a href="{_e(span.href)}" rel="noopener noreferrer nofollow">{text}</a>'
        if span.italic:
            text = f"<em>{text}</em>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


class _Writer(b.BlockWriter):
    """Write blocks as HTML elements, one string a block; charts as inert inline SVG."""

    def __init__(self, charts: bool):
        self.charts = charts
        self.parts: list[str] = []

    def heading(self, block: b.Heading) -> None:
        self.parts.append(f"<h{block.level}>{_e(block.text)}</h{block.level}>")

    def paragraph(self, block: b.Paragraph) -> None:
        cls = ' class="note"' if block.note else ""
        self.parts.append(f"<p{cls}>{_spans(block.spans)}</p>")

    def item_list(self, block: b.ItemList) -> None:
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{_e(item)}</li>" for item in block.items)
        self.parts.append(f"<{tag}>{items}</{tag}>")

    def quote(self, block: b.Quote) -> None:
        self.parts.append("<blockquote>" + "".join(f"<p>{_e(p)}</p>" for p in block.paragraphs)
                          + "</blockquote>")

    def markdown(self, block: b.MarkdownBody) -> None:
        self.parts.append(_markdown.render_html(block.source, block.heading_offset))

    def table(self, block: b.Table) -> None:
        wide = block.text_column if block.text_column is not None else (
            1 if len(block.header) > 4 else None)

        def cell(tag: str, i: int, text: str) -> str:
            cls = []
            if i in block.numeric:
                cls.append("num")
            elif tag == "td" and i == wide:
                cls.append("text")
            if tag == "td" and i == block.flag_column and text:
                cls.append("flag")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            scope = ' scope="col"' if tag == "th" else ""
            return f"<{tag}{attr}{scope}>{_e(text)}</{tag}>"

        head = "".join(cell("th", i, h) for i, h in enumerate(block.header))
        body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row))
                       + "</tr>" for row in block.rows)
        self.parts.append(f'<div class="table"><table><caption>{_e(block.caption)}</caption>'
                          f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")

    def figure(self, block: b.FigureBlock) -> None:
        figure = block.item.figure
        caption = f"<strong>{_e(block.caption_title)}.</strong> "
        if not self.charts:
            self.parts.append(f'<figure><figcaption>{caption}<span class="note">'
                              f"({_e(block.left_out)})</span> {_e(figure.text)}</figcaption>"
                              "</figure>")
            return
        from ..charts.render import to_svg

        svg = safe_svg(to_svg(figure.chart))
        if svg is None:
            _ = translator(block.language)
            body = '<p class="note">' + _e(_("The chart could not be embedded safely and "
                                              "was left out; the caption gives the same "
                                              "numbers.")) + "</p>"
        else:
            label = _e(block.caption_title)
            body = f'<div class="chart" role="img" aria-label="{label}">{svg}</div>'
        self.parts.append(f"<figure>{body}<figcaption>{caption}{_e(figure.text)}"
                          "</figcaption></figure>")


def render_html(report: Report, *, charts: bool = True) -> str:
    """Render a report as one self-contained HTML page.

    Parameters
    ----------
    report : Report
        From :func:`~cop_widgets.export.report.build_report`.
    charts : bool
        Embed the charts as inline SVG; when false each figure keeps only its text.

    Returns
    -------
    str
        The whole page, its ``lang`` the report's language. It loads nothing: styles are
        inline, charts are inline SVG, and no script is present.

    """
    writer = _Writer(charts)
    writer.write(build_document(report))
    _ = translator(report.language)
    title = _e(_("Joint response: {title}").format(title=report.development.title))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(report.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="cop-widgets">\n'
        f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(writer.parts)
        + "\n</main>\n</body>\n</html>\n"
    )
