"""The domain model: validated dataclasses and the policies that read them; no I/O.

No widgets and no database here.

Every constructor validates its values and raises :class:`~cop_widgets.errors.ValidationError`
naming the field and the rule. Text limits are documented in :data:`LIMITS`.

Modules
-------
choices
    The closed sets of values (kinds, states, visibility).
fields
    Field validation shared by every record.
consultation
    Development, Consultation, Round and Statement.
roster
    Member and Invitation.
answers
    StanceResponse, PositionCard, Draft and Endorsement.
policies
    One rule per policy: results visibility, the smallest group shown, under-representation,
    and how much one member may write (pending proposals, card saves).
ordering
    The order members' texts are shown in: drawn from a consultation's secret, so it links
    no one's reasons (imported from ``cop_widgets.model.ordering``, not re-exported here).
"""

from __future__ import annotations

from .answers import Draft, Endorsement, PositionCard, StanceResponse, endorsement_counts
from .choices import (
    CardStatus,
    ConsultationStatus,
    DevelopmentKind,
    EndorsementKind,
    ModerationState,
    Visibility,
)
from .consultation import Consultation, Development, Round, Statement
from .fields import LIMITS, MAX_ID, moment, text
from .policies import (
    CARD_SAVE_LIMIT,
    MAX_PENDING_PROPOSALS,
    MAX_PENDING_REPLIES,
    MIN_GROUP_SIZE,
    CardSaveLimit,
    RepresentationRule,
    results_visible,
    smallest_group_shown,
)
from .roster import RESERVED_ATTRIBUTES, Invitation, Member, parse_attributes_csv_row

__all__ = [
    "LIMITS", "MAX_ID", "RESERVED_ATTRIBUTES", "MIN_GROUP_SIZE", "text", "moment",
    "parse_attributes_csv_row",
    # the closed sets of values
    "CardStatus", "ConsultationStatus", "DevelopmentKind", "EndorsementKind",
    "ModerationState", "Visibility",
    # records
    "Development", "Consultation", "Round", "Statement", "Member", "Invitation",
    "StanceResponse", "PositionCard", "Draft", "Endorsement", "endorsement_counts",
    # policies
    "RepresentationRule", "results_visible", "smallest_group_shown",
    "MAX_PENDING_PROPOSALS", "MAX_PENDING_REPLIES", "CardSaveLimit", "CARD_SAVE_LIMIT",
]
