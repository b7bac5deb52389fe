"""Fuzzing the model's constructors and ``Store.save_card`` with values of any type.

The documented contract: a bad value raises :class:`~cop_widgets.errors.ValidationError`
(``InvalidToken`` and ``ConsultationNotOpen`` are kinds of it), never ``TypeError``,
``AttributeError``, ``KeyError`` or a database error, and a refused save writes nothing.

Four input families broke that contract when this suite was written; each has its own
deterministic regression test at the end of this file:

* aware datetimes within a day of ``datetime.min`` / ``datetime.max`` (``OverflowError``);
* whole numbers beyond the database's integer range as ids (``OverflowError`` on SQLite,
  ``DataError`` on PostgreSQL);
* text holding lone surrogates such as ``"\\ud800"`` (``UnicodeEncodeError`` on writing);
* ``responses`` that is not iterable at all, e.g. ``None`` (``TypeError`` in ``save_card``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pytest
import sqlalchemy as sa
from helpers import refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_widgets import model as m
from cop_widgets.errors import ConsultationNotOpen, InvalidToken, ValidationError
from cop_widgets.scales import SCALES
from cop_widgets.store import Store
from cop_widgets.store import schema as t

# COP_FUZZ_EXAMPLES=5000 for a longer hunt than the suite's default
FUZZ = settings(max_examples=int(os.environ.get("COP_FUZZ_EXAMPLES", "250")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- values of arbitrary types -----------------------------------------------------------------

SAFE_INT = 2**62  # beyond the id range too (see the regression tests at the end)
_offsets = st.builds(dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23),
                                                max_value=dt.timedelta(hours=23)))
datetimes = st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31),
                         timezones=st.one_of(st.none(), st.just(dt.timezone.utc), _offsets))
dates = st.dates()
texts = st.text(max_size=40)  # hypothesis leaves out lone surrogates by default

db_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-SAFE_INT, SAFE_INT),
    st.floats(allow_nan=True, allow_infinity=True), texts, st.binary(max_size=20),
    datetimes, dates, st.decimals(allow_nan=True),
)


def nested(leaves: st.SearchStrategy) -> st.SearchStrategy:
    """Leaves, and lists, tuples, dicts and frozensets of them, nested."""
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(texts, st.integers(-5, 5), st.none()), inner, max_size=4),
        st.frozensets(st.one_of(texts, st.integers(-5, 5)), max_size=3),
    ), max_leaves=8)


anything = nested(st.one_of(db_scalars, st.integers()))  # for the model: any size of int
anything_db = nested(db_scalars)  # for statement ids that reach the database

# dictionary keys must be hashable (a signalling-NaN Decimal is not)
hashables = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts,
                      st.binary(max_size=8), datetimes, dates,
                      st.tuples(texts, st.integers()), st.frozensets(texts, max_size=2))


def long_text(limit: int) -> st.SearchStrategy[str]:
    """Text around a length limit (just under, at, just over), padded with spaces too."""
    return st.tuples(st.integers(limit - 2, limit + 2), st.sampled_from(["x", "é", " ", "\n"]),
                     st.booleans()).map(lambda a: (" " if a[2] else "") + "y" + a[1] * (a[0] - 1))


def text_field(limit: int, *valid: str) -> st.SearchStrategy:
    return st.one_of(texts, long_text(limit), st.sampled_from(valid or ("",)),
                     st.just("a\x00b"), st.just("   "), anything)


def ids() -> st.SearchStrategy:
    return st.one_of(st.integers(-3, 5), st.just(True), st.just(1.0), st.just("1"), anything)


def choice(enum, *extra) -> st.SearchStrategy:
    values = [e.value for e in enum] + [e for e in enum] + [e.value.upper() for e in enum]
    return st.one_of(st.sampled_from(values + list(extra)), anything)


def moments() -> st.SearchStrategy:
    return st.one_of(datetimes, dates, datetimes.map(dt.datetime.isoformat),
                     dates.map(dt.date.isoformat), st.just(""), anything)


responses_like = st.one_of(
    st.builds(m.StanceResponse, st.integers(1, 5), st.sampled_from([1, 3, 5, None])),
    st.fixed_dictionaries({"statement_id": ids(), "stance": st.one_of(st.integers(-1, 7),
                                                                      anything)},
                          optional={"rationale": text_field(2000),
                                    "extra": anything}),
    st.dictionaries(st.one_of(texts, st.integers(-3, 3)), anything, max_size=3),
    anything,
)

# One strategy per constructor: each field mixes plausible values (so the later checks are
# reached) with anything at all.
CONSTRUCTORS = {
    m.Development: st.fixed_dictionaries({
        "kind": choice(m.DevelopmentKind), "title": text_field(200, "Policy"),
    }, optional={
        "summary": text_field(10_000), "source_url": text_field(2000, "https://example.org",
                                                                "javascript:x", "http://a b"),
        "date": moments(), "requester": text_field(200, "Ministry"),
        "requester_deadline": moments(),
        "questions": st.one_of(st.lists(text_field(1000, "Why?"), max_size=22),
                               texts, anything),
        "id": ids(),
    }),
    m.Consultation: st.fixed_dictionaries({
        "development_id": ids(), "title": text_field(200, "Q?"),
    }, optional={
        "scale": st.one_of(st.sampled_from(sorted(SCALES)), anything),
        "anonymous": st.one_of(st.booleans(), anything), "visibility": choice(m.Visibility),
        "deadline": moments(), "status": choice(m.ConsultationStatus),
        "language": st.one_of(st.sampled_from(["en", "fr", "es", "de", " en "]), anything),
        "id": ids(),
    }),
    m.Round: st.fixed_dictionaries({"consultation_id": ids()}, optional={
        "number": ids(), "opened_at": moments(), "id": ids()}),
    m.Statement: st.fixed_dictionaries({
        "consultation_id": ids(), "text": text_field(500, "We agree."),
    }, optional={
        "proposed_by": ids(), "moderation": choice(m.ModerationState),
        "position": st.one_of(st.integers(-3, 3), anything),
        "external_id": text_field(100, "c-17"), "id": ids(),
    }),
    m.Member: st.fixed_dictionaries({
        "consultation_id": ids(), "name": text_field(200, "Ana"),
    }, optional={
        "email": text_field(320, "ana@example.org", "not an email"),
        "attributes": st.one_of(
            st.dictionaries(st.one_of(texts, st.sampled_from(["role", "Name", "GROUP"]),
                                      hashables),
                            st.one_of(text_field(200, "north"), anything), max_size=22),
            anything),
        "external_id": text_field(100), "id": ids(),
    }),
    m.StanceResponse: st.fixed_dictionaries({"statement_id": ids()}, optional={
        "stance": st.one_of(st.integers(-2, 8), anything), "rationale": text_field(2000)}),
    m.PositionCard: st.fixed_dictionaries({
        "consultation_id": ids(), "round_id": ids(), "member_id": ids(),
    }, optional={
        "responses": st.one_of(st.lists(responses_like, max_size=4), anything),
        "concerns": text_field(5000), "impact": text_field(5000),
        "status": choice(m.CardStatus), "revision": ids(), "id": ids(),
    }),
    m.Draft: st.fixed_dictionaries({
        "consultation_id": ids(),
        "sections": st.one_of(
            st.dictionaries(st.one_of(texts, long_text(200), st.just("consensus"), hashables),
                            st.one_of(text_field(50_000, "We agree."), anything), max_size=4),
            anything),
    }, optional={"version": ids(), "id": ids()}),
    m.Endorsement: st.fixed_dictionaries({
        "draft_id": ids(), "member_id": ids(), "kind": choice(m.EndorsementKind),
    }, optional={"reason": text_field(2000, "It ignores the minority."), "id": ids()}),
}

_TEXT_LIMITS = {  # field -> LIMITS key, for the checks on an accepted object
    "title": "title", "summary": "summary", "source_url": "source_url",
    "requester": "requester", "text": "statement", "name": "name", "email": "email",
    "rationale": "rationale", "concerns": "concerns", "impact": "impact", "reason": "reason",
    "external_id": "external_id", "language": "language",
}
_ID_FIELDS = {"id", "development_id", "consultation_id", "round_id", "member_id", "draft_id",
              "statement_id", "proposed_by", "number", "revision", "version"}


def check_accepted(obj) -> None:
    """An accepted object holds only values of the documented types and limits."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.name in _TEXT_LIMITS:
            assert isinstance(value, str), (f.name, value)
            assert value == value.strip() and "\x00" not in value, (f.name, value)
            assert len(value) <= m.LIMITS[_TEXT_LIMITS[f.name]], (f.name, len(value))
        elif f.name in _ID_FIELDS:
            assert value is None or (type(value) is int and value >= 1), (f.name, value)
    if isinstance(obj, m.Development):
        assert isinstance(obj.kind, m.DevelopmentKind)
        assert all(isinstance(q, str) and q for q in obj.questions)
        assert obj.date is None or type(obj.date) is dt.date
    if isinstance(obj, m.Consultation):
        assert isinstance(obj.visibility, m.Visibility)
        assert isinstance(obj.status, m.ConsultationStatus)
        assert type(obj.anonymous) is bool and obj.scale in SCALES
        assert obj.deadline is None or obj.deadline.tzinfo is dt.timezone.utc
    if isinstance(obj, m.Member):
        assert all(isinstance(k, str) and isinstance(v, str)
                   for k, v in obj.attributes.items())
    if isinstance(obj, m.StanceResponse):
        assert obj.stance is None or type(obj.stance) is int
    if isinstance(obj, m.PositionCard):
        assert isinstance(obj.status, m.CardStatus)
        assert all(isinstance(r, m.StanceResponse) for r in obj.responses)
        for r in obj.responses:
            check_accepted(r)
    if isinstance(obj, m.Draft):
        assert obj.sections and all(isinstance(k, str) and k and isinstance(v, str)
                                    for k, v in obj.sections.items())
    if isinstance(obj, m.Endorsement):
        assert isinstance(obj.kind, m.EndorsementKind)
        assert obj.kind is not m.EndorsementKind.BLOCK or obj.reason


@pytest.mark.parametrize("cls", list(CONSTRUCTORS), ids=lambda c: c.__name__)
def test_constructors_raise_only_validation_error(cls):
    @FUZZ
    @given(st.one_of(CONSTRUCTORS[cls], st.lists(anything, max_size=4).map(
        lambda args: {"__args__": args})))
    def fuzz(kwargs):
        args = kwargs.pop("__args__", None)
        if args is not None:  # positional: Python itself refuses a wrong number of them
            fields = dataclasses.fields(cls)
            required = sum(f.default is dataclasses.MISSING
                           and f.default_factory is dataclasses.MISSING for f in fields)
            if not required <= len(args) <= len(fields):
                with pytest.raises(TypeError, match="positional argument"):
                    cls(*args)
                return
        try:
            obj = cls(*(args or ()), **kwargs)
        except ValidationError as exc:
            assert exc.field and exc.rule and str(exc)  # it names the field and the rule
            return
        check_accepted(obj)

    fuzz()


def test_validation_errors_are_value_errors():
    """The documented exception is also a ``ValueError``, so generic callers catch it."""
    assert issubclass(ValidationError, ValueError)
    with pytest.raises(ValueError):
        m.Statement(1, "")


# -- Store.save_card with arbitrary inputs (SQLite) -----------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An OPEN likert5 consultation with invited members, and things to get wrong.

    ``other`` is a DRAFT consultation with its own member; ``revoked`` a revoked token;
    statements include a pending one and one of the other consultation.
    """
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/fuzz.db")
    dev = store.add_development(m.Development("policy", "Fuzz"))
    c = store.add_consultation(m.Consultation(dev.id, "Open one"))
    other = store.add_consultation(m.Consultation(dev.id, "Draft one"))
    accepted = store.add_statements([m.Statement(c.id, f"S{i}") for i in range(3)])
    [foreign] = store.add_statements([m.Statement(other.id, "Elsewhere")])
    members = store.add_members([m.Member(c.id, f"M{i}") for i in range(3)])
    [outsider] = store.add_members([m.Member(other.id, "Outsider")])
    tokens = {mb.id: store.add_invitation(mb.id)[1] for mb in members}
    revoked = store.add_invitation(members[2].id)[1]
    store.add_invitation(members[2].id)  # revokes the one above
    outsider_token = store.add_invitation(outsider.id)[1]
    store.open_consultation(c.id)
    pending = store.propose_statement(c.id, tokens[members[0].id], "Proposed")
    statement_ids = [s.id for s in accepted] + [pending.id, foreign.id]
    try:
        yield {"store": store, "cid": c.id, "other": other.id,
               "tokens": list(tokens.values()), "member_of": {v: k for k, v in tokens.items()},
               "revoked": revoked, "outsider": outsider_token,
               "statement_ids": statement_ids}
    finally:
        store.close()


def _sizes(store: Store) -> tuple:
    with store.engine.connect() as conn:
        return (conn.execute(sa.select(sa.func.count(), sa.func.max(t.cards.c.id))
                             .select_from(t.cards)).one(),
                conn.execute(sa.select(sa.func.count()).select_from(t.card_responses))
                .scalar())


def _save_inputs(world):
    sid = st.one_of(st.sampled_from(world["statement_ids"]), st.integers(-2, 40), anything_db)
    stance = st.one_of(st.sampled_from([1, 2, 3, 4, 5, None]), st.integers(-3, 9), anything)
    response = st.one_of(
        st.fixed_dictionaries({"statement_id": sid, "stance": stance},
                              optional={"rationale": text_field(2000), "bogus": anything}),
        st.builds(lambda s, v: m.StanceResponse(s, v), st.integers(1, 8),
                  st.sampled_from([1, 3, 5, None])),
        anything,
    )
    iterable = st.one_of(st.lists(response, max_size=6), st.tuples(response, response),
                         st.dictionaries(texts, anything, max_size=3), texts,
                         st.binary(max_size=4), st.lists(anything, max_size=3))
    return st.fixed_dictionaries({
        "consultation_id": st.one_of(st.sampled_from([world["cid"]] * 4 + [world["other"]]),
                                     st.integers(-1, 9), anything),
        "token": st.one_of(st.sampled_from(world["tokens"] * 3 + [world["revoked"],
                                                                  world["outsider"]]),
                           texts, anything),
        "responses": iterable,
    }, optional={
        "concerns": text_field(5000), "impact": text_field(5000),
        "status": choice(m.CardStatus),
    })


def test_save_card_refuses_with_validation_error_and_writes_nothing(world):
    store = world["store"]
    outcomes = {"saved": 0, "refused": 0}

    @FUZZ
    @given(_save_inputs(world))
    def fuzz(kwargs):
        kwargs = dict(kwargs)
        before = _sizes(store)
        cid, token = kwargs.pop("consultation_id"), kwargs.pop("token")
        responses = kwargs.pop("responses")
        try:
            card = store.save_card(cid, token, responses, **kwargs)
        except ValidationError as exc:  # InvalidToken, ConsultationNotOpen included
            assert isinstance(exc, (InvalidToken, ConsultationNotOpen)) or exc.field
            assert _sizes(store) == before, "a refused save wrote something"
            outcomes["refused"] += 1
            return
        outcomes["saved"] += 1
        (count, _last), answers = _sizes(store)
        assert count == before[0][0] + 1 and answers == before[1] + len(card.responses)
        stored = store.list_card_revisions(cid, world["member_of"][token])[-1]
        in_order = tuple(sorted(card.responses, key=lambda r: r.statement_id))
        assert stored == dataclasses.replace(card, responses=in_order)  # stored by statement

    fuzz()
    assert outcomes["refused"] > 0


# -- breaches of the contract found by fuzzing, fixed, kept as regression tests --------------

_TZ_PLUS = dt.timezone(dt.timedelta(hours=5))
_TZ_MINUS = dt.timezone(dt.timedelta(hours=-5))


_MOMENT_FIELDS = {  # field name -> builder of an object with that moment
    "deadline": lambda v: m.Consultation(1, "Q", deadline=v),
    "opened_at": lambda v: m.Round(1, opened_at=v),
}


@pytest.mark.parametrize("value", [
    dt.datetime(1, 1, 1, 0, 0, tzinfo=_TZ_PLUS),
    "0001-01-01T00:00+05:00",
    dt.datetime(9999, 12, 31, 23, 0, tzinfo=_TZ_MINUS),
], ids=["min+05", "min+05-text", "max-05"])
@pytest.mark.parametrize("field", list(_MOMENT_FIELDS))
def test_out_of_range_moment_is_a_validation_error(field, value):
    """In UTC these moments fall in year 0 or 10000: refused, naming the field."""
    refused(field, None, lambda: _MOMENT_FIELDS[field](value), code="moment-out-of-range")


@pytest.mark.parametrize(("value", "utc"), [
    (dt.datetime(1, 1, 1, 5, 0, tzinfo=_TZ_PLUS), dt.datetime(1, 1, 1, 0, 0)),
    ("0001-01-01T05:00+05:00", dt.datetime(1, 1, 1, 0, 0)),
    (dt.datetime(9999, 12, 31, 18, 59, tzinfo=_TZ_MINUS), dt.datetime(9999, 12, 31, 23, 59)),
    (dt.datetime(9999, 12, 31, 23, 59), dt.datetime(9999, 12, 31, 23, 59)),  # naive: UTC
], ids=["min+05", "min+05-text", "max-05", "max-naive"])
@pytest.mark.parametrize("field", list(_MOMENT_FIELDS))
def test_moment_at_the_edge_of_the_range_is_kept_in_utc(field, value, utc):
    """Just inside the range: accepted as the same instant in UTC, and it round-trips."""
    build = _MOMENT_FIELDS[field]
    kept = getattr(build(value), field)
    assert kept == utc.replace(tzinfo=dt.timezone.utc)
    assert kept.tzinfo is dt.timezone.utc
    assert getattr(build(kept), field) == kept
    assert getattr(build(kept.isoformat()), field) == kept


@pytest.mark.parametrize("build", [
    lambda: m.PositionCard(1, 1, 1, saved_at="banana"),
    lambda: m.Draft(1, {"consensus": "x"}, created_at=3.5),
    lambda: m.Endorsement(1, 1, "endorse", created_at=["x"]),
    lambda: m.Invitation(1, 1, "0" * 64, revoked_at="yesterday"),
], ids=["PositionCard.saved_at", "Draft.created_at", "Endorsement.created_at",
        "Invitation.revoked_at"])
def test_store_set_timestamps_are_validated(build):
    with pytest.raises(ValidationError):
        build()


@pytest.mark.parametrize("responses", [5, 1.5, True], ids=repr)
def test_save_card_with_non_iterable_responses_is_refused(world, responses):
    before = _sizes(world["store"])
    refused("responses", None,
            lambda: world["store"].save_card(world["cid"], world["tokens"][0], responses),
            code="not-a-response-list")
    assert _sizes(world["store"]) == before


def test_save_card_with_responses_none_saves_a_draft_without_answers(world):
    """``None`` means no answer (it once raised ``TypeError``): a draft with none is kept."""
    store, token = world["store"], world["tokens"][0]
    (count, _last), answers = _sizes(store)
    card = store.save_card(world["cid"], token, None, status="draft")
    assert card.responses == () and card.status is m.CardStatus.DRAFT
    assert _sizes(store)[0][0] == count + 1 and _sizes(store)[1] == answers
    stored = store.list_card_revisions(world["cid"], world["member_of"][token])[-1]
    assert stored == card


@pytest.mark.parametrize("where", ["concerns", "impact", "rationale", "token", "proposal"])
def test_lone_surrogate_text_is_a_validation_error(world, where):
    store, cid, token = world["store"], world["cid"], world["tokens"][1]
    bad = "fine \ud800 text"
    before = _sizes(store)
    with pytest.raises(ValidationError):
        if where == "token":
            store.save_card(cid, bad, [])
        elif where == "proposal":
            store.propose_statement(cid, token, bad)
        elif where == "rationale":
            store.save_card(cid, token, [{"statement_id": world["statement_ids"][0],
                                          "stance": 3, "rationale": bad}])
        else:
            store.save_card(cid, token, [], **{where: bad})
    assert _sizes(store) == before


def test_statement_id_beyond_the_integer_column(db_url, request):
    """An id too large for the column is refused like any unknown id, on both backends.

    PostgreSQL's ``integer`` column ends at 2**31 - 1 (``DataError`` beyond it), SQLite's at
    2**63 - 1 (``OverflowError`` beyond it).
    """
    backend = sa.make_url(db_url).get_backend_name()
    big = 2**63 if backend == "sqlite" else 2**31
    with Store(db_url) as store:
        dev = store.add_development(m.Development("policy", "Ids"))
        c = store.add_consultation(m.Consultation(dev.id, "Q"))
        store.add_statement(m.Statement(c.id, "S"))
        mb = store.add_member(m.Member(c.id, "M"))
        token = store.add_invitation(mb.id)[1]
        store.open_consultation(c.id)
        with pytest.raises(ValidationError):
            store.save_card(c.id, token, [{"statement_id": big, "stance": 3}])
        assert store.count_cards(c.id) == 0
