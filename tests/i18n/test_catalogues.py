"""The catalogues: complete, not fuzzy, compiled, and in step with the source."""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from leftovers import POT, english_pieces, msgid_forms, msgstr_forms, po_path, read_catalogue

from cop_widgets import i18n
from cop_widgets.scales import PASS_LABEL, SCALES
from cop_widgets.vocabulary import ENDORSEMENT_CHOICES, ENDORSEMENT_LABELS, NOT_GIVEN
from cop_widgets.widgets import dashboard
from cop_widgets.widgets.brief import KIND_WORDS
from cop_widgets.widgets.facilitator import TAB_TITLES
from cop_widgets.widgets.intake import KIND_CHOICES
from cop_widgets.widgets.settings import VISIBILITY_CHOICES
from cop_widgets.words.draft import SECTION_TITLES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cop_widgets"
TRANSLATED = ("fr", "es")
#: Names under which code calls gettext (``self._``, ``self.ngettext`` included).
KEYWORDS = {"_": (1,), "N_": (1,), "gettext": (1,), "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def template_ids() -> set:
    return {m.id for m in read_catalogue(POT) if m.id}


# -- complete ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_has_a_translation_and_none_is_fuzzy(language):
    catalogue = read_catalogue(po_path(language))
    assert {m.id for m in catalogue if m.id} == template_ids(), \
        "run `pybabel update` (see babel.cfg) after extracting"
    empty = [m.id for m in catalogue if m.id and (
        not msgstr_forms(m) or len(msgstr_forms(m)) != len(
            m.string if isinstance(m.string, (tuple, list)) else [m.string]))]
    assert not empty, f"{language}: untranslated: {empty}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, f"{language}: fuzzy: {fuzzy}"
    assert not catalogue.fuzzy, f"{language}: the catalogue header is fuzzy"
    plural = [m for m in catalogue if m.id and isinstance(m.id, (tuple, list))]
    for message in plural:
        assert len(message.string) == catalogue.num_plurals, message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_markup(language):
    for message in read_catalogue(po_path(language)):
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(msgid_forms(message)[-1]))
        tags = sorted(re.findall(r"</?\w+>", msgid_forms(message)[0]))
        for string in msgstr_forms(message):
            assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)
            assert sorted(re.findall(r"</?\w+>", string)) == tags, (message.id, string)
            string.format(**{p.strip("{}"): "x" for p in wanted})  # no stray brace


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_differ_from_english_except_shared_words(language):
    same = {m.id for m in read_catalogue(po_path(language))
            if m.id and isinstance(m.id, str) and m.string == m.id}
    # Words and formats that are the same in the language (checked one by one).
    allowed = {"fr": {"Veto", "Participation", "Consultation", "Invitation", "Version",
                      "version {number}", "consensus", "Date", "Figure {number}. {title}",
                      "date", "questions", "sections", "consultation", "invitation"},
               "es": {"Veto", "{kind}:", "{label}: {count}", "{label}: {count} ({percent})",
                      "{direction}: {statement}", "{field}: {rule}"}}
    assert same <= allowed[language], same - allowed[language]


# -- compiled --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_mo_is_up_to_date_with_the_po(language, tmp_path):
    po = po_path(language)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), "run `pybabel compile -d cop_widgets/locale -D cop_widgets`"
    with open(mo, "rb") as f:
        committed = read_mo(f)
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(po))
    compiled.seek(0)
    fresh = read_mo(compiled)

    def messages(catalogue):
        return {(m.id if isinstance(m.id, str) else tuple(m.id)):
                (m.string if isinstance(m.string, str) else tuple(m.string))
                for m in catalogue if m.id}

    assert messages(committed) == messages(fresh), \
        "the .mo is stale: run `pybabel compile -d cop_widgets/locale -D cop_widgets`"
    assert committed.plural_forms == fresh.plural_forms
    # gettext itself reads the committed file.
    with open(mo, "rb") as f:
        reader = gettext.GNUTranslations(f)
    assert reader.gettext("Submit my position") != "Submit my position"


def test_translator_falls_back_to_english():
    assert i18n.translator("de")("Submit my position") == "Submit my position"
    assert i18n.translator(None)("Submit my position") == "Submit my position"
    assert i18n.translator("fr")("Submit my position") == "Soumettre ma position"
    assert i18n.translator("es")("Submit my position") == "Enviar mi posición"
    assert i18n.translator("fr")("not a msgid") == "not a msgid"
    plural = i18n.plural_translator("fr")
    assert plural("Added {count} statement.", "Added {count} statements.", 1) \
        == "{count} énoncé ajouté."
    assert plural("Added {count} statement.", "Added {count} statements.", 3) \
        == "{count} énoncés ajoutés."
    assert i18n.N_("Agree") == "Agree"


def test_formats_per_language():
    moment = dt.datetime(2026, 1, 10, 14, 5, tzinfo=dt.timezone.utc)
    assert i18n.format_datetime(moment, "en") == "2026-01-10 14:05 UTC"  # as before
    assert i18n.format_date(moment.date(), "en") == "2026-01-10"
    assert i18n.format_datetime(moment, "fr") == "10 janvier 2026, 14:05 UTC"
    assert i18n.format_datetime(moment, "es") == "10 de enero de 2026, 14:05 UTC"
    assert i18n.format_percent(0.5, "en") == "50%"
    assert i18n.format_percent(0.5, "fr").replace("\u202f", "\u00a0") == "50\u00a0%"
    assert i18n.format_number(1234, "fr").replace("\u202f", "\u00a0") == "1\u00a0234"
    assert i18n.format_number(1234, "es") == "1.234"
    assert i18n.format_datetime(None, "fr") == "" and i18n.format_date(None, "fr") == ""


# -- in step with the source ---------------------------------------------------------------


def extracted_ids() -> set:
    """Extract the source now, with babel.cfg, exactly as ``pybabel extract`` does."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    # DEFAULT_KEYWORDS holds _, N_, gettext, ngettext...: what `-k _ -k N_` adds to.
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_template_is_in_step_with_the_source():
    assert extracted_ids() == template_ids(), (
        "re-extract: pybabel extract -F babel.cfg -k _ -k N_ "
        "-o cop_widgets/locale/cop_widgets.pot cop_widgets")


def literal_calls(tree: ast.AST):
    """``(call, name, [literal arguments])`` of every gettext-like call with literals."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in KEYWORDS:
                args = [node.args[i - 1] for i in KEYWORDS[name] if len(node.args) >= i]
                if args and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                for a in args):
                    yield node, name, [a.value for a in args]


def test_no_translated_literal_hides_in_an_f_string_and_every_one_is_extracted():
    """Babel on Python 3.11 does not read calls inside f-strings: they would be missed."""
    ids = template_ids()
    hidden, missing = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.relative_to(ROOT)}:{call.lineno}: {values}"
                           for call, _name, values in literal_calls(node)]
        for call, _name, values in literal_calls(tree):
            key = values[0] if len(values) == 1 else tuple(values)
            if key not in ids:
                missing.append(f"{path.relative_to(ROOT)}:{call.lineno}: {values}")
    assert not hidden, "move these calls out of the f-string:\n" + "\n".join(hidden)
    assert not missing, "not in the template:\n" + "\n".join(missing)


def test_constants_translated_where_shown_are_in_the_template():
    ids = template_ids()
    constants = {PASS_LABEL, *SECTION_TITLES.values(), *KIND_WORDS.values(),
                 *ENDORSEMENT_CHOICES.values(), *TAB_TITLES,
                 *(label for label, _v in KIND_CHOICES),
                 *(label for label, _v in VISIBILITY_CHOICES),
                 NOT_GIVEN, *dashboard._DIRECTION_WORDS.values(),
                 *ENDORSEMENT_LABELS.values(), "Web page (.html)"}
    for scale in SCALES.values():
        constants.add(scale.name)
        constants.update(level.label for level in scale.levels)
    assert constants - ids == set()


def test_the_leftover_filter_keeps_real_english_and_drops_shared_words():
    pieces = set(english_pieces("fr"))
    assert {"Strongly agree", "Submit my position", "Pass / unsure", "Your position",
            "Where the community stands"} <= pieces
    assert "Veto" not in pieces and "Participation" not in pieces  # French words too
    assert "statement" not in pieces  # a CSV column name the French help quotes
    assert not any(sum(c.isalpha() for c in p) < 3 for p in pieces)


# -- shipped -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_catalogues_are_not_ignored_so_the_wheel_ships_them():
    """Hatchling puts every file of ``cop_widgets/`` in the wheel unless git ignores it."""
    files = [POT] + [po_path(lang) for lang in TRANSLATED] + \
        [po_path(lang).with_suffix(".mo") for lang in TRANSLATED]
    relative = [str(f.relative_to(ROOT)) for f in files]
    result = subprocess.run(["git", "check-ignore", "--no-index", *relative], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode == 128:
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    assert result.stdout.strip() == "", f"ignored, so left out of the wheel: {result.stdout}"
