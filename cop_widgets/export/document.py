"""The layout of an export: a report as a list of format-neutral blocks.

:func:`build_document` turns a :class:`~cop_widgets.export.report.Report` into a list of
:mod:`~cop_widgets.export.blocks` (headings, paragraphs of plain-text spans, lists, quotes,
tables, figures, and draft sections in Markdown), which each format writes.

The order is the same in every format: title; the addressee of a request for opinion
("To: ..." and their deadline); the status of the text; the sections of the joint response
(the block reasons of the latest draft closing *Divergent views*); the answers to the
draft; the stances on each statement; what we learned from each other, when a discussion
of reasons was opened (:mod:`cop_widgets.export.learned`); and last, the Methodology
(:mod:`cop_widgets.export.methodology`, then how the discussion was run), closed by the
steps of the joint response (:func:`steps_blocks`).

Every word of the layout is in the report's language (``Report.language``): headings,
sentences, table captions and headers, the classes of the statements, dates, numbers and
percentages (:mod:`cop_widgets.i18n`, :mod:`cop_widgets.export.values`). Titles kept as
constants here are English msgids.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import N_, Words
from ..vocabulary import ENDORSEMENT_LABELS
from ..words.draft import CLASS_WORDS, SECTION_TITLES
from ..words.stances import category_phrases
from .blocks import (
    SECTION_LEVEL,
    Block,
    FigureBlock,
    Heading,
    ItemList,
    MarkdownBody,
    Paragraph,
    Quote,
    Span,
    Table,
)
from .learned import discussion_method_blocks, learned_blocks
from .methodology import METHODOLOGY_TITLE, methodology_blocks
from .report import Report
from .report_parts import STEP_WORDS
from .values import MISSING, fmt_date, fmt_moment, fmt_number, fmt_pct, safe_url

__all__ = ["ENDORSEMENT_TITLE", "FINAL_ENDORSEMENT_TITLE", "STANCES_TITLE", "STEPS_TITLE",
           "FIGURE_ORDER", "build_document", "steps_blocks"]

#: Titles of the layout's own sections (English msgids: translated where laid out).
ENDORSEMENT_TITLE = N_("Answers to this draft")
FINAL_ENDORSEMENT_TITLE = N_("Answers to the final response")
STEPS_TITLE = N_("Steps of the joint response")
STANCES_TITLE = N_("Stances on each statement")
#: The report's figures in the order they are numbered in every export.
FIGURE_ORDER = ("divergence", "attribute", "participation", "participation-by-attribute")


def _opening(report: Report, w: Words) -> list[Block]:
    _, lang = w.gettext, w.language
    blocks: list[Block] = [Heading(report.development.title, 1)]
    if report.addressee is not None:
        a = report.addressee
        blocks += [
            Paragraph((Span(_("To:") + " ", bold=True), Span(a.requester))),
            Paragraph((Span(_("Answer requested by:") + " ", bold=True),
                       Span(fmt_date(a.deadline, lang)))),
            Paragraph((Span(_("The questions asked:")),)),
            ItemList(a.questions, ordered=True),
        ]
    blocks.append(Paragraph((
        Span(_("The joint response of our community of practice to the question:") + " "),
        Span(report.consultation.title, italic=True),
    )))
    source = safe_url(report.development.source_url)
    if source:
        blocks.append(Paragraph((Span(_("Source of the development:") + " "),
                                 Span(report.development.source_url, href=source))))
    version = fmt_number(report.draft_version, lang)
    if report.proposed:
        status = _("This text was proposed from the analysis of the members' positions: no "
                   "draft has been saved yet, so the facilitator has not reviewed it.")
    elif report.final:
        status = _("The final joint response (version {version}), finalised {moment}.").format(
            version=version, moment=fmt_moment(report.draft_finalised_at, lang))
    elif report.draft_shared_at is not None:
        status = _("Draft version {version}, put to the members {moment}.").format(
            version=version, moment=fmt_moment(report.draft_shared_at, lang))
    else:
        status = _("Draft version {version}, saved {moment}; not yet put to the "
                   "members.").format(version=version,
                                      moment=fmt_moment(report.draft_saved_at, lang))
    status += " " + _("Exported {moment}. No member is named in this document.").format(
        moment=fmt_moment(report.methodology.exported_at, lang))
    blocks.append(Paragraph((Span(status),), note=True))
    return blocks


def _sections(report: Report, w: Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = []
    tally = report.endorsements
    for section in report.sections:
        blocks.append(Heading(section.title, SECTION_LEVEL))
        if section.markdown.strip():
            blocks.append(MarkdownBody(section.markdown))
        else:
            blocks.append(Paragraph((Span(_("Nothing was written in this section.")),),
                                    note=True))
        if section.key == "divergent" and tally is not None and tally.block_reasons:
            n = len(tally.block_reasons)
            version = w.number(tally.draft_version)
            if report.final:
                lead = _("Blocks on the final version {version}.").format(version=version)
                words = w.ngettext("{count} member blocked this text; the reason, in their "
                                   "own words:",
                                   "{count} members blocked this text; their reasons, in "
                                   "their own words:", n)
            else:
                lead = _("Blocks on draft version {version}.").format(version=version)
                words = w.ngettext("{count} member blocked this draft; the reason, in their "
                                   "own words:",
                                   "{count} members blocked this draft; their reasons, in "
                                   "their own words:", n)
            blocks.append(Paragraph((Span(lead + " ", bold=True),
                                     Span(words.format(count=w.number(n))))))
            blocks += [Quote(reason) for reason in tally.block_reasons]
    return blocks


def _endorsements(report: Report, w: Words) -> list[Block]:
    _ = w.gettext
    final = report.final
    blocks: list[Block] = [Heading(_(FINAL_ENDORSEMENT_TITLE if final else ENDORSEMENT_TITLE),
                                   SECTION_LEVEL)]
    tally = report.endorsements
    if tally is None:
        blocks.append(Paragraph((Span(_("No draft has been put to the members yet, so no "
                                        "member has endorsed or blocked this text.")),)))
        return blocks
    rows = [(_(label), w.number(tally.counts.get(kind, 0))) for kind, label in
            ENDORSEMENT_LABELS.items()]
    rows.append((_("Did not answer") if final else _("Not answered yet"),
                 w.number(tally.not_answered)))
    version = w.number(tally.draft_version)
    caption = (_("Members' answers to the final version {version}") if final
               else _("Members' answers to draft version {version}"))
    blocks.append(Table(caption.format(version=version), (_("Answer"), _("Members")),
                        tuple(rows), numeric=(1,)))
    if final:
        text = w.ngettext(
            "{answered} member of {roster} on the roster answered version {version} before "
            "it was finalised; the answers are final.",
            "{answered} members of {roster} on the roster answered version {version} before "
            "it was finalised; the answers are final.", tally.answered)
    else:
        text = w.ngettext(
            "{answered} member of {roster} on the roster answered draft version {version}.",
            "{answered} members of {roster} on the roster answered draft version {version}.",
            tally.answered)
    text = text.format(answered=w.number(tally.answered), roster=w.number(tally.roster),
                       version=version)
    if tally.block_reasons:
        text += " " + _("The reasons given with each block are recorded under {section}.") \
            .format(section=_(SECTION_TITLES["divergent"]))
    blocks.append(Paragraph((Span(text),)))
    return blocks


def _class(row: pd.Series, w: Words) -> str:
    _ = w.gettext
    klass = str(row["class"])
    direction = row["direction"]
    if klass == "consensus" and direction == "disagree":
        return _("consensus against")
    words = _(CLASS_WORDS.get(klass, klass))
    if klass in ("consensus", "leaning") and isinstance(direction, str):
        return f"{words} ({_(direction)})"
    return words


def _statement_row(number: int, text: str, row: pd.Series | None,
                   w: Words) -> tuple[str, ...]:
    lang = w.language
    if row is None or row["n"] == 0:
        return (w.number(number), text, w.number(0), *[MISSING] * 8,
                w.gettext(CLASS_WORDS["no answers"]))
    apart = "; ".join(category_phrases(row, lang)) or "\u2013"
    return (w.number(number), text, w.number(int(row["n"])), fmt_pct(row["pct_agree"], lang),
            fmt_pct(row["pct_disagree"], lang), fmt_pct(row["pass_share"], lang), apart,
            fmt_number(row["median"], lang, 1), fmt_number(row["iqr"], lang, 1),
            fmt_number(row["consensus"], lang, 2), fmt_number(row["agreement"], lang, 2),
            fmt_number(row["dispersion"], lang, 2), _class(row, w))


def _stances(report: Report, figures: dict[str, FigureBlock], w: Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = [Heading(_(STANCES_TITLE), SECTION_LEVEL)]
    rows = tuple(_statement_row(number, text, row, w)
                 for number, text, row in report.statement_rows())
    if rows:
        blocks.append(Paragraph((Span(_(
            "Agree and disagree are shares of the stances on the scale's ordinal levels; "
            "pass, and the options counted apart (such as asking for more discussion), are "
            "shares of the answers. T&W is Tastle & Wierman's consensus, A is van der Eijk's "
            "agreement and the Leik column is Leik's ordinal dispersion (see {section}).").format(
            section=_(METHODOLOGY_TITLE))),)))
        blocks.append(Table(
            _(STANCES_TITLE),
            ("#", _("Statement"), _("Answers"), _("Agree"), _("Disagree"), _("Pass"),
             _("Counted apart"), _("Median"), _("IQR"), "T&W", "A", "Leik", _("Class")),
            rows, numeric=(0, 2, 3, 4, 5, 7, 8, 9, 10, 11)))
    else:
        blocks.append(Paragraph((Span(_("The consultation has no accepted statement.")),)))
    blocks += [figures[key] for key in ("divergence", "attribute") if key in figures]
    return blocks


def steps_blocks(report: Report, w: Words) -> list[Block]:
    """Lay out the record of the joint response's steps, a subsection of the Methodology.

    Each version saved, put to the members and finalised, with its date, in order.
    """
    _, lang = w.gettext, w.language
    blocks: list[Block] = [Heading(_(STEPS_TITLE), 3), Paragraph((Span(_(
        "The facilitator saves each version of the joint response privately; the members "
        "read and answer only the version put to them, one at a time; finalising a version "
        "closes the answers and the consultation.")),))]
    if not report.steps:
        blocks.append(Paragraph((Span(_("No version of the joint response has been saved: "
                                        "the text above was proposed from the analysis.")),)))
        return blocks
    rows = tuple((w.number(step.version), _(STEP_WORDS[step.step]),
                  fmt_moment(step.moment, lang)) for step in report.steps)
    blocks.append(Table(_("Steps of the joint response"), (_("Version"), _("Step"), _("Date")),
                        rows, numeric=(0,)))
    return blocks


def build_document(report: Report) -> list[Block]:
    """Lay a report out as blocks, in the order every export follows.

    Parameters
    ----------
    report : Report
        From :func:`~cop_widgets.export.report.build_report`; its ``language`` is the
        language of every word the layout adds.

    Returns
    -------
    list of Block
        The Methodology section comes last. Figures are numbered in document order
        (:data:`FIGURE_ORDER`).

    """
    w = Words(report.language)
    present = [key for key in FIGURE_ORDER if report.figure(key) is not None]
    figures = {key: FigureBlock(i, report.figure(key), w.language)
               for i, key in enumerate(present, 1)}
    return [*_opening(report, w), *_sections(report, w), *_endorsements(report, w),
            *_stances(report, figures, w), *learned_blocks(report.learned, w),
            *methodology_blocks(report, figures, w),
            *discussion_method_blocks(report.learned, w), *steps_blocks(report, w)]
