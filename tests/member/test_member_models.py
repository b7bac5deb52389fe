"""The member page opens few widget models and shares only what no widget changes (issue 15).

Each widget model is opened by the kernel, kept by Voila's server while the page renders,
and sent again when the browser asks for the widgets' state: what one page costs the server
grows with them. The page was 169 models for the demo's 8 statements (14 per statement and
57 besides; 61 of them Layouts), because ipywidgets gives every widget a Layout and a style
of its own. Widgets that look alike now share them (``SharedLooks``), and a statement's
"Not answered yet" is part of its text: 65 models, 4 per statement and 33 besides
(``benchmarks/load.py`` reports the count of a served page).

Sharing is safe only while no widget changes a shared layout or style: a row hidden or
bordered through its layout would hide or border every widget sharing it. A flagged row is
given another shared layout instead.
"""

from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from cop_widgets.widgets.member import PASS, MemberPage

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

#: Models of a member page without a draft to answer, measured after the sharing: a
#: statement's row (its box, text, stance and reason) and everything else.
PER_STATEMENT, BESIDES = 4, 33


def opened_while(build):
    """Return what ``build()`` returns and the widget models opened while it ran."""
    before = set(_instances)
    result = build()
    return result, [_instances[key] for key in set(_instances) - before]


def test_the_page_opens_4_models_per_statement_and_33_besides_at_most(store, seeded):
    token = seeded.tokens[seeded.members[0].id]
    page, models = opened_while(lambda: MemberPage(store, seeded.consultation.id, token))
    assert page.refusal is None
    statements = len(seeded.statements)
    assert len(models) <= PER_STATEMENT * statements + BESIDES, \
        sorted(type(m).__name__ for m in models)
    # the layouts and styles are not one per widget, whatever the number of statements:
    # 8 layouts (7 shared, and the discussion's own) and 4 styles
    looks = [m for m in models if isinstance(m, (w.Layout, w.Style))]
    assert len(looks) <= 12, sorted(type(m).__name__ for m in looks)


def test_no_widget_changes_a_layout_or_style_it_shares(store, seeded):
    token = seeded.tokens[seeded.members[0].id]
    page = MemberPage(store, seeded.consultation.id, token)
    changed = []

    def record(change):
        changed.append((type(change["owner"]).__name__, change["name"], change["new"]))

    shared = page.looks.models()
    assert len(shared) >= 5
    for model in shared:
        model.observe(record)
    # answering one statement flags the others; then the card is saved, submitted, revised
    page.rows[0].stance.value = 1
    flagged = [row for row in page.rows if "cop-unanswered" in row._dom_classes]
    assert flagged == page.rows[1:]
    assert page.rows[0].layout.border_top == "1px solid #bdbdbd"
    assert all(row.layout.border_top == "2px solid #e65100" for row in flagged)
    page.save_draft.click()
    for row in page.rows:
        row.stance.value = PASS
    page.submit.click()
    assert page.message.kind == "ok", page.message.text
    assert not [row for row in page.rows if "cop-unanswered" in row._dom_classes]
    assert all(row.layout.border_top == "1px solid #bdbdbd" for row in page.rows)
    page.rows[1].stance.value = None
    assert changed == [], changed
