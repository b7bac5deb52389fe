"""Domain errors in the words of a page: its own labels, and the rules in its language.

An error of :mod:`cop_widgets.errors` carries a field (its name in the code), a code, the
code's parameters and, for imported files, a place. A page writes it from those, never
from the English text:

- the field by the label the page shows for it (``labels``), else by its msgid here
  (``source_url`` is "source link"), else as named in the code;
- the rule by its code's template (:data:`~cop_widgets.error_codes.RULES`) in the page's
  language, numbers written the language's way, moments in its form, words translated;
- a place in a file (``CSV line 3, column "text"``) by its own template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..error_codes import PLACE_CSV, PLACE_PASTED, RULES, WORDS
from ..errors import CopWidgetsError, ValidationError, Word, _short, place_template
from ..i18n import N_, format_datetime, format_number

__all__ = ["FIELDS", "problem_in_words", "refused_edit_in_words", "rule_in_words"]

Gettext = Callable[[str], str]

#: Field names of the model and of the import parsers, in words.
FIELDS = {
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
    "development": N_("development"),
    "token": N_("invitation"),
    "draft": N_("draft joint response"),
    "statement": N_("statement"),
    "base_url": N_("Address of the Voila server"),
    "member": N_("Member"),
    "withdrawn_statement": N_("Statement to put back"),
    "responses": N_("responses"),
    PLACE_CSV: N_("CSV file"),
    PLACE_PASTED: N_("pasted statements"),
}


def _param(value: Any, gettext: Gettext, language: str | None) -> str:
    if isinstance(value, Word):
        return gettext(WORDS[value])
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, language)
    if isinstance(value, dt.datetime):
        return format_datetime(value, language)
    return str(value)


def rule_in_words(exc: CopWidgetsError, gettext: Gettext, language: str | None = None) -> str:
    """Return the rule ``exc`` names, by its code, in the page's language.

    Parameters
    ----------
    exc : CopWidgetsError
        An error with a code and parameters.
    gettext : callable
        The page's translator.
    language : str, optional
        The page's language, for numbers and moments.

    Returns
    -------
    str
        The translated template of ``exc.code``, filled with its parameters.

    """
    params = {key: _param(value, gettext, language) for key, value in exc.params.items()}
    return gettext(exc.template).format(**params)


def _field_in_words(exc: ValidationError, gettext: Gettext, labels: Mapping[str, str],
                    language: str | None) -> str:
    field = labels.get(exc.field) or (gettext(FIELDS[exc.field]) if exc.field in FIELDS
                                      else exc.field)
    template = place_template(exc.field, exc.place)
    if template is None:
        return field
    place = exc.place
    return gettext(template).format(
        field=field, file=place.file,
        line=format_number(place.line, language) if place.line is not None else "",
        column=place.column)


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
        The page's language, for the numbers and moments in a rule.
    show_value : bool
        Whether to repeat the offending value, as :mod:`cop_widgets.errors` does (a member
        has it on the screen; an imported file's cell is worth showing).

    Returns
    -------
    str
        ``field: rule (got value)`` for a :class:`ValidationError`, the rule alone for
        other errors (``consultation 4 does not exist``), in words.

    """
    if exc.code not in RULES:  # a bare CopWidgetsError: no code to go by
        return str(exc)
    rule = rule_in_words(exc, gettext, language)
    if not isinstance(exc, ValidationError):
        return rule
    field = _field_in_words(exc, gettext, labels or {}, language)
    problem = gettext("{field}: {rule}").format(field=field, rule=rule)
    if show_value and exc.value is not None:
        problem = gettext("{problem} (got {value})").format(problem=problem,
                                                            value=_short(exc.value))
    return problem


def refused_edit_in_words(exc: ValidationError, gettext: Gettext,
                          names: Mapping[str, str] | None = None,
                          language: str | None = None, *, put_back: bool = True) -> str:
    """Return a refused edit as a sentence: nothing saved, why, and the saved value is back.

    Said after a form was put back to what is stored (a scale that members' cards hold, say):
    ``Nothing was saved: the stance scale cannot change after members saved cards. The form
    shows the saved value again.`` The field is named as a sentence names it, never by its
    name in the code, and the refused value is not repeated (the form no longer holds it).

    Parameters
    ----------
    exc : ValidationError
        The refusal.
    gettext : callable
        The page's translator.
    names : mapping of str to str, optional
        Field names to their names inside a sentence (``"the stance scale"``), translated;
        without one, :data:`FIELDS` names the field.
    language : str, optional
        The page's language, for the numbers and moments in the rule.
    put_back : bool, default True
        Whether the form was put back to the stored value. ``False`` for a value the user
        can mend where it is (too long, say): the sentence then does not say it was put back.

    Returns
    -------
    str
        The sentence, in the page's language.

    """
    names = names or {}
    field = names.get(exc.field) or (gettext(FIELDS[exc.field]) if exc.field in FIELDS
                                     else exc.field)
    rule = rule_in_words(exc, gettext, language)
    if not put_back:
        return gettext("Nothing was saved: {field} {rule}.").format(field=field, rule=rule)
    return gettext("Nothing was saved: {field} {rule}. The form shows the saved value "
                   "again.").format(field=field, rule=rule)
