"""Pages that fit their frame (issue 12, item 3), at 390 px (a phone) and at 1280 px.

A real ``cop-widgets serve`` (the ``live`` fixture) serves one Kaner-scale consultation with
long statements, long labels and a request for opinion, answered by four of six members,
with a discussion of reasons open (a reason marked "Speaks for me too", a reply accepted and
one waiting, a stance revised) and a version of the joint response put to the members. On
the Divergence tab (with "What we learned from each other"), the Discussion tab, every other
tab of the facilitator page, and the member, results and endorsement pages, the test checks
in the browser that:

- the page is no wider than the window, and no control, label, text box, table cell, chart
  or text sticks out of the window or is cut by the box around it (a wide table may scroll
  inside its own box, as tables do on phones);
- no button, label, tab title, text box or drop-down cuts its own words (its ``scrollWidth``
  fits its ``clientWidth``; a drop-down shows its whole choice unless the choice is wider
  than the whole box it sits in), and no text box spills out of its field over the next;
- every legend entry of every chart is whole (not ending in "…"), inside its drawing, and
  legible (a drawing too wide for its panel, shrunk to fit, would draw it tiny);
- a labelled field's label sits above the field on a phone and beside it on a wide page
  (the Settings tab's date and its drop-down of when members see the results).

Each page is photographed at both widths into ``$COP_WIDGETS_FIT_SHOTS`` (default: pytest's
temporary folder), to be looked at.
"""

from __future__ import annotations

import os
import re
import types
from pathlib import Path

import pytest
from expect_or_skip import expect
from fit_measure import LABEL_AND_FIELD, MEASURE

from cop_widgets import model as m
from cop_widgets.links import endorse_link

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
#: How long the Divergence tab may take to draw its charts (on 2 busy cores).
CHARTS_MS = 90_000
TITLE = "Fit test: how should our network answer the ministry's request for our opinion?"
STATEMENTS = (
    "Our community should ask the ministry to delay the start date by one year so that "
    "tutors can be trained first",
    "Learners should be told whenever an AI tool helped prepare their materials",
    "A person must check every piece of AI-generated feedback before a learner sees it",
    "Volunteers need paid training before they use these tools with learners",
)
#: Kaner levels given by the four members who answer, statement by statement.
ANSWERS = ((8, 4, 7, 1), (6, 3, 8, 2), (5, 8, 4, 3), (7, 7, 2, 8))



@pytest.fixture(scope="module")
def fit(live) -> types.SimpleNamespace:
    """One Kaner consultation with long words everywhere, answered by four of six members."""
    store = live.store
    development = store.add_development(m.Development(
        "request_for_opinion",
        "Ministry guidance: AI writing assistants in adult-education classrooms",
        summary="The ministry asks for our opinion before it issues the guidance.",
        requester="Ministry of Education, Adult Learning Directorate",
        requester_deadline="2027-04-30", questions=("What should the guidance say?",)))
    consultation = store.add_consultation(m.Consultation(
        development.id, TITLE, scale="kaner8", visibility="after_submission"))
    cid = consultation.id
    statements = store.add_statements([m.Statement(cid, text) for text in STATEMENTS])
    roster = store.add_members([
        m.Member(cid, f"Member {i + 1}", attributes={
            "region": ("North", "South", "East", "West")[i % 4],
            "role": ("tutor", "coordinator")[i % 2]}) for i in range(6)])
    tokens = {member.id: store.add_invitation(member.id)[1] for member in roster}
    store.open_consultation(cid)
    for member, levels in zip(roster, ANSWERS, strict=False):
        store.save_card(cid, tokens[member.id], [
            m.StanceResponse(s.id, level, "Because the tutors need time to learn the tools.")
            for s, level in zip(statements, levels, strict=True)],
            concerns="Training first.", impact="More preparation time.")
    # The discussion of reasons (issue 13): open, one reason shown to two members and
    # marked "Speaks for me too", one reply accepted, one stance revised crediting it.
    from cop_widgets.services.deliberation import open_discussion

    open_discussion(store, cid)
    key = (statements[1].id, roster[0].id)
    reader, mover = tokens[roster[1].id], tokens[roster[2].id]
    for token in (reader, mover):
        store.record_impressions(cid, token, [key])
    store.set_reason_endorsement(cid, reader, key, True)
    reply = store.add_reply(cid, reader, key, "Who trains the volunteers who are not tutors, "
                            "and who pays for their time?")
    store.moderate_reply(reply.id, m.ModerationState.ACCEPTED)
    store.add_reply(cid, mover, key, "Could the ministry fund a pilot in one region first?")
    store.revise_stance(cid, mover, statements[1].id, 4, credit=key)
    store.add_draft(cid, {"consensus": "We agree that a person checks AI feedback.",
                          "recommendations": "Train the tutors before the start date."},
                    share=True)
    found = re.search(r"Facilitator page: (\S+)", Path(live.stdout).read_text())
    assert found, "the server printed no facilitator link"
    return types.SimpleNamespace(
        id=cid, facilitator=found.group(1),
        member=live.member_link(cid, tokens[roster[5].id]),  # has not answered yet
        answered=tokens[roster[0].id],
        endorse=endorse_link(live.base_url, cid, tokens[roster[1].id]),
        results=f"{live.results_link(cid)}&t={tokens[roster[0].id]}")


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("COP_WIDGETS_FIT_SHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("fit-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_at(open_page, url: str, width: int, root: str):
    visit = open_page(url, ready=None, navigate=False)
    visit.page.set_viewport_size({"width": width, "height": 900})
    visit.page.goto(url)
    visit.page.locator(root).first.wait_for(state="visible")
    return visit


#: The workbench's tab titles, and the panel of the tab shown.
TABS = ".jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab"
PANEL = ".jupyter-widget-tab > .widget-tab-contents > :not(.lm-mod-hidden)"


def choose_the_fit_consultation(page) -> None:
    """Pick the fit test's consultation in the workbench's consultation picker."""
    picker = page.get_by_label("Consultation", exact=True)
    option = picker.locator("option", has_text=TITLE)
    expect(option).to_have_count(1)
    picker.select_option(option.get_attribute("value"))


def open_tab(page, tab):
    """Click the tab title ``tab`` (a locator), wait until it is current; its panel."""
    tab.click()
    expect(tab).to_have_class(re.compile("lm-mod-current"))
    return page.locator(PANEL)


def check(page, what: str, shots: Path, name: str, *, charts: bool = False) -> None:
    """Measure the page; photograph it whole; fail with every problem found."""
    page.wait_for_timeout(500)  # ipywidgets lays out after the last message
    found = page.evaluate(MEASURE)
    photograph(page, shots / f"{name}.png")
    assert found["checked"] > 10, f"{what}: nothing was measured"
    if charts:
        assert found["legends"] > 0, f"{what}: no chart legend was shown"
    assert not found["problems"], f"{what}:\n" + "\n".join(found["problems"])


def photograph(page, path: Path) -> None:
    """The whole page (Voila scrolls inside #rendered_cells, so the window grows to it)."""
    size = page.viewport_size
    height = page.evaluate("() => Math.max(document.documentElement.scrollHeight, "
                           "document.querySelector('#rendered_cells')?.scrollHeight || 0)")
    page.set_viewport_size({"width": size["width"], "height": min(height + 40, 16000)})
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_facilitator_tab_fits(fit, open_page, shots, width):
    visit = open_at(open_page, fit.facilitator, width, ".lm-TabBar-tab")
    page = visit.page
    choose_the_fit_consultation(page)
    tabs = page.locator(TABS)
    expect(tabs).to_have_count(8)
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        title = tab.inner_text().strip()
        panel = open_tab(page, tab)
        if title == "Divergence":
            # the browser draws the charts (widgets.figure_view): the one that fits shows
            drawn = panel.locator(".cop-figure svg.marks:visible").first
            expect(drawn).to_be_visible(timeout=CHARTS_MS)
            expect(panel).to_contain_text("Where the community agrees and splits")
            expect(panel.locator("table.cop-learned")).to_be_visible()
        elif title == "Discussion":
            expect(panel.locator("table.cop-ranking")).to_be_visible(timeout=CHARTS_MS)
            expect(panel.get_by_role("button", name="Accept")).to_be_visible()
        elif title == "Joint response":
            expect(panel.locator("textarea").first).to_be_visible(timeout=CHARTS_MS)
            # each section's label above its box, the boxes lined up, at every width
            lefts = set()
            for name in ("The development and our question", "Points of consensus",
                         "Minority views", "Recommendations"):
                found = panel.get_by_label(name, exact=True).evaluate(LABEL_AND_FIELD)
                words, box = found["label"], found["field"]
                assert words["bottom"] <= box["top"] + 1, (name, found)
                lefts.add(round(box["left"]))
            assert len(lefts) == 1, lefts
        check(page, f"facilitator page, tab {title!r}, at {width} px", shots,
              f"facilitator-{index}-{width}", charts=title == "Divergence")
    assert visit.page_errors == []


#: Fields of the Settings tab whose label must sit above them on a phone: a date and a
#: drop-down, whose labels cut them short when beside them ("04/30/2", "aft").
LABELLED_FIELDS = ("Deadline date (UTC, optional)", "Members see the community's results")


@pytest.mark.parametrize("width", WIDTHS)
def test_labels_sit_above_their_fields_on_a_phone(fit, open_page, width):
    visit = open_at(open_page, fit.facilitator, width, ".lm-TabBar-tab")
    choose_the_fit_consultation(visit.page)
    panel = open_tab(visit.page, visit.page.locator(TABS, has_text="Settings"))
    for label in LABELLED_FIELDS:
        field = panel.get_by_label(label, exact=True)
        expect(field).to_be_visible()
        found = field.evaluate(LABEL_AND_FIELD)
        words, box = found["label"], found["field"]
        assert words is not None and found["text"] == label, found
        if width < 640:  # above it, from the same left edge
            assert words["bottom"] <= box["top"] + 1, (label, found)
            assert abs(words["left"] - box["left"]) <= 2, (label, found)
        else:  # on the same line, to its left
            assert words["right"] <= box["left"] + 1, (label, found)
            assert words["top"] < box["bottom"] and box["top"] < words["bottom"], (label, found)
    assert visit.page_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_member_page_fits(fit, open_page, shots, width):
    visit = open_at(open_page, fit.member, width, ".cop-member-page .cop-card")
    page = visit.page
    page.locator(".cop-statement input[type=radio]").first.wait_for(state="visible")
    for label in ("Overall concerns (optional)", "Impact on your own practice (optional)",
                  "Propose a new statement"):
        expect(page.get_by_label(label)).to_be_visible()
    check(page, f"member page at {width} px", shots, f"member-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_results_page_fits(fit, open_page, shots, width):
    visit = open_at(open_page, fit.results, width, ".cop-results-page")
    expect(visit.page.locator(".cop-results-page .cop-distribution").first).to_be_visible()
    check(visit.page, f"results page at {width} px", shots, f"results-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_endorsement_page_fits(fit, open_page, shots, width):
    visit = open_at(open_page, fit.endorse, width, ".cop-endorse-page")
    page = visit.page
    expect(page.get_by_label("Why? (needed to block)")).to_be_visible()
    page.get_by_role("radio", name="I block it (please say why)").check()
    page.get_by_label("Why? (needed to block)").fill(
        "It leaves volunteers out, and nobody asked the learners what they think of it.")
    check(page, f"endorsement page at {width} px", shots, f"endorse-{width}")
