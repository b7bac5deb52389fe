"""Domain exceptions: each names the field, a stable code for the rule, and its parameters.

An error is data: :class:`ValidationError` keeps ``field`` (the name in the code),
``code`` (a key of :data:`RULES`), ``params`` (the numbers and names the rule mentions),
``value`` (what was given) and ``place`` (where in an imported file). ``str(exc)`` writes
it in English from the code's template, for the CLI and the logs; a page writes it in its
own language from the same code (:func:`cop_widgets.widgets.problems.problem_in_words`).
Rewording a template therefore never breaks a translation or a refusal chosen by code:
the catalogues hold the template as msgid, and the code stays.

A parameter is written as it is, except: whole numbers (in the language's digits),
moments (``2026-03-01 12:00 UTC``) and :class:`Word` (a word of the interface, translated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .error_codes import PLACE_CSV, PLACE_PASTED, RULES, WORDS
from .i18n import N_

__all__ = [
    "RULES",
    "WORDS",
    "PLACE_CSV",
    "PLACE_PASTED",
    "Word",
    "Place",
    "place_template",
    "render",
    "CopWidgetsError",
    "ValidationError",
    "NotFound",
    "InvalidToken",
    "ConsultationNotOpen",
]


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Word(str):
    """A parameter that is a word of the interface (one of :data:`WORDS`), translated."""

    def __new__(cls, word: str) -> Word:
        """Return ``word`` marked as a word of the interface; refuse one not in WORDS."""
        if word not in WORDS:
            raise KeyError(f"{word!r} is not one of errors.WORDS")
        return super().__new__(cls, word)


@dataclass(frozen=True)
class Place:
    """Where in an imported file a problem is.

    Attributes
    ----------
    file : str
        :data:`PLACE_CSV` (an uploaded CSV file), :data:`PLACE_PASTED` (statements pasted
        one a line) or a file's name (``votes.csv`` of a Pol.is export).
    line : int or None
        1-based line (a CSV file's header is line 1).
    column : str or None
        The column's name.

    """

    file: str
    line: int | None = None
    column: str | None = None


def place_template(field: str, place: Place | None) -> str | None:
    """Return the msgid that writes ``field`` at ``place`` (``None``: the field alone).

    The field is named after the line only when it is a field of the record on that line
    (``CSV line 3, email``), not the file itself (``votes.csv line 3, column vote``).
    """
    if place is None or (place.line is None and place.column is None):
        return None
    inner = field != place.file
    if place.file == PLACE_CSV:
        if place.column is not None:
            return N_("CSV line {line}, column \u201c{column}\u201d")
        return N_("CSV line {line}, {field}") if inner else N_("CSV line {line}")
    if place.file == PLACE_PASTED:
        return N_("line {line}, {field}") if inner else N_("line {line}")
    if place.line is None:
        return N_("{file} column {column}")
    if place.column is None:
        return N_("{file} line {line}")
    return N_("{file} line {line}, column {column}")


def _english(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    return str(value)


def render(template: str, params: dict[str, Any]) -> str:
    """Return ``template`` filled with ``params`` written in English."""
    return template.format(**{key: _english(value) for key, value in params.items()})


class CopWidgetsError(Exception):
    """Base class of every error cop-widgets raises on purpose.

    Attributes
    ----------
    code : str
        A key of :data:`RULES`: what went wrong, stable across rewordings.
    params : dict
        The values the code's template names.

    """

    code: str = ""
    params: dict[str, Any]

    def __reduce__(self) -> tuple:
        # The constructors take the parts, not the message in ``args``: rebuild from the
        # state, so that an error raised in a worker process reaches its parent intact.
        return (_restore, (type(self), self.args, self.__dict__))

    @property
    def template(self) -> str:
        """The English template of :attr:`code` (the msgid its translations have)."""
        return RULES[self.code]

    @property
    def rule(self) -> str:
        """The rule that was broken, in English words (``must not be empty``)."""
        return render(self.template, self.params)


def _restore(kind: type[CopWidgetsError], args: tuple, state: dict[str, Any]
             ) -> CopWidgetsError:
    """Rebuild a pickled error without calling its constructor."""
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ValidationError(CopWidgetsError, ValueError):
    """A value breaks a rule of the domain.

    Parameters
    ----------
    field : str
        The name of the field in the code (``"title"``, ``"responses[2].stance"``).
    code : str
        The rule that was broken: a key of :data:`RULES` (``"empty"``).
    value : object, optional
        The offending value; shown shortened in the message.
    show_value : bool
        Whether the value may be kept and shown (``False`` for secrets).
    place : Place, optional
        Where in an imported file the value was read.
    **params
        The values the code's template names (``limit=200, length=201``).

    Raises
    ------
    KeyError
        If ``code`` is not registered, or ``params`` lack a name its template needs.

    """

    def __init__(self, field: str, code: str, value: Any = None, *, show_value: bool = True,
                 place: Place | None = None, **params: Any):
        if code not in RULES:
            raise KeyError(f"{code!r} is not a code of errors.RULES")
        self.field = field
        self.code = code
        self.params = params
        self.value = value if show_value else None
        self.place = place
        super().__init__(self._message())

    @property
    def where(self) -> str:
        """The field, and the place in a file if any, in English."""
        template = place_template(self.field, self.place)
        if template is None:
            return self.field
        return template.format(field=self.field, file=self.place.file, line=self.place.line,
                               column=self.place.column)

    def _message(self) -> str:
        message = f"{self.where}: {self.rule}"
        if self.value is not None:
            message += f" (got {_short(self.value)})"
        return message

    def moved(self, field: str | None = None, *, place: Place | None = None,
              show_value: bool = True) -> ValidationError:
        """Return the same refusal of the same value under another field or place.

        For a check that runs inside another (a response inside a card, a row of a CSV
        file): the code, parameters and value stay, only where it happened changes.
        """
        return ValidationError(self.field if field is None else field, self.code, self.value,
                               show_value=show_value, place=place or self.place,
                               **self.params)


class NotFound(CopWidgetsError, LookupError):
    """A record that was asked for does not exist (code ``not-found``).

    Parameters
    ----------
    entity : str
        What was looked for, one of :data:`WORDS` (``"consultation"``).
    key : object
        The id or key that was not found.

    """

    code = "not-found"

    def __init__(self, entity: str, key: Any):
        self.entity = entity
        self.key = key
        self.params = {"entity": Word(entity), "key": repr(key)}
        super().__init__(self.rule)


class InvalidToken(ValidationError):
    """An invitation token is missing, unknown, revoked, or for another consultation.

    Parameters
    ----------
    code : str
        ``token-missing``, ``token-unknown``, ``token-revoked`` or ``link-incomplete``.

    """

    def __init__(self, code: str = "token-unknown"):
        super().__init__("token", code, show_value=False)


class ConsultationNotOpen(ValidationError):
    """A card, proposal or endorsement arrived while the consultation does not accept it.

    The code says why: ``consultation-draft``, ``consultation-closed``, ``deadline-passed``
    (with ``deadline``) or ``endorsements-not-open``; ``what`` (a :class:`Word`) says what
    was refused.
    """
