"""The Discussion tab: open, retake and close the discussion; moderate replies; the ranking."""

from __future__ import annotations

import re

from helpers import html_of, seed_consultation, walk

from cop_widgets import model as m
from cop_widgets.model.discussion import GroupSource
from cop_widgets.widgets.discussion_tab import RANKED_PAGE, DiscussionTab
from cop_widgets.widgets.facilitator import FacilitatorWorkbench
from cop_widgets.widgets.tabs import TAB_TITLES
from cop_widgets.words.discussion import GROUPS_RULE


def answered(store, members=4, stances=(5, 4, 2, 1), **seed):
    """An open likert5 consultation whose members all answered with a reason each."""
    seeded = seed_consultation(store, members=members, **seed)
    cid = seeded.consultation.id
    for i, member in enumerate(seeded.members):
        store.save_card(cid, seeded.tokens[member.id], [
            m.StanceResponse(s.id, stances[i % len(stances)],
                             f"Reason of member {i + 1} on statement {j + 1}")
            for j, s in enumerate(seeded.statements)])
    return seeded


def ranking_rows(tab) -> list[list[str]]:
    """The ranking table's rows: [rank, statement, side, reason, shown, marks, replies, score]."""
    if "<tbody>" not in tab.ranking.value:
        return []
    body = tab.ranking.value.split("<tbody>", 1)[1]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_discussion_tab_sits_between_participation_and_divergence():
    at = TAB_TITLES.index("Discussion")
    assert TAB_TITLES[at - 1] == "Participation" and TAB_TITLES[at + 1] == "Divergence"


def test_the_workbench_builds_the_tab_when_it_is_first_opened(sqlite_store):
    seeded = answered(sqlite_store)
    bench = FacilitatorWorkbench(sqlite_store)
    bench.consultation_id = seeded.consultation.id
    assert bench.discussion is None
    bench.tabs.selected_index = TAB_TITLES.index("Discussion")
    assert isinstance(bench.discussion, DiscussionTab)
    assert "has not been opened" in html_of(bench.discussion)


def test_opening_retaking_and_closing(sqlite_store):
    store = sqlite_store
    seeded = seed_consultation(store, members=4)
    cid = seeded.consultation.id
    first, *others = seeded.members
    store.save_card(cid, seeded.tokens[first.id],
                    [m.StanceResponse(s.id, 5, "Only me so far") for s in seeded.statements])
    tab = DiscussionTab(store, cid)
    assert "has not been opened" in tab.state.value
    assert not tab.open_button.disabled
    assert tab.retake_button.disabled and tab.close_button.disabled

    tab.open_button.click()
    assert tab.message.kind == "ok", tab.message.text
    assert tab.message.place() is tab.message._slots[tab.open_button]  # beside its buttons
    phase = store.get_discussion(cid)
    assert phase.is_open and phase.source is GroupSource.NONE  # one member answered
    assert "has been open since" in tab.state.value
    assert GROUPS_RULE["none"] in tab.state.value.replace("&#x27;", "'")
    assert tab.open_button.disabled and not tab.retake_button.disabled

    for i, member in enumerate(others):  # the others answer: now there are groups
        store.save_card(cid, seeded.tokens[member.id], [
            m.StanceResponse(s.id, (1, 2, 4)[i], "Later") for s in seeded.statements])
    tab.retake_button.click()
    assert tab.message.kind == "ok" and "Took the groups again" in tab.message.text
    retaken = store.get_discussion(cid)
    assert retaken.is_open and retaken.opened_at == phase.opened_at
    assert retaken.source is not GroupSource.NONE and len(set(retaken.groups.values())) >= 2
    assert "Groups: " in tab.state.value

    tab.close_button.click()
    assert tab.message.kind == "ok", tab.message.text
    assert not store.get_discussion(cid).is_open
    assert "was closed on" in tab.state.value
    assert not tab.open_button.disabled and tab.close_button.disabled
    assert tab.open_button.description == "Open the discussion again"
    # refused in words, beside the buttons
    tab.guard(tab.close_discussion)(tab.close_button)
    assert tab.message.kind == "error"
    assert "not open at the moment" in tab.message.text
    tab.guard(tab.retake_groups)(tab.retake_button)
    assert tab.message.kind == "error" and "not open at the moment" in tab.message.text
    assert not store.get_discussion(cid).is_open  # retaking did not reopen it
    tab.open_button.click()  # opened again
    assert tab.message.kind == "ok" and store.get_discussion(cid).is_open
    assert tab.open_button.description == "Open the discussion"
    tab.close_button.click()

    store.close_consultation(cid)
    tab.open_button.click()
    assert tab.message.kind == "error"
    assert "opens while the consultation is open" in tab.message.text
    assert tab.message.place() is tab.message._slots[tab.open_button]


def test_accepting_a_reply_shows_it_to_members_and_rejecting_does_not(sqlite_store):
    store = sqlite_store
    seeded = answered(store)
    cid = seeded.consultation.id
    author, reader, *_ = seeded.members
    tab = DiscussionTab(store, cid)
    tab.open_button.click()
    statement = seeded.statements[1]
    key = (statement.id, author.id)
    store.record_impressions(cid, seeded.tokens[reader.id], [key])
    kept = store.add_reply(cid, seeded.tokens[reader.id], key, "Who pays for it? <b>")
    dropped = store.add_reply(cid, seeded.tokens[reader.id], key, "Not on topic")
    tab.refresh()
    assert [r.reply.id for r in tab.reply_rows] == [r.id for r in store.list_replies(cid)]
    row = next(r for r in tab.reply_rows if r.reply.id == kept.id)
    shown = html_of(row)
    assert "Who pays for it? &lt;b&gt;" in shown and "<b>" not in shown
    assert "statement 2" in shown and "Reason of member 1 on statement 2" in shown
    assert "\u201cagree\u201d" in shown  # the side of the reason replied to (stance 5)
    assert "2 replies waiting" in tab.reply_count.value

    row.accept_button.click()
    assert tab.message.kind == "ok", tab.message.text
    accepted = store.list_replies(cid, m.ModerationState.ACCEPTED)
    assert [r.id for r in accepted] == [kept.id]
    assert [r.reply.id for r in tab.reply_rows] == [dropped.id]

    tab.reply_rows[0].reject_button.click()
    assert tab.message.kind == "ok", tab.message.text
    assert [r.id for r in store.list_replies(cid, m.ModerationState.ACCEPTED)] == [kept.id]
    assert [r.id for r in store.list_replies(cid, m.ModerationState.REJECTED)] == [dropped.id]
    assert tab.reply_rows == [] and "No reply is waiting" in html_of(tab.reply_box)
    # the ranking counts the accepted reply only
    [counted] = [r for r in ranking_rows(tab) if r[3] == "Reason of member 1 on statement 2"]
    assert counted[6] == "1"


def test_the_ranking_follows_the_bridging_score_and_names_nobody(sqlite_store):
    store = sqlite_store
    seeded = answered(store, members=6, stances=(5, 4, 2, 1, 4, 2))
    cid = seeded.consultation.id
    assert seeded.consultation.anonymous
    for i, member in enumerate(seeded.members):
        store.update_member(member.id, name=f"Zelda Quux{i}", email=f"zq{i}@example.org")
    ids = [mb.id for mb in seeded.members]
    tokens = [seeded.tokens[i] for i in ids]
    store.open_discussion(cid, {ids[0]: "A", ids[1]: "A", ids[2]: "A",
                                ids[3]: "B", ids[4]: "B", ids[5]: "B"}, GroupSource.OPINION)
    s1 = seeded.statements[0].id
    bridging, partisan = (s1, ids[0]), (s1, ids[3])
    for reader in (1, 2, 4, 5):
        store.record_impressions(cid, tokens[reader], [bridging, partisan])
    for reader in (1, 4):  # one of each group
        store.set_reason_endorsement(cid, tokens[reader], bridging, True)
    for reader in (4, 5):  # both of group B: more marks, one group only
        store.set_reason_endorsement(cid, tokens[reader], partisan, True)
    reply = store.add_reply(cid, tokens[4], partisan, "And the learners?")
    store.moderate_reply(reply.id, m.ModerationState.ACCEPTED)

    tab = DiscussionTab(store, cid)
    rows = ranking_rows(tab)
    assert len(rows) == 6 * 3
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    scores = [float(r[7]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    texts = [r[3] for r in rows]
    assert texts[0] == "Reason of member 1 on statement 1"
    assert texts.index("Reason of member 1 on statement 1") < texts.index(
        "Reason of member 4 on statement 1")
    top, other = rows[0], rows[texts.index("Reason of member 4 on statement 1")]
    assert top[1:3] == ["1", "agree"] and top[4:7] == ["4", "2", "0"]
    assert other[2] == "disagree" and other[4:7] == ["4", "2", "1"]
    assert top[7] == "0.25" and other[7] == "0.19"  # (2/4)(2/4) and (1/4)(3/4)
    assert "group-informed consensus" in tab.ranking.value

    # counts only: no name, email or roster id anywhere in the tab
    reply_to = store.add_reply(cid, tokens[1], bridging, "A question")
    tab.refresh()
    assert [r.reply.id for r in tab.reply_rows] == [reply_to.id]
    said = []
    for widget in walk(tab):
        for trait in ("value", "description", "tooltip", "placeholder", "options"):
            said.append(str(getattr(widget, trait, "")))
        said.append(str(getattr(widget, "_dom_classes", "")))
    everything = "\n".join(said)
    for i, member in enumerate(seeded.members):
        assert f"Zelda Quux{i}" not in everything
        assert f"zq{i}@example.org" not in everything
        assert f"member_id={member.id}" not in everything and "author" not in everything


def test_a_long_ranking_is_paged(sqlite_store):
    store = sqlite_store
    seeded = answered(store, members=18)  # 54 reasons
    tab = DiscussionTab(store, seeded.consultation.id)
    assert "ranked here once the discussion is open" in tab.ranking.value
    assert ranking_rows(tab) == [] and tab.ranking_pager.layout.display == "none"
    tab.open_button.click()
    assert len(ranking_rows(tab)) == RANKED_PAGE
    assert tab.ranking_pager.layout.display is None  # shown
    assert "54 reasons in all" in tab.ranking.value
    tab.ranking_pager.next_button.click()
    assert [r[0] for r in ranking_rows(tab)] == [str(i) for i in range(51, 55)]



def test_many_replies_are_moderated_a_page_at_a_time(sqlite_store):
    store = sqlite_store
    seeded = answered(store)
    cid = seeded.consultation.id
    author, *readers = seeded.members
    tab = DiscussionTab(store, cid)
    tab.open_button.click()
    key = (seeded.statements[0].id, author.id)
    for reader in readers:
        store.record_impressions(cid, seeded.tokens[reader.id], [key])
        store.add_reply(cid, seeded.tokens[reader.id], key, f"Reply of {reader.id}")
    tab.reply_pager.page_size = 2
    tab.refresh()
    waiting = [r.id for r in store.list_replies(cid, m.ModerationState.PENDING)]
    assert [r.reply.id for r in tab.reply_rows] == waiting[:2]
    assert tab.reply_pager.layout.display is None and "1\u20132 of 3" in html_of(tab)
    tab.reply_pager.next_button.click()
    assert [r.reply.id for r in tab.reply_rows] == waiting[2:]
    tab.reply_rows[0].accept_button.click()  # the last of the last page: back a page
    assert [r.reply.id for r in tab.reply_rows] == waiting[:2]
    assert tab.reply_pager.layout.display == "none"  # two fit on one page
