"""Issue 11, item 3: the order reasons are shown in must not link one member's reasons.

The attack: in an anonymous consultation, reasons listed in submission order put the same
member k-th under every statement, so reading "the 3rd reason" of each statement gathers one
person's reasons. Reasons are now shown in an order drawn from a per-consultation secret
(``cop_widgets.model.ordering``), the same on every reading, another for each statement;
the same order is read by the results page, the proposed draft's quotes and the answers to
a draft (block reasons).

The secret is random per consultation, so the orders are random: the tests assert what a
random order gives except with negligible probability (two of six statements sharing the
order of twelve members: at most 15/12! < 4e-8), and pin the ordering itself with fixed
secrets in the model tests at the end.
"""

from __future__ import annotations

import dataclasses
import random
import types
from pathlib import Path

import sqlalchemy as sa
from helpers import html_of

from cop_widgets import model as m
from cop_widgets.model.ordering import (
    SECRET_BYTES,
    endorsements_scope,
    order_key,
    reasons_scope,
    seeded_order,
)
from cop_widgets.scales import get_scale
from cop_widgets.store import Store
from cop_widgets.store import schema as t
from cop_widgets.words.draft import md_escape, quote_rationales

N_MEMBERS, N_STATEMENTS = 12, 6
POLIS = Path(__file__).resolve().parents[1] / "data" / "polis" / "london.youth.policing"


def reason(member: int, statement: int) -> str:
    """A reason that names its author, all of the same length (so length decides nothing)."""
    return f"m{member:02d} on s{statement:02d}"


def author(text: str) -> int:
    return int(text[1:3])


def stance(member: int, statement: int) -> int:
    return 1 + (member + statement) % 5


def answered_consultation(store: Store, clock) -> types.SimpleNamespace:
    """An anonymous consultation where every member gave a reason under every statement.

    Members submit in a shuffled order (not roster order), a minute apart.
    """
    dev = store.add_development(m.Development("policy", "Reasons in order"))
    c = store.add_consultation(m.Consultation(dev.id, "Who said what?", scale="likert5",
                                              anonymous=True))
    statements = store.add_statements(
        [m.Statement(c.id, f"Statement {j}") for j in range(N_STATEMENTS)])
    members = store.add_members([m.Member(c.id, f"Member {i}") for i in range(N_MEMBERS)])
    tokens = [store.add_invitation(member.id)[1] for member in members]
    store.open_consultation(c.id)
    submitted = list(range(N_MEMBERS))
    random.Random(11).shuffle(submitted)
    for i in submitted:
        clock.advance(60)
        store.save_card(c.id, tokens[i], [
            {"statement_id": s.id, "stance": stance(i, j), "rationale": reason(i, j)}
            for j, s in enumerate(statements)])
    return types.SimpleNamespace(consultation=store.get_consultation(c.id),
                                 statements=statements, members=members, tokens=tokens,
                                 submitted=submitted)


def spearman(a: list[int], b: list[int]) -> float:
    """Rank correlation of two orders of the same members."""
    rank_a = {x: i for i, x in enumerate(a)}
    rank_b = {x: i for i, x in enumerate(b)}
    n = len(a)
    d2 = sum((rank_a[x] - rank_b[x]) ** 2 for x in a)
    return 1 - 6 * d2 / (n * (n * n - 1))


def authors_by_statement(data, reasons: dict[int, list[str]]) -> list[list[int]]:
    return [[author(text) for text in reasons[s.id]] for s in data.statements]


# -- the attack -------------------------------------------------------------------------------


def test_the_kth_reasons_of_the_statements_are_not_one_members(store, clock):
    data = answered_consultation(store, clock)
    reasons = store.list_rationales(data.consultation.id)
    assert sorted(reasons) == [s.id for s in data.statements]
    orders = authors_by_statement(data, reasons)
    for j, order in enumerate(orders):  # every reason, each once, under its own statement
        assert sorted(order) == list(range(N_MEMBERS))
        assert reasons[data.statements[j].id] == [reason(i, j) for i in order]
    # The attacker reads position k under each statement: in submission order, every
    # column is one member. Now the columns mix members...
    columns = list(zip(*orders, strict=True))
    assert sum(len(set(column)) == 1 for column in columns) < N_MEMBERS
    # ...because each statement has its own order: none shared, none the submission or
    # roster order, and no two statements' orders correlate as linked lists would (1.0).
    assert len({tuple(order) for order in orders}) == N_STATEMENTS
    assert data.submitted not in orders and list(range(N_MEMBERS)) not in orders
    pairs = [(a, b) for k, a in enumerate(orders) for b in orders[k + 1:]]
    assert sum(spearman(a, b) for a, b in pairs) / len(pairs) < 0.6


def test_the_order_is_the_same_on_every_reading(store, clock, db_url):
    data = answered_consultation(store, clock)
    cid = data.consultation.id
    first = store.list_rationales(cid)
    assert store.list_rationales(cid) == first
    with Store(db_url) as again:  # another process on the same database
        assert again.list_rationales(cid) == first
    # Saving again (a later time, a new revision) moves no one: under submission order the
    # member who had just saved went last, saying who had just changed their card.
    moved = data.submitted[0]
    clock.advance(3600)
    store.save_card(cid, data.tokens[moved], [
        {"statement_id": s.id, "stance": stance(moved, j), "rationale": reason(moved, j)}
        for j, s in enumerate(data.statements)])
    assert store.list_rationales(cid) == first
    # A reason that changes takes its own place; the others keep their order.
    changed = data.statements[0].id
    store.save_card(cid, data.tokens[moved], [
        {"statement_id": changed, "stance": 3, "rationale": "changed my mind"}])
    now = store.list_rationales(cid)
    kept = [text for text in first[changed] if author(text) != moved]
    assert [text for text in now[changed] if text != "changed my mind"] == kept
    assert sorted(now[changed]) == sorted([*kept, "changed my mind"])
    assert "changed my mind" in now[changed]


def test_the_results_page_shows_the_stores_order(store, clock):
    from cop_widgets.services.results import PublishedResults
    from cop_widgets.widgets.results import ResultsView

    data = answered_consultation(store, clock)
    cid = data.consultation.id
    reasons = store.list_rationales(cid)
    assert PublishedResults(store, data.consultation).reasons == reasons
    html = html_of(ResultsView(store, cid, data.tokens[0]))
    for s in data.statements:
        at = [html.index(f"<q>{text}</q>") for text in reasons[s.id]]
        assert at == sorted(at), f"statement {s.id}: reasons not in the store's order"


def test_the_proposed_draft_quotes_by_the_same_order(store, clock):
    from cop_widgets.export.proposal import proposed_sections
    from cop_widgets.services.analysis import ConsultationAnalysis

    data = answered_consultation(store, clock)
    cid = data.consultation.id
    reasons = store.list_rationales(cid)
    frame = store.responses_frame(cid)
    polarity = {level.value: level.polarity for level in get_scale("likert5").levels}
    shuffled = frame.sample(frac=1, random_state=3)  # the rows' order must not matter
    for j, s in enumerate(data.statements):
        for side in (1, -1):
            # all reasons are as long: the quotes are the first of this side in the order
            expected = [text for text in reasons[s.id]
                        if polarity[stance(author(text), j)] == side][:2]
            assert len(expected) == 2
            for rows in (frame, shuffled, frame.iloc[::-1]):
                assert quote_rationales(rows, s.id, side, polarity,
                                        order=reasons[s.id]) == expected
    # the whole proposal quotes them, for each divided statement
    analysis = ConsultationAnalysis(store, cid)
    assert analysis.rationales == reasons  # the service reads the store's order
    sections = proposed_sections(analysis)  # what the drafting desk and the exports propose
    split = analysis.summary[analysis.summary["class"].isin(["divided", "polarised"])]
    assert len(split) > 0
    for sid in split.index:
        j = [s.id for s in data.statements].index(sid)
        for side in (1, -1):
            first = next(text for text in reasons[sid]
                         if polarity[stance(author(text), j)] == side)
            assert md_escape(first) in sections["divergent"]


def test_answers_to_each_draft_are_listed_in_their_own_drawn_order(store, clock, db_url):
    from cop_widgets.services.analysis import ConsultationAnalysis

    data = answered_consultation(store, clock)
    cid = data.consultation.id
    orders = []
    for version in (1, 2):
        draft = store.add_draft(cid, {"consensus": f"Version {version}."}, share=True)
        for i in data.submitted:
            clock.advance(1)
            store.add_endorsement(cid, data.tokens[i], draft.id, "block",
                                  f"m{i:02d} blocks v{version}")
        listed = store.list_endorsements(draft.id)
        assert store.list_endorsements(draft.id) == listed
        with Store(db_url) as again:
            assert again.list_endorsements(draft.id) == listed
        members = [data.members.index(next(mb for mb in data.members if mb.id == e.member_id))
                   for e in listed]
        assert [author(e.reason) for e in listed] == members
        orders.append(members)
    assert orders[0] != orders[1]
    for order in orders:  # not the order they were given, not the roster's
        assert sorted(order) == list(range(N_MEMBERS))
        assert order != data.submitted and order != list(range(N_MEMBERS))
    # the block reasons the next proposal records come in that order
    latest = store.get_draft(cid)
    drawn = [e.reason for e in store.list_endorsements(latest.id)]
    assert ConsultationAnalysis(store, cid).blocks == drawn
    # and so does the export (it sorted them by time, which tells who blocked when)
    from cop_widgets.export.report import build_report

    assert list(build_report(store, cid).endorsements.block_reasons) == drawn


# -- the secret -------------------------------------------------------------------------------


def secret_of(store: Store, consultation_id: int) -> bytes:
    with store.engine.connect() as conn:
        return bytes(conn.execute(sa.select(t.consultations.c.order_secret)
                                  .where(t.consultations.c.id == consultation_id)).scalar_one())


def test_every_way_of_making_a_consultation_draws_its_own_secret(sqlite_store):
    from cop_widgets.demo import seed_demo
    from cop_widgets.services.importing import import_polis

    store = sqlite_store
    dev = store.add_development(m.Development("policy", "Secrets"))
    made = [store.add_consultation(m.Consultation(dev.id, "By the form")).id,
            store.add_consultation(m.Consultation(dev.id, "By the form again")).id,
            import_polis(store, POLIS).id,
            seed_demo(store, members=6, silent=1).consultation_id]
    secrets = [secret_of(store, cid) for cid in made]
    assert all(len(secret) == SECRET_BYTES for secret in secrets)
    assert len(set(secrets)) == len(made)
    # settings change, the secret stays (the order stays with it)
    store.update_consultation(made[0], title="Renamed", anonymous=True)
    assert secret_of(store, made[0]) == secrets[0]


def test_the_secret_is_not_on_the_consultation_pages_hold(store, seeded):
    cid = seeded.consultation.id
    secret = secret_of(store, cid)
    consultation = store.get_consultation(cid)
    assert "order_secret" not in {f.name for f in dataclasses.fields(m.Consultation)}
    shown = repr(dataclasses.asdict(consultation)) + repr(store.list_consultations())
    assert secret.hex() not in shown and repr(secret) not in shown


# -- the ordering itself (model) ---------------------------------------------------------------


def test_seeded_order_is_a_function_of_secret_scope_and_items_only():
    items = [f"reason {i}" for i in range(20)]
    secret = bytes(range(SECRET_BYTES))
    ordered = seeded_order(items, secret, reasons_scope(4))
    assert sorted(ordered) == sorted(items)
    assert seeded_order(reversed(items), secret, reasons_scope(4)) == ordered
    assert seeded_order(items, secret, reasons_scope(5)) != ordered  # another statement
    assert seeded_order(items, bytes(SECRET_BYTES), reasons_scope(4)) != ordered
    assert ordered != items and ordered != sorted(items)
    # the key is HMAC-SHA256 of scope and item
    assert ordered == sorted(items, key=lambda x: order_key(secret, reasons_scope(4), x))
    assert len(order_key(secret, endorsements_scope(1), "7")) == 32
    assert order_key(secret, reasons_scope(1), "12") != order_key(secret, reasons_scope(11), "2")


def test_an_empty_secret_orders_nothing():
    import pytest

    with pytest.raises(ValueError):
        seeded_order(["a", "b"], b"", reasons_scope(1))
