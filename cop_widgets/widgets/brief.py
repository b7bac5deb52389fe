"""The brief of a development, as members read it before taking a position."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Consultation, Development, DevelopmentKind
from .common import esc

__all__ = ["KIND_WORDS", "brief_html"]

KIND_WORDS = {
    DevelopmentKind.POLICY: "A new policy",
    DevelopmentKind.TECHNOLOGY: "A new technology",
    DevelopmentKind.MANAGEMENT_CHANGE: "A change in management",
    DevelopmentKind.REQUEST_FOR_OPINION: "A request for our opinion",
    DevelopmentKind.OTHER: "An external development",
}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in text.split("\n\n") if p.strip())


def brief_html(development: Development, consultation: Consultation,
               _: Callable[[str], str] = str) -> str:
    """Return the brief as escaped HTML: what happened, what we are asked, by when."""
    parts = [
        f'<h2 style="margin-bottom:0">{esc(consultation.title)}</h2>',
        f'<p><strong>{esc(_(KIND_WORDS[development.kind]))}:</strong> '
        f'{esc(development.title)}'
        + (f" ({esc(development.date.isoformat())})" if development.date else "")
        + "</p>",
        _paragraphs(development.summary),
    ]
    if development.source_url:
        parts.append(f'<p><a href="{esc(development.source_url)}" target="_blank" '
                     f'rel="noopener noreferrer">{esc(_("Read the source"))}</a></p>')
    if development.kind is DevelopmentKind.REQUEST_FOR_OPINION:
        questions = "".join(f"<li>{esc(q)}</li>" for q in development.questions)
        parts.append(
            f"<p>{esc(_('Requested by'))} <strong>{esc(development.requester)}</strong>, "
            f"{esc(_('who needs our answer by'))} "
            f"<strong>{esc(str(development.requester_deadline))}</strong>. "
            f"{esc(_('Their questions:'))}</p><ol>{questions}</ol>"
        )
    if consultation.deadline:
        parts.append(f"<p>{esc(_('Please answer by'))} "
                     f"<strong>{consultation.deadline:%Y-%m-%d %H:%M} UTC</strong>.</p>")
    return '<div class="cop-brief">' + "".join(parts) + "</div>"
