"""One statement on a member's position card: its text, the stance, a reason, and a flag."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .. import model as m
from ..i18n import format_number, format_percent
from .common import FULL_WIDTH, LABEL_BESIDE, SharedLooks, esc

__all__ = ["StatementRow", "PASS", "NOT_ANSWERED"]

#: The radio value of "pass / unsure".
PASS = "pass"
#: A member's own stance in a previous round when they did not answer.
NOT_ANSWERED = object()
_UNANSWERED_BORDER = "2px solid #e65100"
_BORDER = "1px solid #bdbdbd"
#: A row's box; flagged rows get another shared Layout (see StatementRow.flag_unanswered).
_ROW_BOX = {"padding": "8px", "margin": "6px 0"}


class StatementRow(w.VBox):
    """One statement on the card: its text, the stance in words, and an optional reason.

    ``looks`` holds the layouts and styles the rows of one page share (see
    :class:`~cop_widgets.widgets.common.SharedLooks`): none of them is changed through a
    row, a flagged row is given the flagged layout instead.
    """

    def __init__(self, number: int, statement: m.Statement, scale_options: list,
                 _: Callable[[str], str], language: str = "en",
                 looks: SharedLooks | None = None):
        self.number = number
        self.statement = statement
        self._ = _
        self.language = language
        self.looks = looks = looks or SharedLooks()
        self._statement = (f'<div id="cop-st-{statement.id}"><strong>{number}.</strong> '
                           f"{esc(statement.text)}</div>")
        #: The statement, and under it "Not answered yet" while the row is flagged (one
        #: model: the note's own widget was a model more per statement).
        self.text = w.HTML(self._head(False), **looks.of(w.HTML))
        self.stance = w.RadioButtons(
            options=scale_options, value=None,
            description=_("Your stance on statement {number}").format(number=number),
            **looks.of(w.RadioButtons, {"width": "auto"}, LABEL_BESIDE),
        )
        self.rationale = w.Textarea(
            continuous_update=False,
            description=_("Why? (optional)"), placeholder=_("Your reasons, in a few words"),
            **looks.of(w.Textarea, FULL_WIDTH, LABEL_BESIDE),
        )
        super().__init__([self.text, self.stance, self.rationale],
                         layout=self._box(False), _dom_classes=["cop-statement"])

    def flag_unanswered(self, flagged: bool) -> None:
        """Mark the row as not answered yet (a note and a border), or unmark it."""
        self.text.value = self._head(flagged)
        if flagged:
            self.add_class("cop-unanswered")
        else:
            self.remove_class("cop-unanswered")
        self.layout = self._box(flagged)

    def _head(self, flagged: bool) -> str:
        """Return the statement's HTML, with the note "Not answered yet" if ``flagged``.

        The note's box keeps the 4 px an empty widget of its own took (two 2 px margins), so
        the row looks as it did when the note was a widget apart.
        """
        note = ('<div class="cop-unanswered-note" style="color:#bf360c;font-weight:bold">'
                + esc(self._("Not answered yet")) + "</div>") if flagged else ""
        return f'{self._statement}<div style="padding-top:4px">{note}</div>'

    def _box(self, flagged: bool) -> w.Layout:
        """Return the shared layout of a row, flagged or not."""
        return self.looks.layout(border=_UNANSWERED_BORDER if flagged else _BORDER, **_ROW_BOX)

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
            + ". <strong>" + esc(_("Your stance then:")) + f"</strong> {mine}.</div>",
            **self.looks.of(w.HTML))
        self.children = [self.text, self.previous, self.stance, self.rationale]

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
