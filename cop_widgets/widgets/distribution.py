"""Stance distributions as light HTML bars (no pandas, no altair): for member pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..charts.palette import PASS_COLOUR, stance_colours
from ..i18n import format_number, format_percent
from ..model import Statement
from ..scales import Scale
from .common import esc

__all__ = ["distribution_html", "PASS_COLOUR"]

def _text_colour(background: str) -> str:
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#fff"


def distribution_html(
    scale: Scale,
    statements: Sequence[Statement],
    counts: Mapping[int, Mapping[int | None, int]],
    _: Callable[[str], str] = str,
    own: Mapping[int, int | None] | None = None,
    *,
    language: str | None = "en",
) -> str:
    """Return an HTML block: for each statement, a stacked bar and the same numbers in words.

    Parameters
    ----------
    scale : Scale
        The consultation's scale.
    statements : sequence of Statement
        In card order; their text is escaped.
    counts : mapping
        ``{statement_id: {stance: count}}`` as returned by ``Store.stance_counts``.
    _ : callable
        The translation function.
    own : mapping, optional
        The viewer's own stance per statement, mentioned in words.
    language : str, optional
        How numbers and percentages are written (``50%`` in English, ``50 %`` in French).
    """
    colours = stance_colours(scale)
    order: list[int | None] = [*scale.values, None]
    blocks = []
    for number, statement in enumerate(statements, start=1):
        by_stance = counts.get(statement.id, {})
        total = sum(by_stance.values())
        parts, words = [], []
        for stance in order:
            n = by_stance.get(stance, 0)
            if not n:
                continue
            share = 100 * n / total
            label = _(scale.label(stance))
            count = format_number(n, language)
            words.append(esc(_("{label}: {count} ({percent})").format(
                label=label, count=count, percent=format_percent(n / total, language))))
            title = _("{label}: {count}").format(label=label, count=count)
            parts.append(
                f'<div title="{esc(title)}" '
                f'style="width:{share:.2f}%;'
                f'background:{colours[stance]};color:{_text_colour(colours[stance])};'
                f'overflow:hidden;white-space:nowrap;font-size:12px;text-align:center">'
                f'{esc(count)}</div>'
            )
        summary = "; ".join(words) if words else esc(_("No answers yet."))
        mine = ""
        if own is not None and statement.id in own:
            mine = ("<div><em>" + esc(_("Your stance:")) + " "
                    + esc(_(scale.label(own[statement.id]))) + "</em></div>")
        bar = (f'<div aria-hidden="true" style="display:flex;height:22px;border:1px solid #757575;'
               f'margin:4px 0">{"".join(parts)}</div>') if parts else ""
        answers = _("Answers ({count}):").format(count=format_number(total, language))
        blocks.append(
            f'<div class="cop-distribution" style="margin:10px 0">'
            f'<div><strong>{number}.</strong> {esc(statement.text)}</div>{bar}'
            f'<div class="cop-distribution-text">'
            f'{esc(answers)} '
            f'{summary}</div>'
            f'{mine}</div>'
        )
    legend = " ".join(
        f'<span style="display:inline-block;margin-right:8px"><span aria-hidden="true" '
        f'style="display:inline-block;width:12px;height:12px;background:{colours[s]};'
        f'border:1px solid #757575"></span> {esc(_(scale.label(s)))}</span>'
        for s in order
    )
    return f'<div class="cop-legend">{legend}</div>' + "".join(blocks)
