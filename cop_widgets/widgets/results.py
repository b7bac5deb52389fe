"""Read-only results of one consultation, for members and anyone with the link."""

from __future__ import annotations

import ipywidgets as w

from .. import model as m
from ..errors import InvalidToken, NotFound
from ..i18n import format_number, translator
from ..services.results import published_results
from ..store import Store
from ..words.links import GATE_WORDS
from .brief import brief_html
from .common import Message, esc, tagged
from .distribution import distribution_html

__all__ = ["ResultsView"]


def _member_card(store: Store, consultation: m.Consultation,
                 token: str | None) -> tuple[bool, bool]:
    """Return whether ``token`` admits a member of ``consultation``, and whether they submitted."""
    if not token:
        return False, False
    try:
        card = store.get_card(consultation.id, token, include_drafts=False)
    except InvalidToken:
        return False, False
    return True, card is not None


class ResultsView(w.VBox):
    """The community's distribution per statement, with reasons quoted without names.

    Parameters
    ----------
    store : Store
        Where the results come from.
    consultation_id : int or None
        From the link's ``c`` parameter.
    token : str, optional
        A member's token, which admits them to results before the consultation closes.
    language : str, optional
        Overrides the consultation's language.
    """

    def __init__(self, store: Store, consultation_id: int | None, token: str | None = None,
                 language: str | None = None):
        super().__init__()
        self.add_class("cop-results-page")
        self.message = Message()
        consultation = None
        if consultation_id is not None:
            try:
                consultation = store.get_consultation(consultation_id)
            except NotFound:
                pass
        member, submitted = (_member_card(store, consultation, token) if consultation
                             else (False, False))
        if consultation is None or (
                not member and not m.results_visible(consultation, submitted=False)):
            # Nothing of a consultation goes to a visitor who may not see its results: not
            # its brief, not its title (its language alone, so that the sentence is read).
            shown = language or (consultation.language if consultation else "en")
            _ = translator(shown)
            self.add_class(f"cop-lang-{shown}")
            self.message.show(_(GATE_WORDS["results-not-public"][0]), "info")
            self.children = [self.message]
            return
        language = language or consultation.language
        self.add_class(f"cop-lang-{language}")  # the template sets <html lang> from it
        _ = translator(language)
        development = store.get_development(consultation.development_id)
        brief = w.HTML(brief_html(development, consultation, _, language,
                                  accepting=consultation.accepts_cards(store.now())))
        if not m.results_visible(consultation, submitted=submitted):
            # a member of this consultation, who may read its brief on their own page
            self.message.show(_("The results of this consultation are not published yet."),
                              "info")
            self.children = [brief, self.message]
            return
        results = published_results(store, consultation)
        quotes = []
        for number, statement in enumerate(results.statements, start=1):
            items = "".join(f"<li><q>{esc(text)}</q></li>"
                            for text in results.reasons.get(statement.id, []))
            if items:
                quotes.append(f"<h4>{number}. {esc(statement.text)}</h4><ul>{items}</ul>")
        answered_of = esc(_("Members who have answered: {answered} of {members}.")).format(
            answered=f"<strong>{esc(format_number(results.answered, language))}</strong>",
            members=esc(format_number(results.roster, language)))
        self.summary = w.HTML(f"<p>{answered_of}</p>")
        self.distribution = w.HTML(tagged("h3", _("Where the community stands"))
                                   + distribution_html(results.scale, results.statements,
                                                       results.counts, _, language=language))
        self.reasons = w.HTML(
            tagged("h3", _("Reasons members gave"))
            + ("".join(quotes) or tagged("p", _("No reasons given yet.")))
        )
        self.children = [brief, self.summary, self.distribution, self.reasons]
