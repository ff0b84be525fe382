"""cards: answer, right-answer and lapse counts kept with the FSRS state

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the counts and fill them from the review log (questions' answer-key resets kept)."""
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("reps", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(
            sa.Column("correct_reps", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("lapses", sa.Integer(), server_default="0", nullable=False))
    counted = (
        "FROM reviews r JOIN questions q ON q.id = r.question_id "
        "WHERE r.user_id = cards.user_id AND r.question_id = cards.question_id "
        "AND (q.answer_changed_at IS NULL OR r.reviewed_at >= q.answer_changed_at)"
    )
    op.execute(f"UPDATE cards SET reps = (SELECT count(*) {counted})")
    op.execute(f"UPDATE cards SET correct_reps = (SELECT count(*) {counted} AND r.correct)")
    op.execute(
        "UPDATE cards SET lapses = (SELECT count(*) FROM reviews w JOIN questions q "
        "ON q.id = w.question_id WHERE w.user_id = cards.user_id "
        "AND w.question_id = cards.question_id AND NOT w.correct "
        "AND (q.answer_changed_at IS NULL OR w.reviewed_at >= q.answer_changed_at) "
        "AND EXISTS (SELECT 1 FROM reviews r WHERE r.user_id = w.user_id "
        "AND r.question_id = w.question_id AND r.correct AND r.reviewed_at < w.reviewed_at "
        "AND (q.answer_changed_at IS NULL OR r.reviewed_at >= q.answer_changed_at)))"
    )


def downgrade() -> None:
    """Drop the counts."""
    with op.batch_alter_table("cards") as batch:
        batch.drop_column("lapses")
        batch.drop_column("correct_reps")
        batch.drop_column("reps")
