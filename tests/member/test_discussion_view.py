"""The member's side of the discussion (issue 13, items 1, 2, 3 and 6), driven in pure Python.

Three members (A, B, C of the ``seeded`` fixture) submit a card each with a reason under the
first statement; the facilitator opens the discussion; each member's page then shows the
others' reasons, never their own, with a "Speaks for me too" toggle, accepted replies,
a reply form and a "Change my answer" form.
"""

from __future__ import annotations

import ipywidgets as w
import pytest
from helpers import html_of, seed_consultation, walk

from cop_widgets import model as m
from cop_widgets.error_codes import RULES
from cop_widgets.i18n import translator
from cop_widgets.model.discussion import GroupSource
from cop_widgets.services.deliberation import open_discussion
from cop_widgets.widgets.discussion_view import HIDDEN, OPEN, WAITING
from cop_widgets.widgets.member import PASS, MemberPage

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

REASONS = ("A: it gives us <b>one</b> voice", "B: too early, we need evidence first",
           "C: only if the members agree on the wording")
STANCES = (5, 1, 4)


def submit(store, seeded, index, stances, reasons=("", "", "")):
    """Submit member ``index``'s card: one stance and one reason per statement."""
    member = seeded.members[index]
    store.save_card(seeded.consultation.id, seeded.tokens[member.id], [
        {"statement_id": s.id, "stance": stance, "rationale": reason}
        for s, stance, reason in zip(seeded.statements, stances, reasons, strict=True)],
        status=m.CardStatus.SUBMITTED)


def three_members_discuss(store, seeded):
    """A, B and C each submit a reason under statement 1; the discussion opens."""
    for i in range(3):
        submit(store, seeded, i, (STANCES[i], 3, None), (REASONS[i], "", ""))
    open_discussion(store, seeded.consultation.id)


def page_of(store, seeded, index):
    member = seeded.members[index]
    return MemberPage(store, seeded.consultation.id, seeded.tokens[member.id])


def block(page, number=1):
    """The discussion of statement ``number`` on a member's page."""
    return page.discussion.blocks[number - 1]


def reason_index(discussion_block, text):
    return [r.text for r in discussion_block.reasons].index(text)


def key_of(seeded, index):
    """The key of member ``index``'s reason under statement 1 (server-side)."""
    return (seeded.statements[0].id, seeded.members[index].id)


def test_b_and_c_see_a_reason_and_never_their_own(store, seeded):
    three_members_discuss(store, seeded)
    for index in (1, 2):
        page = page_of(store, seeded, index)
        assert page.discussion.state == OPEN
        text = html_of(page.discussion)
        assert "What other members said" in text
        assert "A: it gives us &lt;b&gt;one&lt;/b&gt; voice" in text  # escaped
        assert "<b>one</b>" not in text
        assert REASONS[index] not in text
        shown = [r for b in page.discussion.blocks for r in b.reasons]
        assert shown and all(r.author_id != seeded.members[index].id for r in shown)
        others = {REASONS[i] for i in range(3) if i != index}
        assert {r.text for r in block(page).reasons} == others
    # being shown is recorded: impressions for B and C of A's reason
    record = store.discussion_record(seeded.consultation.id)
    viewers = {viewer for key, viewer in record.impressions if key == key_of(seeded, 0)}
    assert viewers == {seeded.members[1].id, seeded.members[2].id}


def test_each_side_has_its_heading_and_reasons_are_numbered(store, seeded):
    three_members_discuss(store, seeded)
    page = page_of(store, seeded, 2)  # C reads A (agree) and B (disagree)
    text = html_of(block(page))
    assert text.index("Reasons from members who agree") < text.index("A: it gives us")
    assert text.index("Reasons from members who disagree") < text.index("B: too early")
    assert [label for label, _ in block(page).reply_to.options] == ["Reason 1", "Reason 2"]
    assert [label for label, _ in block(page).credit.options] == [
        "No reason in particular", "Reason 1", "Reason 2"]
    assert "Your answer: Agree." in text


def test_the_toggle_marks_and_unmarks_and_the_count_follows(store, seeded):
    three_members_discuss(store, seeded)
    cid = seeded.consultation.id
    page = page_of(store, seeded, 2)
    here = block(page)
    i = reason_index(here, REASONS[0])
    toggle = here.toggles[i]
    assert isinstance(toggle, w.ToggleButton) and toggle.description == "Speaks for me too"
    assert toggle.value is False and "Nobody has marked it yet." in here.counts[i].value
    toggle.value = True
    assert "Marked by 1 member: you." in here.counts[i].value
    assert (key_of(seeded, 0), seeded.members[2].id) in store.discussion_record(cid).endorsements
    # B sees the count, not who; C, back later, sees the toggle pressed
    other = block(page_of(store, seeded, 1))
    j = reason_index(other, REASONS[0])
    assert "Marked by 1 member." in other.counts[j].value and other.toggles[j].value is False
    again = block(page_of(store, seeded, 2))
    assert again.toggles[reason_index(again, REASONS[0])].value is True
    toggle.value = False
    assert "Nobody has marked it yet." in here.counts[i].value
    assert store.discussion_record(cid).endorsements == []


def test_a_refused_mark_is_put_back_and_said_beside_the_toggle(store, seeded):
    three_members_discuss(store, seeded)
    page = page_of(store, seeded, 2)
    here = block(page)
    store.close_discussion(seeded.consultation.id)  # closed while the page was open
    here.toggles[0].value = True
    assert here.toggles[0].value is False
    assert here.message.kind == "error"
    assert "not open at the moment" in here.message.place().value
    assert store.discussion_record(seeded.consultation.id).endorsements == []


def test_pending_replies_are_not_shown_and_accepted_ones_are(store, seeded):
    three_members_discuss(store, seeded)
    cid = seeded.consultation.id
    here = block(page_of(store, seeded, 2))
    here.reply_to.value = reason_index(here, REASONS[0])
    here.reply_text.value = "Which <i>voice</i>: the board's or ours?"
    here.send_reply.click()
    assert here.message.kind == "ok" and "waits for the facilitator" in here.message.text
    assert here.message.place() is not None and here.message.place().value  # beside Send
    assert here.reply_text.value == ""
    [reply] = store.discussion_record(cid).replies
    assert reply.reason == key_of(seeded, 0) and reply.member_id == seeded.members[2].id
    assert "the board" not in html_of(page_of(store, seeded, 1).discussion)  # pending
    store.moderate_reply(reply.id, m.ModerationState.ACCEPTED)
    text = html_of(page_of(store, seeded, 1).discussion)
    assert "Which &lt;i&gt;voice&lt;/i&gt;: the board&#x27;s or ours?" in text
    assert "<i>voice" not in text


def test_a_rejected_reply_is_never_shown(store, seeded):
    three_members_discuss(store, seeded)
    here = block(page_of(store, seeded, 2))
    here.reply_to.value = reason_index(here, REASONS[0])
    here.reply_text.value = "Off topic"
    here.send_reply.click()
    [reply] = store.discussion_record(seeded.consultation.id).replies
    store.moderate_reply(reply.id, m.ModerationState.REJECTED)
    assert "Off topic" not in html_of(page_of(store, seeded, 1).discussion)


def test_an_empty_reply_is_refused_in_words_beside_its_button(store, seeded):
    three_members_discuss(store, seeded)
    here = block(page_of(store, seeded, 2))
    here.reply_text.value = "   "
    here.send_reply.click()
    assert here.message.kind == "error"
    assert here.message.text.startswith("Your reply was not sent: Your reply:")
    assert store.discussion_record(seeded.consultation.id).replies == []


def test_revising_changes_the_stance_keeps_both_and_credits_the_reason(store, seeded):
    three_members_discuss(store, seeded)
    cid, member = seeded.consultation.id, seeded.members[2]
    page = page_of(store, seeded, 2)
    here = block(page)
    here.new_answer.value = 2  # from Agree (4) to Disagree (2)
    here.credit.value = reason_index(here, REASONS[1])  # B's reason changed C's mind
    here.save_answer.click()
    assert here.message.kind == "ok", here.message.text
    assert "Your answer on statement 1 is now: Disagree." in here.message.text
    revisions = store.list_card_revisions(cid, member.id)
    stances = [{r.statement_id: r.stance for r in c.responses}[seeded.statements[0].id]
               for c in revisions]
    assert stances == [4, 2]
    assert revisions[-1].status is m.CardStatus.SUBMITTED
    [credit] = store.discussion_record(cid).credits
    assert credit.member_id == member.id and credit.reason == key_of(seeded, 1)
    assert "Your answer: Disagree." in here.own.value
    assert page.rows[0].stance.value == 2  # the card above shows it too
    assert "Your stance: Disagree" in page.results.value
    # a pass, with no reason in particular
    here.new_answer.value = PASS
    here.save_answer.click()
    assert here.message.kind == "ok" and page.rows[0].stance.value == PASS
    assert len(store.discussion_record(cid).credits) == 1


def test_a_refused_revision_is_said_in_words_beside_its_button(store, seeded):
    three_members_discuss(store, seeded)
    cid, member = seeded.consultation.id, seeded.members[2]
    here = block(page_of(store, seeded, 2))
    here.credit.value = 0  # credits a reason, with the answer unchanged
    here.save_answer.click()
    assert here.message.kind == "error"
    assert here.message.text == ("Your answer was not changed: your answer is the same as "
                                 "before: a reason is credited only with a change of answer")
    assert here.message.place() is not None and "role=\"alert\"" in here.message.place().value
    assert len(store.list_card_revisions(cid, member.id)) == 1


def test_the_french_page_says_a_refusal_in_french_not_by_a_field_name(store, seeded):
    three_members_discuss(store, seeded)
    member = seeded.members[2]
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[member.id], language="fr")
    here = block(page)
    store.close_discussion(seeded.consultation.id)
    here.toggles[0].value = True
    assert here.message.kind == "error"
    _ = translator("fr")
    assert here.message.text == _("Your mark was not saved: {problem}").format(
        problem=_(RULES["discussion-not-open"]))


def state_text(widget) -> str:
    """Everything a widget syncs to the browser, as one string."""
    return repr(widget.get_state())


@pytest.mark.parametrize("anonymous", [True, False])
def test_no_member_name_or_key_reaches_the_page(store, seeded, anonymous):
    cid = seeded.consultation.id
    store.update_consultation(cid, anonymous=anonymous)
    three_members_discuss(store, seeded)
    here = block(page_of(store, seeded, 2))
    here.toggles[0].value = True
    here.reply_text.value = "A question"
    here.send_reply.click()
    store.moderate_reply(store.discussion_record(cid).replies[0].id, m.ModerationState.ACCEPTED)
    page = page_of(store, seeded, 1)
    assert page.discussion.state == OPEN
    everything = "\n".join(state_text(x) for x in walk(page))
    for member in seeded.members:
        assert member.name not in everything, member.name
        assert member.email not in everything or not member.email
    for discussion_block in page.discussion.blocks:
        count = len(discussion_block.reasons)
        assert [v for _, v in discussion_block.credit.options] == [-1, *range(count)]
        if not count:  # no reason under the statement: no reply form
            continue
        assert [v for _, v in discussion_block.reply_to.options] == list(range(count))


def test_nothing_is_shown_while_no_discussion_is_open(store, seeded):
    cid = seeded.consultation.id
    for i in range(3):
        submit(store, seeded, i, (STANCES[i], 3, None), (REASONS[i], "", ""))
    page = page_of(store, seeded, 2)  # never opened
    assert page.discussion.state == HIDDEN and page.discussion.children == ()
    open_discussion(store, cid)
    store.close_discussion(cid)
    page = page_of(store, seeded, 2)  # closed
    assert page.discussion.state == HIDDEN and page.discussion.children == ()
    assert "What other members said" not in html_of(page)
    assert not [x for x in walk(page) if isinstance(x, w.ToggleButton)]
    assert "Other members' reasons open" not in html_of(page)
    open_discussion(store, cid)  # reopened, then the consultation closes
    store.close_consultation(cid)
    assert page_of(store, seeded, 2).discussion.children == ()


def test_nothing_is_shown_once_the_deadline_has_passed(store, seeded, clock):
    three_members_discuss(store, seeded)
    assert page_of(store, seeded, 2).discussion.state == OPEN
    store.update_consultation(seeded.consultation.id, deadline=clock.now)
    clock.advance(60)
    page = page_of(store, seeded, 2)
    assert page.discussion.state == HIDDEN and page.discussion.children == ()


def test_before_submitting_one_line_then_the_reasons_after(store, seeded):
    for i in range(2):
        submit(store, seeded, i, (STANCES[i], 3, None), (REASONS[i], "", ""))
    open_discussion(store, seeded.consultation.id)
    page = page_of(store, seeded, 2)
    assert page.discussion.state == WAITING
    assert html_of(page.discussion) == ('<p class="cop-discussion-waiting">Other members&#x27; '
                                        "reasons open here once you submit your position.</p>")
    assert "A: it gives us" not in html_of(page)
    page.rows[0].stance.value = 4
    page.submit.click()
    assert page.message.kind == "ok"
    assert page.discussion.state == OPEN
    assert {r.text for r in block(page).reasons} == set(REASONS[:2])


def test_a_save_keeps_the_reasons_on_the_page_and_what_the_member_typed(store, seeded):
    three_members_discuss(store, seeded)
    page = page_of(store, seeded, 2)
    before = block(page)
    before.reply_text.value = "half-typed"
    page.rows[1].stance.value = 1
    page.submit.click()
    assert block(page) is before and before.reply_text.value == "half-typed"
    assert "Your answer: Strongly disagree." in block(page, 2).own.value


# -- where you stand (item 6) ---------------------------------------------------------


def groups_discuss(store, closest_size: int):
    """Six members; opinion groups A (``closest_size`` agreeing) and B (disagreeing).

    The sixth member agrees with everything, so their answers are closest to group A.
    """
    seeded = seed_consultation(store, members=6)
    cid = seeded.consultation.id
    ids = [member.id for member in seeded.members]
    groups = {}
    for i, member_id in enumerate(ids[:5]):
        agrees = i < closest_size
        store.save_card(cid, seeded.tokens[member_id], [
            {"statement_id": s.id, "stance": 5 if agrees else 1, "rationale": f"r{i}"}
            for s in seeded.statements], status=m.CardStatus.SUBMITTED)
        groups[member_id] = "A" if agrees else "B"
    store.save_card(cid, seeded.tokens[ids[5]], [
        {"statement_id": s.id, "stance": 4} for s in seeded.statements],
        status=m.CardStatus.SUBMITTED)
    groups[ids[5]] = "A"
    store.open_discussion(cid, groups, GroupSource.OPINION,
                          apart={"A": [[seeded.statements[1].id, "agree", 0.8]],
                                 "B": [[seeded.statements[0].id, "disagree", 0.4]]})
    return seeded, MemberPage(store, cid, seeded.tokens[ids[5]])


def test_where_you_stand_names_the_closest_group_and_what_sets_it_apart(store):
    _seeded, page = groups_discuss(store, closest_size=3)
    assert "Your answers are closest to Group A (4 members)." in page.results.value
    assert "Most of Group A agree with statement 2: 80%" in page.results.value
    # the community's distribution, with the member's own stance, stays beside it
    assert "Where the community stands" in page.results.value
    assert "Your stance: Agree" in page.results.value


def test_where_you_stand_names_no_group_under_the_smallest_group_shown(store):
    seeded, page = groups_discuss(store, closest_size=1)  # A: the member and one other
    assert seeded.consultation.anonymous
    assert "closest to" not in page.results.value
    assert page.discussion.where_html() == ""


def test_where_you_stand_waits_for_results_to_be_shown(store):
    seeded, page = groups_discuss(store, closest_size=3)
    store.update_consultation(seeded.consultation.id, visibility="after_close")
    member = seeded.members[5]
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[member.id])
    assert "Your answers are closest to" not in html_of(page)
    assert "Results will be shown here" in page.results.value


# -- the toggle's name in other languages (item 2) ------------------------------------


#: "Speaks for me too" as the fr and es catalogues translate it, character for character.
TOGGLE_NAMES = {"fr": "Je m'y retrouve aussi", "es": "También me representa"}


def catalogue_msgstr(language: str, msgid: str) -> str:
    """Return ``msgid``'s translation as written in the language's ``.po`` catalogue."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    import cop_widgets

    po = (Path(cop_widgets.__file__).parent / "locale" / language / "LC_MESSAGES"
          / "cop_widgets.po")
    with po.open("rb") as handle:
        return read_po(handle, locale=language)[msgid].string


@pytest.mark.parametrize("language", sorted(TOGGLE_NAMES))
def test_the_toggle_is_named_exactly_as_the_catalogue_translates_it(store, seeded, language):
    assert catalogue_msgstr(language, "Speaks for me too") == TOGGLE_NAMES[language]
    three_members_discuss(store, seeded)
    member = seeded.members[2]
    page = MemberPage(store, seeded.consultation.id, seeded.tokens[member.id],
                      language=language)
    assert page.discussion.state == OPEN
    toggles = [x for x in walk(page) if isinstance(x, w.ToggleButton)]
    assert len(toggles) == 2  # A's and B's reasons, none of C's own
    # ipywidgets renders a ToggleButton as a <button> whose text is its description: the
    # accessible name, which no tooltip or icon (no text) replaces
    assert [t.description for t in toggles] == [TOGGLE_NAMES[language]] * 2
    assert all(t.tooltip in (None, "") for t in toggles)
    toggles[0].value = True
    assert toggles[0].description == TOGGLE_NAMES[language]
