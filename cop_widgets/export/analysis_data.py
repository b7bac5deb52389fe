"""A consultation's analysis as plain data and as a text table, for ``cop-widgets analyze``.

In an anonymous consultation no member is listed: no name, email, roster id or external id
travels next to an opinion group, only each group's size. A conversation imported from Pol.is
(:func:`cop_widgets.services.importing.from_polis_import`) keeps its participant ids, the
pseudonyms Pol.is itself publishes, so its groups can be compared with Pol.is's own.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..i18n import DEFAULT_LANGUAGE, translator
from ..services.importing import from_polis_import
from ..words.discussion import SIDE_WORDS, SPEAKS_FOR_ME
from ..words.opinion import groups_note
from ..words.stances import category_phrases, category_shares, class_words

if TYPE_CHECKING:
    from ..services.analysis import ConsultationAnalysis

__all__ = ["analysis_data", "format_text"]

#: At most this many bridging reasons are printed by ``cop-widgets analyze``'s text format.
TEXT_REASONS = 5


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def analysis_data(analysis: ConsultationAnalysis, k: int | None = None,
                  attribute: str | None = None) -> dict[str, Any]:
    """Return a consultation's analysis as JSON-ready data.

    Parameters
    ----------
    analysis : ConsultationAnalysis
        The consultation, loaded once (:mod:`cop_widgets.services.analysis`).
    k : int, optional
        Number of opinion groups; chosen by silhouette (2..5) when omitted.
    attribute : str, optional
        Member attribute to report cruxes for.

    Returns
    -------
    dict
        ``consultation``; ``statements`` (one object per accepted statement: ``statement``
        (external id, else id), ``text``, ``n`` (answers), ``n_stance`` (stances on the
        scale's ordinal levels, the base of every share and measure), ``agree``,
        ``disagree``, ``pass``, ``abstain`` and ``more_discussion`` (answers counted
        apart, out of the ordinal measures), ``reluctant_support`` (Kaner's "Don't like
        it, but will support it", counted in ``agree``), ``shares_apart`` (by code, the
        share of all answers of each category and the pass, and the share of the stances
        of ``reluctant_support``; zero shares left out) and ``shares_apart_text`` (the same
        in English: "wants more discussion: 50%"), ``consensus`` (Tastle & Wierman),
        ``agreement`` (van der Eijk's A), ``dispersion`` (Leik), ``pct_agree``,
        ``pct_disagree``, ``gic`` (group-informed consensus), ``class`` (a code of
        ``analysis.summary.CLASSES``) and ``class_text`` (its words in English));
        ``members`` (``member``: external id, else id; ``group``: null when not clustered),
        left out in an anonymous consultation unless it was imported from Pol.is;
        ``groups`` (k, silhouette, ``sizes``: one ``{"group", "members"}`` per group,
        ``note``: why there are no groups as a code of
        ``analysis.opinion.GROUP_NOTES``, ``note_text``: the same in English, and the
        representative statements);
        ``under_represented`` (for each attribute, its flagged groups); ``cruxes`` when an
        attribute is given; ``reasons`` (``[{statement, number, side, text, shown,
        endorsements, bridging}]``, most bridging first, no author field) and ``change``
        (``[{statement, number, compared, moved, toward_agree, toward_disagree}]``) of the
        discussion of reasons (:meth:`DiscussionAnalysis.reasons_data`, ``change_data``),
        empty lists when it was never opened; ``discussion`` (``opened``, ``open``,
        ``groups``: where the groups come from) or null.
    """
    consultation = analysis.consultation
    summary = analysis.summary
    groups = analysis.groups(k)
    gic = analysis.consensus(k)
    external = {s.id: s.external_id or str(s.id) for s in analysis.statements}
    rows = []
    for statement in analysis.statements:
        row = summary.loc[statement.id] if statement.id in summary.index else None
        klass = row["class"] if row is not None else "no answers"
        rows.append({
            "statement": external[statement.id],
            "text": statement.text,
            "n": int(row["n"]) if row is not None else 0,
            "n_stance": int(row["n_stance"]) if row is not None else 0,
            "agree": int(row["agree"]) if row is not None else 0,
            "disagree": int(row["disagree"]) if row is not None else 0,
            "pass": int(row["n_pass"]) if row is not None else 0,
            "abstain": int(row["n_abstain"]) if row is not None else 0,
            "more_discussion": int(row["n_more_discussion"]) if row is not None else 0,
            "reluctant_support": int(row["reluctant_support"]) if row is not None else 0,
            "shares_apart": ({code: _number(x) for code, x in category_shares(row).items()}
                             if row is not None else {}),
            "shares_apart_text": category_phrases(row, passes=True) if row is not None else [],
            "pct_agree": _number(row["pct_agree"]) if row is not None else None,
            "pct_disagree": _number(row["pct_disagree"]) if row is not None else None,
            "consensus": _number(row["consensus"]) if row is not None else None,
            "agreement": _number(row["agreement"]) if row is not None else None,
            "dispersion": _number(row["dispersion"]) if row is not None else None,
            "gic": (_number(gic.get(statement.id)) if gic is not None
                    and statement.id in gic.index else None),
            "class": klass,
            "class_text": class_words(klass),
        })
    labels = groups.labels
    representative = [{"group": int(r.group), "statement": external[r.statement_id],
                       "direction": r.direction, "repness": _number(r.repness),
                       "z": _number(r.z), "significant": bool(r.significant)}
                      for r in analysis.representative(k).itertuples()
                      if r.statement_id in external]
    result: dict[str, Any] = {
        "consultation": {"id": consultation.id, "title": consultation.title,
                         "scale": consultation.scale, "status": consultation.status.value,
                         "anonymous": consultation.anonymous},
        "statements": rows,
        "groups": {"k": groups.k, "silhouette": _number(groups.silhouette),
                   "sizes": _sizes(labels), "note": groups.note,
                   "note_text": groups_note(groups), "representative": representative},
        "under_represented": analysis.under_represented(),
    }
    if not consultation.anonymous or from_polis_import(analysis.members):
        result["members"] = [
            {"member": external_id or str(member_id),
             "group": (int(labels[member_id]) if member_id in labels.index
                       and not _missing(labels[member_id]) else None)}
            for member_id, external_id in zip(analysis.members["member_id"],
                                              analysis.members["external_id"], strict=True)]
    discussion = analysis.discussion
    phase = discussion.phase
    result["discussion"] = None if phase is None else {
        "opened": True, "open": phase.is_open, "groups": phase.source.value}
    result["reasons"] = discussion.reasons_data()
    result["change"] = discussion.change_data()
    if attribute:
        crux = analysis.cruxes(attribute)
        result["cruxes"] = [{"statement": external.get(r.statement_id, str(r.statement_id)),
                             "spread": _number(r.spread), "group_high": r.group_high,
                             "group_low": r.group_low} for r in crux.itertuples()]
    return result


def _sizes(labels: Any) -> list[dict[str, int]]:
    """Return how many members each opinion group holds, by group (the unplaced left out)."""
    sizes: dict[int, int] = {}
    for value in labels.tolist():
        if not _missing(value):
            sizes[int(value)] = sizes.get(int(value), 0) + 1
    return [{"group": g, "members": n} for g, n in sorted(sizes.items())]


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None or str(value) == "<NA>"
    except (TypeError, ValueError):
        return True


def format_text(result: dict[str, Any]) -> str:
    """Return a readable summary of :func:`analysis_data`'s result."""
    c = result["consultation"]
    lines = [f"Consultation {c['id']}: {c['title']} ({c['status']}, scale {c['scale']})", ""]
    by_class: dict[str, int] = {}
    for s in result["statements"]:
        by_class[s["class"]] = by_class.get(s["class"], 0) + 1
    lines.append("Statements: " + ", ".join(f"{n} {class_words(k)}"
                                            for k, n in sorted(by_class.items())))
    groups = result["groups"]
    if groups["note"]:
        lines.append(f"Opinion groups: {groups['note_text']}")
    else:
        lines.append(f"Opinion groups: {groups['k']} (silhouette {groups['silhouette']}): "
                     + ", ".join(f"group {s['group']}: {s['members']} members"
                                 for s in groups["sizes"]))
    lines += ["", f"{'statement':>10}  {'n':>5} {'agree':>6} {'disag.':>6} {'pass':>5} "
                  f"{'TW':>5} {'A':>6} {'GIC':>5}  class                  text"]
    for s in result["statements"]:
        def f(x, spec):
            return format(x, spec) if x is not None else "-".rjust(len(format(0.0, spec)))
        text = s["text"] if len(s["text"]) <= 50 else s["text"][:49] + "…"
        lines.append(f"{s['statement']:>10}  {s['n']:>5} {s['agree']:>6} {s['disagree']:>6} "
                     f"{s['pass']:>5} {f(s['consensus'], '5.2f')} {f(s['agreement'], '6.2f')} "
                     f"{f(s['gic'], '5.2f')}  {s['class_text']:<22} {text}")
        apart = [phrase for code, phrase in zip(s["shares_apart"], s["shares_apart_text"],
                                                strict=True) if code != "pass"]
        if apart:
            lines.append(" " * 12 + "; ".join(apart))
    return "\n".join(lines + _discussion_text(result))


def _discussion_text(result: dict[str, Any]) -> list[str]:
    """Return the top bridging reasons and the change of mind, in a few lines (English)."""
    _ = translator(DEFAULT_LANGUAGE)
    if not result.get("discussion"):
        return ["", _("Discussion of reasons: not opened.")]
    state = _("open") if result["discussion"]["open"] else _("closed")
    lines = ["", _("Discussion of reasons ({state}): the most bridging reasons").format(
        state=state)]
    endorsed = [r for r in result["reasons"] if r["endorsements"] > 0][:TEXT_REASONS]
    if not endorsed:
        lines.append("  " + _("No reason has been marked \u201c{speaks}\u201d yet.").format(
            speaks=_(SPEAKS_FOR_ME)))
    for r in endorsed:
        text = r["text"] if len(r["text"]) <= 60 else r["text"][:59] + "\u2026"
        lines.append(f"  {r['statement']:>10}  " + _(
            "{side}, bridging {bridging}, marked by {endorsements} of {shown} shown: "
            "{text}").format(side=_(SIDE_WORDS[r["side"]]), bridging=f"{r['bridging']:.2f}",
                             endorsements=r["endorsements"], shown=r["shown"],
                             text=" ".join(text.split())))
    lines.append(_("Change of mind after reading others' reasons"))
    compared = [c for c in result["change"] if c["compared"]]
    if not compared:
        lines.append("  " + _("No member has been compared yet."))
    for c in compared:
        lines.append(f"  {c['statement']:>10}  " + _(
            "{compared} compared, {moved} moved: {agree} toward agreement, {disagree} toward "
            "disagreement").format(compared=c["compared"], moved=c["moved"],
                                   agree=c["toward_agree"], disagree=c["toward_disagree"]))
    return lines
