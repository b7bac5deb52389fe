"""One consultation's analysis as plain data: for ``cop-widgets analyze`` and scripts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store

__all__ = ["analyze_consultation", "format_text"]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else round(value, 6)


def analyze_consultation(store: Store, consultation_id: int, k: int | None = None,
                         attribute: str | None = None) -> dict[str, Any]:
    """Return the analysis of a consultation as JSON-ready data.

    Parameters
    ----------
    store : Store
        Where the consultation is.
    consultation_id : int
        The consultation.
    k : int, optional
        Number of opinion groups; chosen by silhouette (2..5) when omitted.
    attribute : str, optional
        Member attribute to report cruxes for.

    Returns
    -------
    dict
        ``consultation``; ``statements`` (one object per accepted statement: ``statement``
        (external id, else id), ``text``, ``n``, ``agree``, ``disagree``, ``pass``,
        ``consensus`` (Tastle & Wierman), ``agreement`` (van der Eijk's A), ``dispersion``
        (Leik), ``pct_agree``, ``pct_disagree``, ``gic`` (group-informed consensus) and
        ``class``); ``members`` (``member``: external id, else id; ``group``: null when not
        clustered); ``groups`` (k, silhouette, note, representative statements);
        ``cruxes`` when an attribute is given.
    """
    from .analysis import opinion
    from .analysis.summary import cruxes, statement_summary
    from .polis import polis_vote_matrix
    from .scales import get_scale

    consultation = store.get_consultation(consultation_id)
    scale = get_scale(consultation.scale)
    statements = store.list_statements(consultation_id)
    responses = store.responses_frame(consultation_id)
    accepted = {s.id for s in statements}
    summary = statement_summary(responses[responses["statement_id"].isin(accepted)], scale)
    matrix = polis_vote_matrix(store, consultation_id)
    groups = opinion.opinion_groups(matrix, k=k)
    gic = (opinion.group_informed_consensus(matrix, groups) if groups.note is None
           else None)
    external = {s.id: s.external_id or str(s.id) for s in statements}
    rows = []
    for statement in statements:
        row = summary.loc[statement.id] if statement.id in summary.index else None
        rows.append({
            "statement": external[statement.id],
            "text": statement.text,
            "n": int(row["n"]) if row is not None else 0,
            "agree": int(row["agree"]) if row is not None else 0,
            "disagree": int(row["disagree"]) if row is not None else 0,
            "pass": int(row["n_pass"]) if row is not None else 0,
            "pct_agree": _number(row["pct_agree"]) if row is not None else None,
            "pct_disagree": _number(row["pct_disagree"]) if row is not None else None,
            "consensus": _number(row["consensus"]) if row is not None else None,
            "agreement": _number(row["agreement"]) if row is not None else None,
            "dispersion": _number(row["dispersion"]) if row is not None else None,
            "gic": (_number(gic.get(statement.id)) if gic is not None
                    and statement.id in gic.index else None),
            "class": row["class"] if row is not None else "no answers",
        })
    labels = groups.labels
    members = [{"member": mb.external_id or str(mb.id),
                "group": (int(labels[mb.id]) if mb.id in labels.index
                          and not _missing(labels[mb.id]) else None)}
               for mb in store.list_members(consultation_id)]
    representative = []
    if groups.note is None:
        repness = opinion.representative_statements(matrix, groups)
        representative = [{"group": int(r.group), "statement": external[r.statement_id],
                           "direction": r.direction, "repness": _number(r.repness),
                           "z": _number(r.z), "significant": bool(r.significant)}
                          for r in repness.itertuples() if r.statement_id in external]
    result: dict[str, Any] = {
        "consultation": {"id": consultation.id, "title": consultation.title,
                         "scale": consultation.scale, "status": consultation.status.value},
        "statements": rows,
        "members": members,
        "groups": {"k": groups.k, "silhouette": _number(groups.silhouette),
                   "note": groups.note, "representative": representative},
    }
    if attribute:
        crux = cruxes(responses, store.members_frame(consultation_id), attribute, scale)
        result["cruxes"] = [{"statement": external.get(r.statement_id, str(r.statement_id)),
                             "spread": _number(r.spread), "group_high": r.group_high,
                             "group_low": r.group_low} for r in crux.itertuples()]
    return result


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None or str(value) == "<NA>"
    except (TypeError, ValueError):
        return True


def format_text(result: dict[str, Any]) -> str:
    """Return a readable summary of :func:`analyze_consultation`'s result."""
    c = result["consultation"]
    lines = [f"Consultation {c['id']}: {c['title']} ({c['status']}, scale {c['scale']})", ""]
    by_class: dict[str, int] = {}
    for s in result["statements"]:
        by_class[s["class"]] = by_class.get(s["class"], 0) + 1
    lines.append("Statements: " + ", ".join(f"{n} {k}" for k, n in sorted(by_class.items())))
    groups = result["groups"]
    if groups["note"]:
        lines.append(f"Opinion groups: {groups['note']}")
    else:
        sizes: dict[int, int] = {}
        for mb in result["members"]:
            if mb["group"] is not None:
                sizes[mb["group"]] = sizes.get(mb["group"], 0) + 1
        lines.append(f"Opinion groups: {groups['k']} (silhouette {groups['silhouette']}): "
                     + ", ".join(f"group {g}: {n} members" for g, n in sorted(sizes.items())))
    lines += ["", f"{'statement':>10}  {'n':>5} {'agree':>6} {'disag.':>6} {'pass':>5} "
                  f"{'TW':>5} {'A':>6} {'GIC':>5}  class       text"]
    for s in result["statements"]:
        def f(x, spec):
            return format(x, spec) if x is not None else "-".rjust(len(format(0.0, spec)))
        text = s["text"] if len(s["text"]) <= 50 else s["text"][:49] + "…"
        lines.append(f"{s['statement']:>10}  {s['n']:>5} {s['agree']:>6} {s['disagree']:>6} "
                     f"{s['pass']:>5} {f(s['consensus'], '5.2f')} {f(s['agreement'], '6.2f')} "
                     f"{f(s['gic'], '5.2f')}  {s['class']:<11} {text}")
    return "\n".join(lines)
