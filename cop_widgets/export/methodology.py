"""The Methodology section of an export: dates, who was heard, measures and the rule.

:func:`methodology_blocks` lays out the report's
:class:`~cop_widgets.export.report_parts.Methodology` as the last section of every
export, in the report's language: when the consultation ran, the participation of each
group with the under-representation rule that flags it, the disclosure control of an
anonymous consultation (the rule that merges small groups, named, with its threshold), the
measures reported for each statement and the thresholds of the consensus rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_, Words
from ..vocabulary import ALL_MEMBERS, NOT_GIVEN, OTHER_GROUPS
from ..words.participation import GAP_HEADER, SHARE_OF_ANSWERS, SHARE_OF_ROSTER, gap_explained
from ..words.stances import APART_WORDS, CATEGORY_WORDS, CLASS_WORDS
from .blocks import SECTION_LEVEL, Block, FigureBlock, Heading, ItemList, Paragraph, Span, Table
from .report_parts import GroupParticipation
from .values import MISSING, fmt_date, fmt_gap, fmt_moment, fmt_number, fmt_pct

if TYPE_CHECKING:
    from ..analysis.summary import ConsensusRule
    from ..scales import Scale
    from .report import Report

__all__ = ["METHODOLOGY_TITLE", "methodology_blocks", "group_label"]

#: The title of the last section of every export (an English msgid).
METHODOLOGY_TITLE = N_("Methodology")
#: The columns of a participation table that hold numbers, and the one that holds the flag.
_NUMERIC, _FLAG = (1, 2, 3, 4, 5, 6, 7), 8


def group_label(group: GroupParticipation, words: Words) -> str:
    """Return a group's name in the language of ``words``.

    "All members", "(not given)" and "(other groups)" are translated; an attribute's value
    is shown as it is.
    """
    if group.attribute is None and group.group == ALL_MEMBERS:
        return words.gettext(ALL_MEMBERS)
    if group.group in (NOT_GIVEN, OTHER_GROUPS):
        return words.gettext(group.group)
    return group.group


def methodology_blocks(report: Report, figures: dict[str, FigureBlock],
                       words: Words) -> list[Block]:
    """Lay out the Methodology section of ``report``.

    Parameters
    ----------
    report : Report
        The report; its ``methodology`` is laid out.
    figures : dict of str to FigureBlock
        The numbered figures of the export, by key: the participation charts are placed
        in this section.
    words : Words
        The report's language.

    Returns
    -------
    list of Block
        The section, from its heading to the thresholds of the consensus rule.
    """
    return [Heading(words.gettext(METHODOLOGY_TITLE), SECTION_LEVEL), *_dates(report, words),
            *_who_was_heard(report, figures, words), *_disclosure(report, words),
            *_measures(report, words)]


def _dates(report: Report, w: Words) -> list[Block]:
    _, lang, meth = w.gettext, w.language, report.methodology
    rounds = (_("The figures describe round {number}, the latest, and each member's latest "
                "submitted position in it.").format(number=w.number(meth.rounds))
              if meth.rounds > 1 else
              _("The figures describe each member's latest submitted position."))
    return [Heading(_("Dates"), 3),
            Table(_("Dates of the consultation"), (_("Event"), _("Date")), (
                (_("Development announced"), fmt_date(meth.development_date, lang)),
                (_("Consultation deadline"), fmt_moment(meth.consultation_deadline, lang)),
                (_("First round opened"), fmt_moment(meth.first_round_opened, lang)),
                (_("Rounds"), w.number(meth.rounds)),
                (_("Exported"), fmt_moment(meth.exported_at, lang)),
            )),
            Paragraph((Span(rounds),))]


def _shares(g: GroupParticipation, overall: GroupParticipation) -> tuple[float, float]:
    """Return a group's share of the roster and of the members who answered."""
    roster = g.roster / overall.roster if overall.roster else float("nan")
    answers = g.responded / overall.responded if overall.responded else float("nan")
    return roster, answers


def _participation_rows(groups: list[GroupParticipation], overall: GroupParticipation,
                        w: Words) -> tuple[tuple[str, ...], ...]:
    """One row per group: counts, response rate, the two shares and the gap between them."""
    lang = w.language
    rows = []
    for g in groups:
        roster, answers = _shares(g, overall)
        rows.append((group_label(g, w), w.number(g.roster), w.number(g.invited),
                     w.number(g.responded), fmt_pct(g.rate, lang), fmt_pct(roster, lang),
                     fmt_pct(answers, lang),
                     fmt_gap(g.gap, lang) if g.attribute is not None else MISSING,
                     w.gettext("under-represented") if g.under_represented else ""))
    return tuple(rows)


def _who_was_heard(report: Report, figures: dict[str, FigureBlock], w: Words) -> list[Block]:
    _, meth = w.gettext, report.methodology
    overall, lang = meth.overall, w.language
    blocks: list[Block] = [Heading(_("Who was heard"), 3), Paragraph((Span(
        w.ngettext("{responded} of {invited} invited members responded ({percent}); {roster} "
                   "member is on the roster.",
                   "{responded} of {invited} invited members responded ({percent}); {roster} "
                   "members are on the roster.", overall.roster).format(
            responded=w.number(overall.responded), invited=w.number(overall.invited),
            percent=fmt_pct(overall.rate, lang), roster=w.number(overall.roster))
        + " " + gap_explained(meth.representation_rule, w)),))]
    header = (_("Group"), _("On the roster"), _("Invited"), _("Responded"),
              _("Response rate"), _(SHARE_OF_ROSTER), _(SHARE_OF_ANSWERS), _(GAP_HEADER),
              _("Flag"))
    blocks.append(Table(_("Participation, all members"), header,
                        _participation_rows([overall], overall, w), numeric=_NUMERIC,
                        flag_column=_FLAG))
    for attribute, groups in meth.by_attribute.items():
        blocks.append(Table(_("Participation by {attribute}").format(attribute=attribute),
                            header, _participation_rows(list(groups), overall, w),
                            numeric=_NUMERIC, flag_column=_FLAG))
    flagged = meth.under_represented
    if flagged:
        blocks.append(Paragraph((Span(_("Under-represented groups:") + " ", bold=True),)))
        blocks.append(ItemList(tuple(
            _("{attribute}: {group}, {responded} of {invited} responded ({percent}); "
              "{answers} of the answers against {roster} of the roster, a representation "
              "gap of {gap} points").format(
                attribute=g.attribute, group=group_label(g, w),
                responded=w.number(g.responded), invited=w.number(g.invited),
                percent=fmt_pct(g.rate, lang), answers=fmt_pct(_shares(g, overall)[1], lang),
                roster=fmt_pct(_shares(g, overall)[0], lang), gap=fmt_gap(g.gap, lang))
            for g in flagged)))
    elif meth.by_attribute:
        blocks.append(Paragraph((Span(_("No group is flagged as under-represented.")),)))
    blocks += [figures[key] for key in ("participation", "participation-by-attribute")
               if key in figures]
    if report.attribute and meth.smallest_group <= 1:
        blocks.append(Paragraph((Span(_("Stances are compared by {attribute}.").format(
            attribute=report.attribute)),)))
    return blocks


def _disclosure(report: Report, w: Words) -> list[Block]:
    """Name the disclosure-control rule of an anonymous consultation, with its threshold."""
    _, meth = w.gettext, report.methodology
    if meth.smallest_group <= 1:
        return []
    minimum, other = w.number(meth.smallest_group), _(OTHER_GROUPS)
    text = _(
        "The consultation is anonymous, so no figure is shown for a group of fewer than "
        "{minimum} members who answered. Such groups are merged into one group, "
        "\u201c{other}\u201d: the threshold rule with category collapsing that statistical "
        "offices apply to the tables they publish. When the merged groups hold fewer than "
        "{minimum} members together, the smallest group left is merged with them as well "
        "(complementary suppression), so that no group's figures can be found by "
        "subtracting the groups shown from the whole community's. Every comparison by group "
        "follows this rule: the participation tables, the figures by group and the "
        "weighting.").format(minimum=minimum, other=other)
    if report.attribute:
        text += " " + _("Stances are compared by {attribute}.").format(
            attribute=report.attribute)
    blocks: list[Block] = [Heading(_("Disclosure control"), 3), Paragraph((Span(text),))]
    items = []
    for attribute, (small, more) in meth.merged_groups.items():
        if more:
            item = w.ngettext(
                "{attribute}: {count} group had fewer than {minimum} members who answered; "
                "with the smallest other group, so that it cannot be found by subtraction, "
                "it is shown as \u201c{other}\u201d.",
                "{attribute}: {count} groups had fewer than {minimum} members who answered; "
                "with the smallest other group, so that they cannot be found by "
                "subtraction, they are shown as \u201c{other}\u201d.", small)
        else:
            item = w.ngettext(
                "{attribute}: {count} group had fewer than {minimum} members who answered; "
                "it is shown as \u201c{other}\u201d.",
                "{attribute}: {count} groups had fewer than {minimum} members who answered; "
                "they are shown together as \u201c{other}\u201d.", small)
        items.append(item.format(attribute=attribute, count=w.number(small),
                                 minimum=minimum, other=other))
    if items:
        blocks.append(ItemList(tuple(items)))
    else:
        blocks.append(Paragraph((Span(_(
            "Every group had at least {minimum} members who answered: none was "
            "merged.").format(minimum=minimum)),)))
    return blocks


def _measures(report: Report, w: Words) -> list[Block]:
    _, meth, lang = w.gettext, report.methodology, w.language
    scale, rule = meth.scale, meth.rule
    levels = ", ".join(_(level.label) for level in scale.levels)
    k = len(scale.ordinal_levels)
    return [
        Heading(_("Measures"), 3),
        Paragraph((Span(w.ngettext(
            "{count} statement was put to the members on the scale {scale}: {levels}. A "
            "member could also pass.",
            "{count} statements were put to the members on the scale {scale}: {levels}. A "
            "member could also pass.", meth.statements).format(
            count=w.number(meth.statements), scale=_(scale.name), levels=levels)),)),
        Paragraph((Span(counting(scale, w)),)),
        Table(_("Measures reported for each statement"), (_("Measure"), _("What it says")),
              tuple((_(m.name), _(m.description)) for m in meth.measures)),
        Heading(_("Consensus rule"), 3),
        Paragraph((Span(consensus_rule_text(rule, scale, w)),)),
        Table(_("Thresholds of the consensus rule"), (_("Threshold"), _("Value")), (
            (_("Share of stances on one side, at least"), fmt_pct(rule.min_agree, lang)),
            (_("Share of stances on the other side, at most"),
             fmt_pct(rule.max_disagree, lang)),
            (_("IQR, at most (steps on a five-point scale)"),
             fmt_number(rule.max_iqr, lang)),
            (_("IQR, at most (steps on the {levels} ordinal levels of this scale)").format(
                levels=w.number(k)), fmt_number(rule.iqr_limit(k), lang)),
            (_("Polarised when agreement A is below"),
             fmt_number(rule.polarised_below if k > 2 else rule.polarised_below_two_levels,
                        lang)),
            *([(_("\u201c{words}\u201d when the share of answers asking for more discussion "
                  "is above").format(words=_(CLASS_WORDS["more discussion"])),
                fmt_pct(rule.max_more_discussion, lang))]
              if any(level.category == "more_discussion" for level in scale.levels) else []),
        ), numeric=(1,)),
    ]


def consensus_rule_text(rule: ConsensusRule, scale: Scale, w: Words) -> str:
    """Say the consensus rule with its actual values for ``scale``, in the language of ``w``.

    The IQR limit is given for the scale's ordinal levels (six on Kaner's, whose "Abstain"
    and "More discussion needed" are counted apart), and the rule for a statement where
    members want more discussion is said on a scale that offers it.
    """
    _, lang = w.gettext, w.language
    k = len(scale.ordinal_levels)
    text = ""
    if any(level.category == "more_discussion" for level in scale.levels):
        text = _("A statement where more than {share} of the answers ask for more discussion "
                 "is classed \u201c{words}\u201d.").format(
            share=fmt_pct(rule.max_more_discussion, lang),
            words=_(CLASS_WORDS["more discussion"])) + " "
    polarised = rule.polarised_below if k > 2 else rule.polarised_below_two_levels
    return text + _(
        "A statement reaches consensus when at least {min_agree} of the stances on the "
        "scale are on one side (agreeing, or disagreeing: a consensus against it), at most "
        "{max_disagree} are on the other side, and the IQR is at most {limit} steps between "
        "adjacent levels on the {levels} ordinal levels of this scale ({max_iqr} on a "
        "five-point scale). When nobody is on one side, it is leaning towards the side "
        "that holds at least half of the stances, and otherwise \u201c{neutral}\u201d. "
        "Otherwise it is polarised when van der Eijk's A is below {polarised}, leaning "
        "when one side holds at least half of the stances and more than the other, and "
        "divided in every other case."
    ).format(min_agree=fmt_pct(rule.min_agree, lang),
             max_disagree=fmt_pct(rule.max_disagree, lang),
             limit=fmt_number(rule.iqr_limit(k), lang), levels=w.number(k),
             max_iqr=fmt_number(rule.max_iqr, lang), neutral=_(CLASS_WORDS["neutral"]),
             polarised=fmt_number(polarised, lang))


def counting(scale: Scale, w: Words) -> str:
    """Say how each option of ``scale`` is counted, in the language of ``w``.

    The ordinal levels with the positions the median and IQR are given in; the categories
    of their own and the pass, counted apart as shares of all answers; a level counted on
    its side and reported apart; and the two class rules that follow (a statement where
    members ask for more discussion, and nobody on one side).
    """
    _ = w.gettext
    ordinal = sorted(scale.ordinal_levels, key=lambda level: scale.position(level.value))
    text = _(
        "The options {levels} are the ordinal levels of the scale, from least to most "
        "agreement: every share agreeing or disagreeing, and every measure, is computed on "
        "the stances on them alone, and the median and IQR are given in these positions."
    ).format(levels=", ".join(
        f"\u201c{_(level.label)}\u201d ({w.number(scale.position(level.value))})"
        for level in ordinal))
    apart = [f"\u201c{_(level.label)}\u201d ({_(CATEGORY_WORDS[level.category])})"
             for level in scale.category_levels]
    if apart:
        text += " " + _(
            "The options {options} are not degrees of agreement: each is counted apart, as "
            "its share of all answers, and left out of every share agreeing or disagreeing "
            "and of every measure, as a pass is.").format(options=", ".join(apart))
    else:
        text += " " + _("A pass is counted as an answer and left out of every share agreeing "
                        "or disagreeing and of every measure.")
    for level in scale.ordinal_levels:
        if level.apart is not None:
            text += " " + _(
                "\u201c{option}\u201d is a member who will support the decision while "
                "disliking it: it counts as agreeing, and its share of the stances is also "
                "reported on its own (\u201c{words}\u201d).").format(
                option=_(level.label), words=_(APART_WORDS[level.apart]))
    text += " " + _(
        "A statement is never called divided or polarised when nobody is on one of the two "
        "sides.")
    return text
