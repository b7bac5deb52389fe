"""Links in a draft open nothing that learns the member's URL (issue 11, item 11).

Member URLs carry their token: a link rendered from a draft gets ``rel="noopener noreferrer"``
so the page it opens receives no ``Referer`` and no ``window.opener``.
"""

from __future__ import annotations

import re

from helpers import html_of, seed_consultation

from cop_widgets.widgets.endorse import EndorsementPage
from cop_widgets.widgets.markdown_view import render_markdown

DRAFT = {"summary": "Read [the ministry's text](https://example.org/policy) first.",
         "divergent": "See <https://example.net/notes> and [mail](mailto:a@example.org)."}


def anchors(html: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>", html)


def test_every_link_of_a_rendered_draft_has_noopener_noreferrer():
    for text in DRAFT.values():
        found = anchors(render_markdown(text))
        assert found
        for anchor in found:
            assert 'rel="noopener noreferrer nofollow"' in anchor, anchor


def test_the_endorsement_page_renders_draft_links_with_noreferrer(store):
    seeded = seed_consultation(store)
    store.add_draft(seeded.consultation.id, DRAFT, share=True)
    page = EndorsementPage(store, seeded.consultation.id,
                           seeded.tokens[seeded.members[0].id])
    found = [a for a in anchors(html_of(page)) if "example." in a]
    assert len(found) == 3
    assert all("noopener noreferrer" in anchor for anchor in found)
