"""A class on one PostgreSQL database: roles, logins and the instructor's report.

``init`` (run by the database owner) creates a students' and an instructors' group role and
gives them privileges and row-level-security policies (see db/classroom_sql). Each student
gets a login role of their own; connecting with it, the app acts as that student and
PostgreSQL lets it see and write nothing else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from quizapp.db import classroom_repo, classroom_sql, repo
from quizapp.db.classroom_repo import INSTRUCTORS_KEY, STUDENTS_KEY
from quizapp.db.classroom_sql import ClassRoles
from quizapp.i18n import t
from quizapp.services.context import Database
from quizapp.services.exams import ExamService
from quizapp.services.progress import ProgressService


class ClassroomError(Exception):
    """A classroom command that cannot be done, with the reason for the user."""


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``classroom init`` set up."""

    database: str
    roles: ClassRoles
    catalog_hidden: bool


def _execute_all(session: Session, statements: list[str]) -> None:
    # Driver-level: DDL takes no parameters, and a SCRAM verifier's ':' must not be read as one.
    conn = session.connection()
    for sql in statements:
        conn.exec_driver_sql(sql)


def drop_policies(engine: Engine) -> None:
    """Drop the classroom's row-level policies, so a migration may alter the tables they read.

    ``reapply_privileges`` puts them back; both run in the owner's upgrade, around Alembic.
    """
    with Session(engine) as session, session.begin():
        if classroom_repo.class_roles(session) is None:
            return
        _execute_all(session, classroom_sql.drop_policies())


def reapply_privileges(engine: Engine) -> None:
    """Grants and policies again (after a migration added tables or columns)."""
    with Session(engine) as session, session.begin():
        roles = classroom_repo.class_roles(session)
        if roles is None:
            return
        _apply_privileges(session, str(engine.url.database), roles)


def _apply_privileges(session: Session, database: str, roles: ClassRoles) -> bool:
    """Grants, policies and (as superuser) the hidden role catalog; True if it was hidden."""
    sequences = classroom_repo.student_sequences(session)
    _execute_all(session, classroom_sql.grants(database, roles, sequences))
    _execute_all(session, classroom_sql.policies(roles))
    hidden = classroom_repo.is_superuser(session)
    if hidden:
        _execute_all(session, classroom_sql.hide_role_catalog(roles))
    return hidden


class ClassroomService:
    """Classroom administration on a PostgreSQL database (owner and instructor commands)."""

    def __init__(self, db: Database) -> None:
        if db.engine.dialect.name != "postgresql":
            raise ClassroomError(t("class.not_pg"))
        self.db = db
        self.database = str(db.engine.url.database)

    def roles(self) -> ClassRoles:
        """The classroom's group roles; raises if ``init`` has not run."""
        with self.db.transaction() as s:
            roles = classroom_repo.class_roles(s)
        if roles is None:
            raise ClassroomError(t("class.not_init"))
        return roles

    def init(self) -> InitResult:
        """Create the group roles, grants and policies (idempotent: safe to run again)."""
        roles = ClassRoles.for_database(self.database)
        with self.db.transaction() as s:
            existing = classroom_repo.existing_roles(s, (roles.students, roles.instructors))
            _execute_all(s, classroom_sql.group_roles(roles, existing))
            hidden = _apply_privileges(s, self.database, roles)
            if classroom_repo.students_can_create_in_public(s, roles.students):
                # PostgreSQL < 15 with an owner who does not own schema public: the REVOKE
                # in the grants only warned. Students could then plant functions the owner calls.
                raise ClassroomError(t("class.public_create"))
            repo.set_meta(s, STUDENTS_KEY, roles.students)
            repo.set_meta(s, INSTRUCTORS_KEY, roles.instructors)
        return InitResult(self.database, roles, hidden)

    def add_student(self, name: str, password: str | None = None) -> str:
        """A login role for one student; returns the connection URL (shown once)."""
        return self._add_login(name, password, student=True)

    def add_instructor(self, name: str, password: str | None = None) -> str:
        """A login role for a co-instructor; returns the connection URL (shown once)."""
        return self._add_login(name, password, student=False)

    def _add_login(self, name: str, password: str | None, *, student: bool) -> str:
        if not classroom_sql.valid_login_name(name):
            raise ClassroomError(t("class.bad_name", name=name))
        roles = self.roles()
        password = password or secrets.token_urlsafe(18)
        group = roles.students if student else roles.instructors
        with self.db.transaction() as s:
            if classroom_repo.existing_roles(s, (name,)):
                raise ClassroomError(t("class.exists", name=name))
            pgconn = s.connection().connection.driver_connection.pgconn  # type: ignore[union-attr]
            verifier = pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
            _execute_all(s, classroom_sql.add_login(name, verifier.decode(), group))
            repo.get_or_create_user(s, name, self.db.clock())
        url = make_url(self.db.engine.url).set(username=name, password=password)
        return url.render_as_string(hide_password=False)

    def remove_student(self, name: str) -> None:
        """Drop the student's login (their sessions end); their results stay in the report."""
        roles = self.roles()
        with self.db.transaction() as s:
            if name not in classroom_repo.members(s, roles.students):
                raise ClassroomError(t("class.no_student", name=name))
            # Ending their open sessions needs superuser or pg_signal_backend; without it the
            # role still goes (in a savepoint, so the failure does not undo the removal) and
            # those sessions end when they next reconnect.
            try:
                with s.begin_nested():
                    s.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity"
                            " WHERE usename = :name AND pid <> pg_backend_pid()"
                        ),
                        {"name": name},
                    )
            except sqlalchemy.exc.DBAPIError:
                pass
            _execute_all(s, classroom_sql.drop_login(name))

    def report(self) -> dict[str, Any]:
        """Per student: practice figures, expected score per subject, every mock result."""
        roles = self.roles()
        now = self.db.clock()
        with self.db.transaction() as s:
            students = classroom_repo.members(s, roles.students)
            instructors = classroom_repo.members(s, roles.instructors)
            figures = classroom_repo.student_figures(s, now)
            attempts = classroom_repo.submitted_attempts(s)
            summaries = {
                uid: [classroom_repo.attempt_summary(a) for a in rows]
                for uid, rows in attempts.items()
            }
        rows = []
        for f in figures:
            studied = f.answers or f.user_id in summaries
            if f.name in instructors or (f.name not in students and not studied):
                continue  # instructors, and app users who never studied here
            _, ready = ProgressService(self.db, f.name).mastery()
            exams = [self._rescored(f.name, a) for a in summaries.get(f.user_id, [])]
            rows.append(
                {
                    "name": f.name,
                    "active": f.name in students,
                    "answers": f.answers,
                    "correct": f.correct,
                    "accuracy": round(f.correct / f.answers, 3) if f.answers else None,
                    "seen": f.seen,
                    "due": f.due,
                    "last_active": f.last_active.isoformat() if f.last_active else None,
                    "expected": {r.subject: round(r.score, 1) for r in ready},
                    "exams": exams,
                }
            )
        return {"database": self.database, "generated_at": now.isoformat(), "students": rows}

    def _rescored(self, name: str, summary: dict[str, Any]) -> dict[str, Any]:
        """An attempt scored again here, from its recorded answers and the key.

        The app scores a sitting on the candidate's machine and stores the result; a student
        connecting by hand could store any number. The report shows the recomputed score and
        says when the stored one differs.
        """
        report = ExamService(self.db, name).report(summary["id"])
        scores = {r.subject: r.score for r in report.subjects}
        stored, stored_passed = summary.pop("stored_scores"), summary.pop("stored_passed")
        return {
            **summary,
            "scores": scores,
            "passed": report.passed,
            "answered": report.state.answered,
            "questions": len(report.state.items),
            "stored_matches": stored == scores and stored_passed == report.passed,
        }
