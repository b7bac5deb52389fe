"""Markdown to safe HTML for widgets, with the exports' parser.

Raw HTML in the text is shown as text, links are validated, and images are off: a member's
browser fetches nothing that a draft names (a remote image would be a request to another
host, and a tracker). See :mod:`cop_widgets.export._markdown`.
"""

from __future__ import annotations

__all__ = ["render_markdown"]


def render_markdown(text: str) -> str:
    """Return ``text`` rendered to HTML: raw HTML escaped, unsafe links and images refused.

    Every link gets ``rel="noopener noreferrer nofollow"``: the page it opens learns nothing
    of the page it came from, whose URL carries the member's token.
    """
    from ..export._markdown import parser, tokens

    md = parser()
    return md.renderer.render(tokens(text or ""), md.options, {})
