"""Store verbs for notices: tell the members by email that something was published.

Two things are published to the members, each with its notice (a kind of
:data:`cop_widgets.model.mail.NOTICES`):

``endorsement``
    A version of the joint response was put to the members and answers are taken. Each
    member gets a **new** personal link (it opens their card and the draft; the link before
    it stops working, as with a reminder), made in the same transaction as its message.
``results``
    The results are public: the consultation is closed and its results are not set to
    never be shown (:func:`cop_widgets.model.policies.results_visible`). The message carries
    the results page's link, which is the same for everyone: no personal link, nothing
    revoked.

Who gets a notice: every member with a working link and an email address, in an anonymous
consultation as in a named one (nobody is singled out). A member who already has this
notice (for this version of the draft) gets none, so a rerun sends nothing twice. The rules
live here; the words in ``cop_widgets.words.mail``; the delivery in ``services.mailing``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import model as m
from ..errors import ValidationError
from ..model import mail as mm
from ..model.policies import results_visible
from . import schema as t
from .base import StoreBase
from .drafts import DraftVerbs, endorsement_refusal
from .outbox import enqueue_message
from .rows import consultation_from, member_from

__all__ = ["NoticeVerbs"]

_O = t.outbox.c
#: A notice in one of these states was delivered, or will be: it is not made again.
_KEPT = ("pending", "sending", "sent", "written", "failed")


class NoticeVerbs(StoreBase):
    """Put notices in the outbox (see the module docstring)."""

    def add_notices(self, consultation_id: int, kind: str) -> int:
        """Put a ``kind`` notice for each member due one in the outbox; return how many.

        Parameters
        ----------
        consultation_id : int
            The consultation.
        kind : str
            ``"endorsement"`` or ``"results"``.

        Raises
        ------
        ValidationError
            ``draft-not-open`` (no version put to the members yet) or the refusal every
            endorsement gets now (``response-finalised``, ``endorsement-closed``...);
            ``results-not-published`` (the results are not public yet).

        """
        if kind not in mm.NOTICES:
            raise ValidationError("kind", "not-one-of", kind, allowed=", ".join(mm.NOTICES))
        with self.transaction() as conn:
            consultation = consultation_from(self._one(conn, t.consultations, consultation_id,
                                                       "consultation", lock="share"))
            since = self._refuse_unpublished(conn, consultation, kind)
            given = sa.select(_O.member_id).where(
                _O.consultation_id == consultation_id, _O.kind == kind, _O.status.in_(_KEPT))
            if since is not None:  # an earlier version's notice does not count
                given = given.where(_O.created_at >= since)
            done = set(conn.execute(given).scalars())
            linked = set(conn.execute(
                sa.select(t.invitations.c.member_id)
                .where(t.invitations.c.consultation_id == consultation_id,
                       t.invitations.c.revoked_at.is_(None))).scalars())
            due = [member_from(r) for r in conn.execute(
                sa.select(t.members).where(t.members.c.consultation_id == consultation_id)
                .order_by(t.members.c.id))]
            due = [mb for mb in due if mb.email and mb.id in linked and mb.id not in done]
            now = self.now()
            for member in due:
                if kind in mm.LINK_KINDS:
                    self._issue_link(conn, member.id, kind, now)  # type: ignore[attr-defined]
                else:
                    enqueue_message(conn, member, None, "", kind, now)
            return len(due)

    @staticmethod
    def _refuse_unpublished(conn: Connection, consultation: m.Consultation,
                            kind: str) -> dt.datetime | None:
        """Raise unless ``kind`` was published; return since when (``None``: results)."""
        if kind == "results":
            if not results_visible(consultation, submitted=False):
                raise ValidationError("results", "results-not-published")
            return None
        shared = DraftVerbs._shared(conn, consultation.id)  # noqa: SLF001
        if shared is None:
            raise ValidationError("draft", "draft-not-open")
        refusal = endorsement_refusal(consultation, shared, shared)
        if refusal is not None:
            raise refusal
        return shared.shared_at
