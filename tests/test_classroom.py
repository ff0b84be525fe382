"""Classroom on PostgreSQL: isolation enforced by the server itself, over real connections.

Runs on the PostgreSQL run only (``QUIZAPP_TEST_PG``); each test gets its own database and
its own uniquely named roles, and drops them afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from quizapp.db.classroom_sql import ClassRoles
from quizapp.services.classroom import ClassroomError, ClassroomService
from quizapp.services.context import Database, DatabaseError, open_database
from quizapp.services.exams import ExamService
from quizapp.services.item_stats import bank_item_stats
from quizapp.services.study import StudyService
from tests import pg
from tests.conftest import MOCK_ONLY, FakeClock, Run, cli_runner

needs_pg = pytest.mark.skipif(not pg.server_url(), reason="needs PostgreSQL (QUIZAPP_TEST_PG)")


@pytest.fixture
def clock() -> FakeClock:
    # The policies compare a sitting's times with the server's now(): start at real time.
    return FakeClock(dt.datetime.now(dt.UTC))


@dataclass
class Klass:
    """One set-up classroom: the owner's database and the members' URLs."""

    owner: Database
    amy: str
    ben: str
    tina: str
    names: dict[str, str]

    def open_as(self, who: str, clock: FakeClock) -> Database:
        return open_database(getattr(self, who), clock=clock, bundled_only=MOCK_ONLY)


@pytest.fixture
def klass(db: Database, db_url: str, clock: FakeClock) -> Iterator[Klass]:
    if not pg.server_url():
        pytest.skip("needs PostgreSQL (QUIZAPP_TEST_PG)")
    tag = uuid.uuid4().hex[:6]
    names = {who: f"{who}_{tag}" for who in ("amy", "ben", "tina")}
    service = ClassroomService(db)
    service.init()
    urls = {
        "amy": service.add_student(names["amy"]),
        "ben": service.add_student(names["ben"]),
        "tina": service.add_instructor(names["tina"]),
    }
    yield Klass(db, urls["amy"], urls["ben"], urls["tina"], names)
    roles = ClassRoles.for_database(str(db.engine.url.database))
    every = [*names.values(), roles.students, roles.instructors]
    db.engine.dispose()
    # Roles are cluster-wide: drop what this test made (after the database's own objects).
    pg.drop_database(pg.server_url() or "", str(make_url(db_url).database))
    engine = create_engine(pg.server_url() or "", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for role in every:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()


def _engine(url: str) -> Engine:
    return create_engine(url, pool_size=1)


def _practise(database: Database, user: str, answers: int, right: bool) -> list[int]:
    """Answer ``answers`` questions as ``user``; returns the question ids."""
    study = StudyService(database, user, "ipas-mock-113")
    asked = []
    for qid in study.queue(answers):
        item = study.item(qid)
        key = item.question.answer[0]
        wrong = next(o.label for o in item.question.options if o.label != key)
        study.answer(item, [key if right else wrong])
        asked.append(qid)
    return asked


def _sit_exam(database: Database, user: str, right: int) -> int:
    exams = ExamService(database, user)
    attempt = exams.start(exams.plan("quick", seed=4))
    for item in exams.state(attempt).items[:right]:
        exams.answer(attempt, item.position, item.question.answer[0])
    exams.submit(attempt)
    return attempt


@needs_pg
def test_students_see_and_change_only_their_own_records(klass: Klass, clock: FakeClock) -> None:
    amy_db, ben_db = klass.open_as("amy", clock), klass.open_as("ben", clock)
    # The app acts as the connected role, whatever user name it was given.
    assert amy_db.classroom_user == klass.names["amy"]
    _practise(amy_db, klass.names["amy"], 3, right=True)
    _practise(ben_db, klass.names["ben"], 4, right=False)
    ben_attempt = _sit_exam(ben_db, klass.names["ben"], right=5)

    amy = _engine(klass.amy)
    with amy.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reviews")).scalar() == 3
        assert conn.execute(text("SELECT count(*) FROM exam_items")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM exam_attempts")).scalar() == 0
        assert conn.execute(text("SELECT name FROM users")).scalars().all() == [klass.names["amy"]]
        ben_id = ben_db_user_id(klass)
        # Ben's rows are invisible to Amy: updates and deletes find nothing to change.
        hit = conn.execute(text("UPDATE reviews SET rating = 4 WHERE user_id = :b"), {"b": ben_id})
        assert hit.rowcount == 0
        hit = conn.execute(text("DELETE FROM reviews WHERE user_id = :b"), {"b": ben_id})
        assert hit.rowcount == 0
        hit = conn.execute(
            text("UPDATE exam_items SET chosen = 'A' WHERE attempt_id = :a"), {"a": ben_attempt}
        )
        assert hit.rowcount == 0
        hit = conn.execute(text("DELETE FROM cards WHERE user_id = :b"), {"b": ben_id})
        assert hit.rowcount == 0
        conn.commit()
    with amy.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError, match="row-level"):
        conn.execute(
            text(
                "INSERT INTO reviews (user_id, question_id, chosen, correct, rating,"
                " reviewed_at, mode, guessed) SELECT :b, id, 'A', true, 3, now(), 'practice',"
                " false FROM questions LIMIT 1"
            ),
            {"b": ben_id},
        )
    with amy.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError, match="permission"):
        conn.execute(text("UPDATE reviews SET correct = true"))  # only rating/guess may change
    amy.dispose()

    owner = klass.owner.engine
    with owner.connect() as conn:
        rows = conn.execute(text("SELECT user_id, count(*) FROM reviews GROUP BY user_id"))
        assert sorted(n for _, n in rows) == [3, 4 + 5]  # Ben: 4 practice + 5 exam answers
        assert conn.execute(text("SELECT count(*) FROM exam_items")).scalar() == 10  # quick mock


def ben_db_user_id(klass: Klass) -> int:
    with klass.owner.engine.connect() as conn:
        value = conn.execute(
            text("SELECT id FROM users WHERE name = :n"), {"n": klass.names["ben"]}
        ).scalar()
    assert isinstance(value, int)
    return value


@needs_pg
def test_students_cannot_change_banks_read_roles_or_rewrite_a_sitting(
    klass: Klass, clock: FakeClock
) -> None:
    amy_db = klass.open_as("amy", clock)
    attempt = _sit_exam(amy_db, klass.names["amy"], right=2)
    amy = _engine(klass.amy)
    for sql in (
        "UPDATE questions SET stem = 'x'",
        "DELETE FROM options",
        "INSERT INTO banks (id, title, subject, version, description, content_hash,"
        " imported_at) VALUES ('x', 'x', '', '1', '', '', now())",
        "UPDATE app_meta SET value = 'x'",
        "SELECT rolname FROM pg_roles",
        "SELECT usename FROM pg_user",
        "INSERT INTO users (name, created_at) VALUES ('mallory', now())",
        "UPDATE exam_attempts SET deadline_at = now() + interval '1 day'",  # more time
        "UPDATE exam_items SET option_order = 'ABCD'",
        "CREATE TEMPORARY TABLE scratch (i int)",
        "CREATE TABLE public.scratch (i int)",
        "SELECT nextval('questions_id_seq')",
    ):
        with amy.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError, match="permission"):
            conn.execute(text(sql))
    with amy.connect() as conn:
        # Her own sitting is final once submitted: answers cannot be changed afterwards,
        # nor can its exam answers be deleted from the log.
        hit = conn.execute(
            text("UPDATE exam_items SET chosen = 'A' WHERE attempt_id = :a"), {"a": attempt}
        )
        assert hit.rowcount == 0
        hit = conn.execute(
            text("UPDATE exam_attempts SET passed = true, scores = '{\"*\": 100}' WHERE id = :a"),
            {"a": attempt},
        )
        assert hit.rowcount == 0
        assert conn.execute(text("DELETE FROM reviews WHERE mode = 'exam'")).rowcount == 0
        conn.rollback()
    amy.dispose()


@needs_pg
def test_instructor_sees_the_class_report_and_item_analysis(klass: Klass, clock: FakeClock) -> None:
    amy_db, ben_db = klass.open_as("amy", clock), klass.open_as("ben", clock)
    _practise(amy_db, klass.names["amy"], 4, right=True)
    _sit_exam(amy_db, klass.names["amy"], right=8)
    _sit_exam(ben_db, klass.names["ben"], right=3)
    # A student's item analysis sees only her own sitting; the instructor's the class's.
    own = bank_item_stats(amy_db, "ipas-mock-113")
    assert own is not None and max(s.responses for s in own) == 1
    tina_db = klass.open_as("tina", clock)
    assert tina_db.classroom_user == klass.names["tina"]
    stats = bank_item_stats(tina_db, "ipas-mock-113")
    assert stats is not None and max(s.responses for s in stats) == 2

    report = ClassroomService(tina_db).report()
    rows = {r["name"]: r for r in report["students"]}
    assert set(rows) == {klass.names["amy"], klass.names["ben"]}  # not the instructor
    amy = rows[klass.names["amy"]]
    assert amy["answers"] == 4 + 8 and amy["correct"] == 4 + 8 and amy["accuracy"] == 1.0
    assert [e["scores"] for e in amy["exams"]] == [{"*": 80.0}]
    assert amy["exams"][0]["passed"] is True and amy["exams"][0]["stored_matches"] is True
    ben = rows[klass.names["ben"]]
    assert ben["exams"][0]["scores"] == {"*": 30.0} and ben["exams"][0]["passed"] is False
    assert set(amy["expected"]) == {"L11", "L12"}

    # Students cannot produce it: they cannot see the class.
    with pytest.raises(sqlalchemy.exc.DBAPIError):
        ClassroomService(amy_db).report()


@needs_pg
def test_removed_student_cannot_log_in_but_stays_in_the_report(
    klass: Klass, clock: FakeClock
) -> None:
    ben_db = klass.open_as("ben", clock)
    _practise(ben_db, klass.names["ben"], 2, right=True)
    ben_db.engine.dispose()
    service = ClassroomService(klass.owner)
    service.remove_student(klass.names["ben"])
    with pytest.raises((DatabaseError, sqlalchemy.exc.DBAPIError)):
        klass.open_as("ben", clock)
    rows = {r["name"]: r for r in service.report()["students"]}
    assert rows[klass.names["ben"]]["active"] is False and rows[klass.names["ben"]]["answers"] == 2
    with pytest.raises(ClassroomError, match="不是這個課堂的學員"):
        service.remove_student(klass.names["ben"])
    with pytest.raises(ClassroomError, match="已有名為"):
        service.add_student(klass.names["amy"])
    with pytest.raises(ClassroomError, match="不可用"):
        service.add_student("Robert'); DROP TABLE users;--")


@needs_pg
def test_classroom_cli_as_owner_student_and_instructor(klass: Klass, tmp_path: Path) -> None:
    def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
        return cli_runner(tmp_path, url, user="someone_else")(*args)

    owner_url = klass.owner.engine.url.render_as_string(hide_password=False)
    out = cli(owner_url, "classroom", "init")
    assert out.returncode == 0 and "課堂已設定" in out.stdout  # running it again is safe
    # The student's CLI acts as her role, not as QUIZAPP_USER.
    stats = json.loads(cli(klass.amy, "stats", "--json").stdout)
    assert stats["user"] == klass.names["amy"]
    denied = cli(klass.amy, "bank", "remove", "ipas-mock-113", "--yes")
    assert denied.returncode == 1 and "權限不足" in denied.stderr
    assert "Traceback" not in denied.stderr
    refused = cli(klass.amy, "classroom", "add-student", "eve")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    report = cli(klass.tina, "classroom", "report", "--json")
    assert report.returncode == 0, report.stderr
    names = {r["name"] for r in json.loads(report.stdout)["students"]}
    assert names == {klass.names["amy"], klass.names["ben"]}
    table = cli(klass.tina, "classroom", "report")
    assert "課堂報表" in table.stdout and klass.names["ben"] in table.stdout


def test_classroom_needs_postgresql(run: Run) -> None:
    if pg.server_url():
        pytest.skip("the SQLite refusal is tested on the SQLite run")
    out = run("classroom", "init")
    assert out.returncode == 1 and "PostgreSQL" in out.stderr


@needs_pg
def test_owner_upgrade_reapplies_the_classroom_privileges(klass: Klass, clock: FakeClock) -> None:
    from quizapp.db import migrate
    from quizapp.services.classroom import drop_policies

    drop_policies(klass.owner.engine)
    migrate.downgrade(klass.owner.engine, "0002")  # an old schema: no exam tables yet
    with pytest.raises(DatabaseError, match="quizapp db upgrade"):
        klass.open_as("amy", clock)  # only the owner may migrate; the student is told whom to ask
    owner_url = klass.owner.engine.url.render_as_string(hide_password=False)
    open_database(owner_url, clock=clock, bundled_only=MOCK_ONLY).engine.dispose()
    # The exam tables are new, yet the student can sit a mock and still cannot see Ben's.
    amy_db = klass.open_as("amy", clock)
    _sit_exam(amy_db, klass.names["amy"], right=1)
    _sit_exam(klass.open_as("ben", clock), klass.names["ben"], right=1)
    with _engine(klass.amy).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM exam_attempts")).scalar() == 1


@needs_pg
def test_students_cannot_forge_or_extend_a_sitting(klass: Klass, clock: FakeClock) -> None:
    amy_db, ben_db = klass.open_as("amy", clock), klass.open_as("ben", clock)
    ben_attempt = _sit_exam(ben_db, klass.names["ben"], right=1)
    exams = ExamService(amy_db, klass.names["amy"])
    running = exams.start(exams.plan("quick", seed=9))
    amy = _engine(klass.amy)
    me = "(SELECT id FROM users WHERE name = current_user)"
    forged = (
        "INSERT INTO exam_attempts (user_id, blueprint, title, seed, config, started_at,"
        f" deadline_at, submitted_at, auto_submitted, scores, passed) VALUES ({me}, 'quick',"
        " 'x', 1, '{}', now(), now() + interval '1 hour', now(), false, '{\"*\": 100}', true)"
    )
    for sql, error in (
        (forged, "row-level security"),  # born submitted and passed
        (
            forged.replace("now(), false", "NULL, false")
            .replace("'{\"*\": 100}', true", "NULL, NULL")
            .replace("interval '1 hour'", "interval '30 days'"),
            "row-level",
        ),
        (
            "INSERT INTO exam_attempts (id, user_id, blueprint, title, seed, config, started_at,"
            f" deadline_at) VALUES (999, {me}, 'q', 'x', 1, '{{}}', now(), now())",
            "permission",
        ),
        (
            "INSERT INTO reviews (user_id, question_id, chosen, correct, rating, reviewed_at, mode,"
            f" exam_attempt_id, guessed) SELECT {me}, id, 'A', true, 3, now(), 'exam',"
            f" {ben_attempt}, false FROM questions LIMIT 1",
            "row-level security",
        ),
        ("SELECT pg_get_userbyid(10)", "permission"),
    ):
        with amy.connect() as conn, pytest.raises(sqlalchemy.exc.DBAPIError, match=error):
            conn.execute(text(sql))
    with amy.connect() as conn:
        assert conn.execute(text("UPDATE reviews SET rating = 4 WHERE mode = 'exam'")).rowcount == 0
        conn.commit()
    # Time is up on the server's clock: answers are refused even from a hand-made client.
    with klass.owner.engine.begin() as conn:
        conn.execute(
            text("UPDATE exam_attempts SET deadline_at = now() - interval '1 hour' WHERE id = :a"),
            {"a": running},
        )
    with amy.connect() as conn:
        hit = conn.execute(
            text("UPDATE exam_items SET chosen = 'A' WHERE attempt_id = :a"), {"a": running}
        )
        assert hit.rowcount == 0
        # Submitting with a made-up score is possible by hand; the report does not believe it.
        conn.execute(
            text(
                "UPDATE exam_attempts SET submitted_at = now(), scores = '{\"*\": 100}',"
                " passed = true WHERE id = :a"
            ),
            {"a": running},
        )
        conn.commit()
    amy.dispose()
    report = ClassroomService(klass.owner).report()
    amy_row = next(r for r in report["students"] if r["name"] == klass.names["amy"])
    (sitting,) = amy_row["exams"]
    assert sitting["scores"] == {"*": 0.0} and sitting["passed"] is False
    assert sitting["stored_matches"] is False


@needs_pg
def test_a_password_cannot_inject_sql(klass: Klass) -> None:
    service = ClassroomService(klass.owner)
    evil = f"eve_{uuid.uuid4().hex[:6]}"
    url = service.add_student(evil, password=f"x'; CREATE ROLE {evil}_root SUPERUSER; --")
    with klass.owner.engine.connect() as conn:
        found = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{evil}%"}
        ).scalars()
        assert sorted(found) == [evil]
        verifier = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": evil}
        ).scalar()
    assert str(verifier).startswith("SCRAM-SHA-256$")  # the clear text never reached the server
    assert "CREATE ROLE" in make_url(url).password  # type: ignore[operator]
    service.remove_student(evil)
