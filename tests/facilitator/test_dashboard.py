"""The divergence dashboard: live charts for the facilitator."""

from __future__ import annotations

import pytest
from helpers import html_of

from cop_widgets.demo import seed_demo
from cop_widgets.store import Store
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.facilitator import TAB_TITLES, FacilitatorWorkbench


@pytest.fixture
def anonymous_demo(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/demo.db")
    seeded = seed_demo(store, members=24, silent=4)
    yield store, seeded
    store.close()


def test_dashboard_draws_every_section_with_text_alternatives(anonymous_demo):
    store, seeded = anonymous_demo
    dash = DivergenceDashboard(store, seeded.consultation_id)
    assert dash.attribute_picker.value == "region"
    assert f"<strong>{len(seeded.responded)}</strong> of 24" in dash.summary.value
    # The page's browser draws the figures: the kernel sends each one's specification, wide
    # and narrow, and its text alternative.
    assert len(dash.divergence.specs) == 2 and '<p class="cop-figcaption">' in dash.divergence.value
    first = store.list_statements(seeded.consultation_id)[0].text
    assert first.split()[0] in dash.divergence.shown
    assert "by region" in dash.comparison.value
    assert "Who has been heard" in dash.participation.value
    dash.attribute_picker.value = "role"
    assert "by role" in dash.comparison.value


def test_dashboard_notices_new_cards(anonymous_demo):
    store, seeded = anonymous_demo
    dash = DivergenceDashboard(store, seeded.consultation_id)
    assert dash.poll_once() is False
    silent = next(mid for mid in seeded.tokens if mid not in seeded.responded)
    statement = store.list_statements(seeded.consultation_id)[0]
    store.save_card(seeded.consultation_id, seeded.tokens[silent],
                    [{"statement_id": statement.id, "stance": 1}])
    assert dash.poll_once() is True
    assert f"<strong>{len(seeded.responded) + 1}</strong>" in dash.summary.value


def test_dashboard_shows_no_names_and_escapes_text(anonymous_demo):
    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    store.update_member(next(iter(seeded.tokens)), attributes={"role": "<img src=x>",
                                                              "region": "North"})
    dash = DivergenceDashboard(store, cid, attribute="role")
    text = html_of(dash)
    assert "<img src=x>" not in text
    for name in seeded.names.values():
        assert name not in text


def test_empty_consultation_says_so(anonymous_demo):
    store, seeded = anonymous_demo
    from cop_widgets import model as m

    other = store.add_consultation(m.Consultation(seeded.development_id, "Nothing yet"))
    dash = DivergenceDashboard(store, other.id)
    assert "No positions submitted yet" in dash.divergence.value


def test_workbench_builds_the_dashboard_when_its_tab_opens(anonymous_demo):
    store, seeded = anonymous_demo
    bench = FacilitatorWorkbench(store)
    assert bench.dashboard is None
    bench.tabs.selected_index = TAB_TITLES.index("Divergence")
    assert isinstance(bench.dashboard, DivergenceDashboard)


def test_dashboard_shows_weighted_beside_raw(anonymous_demo):
    store, seeded = anonymous_demo
    dash = DivergenceDashboard(store, seeded.consultation_id, attribute="role")
    assert "Results weighted to the roster (by role)" in dash.weighted.value
    assert "Agree (weighted)" in dash.weighted.value
    assert "roster" in dash.weighted.value


@pytest.mark.parametrize("anonymous", [True, False])
def test_a_group_of_one_is_compared_only_when_named(tmp_path, anonymous):
    """In an anonymous consultation a group of one answering member is as good as a name.

    Left out, it would still follow by subtraction, so it is merged into "(other groups)"
    with the smallest other region, and the page says so. The demo is seeded named or
    anonymous: anonymity cannot be turned off once members have answered.
    """
    from cop_widgets import model as m
    from cop_widgets.services.analysis import ConsultationAnalysis

    store = Store(f"sqlite:///{tmp_path}/demo.db")
    seeded = seed_demo(store, members=24, silent=4, anonymous=anonymous)
    cid = seeded.consultation_id
    lone = store.add_member(m.Member(cid, "Lone Islander", attributes={
        "role": "teacher", "region": "Islands"}))
    _, token = store.add_invitation(lone.id)
    statements = store.list_statements(cid)
    store.save_card(cid, token, [m.StanceResponse(s.id, 1) for s in statements],
                    status="submitted")
    dash = DivergenceDashboard(store, cid)
    assert dash.attribute_picker.value == "region"
    comparison, heard = dash.comparison.shown, dash.participation.shown
    assert ("Islands" in comparison) is not anonymous
    assert ("Islands" in heard) is not anonymous
    assert ("(other groups)" in comparison) is anonymous
    assert ("are shown together as" in comparison) is anonymous
    merge = ConsultationAnalysis(store, cid).disclosure("region")
    assert merge.shown  # the larger groups stay
    for region in merge.shown:
        assert region in comparison
    assert (set(merge.merged) == {"Islands", *merge.complementary}) is anonymous
    for region in merge.complementary:  # merged with the Islands: not shown alone
        assert f"{region} " not in comparison and f"{region} (" not in heard


def test_opinion_groups_are_the_services_with_their_sizes(anonymous_demo):
    from cop_widgets.services.analysis import ConsultationAnalysis

    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    dash = DivergenceDashboard(store, cid)
    analysis = ConsultationAnalysis(store, cid)
    groups = analysis.groups()
    assert groups.note is None  # the demo has opinion groups
    html = dash.groups.value
    assert "<h4>Opinion groups</h4>" in html
    sizes = groups.labels.dropna().astype(int).value_counts()
    assert len(sizes) >= 2
    start = html.index('<p class="cop-figcaption">')
    caption = html[start:html.index("</p>", start)]
    for group, size in sizes.items():
        letter = chr(65 + group)
        assert f"Group {letter} ({size} members)" in caption
    apart = [chr(65 + int(g)) for g in analysis.representative(top=3)["group"].unique()]
    assert apart  # every group shown with its statements comes from the service
    for letter in apart:
        assert f"What sets group {letter} apart:" in html
    assert html.count("What sets group") == len(apart)


def test_no_opinion_groups_says_why(anonymous_demo):
    from cop_widgets import model as m

    store, seeded = anonymous_demo
    cid = seeded.consultation_id
    # two members answering: too few for opinion groups
    other = store.add_consultation(m.Consultation(seeded.development_id, "Few", anonymous=False))
    statements = store.add_statements([m.Statement(other.id, t) for t in ("One", "Two", "Three")])
    members = store.add_members([m.Member(other.id, n) for n in ("Ana", "Bo")])
    tokens = [store.add_invitation(mb.id)[1] for mb in members]
    store.open_consultation(other.id)
    for token, stance in zip(tokens, (1, 5), strict=True):
        store.save_card(other.id, token, [m.StanceResponse(s.id, stance) for s in statements],
                        status="submitted")
    dash = DivergenceDashboard(store, other.id)
    html = dash.groups.value
    assert html.startswith("<h4>Opinion groups</h4><p>There are too few members for opinion "
                           "groups: 2 answered enough statements")
    assert not dash.groups.specs and "What sets group" not in html
    assert cid != other.id
