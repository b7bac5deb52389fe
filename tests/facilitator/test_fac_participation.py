from cop_widgets import model as m
from cop_widgets.widgets.participation import ParticipationPanel

PEOPLE = [
    ("Ana Alves", {"role": "nurse", "region": "North"}),
    ("Bo Berg", {"role": "doctor", "region": "North"}),
    ("Chidi Okafor", {"role": "nurse", "region": "South"}),
    ("Dana Diaz", {"role": "nurse"}),
    ("Eve Ek", {"role": "doctor", "region": "South"}),  # never invited
]


def _setup(store, development, anonymous):
    c = store.add_consultation(m.Consultation(development.id, "Q", anonymous=anonymous))
    [s] = store.add_statements([m.Statement(c.id, "S")])
    members = store.add_members([m.Member(c.id, n, attributes=a) for n, a in PEOPLE])
    tokens = {mb.name: store.add_invitation(mb.id)[1] for mb in members[:4]}
    store.open_consultation(c.id)
    return c, s, tokens


def _answer(store, c, s, token, status="submitted"):
    store.save_card(c.id, token, [{"statement_id": s.id, "stance": 4}], status=status)


def _row(html, group):
    """Return the cells of the table row whose header is ``group``."""
    start = html.index(f"<th scope='row'>{group}</th>")
    row = html[start:html.index("</tr>", start)]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_counts_overall_and_by_attribute(store, development):
    c, s, tokens = _setup(store, development, anonymous=False)
    _answer(store, c, s, tokens["Ana Alves"])
    _answer(store, c, s, tokens["Chidi Okafor"])
    _answer(store, c, s, tokens["Bo Berg"], status="draft")  # a draft is not an answer

    panel = ParticipationPanel(store, c.id)
    summary = panel.summary.value
    assert _row(summary, "On the roster") == ["5"]
    assert _row(summary, "Invited (working link)") == ["4"]
    assert _row(summary, "Responded (submitted a card)") == ["2"]
    assert _row(summary, "Response rate") == ["50%"]

    groups = panel.by_attribute.value
    assert "By region" in groups and "By role" in groups
    role = groups[groups.index("By role"):]
    # roster, invited, responded, rate, share of roster, share of answers, gap, note
    assert _row(role, "nurse") == ["3", "3", "2", "67%", "60%", "100%", "+40", ""]
    assert _row(role, "doctor") == ["2", "1", "0", "0%", "40%", "0%", "-40",
                                    "\u26a0 under-represented"]
    region = groups[groups.index("By region"):groups.index("By role")]
    assert _row(region, "North")[:4] == ["2", "2", "1", "50%"]
    assert _row(region, "(not given)")[-1] == "\u26a0 under-represented"

    waiting = panel.not_responded.value
    assert "Bo Berg" in waiting and "Dana Diaz" in waiting
    assert "Ana Alves" not in waiting and "Eve Ek" not in waiting  # Eve is not invited


def test_refresh_button_and_method(store, development):
    c, s, tokens = _setup(store, development, anonymous=False)
    panel = ParticipationPanel(store, c.id)
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["0"]
    _answer(store, c, s, tokens["Ana Alves"])
    panel.refresh_button.click()
    assert panel.message.kind == "ok", panel.message.text
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["1"]
    for name in ("Bo Berg", "Chidi Okafor", "Dana Diaz"):
        _answer(store, c, s, tokens[name])
    panel.refresh()
    assert _row(panel.summary.value, "Response rate") == ["100%"]
    assert "Every invited member has answered" in panel.not_responded.value


def test_anonymous_shows_counts_only(store, development, helpers):
    c, s, tokens = _setup(store, development, anonymous=True)
    _answer(store, c, s, tokens["Ana Alves"])
    panel = ParticipationPanel(store, c.id)
    html = " ".join(helpers.html_values(panel))
    for name, _attrs in PEOPLE:
        assert name not in html
    assert "anonymous" in panel.not_responded.value
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["1"]


def test_empty_roster(store, development):
    c = store.add_consultation(m.Consultation(development.id, "Q"))
    panel = ParticipationPanel(store, c.id)
    assert "No member on the roster" in panel.summary.value
