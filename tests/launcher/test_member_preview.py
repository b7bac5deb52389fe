"""The launcher's member preview: the demo's member page, in a database of its own.

The browser test (test_launcher.py) shows it rendered by Voila; this checks, in-process and
quickly, what it must never do: open the facilitator's own database (a preview link there
would revoke a member's), or show a refusal instead of a card.
"""

from __future__ import annotations

import ipywidgets as w
from helpers import html_of, walk

from cop_widgets.jupyter.preview import member_preview
from cop_widgets.widgets.member import MemberPage


def test_the_preview_is_a_blank_demo_card_outside_the_facilitators_database(
        tmp_path, monkeypatch):
    own = tmp_path / "own.db"
    monkeypatch.setenv("COP_WIDGETS_DB", f"sqlite:///{own}")
    monkeypatch.chdir(tmp_path)  # where the default cop-widgets.db would go

    preview = member_preview()

    assert not own.exists() and not (tmp_path / "cop-widgets.db").exists()
    (page,) = [x for x in walk(preview) if isinstance(x, MemberPage)]
    assert page.rows, "no card: the preview shows the member page's refusal"
    text = html_of(preview)
    assert "Preview" in text and "How should our network respond to the AI guidance?" in text
    assert "Welcome back" not in text  # a new member's blank card, not a seeded draft
    assert not any(isinstance(x, w.RadioButtons) and x.value is not None
                   for x in walk(page))
