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
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

from .report import (
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

METHODOLOGY_TITLE = "Methodology"
ENDORSEMENT_TITLE = "Answers to this draft"
STANCES_TITLE = "Stances on each statement"
CHARTS_LEFT_OUT = "chart left out of this export; the text gives the same numbers"
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
    """A table of plain-text cells with a caption; ``numeric`` columns align right."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class FigureBlock:
    """A numbered chart with its text alternative as caption."""

    number: int
    item: ReportFigure

    @property
    def caption_title(self) -> str:
        """``"Figure 2. Who has been heard"``."""
        return f"Figure {self.number}. {self.item.title}"


Block = Heading | Paragraph | ItemList | Quote | MarkdownBody | Table | FigureBlock


# -- formatting ---------------------------------------------------------------------------


def fmt_date(value: dt.date | None) -> str:
    """Return ``YYYY-MM-DD``, or ``"not recorded"``."""
    return value.isoformat() if value is not None else "not recorded"


def fmt_moment(value: dt.datetime | None) -> str:
    """Return ``YYYY-MM-DD HH:MM UTC``, or ``"not set"``."""
    if value is None:
        return "not set"
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def fmt_pct(x: float | None) -> str:
    """Return a share as a whole percentage (``"94%"``), or a dash when undefined."""
    if x is None or pd.isna(x):
        return MISSING
    return f"{100 * float(x):.0f}%"


def _num(x: float | None, digits: int = 2) -> str:
    if x is None or pd.isna(x):
        return MISSING
    return f"{float(x):.{digits}f}"


def _gap(x: float) -> str:
    if math.isnan(x):
        return MISSING
    return f"{x:+.0f}"


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


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# -- the layout ---------------------------------------------------------------------------


def _opening(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(report.development.title, 1)]
    if report.addressee is not None:
        a = report.addressee
        blocks += [
            Paragraph((Span("To: ", bold=True), Span(a.requester))),
            Paragraph((Span("Answer requested by: ", bold=True), Span(fmt_date(a.deadline)))),
            Paragraph((Span("The questions asked:"),)),
            ItemList(a.questions, ordered=True),
        ]
    blocks.append(Paragraph((
        Span("The joint response of our community of practice to the question: "),
        Span(report.consultation.title, italic=True),
    )))
    source = safe_url(report.development.source_url)
    if source:
        blocks.append(Paragraph((Span("Source of the development: "),
                                 Span(report.development.source_url, href=source))))
    if report.proposed:
        status = ("This text was proposed from the analysis of the members' positions: no "
                  "draft has been saved yet, so the facilitator has not reviewed it.")
    else:
        status = (f"Draft version {report.draft_version}, saved "
                  f"{fmt_moment(report.draft_saved_at)}.")
    status += (f" Exported {fmt_moment(report.methodology.exported_at)}. No member is named "
               "in this document.")
    blocks.append(Paragraph((Span(status),), note=True))
    return blocks


def _sections(report: Report) -> list[Block]:
    blocks: list[Block] = []
    tally = report.endorsements
    for section in report.sections:
        blocks.append(Heading(section.title, SECTION_LEVEL))
        if section.markdown.strip():
            blocks.append(MarkdownBody(section.markdown))
        else:
            blocks.append(Paragraph((Span("Nothing was written in this section."),),
                                    note=True))
        if section.key == "divergent" and tally is not None and tally.block_reasons:
            n = len(tally.block_reasons)
            blocks.append(Paragraph((
                Span(f"Blocks on draft version {tally.draft_version}. ", bold=True),
                Span(f"{_plural(n, 'member', 'members')} blocked this draft; "
                     f"{'the reason' if n == 1 else 'their reasons'}, in their own words:"),
            )))
            blocks += [Quote(reason) for reason in tally.block_reasons]
    return blocks


def _endorsements(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(ENDORSEMENT_TITLE, SECTION_LEVEL)]
    tally = report.endorsements
    if tally is None:
        blocks.append(Paragraph((Span("No draft has been put to the members yet, so no "
                                      "member has endorsed or blocked this text."),)))
        return blocks
    rows = [(label, str(tally.counts.get(kind, 0))) for kind, label in
            ENDORSEMENT_LABELS.items()]
    rows.append(("Not answered yet", str(tally.not_answered)))
    blocks.append(Table(f"Members' answers to draft version {tally.draft_version}",
                        ("Answer", "Members"), tuple(rows), numeric=(1,)))
    text = (f"{_plural(tally.answered, 'member', 'members')} of {tally.roster} on the roster "
            f"answered draft version {tally.draft_version}.")
    if tally.block_reasons:
        text += " The reasons given with each block are recorded under Divergent views."
    blocks.append(Paragraph((Span(text),)))
    return blocks


def _class(row: pd.Series) -> str:
    klass = str(row["class"])
    direction = row["direction"]
    if klass == "consensus" and direction == "disagree":
        return "consensus against"
    if klass in ("consensus", "leaning") and isinstance(direction, str):
        return f"{klass} ({direction})"
    return klass


def _stances(report: Report, figures: dict[str, FigureBlock]) -> list[Block]:
    blocks: list[Block] = [Heading(STANCES_TITLE, SECTION_LEVEL)]
    rows = []
    for number, text, row in report.statement_rows():
        if row is None or row["n"] == 0:
            rows.append((str(number), text, "0", MISSING, MISSING, MISSING, MISSING, MISSING,
                         MISSING, MISSING, MISSING, "no answers"))
            continue
        rows.append((
            str(number), text, str(int(row["n"])), fmt_pct(row["pct_agree"]),
            fmt_pct(row["pct_disagree"]), fmt_pct(row["pass_share"]),
            _num(row["median"], 1), _num(row["iqr"], 1), _num(row["consensus"]),
            _num(row["agreement"]), _num(row["dispersion"]), _class(row),
        ))
    if rows:
        blocks.append(Paragraph((Span(
            "Agree and disagree are shares of the stances, pass a share of the answers; "
            "T&W is Tastle & Wierman's consensus, A is van der Eijk's agreement and the "
            "Leik column is Leik's ordinal dispersion (see Methodology)."),)))
        blocks.append(Table(
            "Stances on each statement",
            ("#", "Statement", "Answers", "Agree", "Disagree", "Pass", "Median", "IQR",
             "T&W", "A", "Leik", "Class"),
            tuple(rows), numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
    else:
        blocks.append(Paragraph((Span("The consultation has no accepted statement."),)))
    blocks += [figures[key] for key in ("divergence", "attribute") if key in figures]
    return blocks


def _participation_rows(groups: list[GroupParticipation]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (g.group, str(g.roster), str(g.invited), str(g.responded), fmt_pct(g.rate),
         _gap(g.gap) if g.attribute is not None else MISSING,
         "under-represented" if g.under_represented else "")
        for g in groups)


def _methodology(report: Report, figures: dict[str, FigureBlock]) -> list[Block]:
    meth = report.methodology
    blocks: list[Block] = [Heading(METHODOLOGY_TITLE, SECTION_LEVEL), Heading("Dates", 3)]
    blocks.append(Table("Dates of the consultation", ("Event", "Date"), (
        ("Development announced", fmt_date(meth.development_date)),
        ("Consultation deadline", fmt_moment(meth.consultation_deadline)),
        ("First round opened", fmt_moment(meth.first_round_opened)),
        ("Rounds", str(meth.rounds)),
        ("Exported", fmt_moment(meth.exported_at)),
    )))
    rounds = (f"The figures describe round {meth.rounds}, the latest, and each member's "
              "latest submitted position in it." if meth.rounds > 1 else
              "The figures describe each member's latest submitted position.")
    blocks.append(Paragraph((Span(rounds),)))

    blocks.append(Heading("Who was heard", 3))
    overall = meth.overall
    blocks.append(Paragraph((Span(
        f"{overall.responded} of {overall.invited} invited members responded "
        f"({fmt_pct(overall.rate)}); {overall.roster} members are on the roster. A group "
        f"is flagged as under-represented when its response rate is more than "
        f"{UNDER_REPRESENTED_POINTS:g} percentage points under the overall rate."),)))
    header = ("Group", "On the roster", "Invited", "Responded", "Response rate",
              "Gap (points)", "Flag")
    blocks.append(Table("Participation, all members", header,
                        _participation_rows([overall]), numeric=(1, 2, 3, 4, 5)))
    for attribute, groups in meth.by_attribute.items():
        blocks.append(Table(f"Participation by {attribute}", header,
                            _participation_rows(list(groups)), numeric=(1, 2, 3, 4, 5)))
    flagged = meth.under_represented
    if flagged:
        blocks.append(Paragraph((Span("Under-represented groups: ", bold=True),)))
        blocks.append(ItemList(tuple(
            f"{g.attribute}: {g.group}, {g.responded} of {g.invited} responded "
            f"({fmt_pct(g.rate)}, {_gap(g.gap)} points)" for g in flagged)))
    elif meth.by_attribute:
        blocks.append(Paragraph((Span("No group is more than "
                                      f"{UNDER_REPRESENTED_POINTS:g} points under the "
                                      "overall response rate."),)))
    blocks += [figures[key] for key in ("participation", "participation-by-attribute")
               if key in figures]
    if report.attribute:
        blocks.append(Paragraph((Span(
            f"Stances are compared by {report.attribute}. Groups with fewer than "
            f"{MIN_GROUP_SIZE} answering members are left out of that comparison, so that "
            "no one's stance can be singled out."),)))

    blocks.append(Heading("Measures", 3))
    scale = meth.scale
    levels = ", ".join(f"{level.label} ({level.value})" for level in scale.levels)
    blocks.append(Paragraph((Span(
        f"{_plural(meth.statements, 'statement was', 'statements were')} put to the members "
        f"on the scale {scale.name}: {levels}. A member could also pass."),)))
    blocks.append(Table("Measures reported for each statement", ("Measure", "What it says"),
                        tuple((m.name, m.description) for m in meth.measures)))

    blocks.append(Heading("Consensus rule", 3))
    blocks.append(Paragraph((Span(meth.rule_text),)))
    rule = meth.rule
    k = len(scale.values)
    blocks.append(Table("Thresholds of the consensus rule", ("Threshold", "Value"), (
        ("Share of stances on one side, at least", fmt_pct(rule.min_agree)),
        ("Share of stances on the other side, at most", fmt_pct(rule.max_disagree)),
        ("IQR, at most (steps on a five-point scale)", f"{rule.max_iqr:g}"),
        (f"IQR, at most (steps on this {k}-level scale)", f"{rule.iqr_limit(k):g}"),
        ("Polarised when agreement A is below", f"{rule.polarised_below:g}"),
    ), numeric=(1,)))
    return blocks


def build_document(report: Report) -> list[Block]:
    """Lay a report out as blocks, in the order every export follows.

    Parameters
    ----------
    report : Report
        From :func:`~cop_widgets.export.report.build_report`.

    Returns
    -------
    list of Block
        The Methodology section comes last. Figures are numbered in document order.

    """
    order = ("divergence", "attribute", "participation", "participation-by-attribute")
    present = [key for key in order if report.figure(key) is not None]
    figures = {key: FigureBlock(i, report.figure(key)) for i, key in enumerate(present, 1)}
    return [*_opening(report), *_sections(report), *_endorsements(report),
            *_stances(report, figures), *_methodology(report, figures)]
