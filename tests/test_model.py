import datetime as dt

import pytest
from helpers import refused
from hypothesis import given
from hypothesis import strategies as st

from cop_widgets import model as m
from cop_widgets.errors import (
    ConsultationNotOpen,
    CopWidgetsError,
    InvalidToken,
    NotFound,
    ValidationError,
)
from cop_widgets.model import LIMITS
from cop_widgets.model.discussion import Reply
from cop_widgets.scales import SCALES

UTC = dt.timezone.utc
HASH = "ab" * 32


def rfo(**kw):
    values = dict(kind="request_for_opinion", title="Ministry asks", requester="Ministry",
                  requester_deadline="2026-05-01", questions=("What do you think?",))
    values.update(kw)
    return m.Development(**values)


def card(**kw):
    values = dict(consultation_id=1, round_id=1, member_id=1)
    values.update(kw)
    return m.PositionCard(**values)


# -- errors ---------------------------------------------------------------------------------


def test_error_hierarchy_and_messages():
    err = ValidationError("title", "empty")
    assert isinstance(err, CopWidgetsError) and isinstance(err, ValueError)
    assert str(err) == "title: must not be empty" and err.code == "empty"
    err = ValidationError("title", "not-text", "x" * 100)
    assert str(err).startswith("title: must be text (got 'xxx")
    assert str(err).endswith("...)")
    secret = ValidationError("token", "not-text", "s3cret", show_value=False)
    assert "s3cret" not in str(secret) and secret.value is None
    nf = NotFound("consultation", 7)
    assert isinstance(nf, LookupError) and str(nf) == "consultation 7 does not exist"
    tok = InvalidToken()
    assert isinstance(tok, ValidationError) and tok.field == "token"
    assert str(tok) == "token: is not a valid invitation for this consultation"
    assert issubclass(ConsultationNotOpen, ValidationError)


# -- text limits: every key of LIMITS -------------------------------------------------------


def _email(n):
    return "a" * (n - len("@example.org")) + "@example.org"


def _url(n):
    return "https://" + "a" * (n - len("https://"))


# limit key -> (field name in the error, factory(value) -> (entity, attribute), value(n))
TEXT_LIMITS = {
    "title": ("title", lambda v: (m.Development("policy", v), "title"), None),
    "summary": ("summary", lambda v: (m.Development("policy", "t", summary=v), "summary"),
                None),
    "source_url": ("source_url",
                   lambda v: (m.Development("policy", "t", source_url=v), "source_url"), _url),
    "requester": ("requester", lambda v: (rfo(requester=v), "requester"), None),
    "question": ("questions[0]", lambda v: (rfo(questions=(v,)), "questions"), None),
    "statement": ("text", lambda v: (m.Statement(1, v), "text"), None),
    "name": ("name", lambda v: (m.Member(1, v), "name"), None),
    "email": ("email", lambda v: (m.Member(1, "n", email=v), "email"), _email),
    "attribute_key": ("attributes (name)",
                      lambda v: (m.Member(1, "n", attributes={v: "x"}), "attributes"), None),
    "attribute_value": ("attributes[role]",
                        lambda v: (m.Member(1, "n", attributes={"role": v}), "attributes"),
                        None),
    "rationale": ("rationale", lambda v: (m.StanceResponse(1, 3, v), "rationale"), None),
    "concerns": ("concerns", lambda v: (card(concerns=v), "concerns"), None),
    "impact": ("impact", lambda v: (card(impact=v), "impact"), None),
    "reason": ("reason", lambda v: (m.Endorsement(1, 1, "block", v), "reason"), None),
    "reply": ("reply", lambda v: (Reply((1, 2), 3, v), "text"), None),
    "section": ("sections[Intro]", lambda v: (m.Draft(1, {"Intro": v}), "sections"), None),
    "external_id": ("external_id", lambda v: (m.Statement(1, "s", external_id=v),
                                              "external_id"), None),
}
COUNT_LIMITS = {"questions", "attributes"}
SPECIAL_LIMITS = {"language"}  # only en/fr/es are valid; tested below


def test_every_limit_is_tested():
    assert set(TEXT_LIMITS) | COUNT_LIMITS | SPECIAL_LIMITS == set(LIMITS)


@pytest.mark.parametrize("key", sorted(TEXT_LIMITS))
def test_text_at_limit_accepted(key):
    _, make, value = TEXT_LIMITS[key]
    limit = LIMITS[key]
    text = (value or (lambda n: "x" * n))(limit)
    assert len(text) == limit
    entity, attr = make(text)
    stored = getattr(entity, attr)
    assert text in (stored if isinstance(stored, tuple) else
                    stored.values() if isinstance(stored, dict) and key != "attribute_key"
                    else stored.keys() if isinstance(stored, dict) else [stored])


@pytest.mark.parametrize("key", sorted(TEXT_LIMITS))
def test_text_over_limit_refused(key):
    field, make, value = TEXT_LIMITS[key]
    limit = LIMITS[key]
    text = (value or (lambda n: "x" * n))(limit + 1)
    err = refused(field, f"must be at most {limit} characters, not {limit + 1}", lambda: make(text),
                  code="too-long")
    assert field in str(err) and str(limit) in str(err)


def test_other_fields_sharing_limits():
    refused("title", "at most 200", lambda: m.Consultation(1, "x" * 201), code="too-long")
    refused("external_id", "at most 100", lambda: m.Member(1, "n", external_id="x" * 101),
            code="too-long")
    refused("sections (name)", "at most 200", lambda: m.Draft(1, {"x" * 201: "t"}), code="too-long")
    assert m.Draft(1, {"x" * 200: "t"}).sections == {"x" * 200: "t"}
    refused("responses[0].rationale", "at most 2000",
            lambda: card(responses=[{"statement_id": 1, "rationale": "x" * 2001}]), code="too-long")


def test_count_limits():
    assert len(rfo(questions=[f"q{i}" for i in range(20)]).questions) == 20
    refused("questions", "at most 20 questions",
            lambda: rfo(questions=[f"q{i}" for i in range(21)]), code="too-many-questions")
    attrs = {f"k{i}": "v" for i in range(20)}
    assert m.Member(1, "n", attributes=attrs).attributes == attrs
    refused("attributes", "at most 20 attributes",
            lambda: m.Member(1, "n", attributes={f"k{i}": "v" for i in range(21)}),
            code="too-many-attributes")


def test_nul_refused():
    refused("title", None, lambda: m.Development("policy", "a\x00b"), code="nul-character")
    refused("text", None, lambda: m.Statement(1, "a\x00b"), code="nul-character")


@pytest.mark.parametrize("value", [5, 1.5, b"bytes", ["x"], {"x": 1}])
def test_text_must_be_text(value):
    refused("title", None, lambda: m.Development("policy", value), code="not-text")
    refused("text", None, lambda: m.Statement(1, value), code="not-text")


# hypothesis: any text within the limit round-trips stripped; any text over it is refused

_CHARS = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
_SOLID = st.characters(blacklist_categories=("Cs", "Cc", "Z"))
_PLAIN_KEYS = sorted(k for k in TEXT_LIMITS if TEXT_LIMITS[k][2] is None)


@given(key=st.sampled_from(sorted(TEXT_LIMITS) + ["language"]), data=st.data())
def test_any_text_within_limit_round_trips_stripped(key, data):
    limit = LIMITS[key]
    core = data.draw(st.text(_CHARS, min_size=1, max_size=min(limit, 300)))
    pad = data.draw(st.sampled_from(["", " ", "\n\t ", "\u3000"]))
    value = pad + core + pad
    stripped = value.strip()
    if not stripped:
        with pytest.raises(ValidationError, match="must not be empty"):
            m.text("f", value, key)
        assert m.text("f", value, key, required=False) == ""
        return
    assert m.text("f", value, key) == stripped


@given(key=st.sampled_from(sorted(LIMITS)), data=st.data())
def test_any_text_over_limit_refused(key, data):
    limit = LIMITS[key]
    extra = data.draw(st.integers(min_value=1, max_value=50))
    chunk = data.draw(st.text(_SOLID, min_size=1, max_size=min(limit, 200)))
    core = chunk + "x" * (limit + extra - len(chunk))
    with pytest.raises(ValidationError) as info:
        m.text("f", " " + core + " ", key, required=False)
    assert info.value.field == "f"
    assert info.value.rule == f"must be at most {limit} characters, not {limit + extra}"


@given(st.sampled_from(_PLAIN_KEYS), st.text(_SOLID, min_size=1, max_size=200))
def test_entities_store_stripped_text(key, core):
    core = core[: LIMITS[key]]
    _, make, _ = TEXT_LIMITS[key]
    entity, attr = make(f"  {core}\n")
    stored = getattr(entity, attr)
    if isinstance(stored, tuple):
        assert stored == (core,)
    elif isinstance(stored, dict):
        assert core in stored or core in stored.values()
    else:
        assert stored == core


# -- Development ------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", None, "\n\t"])
def test_development_empty_title(title):
    refused("title", None, lambda: m.Development("policy", title), code="empty")


@pytest.mark.parametrize("kind", ["", "law", "POLICY", None, 3])
def test_development_unknown_kind(kind):
    err = refused("kind", "must be one of policy, technology, management_change, "
                          "request_for_opinion, other", lambda: m.Development(kind, "t"),
                  code="not-one-of")
    assert "kind" in str(err)


@pytest.mark.parametrize("kind", list(m.DevelopmentKind))
def test_development_kinds(kind):
    extra = ({} if kind is not m.DevelopmentKind.REQUEST_FOR_OPINION else
             dict(requester="R", requester_deadline="2026-01-01", questions=["q"]))
    d = m.Development(kind.value, "t", **extra)
    assert d.kind is kind
    assert m.Development(kind, "t", **extra).kind is kind


def test_development_normalised():
    d = m.Development(" technology ".strip(), "  A new tool \n", summary="  sum  ",
                      source_url=" https://example.org/x ", date=" 2026-02-03 ")
    assert d.title == "A new tool"
    assert d.summary == "sum"
    assert d.source_url == "https://example.org/x"
    assert d.date == dt.date(2026, 2, 3)
    assert d.questions == () and d.requester == "" and d.requester_deadline is None
    assert m.Development("policy", "t", date=dt.datetime(2026, 2, 3, 22, 0)).date == \
        dt.date(2026, 2, 3)
    assert m.Development("policy", "t", date=dt.date(2026, 2, 3)).date == dt.date(2026, 2, 3)
    assert m.Development("policy", "t", date="").date is None
    assert m.Development("policy", "t", source_url="HTTP://EXAMPLE.ORG").source_url == \
        "HTTP://EXAMPLE.ORG"


@pytest.mark.parametrize("url", ["example.org", "ftp://example.org", "http://", "https://a b",
                                 "javascript:alert(1)", "//example.org"])
def test_development_bad_url(url):
    refused("source_url", None, lambda: m.Development("policy", "t", source_url=url),
            code="not-a-link")


@pytest.mark.parametrize("date", ["2026-13-01", "yesterday", "01/02/2026", 20260101, 1.5])
def test_development_bad_date(date):
    refused("date", None, lambda: m.Development("policy", "t", date=date), code="not-a-date")


def test_request_for_opinion_requirements():
    d = rfo(questions="  First?\n\n  Second?  \n", requester_deadline="2026-05-01")
    assert d.kind is m.DevelopmentKind.REQUEST_FOR_OPINION
    assert d.questions == ("First?", "Second?")
    assert d.requester_deadline == dt.date(2026, 5, 1)
    assert rfo(questions=["a", "", "  ", None, "b"]).questions == ("a", "b")
    refused("requester", None, lambda: rfo(requester=""), code="request-requires")
    refused("requester", None, lambda: rfo(requester="  "), code="request-requires")
    refused("requester_deadline", None, lambda: rfo(requester_deadline=None),
            code="request-requires")
    refused("requester_deadline", None, lambda: rfo(requester_deadline="soon"), code="not-a-date")
    refused("questions", None, lambda: rfo(questions=()), code="request-needs-question")
    refused("questions", None, lambda: rfo(questions="\n \n"), code="request-needs-question")
    refused("questions[1]", None, lambda: rfo(questions=["ok", 5]), code="not-text")


@pytest.mark.parametrize("kind", ["policy", "technology", "management_change", "other"])
@pytest.mark.parametrize("field,value", [("requester", "Ministry"),
                                         ("requester_deadline", "2026-05-01"),
                                         ("questions", ("Why?",))])
def test_request_fields_only_for_request_for_opinion(kind, field, value):
    err = refused(field, None, lambda: m.Development(kind, "t", **{field: value}),
                  code="request-only")
    assert field in str(err)


@pytest.mark.parametrize("value", [0, -1, True, "1", 1.0])
def test_ids_must_be_positive_whole_numbers(value):
    refused("id", None, lambda: m.Development("policy", "t", id=value), code="not-an-id")
    refused("development_id", None, lambda: m.Consultation(value, "t"), code="not-an-id")
    refused("consultation_id", None, lambda: m.Statement(value, "s"), code="not-an-id")
    refused("member_id", None, lambda: card(member_id=value), code="not-an-id")


def test_required_ids():
    refused("development_id", None, lambda: m.Consultation(None, "t"), code="required")
    refused("consultation_id", None, lambda: m.Member(None, "n"), code="required")
    refused("round_id", None, lambda: card(round_id=None), code="required")
    refused("draft_id", None, lambda: m.Endorsement(None, 1, "endorse"), code="required")
    assert m.Development("policy", "t", id=3).id == 3


# -- Consultation -----------------------------------------------------------------------------


def test_consultation_defaults_and_normalisation():
    c = m.Consultation(1, "  Q?  ")
    assert c.title == "Q?"
    assert c.scale == "likert5" and c.anonymous is True
    assert c.visibility is m.Visibility.AFTER_SUBMISSION
    assert c.status is m.ConsultationStatus.DRAFT
    assert c.deadline is None and c.language == "en"
    c = m.Consultation(1, "Q", visibility="never", status="open", language=" fr ",
                       scale="kaner8", anonymous=False)
    assert c.visibility is m.Visibility.NEVER and c.status is m.ConsultationStatus.OPEN
    assert c.language == "fr" and c.scale == "kaner8" and c.anonymous is False


@pytest.mark.parametrize("scale", ["likert7", "", None, 5])
def test_consultation_unknown_scale(scale):
    err = refused("scale", "must be one of likert5, agree_disagree, kaner8",
                  lambda: m.Consultation(1, "t", scale=scale), code="not-one-of")
    assert "scale" in str(err)


def test_consultation_unhashable_scale_is_validation_error():
    refused("scale", None, lambda: m.Consultation(1, "t", scale=["likert5"]), code="not-one-of")


@pytest.mark.parametrize("title", ["", "  ", None])
def test_consultation_empty_title(title):
    refused("title", None, lambda: m.Consultation(1, title), code="empty")


@pytest.mark.parametrize("value", ["yes", 1, 0, None])
def test_consultation_anonymous_must_be_bool(value):
    refused("anonymous", None, lambda: m.Consultation(1, "t", anonymous=value),
            code="not-a-boolean")


def test_consultation_bad_choices():
    refused("visibility", "must be one of after_submission, after_close, never",
            lambda: m.Consultation(1, "t", visibility="always"), code="not-one-of")
    refused("status", "must be one of draft, open, closed",
            lambda: m.Consultation(1, "t", status="paused"), code="not-one-of")
    refused("language", "must be one of en, fr, es", lambda: m.Consultation(1, "t", language="de"),
            code="not-one-of")
    refused("language", None, lambda: m.Consultation(1, "t", language=""), code="empty")
    refused("language", "must be at most 10 characters, not 11",
            lambda: m.Consultation(1, "t", language="x" * 11), code="too-long")
    refused("language", "must be one of en, fr, es",
            lambda: m.Consultation(1, "t", language="x" * 10), code="not-one-of")


def test_consultation_deadline_normalised_to_utc():
    naive = m.Consultation(1, "t", deadline=dt.datetime(2026, 3, 1, 12, 30))
    assert naive.deadline == dt.datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    assert naive.deadline.tzinfo is UTC
    plus2 = dt.timezone(dt.timedelta(hours=2))
    aware = m.Consultation(1, "t", deadline=dt.datetime(2026, 3, 1, 12, 30, tzinfo=plus2))
    assert aware.deadline == dt.datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert aware.deadline.tzinfo is UTC and aware.deadline.hour == 10
    text = m.Consultation(1, "t", deadline=" 2026-03-01T12:30+02:00 ")
    assert text.deadline == dt.datetime(2026, 3, 1, 10, 30, tzinfo=UTC)
    assert text.deadline.tzinfo is UTC
    assert m.Consultation(1, "t", deadline="2026-03-01T12:30").deadline == \
        dt.datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    day = m.Consultation(1, "t", deadline=dt.date(2026, 3, 1))
    assert day.deadline == dt.datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)
    assert m.Consultation(1, "t", deadline="").deadline is None


def test_deadline_date_string_means_end_of_that_day_like_a_date():
    assert m.Consultation(1, "t", deadline="2026-03-01").deadline == \
        m.Consultation(1, "t", deadline=dt.date(2026, 3, 1)).deadline


@pytest.mark.parametrize("value,code", [("tomorrow", "not-a-moment-text"),
                                        ("2026-02-30T10:00", "not-a-moment-text"),
                                        (5, "not-a-moment"),
                                        (["2026-01-01"], "not-a-moment")])
def test_consultation_bad_deadline(value, code):
    refused("deadline", None, lambda: m.Consultation(1, "t", deadline=value), code=code)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.sampled_from([UTC, dt.timezone(dt.timedelta(hours=5)),
                                               dt.timezone(dt.timedelta(hours=-9, minutes=-30))
                                               ])))
def test_moment_keeps_the_instant_in_utc(value):
    result = m.moment("deadline", value)
    assert result == value and result.tzinfo is UTC
    assert m.moment("deadline", value.isoformat()) == value


def test_card_refusal_gives_a_code_and_accepts_cards_agrees():
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert m.Consultation(1, "t").card_refusal(now) == "consultation-draft"
    assert m.Consultation(1, "t", status="closed").card_refusal(now) == "consultation-closed"
    assert m.Consultation(1, "t", status="open").card_refusal(now) is None
    c = m.Consultation(1, "t", status="open", deadline=now)
    assert c.card_refusal(now) is None
    assert c.card_refusal(now + dt.timedelta(seconds=1)) == "deadline-passed"
    assert c.accepts_cards(now) is True
    assert c.accepts_cards(now + dt.timedelta(seconds=1)) is False
    assert m.Consultation(1, "t").accepts_cards(now) is False


# -- Round ------------------------------------------------------------------------------------


def test_round():
    r = m.Round(1, 2, "2026-03-01T10:00+01:00")
    assert r.number == 2 and r.opened_at == dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert m.Round(1).number == 1 and m.Round(1).opened_at is None
    refused("number", None, lambda: m.Round(1, 0), code="not-an-id")
    refused("number", None, lambda: m.Round(1, None), code="required")
    refused("consultation_id", None, lambda: m.Round(None), code="required")
    refused("opened_at", None, lambda: m.Round(1, 1, "noon"), code="not-a-moment-text")


# -- Statement --------------------------------------------------------------------------------


def test_statement():
    s = m.Statement(1, "  We agree.  ", external_id=" 17 ")
    assert s.text == "We agree." and s.external_id == "17"
    assert s.moderation is m.ModerationState.ACCEPTED and s.position == 0
    assert s.proposed_by is None
    assert m.Statement(1, "x", proposed_by=4, moderation="pending").moderation is \
        m.ModerationState.PENDING
    refused("text", None, lambda: m.Statement(1, "  "), code="empty")
    refused("moderation", "must be one of pending, accepted, rejected, withdrawn",
            lambda: m.Statement(1, "x", moderation="hidden"), code="not-one-of")
    refused("proposed_by", None, lambda: m.Statement(1, "x", proposed_by=0), code="not-an-id")
    for position in ("1", 1.0, True, None):
        refused("position", None, lambda position=position: m.Statement(1, "x", position=position),
                code="not-a-position")


# -- Member -----------------------------------------------------------------------------------


def test_member():
    mb = m.Member(1, "  Ana ", email=" ana@example.org ",
                  attributes={" role ": " teacher ", "years": 12, "note": None})
    assert mb.name == "Ana" and mb.email == "ana@example.org"
    assert mb.attributes == {"role": "teacher", "years": "12", "note": ""}
    assert m.Member(1, "n").attributes == {} and m.Member(1, "n").email == ""
    refused("name", None, lambda: m.Member(1, ""), code="empty")
    refused("attributes", None, lambda: m.Member(1, "n", attributes=["a"]), code="not-a-mapping")
    refused("attributes (name)", None, lambda: m.Member(1, "n", attributes={" ": "x"}),
            code="empty")
    refused("attributes (name)", None, lambda: m.Member(1, "n", attributes={3: "x"}),
            code="not-text")


@pytest.mark.parametrize("key", sorted(m.RESERVED_ATTRIBUTES) + ["Name", " INVITED "])
def test_member_reserved_attribute_names(key):
    err = refused("attributes (name)", None, lambda: m.Member(1, "n", attributes={key: "x"}),
                  code="reserved-attribute")
    for reserved in m.RESERVED_ATTRIBUTES:
        assert reserved in err.rule
    assert m.Member(1, "n", attributes={"nickname": "x"}).attributes == {"nickname": "x"}


def test_reserved_attributes_cover_the_roster_columns():
    assert {"member_id", "name", "email", "external_id", "invited", "responded"} <= \
        m.RESERVED_ATTRIBUTES


@pytest.mark.parametrize("email", ["ana", "ana@", "@example.org", "ana@example", "a b@c.org",
                                   "ana@@example.org"])
def test_member_bad_email(email):
    refused("email", None, lambda: m.Member(1, "n", email=email), code="not-an-email")


# -- Invitation -------------------------------------------------------------------------------


def test_invitation():
    inv = m.Invitation(1, 2, HASH)
    assert inv.revoked is False
    assert m.Invitation(1, 2, HASH, revoked_at=dt.datetime(2026, 1, 1, tzinfo=UTC)).revoked
    for bad in ("", None, "AB" * 32, "a" * 63, "g" * 64, HASH + "0"):
        err = refused("token_hash", None, lambda bad=bad: m.Invitation(1, 2, bad),
                      code="not-a-token-hash")
        assert err.value is None
        if bad:
            assert bad not in str(err)
    refused("member_id", None, lambda: m.Invitation(1, None, HASH), code="required")


@pytest.mark.parametrize("field,make", [
    ("token_hash", lambda: m.Invitation(1, 2, 12345)),
    ("questions", lambda: rfo(questions=5)),
    ("responses", lambda: card(responses=5)),
])
def test_wrong_container_types_are_validation_errors(field, make):
    with pytest.raises(ValidationError) as info:
        make()
    assert info.value.field == field


# -- StanceResponse and PositionCard ------------------------------------------------------------


def test_stance_response():
    r = m.StanceResponse(3, None, "  because  ")
    assert r.stance is None and r.rationale == "because"
    assert m.StanceResponse(3, -1).stance == -1
    for stance in ("5", 2.5, True, False, [5]):
        refused("stance", None, lambda stance=stance: m.StanceResponse(3, stance),
                code="not-a-stance")
    refused("statement_id", None, lambda: m.StanceResponse(None, 3), code="required")


def test_position_card_normalised():
    c = card(responses=[{"statement_id": 1, "stance": 5, "rationale": " r "},
                        m.StanceResponse(2, None)],
             concerns="  c  ", impact=" i ", status="draft")
    assert c.responses == (m.StanceResponse(1, 5, "r"), m.StanceResponse(2, None))
    assert c.concerns == "c" and c.impact == "i" and c.status is m.CardStatus.DRAFT
    assert card().status is m.CardStatus.SUBMITTED and card().responses == ()
    assert card(responses=None).responses == ()


def test_position_card_refusals():
    refused("responses[1].statement_id", None,
            lambda: card(responses=[m.StanceResponse(1, 5), {"statement_id": 1, "stance": 4}]),
            code="answered-twice")
    refused("responses[2].statement_id", None,
            lambda: card(responses=[m.StanceResponse(1), m.StanceResponse(2), m.StanceResponse(1)]),
            code="answered-twice")
    refused("responses[0].stance", None,
            lambda: card(responses=[{"statement_id": 1, "stance": "agree"}]), code="not-a-stance")
    err = refused("responses[0]", "missing", lambda: card(responses=[{"stance": 5}]),
                  code="response-fields")
    assert "statement_id" in str(err)
    refused("responses[0].statement_id", None, lambda: card(responses=[{"statement_id": 0}]),
            code="not-an-id")
    err = refused("responses[0]", "unexpected keyword",
                  lambda: card(responses=[{"statement_id": 1, "mood": 5}]), code="response-fields")
    assert "mood" in str(err)
    refused("responses[1]", None, lambda: card(responses=[m.StanceResponse(1), 5]),
            code="not-a-response")
    refused("status", "must be one of draft, submitted", lambda: card(status="final"),
            code="not-one-of")
    refused("revision", None, lambda: card(revision=0), code="not-an-id")


@pytest.mark.parametrize("key", sorted(SCALES))
def test_check_scale(key):
    scale = SCALES[key]
    ok = card(responses=[m.StanceResponse(i + 1, v) for i, v in enumerate(scale.values)]
              + [m.StanceResponse(99, None)])
    ok.check_scale(key)
    off = max(scale.values) + 1
    bad = card(responses=[m.StanceResponse(1, scale.values[0]), m.StanceResponse(2, off)])
    err = refused("responses[1].stance",
                  f"must be one of {', '.join(map(str, sorted(scale.values)))} or a pass "
                  f"on the scale {key}", lambda: bad.check_scale(key), code="off-the-scale")
    assert str(off) in str(err)


@given(st.sampled_from(sorted(SCALES)), st.integers(min_value=-20, max_value=20))
def test_check_scale_property(key, stance):
    c = card(responses=[m.StanceResponse(1, stance)])
    if stance in SCALES[key].values:
        c.check_scale(key)
    else:
        with pytest.raises(ValidationError):
            c.check_scale(key)


# -- Draft and Endorsement ----------------------------------------------------------------------


def test_draft():
    d = m.Draft(1, {" Summary ": "  text  ", "Concerns": ""})
    assert d.sections == {"Summary": "text", "Concerns": ""}
    refused("sections", None, lambda: m.Draft(1, {}), code="no-sections")
    refused("sections", None, lambda: m.Draft(1, "text"), code="no-sections")
    refused("sections (name)", None, lambda: m.Draft(1, {" ": "x"}), code="empty")
    refused("sections[Intro]", None, lambda: m.Draft(1, {"Intro": 5}), code="not-text")
    refused("sections", None, lambda: m.Draft(1, {"Summary": "  ", "Concerns": ""}),
            code="empty-draft")
    refused("version", None, lambda: m.Draft(1, {"a": "b"}, version=0), code="not-an-id")


def test_endorsement():
    e = m.Endorsement(1, 2, "can_live_with", "  fine  ")
    assert e.kind is m.EndorsementKind.CAN_LIVE_WITH and e.reason == "fine"
    assert m.Endorsement(1, 2, "endorse").reason == ""
    assert m.Endorsement(1, 2, "block", " harms pupils ").reason == "harms pupils"
    refused("kind", "must be one of endorse, can_live_with, block",
            lambda: m.Endorsement(1, 2, "veto"), code="not-one-of")
    for reason in ("", "   ", None):
        refused("reason", None, lambda reason=reason: m.Endorsement(1, 2, "block", reason),
                code="block-needs-reason")
    refused("reason", None, lambda: m.Endorsement(1, 2, m.EndorsementKind.BLOCK),
            code="block-needs-reason")


def test_entities_are_frozen():
    d = m.Development("policy", "t")
    with pytest.raises(AttributeError):
        d.title = "x"  # type: ignore[misc]


def test_parse_attributes_csv_row():
    row = {"name": "Ana", "Email": "a@b.org", " role ": " teacher ", "": "x", None: "y",
           "region": None}
    assert m.parse_attributes_csv_row(row, ["name", "email"]) == {"role": "teacher",
                                                                  "region": ""}


# -- policies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(m.Visibility))
@pytest.mark.parametrize("status", list(m.ConsultationStatus))
@pytest.mark.parametrize("submitted", [False, True])
def test_results_visible_follows_the_readme_rule(visibility, status, submitted):
    c = m.Consultation(1, "t", visibility=visibility, status=status)
    if visibility is m.Visibility.NEVER:
        expected = False  # not even once closed, not even to a member who submitted
    elif status is m.ConsultationStatus.CLOSED:
        expected = True  # public once closed, with or without a token
    else:
        expected = visibility is m.Visibility.AFTER_SUBMISSION and submitted
    assert m.results_visible(c, submitted=submitted) is expected


def test_results_visible_needs_submitted_by_keyword():
    with pytest.raises(TypeError):
        m.results_visible(m.Consultation(1, "t"), True)  # type: ignore[misc]


def test_smallest_group_shown_is_decided_by_anonymity():
    assert m.smallest_group_shown(m.Consultation(1, "t", anonymous=True)) == m.MIN_GROUP_SIZE
    assert m.smallest_group_shown(m.Consultation(1, "t", anonymous=False)) == 1
    assert m.MIN_GROUP_SIZE == 3


def test_representation_rule_flags_by_gap_or_by_rate():
    import numpy as np

    rule = m.RepresentationRule()
    flags = rule.flag(
        roster=np.array([10, 10, 10, 10]),
        gap_points=np.array([-10.0, -9.0, 0.0, np.nan]),
        response_rate=np.array([0.5, 0.5, 0.24, 0.0]),
        overall_rate=0.5,
    )
    # a 10-point gap is flagged, 9 is not; a rate under half the overall rate is flagged
    assert flags.tolist() == [True, False, True, True]
    small = m.RepresentationRule(min_roster=3).flag(
        np.array([2, 3]), np.array([-50.0, -50.0]), np.array([0.0, 0.0]), 0.5)
    assert small.tolist() == [False, True]


@pytest.mark.parametrize("kwargs", [{"max_gap_points": -1}, {"min_rate_ratio": 1.5},
                                    {"min_roster": 0}])
def test_representation_rule_refuses_a_nonsense_setting(kwargs):
    with pytest.raises(ValueError):
        m.RepresentationRule(**kwargs)


def test_endorsement_counts_every_kind_in_the_vocabularys_order():
    from cop_widgets.vocabulary import ENDORSEMENT_CHOICES, ENDORSEMENT_LABELS

    answers = [m.Endorsement(1, 1, "endorse"), m.Endorsement(1, 2, "block", "Too vague."),
               m.Endorsement(1, 3, "endorse")]
    counts = m.endorsement_counts(answers)
    assert counts == {"endorse": 2, "can_live_with": 0, "block": 1}
    assert list(counts) == list(ENDORSEMENT_LABELS) == list(ENDORSEMENT_CHOICES)
    assert m.endorsement_counts([]) == dict.fromkeys(ENDORSEMENT_LABELS, 0)
