"""Classroom queries on PostgreSQL: who is connected, and per-student figures for the report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select, text
from sqlalchemy.orm import Session

from quizapp.db import repo
from quizapp.db.classroom_sql import STUDENT_SEQUENCES, ClassRoles
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
    """The classroom's group roles, or None before ``classroom init`` ran.

    The names are derived from the database's name, never taken from `app_meta` (which
    instructors can write): the stored copy only records that init ran, and must match.
    """
    database = str(session.scalar(text("SELECT current_database()")))
    roles = ClassRoles.for_database(database)
    stored = (repo.get_meta(session, STUDENTS_KEY), repo.get_meta(session, INSTRUCTORS_KEY))
    return roles if stored == (roles.students, roles.instructors) else None


def connected(conn: Connection) -> Connected:
    """Who this connection is, read from PostgreSQL itself (two round trips at most).

    A superuser is a member of every role, so it counts as the owner, not a student.
    """
    role, superuser, database, students, instructors = conn.execute(
        text(
            "SELECT current_user, current_setting('is_superuser') = 'on', current_database(),"
            " (SELECT value FROM app_meta WHERE key = :s),"
            " (SELECT value FROM app_meta WHERE key = :i)"
        ),
        {"s": STUDENTS_KEY, "i": INSTRUCTORS_KEY},
    ).one()
    roles = ClassRoles.for_database(database)
    if (students, instructors) != (roles.students, roles.instructors):
        return Connected(role, None)  # no classroom (or its record was tampered with)
    if superuser:
        return Connected(role, OWNER)
    flags = conn.execute(
        text(
            "SELECT pg_has_role(current_user, CAST(:s AS name), 'MEMBER'),"
            " pg_has_role(current_user, CAST(:i AS name), 'MEMBER')"
        ),
        {"s": roles.students, "i": roles.instructors},
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


def student_sequences(session: Session) -> list[str]:
    """The sequences behind the ids students insert (reviews, exam attempts)."""
    return [
        str(
            session.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table, "c": column})
        )
        for table, column in STUDENT_SEQUENCES
    ]


def students_can_create_in_public(session: Session, students: str) -> bool:
    """Whether the students' group may create objects in schema public (it must not)."""
    return bool(
        session.scalar(
            text("SELECT has_schema_privilege(CAST(:r AS name), 'public', 'CREATE')"),
            {"r": students},
        )
    )


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
        "stored_scores": dict(row.scores or {}),
        "stored_passed": bool(row.passed),
    }
