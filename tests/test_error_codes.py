"""Errors carry a code, parameters and the field; pages translate them by code.

Every code has an English template and a French and a Spanish translation; an error the
model, the store or an import raises comes out in the page's language with the field's
label; and what a page chooses (the member page's refusals) goes by code, so rewording an
English template cannot change it.
"""

from __future__ import annotations

import ast
import datetime as dt
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import cop_widgets
from cop_widgets import model as m
from cop_widgets.error_codes import PLACE_CSV, RULES, WORDS
from cop_widgets.errors import (
    ConsultationNotOpen,
    InvalidToken,
    NotFound,
    Place,
    ValidationError,
    Word,
)
from cop_widgets.i18n import LOCALE_DIR, format_number, translator
from cop_widgets.widgets.problems import FIELDS, problem_in_words, rule_in_words

PACKAGE = Path(cop_widgets.__file__).parent
FR = translator("fr")
#: Classes whose second argument (the first for InvalidToken) is a code of RULES.
RAISERS = {"ValidationError": 1, "ConsultationNotOpen": 1, "PolisFormatError": 1,
           "InvalidToken": 0}


def said(field: str, rule: str) -> str:
    """``field: rule`` as a French page writes it."""
    return FR("{field}: {rule}").format(field=field, rule=rule)


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sample(code: str) -> ValidationError:
    """An error of ``code`` with a value for each parameter its template names."""
    values = {"limit": 10_000, "length": 10_001, "count": 1_234, "expected": 5,
              "deadline": dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc),
              "what": Word("cards"), "state": Word("withdrawn"), "entity": Word("member")}
    return ValidationError("title", code, **{n: values.get(n, f"<{n}>")
                                             for n in names(RULES[code])})


@pytest.fixture(scope="module", params=["fr", "es"])
def catalogue(request):
    path = LOCALE_DIR / request.param / "LC_MESSAGES" / "cop_widgets.po"
    with path.open("rb") as f:
        return read_po(f)


def test_every_code_word_and_field_has_a_translation_naming_the_same_parameters(catalogue):
    for msgid in [*RULES.values(), *WORDS.values(), *FIELDS.values()]:
        message = catalogue.get(msgid)
        assert message is not None and message.string and not message.fuzzy, msgid
        assert names(message.string) == names(msgid), msgid


def test_codes_are_stable_keys_and_templates_are_distinct():
    assert all(code and code == code.strip().lower() and " " not in code for code in RULES)
    assert len(set(RULES.values())) == len(RULES)  # one msgid, one meaning


@pytest.mark.parametrize("code", sorted(RULES))
def test_no_code_comes_out_in_english_on_a_french_page(code):
    exc = sample(code)
    english = exc.rule
    french = rule_in_words(exc, FR, "fr")
    assert french != english and english not in french
    assert problem_in_words(exc, FR, language="fr").startswith(said("titre", french))


def test_english_message_is_field_rule_and_value():
    exc = ValidationError("title", "too-long", "x" * 3, limit=200, length=201)
    assert str(exc) == "title: must be at most 200 characters, not 201 (got 'xxx')"
    assert (exc.field, exc.code, exc.params) == ("title", "too-long",
                                                 {"limit": 200, "length": 201})
    assert str(ValidationError("token", "empty", "secret", show_value=False)) == \
        "token: must not be empty"


def test_unknown_codes_words_and_missing_parameters_are_refused():
    with pytest.raises(KeyError):
        ValidationError("title", "no-such-code")
    with pytest.raises(KeyError):
        Word("cardz")
    with pytest.raises(KeyError):
        ValidationError("title", "too-long", limit=3)  # length is missing


def test_every_code_raised_in_the_package_is_registered():
    """A literal code passed to an error class anywhere in cop_widgets is in RULES."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in RAISERS and len(node.args) > RAISERS[node.func.id]):
                continue
            arg = node.args[RAISERS[node.func.id]]
            if isinstance(arg, ast.Constant):
                assert arg.value in RULES, f"{path.name}:{node.lineno} {arg.value!r}"
                found.add(arg.value)
    assert len(found) > 60  # the scan sees the raise sites


# -- the field, numbers, moments and places in the page's language ----------------------


def test_model_error_in_french_with_the_field_label_and_french_numbers():
    with pytest.raises(ValidationError) as info:
        m.Development("policy", "t", summary="x" * 10_001)
    assert info.value.code == "too-long" and info.value.params["limit"] == 10_000
    words = problem_in_words(info.value, FR, language="fr", show_value=False)
    assert words == said("résumé", f"doit compter au plus {format_number(10_000, 'fr')} "
                                   f"caractères, et non {format_number(10_001, 'fr')}")
    assert "10 000" not in words and "10000" not in words  # written the French way


def test_page_labels_win_over_the_field_names():
    exc = ValidationError("concerns", "too-long", limit=5, length=6)
    assert problem_in_words(exc, FR, {"concerns": "Vos préoccupations"}, "fr") \
        .startswith(said("Vos préoccupations", ""))


def test_a_choice_error_keeps_the_allowed_values_and_translates_the_rest():
    with pytest.raises(ValidationError) as info:
        m.Consultation(1, "t", visibility="sometimes")
    assert info.value.code == "not-one-of"
    assert "after_submission, after_close, never" in rule_in_words(info.value, FR, "fr")
    assert rule_in_words(info.value, FR, "fr").startswith("doit être l'une de")


def test_a_place_in_a_file_is_data_and_comes_out_translated():
    exc = ValidationError("email", "not-an-email", "x", place=Place(PLACE_CSV, line=3))
    assert exc.place.line == 3 and exc.field == "email"
    assert str(exc) == "CSV line 3, email: must look like name@example.org (got 'x')"
    assert problem_in_words(exc, FR, language="fr", show_value=False) == \
        said("ligne 3 du CSV, adresse e-mail", FR(RULES["not-an-email"]))
    polis = ValidationError("votes.csv", "not-a-polis-vote", "2",
                            place=Place("votes.csv", line=3, column="vote"))
    assert str(polis) == "votes.csv line 3, column vote: must be -1, 0 or 1 (got '2')"
    assert problem_in_words(polis, FR, language="fr", show_value=False) == \
        said("votes.csv, ligne 3, colonne vote", "doit valoir -1, 0 ou 1")


def test_a_moved_error_keeps_code_parameters_and_value():
    inner = ValidationError("rationale", "too-long", "abc", limit=2, length=3)
    outer = inner.moved("responses[1].rationale", place=Place(PLACE_CSV, line=4))
    assert (outer.code, outer.params, outer.value) == (inner.code, inner.params, "abc")
    assert str(outer).startswith("CSV line 4, responses[1].rationale: must be at most 2")


def test_not_found_and_refusals_have_codes_too():
    missing = NotFound("consultation", 7)
    assert str(missing) == "consultation 7 does not exist" and missing.code == "not-found"
    assert problem_in_words(missing, FR, language="fr") == "consultation 7 n'existe pas"
    assert InvalidToken("token-revoked").code == "token-revoked"
    closed = ConsultationNotOpen("deadline", "deadline-passed", what=Word("cards"),
                                 deadline=dt.datetime(2026, 3, 1, 12, tzinfo=dt.timezone.utc))
    assert str(closed) == ("deadline: cards are not accepted: the deadline 2026-03-01 12:00 "
                           "UTC has passed")
    french = problem_in_words(closed, FR, language="fr")
    assert french.startswith(said("date limite", "les fiches ne sont pas acceptées"))
    assert "1 mars 2026" in french


# -- errors raised by the store and by an import, in French -------------------------------


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_store_errors_come_out_in_french(store, seeded):
    member = seeded.members[0]
    store.revoke_invitation(member.id)
    with pytest.raises(InvalidToken) as info:
        store.get_member_for_token(seeded.consultation.id, seeded.tokens[member.id])
    assert info.value.code == "token-revoked"
    assert problem_in_words(info.value, FR, language="fr").startswith(
        said("invitation", "a été révoquée"))
    with pytest.raises(NotFound) as missing:
        store.get_consultation(999)
    assert problem_in_words(missing.value, FR, language="fr") == \
        "consultation 999 n'existe pas"
    store.close_consultation(seeded.consultation.id)
    token = seeded.tokens[seeded.members[1].id]
    with pytest.raises(ConsultationNotOpen) as closed:
        store.propose_statement(seeded.consultation.id, token, "A new idea")
    assert closed.value.code == "consultation-closed"
    assert problem_in_words(closed.value, FR, language="fr") == said(
        "statut", "les propositions ne sont pas acceptées : la consultation est close, pas "
        "ouverte")


def test_csv_import_errors_come_out_in_french_with_line_and_field():
    from cop_widgets.io import members_from_csv

    with pytest.raises(ValidationError) as info:
        members_from_csv(1, "name,email\nAna,ana@example.org\nBo,not-an-address\n")
    exc = info.value
    assert (exc.field, exc.code, exc.place.line) == ("email", "not-an-email", 3)
    assert str(exc).startswith("CSV line 3, email: must look like name@example.org")
    assert problem_in_words(exc, FR, language="fr", show_value=False) == \
        said("ligne 3 du CSV, adresse e-mail", FR(RULES["not-an-email"]))
