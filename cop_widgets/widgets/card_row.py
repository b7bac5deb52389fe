"""One statement on a member's position card: its text, the stance, a reason, and a flag."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .. import model as m
from ..i18n import format_number, format_percent
from .common import esc, full_width

__all__ = ["StatementRow", "PASS", "NOT_ANSWERED"]

#: The radio value of "pass / unsure".
PASS = "pass"
#: A member's own stance in a previous round when they did not answer.
NOT_ANSWERED = object()
_UNANSWERED_BORDER = "2px solid #e65100"
_BORDER = "1px solid #bdbdbd"


class StatementRow(w.VBox):
    """One statement on the card: its text, the stance in words, and an optional reason."""

    def __init__(self, number: int, statement: m.Statement, scale_options: list,
                 _: Callable[[str], str], language: str = "en"):
        self.number = number
        self.statement = statement
        self._ = _
        self.language = language
        self.text = w.HTML(f'<div id="cop-st-{statement.id}"><strong>{number}.</strong> '
                           f"{esc(statement.text)}</div>")
        self.stance = w.RadioButtons(
            options=scale_options, value=None,
            description=_("Your stance on statement {number}").format(number=number),
            style={"description_width": "initial"}, layout=w.Layout(width="auto"),
        )
        self.rationale = w.Textarea(
            continuous_update=False,
            description=_("Why? (optional)"), placeholder=_("Your reasons, in a few words"),
            style={"description_width": "initial"}, layout=full_width(),
        )
        #: "Not answered yet", shown with a coloured border while the row is flagged.
        self.flag = w.HTML()
        super().__init__([self.text, self.flag, self.stance, self.rationale],
                         layout=w.Layout(border=_BORDER, padding="8px", margin="6px 0"))
        self.add_class("cop-statement")

    def flag_unanswered(self, flagged: bool) -> None:
        """Mark the row as not answered yet (a note and a border), or unmark it."""
        if flagged:
            self.flag.value = ('<div class="cop-unanswered-note" style="color:#bf360c;'
                               'font-weight:bold">'
                               + esc(self._("Not answered yet")) + "</div>")
            self.add_class("cop-unanswered")
        else:
            self.flag.value = ""
            self.remove_class("cop-unanswered")
        self.layout.border = _UNANSWERED_BORDER if flagged else _BORDER

    def show_previous(self, round_number: int, counts: dict, scale, own: object) -> None:
        """Add the previous round's distribution and the member's own stance then."""
        _, language = self._, self.language
        total = sum(counts.values())
        parts = [f"{esc(_(scale.label(v)))} {esc(format_number(counts[v], language))} "
                 f"({esc(format_percent(counts[v] / total, language))})"
                 for v in [*scale.values, None] if counts.get(v)]
        mine = (esc(_("you did not answer")) if own is NOT_ANSWERED
                else esc(_(scale.label(own))))
        self.previous = w.HTML(
            '<div class="cop-previous" style="background:#f5f5f5;padding:4px 8px">'
            + esc(_("Round {number}:").format(number=round_number)) + " "
            + (" · ".join(parts) if parts else esc(_("no answers")))
            + ". <strong>" + esc(_("Your stance then:")) + f"</strong> {mine}.</div>")
        self.children = [self.text, self.flag, self.previous, self.stance,
                         self.rationale]

    def response(self) -> m.StanceResponse | None:
        """Return the answer, or ``None`` if the statement was left unanswered."""
        if self.stance.value is None:
            return None
        stance = None if self.stance.value == PASS else int(self.stance.value)
        return m.StanceResponse(self.statement.id, stance, self.rationale.value)

    def fill(self, response: m.StanceResponse) -> None:
        """Show an earlier answer."""
        self.stance.value = PASS if response.stance is None else response.stance
        self.rationale.value = response.rationale
