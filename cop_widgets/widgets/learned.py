"""The Divergence tab's "What we learned from each other": who changed their mind (issue 13).

Per statement, the members compared before and after reading each other's reasons, how many
moved and which way, the moves from one stance to another, and the reasons members credited
with changing their mind; then the same numbers per discussion group (small groups merged
as :attr:`~cop_widgets.services.deliberation.DiscussionAnalysis.change` merges them).
Counts only: never who moved, who wrote a reason or who credited it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..i18n import format_number, plural_translator, translator
from ..model.discussion import Reason, ReasonKey
from ..vocabulary import ALL_MEMBERS
from ..words.discussion import CHANGE_RULE, LEARNED_TITLE, REASON_GONE, SIDE_WORDS, group_name
from .common import esc, tagged

if TYPE_CHECKING:
    from ..analysis.deliberation.change import ChangeRow
    from ..scales import Scale
    from ..services.analysis import ConsultationAnalysis

__all__ = ["learned_html"]

#: Between the stance before and the stance after, in a move.
ARROW = "\u2192"


def learned_html(analysis: ConsultationAnalysis, *, language: str | None = None) -> str:
    """Return the "What we learned from each other" panel of ``analysis``, as HTML.

    Parameters
    ----------
    analysis : ConsultationAnalysis
        The consultation read once; its :attr:`~ConsultationAnalysis.discussion` gives the
        opinion change.
    language : str, optional
        Language of the panel (``en``, ``fr``, ``es``); English by default.

    Returns
    -------
    str
        A heading, one section per statement on which somebody was compared (a table of
        everyone and each group, the reasons credited), and the rule of the count; or one
        sentence when nobody has been compared yet. Member text is escaped.

    """
    _ = translator(language)
    discussion = analysis.discussion
    heading = tagged("h4", _(LEARNED_TITLE))
    rule = "<p>" + tagged("small", _(CHANGE_RULE)) + "</p>"
    if discussion.phase is None:
        return heading + tagged("p", _(
            "The discussion has not started: once it is open, this shows who changed their "
            "mind after reading other members' reasons.")) + rule
    rows = discussion.change
    shown = [row for row in rows if row.group is None and row.compared > 0]
    if not shown:
        return heading + tagged("p", _(
            "Nobody has been shown other members' reasons yet, so nobody can have changed "
            "their mind after reading them.")) + rule
    numbers = discussion.numbers()
    texts = {s.id: s.text for s in analysis.statements}
    reasons = {reason.key: reason for reason in discussion.record.reasons}
    source = discussion.source.value
    parts = [heading]
    for everyone in shown:
        sid = everyone.statement_id
        if sid not in numbers:
            continue
        groups = [r for r in rows if r.statement_id == sid and r.group is not None]
        parts.append(tagged("h5", _("Statement {number}: {text}").format(
            number=format_number(numbers[sid], language), text=texts.get(sid, ""))))
        parts.append(_table(everyone, groups, analysis.scale, source, _, language))
        parts.append(_credited(everyone.credited, reasons, _, language))
    parts.append(rule)
    return "".join(parts)


def _table(everyone: ChangeRow, groups: list[ChangeRow], scale: Scale, source: str,
           _: Callable[[str], str], language: str | None) -> str:
    """One statement's change: everyone, then each group, one row each."""
    heads = "".join(f"<th scope='col'>{esc(h)}</th>" for h in (
        _("Who"), _("Members compared"), _("Moved"), _("Toward agreement"),
        _("Toward disagreement"), _("Net toward agreement")))
    # on a phone the table scrolls: the moves keep a readable width, not a word a line
    moves = esc(_("Moves (from \u2192 to)"))
    heads += f"<th scope='col' style='min-width:14em'>{moves}</th>"
    body = "".join(
        _row(label, row, scale, _, language) for label, row in
        [(_(ALL_MEMBERS), everyone)]
        + [(group_name(row.group or "", source, _), row) for row in groups])
    return (f"<table class='cop-table cop-learned'><thead><tr>{heads}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _row(label: str, row: ChangeRow, scale: Scale, _: Callable[[str], str],
         language: str | None) -> str:
    def number(value: int, signed: bool = False) -> str:
        return format_number(value, language, signed=signed and value != 0)

    moves = "<br>".join(esc(_("{before} {arrow} {after}: {count}").format(
        before=_(scale.label(before)), arrow=ARROW, after=_(scale.label(after)),
        count=number(count))) for (before, after), count in row.transitions.items())
    cells = [number(row.compared), number(row.moved), number(row.toward_agree),
             number(row.toward_disagree), number(row.toward_agree - row.toward_disagree, True)]
    return (f"<tr><th scope='row'>{esc(label)}</th>"
            + "".join(f"<td>{esc(cell)}</td>" for cell in cells)
            + "<td>" + (moves or esc(_("none"))) + "</td></tr>")


def _credited(credited: dict[ReasonKey, int], reasons: dict[ReasonKey, Reason],
              _: Callable[[str], str], language: str | None) -> str:
    """List the reasons credited with a change of mind on one statement, most first."""
    ngettext = plural_translator(language)
    items = []
    for key, count in credited.items():
        reason = reasons.get(key)
        # a reason its author has since changed or emptied is no longer shown
        text = reason.text if reason is not None else _(REASON_GONE)
        side = _(SIDE_WORDS[reason.side.value]) if reason is not None else ""
        said = ngettext("credited by {count} member", "credited by {count} members",
                        count).format(count=format_number(count, language))
        line = (_("\u201c{reason}\u201d ({side}): {credited}") if side else
                _("{reason}: {credited}")).format(reason=text, side=side, credited=said)
        items.append(f"<li>{esc(line)}</li>")
    if not items:
        return tagged("p", _("No reason was credited with a change of mind on this "
                             "statement."))
    return (tagged("p", _("Reasons credited with a change of mind:"))
            + f"<ul>{''.join(items)}</ul>")
