"""The joint response proposed from the analysis: one proposal for the desk and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..words.draft import propose_draft

if TYPE_CHECKING:
    from ..services.analysis import ConsultationAnalysis

__all__ = ["proposed_sections"]


def proposed_sections(analysis: ConsultationAnalysis, *,
                      language: str | None = None) -> dict[str, str]:
    """Propose every section of the joint response from a consultation's analysis.

    Parameters
    ----------
    analysis : ConsultationAnalysis
        The consultation, loaded once: its accepted statements, their summary, the
        comparison by the default attribute (groups under the smallest shown left out), the
        reasons of blocks given to the latest draft, and the discussion of reasons (the
        most bridging reasons, and those each side marked "Speaks for me too" most).
    language : str, optional
        Language of the proposal; the consultation's by default.

    Returns
    -------
    dict of str to str
        Markdown text per section key.

    """
    attribute = analysis.default_attribute
    discussion = analysis.discussion
    endorsed = {sid: {side.value: texts for side, texts in sides.items()}
                for sid, sides in discussion.endorsed_by_side().items()}
    return propose_draft(analysis.development, analysis.consultation, analysis.scale,
                         analysis.statements_frame, analysis.summary, analysis.responses,
                         by_group=analysis.by(attribute), attribute=attribute,
                         blocks=analysis.blocks, rationales=analysis.rationales,
                         language=language or analysis.consultation.language,
                         bridging=discussion.bridging_texts(), endorsed_by_side=endorsed)
