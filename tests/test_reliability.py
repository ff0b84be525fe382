"""Faults injected on purpose: kills, corrupt and read-only files, concurrency, hostile banks.

Every test here backs a row of docs/reliability.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from quizapp.banks.native import parse_bank
from quizapp.db import maintenance, migrate
from quizapp.db.engine import make_engine
from quizapp.db.tables import BankRow, ReviewRow
from quizapp.services import context
from quizapp.services.banks import BankService
from quizapp.services.context import Database, DatabaseError, open_database
from quizapp.services.exams import ExamService
from quizapp.tui.render import markdown_text
from tests.conftest import MOCK_ONLY, Run

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures"


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# ---------------------------------------------------------------- files that are not right


def test_corrupt_header_is_refused_untouched(tmp_path: Path, run: Run, db_path: Path) -> None:
    db_path.write_bytes(b"this is not sqlite at all" * 100)
    before = db_path.read_bytes()
    result = run("bank", "list")
    assert result.returncode == 1 and "已損毀" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_truncated_file_names_the_latest_backup(tmp_path: Path, run: Run, db_path: Path) -> None:
    open_database(str(db_path), bundled_only=MOCK_ONLY).engine.dispose()
    backup = maintenance.auto_backup(db_path, "manual")
    data = db_path.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(data[:5000])
    result = run("stats")
    assert result.returncode == 1 and "已損毀" in result.stderr
    assert f"quizapp db restore {backup}" in result.stderr


def test_read_only_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ro.sqlite3"
    open_database(str(path), bundled_only=MOCK_ONLY).engine.dispose()
    # Root ignores file modes, so the permission answer is injected (as a non-root user would
    # get it from the kernel); the check must run before anything is written.
    monkeypatch.setattr(context.os, "access", lambda p, mode: False)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="唯讀"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_disk_full_is_explained() -> None:
    exc = sqlite3.OperationalError("database or disk is full")
    assert "磁碟已滿" in context.explain(exc)


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    open_database(str(db_path), bundled_only=MOCK_ONLY).engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="比這個 quizapp 新"):
        open_database(str(db_path))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"


# ---------------------------------------------------------------- upgrades and backups


def test_first_schema_fixture_upgrades_with_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIX / "schema-0001.sqlite3", path)
    before = {t: _count(path, t) for t in ("reviews", "cards", "questions", "options", "users")}
    db = open_database(str(path), load_bundled=False)
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    assert {t: _count(path, t) for t in before} == before
    with sqlite3.connect(path) as conn:  # counts filled from the log by migration 0006
        counts = conn.execute(
            "SELECT question_id, reps, correct_reps, lapses FROM cards ORDER BY question_id"
        ).fetchall()
    assert counts == [(1, 2, 2, 0), (2, 1, 0, 0)]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ReviewRow)) == 3
        assert s.get(BankRow, "old-bank").title == "舊題庫"  # type: ignore[union-attr]
    backups = list(maintenance.backup_dir(path).glob("old-*-pre-migrate.sqlite3"))
    assert len(backups) == 1 and _count(backups[0], "reviews") == 3
    migrate.downgrade(db.engine, "-1")
    assert _count(path, "reviews") == 3


def test_backup_restore_round_trip(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("bank", "list").returncode == 0
    copy = tmp_path / "copy.sqlite3"
    assert run("db", "backup", str(copy)).returncode == 0
    assert run("bank", "import", str(FIX / "instructor.gift"), "--id", "extra").returncode == 0
    assert run("db", "restore", str(copy)).returncode == 1  # asks; no terminal to ask in
    restored = run("db", "restore", str(copy), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "extra" not in run("bank", "list").stdout
    saved = list(maintenance.backup_dir(db_path).glob("*pre-restore*"))
    assert len(saved) == 1 and "extra" in str(
        sqlite3.connect(saved[0]).execute("SELECT group_concat(id) FROM banks").fetchone()[0]
    )
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"nope")
    assert run("db", "restore", str(bad), "--yes").returncode == 1


def test_automatic_backups_before_import_and_remove_keep_the_last_n(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZAPP_KEEP_BACKUPS", "2")
    db = open_database(str(db_path), bundled_only=MOCK_ONLY)
    service = BankService(db)
    for _ in range(3):
        assert service.import_files([str(FIX / "instructor.gift")]).ok
    assert service.remove("instructor") == 5
    backups = sorted(maintenance.backup_dir(db_path).glob("*.sqlite3"))
    assert len(backups) == 2 and backups[-1].name.endswith("-remove.sqlite3")


def test_db_check_reports_problems(run: Run, db_path: Path) -> None:
    ok = run("db", "check")
    assert ok.returncode == 0 and "integrity_check: ok" in ok.stdout
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO users VALUES (9, 'ghost', '2026-01-01 00:00:00')")
        conn.execute(
            "INSERT INTO cards (user_id, question_id, state, step, stability, difficulty, "
            "due, last_review) VALUES (9, 1, 2, NULL, 1, 5, '2026-01-01', NULL)"
        )
    bad = run("db", "check")
    assert bad.returncode == 1 and "card(s) without any review" in bad.stderr


# ---------------------------------------------------------------- concurrency and kills


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _query(url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of ``sql`` read through a new engine, as another process would see them."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_two_processes_answer_500_each_without_loss(db_url: str) -> None:
    open_database(db_url, bundled_only=MOCK_ONLY).engine.dispose()
    procs = [
        _spawn("-m", "tests.tools.answer_loop", db_url, user, "500") for user in ("amy", "ben")
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and "done" in out, err
    rows = _query(
        db_url, "SELECT user_id, count(*), count(DISTINCT id) FROM reviews GROUP BY user_id"
    )
    assert sorted(r[1:] for r in rows) == [(500, 500), (500, 500)]


def _read_acks(proc: subprocess.Popen[str], wanted: int) -> list[tuple[int, str]]:
    acks = []
    assert proc.stdout is not None
    while len(acks) < wanted:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "driver died"
        if line.startswith("ACK "):
            _, qid, label = line.split()
            acks.append((int(qid), label))
    return acks


def test_kill_during_practice_loses_no_acknowledged_answer(db_url: str) -> None:
    proc = _spawn("-m", "tests.tools.drive", "practice", db_url)
    try:
        acks = _read_acks(proc, 6)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    stored = _query(db_url, "SELECT question_id, chosen FROM reviews ORDER BY id")
    assert stored[: len(acks)] == acks


def test_kill_during_exam_resumes_with_answers(db_url: str) -> None:
    proc = _spawn("-m", "tests.tools.drive", "exam", db_url)
    try:
        acks = _read_acks(proc, 4)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    db = open_database(db_url, bundled_only=MOCK_ONLY)
    state = ExamService(db, "amy").running()
    assert state is not None
    answered = {i.position: i.chosen for i in state.items if i.chosen}
    assert all(answered.get(pos) == label for pos, label in acks)


def test_kill_during_import_leaves_the_database_unchanged(
    db_path: Path, tmp_path: Path, run: Run
) -> None:
    assert run("bank", "list").returncode == 0  # the CLI has loaded its bundled banks
    before = _count(db_path, "questions")
    big = tmp_path / "big.gift"
    big.write_text(
        "\n\n".join(f"::K{i}:: 第 {i} 題？ {{=甲{i} ~乙{i} ~丙{i} ~丁{i}}}" for i in range(40_000)),
        encoding="utf-8",
    )
    env = {**os.environ, "QUIZAPP_DB": str(db_path), "QUIZAPP_KEEP_BACKUPS": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "bank", "import", str(big)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 120
    # Wait (polling, bounded) until the import transaction is writing pages, then kill it.
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 2_000_000:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _count(db_path, "questions") == before
    db = open_database(str(db_path), bundled_only=MOCK_ONLY)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert "big" not in {b.id for b in BankService(db).list_banks()}


# ---------------------------------------------------------------- hostile banks


def test_hostile_bank_content_is_rejected_or_neutralised(
    empty_db: Database, tmp_path: Path
) -> None:
    header = "---\nid: evil\ntitle: evil\n---\n\n"
    huge = header + "## Q1\n\n" + "長" * 1_000_000 + "\n\n- [x] a\n- [ ] b\n"
    path = tmp_path / "huge.md"
    path.write_text(huge, encoding="utf-8")
    outcome = BankService(empty_db).import_files([str(path)])
    assert not outcome.ok
    assert any("more than the 10,000 allowed" in str(p) for p in outcome.problems)
    many = header + "## Q1\n\n題？\n\n" + "".join(f"- [ ] o{i}\n" for i in range(10_000))
    assert any("more than 10 options" in str(p) for p in parse_bank(many, "many.md").errors)
    # 100 nested lists swallow what follows (markdown-it caps nesting): a clear error, no crash
    deep = header + "## Q1\n\n深題\n\n" + "- " * 100 + "x\n\n- [x] a\n- [ ] b\n"
    rejected = parse_bank(deep, "deep.md")
    assert rejected.bank is None and "nested more than 16 levels" in str(rejected.errors[0])
    assert "x" in markdown_text("- " * 100 + "x").plain
    stars = header + "## Q1\n\n深" + "*" * 300 + "題\n\n- [x] a\n- [ ] b\n\n" + ">" * 10 + " 解析\n"
    result = parse_bank(stars, "stars.md")
    assert result.bank is not None, result.problems
    assert "深" in markdown_text(result.bank.questions[0].stem).plain
    assert "解析" in markdown_text(result.bank.questions[0].explanation).plain
    assert parse_bank(stars.replace(">" * 10, ">" * 200), "q.md").bank is None
    markup = parse_bank(header + "## Q1\n\n[red]紅[/red]\x1b]0;pwned\x07？\n\n- [x] a\n- [ ] b\n")
    assert markup.bank is not None
    stem = markdown_text(markup.bank.questions[0].stem).plain
    assert "[red]紅[/red]" in stem and "\x1b" not in stem and "\x07" not in stem


# ---------------------------------------------------------------- failures during a session


async def test_database_failure_mid_session_is_reported_and_retry_stores_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.practice import PracticeScreen
    from tests.tui_helpers import right_key, text_of

    real = Database.transaction
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        key = right_key(app)
        monkeypatch.setattr(Database, "transaction", _lost_connection)
        await pilot.press(key)
        await pilot.pause()
        # Still running, on the same question, and the candidate is told what happened.
        assert isinstance(app.screen, PracticeScreen)
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "連不上資料庫伺服器" in toasts and "沒有儲存" in toasts
        assert not app.screen.query_one("#feedback").display
        monkeypatch.setattr(Database, "transaction", real)
        await pilot.press(key)
        await pilot.pause()
        assert "✓ 正確" in text_of(app, "#feedback")
    assert _query_db(db, "SELECT count(*) FROM reviews") == [(1,)]


async def test_database_failure_opening_a_screen_leaves_the_way_home(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.practice import PracticeScreen

    real = Database.transaction
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Database, "transaction", _lost_connection)
        await pilot.press("enter")  # practice the first bank: loading its queue fails
        await pilot.pause()
        assert any("沒有儲存" in str(n.message) for n in app._notifications)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        monkeypatch.setattr(Database, "transaction", real)  # the server is back
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.item is not None


@contextmanager
def _lost_connection(self: Database) -> Iterator[Session]:
    raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))
    yield  # pragma: no cover


def _query_db(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]
