""""What we learned from each other": who moved after reading, in the Divergence tab."""

from __future__ import annotations

import re

from helpers import seed_consultation

from cop_widgets import model as m
from cop_widgets.model.discussion import GroupSource
from cop_widgets.services.analysis import ConsultationAnalysis
from cop_widgets.widgets.dashboard import DivergenceDashboard
from cop_widgets.widgets.learned import learned_html

AGREE, DISAGREE = 4, 2  # likert5


def answered(store, stances, *, roles=None):
    """An open likert5 consultation; member i answers ``stances[i]`` with a reason each."""
    seeded = seed_consultation(store, members=len(stances))
    cid = seeded.consultation.id
    for i, (member, stance) in enumerate(zip(seeded.members, stances, strict=True)):
        if roles:
            store.update_member(member.id, attributes={"role": roles[i]})
        store.save_card(cid, seeded.tokens[member.id], [
            m.StanceResponse(s.id, stance, f"Reason <{i + 1}> on statement {j + 1}")
            for j, s in enumerate(seeded.statements)])
    return seeded


def rows_of(html: str, statement: int) -> dict[str, list[str]]:
    """The cells of each row of statement ``statement``'s table, by the row's heading."""
    part = html.split(f"<h5>Statement {statement}: ", 1)[1].split("<h5>", 1)[0]
    body = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    table = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body):
        head, *cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        table[head] = cells
    return table


def test_two_members_move_from_agree_to_disagree_one_crediting_a_reason(sqlite_store):
    store = sqlite_store
    seeded = answered(store, [DISAGREE, AGREE, AGREE, AGREE])
    seeded_cid = seeded.consultation.id
    author, first, second, stayed = seeded.members
    token = seeded.tokens
    statement = seeded.statements[0]
    key = (statement.id, author.id)
    store.open_discussion(seeded_cid, {}, GroupSource.NONE)
    for reader in (first, second, stayed):
        store.record_impressions(seeded_cid, token[reader.id], [key])
    store.revise_stance(seeded_cid, token[first.id], statement.id, DISAGREE, credit=key)
    store.revise_stance(seeded_cid, token[second.id], statement.id, DISAGREE)

    html = learned_html(ConsultationAnalysis(store, seeded_cid))
    assert "<h4>What we learned from each other</h4>" in html
    assert "<h5>Statement 2:" not in html  # nobody compared there
    table = rows_of(html, 1)
    # compared, moved, toward agreement, toward disagreement, net, moves
    assert table["All members"] == ["3", "2", "0", "2", "-2", "Agree \u2192 Disagree: 2"]
    credited = html.split("Reasons credited with a change of mind:", 1)[1]
    assert ("\u201cReason &lt;1&gt; on statement 1\u201d (disagree): credited by 1 member"
            in credited)
    assert "Reason <1>" not in html  # escaped
    assert "A move is toward agreement" in html  # the rule under it


def test_small_groups_are_merged_into_other_groups(sqlite_store):
    store = sqlite_store
    roles = ["tutor"] * 5 + ["coordinator"] * 3 + ["volunteer"]
    seeded = answered(store, [DISAGREE] + [AGREE] * 8, roles=roles)
    cid = seeded.consultation.id
    assert seeded.consultation.anonymous  # groups under 3 members are merged
    members = seeded.members
    store.open_discussion(cid, {mb.id: role for mb, role in zip(members, roles, strict=True)},
                          GroupSource.ROSTER, attribute="role")
    key = (seeded.statements[0].id, members[0].id)
    for reader in members[1:]:  # compared: 4 tutors, 3 coordinators, 1 volunteer
        store.record_impressions(cid, seeded.tokens[reader.id], [key])
    for mover in (members[1], members[8]):  # a tutor and the volunteer move
        store.revise_stance(cid, seeded.tokens[mover.id], key[0], DISAGREE)

    html = learned_html(ConsultationAnalysis(store, cid))
    table = rows_of(html, 1)
    assert list(table) == ["All members", "tutor", "(other groups)"]
    assert table["All members"][:5] == ["8", "2", "0", "2", "-2"]
    assert table["tutor"][:5] == ["4", "1", "0", "1", "-1"]
    # the volunteer (1) with the smallest other group, the coordinators (3)
    assert table["(other groups)"][:5] == ["4", "1", "0", "1", "-1"]
    assert "volunteer" not in html and "coordinator" not in html
    assert "Member 1" not in html and "Member 9" not in html


def test_before_the_discussion_and_before_anyone_read_it_says_so(sqlite_store):
    store = sqlite_store
    seeded = answered(store, [AGREE, DISAGREE, AGREE])
    cid = seeded.consultation.id
    html = learned_html(ConsultationAnalysis(store, cid))
    assert "The discussion has not started" in html and "<table" not in html
    store.open_discussion(cid, {}, GroupSource.NONE)
    html = learned_html(ConsultationAnalysis(store, cid))
    assert "Nobody has been shown other members" in html and "<table" not in html


def test_the_divergence_tab_shows_the_panel_in_its_language(sqlite_store):
    store = sqlite_store
    seeded = answered(store, [DISAGREE, AGREE, AGREE])
    cid = seeded.consultation.id
    author, reader, _ = seeded.members
    store.open_discussion(cid, {}, GroupSource.NONE)
    key = (seeded.statements[2].id, author.id)
    store.record_impressions(cid, seeded.tokens[reader.id], [key])
    store.revise_stance(cid, seeded.tokens[reader.id], key[0], 5, credit=key)
    dash = DivergenceDashboard(store, cid)
    assert dash.learned in dash.children
    table = rows_of(dash.learned.value, 3)
    assert table["All members"] == ["1", "1", "1", "0", "+1", "Agree \u2192 Strongly agree: 1"]
    french = DivergenceDashboard(store, cid, language="fr")
    assert "Agree \u2192" not in french.learned.value  # the scale's words translated
