"""The words and names every layer shares, defined once.

Labels are English msgids (marked with ``N_`` for the catalogues) and are translated where
they are shown; names (column names, codes) are never translated. The languages a page can
be in are :data:`cop_widgets.i18n.LANGUAGES`.
"""

from __future__ import annotations

from .i18n import N_

__all__ = [
    "ALL_MEMBERS",
    "LANGUAGE_NAMES",
    "ENDORSEMENT_CHOICES",
    "ENDORSEMENT_LABELS",
    "NOT_GIVEN",
    "OTHER_GROUPS",
    "ROSTER_COLUMNS",
    "group_label",
]

#: Columns of ``Store.members_frame`` that are not member attributes, in order. No roster
#: attribute may take one of these names (``model.RESERVED_ATTRIBUTES`` adds ``group``).
ROSTER_COLUMNS = ("member_id", "name", "email", "external_id", "invited", "responded")

#: The group of members who gave no value for an attribute (missing or blank).
NOT_GIVEN = N_("(not given)")

#: The group that holds, in an anonymous consultation, the groups too small to be shown on
#: their own and the one merged with them so that none follows by subtraction
#: (:func:`cop_widgets.analysis.disclosure.merge_small_groups`). A code in the analysis'
#: frames, like :data:`NOT_GIVEN`; parenthesised so that no roster value is taken for it.
OTHER_GROUPS = N_("(other groups)")



def group_label(name: object, gettext) -> str:
    """Return a group's name as shown, translating the analysis' own groups.

    :data:`NOT_GIVEN` and :data:`OTHER_GROUPS` go through ``gettext``; a roster value is
    shown as it is.
    """
    return gettext(name) if name in (NOT_GIVEN, OTHER_GROUPS) else str(name)


#: The row or group that holds the whole roster.
ALL_MEMBERS = N_("All members")

#: The answers to a draft as the facilitator's tally and the exports name them, in order,
#: keyed by ``model.EndorsementKind`` values.
ENDORSEMENT_LABELS: dict[str, str] = {
    "endorse": N_("Endorse"),
    "can_live_with": N_("Can live with it"),
    "block": N_("Block"),
}

#: The same answers as a member chooses them on the endorsement page, in the first person.
ENDORSEMENT_CHOICES: dict[str, str] = {
    "endorse": N_("I endorse it"),
    "can_live_with": N_("I can live with it"),
    "block": N_("I block it (please say why)"),
}

#: Each language a page can be in (``i18n.LANGUAGES``), named in itself (not translated).
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Fran\u00e7ais", "es": "Espa\u00f1ol"}
