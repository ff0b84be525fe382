"""PostgreSQL roles, grants and row-level security for a classroom database.

Pure statement builders: the classroom service runs them in one transaction. Isolation is
PostgreSQL's job, not the app's: a student role can only *see* its own rows (RLS keyed on
``current_user``), can only *write* the columns an answer needs (column grants), and cannot
write the banks at all (table grants). The database owner, who runs migrations and
``classroom init``, bypasses RLS as owners do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# Tables everyone in the class reads and only instructors change.
CONTENT_TABLES = (
    "app_meta",
    "banks",
    "topics",
    "questions",
    "options",
    "question_topics",
    "note_links",
)
# Per-student tables that carry a user_id.
OWN_TABLES = ("cards", "user_settings", "question_marks")
PROGRESS_TABLES = ("users", *OWN_TABLES, "reviews", "exam_attempts", "exam_items")
# Columns a student may write. Never `id`: an explicit id would collide with the sequence
# and block the next classmate's insert. After inserting a row, a student may change only
# the rating/guess of a practice answer, the answers and flags of a running exam, and its
# submission.
REVIEW_INSERT_COLUMNS = (
    "user_id",
    "question_id",
    "chosen",
    "correct",
    "rating",
    "duration_ms",
    "reviewed_at",
    "mode",
    "exam_attempt_id",
    "guessed",
)
ATTEMPT_INSERT_COLUMNS = (
    "user_id",
    "blueprint",
    "title",
    "seed",
    "config",
    "started_at",
    "deadline_at",
    "submitted_at",
    "auto_submitted",
    "scores",
    "passed",
)
ITEM_INSERT_COLUMNS = (
    "attempt_id",
    "position",
    "question_id",
    "subject",
    "option_order",
    "chosen",
    "flagged",
    "answered_at",
)
REVIEW_UPDATE_COLUMNS = ("rating", "guessed")
ATTEMPT_UPDATE_COLUMNS = ("submitted_at", "auto_submitted", "scores", "passed")
ITEM_UPDATE_COLUMNS = ("chosen", "flagged", "answered_at")
# Sequences behind the ids of rows students insert.
STUDENT_SEQUENCES = (("reviews", "id"), ("exam_attempts", "id"))
# Catalog views and functions that list the cluster's roles (and so the classmates' names).
ROLE_CATALOG = ("pg_roles", "pg_user", "pg_group", "pg_auth_members", "pg_stat_activity")
ROLE_FUNCTIONS = ("pg_get_userbyid(oid)", "pg_stat_get_activity(integer)")
# A sitting must start now (give or take clock skew between laptops and the server) and last
# no longer than a real exam day; answers are taken until its deadline plus a little skew.
SKEW = "interval '5 minutes'"
LONGEST_SITTING = "interval '6 hours'"

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
ME = "(SELECT u.id FROM users u WHERE u.name = current_user)"


@dataclass(frozen=True, slots=True)
class ClassRoles:
    """The two group roles of one classroom database (roles are cluster-wide, so per database)."""

    students: str
    instructors: str

    @classmethod
    def for_database(cls, database: str) -> ClassRoles:
        """``quizapp_<db>_<hash>_students`` and ``…_instructors``.

        Always derived from the database's exact name, never read from a table an instructor
        can write; the hash keeps `ipas-2027` and `ipas_2027` apart.
        """
        stem = re.sub(r"[^a-z0-9_]", "_", database.lower())[:32]
        tag = hashlib.sha256(database.encode()).hexdigest()[:6]
        return cls(f"quizapp_{stem}_{tag}_students", f"quizapp_{stem}_{tag}_instructors")


def valid_login_name(name: str) -> bool:
    """Login names are plain lowercase identifiers, so they need no quoting in a URL."""
    return bool(NAME_RE.match(name))


def _q(name: str) -> str:
    """Quote an identifier (names are checked before they get here; this is belt and braces)."""
    return '"' + name.replace('"', '""') + '"'


def group_roles(roles: ClassRoles, existing: set[str]) -> list[str]:
    """Create the two NOLOGIN group roles that do not exist yet."""
    return [
        f"CREATE ROLE {_q(r)} NOLOGIN"
        for r in (roles.students, roles.instructors)
        if r not in existing
    ]


def grants(database: str, roles: ClassRoles, sequences: list[str]) -> list[str]:
    """Database, schema, table, column and sequence privileges (idempotent).

    ``sequences`` are the (quoted, as PostgreSQL prints them) sequences behind the ids of
    STUDENT_SEQUENCES: students need those and no other.
    """
    s, i = _q(roles.students), _q(roles.instructors)
    out = [
        f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {_q(database)} TO {s}, {i}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {s}, {i}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {s}, {i}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {s}, {i}",
        f"GRANT SELECT ON alembic_version TO {s}, {i}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {i}",
    ]
    out += [f"GRANT USAGE ON SEQUENCE {seq} TO {s}" for seq in sequences]
    for table in CONTENT_TABLES:
        out.append(f"GRANT SELECT ON {table} TO {s}")
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {i}")
    for table in PROGRESS_TABLES:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {i}")
    out.append(f"GRANT SELECT ON users TO {s}")
    for table in OWN_TABLES:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {s}")
    out += [
        f"GRANT SELECT, DELETE ON reviews TO {s}",
        f"GRANT INSERT ({', '.join(REVIEW_INSERT_COLUMNS)}) ON reviews TO {s}",
        f"GRANT UPDATE ({', '.join(REVIEW_UPDATE_COLUMNS)}) ON reviews TO {s}",
        f"GRANT SELECT ON exam_attempts TO {s}",
        f"GRANT INSERT ({', '.join(ATTEMPT_INSERT_COLUMNS)}) ON exam_attempts TO {s}",
        f"GRANT UPDATE ({', '.join(ATTEMPT_UPDATE_COLUMNS)}) ON exam_attempts TO {s}",
        f"GRANT SELECT ON exam_items TO {s}",
        f"GRANT INSERT ({', '.join(ITEM_INSERT_COLUMNS)}) ON exam_items TO {s}",
        f"GRANT UPDATE ({', '.join(ITEM_UPDATE_COLUMNS)}) ON exam_items TO {s}",
    ]
    return out


Rule = tuple[str, str, str | None, str | None]


def _student_rules() -> dict[str, list[Rule]]:
    """Per table: (policy, command, USING, WITH CHECK) for the students' group."""
    mine = f"user_id = {ME}"
    my_attempts = f"attempt_id IN (SELECT a.id FROM exam_attempts a WHERE a.user_id = {ME})"
    my_running = (
        "attempt_id IN (SELECT a.id FROM exam_attempts a"
        f" WHERE a.user_id = {ME} AND a.submitted_at IS NULL"
        f" AND now() <= a.deadline_at + {SKEW})"
    )
    # An exam answer may only point at one's own sitting.
    own_exam_link = (
        "(exam_attempt_id IS NULL OR exam_attempt_id IN"
        f" (SELECT a.id FROM exam_attempts a WHERE a.user_id = {ME}))"
    )
    fresh_sitting = (
        f"{mine} AND submitted_at IS NULL AND scores IS NULL AND passed IS NULL"
        f" AND started_at BETWEEN now() - {SKEW} AND now() + {SKEW}"
        f" AND deadline_at > started_at AND deadline_at <= started_at + {LONGEST_SITTING}"
    )
    rules: dict[str, list[Rule]] = {
        "users": [("self", "SELECT", "name = current_user", None)],
        "reviews": [
            ("own_read", "SELECT", mine, None),
            ("own_add", "INSERT", None, f"{mine} AND {own_exam_link}"),
            # Rating corrections and undo apply to practice answers; exam answers are the
            # record of a sitting.
            ("own_fix", "UPDATE", f"{mine} AND mode = 'practice'", mine),
            ("own_undo", "DELETE", f"{mine} AND mode = 'practice'", None),
        ],
        "exam_attempts": [
            ("own_read", "SELECT", mine, None),
            # A sitting starts now, unsubmitted and unscored, with a sane deadline.
            ("own_start", "INSERT", None, fresh_sitting),
            # A submitted attempt is final.
            ("own_submit", "UPDATE", f"{mine} AND submitted_at IS NULL", mine),
        ],
        "exam_items": [
            ("own_read", "SELECT", my_attempts, None),
            ("own_add", "INSERT", None, my_running),
            ("own_answer", "UPDATE", my_running, my_running),
        ],
    }
    for table in OWN_TABLES:
        rules[table] = [("own", "ALL", mine, mine)]
    return rules


def policies(roles: ClassRoles) -> list[str]:
    """Row-level security: students see and write only their own rows; instructors all."""
    s, i = _q(roles.students), _q(roles.instructors)
    rules = _student_rules()
    out: list[str] = []
    for table in PROGRESS_TABLES:
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in rules[table]:
            policy = f"student_{name}"
            out.append(f"DROP POLICY IF EXISTS {policy} ON {table}")
            sql = f"CREATE POLICY {policy} ON {table} FOR {command} TO {s}"
            if using:
                sql += f" USING ({using})"
            if check:
                sql += f" WITH CHECK ({check})"
            out.append(sql)
        out.append(f"DROP POLICY IF EXISTS instructor_all ON {table}")
        out.append(
            f"CREATE POLICY instructor_all ON {table} FOR ALL TO {i} USING (true) WITH CHECK (true)"
        )
    return out


def drop_policies() -> list[str]:
    """Every policy ``policies`` creates (they reference other tables, which blocks DDL)."""
    out = []
    for table in PROGRESS_TABLES:
        names = {"instructor_all", *(f"student_{n}" for n, *_ in _student_rules().get(table, []))}
        out += [f"DROP POLICY IF EXISTS {name} ON {table}" for name in sorted(names)]
    return out


def hide_role_catalog(roles: ClassRoles) -> list[str]:
    """Hide the cluster's role list from students in this database (superuser only)."""
    views = ", ".join(f"pg_catalog.{v}" for v in ROLE_CATALOG)
    functions = ", ".join(f"pg_catalog.{f}" for f in ROLE_FUNCTIONS)
    i = _q(roles.instructors)
    return [
        f"REVOKE SELECT ON {views} FROM PUBLIC",
        f"GRANT SELECT ON {views} TO {i}",
        f"REVOKE EXECUTE ON FUNCTION {functions} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {functions} TO {i}",
    ]


VERIFIER_RE = re.compile(
    r"^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"
)


def add_login(name: str, verifier: str, group: str) -> list[str]:
    """A login role in ``group`` with a SCRAM verifier computed by the client.

    The clear-text password never reaches the server (nor its statement log), and the
    verifier's alphabet cannot break out of the literal whatever the password was.
    """
    if not VERIFIER_RE.match(verifier):
        raise ValueError("not a SCRAM-SHA-256 verifier")
    return [f"CREATE ROLE {_q(name)} LOGIN PASSWORD '{verifier}' IN ROLE {_q(group)}"]


def drop_login(name: str) -> list[str]:
    """Remove a login role; its progress rows stay, as the class record."""
    return [f"DROP ROLE {_q(name)}"]
