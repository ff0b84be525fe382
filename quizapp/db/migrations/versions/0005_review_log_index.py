"""reviews: index (user_id, question_id, reviewed_at) for a card's log in time order

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace the (user, question) index by (user, question, time)."""
    op.create_index(
        "ix_reviews_user_question_time", "reviews", ["user_id", "question_id", "reviewed_at"]
    )
    op.drop_index("ix_reviews_user_question", table_name="reviews")


def downgrade() -> None:
    """Back to the (user, question) index."""
    op.create_index("ix_reviews_user_question", "reviews", ["user_id", "question_id"])
    op.drop_index("ix_reviews_user_question_time", table_name="reviews")
