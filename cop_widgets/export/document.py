"""The layout of an export: a report as a list of format-neutral blocks.

:func:`build_document` turns a :class:`~cop_widgets.export.report.Report` into a list of
:mod:`~cop_widgets.export.blocks` (headings, paragraphs of plain-text spans, lists, quotes,
tables, figures, and draft sections in Markdown), which each format writes.

The order is the same in every format: title; the addressee of a request for opinion
("To: ..." and their deadline); the status of the text; the sections of the joint response
(the block reasons of the latest draft closing *Divergent views*); the answers to the
draft; the stances on each statement; and last, the Methodology
(:mod:`cop_widgets.export.methodology`).

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
from .methodology import METHODOLOGY_TITLE, methodology_blocks
from .report import Report
from .values import MISSING, fmt_date, fmt_moment, fmt_number, fmt_pct, safe_url

__all__ = ["ENDORSEMENT_TITLE", "STANCES_TITLE", "FIGURE_ORDER", "build_document"]

#: Titles of the layout's own sections (English msgids: translated where laid out).
ENDORSEMENT_TITLE = N_("Answers to this draft")
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
    if report.proposed:
        status = _("This text was proposed from the analysis of the members' positions: no "
                   "draft has been saved yet, so the facilitator has not reviewed it.")
    else:
        status = _("Draft version {version}, saved {moment}.").format(
            version=fmt_number(report.draft_version, lang),
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
            blocks.append(Paragraph((
                Span(_("Blocks on draft version {version}.").format(
                    version=w.number(tally.draft_version)) + " ", bold=True),
                Span(w.ngettext("{count} member blocked this draft; the reason, in their own "
                                "words:",
                                "{count} members blocked this draft; their reasons, in their "
                                "own words:", n).format(count=w.number(n))),
            )))
            blocks += [Quote(reason) for reason in tally.block_reasons]
    return blocks


def _endorsements(report: Report, w: Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = [Heading(_(ENDORSEMENT_TITLE), SECTION_LEVEL)]
    tally = report.endorsements
    if tally is None:
        blocks.append(Paragraph((Span(_("No draft has been put to the members yet, so no "
                                        "member has endorsed or blocked this text.")),)))
        return blocks
    rows = [(_(label), w.number(tally.counts.get(kind, 0))) for kind, label in
            ENDORSEMENT_LABELS.items()]
    rows.append((_("Not answered yet"), w.number(tally.not_answered)))
    version = w.number(tally.draft_version)
    blocks.append(Table(_("Members' answers to draft version {version}").format(
        version=version), (_("Answer"), _("Members")), tuple(rows), numeric=(1,)))
    text = w.ngettext(
        "{answered} member of {roster} on the roster answered draft version {version}.",
        "{answered} members of {roster} on the roster answered draft version {version}.",
        tally.answered).format(answered=w.number(tally.answered),
                               roster=w.number(tally.roster), version=version)
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
    return (w.number(number), text, w.number(int(row["n"])), fmt_pct(row["pct_agree"], lang),
            fmt_pct(row["pct_disagree"], lang), fmt_pct(row["pass_share"], lang),
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
            "Agree and disagree are shares of the stances, pass a share of the answers; "
            "T&W is Tastle & Wierman's consensus, A is van der Eijk's agreement and the "
            "Leik column is Leik's ordinal dispersion (see {section}).").format(
            section=_(METHODOLOGY_TITLE))),)))
        blocks.append(Table(
            _(STANCES_TITLE),
            ("#", _("Statement"), _("Answers"), _("Agree"), _("Disagree"), _("Pass"),
             _("Median"), _("IQR"), "T&W", "A", "Leik", _("Class")),
            rows, numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
    else:
        blocks.append(Paragraph((Span(_("The consultation has no accepted statement.")),)))
    blocks += [figures[key] for key in ("divergence", "attribute") if key in figures]
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
            *_stances(report, figures, w), *methodology_blocks(report, figures, w)]
