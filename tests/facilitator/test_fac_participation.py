import helpers

from cop_widgets import model as m
from cop_widgets.widgets.participation import ParticipationPanel

PEOPLE = [
    ("Ana Alves", {"role": "nurse", "region": "North"}),
    ("Bo Berg", {"role": "doctor", "region": "North"}),
    ("Chidi Okafor", {"role": "nurse", "region": "South"}),
    ("Dana Diaz", {"role": "nurse"}),
    ("Eve Ek", {"role": "doctor", "region": "South"}),  # never invited
]


def _setup(sqlite_store, development, anonymous):
    c = sqlite_store.add_consultation(m.Consultation(development.id, "Q", anonymous=anonymous))
    [s] = sqlite_store.add_statements([m.Statement(c.id, "S")])
    members = sqlite_store.add_members([m.Member(c.id, n, attributes=a) for n, a in PEOPLE])
    tokens = {mb.name: sqlite_store.add_invitation(mb.id)[1] for mb in members[:4]}
    sqlite_store.open_consultation(c.id)
    return c, s, tokens


def _answer(sqlite_store, c, s, token, status="submitted"):
    sqlite_store.save_card(c.id, token, [{"statement_id": s.id, "stance": 4}], status=status)


def _row(html, group):
    """Return the cells of the table row whose header is ``group``."""
    start = html.index(f"<th scope='row'>{group}</th>")
    row = html[start:html.index("</tr>", start)]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_counts_overall_and_by_attribute(sqlite_store, development):
    c, s, tokens = _setup(sqlite_store, development, anonymous=False)
    _answer(sqlite_store, c, s, tokens["Ana Alves"])
    _answer(sqlite_store, c, s, tokens["Chidi Okafor"])
    _answer(sqlite_store, c, s, tokens["Bo Berg"], status="draft")  # a draft is not an answer

    panel = ParticipationPanel(sqlite_store, c.id)
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


def test_refresh_button_and_method(sqlite_store, development):
    c, s, tokens = _setup(sqlite_store, development, anonymous=False)
    panel = ParticipationPanel(sqlite_store, c.id)
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["0"]
    _answer(sqlite_store, c, s, tokens["Ana Alves"])
    panel.refresh_button.click()
    assert panel.message.kind == "ok", panel.message.text
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["1"]
    for name in ("Bo Berg", "Chidi Okafor", "Dana Diaz"):
        _answer(sqlite_store, c, s, tokens[name])
    panel.refresh()
    assert _row(panel.summary.value, "Response rate") == ["100%"]
    assert "Every invited member has answered" in panel.not_responded.value


def test_anonymous_shows_counts_only(sqlite_store, development):
    c, s, tokens = _setup(sqlite_store, development, anonymous=True)
    _answer(sqlite_store, c, s, tokens["Ana Alves"])
    panel = ParticipationPanel(sqlite_store, c.id)
    html = " ".join(helpers.html_values(panel))
    for name, _attrs in PEOPLE:
        assert name not in html
    assert "anonymous" in panel.not_responded.value
    assert _row(panel.summary.value, "Responded (submitted a card)") == ["1"]


def test_empty_roster(sqlite_store, development):
    c = sqlite_store.add_consultation(m.Consultation(development.id, "Q"))
    panel = ParticipationPanel(sqlite_store, c.id)
    assert "No member on the roster" in panel.summary.value


def test_flags_the_groups_the_analysis_service_flags(sqlite_store, development, monkeypatch):
    """The panel reads the service's rule, so it flags what the export and the CLI flag."""
    from cop_widgets.model.policies import RepresentationRule
    from cop_widgets.services import analysis as service

    c, s, tokens = _setup(sqlite_store, development, anonymous=False)
    _answer(sqlite_store, c, s, tokens["Ana Alves"])
    _answer(sqlite_store, c, s, tokens["Chidi Okafor"])
    # a laxer rule than the default one, which flags the doctors (see above)
    monkeypatch.setattr(service, "RepresentationRule",
                        lambda: RepresentationRule(max_gap_points=50.0, min_rate_ratio=0.0))
    flagged = service.ConsultationAnalysis(sqlite_store, c.id).under_represented()
    assert flagged["role"] == []
    groups = ParticipationPanel(sqlite_store, c.id).by_attribute.value
    role = groups[groups.index("By role"):]
    assert _row(role, "doctor")[-1] == "no answer yet from this group"
    assert "\u26a0" not in groups  # no group flagged (the rule's explanation says the word)


def test_anonymous_merges_small_groups_and_still_flags_them(sqlite_store, development):
    """No region under 3 answering members is listed in an anonymous consultation; the
    facilitator still learns that a merged group is not heard (issue 11, item 4)."""
    c = sqlite_store.add_consultation(m.Consultation(development.id, "Q", anonymous=True))
    [s] = sqlite_store.add_statements([m.Statement(c.id, "S")])
    regions = ["Coast"] * 4 + ["Hills"] * 3 + ["Islands"] * 2
    members = sqlite_store.add_members([m.Member(c.id, f"Member {i}", attributes={
        "region": region}) for i, region in enumerate(regions)])
    tokens = [sqlite_store.add_invitation(mb.id)[1] for mb in members]
    sqlite_store.open_consultation(c.id)
    for token in tokens[:7]:  # nobody from the Islands answers
        _answer(sqlite_store, c, s, token)
    groups = ParticipationPanel(sqlite_store, c.id).by_attribute.value
    # the Islands alone as "(other groups)" would be the Islands: Hills, the smallest other
    # region, is merged with them
    assert "Islands" not in groups and "Hills" not in groups
    assert _row(groups, "Coast")[:3] == ["4", "4", "4"]
    # roster, invited, responded, rate, share of roster, share of answers, gap, note: the
    # merged row is flagged (13 points under its share), its regions are not named
    assert _row(groups, "(other groups)") == ["5", "5", "3", "60%", "56%", "43%", "-13",
                                              "\u26a0 under-represented"]
    assert "shown together as \u201c(other groups)\u201d" in groups
