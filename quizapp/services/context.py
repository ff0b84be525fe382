"""Opening a database for the app: engine, migrations, topics and bundled banks on first run."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from quizapp import resources
from quizapp.banks.native import read_bank_file
from quizapp.banks.topics import load_topics
from quizapp.db import classroom_repo, maintenance, repo
from quizapp.db.classroom_repo import INSTRUCTOR, OWNER, STUDENT, Connected
from quizapp.db.engine import make_engine, make_session_factory, normalise_url
from quizapp.db.revision import HEAD_REVISION, stored_revision
from quizapp.i18n import t

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The real clock (aware UTC). Services take a clock so tests can pass a fake one."""
    return dt.datetime.now(dt.UTC)


class DatabaseError(Exception):
    """A database the app cannot use, with a message that says what to do next."""


@dataclass
class Database:
    """An open, migrated database: the engine and the session factory services use."""

    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = utc_now
    # On a classroom PostgreSQL: the connected role and whether it is the owner, an
    # instructor or a student (see classroom_repo.connected); None elsewhere.
    connected: Connected | None = None

    @property
    def classroom_user(self) -> str | None:
        """The user a classroom login must act as: its own role name (RLS allows no other)."""
        c = self.connected
        return c.role if c is not None and c.kind in (STUDENT, INSTRUCTOR) else None

    @property
    def file(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return maintenance.sqlite_path(self.engine)

    def backup_before(self, reason: str) -> Path | None:
        """An automatic backup before a risky change (SQLite only)."""
        return maintenance.auto_backup(self.file, reason) if self.file else None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction (one user action): commit on success, roll back on any error."""
        with self.sessions.begin() as session:
            yield session


def open_database(
    url: str,
    *,
    clock: Clock = utc_now,
    load_bundled: bool = True,
    bundled_only: tuple[str, ...] | None = None,
) -> Database:
    """Open (creating and migrating if needed) the database at ``url``.

    On every start the topic tree and the bundled banks are (re)loaded when their files
    changed since the last load, so a new app version brings its corrected content along.
    """
    file = _sqlite_file(url)
    if file is not None:
        _preflight(file)
    engine = make_engine(url)
    try:
        current = stored_revision(engine)
    except sqlalchemy.exc.DatabaseError as exc:
        raise DatabaseError(explain(exc, file)) from None
    who = _connected(engine) if current is not None else None
    if current == HEAD_REVISION:
        # The common case: no need to load Alembic (a tenth of a second at every start).
        return _finish(engine, clock, load_bundled, bundled_only, who)
    from quizapp.db import migrate

    if current is not None and not migrate.is_known_revision(current):
        raise DatabaseError(t("db.newer", rev=current))
    if current != migrate.head_revision():
        if who is not None and who.kind in (STUDENT, INSTRUCTOR):
            # Only the owner may change the schema; a class member gets told whom to ask.
            raise DatabaseError(t("db.classroom_upgrade", rev=current))
        if current is not None and file is not None:
            maintenance.auto_backup(file, "pre-migrate")
        classroom = who is not None and who.kind == OWNER
        if classroom:
            from quizapp.services.classroom import drop_policies, reapply_privileges

            drop_policies(engine)  # they reference other tables, which would block DDL
        migrate.upgrade(engine)
        if classroom:
            reapply_privileges(engine)  # new tables get the classroom's grants and policies
    return _finish(engine, clock, load_bundled, bundled_only, who)


def _connected(engine: Engine) -> Connected | None:
    """On PostgreSQL, who the connection is in the classroom (None on SQLite)."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as conn:
            return classroom_repo.connected(conn)
    except sqlalchemy.exc.DatabaseError as exc:
        raise DatabaseError(explain(exc)) from None


def _finish(
    engine: Engine,
    clock: Clock,
    load_bundled: bool,
    bundled_only: tuple[str, ...] | None,
    who: Connected | None,
) -> Database:
    db = Database(engine, make_session_factory(engine), clock, who or _connected(engine))
    # Students cannot write the banks; the instructor's load is the one that counts.
    if load_bundled and not (db.connected and db.connected.kind == STUDENT):
        load_bundled_content(db, bundled_only)
    return db


SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def _preflight(file: Path) -> None:
    """Refuse, before writing anything, a file that is not a database or cannot be written."""
    if file.exists():
        with open(file, "rb") as fh:
            header = fh.read(16)
        if file.stat().st_size and header != SQLITE_HEADER:
            raise DatabaseError(t("db.corrupt", file=file, hint=_restore_hint(file)))
        if not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK):
            raise DatabaseError(t("db.readonly", file=file))
    elif file.parent.exists() and not os.access(file.parent, os.W_OK):
        raise DatabaseError(t("db.readonly", file=file))


def _restore_hint(file: Path | None) -> str:
    latest = maintenance.latest_backup(file) if file else None
    return t("db.restore_hint", backup=latest) if latest else t("db.no_backup")


def explain(exc: BaseException, file: Path | None = None) -> str:
    """A database error as a message with the next step (never a traceback)."""
    error = str(getattr(exc, "orig", exc))
    text = error.lower()
    if "disk is full" in text or "disk i/o" in text:
        return t("db.full")
    if "readonly" in text or "read-only" in text:
        return t("db.readonly", file=file or "?")
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return t("db.corrupt", file=file or "?", hint=_restore_hint(file))
    if "locked" in text or "busy" in text:
        return t("db.locked")
    if any(
        sign in text
        for sign in (
            "connection refused",
            "could not connect",
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "connection timed out",
        )
    ):
        return t("db.unreachable", error=error.splitlines()[0])
    if "permission denied" in text or "row-level security" in text:
        return t("db.denied", error=error.splitlines()[0])
    return t("db.other", error=error)


def database_problem(exc: BaseException) -> str | None:
    """The message for a database failure (lost server, denied, full disk…); None otherwise."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        return explain(exc)
    return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_bundled_content(db: Database, only: tuple[str, ...] | None = None) -> None:
    """Load topics.toml and every bundled bank whose file changed since it was last loaded.

    All in one transaction; a bundled bank with errors is a packaging bug, so it raises.
    ``only`` restricts the banks to those file names (tests use a fixed set).
    """
    folder = resources.banks_dir()
    topics_file = folder / "topics.toml"
    with db.transaction() as session:
        if topics_file.exists():
            digest = _digest(topics_file)
            if repo.get_meta(session, "bundled:topics.toml") != digest:
                repo.sync_topics(session, load_topics(topics_file))
                repo.set_meta(session, "bundled:topics.toml", digest)
        for path in sorted(folder.glob("*.md")):
            if only is not None and path.name not in only:
                continue
            digest = _digest(path)
            key = f"bundled:{path.name}"
            if repo.get_meta(session, key) == digest:
                continue
            result = read_bank_file(str(path))
            if result.bank is None:
                raise DatabaseError("\n".join(str(p) for p in result.errors))
            repo.import_bank(session, result.bank, db.clock())
            repo.set_meta(session, key, digest)
