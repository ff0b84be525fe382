"""Alembic: the migrations build exactly the ORM schema, and go down and up again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from quizapp.db import migrate
from quizapp.db.engine import make_engine
from quizapp.db.tables import Base
from quizapp.services.context import DatabaseError, open_database


def test_migrated_schema_matches_the_orm(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_downgrade_to_base_and_back(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert "reviews" in inspect(engine).get_table_names()


@pytest.mark.sqlite_only
def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "p.sqlite3"))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_database_newer_than_the_code_is_refused(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    with pytest.raises(DatabaseError, match="比這個 quizapp 新"):
        open_database(blank_db_url)


def test_upgrade_from_0001_keeps_every_row(blank_db_url: str) -> None:
    engine = make_engine(blank_db_url)
    migrate.upgrade(engine, "0001")
    day = dt.datetime(2026, 1, 1)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO banks VALUES ('b', 'T', 'L11', '1', '', 'h', :day)"), {"day": day}
        )
        conn.execute(
            text(
                "INSERT INTO questions (id, bank_id, key, uid, position, stem, explanation, multi,"
                " sources, valid_as_of, content_hash, revision, retired)"
                " VALUES (1, 'b', 'Q1', 'b/Q1', 0, '題目', '', false, '[]', NULL, 'h', 1, false)"
            )
        )
        conn.execute(text("INSERT INTO users VALUES (1, 'amy', :day)"), {"day": day})
        conn.execute(
            text(
                "INSERT INTO reviews (id, user_id, question_id, chosen, correct, rating,"
                " duration_ms, reviewed_at, mode, exam_attempt_id)"
                " VALUES (1, 1, 1, 'A', true, 3, 900, :day, 'practice', NULL)"
            ),
            {"day": day + dt.timedelta(days=1)},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT chosen, correct, rating, guessed FROM reviews")).one()
        assert tuple(row) == ("A", True, 3, False)
        assert conn.execute(text("SELECT stem FROM questions")).scalar() == "題目"
    migrate.downgrade(engine, "-1")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reviews")).scalar() == 1
    assert migrate.current_revision(engine) != migrate.head_revision()


def test_head_revision_constant_matches_the_scripts() -> None:
    from quizapp.db.revision import HEAD_REVISION

    assert migrate.head_revision() == HEAD_REVISION
