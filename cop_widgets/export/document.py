"""The layout of an export, as format-neutral blocks.

:func:`build_document` turns a :class:`~cop_widgets.export.report.Report` into a list of
blocks (headings, paragraphs of plain-text spans, lists, quotes, tables, figures, and draft
sections in Markdown). Every text in a block other than :class:`MarkdownBody` is *plain
text*: each renderer escapes it for its format. :class:`MarkdownBody` holds Markdown that
each renderer parses with raw HTML off (see :mod:`cop_widgets.export._markdown`).

The order is the same in every format: title; the addressee of a request for opinion
("To: ..." and their deadline); the status of the text; the sections of the joint response
(the block reasons of the latest draft closing *Divergent views*); the answers to the
draft; the stances on each statement; and last, the Methodology.

Every word of the layout is in the report's language (``Report.language``): headings,
sentences, table captions and headers, the classes of the statements, dates, numbers and
percentages (:mod:`cop_widgets.i18n`). Titles kept as constants here are English msgids.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

from ..analysis.draft import CLASS_WORDS, SECTION_TITLES
from ..analysis.summary import NOT_GIVEN
from ..i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Words,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    translator,
)
from .report import (
    ALL_MEMBERS,
    ENDORSEMENT_LABELS,
    MIN_GROUP_SIZE,
    UNDER_REPRESENTED_POINTS,
    GroupParticipation,
    Report,
    ReportFigure,
)

__all__ = [
    "METHODOLOGY_TITLE",
    "ENDORSEMENT_TITLE",
    "STANCES_TITLE",
    "CHARTS_LEFT_OUT",
    "Span",
    "Heading",
    "Paragraph",
    "ItemList",
    "Quote",
    "MarkdownBody",
    "Table",
    "FigureBlock",
    "Block",
    "build_document",
    "safe_url",
    "fmt_date",
    "fmt_moment",
    "fmt_pct",
]

#: Titles and notes of the layout (English msgids: renderers translate them).
METHODOLOGY_TITLE = N_("Methodology")
ENDORSEMENT_TITLE = N_("Answers to this draft")
STANCES_TITLE = N_("Stances on each statement")
CHARTS_LEFT_OUT = N_("chart left out of this export; the text gives the same numbers")
#: Heading level of the sections; a heading inside a section's Markdown is pushed below it.
SECTION_LEVEL = 2
MISSING = "–"


@dataclass(frozen=True)
class Span:
    """A run of plain text, optionally bold, italic or a link (``http``/``https`` only)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 is the title, 2 a section, 3 a subsection."""

    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of spans; ``note`` marks a remark about the export itself."""

    spans: tuple[Span, ...]
    note: bool = False


@dataclass(frozen=True)
class ItemList:
    """A bulleted (or numbered) list of plain-text items."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Quote:
    """A block quote of plain text (a member's words)."""

    text: str


@dataclass(frozen=True)
class MarkdownBody:
    """A section's Markdown; its headings go below :data:`SECTION_LEVEL`."""

    source: str
    heading_offset: int = SECTION_LEVEL


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells with a caption; ``numeric`` columns align right.

    A non-empty cell of ``flag_column`` is a warning (``under-represented``): renderers
    may make it stand out.
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    flag_column: int | None = None


@dataclass(frozen=True, eq=False)
class FigureBlock:
    """A numbered chart with its text alternative as caption, in ``language``."""

    number: int
    item: ReportFigure
    language: str = DEFAULT_LANGUAGE

    @property
    def caption_title(self) -> str:
        """``"Figure 2. Who has been heard"``."""
        _ = translator(self.language)
        return _("Figure {number}. {title}").format(
            number=format_number(self.number, self.language), title=self.item.title)


Block = Heading | Paragraph | ItemList | Quote | MarkdownBody | Table | FigureBlock


# -- formatting ---------------------------------------------------------------------------


def fmt_date(value: dt.date | None, language: str | None = None) -> str:
    """Return the date in the language (``YYYY-MM-DD`` in English), or ``"not recorded"``."""
    if value is None:
        _ = translator(language)
        return _("not recorded")
    return format_date(value, language)


def fmt_moment(value: dt.datetime | None, language: str | None = None) -> str:
    """Return the moment in UTC (``YYYY-MM-DD HH:MM UTC`` in English), or ``"not set"``."""
    if value is None:
        _ = translator(language)
        return _("not set")
    return format_datetime(value.astimezone(dt.timezone.utc), language)


def fmt_pct(x: float | None, language: str | None = None) -> str:
    """Return a share as a whole percentage (``"94%"``, ``"94 %"``), or a dash if undefined."""
    if x is None or pd.isna(x):
        return MISSING
    return format_percent(float(x), language)


def safe_url(url: str | None) -> str | None:
    """Return ``url`` percent-encoded if it is an ``http(s)`` URL, else ``None``."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


class _Words(Words):
    """The words of the report's language, with its numbers, gaps and shares."""

    def number(self, x: float | None, digits: int | None = None) -> str:
        if x is None or pd.isna(x):
            return MISSING
        return format_number(float(x) if digits is not None else x, self.language,
                             digits=digits)

    def gap(self, x: float) -> str:
        if math.isnan(x):
            return MISSING
        return format_number(x, self.language, digits=0, signed=True)

    def pct(self, x: float | None) -> str:
        return fmt_pct(x, self.language)

    def date(self, value: dt.date | None) -> str:
        return fmt_date(value, self.language)

    def moment(self, value: dt.datetime | None) -> str:
        return fmt_moment(value, self.language)

    def group(self, group: GroupParticipation) -> str:
        """Return the group's name, the roster's "All members" and "(not given)" translated."""
        if group.attribute is None and group.group == ALL_MEMBERS:
            return self.gettext(ALL_MEMBERS)
        return self.gettext(NOT_GIVEN) if group.group == NOT_GIVEN else group.group


# -- the layout ---------------------------------------------------------------------------


def _opening(report: Report, w: _Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = [Heading(report.development.title, 1)]
    if report.addressee is not None:
        a = report.addressee
        blocks += [
            Paragraph((Span(_("To:") + " ", bold=True), Span(a.requester))),
            Paragraph((Span(_("Answer requested by:") + " ", bold=True),
                       Span(w.date(a.deadline)))),
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
            version=w.number(report.draft_version), moment=w.moment(report.draft_saved_at))
    status += " " + _("Exported {moment}. No member is named in this document.").format(
        moment=w.moment(report.methodology.exported_at))
    blocks.append(Paragraph((Span(status),), note=True))
    return blocks


def _sections(report: Report, w: _Words) -> list[Block]:
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


def _endorsements(report: Report, w: _Words) -> list[Block]:
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


def _class(row: pd.Series, w: _Words) -> str:
    _ = w.gettext
    klass = str(row["class"])
    direction = row["direction"]
    if klass == "consensus" and direction == "disagree":
        return _("consensus against")
    words = _(CLASS_WORDS.get(klass, klass))
    if klass in ("consensus", "leaning") and isinstance(direction, str):
        return f"{words} ({_(direction)})"
    return words


def _stances(report: Report, figures: dict[str, FigureBlock], w: _Words) -> list[Block]:
    _ = w.gettext
    blocks: list[Block] = [Heading(_(STANCES_TITLE), SECTION_LEVEL)]
    rows = []
    for number, text, row in report.statement_rows():
        if row is None or row["n"] == 0:
            rows.append((w.number(number), text, w.number(0), MISSING, MISSING, MISSING,
                         MISSING, MISSING, MISSING, MISSING, MISSING,
                         _(CLASS_WORDS["no answers"])))
            continue
        rows.append((
            w.number(number), text, w.number(int(row["n"])), w.pct(row["pct_agree"]),
            w.pct(row["pct_disagree"]), w.pct(row["pass_share"]),
            w.number(row["median"], 1), w.number(row["iqr"], 1), w.number(row["consensus"], 2),
            w.number(row["agreement"], 2), w.number(row["dispersion"], 2), _class(row, w),
        ))
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
            tuple(rows), numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
    else:
        blocks.append(Paragraph((Span(_("The consultation has no accepted statement.")),)))
    blocks += [figures[key] for key in ("divergence", "attribute") if key in figures]
    return blocks


def _participation_rows(groups: list[GroupParticipation],
                        w: _Words) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (w.group(g), w.number(g.roster), w.number(g.invited), w.number(g.responded),
         w.pct(g.rate), w.gap(g.gap) if g.attribute is not None else MISSING,
         w.gettext("under-represented") if g.under_represented else "")
        for g in groups)


def _methodology(report: Report, figures: dict[str, FigureBlock], w: _Words) -> list[Block]:
    _, ngettext = w.gettext, w.ngettext
    meth = report.methodology
    blocks: list[Block] = [Heading(_(METHODOLOGY_TITLE), SECTION_LEVEL),
                           Heading(_("Dates"), 3)]
    blocks.append(Table(_("Dates of the consultation"), (_("Event"), _("Date")), (
        (_("Development announced"), w.date(meth.development_date)),
        (_("Consultation deadline"), w.moment(meth.consultation_deadline)),
        (_("First round opened"), w.moment(meth.first_round_opened)),
        (_("Rounds"), w.number(meth.rounds)),
        (_("Exported"), w.moment(meth.exported_at)),
    )))
    rounds = (_("The figures describe round {number}, the latest, and each member's latest "
                "submitted position in it.").format(number=w.number(meth.rounds))
              if meth.rounds > 1 else
              _("The figures describe each member's latest submitted position."))
    blocks.append(Paragraph((Span(rounds),)))

    blocks.append(Heading(_("Who was heard"), 3))
    overall = meth.overall
    points = w.number(UNDER_REPRESENTED_POINTS)
    blocks.append(Paragraph((Span(
        ngettext("{responded} of {invited} invited members responded ({percent}); {roster} "
                 "member is on the roster.",
                 "{responded} of {invited} invited members responded ({percent}); {roster} "
                 "members are on the roster.", overall.roster).format(
            responded=w.number(overall.responded), invited=w.number(overall.invited),
            percent=w.pct(overall.rate), roster=w.number(overall.roster))
        + " " + _("A group is flagged as under-represented when its response rate is more "
                  "than {points} percentage points under the overall rate.").format(
            points=points)),)))
    header = (_("Group"), _("On the roster"), _("Invited"), _("Responded"),
              _("Response rate"), _("Gap (points)"), _("Flag"))
    blocks.append(Table(_("Participation, all members"), header,
                        _participation_rows([overall], w), numeric=(1, 2, 3, 4, 5),
                        flag_column=6))
    for attribute, groups in meth.by_attribute.items():
        blocks.append(Table(_("Participation by {attribute}").format(attribute=attribute),
                            header, _participation_rows(list(groups), w),
                            numeric=(1, 2, 3, 4, 5), flag_column=6))
    flagged = meth.under_represented
    if flagged:
        blocks.append(Paragraph((Span(_("Under-represented groups:") + " ", bold=True),)))
        blocks.append(ItemList(tuple(
            _("{attribute}: {group}, {responded} of {invited} responded ({percent}, {gap} "
              "points)").format(attribute=g.attribute, group=w.group(g),
                                responded=w.number(g.responded),
                                invited=w.number(g.invited), percent=w.pct(g.rate),
                                gap=w.gap(g.gap))
            for g in flagged)))
    elif meth.by_attribute:
        blocks.append(Paragraph((Span(_(
            "No group is more than {points} points under the overall response rate.").format(
            points=points)),)))
    blocks += [figures[key] for key in ("participation", "participation-by-attribute")
               if key in figures]
    if report.attribute:
        blocks.append(Paragraph((Span(_(
            "Stances are compared by {attribute}. Groups with fewer than {minimum} answering "
            "members are left out of that comparison, so that no one's stance can be singled "
            "out.").format(attribute=report.attribute, minimum=w.number(MIN_GROUP_SIZE))),)))

    blocks.append(Heading(_("Measures"), 3))
    scale = meth.scale
    levels = ", ".join(f"{_(level.label)} ({level.value})" for level in scale.levels)
    blocks.append(Paragraph((Span(ngettext(
        "{count} statement was put to the members on the scale {scale}: {levels}. A member "
        "could also pass.",
        "{count} statements were put to the members on the scale {scale}: {levels}. A member "
        "could also pass.", meth.statements).format(
        count=w.number(meth.statements), scale=_(scale.name), levels=levels)),)))
    blocks.append(Table(_("Measures reported for each statement"),
                        (_("Measure"), _("What it says")),
                        tuple((_(m.name), _(m.description)) for m in meth.measures)))

    blocks.append(Heading(_("Consensus rule"), 3))
    blocks.append(Paragraph((Span(meth.rule_text),)))
    rule = meth.rule
    k = len(scale.values)
    blocks.append(Table(_("Thresholds of the consensus rule"), (_("Threshold"), _("Value")), (
        (_("Share of stances on one side, at least"), w.pct(rule.min_agree)),
        (_("Share of stances on the other side, at most"), w.pct(rule.max_disagree)),
        (_("IQR, at most (steps on a five-point scale)"), w.number(rule.max_iqr)),
        (_("IQR, at most (steps on this {levels}-level scale)").format(levels=w.number(k)),
         w.number(rule.iqr_limit(k))),
        (_("Polarised when agreement A is below"), w.number(rule.polarised_below)),
    ), numeric=(1,)))
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
        The Methodology section comes last. Figures are numbered in document order.

    """
    w = _Words(report.language)
    order = ("divergence", "attribute", "participation", "participation-by-attribute")
    present = [key for key in order if report.figure(key) is not None]
    figures = {key: FigureBlock(i, report.figure(key), w.language)
               for i, key in enumerate(present, 1)}
    return [*_opening(report, w), *_sections(report, w), *_endorsements(report, w),
            *_stances(report, figures, w), *_methodology(report, figures, w)]
