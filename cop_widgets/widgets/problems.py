"""Domain errors in the words of a page: its own labels, and the rules in its language.

:mod:`cop_widgets.errors` writes ``field: rule (got value)`` in English, with the field's
name in the model (``responses[2].rationale``, ``source_url``). A page says instead which
box broke which rule, in the page's language:

- the page may map field names to the labels it shows (``labels``); other field names
  and the places in an imported file (``CSV line 3, column "text"``) have msgids here;
- the rules people break by typing or importing have msgids here, numbers and names in
  them kept as they are.

A field or a rule without a msgid keeps its English words, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..errors import CopWidgetsError, ValidationError, _short
from ..i18n import N_, format_number

__all__ = ["problem_in_words"]

Gettext = Callable[[str], str]

#: Field names of the model and of the import parsers, in words.
_FIELDS = {
    "title": N_("title"),
    "summary": N_("summary"),
    "source_url": N_("source link"),
    "date": N_("date"),
    "kind": N_("kind"),
    "requester": N_("requester"),
    "requester_deadline": N_("requester's deadline"),
    "questions": N_("questions"),
    "scale": N_("scale"),
    "language": N_("language"),
    "deadline": N_("deadline"),
    "status": N_("status"),
    "name": N_("name"),
    "email": N_("email"),
    "attributes": N_("attributes"),
    "text": N_("statement"),
    "sections": N_("sections"),
    "reason": N_("reason"),
    "CSV file": N_("CSV file"),
    "pasted statements": N_("pasted statements"),
}

#: Places in an imported file (``field`` is translated in turn).
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"CSV line (?P<line>\d+), column \u201c(?P<column>.*)\u201d"),
     N_("CSV line {line}, column \u201c{column}\u201d")),
    (re.compile(r"CSV line (?P<line>\d+), (?P<field>.+)"), N_("CSV line {line}, {field}")),
    (re.compile(r"CSV line (?P<line>\d+)"), N_("CSV line {line}")),
    (re.compile(r"line (?P<line>\d+)"), N_("line {line}")),
)

#: English rules, with their msgids. Named groups are numbers (written the language's way)
#: or names (kept as written).
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid) for pattern, msgid in (
        (r"must not be empty", N_("must not be empty")),
        (r"must be at most (?P<limit>\d+) characters, not (?P<length>\d+)",
         N_("must be at most {limit} characters, not {length}")),
        (r"must be text", N_("must be text")),
        (r"must not contain NUL characters",
         N_("must not contain invisible control characters (NUL)")),
        (r"must not contain unpaired surrogate characters",
         N_("must not contain broken characters (unpaired surrogates)")),
        (r"a block needs a reason", N_("a block needs a reason")),
        (r"is required", N_("is required")),
        (r"is required for a request for opinion", N_("is required for a request for opinion")),
        (r"is only for a request for opinion", N_("is only for a request for opinion")),
        (r"must start with http:// or https://", N_("must start with http:// or https://")),
        (r"must look like name@example.org", N_("must look like name@example.org")),
        (r"must be a date \(YYYY-MM-DD\)", N_("must be a date (YYYY-MM-DD)")),
        (r"must be one of (?P<allowed>.+)", N_("must be one of {allowed}")),
        (r"a consultation needs an accepted statement to open",
         N_("a consultation needs an accepted statement to open: add one on the Statements "
            "tab")),
        (r"has passed: set a later deadline before opening",
         N_("has passed: set a later deadline before opening")),
        (r"a new round follows an open or closed consultation; open this draft first",
         N_("a new round follows an open or closed consultation; open this draft first")),
        (r"cannot change after members saved cards",
         N_("cannot change after members saved cards")),
        (r"cannot change once members have answered; withdraw it and add a new statement "
         r"instead", N_("cannot change once members have answered; withdraw it and add a new "
                        "statement instead")),
        (r"at least one section must have text: members would be asked to endorse an empty "
         r"response", N_("at least one section must have text: members would be asked to "
                         "endorse an empty response")),
        (r"choose a file first \(button \u201cChoose CSV file\u201d\)",
         N_("choose a file first (button \u201cChoose CSV file\u201d)")),
        (r"must be UTF-8 text \(in a spreadsheet: Save as \u201cCSV UTF-8\u201d\)",
         N_("must be UTF-8 text (in a spreadsheet: Save as \u201cCSV UTF-8\u201d)")),
        (r"is empty; the first line must name the columns",
         N_("is empty; the first line must name the columns")),
        (r"has no statements below its header line",
         N_("has no statements below its header line")),
        (r"has no members below its first line", N_("has no members below its first line")),
        (r"needs a column called name on its first line",
         N_("needs a column called name on its first line")),
        (r"has more cells than the first line has columns",
         N_("has more cells than the first line has columns")),
        (r"names a column twice \(capitals aside\): each column must have its own name",
         N_("names a column twice (capitals aside): each column must have its own name")),
        (r"write or paste at least one statement", N_("write or paste at least one statement")),
        (r"write each as name=value, separated by ;",
         N_("write each as name=value, separated by ;")),
        (r"each value needs a name before =", N_("each value needs a name before =")),
        (r"gives (?P<key>.+) twice", N_("gives {key} twice")),
        (r"(?P<key>.+) is a reserved name; call the attribute something else",
         N_("{key} is a reserved name; call the attribute something else")),
        (r"is not valid CSV \((?P<detail>.*)\)", N_("is not valid CSV ({detail})")),
    ))


def _filled(found: re.Match[str], msgid: str, gettext: Gettext, language: str | None,
            field: bool = False) -> str:
    values = {}
    for key, value in found.groupdict().items():
        if value.isdigit():
            values[key] = format_number(int(value), language)
        elif key == "field" and field:
            values[key] = _field_in_words(value, gettext)
        else:
            values[key] = value
    return gettext(msgid).format(**values)


def _field_in_words(field: str, gettext: Gettext) -> str:
    if field in _FIELDS:
        return gettext(_FIELDS[field])
    for pattern, msgid in _PLACES:
        found = pattern.fullmatch(field)
        if found:
            return _filled(found, msgid, gettext, None, field=True)
    return field


def _rule_in_words(rule: str, gettext: Gettext, language: str | None) -> str:
    for pattern, msgid in _RULES:
        found = pattern.fullmatch(rule)
        if found:
            return _filled(found, msgid, gettext, language)
    return rule


def problem_in_words(exc: CopWidgetsError, gettext: Gettext,
                     labels: Mapping[str, str] | None = None, language: str | None = None, *,
                     show_value: bool = True) -> str:
    """Return what went wrong, naming the field and the rule, in the page's language.

    Parameters
    ----------
    exc : CopWidgetsError
        The error a store verb, the model or an import parser raised.
    gettext : callable
        The page's translator.
    labels : mapping of str to str, optional
        Field names (``concerns``, ``responses[0].rationale``...) to the labels the page
        shows for them, already translated; they win over the words of this module.
    language : str, optional
        The page's language, for the numbers in a rule.
    show_value : bool
        Whether to repeat the offending value, as :mod:`cop_widgets.errors` does (a member
        has it on the screen; an imported file's cell is worth showing).

    Returns
    -------
    str
        ``field: rule (got value)`` for a :class:`ValidationError`, in words; the error's
        own text for other errors.

    """
    if not isinstance(exc, ValidationError):
        return str(exc)
    labels = labels or {}
    field = labels.get(exc.field) or _field_in_words(exc.field, gettext)
    problem = gettext("{field}: {rule}").format(
        field=field, rule=_rule_in_words(exc.rule, gettext, language))
    if show_value and exc.value is not None:
        problem = gettext("{problem} (got {value})").format(problem=problem,
                                                            value=_short(exc.value))
    return problem
