"""The first schema: contact submissions, their forwarding, feedback, events, daily salts.

A migration is a snapshot: it keeps the tables as they were then, whatever store.py says now.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def _received():
    return [sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, index=True),
            sa.Column("origin", sa.String(200)), sa.Column("locale", sa.String(35))]


def upgrade() -> None:
    op.create_table(
        "contact", *_received(),
        sa.Column("page_url", sa.String(2000)), sa.Column("category", sa.String(200)),
        sa.Column("email", sa.String(320)), sa.Column("name", sa.String(200)),
        sa.Column("subject", sa.String(500)), sa.Column("message", sa.Text),
        sa.Column("fields", sa.JSON, nullable=False), sa.Column("context", sa.JSON, nullable=False),
        sa.Column("client", sa.String(32)), sa.Column("spam", sa.Boolean, nullable=False))
    op.create_table(
        "forwards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("contact_id", sa.Integer, sa.ForeignKey("contact.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False), sa.Column("last_error", sa.Text),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))
    op.create_table(
        "feedback", *_received(),
        sa.Column("vote_id", sa.String(64), unique=True),
        sa.Column("url", sa.String(2000), nullable=False), sa.Column("article", sa.String(500)),
        sa.Column("vote", sa.String(3), nullable=False), sa.Column("comment", sa.Text),
        sa.Column("client", sa.String(32)))
    op.create_table(
        "events", *_received(),
        sa.Column("kind", sa.String(30), nullable=False), sa.Column("query", sa.String(500)),
        sa.Column("results", sa.Integer), sa.Column("url", sa.String(2000)),
        sa.Column("article", sa.String(2000)), sa.Column("client", sa.String(32)))
    op.create_table(
        "salts",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("salt", sa.String(64), nullable=False))
