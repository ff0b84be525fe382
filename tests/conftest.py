"""Shared fixtures: a fresh migrated SQLite database per test, with a controllable clock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quizapp.i18n import set_lang
from quizapp.services.context import Database, open_database

START = dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC)
MOCK_ONLY = ("ipas-mock-113.md",)


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def _zh_tw() -> Iterator[None]:
    set_lang("zh-TW")
    yield
    set_lang("zh-TW")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quiz.sqlite3"


@pytest.fixture
def db(db_path: Path, clock: FakeClock) -> Iterator[Database]:
    # Only the Q1–Q20 mock bank: tests count questions, and the syllabus banks keep growing.
    database = open_database(str(db_path), clock=clock, bundled_only=MOCK_ONLY)
    yield database
    database.engine.dispose()


@pytest.fixture
def empty_db(db_path: Path, clock: FakeClock) -> Iterator[Database]:
    """A migrated database without the bundled banks."""
    database = open_database(str(db_path), clock=clock, load_bundled=False)
    yield database
    database.engine.dispose()


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path, db_path: Path) -> Run:
    """Run `python -m quizapp ARGS` as user amy on this test's database, from a temp folder."""
    env = {**os.environ, "QUIZAPP_DB": str(db_path), "QUIZAPP_USER": "amy"}
    env.pop("QUIZAPP_LANG", None)

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "quizapp", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
        )

    return _run
