"""Markdown to safe HTML for widgets: raw HTML in the text is escaped, links validated."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["render_markdown"]


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # html=False: any raw HTML in the Markdown (from members or pasted) is shown as text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text: str) -> str:
    """Return ``text`` rendered to HTML, with raw HTML escaped and unsafe links refused."""
    return _parser().render(text or "")
