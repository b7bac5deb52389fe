"""The brief of a development, as members read it before taking a position."""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import N_, format_date, format_datetime
from ..model import Consultation, Development, DevelopmentKind
from .common import esc

__all__ = ["KIND_WORDS", "brief_html"]

#: The kind of a development in words (English msgids; translated where shown).
KIND_WORDS = {
    DevelopmentKind.POLICY: N_("A new policy"),
    DevelopmentKind.TECHNOLOGY: N_("A new technology"),
    DevelopmentKind.MANAGEMENT_CHANGE: N_("A change in management"),
    DevelopmentKind.REQUEST_FOR_OPINION: N_("A request for our opinion"),
    DevelopmentKind.OTHER: N_("An external development"),
}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in text.split("\n\n") if p.strip())


def brief_html(development: Development, consultation: Consultation,
               _: Callable[[str], str] = str, language: str | None = None, *,
               accepting: bool = True) -> str:
    """Return the brief as escaped HTML: what happened, what we are asked, by when.

    ``_`` translates the words around the facilitator's text; ``language`` (default: the
    consultation's) sets how dates are written. "Please answer by" is a request: a page
    whose consultation takes no card now (``accepting`` false) does not make it.
    """
    language = language or consultation.language
    kind = _("{kind}:").format(kind=_(KIND_WORDS[development.kind]))
    parts = [
        f'<h2 style="margin-bottom:0">{esc(consultation.title)}</h2>',
        f'<p><strong>{esc(kind)}</strong> '
        f'{esc(development.title)}'
        + (f" ({esc(format_date(development.date, language))})" if development.date else "")
        + "</p>",
        _paragraphs(development.summary),
    ]
    if development.source_url:
        parts.append(f'<p><a href="{esc(development.source_url)}" target="_blank" '
                     'rel="noopener noreferrer">' + esc(_("Read the source")) + "</a></p>")
    if development.kind is DevelopmentKind.REQUEST_FOR_OPINION:
        questions = "".join(f"<li>{esc(q)}</li>" for q in development.questions)
        requested = esc(_("Requested by {requester}, who needs our answer by {deadline}.")).format(
            requester=f"<strong>{esc(development.requester)}</strong>",
            deadline=(f"<strong>{esc(format_date(development.requester_deadline, language))}"
                      "</strong>"))
        their = esc(_("Their questions:"))
        parts.append(f"<p>{requested} {their}</p><ol>{questions}</ol>")
    if consultation.deadline and accepting:
        answer_by = esc(_("Please answer by {deadline}.")).format(
            deadline=f"<strong>{esc(format_datetime(consultation.deadline, language))}</strong>")
        parts.append(f"<p>{answer_by}</p>")
    return '<div class="cop-brief">' + "".join(parts) + "</div>"
