"""A first draft of the joint response, proposed from the analysis (pure, Markdown).

The facilitator edits every section; the draft only saves them from starting on a blank
page, and makes sure divergent and minority views are written down, not lost.
Member text is quoted with Markdown's special characters escaped; no name is ever used.

The draft is written in the ``language`` it is given (the consultation's, for the callers
of this package), with numbers and dates as that language writes them; the words come from
the catalogues of :mod:`cop_widgets.i18n`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from ..i18n import (
    N_,
    format_date,
    format_number,
    format_percent,
    plural_translator,
    translator,
)
from ..model import Consultation, Development, DevelopmentKind
from ..scales import Scale
from ..vocabulary import group_label
from .discussion import SPEAKS_FOR_ME
from .stances import CLASS_WORDS, category_phrases

__all__ = ["SECTIONS", "SECTION_TITLES", "CLASS_WORDS", "md_escape", "propose_draft",
           "quote_rationales"]

#: Section keys of a joint response, in order.
SECTIONS = ("development", "consensus", "divergent", "minority", "open_questions",
            "recommendations")
#: Section titles as they appear in drafts and exports (English msgids: translate where
#: shown).
SECTION_TITLES = {
    "development": N_("The development and our question"),
    "consensus": N_("Points of consensus"),
    "divergent": N_("Divergent views"),
    "minority": N_("Minority views"),
    "open_questions": N_("Open questions"),
    "recommendations": N_("Recommendations"),
}
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")
_LEADING = re.compile(r"^([#>+=-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
PASS_OPEN_QUESTION = 0.3  # a pass share from which a statement counts as an open question
QUOTES_PER_SIDE = 2


def md_escape(text: str) -> str:
    """Escape Markdown's special characters so member text renders literally.

    Whitespace is collapsed to single spaces, so member text always stays one line.
    """
    flat = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    flat = _LEADING.sub(r"\\\1", flat)
    return _LEADING_NUMBER.sub(r"\1\\\2", flat)


def quote_rationales(responses: pd.DataFrame, statement_id: int, side: int,
                     polarity: Mapping[int, int], limit: int = QUOTES_PER_SIDE,
                     order: Sequence[str] = ()) -> list[str]:
    """Return up to ``limit`` reasons given by members on one side of a statement.

    ``side`` is +1 (agreeing), -1 (disagreeing) or 0 (neither). Longer reasons come first
    (they usually say more); reasons of the same length come in ``order``, the reasons of
    this statement as ``Store.list_rationales`` lists them (the order the consultation's
    secret draws, the one the results page shows), then any others by their text. The
    choice never depends on which member gave a reason or when: not on the rows' order of
    ``responses``. No member is named.
    """
    rows = responses[(responses["statement_id"] == statement_id)
                     & responses["stance"].notna()]
    if rows.empty:
        return []
    sides = rows["stance"].astype(int).map(polarity)
    texts = rows.loc[sides == side, "rationale"].fillna("").astype(str).str.strip()
    candidates = set(texts[texts != ""])
    rank = {}
    for text in order:
        rank.setdefault(str(text).strip(), len(rank))
    ranked = sorted(candidates, key=lambda text: (-len(text), rank.get(text, len(rank)), text))
    return ranked[:limit]


def _holders(by_group: pd.DataFrame | None, statement_id: int, side: int) -> list[str]:
    """Return the groups (of a member attribute) where this side is the larger one."""
    if by_group is None or by_group.empty:
        return []
    rows = by_group.xs(statement_id, level="statement_id", drop_level=True) \
        if statement_id in by_group.index.get_level_values("statement_id") else None
    if rows is None:
        return []
    if side > 0:
        held = rows[rows["pct_agree"] > rows["pct_disagree"]]
    else:
        held = rows[rows["pct_disagree"] > rows["pct_agree"]]
    return [str(g) for g in held.index]


def propose_draft(
    development: Development,
    consultation: Consultation,
    scale: Scale,
    statements: pd.DataFrame,
    summary: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    by_group: pd.DataFrame | None = None,
    attribute: str | None = None,
    blocks: Sequence[str] = (),
    rationales: Mapping[int, Sequence[str]] | None = None,
    language: str | None = None,
    bridging: Mapping[int, Sequence[str]] | None = None,
    endorsed_by_side: Mapping[int, Mapping[str, Sequence[str]]] | None = None,
) -> dict[str, str]:
    """Propose every section of the joint response in Markdown.

    Parameters
    ----------
    development, consultation : Development, Consultation
        What is answered, and the question put to the community.
    scale : Scale
        The consultation's scale (for the polarity of each level).
    statements : DataFrame
        ``Store.statements_frame`` (statement_id, text), in card order.
    summary : DataFrame
        ``analysis.summary.statement_summary`` of the same responses.
    responses : DataFrame
        ``Store.responses_frame`` (stances and rationales; names are never used).
    by_group : DataFrame, optional
        ``analysis.summary.by_attribute`` for ``attribute``: names the groups holding each
        position.
    attribute : str, optional
        The member attribute of ``by_group``.
    blocks : sequence of str
        Reasons of members who blocked an earlier draft (recorded as minority views), in
        the store's order (``Store.list_endorsements``: drawn from the consultation's
        secret, not the order they were given).
    rationales : mapping of int to sequence of str, optional
        ``Store.list_rationales`` of the same round: the reasons under each statement in
        the order the consultation's secret draws. Among reasons of the same length, the
        quotes are the first in this order (see :func:`quote_rationales`); without it,
        the first by their text. Never the members' order.
    language : str, optional
        The language the sentences are written in (``en``, ``fr``, ``es``); English by
        default. Callers pass the consultation's language. What members and the facilitator
        wrote is quoted as written.
    bridging : mapping of int to sequence of str, optional
        From a discussion of reasons: the most bridging reasons under each statement
        (:meth:`~cop_widgets.services.deliberation.DiscussionAnalysis.bridging_texts`),
        quoted under each divergent statement, where a joint response can start.
    endorsed_by_side : mapping of int to mapping of str to sequence of str, optional
        From a discussion of reasons: under each statement, by side (``"agree"``,
        ``"disagree"``), the reasons the members on that side marked "Speaks for me too"
        most (:meth:`~cop_widgets.services.deliberation.DiscussionAnalysis.
        endorsed_by_side`). The minority views quote those of the minority side; without
        any, the reasons the minority side gave.

    Returns
    -------
    dict
        One Markdown text per key of :data:`SECTIONS`.
    """
    _ = translator(language)
    ngettext = plural_translator(language)
    polarity = {level.value: level.polarity for level in scale.levels}
    numbers = {sid: i for i, sid in enumerate(statements["statement_id"], start=1)}
    texts = dict(zip(statements["statement_id"], statements["text"], strict=True))
    summary = summary[summary.index.isin(numbers)]

    def pct(x: float) -> str:
        return format_percent(x, language)

    def members(n: float) -> str:
        return ngettext("{count} member", "{count} members", int(n)).format(
            count=format_number(int(n), language))

    def ref(sid: int) -> str:
        return f"**{numbers[sid]}.** {md_escape(texts[sid])}"

    def quoted(found: Sequence[str]) -> str:
        # A blank quote line between two reasons keeps them two quotes, not one voice.
        return "\n    >".join(f"\n    > {md_escape(q)}" for q in found)

    def quotes(sid: int, side: int) -> str:
        return quoted(quote_rationales(responses, sid, side, polarity,
                                       order=(rationales or {}).get(sid, ())))

    def group(name: str) -> str:
        return md_escape(group_label(name, _))

    def apart(row: pd.Series) -> str:
        """Say the shares counted apart (abstaining, more discussion, reluctant support)."""
        phrases = category_phrases(row, language)
        return "; " + "; ".join(phrases) if phrases else ""

    # -- the development -------------------------------------------------------------
    lines = [f"{md_escape(development.title)}.", ""]
    if development.summary:
        lines += [md_escape(development.summary), ""]
    lines.append(_("The question put to the community: {question}").format(
        question=f"*{md_escape(consultation.title)}*"))
    if development.kind is DevelopmentKind.REQUEST_FOR_OPINION:
        lines += ["", _("{requester} asked us, by {deadline}:").format(
            requester=md_escape(development.requester),
            deadline=format_date(development.requester_deadline, language)), ""]
        lines += [f"{i}. {md_escape(q)}" for i, q in enumerate(development.questions, 1)]
    sections = {"development": "\n".join(lines)}

    # -- consensus -------------------------------------------------------------------
    agreed = summary[summary["class"] == "consensus"]
    items = []
    for sid, row in agreed.iterrows():
        if row["direction"] == "disagree":
            line = _("We reject: {statement} ({percent} disagree, {members})").format(
                statement=ref(sid), percent=pct(row.pct_disagree),
                members=members(row.n_stance) + apart(row))
        else:
            line = _("We agree: {statement} ({percent} agree, {members})").format(
                statement=ref(sid), percent=pct(row.pct_agree),
                members=members(row.n_stance) + apart(row))
        items.append(f"- {line}")
    sections["consensus"] = "\n".join(items) or _("No statement reached consensus.")

    # -- divergent views ---------------------------------------------------------------
    items = []
    split = summary[summary["class"].isin(["divided", "polarised"])]
    for sid, row in split.sort_values("divergence", ascending=False).iterrows():
        items.append(f"- {ref(sid)} ({_(CLASS_WORDS.get(row['class'], row['class']))}"
                     f"{apart(row)})")
        for side, share in ((1, _("{percent} agree")), (-1, _("{percent} disagree"))):
            share = share.format(percent=pct(row.pct_agree if side > 0 else row.pct_disagree))
            holders = _holders(by_group, sid, side)
            if holders and attribute:
                share = _("{share}; the larger side among {attribute}: {groups}").format(
                    share=share, attribute=md_escape(attribute),
                    groups=", ".join(map(group, holders)))
            items.append(f"  - {share}.{quotes(sid, side)}")
        bridges = list((bridging or {}).get(sid, ()))[:QUOTES_PER_SIDE]
        if bridges:
            items.append("  - " + _("Reasons marked \u201c{speaks}\u201d across groups, "
                                    "where a joint response can start:").format(
                speaks=_(SPEAKS_FOR_ME)) + quoted(bridges))
    if blocks:
        items.append("- " + _("Members who blocked the previous draft said:"))
        items.append("\n    >\n".join(f"    > {md_escape(b)}" for b in blocks))
    sections["divergent"] = "\n".join(items) or _("No statement divided the community.")

    # -- minority views ----------------------------------------------------------------
    items = []
    leaning = summary[summary["class"].isin(["consensus", "leaning"])]
    for sid, row in leaning.iterrows():
        majority = 1 if row["direction"] == "agree" else -1
        share = row.pct_disagree if majority > 0 else row.pct_agree
        if pd.isna(share) or share <= 0:
            continue
        against = (_("{statement} ({percent} disagree, against the majority)") if majority > 0
                   else _("{statement} ({percent} agree, against the majority)"))
        minority = "disagree" if majority > 0 else "agree"
        endorsed = list((endorsed_by_side or {}).get(sid, {}).get(minority, ()))
        if endorsed:
            items.append("- " + against.format(statement=ref(sid), percent=pct(share))
                         + ". " + _("The reasons members on this side marked "
                                    "\u201c{speaks}\u201d most:").format(
                             speaks=_(SPEAKS_FOR_ME)) + quoted(endorsed[:QUOTES_PER_SIDE]))
        else:
            items.append("- " + against.format(statement=ref(sid), percent=pct(share))
                         + quotes(sid, -majority))
    if blocks:
        items += ["- " + _("A member blocked the draft: {reason}").format(reason=md_escape(b))
                  for b in blocks]
    sections["minority"] = "\n".join(items) or _("Every view joined the majority.")

    # -- open questions ----------------------------------------------------------------
    items = ["- " + _("{statement}: {percent} of members passed or were unsure.").format(
                 statement=ref(sid), percent=pct(row.pass_share))
             for sid, row in summary.iterrows()
             if not pd.isna(row.pass_share) and row.pass_share >= PASS_OPEN_QUESTION]
    for sid, row in summary[summary["class"] == "more discussion"].iterrows():
        shares = "; ".join(category_phrases(row, language))
        if row.n_stance:
            items.append("- " + _(
                "{statement} ({shares}). Of the {members} who took a position on the scale, "
                "{agree} agree and {disagree} disagree.").format(
                statement=ref(sid), shares=shares, members=members(row.n_stance),
                agree=pct(row.pct_agree), disagree=pct(row.pct_disagree)))
        else:
            items.append("- " + _("{statement} ({shares}).").format(statement=ref(sid),
                                                                   shares=shares))
    items += ["- " + _("{statement}: most stances neither agree nor disagree.").format(
                  statement=ref(sid))
              for sid in summary.index[summary["class"] == "neutral"]]
    items += ["- " + _("{statement}: no member answered.").format(statement=ref(sid))
              for sid in numbers
              if sid not in summary.index or summary.loc[sid, "class"] == "no answers"]
    sections["open_questions"] = "\n".join(items) or _("None recorded yet.")

    # -- recommendations ---------------------------------------------------------------
    items = [f"- {md_escape(texts[sid])}" for sid, row in agreed.iterrows()
             if row["direction"] == "agree"]
    sections["recommendations"] = (
        _("Drawn from the points of consensus (edit before publishing):") + "\n\n"
        + "\n".join(items) if items
        else _("To be written by the facilitator from the discussion."))
    return sections
