"""Repository queries for mock exams: attempts, their items, the pool to draw from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.db.study_repo import Scope, scoped, topics_in_scope
from quizapp.db.tables import BankRow, ExamAttemptRow, ExamItemRow, QuestionRow
from quizapp.domain.exam import PoolQuestion


def pool(session: Session, scope: Scope) -> list[PoolQuestion]:
    """Live questions in scope with their bank's subject and their primary topic."""
    rows = session.execute(
        scoped(
            session,
            select(QuestionRow.id, BankRow.subject).join(
                BankRow, BankRow.id == QuestionRow.bank_id
            ),
            scope,
        )
    ).all()
    topics = topics_in_scope(session, scope)
    return [PoolQuestion(qid, subject, (topics.get(qid) or ("",))[0]) for qid, subject in rows]


def create_attempt(
    session: Session,
    *,
    user_id: int,
    blueprint: str,
    title: str,
    seed: int,
    config: dict[str, Any],
    started_at: dt.datetime,
    deadline_at: dt.datetime,
    items: Sequence[tuple[int, str, str]],
) -> int:
    """Store a new attempt with its items (question id, subject, option order)."""
    attempt = ExamAttemptRow(
        user_id=user_id,
        blueprint=blueprint,
        title=title,
        seed=seed,
        config=config,
        started_at=started_at,
        deadline_at=deadline_at,
    )
    session.add(attempt)
    session.flush()
    for position, (qid, subject, order) in enumerate(items):
        session.add(
            ExamItemRow(
                attempt_id=attempt.id,
                position=position,
                question_id=qid,
                subject=subject,
                option_order=order,
            )
        )
    session.flush()
    return attempt.id


def attempt(session: Session, attempt_id: int, *, lock: bool = False) -> ExamAttemptRow | None:
    """One attempt row (services read it; it never leaves the service).

    ``lock`` takes a row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's single writer
    already serialises), so an answer and the submission of the same attempt never interleave.
    """
    return session.get(ExamAttemptRow, attempt_id, with_for_update=lock or None)


def items(session: Session, attempt_id: int) -> list[ExamItemRow]:
    """The items of an attempt in order."""
    return list(
        session.scalars(
            select(ExamItemRow)
            .where(ExamItemRow.attempt_id == attempt_id)
            .order_by(ExamItemRow.position)
        )
    )


def item(session: Session, attempt_id: int, position: int) -> ExamItemRow | None:
    """One item of an attempt."""
    return session.get(ExamItemRow, (attempt_id, position))


def running(session: Session, user_id: int) -> list[ExamAttemptRow]:
    """Attempts of this user not yet submitted, oldest first."""
    return list(
        session.scalars(
            select(ExamAttemptRow)
            .where(ExamAttemptRow.user_id == user_id, ExamAttemptRow.submitted_at.is_(None))
            .order_by(ExamAttemptRow.started_at)
        )
    )


def submitted(session: Session, user_id: int, blueprint: str | None = None) -> list[ExamAttemptRow]:
    """Submitted attempts of this user (optionally of one blueprint), newest first."""
    query = select(ExamAttemptRow).where(
        ExamAttemptRow.user_id == user_id, ExamAttemptRow.submitted_at.is_not(None)
    )
    if blueprint is not None:
        query = query.where(ExamAttemptRow.blueprint == blueprint)
    return list(session.scalars(query.order_by(ExamAttemptRow.submitted_at.desc())))


def responses_for_bank(session: Session, bank_id: str) -> list[tuple[int, int, str | None]]:
    """(attempt, question, chosen) of every item of every submitted attempt that asked a
    question of this bank, plus the attempts' other items (needed for rest scores)."""
    attempts = (
        select(ExamItemRow.attempt_id)
        .join(QuestionRow, QuestionRow.id == ExamItemRow.question_id)
        .join(ExamAttemptRow, ExamAttemptRow.id == ExamItemRow.attempt_id)
        .where(QuestionRow.bank_id == bank_id, ExamAttemptRow.submitted_at.is_not(None))
    )
    return [
        (a, q, c)
        for a, q, c in session.execute(
            select(ExamItemRow.attempt_id, ExamItemRow.question_id, ExamItemRow.chosen).where(
                ExamItemRow.attempt_id.in_(attempts)
            )
        )
    ]
