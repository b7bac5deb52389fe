"""Tables of the store (SQLAlchemy Core). Alembic migrations create them; see ``migrations``."""

from __future__ import annotations

import sqlalchemy as sa

from ..model.ordering import new_secret

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_when = sa.DateTime(timezone=True)


def _table(name: str, *items: sa.SchemaItem, **options: object) -> sa.Table:
    """Return a table of ``metadata`` whose first column is its integer ``id`` key."""
    return sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True), *items,
                    **options)


def _numbered(name: str, number: str, *columns: sa.Column) -> sa.Table:
    """Return a table of things numbered 1, 2... within a consultation (rounds, drafts)."""
    return _table(
        name,
        sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False),
        sa.Column(number, sa.Integer, nullable=False),
        *columns,
        sa.UniqueConstraint("consultation_id", number,
                            name=f"uq_{name}_consultation_{number}"),
    )


developments = _table(
    "developments",
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("source_url", sa.Text, nullable=False, default=""),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("requester", sa.String(200), nullable=False, default=""),
    sa.Column("requester_deadline", sa.Date, nullable=True),
    sa.Column("questions", sa.JSON, nullable=False),
    sa.Column("created_at", _when, nullable=False),
)

consultations = _table(
    "consultations",
    sa.Column("development_id", sa.ForeignKey("developments.id"), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("scale", sa.String(40), nullable=False),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    sa.Column("visibility", sa.String(40), nullable=False),
    sa.Column("deadline", _when, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("language", sa.String(10), nullable=False),
    sa.Column("created_at", _when, nullable=False),
    # A receipt by email for each submitted card (model.Consultation.receipts, migration 0007)
    sa.Column("receipts", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
    # Seeds the order reasons and answers are shown in (model.ordering); drawn at every
    # insert, read only by the store, never on the Consultation model nor exported.
    sa.Column("order_secret", sa.LargeBinary, nullable=False, default=new_secret),
)

rounds = _numbered("rounds", "number", sa.Column("opened_at", _when, nullable=False))

members = _table(
    "members",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=False, default=""),
    sa.Column("attributes", sa.JSON, nullable=False),
    sa.Column("external_id", sa.String(100), nullable=False, default=""),
    sa.Column("created_at", _when, nullable=False),
)

invitations = _table(
    "invitations",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", _when, nullable=False),
    sa.Column("revoked_at", _when, nullable=True),
)

statements = _table(
    "statements",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False, index=True),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("proposed_by", sa.ForeignKey("members.id"), nullable=True),
    sa.Column("moderation", sa.String(20), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("external_id", sa.String(100), nullable=False, default=""),
    sa.Column("created_at", _when, nullable=False),
)

cards = _table(
    "cards",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False, index=True),
    sa.Column("round_id", sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("concerns", sa.Text, nullable=False, default=""),
    sa.Column("impact", sa.Text, nullable=False, default=""),
    sa.Column("saved_at", _when, nullable=False),
    sa.UniqueConstraint("round_id", "member_id", "revision", name="uq_cards_round_member_revision"),
)

card_responses = sa.Table(
    "card_responses",
    metadata,
    sa.Column("card_id", sa.ForeignKey("cards.id"), primary_key=True),
    sa.Column("statement_id", sa.ForeignKey("statements.id"), primary_key=True),
    sa.Column("stance", sa.Integer, nullable=True),
    sa.Column("rationale", sa.Text, nullable=False, default=""),
    sqlite_with_rowid=False,  # one B-tree in key order (migration 0002)
)

drafts = _numbered("drafts", "version", sa.Column("sections", sa.JSON, nullable=False),
                   sa.Column("created_at", _when, nullable=False),
                   # put to the members (endorsement opens), and finalised (answers frozen)
                   sa.Column("shared_at", _when, nullable=True),
                   sa.Column("finalised_at", _when, nullable=True))

endorsements = _table(
    "endorsements",
    sa.Column("draft_id", sa.ForeignKey("drafts.id"), nullable=False, index=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("created_at", _when, nullable=False),
)

# -- the discussion phase (issue 13): members meet each other's reasons ------------------------
# A reason is addressed by (statement_id, author_id): the author's card answer under the
# statement. Author, viewer, endorser and replier ids are server-side only.


def _about_a_reason(name: str, *columns: sa.SchemaItem) -> sa.Table:
    """Return a table of rows about one reason, each of one consultation (indexed)."""
    return _table(
        name,
        sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False,
                  index=True),
        sa.Column("statement_id", sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("author_id", sa.ForeignKey("members.id"), nullable=False),
        *columns,
    )


discussions = _table(
    "discussions",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False,
              unique=True),
    sa.Column("opened_at", _when, nullable=False),
    sa.Column("closed_at", _when, nullable=True),
    # member id (as a string key) -> group label, taken when the discussion (re)opened
    sa.Column("groups", sa.JSON, nullable=False),
    sa.Column("source", sa.String(20), nullable=False),  # model.discussion.GroupSource
    sa.Column("attribute", sa.String(60), nullable=False, default=""),
    sa.Column("apart", sa.JSON, nullable=False),  # group label -> what sets it apart
)

# A reason shown to a member, once each (the first time).
reason_impressions = _about_a_reason(
    "reason_impressions",
    sa.Column("viewer_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("shown_at", _when, nullable=False),
    sa.UniqueConstraint("statement_id", "author_id", "viewer_id",
                        name="uq_reason_impressions_reason_viewer"),
)

# "Speaks for me too": one row while the mark stands; taking it back deletes the row.
reason_endorsements = _about_a_reason(
    "reason_endorsements",
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("created_at", _when, nullable=False),
    sa.UniqueConstraint("statement_id", "author_id", "member_id",
                        name="uq_reason_endorsements_reason_member"),
)

# A reply to a reason, moderated before other members read it.
reason_replies = _about_a_reason(
    "reason_replies",
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("moderation", sa.String(20), nullable=False),
    sa.Column("created_at", _when, nullable=False),
)

# A reason a member credits with changing their stance (every credit kept).
stance_credits = _table(
    "stance_credits",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False,
              index=True),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("statement_id", sa.ForeignKey("statements.id"), nullable=False),
    sa.Column("author_id", sa.ForeignKey("members.id"), nullable=False),
    sa.Column("created_at", _when, nullable=False),
)

# The outbox: one row per message, written in the transaction that makes its link
# (store.outbox). ``token`` holds the live link token only while the message is unsent.
outbox = _table(
    "outbox",
    sa.Column("consultation_id", sa.ForeignKey("consultations.id"), nullable=False),
    sa.Column("member_id", sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("invitation_id", sa.ForeignKey("invitations.id"), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("language", sa.String(10), nullable=False),
    sa.Column("token", sa.String(200), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", _when, nullable=False),
    sa.Column("claimed_at", _when, nullable=True),
    sa.Column("done_at", _when, nullable=True),
    sa.Column("reply_code", sa.Integer, nullable=True),
    sa.Column("reply", sa.Text, nullable=False, default=""),
    sa.Index("ix_outbox_consultation_status", "consultation_id", "status"),
)
