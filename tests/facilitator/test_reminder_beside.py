"""The reminder result is beside "Prepare reminders" (issue 12, item 4).

The Participation tab showed what "Prepare reminders" did 700 px above the button.
"""

from __future__ import annotations

import helpers
import ipywidgets as w

from cop_widgets.widgets.participation import ParticipationPanel


def box_of(root, widget):
    for box in helpers.walk(root):
        if widget in tuple(getattr(box, "children", ()) or ()):
            return box
    raise AssertionError("not on the page")


def shown(root, message):
    return [x for x in helpers.walk(root) if isinstance(x, w.HTML) and x is not message
            and "cop-message" in x.value]


def test_reminders_and_refresh_report_beside_their_buttons(sqlite_store):
    seeded = helpers.seed_consultation(sqlite_store, members=3)
    panel = ParticipationPanel(sqlite_store, seeded.consultation.id)
    panel.reminder_button.click()
    assert panel.message.kind == "ok" and panel.message.text
    places = shown(panel, panel.message)
    assert len(places) == 1, "the message is not in a place beside a button"
    assert places[0] in box_of(panel, panel.reminder_button).children
    panel.refresh_button.click()
    assert panel.message.kind == "ok" and panel.message.text.startswith("Refreshed at ")
    [place] = shown(panel, panel.message)
    assert place in box_of(panel, panel.refresh_button).children
    assert place not in box_of(panel, panel.reminder_button).children
