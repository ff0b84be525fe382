"""PostgreSQL roles, grants and row-level security for a classroom database.

Pure statement builders: the classroom service runs them in one transaction. Isolation is
PostgreSQL's job, not the app's: a student role can only *see* its own rows (RLS keyed on
``current_user``), can only *write* the columns an answer needs (column grants), and cannot
write the banks at all (table grants). The database owner, who runs migrations and
``classroom init``, bypasses RLS as owners do.
"""

from __future__ import annotations

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
# Columns a student may change after inserting a row: rating/guess corrections of an answer,
# the answers and flags of a running exam, and its submission.
REVIEW_UPDATE_COLUMNS = ("rating", "guessed")
ATTEMPT_UPDATE_COLUMNS = ("submitted_at", "auto_submitted", "scores", "passed")
ITEM_UPDATE_COLUMNS = ("chosen", "flagged", "answered_at")
# Catalog views that list the cluster's roles (and so the classmates' names).
ROLE_CATALOG = ("pg_roles", "pg_user", "pg_group", "pg_auth_members", "pg_stat_activity")

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
ME = "(SELECT u.id FROM users u WHERE u.name = current_user)"


@dataclass(frozen=True, slots=True)
class ClassRoles:
    """The two group roles of one classroom database (roles are cluster-wide, so per database)."""

    students: str
    instructors: str

    @classmethod
    def for_database(cls, database: str) -> ClassRoles:
        """``quizapp_<db>_students`` and ``quizapp_<db>_instructors``."""
        stem = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
        return cls(f"quizapp_{stem}_students", f"quizapp_{stem}_instructors")


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


def grants(database: str, roles: ClassRoles) -> list[str]:
    """Database, schema, table, column and sequence privileges (idempotent)."""
    s, i = _q(roles.students), _q(roles.instructors)
    out = [
        f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {_q(database)} TO {s}, {i}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {s}, {i}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {s}, {i}",
        f"GRANT SELECT ON alembic_version TO {s}, {i}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {s}, {i}",
    ]
    for table in CONTENT_TABLES:
        out.append(f"GRANT SELECT ON {table} TO {s}")
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {i}")
    for table in PROGRESS_TABLES:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {i}")
    out.append(f"GRANT SELECT ON users TO {s}")
    for table in OWN_TABLES:
        out.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {s}")
    out += [
        f"GRANT SELECT, INSERT, DELETE ON reviews TO {s}",
        f"GRANT UPDATE ({', '.join(REVIEW_UPDATE_COLUMNS)}) ON reviews TO {s}",
        f"GRANT SELECT, INSERT ON exam_attempts TO {s}",
        f"GRANT UPDATE ({', '.join(ATTEMPT_UPDATE_COLUMNS)}) ON exam_attempts TO {s}",
        f"GRANT SELECT, INSERT ON exam_items TO {s}",
        f"GRANT UPDATE ({', '.join(ITEM_UPDATE_COLUMNS)}) ON exam_items TO {s}",
    ]
    return out


def policies(roles: ClassRoles) -> list[str]:
    """Row-level security: students see and write only their own rows; instructors all."""
    s, i = _q(roles.students), _q(roles.instructors)
    mine = f"user_id = {ME}"
    my_attempts = f"attempt_id IN (SELECT a.id FROM exam_attempts a WHERE a.user_id = {ME})"
    my_running = (
        "attempt_id IN (SELECT a.id FROM exam_attempts a"
        f" WHERE a.user_id = {ME} AND a.submitted_at IS NULL)"
    )
    rules: dict[str, list[tuple[str, str, str | None, str | None]]] = {
        # table: [(policy, command, USING, WITH CHECK)] for the students' group
        "users": [("self", "SELECT", "name = current_user", None)],
        "reviews": [
            ("own_read", "SELECT", mine, None),
            ("own_add", "INSERT", None, mine),
            ("own_fix", "UPDATE", mine, mine),
            # Undo removes a practice answer; exam answers are the record of a sitting.
            ("own_undo", "DELETE", f"{mine} AND mode = 'practice'", None),
        ],
        "exam_attempts": [
            ("own_read", "SELECT", mine, None),
            ("own_start", "INSERT", None, mine),
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


def hide_role_catalog(roles: ClassRoles) -> list[str]:
    """Hide the cluster's role list from students in this database (superuser only)."""
    views = ", ".join(f"pg_catalog.{v}" for v in ROLE_CATALOG)
    return [
        f"REVOKE SELECT ON {views} FROM PUBLIC",
        f"GRANT SELECT ON {views} TO {_q(roles.instructors)}",
    ]


def add_login(name: str, password: str, group: str) -> list[str]:
    """A login role in ``group``. The password is sent once, as a literal (never logged)."""
    literal = "'" + password.replace("'", "''") + "'"
    return [
        f"CREATE ROLE {_q(name)} LOGIN PASSWORD {literal} IN ROLE {_q(group)}",
    ]


def drop_login(name: str) -> list[str]:
    """Remove a login role; its progress rows stay, as the class record."""
    return [f"DROP ROLE {_q(name)}"]
