"""Engine creation: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL from one URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def normalise_url(url_or_path: str) -> str:
    """Accept an SQLAlchemy URL or a plain file path (which means an SQLite file)."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def make_engine(url_or_path: str) -> Engine:
    """Create an engine; for SQLite turn on WAL, foreign keys and a busy timeout.

    WAL lets a second terminal read while this one writes; the busy timeout makes a writer
    wait for the other instead of failing with "database is locked".
    """
    url = make_url(normalise_url(url_or_path))
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if url.database and url.database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable in WAL mode against application crashes (kill -9); only a power
            # loss may drop the last transactions.
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
