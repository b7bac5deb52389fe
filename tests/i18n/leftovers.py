"""Find English user-interface text (msgids of the catalogue) in a translated page.

Shared by ``tests/i18n`` (widget trees in pure Python) and ``tests/browser/test_french.py``
(the text chromium shows), which loads this file by path.

The filter
----------
Every msgid of ``cop_widgets/locale/cop_widgets.pot`` (singular and plural) is cut at its
``{placeholders}``; each piece, trimmed of spaces and punctuation, is searched for in the
page's text as a whole phrase (case-sensitive, on word boundaries). A piece is NOT looked
for when:

1. it has fewer than :data:`MIN_LETTERS` letters: pieces such as ``":"`` (from
   ``"{kind}:"``), ``"("`` or a lone number carry no language;
2. it is one of :data:`NEUTRAL`: words that are the same in every language of the
   catalogue (names of methods, formats and products);
3. it occurs, as a whole phrase, in a translation of the page's language: the piece is
   then a word of that language too (``"Veto"``, ``"Participation"`` and ``"version"``
   in French), or a technical token the translations quote on purpose (the CSV column
   names ``name``, ``email``, ``text`` and ``statement``).

Anything left that appears in the page is English the page should not show.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from cop_widgets.i18n import LOCALE_DIR

POT = LOCALE_DIR / "cop_widgets.pot"
MIN_LETTERS = 3
#: Words that are the same in every language of the catalogue.
NEUTRAL = frozenset({"CSV", "UTC", "Voila", "Delphi", "Kaner", "Pol.is", "OK"})
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_TRIM = " \t\n\u00a0\u202f.,;:!?()[]\"'\u201c\u201d\u00ab\u00bb\u2026-\u2014/"


def read_catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "cop_widgets.po"


def msgid_forms(message) -> list[str]:
    """The singular and, for a plural message, the plural msgid."""
    return list(message.id) if isinstance(message.id, (tuple, list)) else [message.id]


def msgstr_forms(message) -> list[str]:
    strings = message.string
    return [s for s in (strings if isinstance(strings, (tuple, list)) else [strings]) if s]


@cache
def msgids() -> tuple[str, ...]:
    """Every msgid of the template, singular and plural."""
    return tuple(form for message in read_catalogue(POT) if message.id
                 for form in msgid_forms(message))


def _normal(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _phrase(piece: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(_normal(piece)) + r"(?!\w)")


@cache
def _translations(language: str) -> str:
    catalogue = read_catalogue(po_path(language))
    return "\n".join(_normal(s) for message in catalogue if message.id
                     for s in msgstr_forms(message))


def pieces(msgid: str) -> list[str]:
    """The literal pieces of a msgid between its placeholders, trimmed."""
    return [p.strip(_TRIM) for p in _PLACEHOLDER.split(msgid) if p.strip(_TRIM)]


@cache
def english_pieces(language: str) -> tuple[str, ...]:
    """The English pieces that must not appear on a page in ``language`` (see the filter)."""
    translations = _translations(language)
    found = []
    for msgid in msgids():
        for piece in pieces(msgid):
            if sum(c.isalpha() for c in piece) < MIN_LETTERS or piece in NEUTRAL:
                continue
            if _phrase(piece).search(translations):
                continue
            found.append(piece)
    return tuple(sorted(set(found)))


def english_leftovers(text: str, language: str) -> list[str]:
    """Return the English pieces of the catalogue that occur in ``text``."""
    text = _normal(text)
    return [p for p in english_pieces(language) if _phrase(p).search(text)]


def translated_pieces(language: str, minimum: int = 12) -> list[str]:
    """Pieces of translations (long enough to be telling) to look for on a page."""
    return [p for p in _translations(language).split("\n") if len(p) >= minimum]


class _Text(HTMLParser):
    """Text of an HTML fragment, with the attributes people read (title, alt, aria-label).

    Inside an element marked ``aria-hidden="true"`` (a chart drawn beside its text
    alternative), text is still seen, so it is kept, but an ``aria-label`` is neither seen
    nor heard: it is left out (Vega labels its own marks, in English).

    With ``english`` (a list), the text of an element marked ``lang="en"`` (and of what it
    holds) goes there as ``(tag, text)`` instead of into :attr:`parts`.
    """

    def __init__(self, english: list[tuple[str, str]] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.english = english
        self._marked: list | None = None  # [tag, depth, text parts] of the open element
        self._hidden: list | None = None  # [tag, depth] of the open aria-hidden element
        self._in_code = False  # inside <style> or <script>

    def _add(self, text: str) -> None:
        (self._marked[2] if self._marked is not None else self.parts).append(text)

    def handle_starttag(self, tag, attrs) -> None:
        self._in_code = tag in ("style", "script")
        if self._marked is not None:
            if tag == self._marked[0]:
                self._marked[1] += 1
        elif self.english is not None and dict(attrs).get("lang") == "en":
            self._marked = [tag, 1, []]
        if self._hidden is not None:
            if tag == self._hidden[0]:
                self._hidden[1] += 1
        elif dict(attrs).get("aria-hidden") == "true":
            self._hidden = [tag, 1]
        read = ("title", "alt", "placeholder") if self._hidden is not None else (
            "title", "alt", "aria-label", "placeholder")
        for name, value in attrs:
            if name in read and value:
                self._add(value)

    def handle_endtag(self, tag) -> None:
        if tag in ("style", "script"):
            self._in_code = False
        if self._hidden is not None and tag == self._hidden[0]:
            self._hidden[1] -= 1
            if not self._hidden[1]:
                self._hidden = None
        if self._marked is not None and tag == self._marked[0]:
            self._marked[1] -= 1
            if not self._marked[1]:
                self.english.append((tag, "\n".join(self._marked[2])))
                self._marked = None

    def handle_data(self, data) -> None:
        if self._in_code:
            return  # CSS and scripts are not read: "display:none" is not English text
        self._add(data)

    def close(self) -> None:
        super().close()
        if self._marked is not None:  # never closed: still marked English
            self.english.append((self._marked[0], "\n".join(self._marked[2])))
            self._marked = None


def html_text(fragment: str, english: list[tuple[str, str]] | None = None) -> str:
    """Return what a reader gets from an HTML fragment (text nodes and labelling attributes).

    Parameters
    ----------
    fragment : str
        The HTML.
    english : list, optional
        If given, the text of elements marked ``lang="en"`` (text a translated page shows
        in English on purpose, such as the charts of ``charts/figures.py``) is left out of
        the result and appended here as ``(tag, text)``, for the caller to check.
    """
    parser = _Text(english)
    parser.feed(fragment or "")
    parser.close()
    return "\n".join(parser.parts)


#: The shortest beginning of a content, cut with "…", that :func:`without` takes out.
MIN_TRUNCATED = 8


def without(text: str, contents) -> str:
    """Remove member- or facilitator-written ``contents`` (and their escaped forms).

    A content broken over lines (a statement above its bar on a phone's chart) is taken out
    too. A content cut short with "…" (a statement on a chart's axis or in its text alternative:
    ``"4. Our community should ask the ministry to delay the start da…"``) is taken out
    too, from its first :data:`MIN_TRUNCATED` characters on.
    """
    contents = sorted({c for c in contents if c}, key=len, reverse=True)
    for content in contents:
        text = text.replace(content, " ").replace(html.escape(content), " ")
        words = content.split()
        if len(words) > 1:  # a chart may break it over lines
            text = re.sub(r"\s+".join(map(re.escape, words)), " ", text)
    flat = [" ".join(c.split()) for c in contents]
    cuts = []
    for end in (m.start() for m in re.finditer("…", text)):
        longest = max((k for c in flat for k in range(min(len(c), end), MIN_TRUNCATED - 1, -1)
                       if text[end - k:end] == c[:k]), default=0)
        if longest:
            cuts.append((end - longest, end + 1))
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text
