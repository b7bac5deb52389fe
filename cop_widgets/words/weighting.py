"""What a post-stratification weighting did, in plain words and the page's language.

:mod:`cop_widgets.analysis.weighting` returns weights, cells and a code
(:attr:`~cop_widgets.analysis.weighting.WeightingResult.note`); these functions write the
sentences a facilitator reads from them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..i18n import Words, format_list, format_percent
from ..vocabulary import NOT_GIVEN, OTHER_GROUPS

if TYPE_CHECKING:
    from ..analysis.weighting import WeightingResult

__all__ = ["describe_weighting", "weighting_note"]


def describe_weighting(result: WeightingResult, *, language: str | None = None) -> str:
    """Say in one or two sentences what was weighted, and any empty cell or fallback.

    Parameters
    ----------
    result : WeightingResult
        From :func:`cop_widgets.analysis.weighting.poststratification_weights`.
    language : str, optional
        ``en``, ``fr`` or ``es`` (English by default).

    Returns
    -------
    str
        The sentence for ``result.note``, naming the attributes used, the empty cells (at
        most five) and the respondents left out because they are not on the roster.

    """
    return _describe(result, Words(language))


def _members(count: int, words: Words) -> str:
    """E.g. ``3 members``."""
    return words.ngettext("{count} member", "{count} members", count).format(
        count=words.number(count))


def _cell_words(attributes: Sequence[str], labels: Sequence[str], words: Words) -> str:
    """E.g. ``role coordinator and region not given``.

    The merged small groups of an anonymous consultation ("(other groups)") are named as
    such, never by the groups in them.
    """
    _ = words.gettext

    def cell(attribute: str, value: str) -> str:
        if value == NOT_GIVEN:
            return _("{attribute} not given").format(attribute=attribute)
        if value == OTHER_GROUPS:
            return _("the other groups of {attribute}").format(attribute=attribute)
        return _("{attribute} {value}").format(attribute=attribute, value=value)

    return format_list((cell(a, v) for a, v in zip(attributes, labels, strict=True)),
                       words.language)


def _members_words(attributes: Sequence[str], labels: Sequence[str], words: Words) -> str:
    """E.g. ``Members whose role is coordinator and who did not give their region``."""
    _ = words.gettext

    def condition(attribute: str, value: str) -> str:
        if value == NOT_GIVEN:
            return _("who did not give their {attribute}").format(attribute=attribute)
        if value == OTHER_GROUPS:
            return _("in the other groups of {attribute}").format(attribute=attribute)
        return _("whose {attribute} is {value}").format(attribute=attribute, value=value)

    parts = [condition(a, v) for a, v in zip(attributes, labels, strict=True)]
    return _("Members {conditions}").format(conditions=format_list(parts, words.language))


def _describe(result: WeightingResult, words: Words) -> str:
    """Say what the weighting did (the sentence of ``result.note``) in ``words``."""
    attributes, empty, used = result.attributes, result.empty_cells, result.used
    respondents, unmatched = len(result.weights), result.unmatched
    _, ngettext, number = words.gettext, words.ngettext, words.number
    after = ("" if not unmatched else " " + ngettext(
        "{count} person who answered is not on the roster and left out of the weighting.",
        "{count} people who answered are not on the roster and left out of the weighting.",
        unmatched).format(count=number(unmatched)))
    if respondents == 0:
        return _("Nobody on the roster has answered yet, so there is nothing to weight.") \
            + after
    crossing_words = " × ".join(attributes)
    used_words = " × ".join(used)
    if not empty:
        return _("Answers are weighted by {attributes} so that each group counts as much as "
                 "its share of the roster.").format(attributes=used_words) + after
    listed = [_("{cell}: {members} on the roster").format(
        cell=_cell_words(attributes, tuple(e.cell.values()), words),
        members=_members(e.roster, words)) for e in empty[:5]]
    if len(empty) > 5:
        listed.append(_("and {count} more").format(count=number(len(empty) - 5)))
    if len(attributes) == 1:
        head = ngettext(
            "{count} group of {attributes} has members on the roster but nobody who answered "
            "({cells}), so no answer can stand in for those members",
            "{count} groups of {attributes} have members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members", len(empty))
    else:
        head = ngettext(
            "{count} combination of {attributes} has members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members",
            "{count} combinations of {attributes} have members on the roster but nobody who "
            "answered ({cells}), so no answer can stand in for those members", len(empty))
    head = head.format(count=number(len(empty)), attributes=crossing_words,
                       cells="; ".join(listed))
    if not used:
        return _("{head}; even one attribute at a time some group has nobody who answered, "
                 "so the results are not weighted: every answer counts once.").format(
            head=head) + after
    return _("{head}; the weighting uses {attributes} instead, so that each {attributes} "
             "group counts as much as its share of the roster.").format(
        head=head, attributes=used_words) + after


# -- the paragraph ---------------------------------------------------------------------


def _pct(share: float, words: Words) -> str:
    """Write a share as a percentage, ``under 1%`` rather than ``0%`` for a few answers."""
    if 0 < share < 0.005:
        return words.gettext("under {percent}").format(
            percent=format_percent(0.01, words.language))
    return format_percent(share, words.language)


def _times(weight: float, words: Words) -> str:
    """How much more (or less) one answer counts, in words."""
    _ = words.gettext
    if abs(weight - 1) < 0.05:
        return _("about as much as an average answer")
    if weight > 1:
        rounded = round(weight, 1)
        if rounded == 2:
            return _("about twice as much")
        return _("about {times} times as much").format(times=words.number(rounded))
    if abs(weight - 0.5) < 0.05:
        return _("about half as much")
    return _("about {percent} as much").format(percent=format_percent(weight, words.language))


def weighting_note(result: WeightingResult, max_groups: int = 4, *,
                   language: str | None = None) -> str:
    """Explain in plain words what the weighting does for this data.

    Parameters
    ----------
    result : WeightingResult
        From :func:`cop_widgets.analysis.weighting.poststratification_weights`.
    max_groups : int
        Describe at most this many groups, those whose answers are adjusted most.
    language : str, optional
        The language of the paragraph (English by default); numbers and percentages are
        written the way it writes them. It begins with :func:`describe_weighting`.

    Returns
    -------
    str
        One paragraph: what was weighted (and any empty cell or fallback), the groups whose
        answers count more or less and by how much, and the effective number of answers.

    """
    words = Words(language)
    _, ngettext, number = words.gettext, words.ngettext, words.number
    parts = [_describe(result, words)]
    if not result.weighted:
        if len(result.weights):
            parts.append(_("Raw and weighted results are the same."))
        return " ".join(parts)
    cells = result.cells
    weight = cells["weight"].to_numpy(dtype=np.float64)
    distortion = np.abs(np.log(weight))
    order = np.argsort(-distortion, kind="stable")
    notable = [i for i in order if distortion[i] >= math.log(1.1)]
    if not notable:
        parts.append(_("Those who answered mirror the roster closely (no group's answers "
                       "count more than {percent} more or less), so weighting changes "
                       "little.").format(percent=format_percent(0.1, words.language)))
    for i in notable[:max_groups]:
        label = cells.index[i]
        labels = label if isinstance(label, tuple) else (label,)
        rs, ps = float(cells["roster_share"].iloc[i]), float(cells["respondent_share"].iloc[i])
        parts.append(_("{members} are {roster_share} of the roster but {answered_share} of "
                       "those who answered, so each of their answers counts {times} in the "
                       "weighted results.").format(
            members=_members_words(result.used, labels, words),
            roster_share=_pct(rs, words), answered_share=_pct(ps, words),
            times=_times(float(weight[i]), words)))
    if len(notable) > max_groups:
        others = len(notable) - max_groups
        parts.append(ngettext("{count} other group is adjusted less.",
                              "{count} other groups are adjusted less.", others).format(
            count=number(others)))
    w = result.weights.to_numpy(dtype=np.float64)
    n = len(w)
    effective = float(w.sum() ** 2 / (w ** 2).sum())
    if notable and effective < n - 0.5:
        parts.append(ngettext(
            "Because some answers count more than others, the {count} answer carries about "
            "as much information as {effective} unweighted one; small groups weighted up "
            "make the weighted figures less certain.",
            "Because some answers count more than others, the {count} answers carry about "
            "as much information as {effective} unweighted ones; small groups weighted up "
            "make the weighted figures less certain.", n).format(
            count=number(n), effective=number(round(effective))))
    return " ".join(parts)
