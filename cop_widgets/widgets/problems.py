"""Domain errors in the words of a page: its own field labels, rules in its language.

:mod:`cop_widgets.errors` writes ``field: rule`` in English, with the field's name in the
model (``responses[2].rationale``). A member's page says instead which box on the screen
broke which rule, in the page's language: the page maps field names to its labels, and the
rules a member can break by typing (empty, too long, characters text cannot hold) have
msgids here. A rule without one keeps its English words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..errors import CopWidgetsError, ValidationError
from ..i18n import N_, format_number

__all__ = ["problem_in_words"]

#: English rules of :mod:`cop_widgets.model` a member can break, with their msgids.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"must not be empty"), N_("must not be empty")),
    (re.compile(r"must be at most (?P<limit>\d+) characters, not (?P<length>\d+)"),
     N_("must be at most {limit} characters, not {length}")),
    (re.compile(r"must be text"), N_("must be text")),
    (re.compile(r"must not contain NUL characters"),
     N_("must not contain invisible control characters (NUL)")),
    (re.compile(r"must not contain unpaired surrogate characters"),
     N_("must not contain broken characters (unpaired surrogates)")),
    (re.compile(r"a block needs a reason"), N_("a block needs a reason")),
)


def _rule_in_words(rule: str, gettext: Callable[[str], str], language: str | None) -> str:
    for pattern, msgid in _RULES:
        found = pattern.fullmatch(rule)
        if found:
            numbers = {k: format_number(int(v), language)
                       for k, v in found.groupdict().items()}
            return gettext(msgid).format(**numbers)
    return rule


def problem_in_words(exc: CopWidgetsError, gettext: Callable[[str], str],
                     labels: Mapping[str, str], language: str | None = None) -> str:
    """Return what went wrong, naming the box on the page and the rule, in its language.

    Parameters
    ----------
    exc : CopWidgetsError
        The error a store verb raised.
    gettext : callable
        The page's translator.
    labels : mapping of str to str
        Field names of the model (``concerns``, ``responses[0].rationale``...) to the labels
        the page shows for them, already translated.
    language : str, optional
        The page's language, for the numbers in a rule.

    Returns
    -------
    str
        ``label: rule`` for a :class:`ValidationError` whose field the page names; the
        error's own text otherwise. The offending value is never repeated: the member
        has it on the screen.

    """
    if not isinstance(exc, ValidationError) or exc.field not in labels:
        return str(exc)
    return gettext("{field}: {rule}").format(
        field=labels[exc.field], rule=_rule_in_words(exc.rule, gettext, language))
