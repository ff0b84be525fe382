"""Opening a database for the app: engine, migrations, topics and bundled banks on first run."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from quizapp import resources
from quizapp.banks.native import read_bank_file
from quizapp.banks.topics import load_topics
from quizapp.db import migrate, repo
from quizapp.db.engine import make_engine, make_session_factory

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
    engine = make_engine(url)
    current = migrate.current_revision(engine)
    if current is not None and not migrate.is_known_revision(current):
        raise DatabaseError(
            f"the database is at schema revision {current}, newer than this quizapp knows; "
            "upgrade quizapp (pip install -U quizapp)"
        )
    if current != migrate.head_revision():
        migrate.upgrade(engine)
    db = Database(engine, make_session_factory(engine), clock)
    if load_bundled:
        load_bundled_content(db, bundled_only)
    return db


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
