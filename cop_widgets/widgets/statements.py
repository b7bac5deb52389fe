"""Statements: the facilitator writes, orders, imports and moderates the card's statements.

Long lists (a thousand proposals) are shown a page at a time (:class:`~.pager.Pager`), so
the tab draws a bounded number of widgets however many statements there are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..errors import ValidationError
from ..i18n import N_, format_number, translator
from ..io import statements_from_csv, statements_from_text, uploaded_text
from .common import Message, esc, fit_width, full_width, labelled, tagged
from .editor import ConsultationEditor
from .pager import Pager, discard
from .problems import refused_edit_in_words

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["StatementsEditor", "StatementRow", "PendingRow"]

#: Where the message of an action on a row that leaves the card, or the list of proposals,
#: is shown: above that list.
_CARD, _PENDING = "card", "pending"
#: A removed statement's state in words (English msgids; translated where shown).
_REMOVED_WORDS = {
    m.ModerationState.WITHDRAWN: N_("withdrawn"),
    m.ModerationState.REJECTED: N_("rejected"),
}


class StatementRow(w.VBox):
    """One accepted statement with its edit, move and withdraw controls.

    Attributes
    ----------
    statement : Statement
        The statement as stored.
    text : ipywidgets.Textarea
        Its words; change them and click :attr:`save_button`.
    save_button, up_button, down_button, withdraw_button : ipywidgets.Button
        Save the text, move one place up or down, withdraw from the card.

    """

    def __init__(self, statement: m.Statement, number: int, total: int, *,
                 language: str | None = None, message: Message | None = None):
        self.statement = statement
        _ = translator(language)
        self.text = w.Textarea(value=statement.text,
                               description=_("Statement {number}").format(number=number),
                               style={"description_width": "initial"},
                               layout=full_width(height="4em"))
        self.save_button = w.Button(
            layout=fit_width(), description=_("Save text"), icon="save",
            tooltip=_("Save the text of statement {number}").format(number=number))
        self.up_button = w.Button(layout=fit_width(), description=_("Move up"), icon="arrow-up",
                                  tooltip=_("Move statement {number} up").format(number=number),
                                  disabled=number == 1)
        self.down_button = w.Button(
            layout=fit_width(), description=_("Move down"), icon="arrow-down",
            tooltip=_("Move statement {number} down").format(number=number),
            disabled=number == total)
        self.withdraw_button = w.Button(
            layout=fit_width(), description=_("Withdraw"), icon="times", button_style="warning",
            tooltip=_("Take statement {number} off the card").format(number=number))
        buttons = (self.save_button, self.up_button, self.down_button, self.withdraw_button)
        super().__init__([
            self.text,
            message.beside(*buttons, keys=(("statement", statement.id),)) if message
            else w.HBox(buttons),
        ], layout=w.Layout(border="1px solid #ddd", padding="4px", margin="2px 0"))


class PendingRow(w.VBox):
    """A member's proposed statement waiting for moderation.

    Attributes
    ----------
    statement : Statement
        The proposal.
    accept_button, reject_button : ipywidgets.Button
        Put it on the card, or turn it down.

    """

    def __init__(self, statement: m.Statement, proposer: str, *, language: str | None = None):
        self.statement = statement
        _ = translator(language)
        self.accept_button = w.Button(layout=fit_width(), description=_("Accept"), icon="check",
                                      button_style="success",
                                      tooltip=_("Put this proposal on the card"))
        self.reject_button = w.Button(layout=fit_width(), description=_("Reject"), icon="ban",
                                      tooltip=_("Turn this proposal down"))
        proposed = esc(_("Proposed by {name}")).format(name=esc(proposer))
        super().__init__([
            w.HTML(f"<div>{esc(statement.text)}</div>"
                   f"<small>{proposed}</small>"),
            w.HBox([self.accept_button, self.reject_button]),
        ], layout=w.Layout(border="1px solid #ddd", padding="4px", margin="2px 0"))


class StatementsEditor(ConsultationEditor):
    """Edit the statements of one consultation's card.

    Parameters
    ----------
    store, consultation_id, on_change, language
        As for every :class:`~cop_widgets.widgets.editor.ConsultationEditor`: the
        statements' store, the consultation whose card is edited, what to call after every
        action, and the editor's language.
    **kwargs
        Passed to ``ipywidgets.VBox``.

    Attributes
    ----------
    rows : list of StatementRow
        The accepted statements on the current page of :attr:`card_pager`, in card order.
    card_pager, pending_pager : Pager
        Which page of the statements on the card, and of the proposals waiting, is shown
        (25 a page; each hidden while its list fits on one page).
    new_text, add_button : ipywidgets.Widget
        Write one statement and add it at the end.
    paste, import_text_button : ipywidgets.Widget
        Paste several statements, one per line, and add them all.
    upload, import_csv_button : ipywidgets.Widget
        Choose a CSV file and add its statements.
    pending_rows : list of PendingRow
        Members' proposals waiting for moderation, on the current page of
        :attr:`pending_pager`, oldest first.
    withdrawn_picker, restore_button : ipywidgets.Widget
        Put a withdrawn or rejected statement back on the card.
    message : Message
        What happened, or which field broke which rule.

    """

    def __init__(self, store: Store, consultation_id: int,
                 on_change: Callable[[], None] | None = None, *,
                 language: str | None = None, **kwargs: Any):
        super().__init__(store, consultation_id, on_change, language=language, **kwargs)
        _ = self._
        self.rows: list[StatementRow] = []
        self.pending_rows: list[PendingRow] = []
        #: Edits typed in rows and not saved yet, by statement id: kept across pages.
        self._unsaved: dict[int, str] = {}
        self.card_pager = Pager(self.refresh, language=language)
        self.pending_pager = Pager(self.refresh, language=language)

        self.list_box = w.VBox()
        self.count = w.HTML()
        self.new_text = w.Textarea(placeholder=_("One statement members will take a stance on"),
                                   layout=full_width(height="4em"))
        self.add_button = w.Button(layout=fit_width(), description=_("Add statement"), icon="plus",
                                   button_style="primary")
        self.paste = w.Textarea(placeholder=_("Paste statements here, one per line"),
                                layout=full_width(height="8em"))
        self.import_text_button = w.Button(layout=fit_width(), icon="list",
                                           description=_("Add all lines"))
        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False,
                                   description=_("Choose CSV file"))
        self.import_csv_button = w.Button(layout=fit_width(), icon="upload",
                                          description=_("Add statements from CSV"))
        self.pending_box = w.VBox()
        self.withdrawn_picker = w.Dropdown(options=[], layout=full_width())
        self.restore_button = w.Button(layout=fit_width(), icon="undo",
                                       description=_("Put back on the card"))

        self.children = (
            w.HTML(tagged("h3", _("Statements on the card"))),
            self.count,
            self.message.slot(_CARD, None),  # also what has no place of its own
            self.card_pager,
            self.list_box,
            w.HTML(tagged("h4", _("Add a statement"))),
            labelled(_("New statement"), self.new_text, _("At most 500 characters.")),
            self.message.beside(self.add_button),
            w.HTML(tagged("h4", _("Add many at once"))),
            labelled(_("Statements, one per line"), self.paste,
                     _("Each non-empty line becomes a statement. If one line is refused, "
                       "none is added.")),
            self.message.beside(self.import_text_button),
            labelled(_("CSV file of statements"), self.upload,
                     _("The first line names the columns; statements are read from the "
                       "\u201ctext\u201d or \u201cstatement\u201d column, else the first "
                       "column. If one row is refused, none is added.")),
            self.message.beside(self.import_csv_button),
            w.HTML(tagged("h4", _("Proposals from members waiting for you"))),
            self.message.slot(_PENDING),
            self.pending_pager,
            self.pending_box,
            w.HTML(tagged("h4", _("Withdrawn and rejected statements"))),
            labelled(_("Statement to put back"), self.withdrawn_picker),
            self.message.beside(self.restore_button),
        )
        self.connect({self.add_button: self.add_one, self.import_text_button: self.import_text,
                      self.import_csv_button: self.import_csv,
                      self.restore_button: self.restore})
        self.consultation_id = consultation_id  # draws it

    # -- helpers ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every list from the store."""
        _, ngettext = self._, self.ngettext
        consultation = self.store.get_consultation(self.consultation_id)
        accepted = self.store.list_statements(self.consultation_id)
        # edits typed in other rows and not saved yet stay in their boxes, on any page
        for row in self.rows:
            if row.text.value != row.statement.text:
                self._unsaved[row.statement.id] = row.text.value
            else:
                self._unsaved.pop(row.statement.id, None)
        offset, shown = self.card_pager.page(accepted)
        old_rows, self.rows = self.rows, []
        for number, statement in enumerate(shown, start=offset + 1):
            row = StatementRow(statement, number, len(accepted), language=self.language,
                               message=self.message)
            if self._unsaved.get(statement.id, statement.text) != statement.text:
                row.text.value = self._unsaved[statement.id]
            # reported in the row (redrawn, and moved with its statement), or above the
            # list once the statement has left it
            here = ("statement", statement.id)
            row.save_button.on_click(self.guard(
                lambda s=statement, r=row: self.edit(s.id, r.text.value), at=here))
            row.up_button.on_click(self.guard(lambda s=statement: self.move(s.id, -1),
                                              at=here))
            row.down_button.on_click(self.guard(lambda s=statement: self.move(s.id, +1),
                                                at=here))
            row.withdraw_button.on_click(self.guard(lambda s=statement: self.withdraw(s.id),
                                                    at=_CARD))
            self.rows.append(row)
        self.list_box.children = tuple(self.rows)
        discard(old_rows)
        count = len(accepted)
        self.count.value = "<p>" + esc(
            ngettext("{count} statement on the card, in the order members see them.",
               "{count} statements on the card, in the order members see them.",
               count).format(count=format_number(count, self.language)) if accepted else
            _("No statement yet. Add one below: a consultation opens only with at least "
              "one statement.")
        ) + "</p>"

        pending = self.store.list_statements(self.consultation_id,
                                             states=[m.ModerationState.PENDING])
        offset, shown = self.pending_pager.page(pending)
        names: dict[int, str] = {}
        if shown and not consultation.anonymous:
            names = {mb.id: mb.name for mb in self.store.list_members(self.consultation_id)}
        old_pending, self.pending_rows = self.pending_box.children, []
        for statement in shown:
            proposer = (_("a member") if consultation.anonymous or statement.proposed_by is None
                        else names.get(statement.proposed_by, _("a member")))
            row = PendingRow(statement, proposer, language=self.language)
            row.accept_button.on_click(self.guard(
                lambda s=statement: self.moderate(s.id, m.ModerationState.ACCEPTED),
                at=_PENDING))
            row.reject_button.on_click(self.guard(
                lambda s=statement: self.moderate(s.id, m.ModerationState.REJECTED),
                at=_PENDING))
            self.pending_rows.append(row)
        self.pending_box.children = tuple(self.pending_rows) or (
            w.HTML(tagged("p", _("No proposal is waiting."))),)
        discard(old_pending)

        removed = self.store.list_statements(
            self.consultation_id,
            states=[m.ModerationState.WITHDRAWN, m.ModerationState.REJECTED])
        self.withdrawn_picker.options = [
            (f"({_(_REMOVED_WORDS.get(s.moderation, s.moderation.value))}) {_short(s.text)}",
             s.id) for s in removed
        ]
        self.withdrawn_picker.value = removed[0].id if removed else None
        self.withdrawn_picker.disabled = self.restore_button.disabled = not removed

    # -- actions ----------------------------------------------------------------------

    def add_one(self) -> str:
        """Add the statement written in :attr:`new_text` at the end of the card."""
        statement = self.store.add_statement(m.Statement(self.consultation_id,
                                                         self.new_text.value))
        self.new_text.value = ""
        return self._("Added statement {number}: \u201c{text}\u201d.").format(
            number=len(self.store.list_statements(self.consultation_id)),
            text=_short(statement.text))

    def import_text(self) -> str:
        """Add every non-empty line of :attr:`paste` (all of them, or none)."""
        statements = self.store.add_statements(
            statements_from_text(self.consultation_id, self.paste.value))
        self.paste.value = ""
        return self.ngettext(
            "Added {count} statement.", "Added {count} statements.",
            len(statements)).format(count=format_number(len(statements), self.language))

    def import_csv(self) -> str:
        """Add the statements of the uploaded CSV file (all of them, or none)."""
        name, text = uploaded_text(self.upload.value)
        statements, column = statements_from_csv(self.consultation_id, text)
        self.store.add_statements(statements)
        self.upload.value = ()
        return self.ngettext(
            "Added {count} statement from the column \u201c{column}\u201d of {file}.",
            "Added {count} statements from the column \u201c{column}\u201d of {file}.",
            len(statements)).format(
            count=format_number(len(statements), self.language), column=column, file=name)

    def edit(self, statement_id: int, text: str) -> str | None:
        """Change the words of a statement (refused once members have answered it).

        A refused edit is said as a sentence beside the statement's buttons (see
        :func:`~cop_widgets.widgets.problems.refused_edit_in_words`). When the statement
        cannot change (members answered it) or the words were left empty, its box shows
        the stored words again, as the Settings tab does for a refused setting; words that
        are only too long stay in the box, so that the facilitator can shorten them
        instead of typing them again.
        """
        try:
            statement = self.store.update_statement(statement_id, text=text)
        except ValidationError as exc:
            if exc.field != "text":
                raise
            put_back = exc.code != "too-long"
            if put_back:
                self._put_back(statement_id)
            self.message.show(refused_edit_in_words(
                exc, self._, {"text": self._("the statement")}, self.language,
                put_back=put_back), "error")
            return None
        return self._("Saved: \u201c{text}\u201d.").format(text=_short(statement.text))

    def _put_back(self, statement_id: int) -> None:
        """Show the stored words of a statement again in its box; forget the refused ones."""
        stored = self.store.get_statement(statement_id).text
        self._unsaved.pop(statement_id, None)
        for row in self.rows:
            if row.statement.id == statement_id:
                row.text.value = stored

    def move(self, statement_id: int, step: int) -> str:
        """Move a statement ``step`` places (``-1`` up, ``+1`` down) on the card."""
        order = [s.id for s in self.store.list_statements(self.consultation_id)]
        if statement_id not in order:
            self.refresh()
            raise ValidationError("statement", "statement-gone")
        i = order.index(statement_id)
        j = min(max(i + step, 0), len(order) - 1)
        order[i], order[j] = order[j], order[i]
        self.store.reorder_statements(self.consultation_id, order)
        self.card_pager.show_index(j)  # the moved statement stays in view
        return self._("Moved to place {number}.").format(number=j + 1)

    def withdraw(self, statement_id: int) -> str:
        """Take a statement off the card (it can be put back later)."""
        self.store.update_statement(statement_id, moderation=m.ModerationState.WITHDRAWN)
        return self._("Withdrawn. It is listed under \u201cWithdrawn and rejected "
                      "statements\u201d.")

    def moderate(self, statement_id: int, state: m.ModerationState) -> str:
        """Accept or reject a member's proposal."""
        self.store.update_statement(statement_id, moderation=state)
        if state is m.ModerationState.ACCEPTED:
            return self._("Accepted: the proposal is now on the card.")
        return self._("Rejected. It is listed under \u201cWithdrawn and rejected "
                      "statements\u201d.")

    def restore(self) -> str:
        """Put the statement chosen in :attr:`withdrawn_picker` back on the card."""
        if self.withdrawn_picker.value is None:
            raise ValidationError("withdrawn_statement", "choose-statement")
        self.store.update_statement(self.withdrawn_picker.value,
                                    moderation=m.ModerationState.ACCEPTED)
        return self._("Put back on the card.")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
