"""Classroom queries on PostgreSQL: who is connected, and per-student figures for the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select, text
from sqlalchemy.orm import Session

from quizapp.db import repo
from quizapp.db.classroom_sql import ClassRoles
from quizapp.db.tables import CardRow, ExamAttemptRow, ReviewRow, UserRow

STUDENTS_KEY = "classroom:students"
INSTRUCTORS_KEY = "classroom:instructors"

OWNER, INSTRUCTOR, STUDENT = "owner", "instructor", "student"


@dataclass(frozen=True, slots=True)
class Connected:
    """The connected role and what it is in the classroom (None: no classroom set up)."""

    role: str
    kind: str | None


def class_roles(session: Session) -> ClassRoles | None:
    """The group roles recorded by ``classroom init``, or None before it ran."""
    students = repo.get_meta(session, STUDENTS_KEY)
    instructors = repo.get_meta(session, INSTRUCTORS_KEY)
    if students is None or instructors is None:
        return None
    return ClassRoles(students, instructors)


def connected(conn: Connection) -> Connected:
    """Who this connection is, read from PostgreSQL itself (one round trip).

    A superuser is a member of every role, so it counts as the owner, not a student.
    """
    row = conn.execute(
        text(
            "SELECT current_user, current_setting('is_superuser') = 'on',"
            " (SELECT value FROM app_meta WHERE key = :s),"
            " (SELECT value FROM app_meta WHERE key = :i)"
        ),
        {"s": STUDENTS_KEY, "i": INSTRUCTORS_KEY},
    ).one()
    role, superuser, students, instructors = row
    if superuser or students is None or instructors is None:
        return Connected(role, OWNER if students is not None else None)
    flags = conn.execute(
        text(
            "SELECT pg_has_role(current_user, CAST(:s AS name), 'MEMBER'),"
            " pg_has_role(current_user, CAST(:i AS name), 'MEMBER')"
        ),
        {"s": students, "i": instructors},
    ).one()
    if flags[1]:
        return Connected(role, INSTRUCTOR)
    if flags[0]:
        return Connected(role, STUDENT)
    return Connected(role, OWNER)


def existing_roles(session: Session, names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` exist as roles in the cluster."""
    rows = session.execute(
        text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(:names)"),
        {"names": list(names)},
    )
    return {r[0] for r in rows}


def is_superuser(session: Session) -> bool:
    """Whether the connected role is a superuser (needed to hide the role catalog)."""
    return bool(session.scalar(text("SELECT current_setting('is_superuser') = 'on'")))


def members(session: Session, group: str) -> set[str]:
    """Login roles that are direct members of ``group``."""
    rows = session.execute(
        text(
            "SELECT r.rolname FROM pg_catalog.pg_auth_members m"
            " JOIN pg_catalog.pg_roles r ON r.oid = m.member"
            " JOIN pg_catalog.pg_roles g ON g.oid = m.roleid"
            " WHERE g.rolname = :group"
        ),
        {"group": group},
    )
    return {r[0] for r in rows}


@dataclass(frozen=True, slots=True)
class StudentFigures:
    """One user's practice figures, aggregated in SQL."""

    user_id: int
    name: str
    answers: int
    correct: int
    seen: int
    last_active: dt.datetime | None
    due: int


def student_figures(session: Session, now: dt.datetime) -> list[StudentFigures]:
    """Per user: answers, right answers, questions seen, last answer and reviews due now."""
    answers = (
        select(
            ReviewRow.user_id.label("uid"),
            func.count().label("answers"),
            func.sum(case((ReviewRow.correct, 1), else_=0)).label("correct"),
            func.count(func.distinct(ReviewRow.question_id)).label("seen"),
            func.max(ReviewRow.reviewed_at).label("last"),
        )
        .group_by(ReviewRow.user_id)
        .subquery()
    )
    due = (
        select(CardRow.user_id.label("uid"), func.count().label("due"))
        .where(CardRow.due <= now)
        .group_by(CardRow.user_id)
        .subquery()
    )
    rows = session.execute(
        select(
            UserRow.id,
            UserRow.name,
            func.coalesce(answers.c.answers, 0),
            func.coalesce(answers.c.correct, 0),
            func.coalesce(answers.c.seen, 0),
            answers.c.last,
            func.coalesce(due.c.due, 0),
        )
        .outerjoin(answers, answers.c.uid == UserRow.id)
        .outerjoin(due, due.c.uid == UserRow.id)
        .order_by(UserRow.name)
    )
    out = []
    # max() keeps the column's UTC type, so `last` comes back as an aware datetime.
    for uid, name, n, right, seen, last, n_due in rows:
        out.append(StudentFigures(uid, name, n, int(right), seen, last, n_due))
    return out


def submitted_attempts(session: Session) -> dict[int, list[ExamAttemptRow]]:
    """Every submitted attempt, oldest first, by user id."""
    rows = session.scalars(
        select(ExamAttemptRow)
        .where(ExamAttemptRow.submitted_at.is_not(None))
        .order_by(ExamAttemptRow.submitted_at, ExamAttemptRow.id)
    )
    out: dict[int, list[ExamAttemptRow]] = {}
    for row in rows:
        out.setdefault(row.user_id, []).append(row)
    return out


def attempt_summary(row: ExamAttemptRow) -> dict[str, Any]:
    """An attempt as report data: when, which mock, per-subject scores, passed."""
    assert row.submitted_at is not None
    return {
        "id": row.id,
        "title": row.title,
        "submitted_at": row.submitted_at.isoformat(),
        "scores": dict(row.scores or {}),
        "passed": bool(row.passed),
    }
