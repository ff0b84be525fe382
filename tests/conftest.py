"""Shared fixtures: a fresh migrated database per test, with a controllable clock.

The suite runs on SQLite by default. With ``QUIZAPP_TEST_PG`` set to a PostgreSQL server URL
(``postgresql+psycopg://user@host:port/postgres``, as ``.ci/run`` does) every test that asks
for ``db_url``, ``db``, ``empty_db`` or ``run`` gets its own throwaway PostgreSQL database
instead, cloned from a migrated template; tests that need an SQLite file (``db_path``) or are
marked ``sqlite_only`` are skipped there, since they test the file itself.
"""

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
from tests import pg

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not pg.server_url():
        return
    skip = pytest.mark.skip(
        reason="SQLite-only (the file itself, packaging or rendering): covered by the SQLite run"
    )
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file of this test (skips the test on the PostgreSQL run)."""
    if pg.server_url():
        pytest.skip("needs an SQLite file; covered by the SQLite run")
    return tmp_path / "quiz.sqlite3"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """On the PostgreSQL run: one migrated, empty database that each test clones."""
    server = pg.server_url()
    if not server:
        yield None
        return
    name = pg.create_template(server)
    yield name
    pg.drop_database(server, name)


@pytest.fixture
def db_url(tmp_path: Path, pg_template: str | None) -> Iterator[str]:
    """This test's database: an SQLite file, or a fresh PostgreSQL database."""
    server = pg.server_url()
    if not server or pg_template is None:
        yield str(tmp_path / "quiz.sqlite3")
        return
    url, name = pg.clone(server, pg_template)
    yield url
    pg.drop_database(server, name)


@pytest.fixture
def blank_db_url(tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (for migration tests)."""
    server = pg.server_url()
    if not server:
        yield str(tmp_path / "blank.sqlite3")
        return
    url, name = pg.create_blank(server)
    yield url
    pg.drop_database(server, name)


@pytest.fixture
def db(db_url: str, clock: FakeClock) -> Iterator[Database]:
    # Only the Q1–Q20 mock bank: tests count questions, and the syllabus banks keep growing.
    database = open_database(db_url, clock=clock, bundled_only=MOCK_ONLY)
    yield database
    database.engine.dispose()


@pytest.fixture
def empty_db(db_url: str, clock: FakeClock) -> Iterator[Database]:
    """A migrated database without the bundled banks."""
    database = open_database(db_url, clock=clock, load_bundled=False)
    yield database
    database.engine.dispose()


Run = Callable[..., subprocess.CompletedProcess[str]]


def cli_runner(folder: Path, db_url: str, user: str = "amy") -> Run:
    """Run `python -m quizapp ARGS` as ``user`` on ``db_url``, from ``folder``."""
    env = {**os.environ, "QUIZAPP_DB": db_url, "QUIZAPP_USER": user}
    env.pop("QUIZAPP_LANG", None)

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "quizapp", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            timeout=120,
        )

    return _run


@pytest.fixture
def run(tmp_path: Path, db_url: str) -> Run:
    """Run `python -m quizapp ARGS` as user amy on this test's database, from a temp folder."""
    return cli_runner(tmp_path, db_url)
