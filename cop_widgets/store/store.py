"""The store: the only code that talks to the database.

Verbs are uniform: ``add_*``, ``get_*``, ``list_*``, ``update_*``. Every rule about what may
be written is checked here, inside the same transaction as the write, so a refused call
writes nothing. Who a member is comes from their invitation token, never from a caller's
claim.

:class:`Store` gathers the verbs, one module per subject: ``consultations`` (developments,
consultations, rounds), ``statements``, ``members`` (roster and invitations), ``cards``,
``drafts`` (drafts and endorsements), ``outbox`` (invitations and reminders by email,
written with their links and sent once), ``discussion`` (the discussion phase: reasons shown,
marked "Speaks for me too", replied to and credited with a change of stance; read back by
``discussion_read``), ``frames`` (DataFrames for analysis) and ``importing`` (a whole
consultation at once). They stand on ``base`` (engine, clock,
transactions, look-ups), ``rows`` (row <-> model) and ``bulk`` (fast writes).
"""

from __future__ import annotations

from .cards import CardVerbs
from .consultations import ConsultationVerbs
from .discussion import DiscussionVerbs
from .drafts import DraftVerbs
from .frames import FrameVerbs
from .importing import ImportVerbs
from .members import MemberVerbs
from .notices import NoticeVerbs
from .outbox import OutboxVerbs
from .statements import StatementVerbs

__all__ = ["Store"]


class Store(ConsultationVerbs, StatementVerbs, MemberVerbs, DiscussionVerbs, CardVerbs,
            DraftVerbs, FrameVerbs, ImportVerbs, OutboxVerbs, NoticeVerbs):
    """Persistent home of developments, consultations, rosters, cards and drafts.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL. Defaults to ``$COP_WIDGETS_DB``, else ``sqlite:///cop-widgets.db``
        in the working directory. ``postgresql://`` URLs use psycopg 3.
    migrate : bool
        Bring the schema to the newest migration on opening (safe under concurrency).
    clock : callable, optional
        Returns the current aware datetime; tests pass a fixed clock.
    existing : bool
        Open only a database that exists: a SQLite file that is not there is refused
        (code ``no-database``) instead of created. For commands that only read.

    Examples
    --------
    >>> store = Store("sqlite:///:memory:")  # doctest: +SKIP

    """
