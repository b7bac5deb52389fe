"""Markdown in, safely: one parser for every format, and a safe Markdown re-emitter.

Draft sections are Markdown written by the analysis and edited by the facilitator, and may
quote members. They are parsed once by markdown-it-py with raw HTML off (``html=False``:
tags become literal text) and images off (no remote image can be fetched when the export is
opened); links are validated by markdown-it (``javascript:``, ``vbscript:``, ``file:`` and
``data:`` links stay plain text). Each format then renders the same tokens:

- HTML through markdown-it's own renderer, which escapes text and attributes;
- Word by walking the syntax tree (:mod:`cop_widgets.export.docx`);
- Markdown by re-emitting the tree with every text escaped (:func:`to_markdown`), so that
  even a viewer that renders raw HTML shows the member's tags as text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from ..words.draft import md_escape

__all__ = ["parser", "tokens", "tree", "render_html", "to_markdown", "md_text",
           "clean_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LEADING_ESCAPE = re.compile(r"^\\([#+=-])")
_NUMBER_ESCAPE = re.compile(r"^(\d+)\\([.)])")


def clean_text(text: str) -> str:
    """Drop control characters that XML (Word) and some viewers refuse; keep tabs, newlines."""
    return _CONTROL.sub("", str(text))


def md_text(text: object, *, line_start: bool = True) -> str:
    """Escape text for Markdown so that it renders literally, on one line.

    Parameters
    ----------
    text : object
        Plain text (member text included).
    line_start : bool
        Whether the text may begin a line, where ``#``, ``-``, ``+``, ``=`` or ``1.``
        would start a block. When false (inside a line, or a table cell) those leading
        escapes of :func:`~cop_widgets.words.draft.md_escape` are dropped for
        readability; every other escape stays.

    Returns
    -------
    str
        :func:`~cop_widgets.words.draft.md_escape` of the text, control characters
        removed.

    """
    escaped = md_escape(clean_text(str(text)))
    if not line_start:
        escaped = _LEADING_ESCAPE.sub(r"\1", escaped, count=1)
        escaped = _NUMBER_ESCAPE.sub(r"\1\2", escaped, count=1)
    return escaped


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """Return the CommonMark parser: raw HTML and images off, links validated."""
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def tokens(source: str, heading_offset: int = 0) -> list[Token]:
    """Parse ``source``, pushing headings ``heading_offset`` levels down (at most h6)."""
    result = parser().parse(clean_text(source or ""))
    for token in result:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1:]) + heading_offset, 6)
            token.tag = f"h{level}"
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "link_open":
                    child.attrSet("rel", "noopener noreferrer nofollow")
    return result


def tree(source: str, heading_offset: int = 0) -> SyntaxTreeNode:
    """Return the syntax tree of ``source`` (see :func:`tokens`)."""
    return SyntaxTreeNode(tokens(source, heading_offset))


def render_html(source: str, heading_offset: int = 0) -> str:
    """Render ``source`` to HTML: text and attributes escaped, raw HTML shown as text."""
    md = parser()
    return md.renderer.render(tokens(source, heading_offset), md.options, {})


# -- Markdown re-emitter ------------------------------------------------------------------


def to_markdown(source: str, heading_offset: int = 0) -> str:
    """Re-emit ``source`` as Markdown whose every text is escaped.

    The structure (headings, paragraphs, lists, block quotes, emphasis, code, validated
    links) is kept; anything that would render as raw HTML or as an unsafe link is text.
    """
    lines = _blocks(tree(source, heading_offset).children, tight=False)
    return "\n".join(lines).strip("\n")


def _blocks(nodes: list[SyntaxTreeNode], tight: bool) -> list[str]:
    out: list[str] = []
    for node in nodes:
        lines = _block(node)
        if not lines:
            continue
        if out and not tight:
            out.append("")
        out.extend(lines)
    return out


def _fence(content: str, char: str = "`") -> str:
    longest = max((len(m) for m in re.findall(f"{re.escape(char)}+", content)), default=0)
    return char * max(3, longest + 1)


def _block(node: SyntaxTreeNode) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return _inline_of(node).split("\n")
    if kind == "heading":
        text = " ".join(_inline_of(node).split("\n"))
        return ["#" * int(node.tag[1:]) + " " + text]
    if kind in ("bullet_list", "ordered_list"):
        tight = bool(node.children) and all(
            child.hidden for item in node.children for child in item.children
            if child.type == "paragraph")
        start = int(node.attrs.get("start", 1) or 1) if kind == "ordered_list" else 1
        out: list[str] = []
        for i, item in enumerate(node.children):
            marker = "- " if kind == "bullet_list" else f"{start + i}. "
            body = _blocks(item.children, tight=tight) or [""]
            if out and not tight:
                out.append("")
            out.append(marker + body[0])
            out.extend((" " * len(marker) + line) if line else "" for line in body[1:])
        return out
    if kind == "blockquote":
        return [("> " + line) if line else ">" for line in _blocks(node.children, False)]
    if kind in ("fence", "code_block"):
        content = node.content.rstrip("\n")
        fence = _fence(content)
        return [fence, *content.split("\n"), fence]
    if kind == "hr":
        return ["***"]
    if node.children:
        return _blocks(node.children, tight=False)
    return [md_text(node.content)] if node.content.strip() else []


def _inline_of(node: SyntaxTreeNode) -> str:
    parts = []
    for child in node.children:
        if child.type == "inline":
            parts.append(_inline(child.children, line_start=True))
    return "".join(parts)


def _inline(nodes: list[SyntaxTreeNode], *, line_start: bool) -> str:
    out = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "text_special"):
            content = node.content
            core = md_text(content, line_start=line_start and not content[:1].isspace())
            lead = " " if content[:1].isspace() else ""
            trail = " " if core and content[-1:].isspace() else ""
            out.append(lead + core + trail)
        elif kind == "softbreak":
            out.append("\n")
        elif kind == "hardbreak":
            out.append("\\\n")
        elif kind == "em":
            out.append("*" + _inline(node.children, line_start=False) + "*")
        elif kind == "strong":
            out.append("**" + _inline(node.children, line_start=False) + "**")
        elif kind == "code_inline":
            content = clean_text(node.content).replace("\n", " ")
            ticks = "`" * (max((len(m) for m in re.findall("`+", content)), default=0) + 1)
            pad = " " if content.startswith("`") or content.endswith("`") else ""
            out.append(f"{ticks}{pad}{content}{pad}{ticks}")
        elif kind == "link":
            href = str(node.attrs.get("href", ""))
            href = href.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
            out.append("[" + _inline(node.children, line_start=False) + "](" + href + ")")
        elif node.children:
            out.append(_inline(node.children, line_start=line_start))
        else:
            out.append(md_text(node.content, line_start=line_start))
        line_start = kind in ("softbreak", "hardbreak")
    return "".join(out)
