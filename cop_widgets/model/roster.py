"""The community's roster: members with their attributes, and their invitations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..vocabulary import ROSTER_COLUMNS
from .fields import LIMITS, moment, optional_id, required_id, set_field, text

__all__ = ["RESERVED_ATTRIBUTES", "Member", "Invitation", "parse_attributes_csv_row"]

#: Attribute names that would collide with roster columns.
RESERVED_ATTRIBUTES = frozenset({*ROSTER_COLUMNS, "group"})

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Member:
    """A member of the community invited to a consultation.

    Attributes
    ----------
    consultation_id : int
        The consultation whose roster holds the member.
    name : str
        Name as the facilitator knows it (never shown beside a position when anonymous).
    email : str
        Optional email address.
    attributes : dict of str to str
        Free-form attributes (role, region, organisation type...).
    external_id : str
        Id in another system (a Pol.is participant id), or empty.

    """

    consultation_id: int
    name: str
    email: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    external_id: str = ""
    id: int | None = None

    def __post_init__(self) -> None:
        set_field(self, "consultation_id", required_id("consultation_id", self.consultation_id))
        set_field(self, "name", text("name", self.name, "name"))
        email = text("email", self.email, "email", required=False)
        if email and not _EMAIL.match(email):
            raise ValidationError("email", "not-an-email", email)
        set_field(self, "email", email)
        if not isinstance(self.attributes, Mapping):
            raise ValidationError("attributes", "not-a-mapping")
        if len(self.attributes) > LIMITS["attributes"]:
            raise ValidationError("attributes", "too-many-attributes",
                                  limit=LIMITS["attributes"])
        attributes: dict[str, str] = {}
        for key, value in self.attributes.items():
            key = text("attributes (name)", key, "attribute_key")
            if key.lower() in RESERVED_ATTRIBUTES:
                reserved = ", ".join(sorted(RESERVED_ATTRIBUTES))
                raise ValidationError("attributes (name)", "reserved-attribute", key,
                                      reserved=reserved)
            attributes[key] = text(f"attributes[{key}]", "" if value is None else str(value),
                                   "attribute_value", required=False)
        set_field(self, "attributes", attributes)
        set_field(self, "external_id", text("external_id", self.external_id, "external_id",
                                       required=False))
        set_field(self, "id", optional_id("id", self.id))


@dataclass(frozen=True)
class Invitation:
    """An invitation of one member to one consultation; only the token's hash is kept."""

    consultation_id: int
    member_id: int
    token_hash: str
    created_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        set_field(self, "consultation_id", required_id("consultation_id", self.consultation_id))
        set_field(self, "member_id", required_id("member_id", self.member_id))
        if not isinstance(self.token_hash, str) or not re.fullmatch(r"[0-9a-f]{64}",
                                                                     self.token_hash):
            raise ValidationError("token_hash", "not-a-token-hash", show_value=False)
        set_field(self, "created_at", moment("created_at", self.created_at, required=False))
        set_field(self, "revoked_at", moment("revoked_at", self.revoked_at, required=False))
        set_field(self, "id", optional_id("id", self.id))

    @property
    def revoked(self) -> bool:
        """Whether the invitation no longer admits its member."""
        return self.revoked_at is not None


def parse_attributes_csv_row(row: Mapping[str, Any], skip: Iterable[str]) -> dict[str, str]:
    """Return the attribute columns of a roster CSV row (every column not in ``skip``)."""
    skipped = {s.lower() for s in skip}
    return {
        str(k).strip(): str(v or "").strip()
        for k, v in row.items()
        if k is not None and str(k).strip() and str(k).strip().lower() not in skipped
    }
