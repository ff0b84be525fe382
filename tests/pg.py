"""Throwaway PostgreSQL databases for the test suite (used when QUIZAPP_TEST_PG is set)."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quizapp.services.context import open_database


def server_url() -> str | None:
    """The maintenance URL of the test server, or None for an SQLite-only run."""
    return os.environ.get("QUIZAPP_TEST_PG") or None


def database_url(server: str, name: str) -> str:
    """``server`` with its database replaced by ``name``."""
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _admin(server: str, sql: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def create_blank(server: str) -> tuple[str, str]:
    """A new database with no tables; returns its URL and name."""
    name = f"quizapp_t_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    return database_url(server, name), name


def create_template(server: str) -> str:
    """A migrated, empty database to clone: migrating once saves a second per test."""
    url, name = create_blank(server)
    open_database(url, load_bundled=False).engine.dispose()
    return name


def clone(server: str, template: str) -> tuple[str, str]:
    """A fresh copy of ``template``; returns its URL and name."""
    name = f"quizapp_t_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(server, name), name


def drop_database(server: str, name: str) -> None:
    """Drop ``name``, closing connections a test process may have left open."""
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
