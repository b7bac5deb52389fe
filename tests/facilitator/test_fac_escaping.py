import re

import helpers

from cop_widgets import model as m
from cop_widgets.widgets.facilitator import FacilitatorWorkbench

EVIL_NAME = "<img src=x onerror=alert(1)>"
EVIL_STATEMENT = "<script>alert(1)</script>"
EVIL_ATTR = "<b onmouseover=alert(2)>North</b>"
RAW = re.compile(r"<\s*(img|script|b\s+onmouseover)", re.IGNORECASE)


def _assert_no_raw_member_markup(widget):
    values = helpers.html_values(widget)
    assert values
    for value in values:
        assert not RAW.search(value), value


def test_member_text_is_escaped_everywhere(sqlite_store):
    dev = sqlite_store.add_development(m.Development("policy", "<i>Policy</i> title"))
    c = sqlite_store.add_consultation(m.Consultation(dev.id, "Q", anonymous=False))
    sqlite_store.add_statement(m.Statement(c.id, "Facilitator statement"))
    [evil, plain] = sqlite_store.add_members([
        m.Member(c.id, EVIL_NAME, attributes={"region": EVIL_ATTR, EVIL_ATTR: "x"}),
        m.Member(c.id, "Plain", attributes={"region": "South"}),
    ])
    _inv, token = sqlite_store.add_invitation(evil.id)
    sqlite_store.add_invitation(plain.id)
    sqlite_store.open_consultation(c.id)
    sqlite_store.propose_statement(c.id, token, EVIL_STATEMENT)

    bench = FacilitatorWorkbench(sqlite_store)
    assert bench.settings.consultation_id == c.id
    _assert_no_raw_member_markup(bench)
    every_html = " ".join(helpers.html_values(bench))
    assert "&lt;img src=x onerror=alert(1)&gt;" in every_html  # shown, but escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in every_html

    # after actions that write new HTML: fresh links, an accepted proposal, a refresh
    bench.roster.member_picker.value = evil.id
    bench.roster.new_link_button.click()
    assert bench.roster.message.kind == "ok", bench.roster.message.text
    bench.statements.pending_rows[0].accept_button.click()
    bench.participation.refresh_button.click()
    _assert_no_raw_member_markup(bench)
    assert EVIL_NAME in bench.roster.links.value  # text-only widget: shown as typed

    # an error message quoting member text is escaped too
    bench.roster.name.value = EVIL_NAME
    bench.roster.email.value = EVIL_NAME
    bench.roster.add_button.click()
    assert bench.roster.message.kind == "error"
    _assert_no_raw_member_markup(bench)
