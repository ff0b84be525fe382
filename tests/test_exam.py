"""Mock exams: drawing, pass rules, the timed sitting, crash-safety and the reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.db.tables import ExamAttemptRow, ExamItemRow, ReviewRow
from quizapp.domain.blueprint import ExamRules
from quizapp.domain.exam import PoolQuestion, allocate, draw, scaled_minutes
from quizapp.services.context import Database
from quizapp.services.exams import ExamError, ExamService
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.exam_dialogs import ConfirmScreen, ExamSetupScreen, SubmitReviewScreen
from quizapp.tui.screens.exam_report import ExamReviewScreen, ReportScreen
from tests.conftest import FakeClock, Run
from tests.tui_helpers import text_of

# ---------------------------------------------------------------- drawing and rules


def test_allocation_follows_weights_and_fills_shortfalls() -> None:
    assert allocate(10, {"a": 10, "b": 10}, {"a": 30, "b": 20}) == {"a": 6, "b": 4}
    assert allocate(10, {"a": 2, "b": 10}, {"a": 30, "b": 20}) == {"a": 2, "b": 8}
    assert allocate(50, {"a": 3, "b": 4}, {"a": 1, "b": 1}) == {"a": 3, "b": 4}


def test_draw_is_reproducible_and_without_repeats() -> None:
    pool = [PoolQuestion(i, "L11" if i < 60 else "L12", f"t{i % 5}") for i in range(100)]
    weights = {f"t{i}": 10 + i for i in range(5)}
    one = draw(pool, ["L11", "L12"], 20, weights, seed=7)
    assert one == draw(pool, ["L11", "L12"], 20, weights, seed=7)
    assert one != draw(pool, ["L11", "L12"], 20, weights, seed=8)
    for d in one:
        assert len(d.question_ids) == 20 == len(set(d.question_ids))
        assert all((q < 60) == (d.subject == "L11") for q in d.question_ids)


@pytest.mark.parametrize(
    ("scores", "passed"),
    [
        ([70], True),
        ([69.9], False),
        ([80, 60], True),
        ([80, 59], False),
        ([70, 69], False),
        ([71, 69], True),
        ([100, 59.9], False),
        ([], False),
    ],
)
def test_pass_rule_boundaries(scores: list[float], passed: bool) -> None:
    assert ExamRules(pass_average=70, pass_min_subject=60).passed(scores) is passed


def test_short_exam_time_is_scaled() -> None:
    assert scaled_minutes(75, 50, 20) == 30
    assert scaled_minutes(15, 10, 10) == 15
    assert scaled_minutes(75, 50, 1) == 2


def test_plans_say_when_the_banks_are_too_small(db: Database) -> None:
    exams = ExamService(db, "amy")
    l11 = exams.plan("ipas-l11", seed=3)
    assert (l11.total, l11.minutes, l11.short) == (20, 30, True)
    assert exams.plan("ipas-l12", seed=3).total == 0
    with pytest.raises(ExamError):
        exams.start(exams.plan("ipas-l12", seed=3))
    with pytest.raises(ExamError, match="unknown blueprint"):
        exams.plan("ipas-l99")
    custom = exams.plan(questions=5, minutes=7, seed=1, topic="cbam")
    assert (custom.total, custom.minutes) == (5, 7)


# ---------------------------------------------------------------- sitting, in the UI


def _items(db: Database) -> list[tuple[str | None, bool]]:
    with db.transaction() as s:
        rows = s.scalars(select(ExamItemRow).order_by(ExamItemRow.position))
        return [(r.chosen, r.flagged) for r in rows]


async def test_time_runs_out_and_exactly_the_given_answers_are_submitted(
    db: Database, clock: FakeClock
) -> None:
    app = QuizApp(db, "amy", exam_plan=ExamService(db, "amy").plan("quick", seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "⏱ 15:00" in text_of(app, "#exam-bar")
        await pilot.press("a", "right", "2", "f", "right", "right", "c", "c", "x", "d")
        await pilot.pause()
        assert _items(db)[:4] == [("A", False), ("B", True), (None, False), ("D", False)]
        clock.advance(minutes=5, seconds=1)
        screen.tick()
        assert "⏱ 09:59" in text_of(app, "#exam-bar")
        clock.advance(minutes=10)
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        report = text_of(app, "#report")
        assert "時間到自動交卷" in report and "/10" in report
    with db.transaction() as s:
        attempt = s.scalars(select(ExamAttemptRow)).one()
        assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline_at
        reviews = list(s.scalars(select(ReviewRow)))
    assert _items(db)[:4] == [("A", False), ("B", True), (None, False), ("D", False)]
    assert sorted(r.chosen for r in reviews) == ["A", "B", "D"]
    assert {r.mode for r in reviews} == {"exam"}


async def test_kill_and_resume_restores_answers_flags_and_real_time(
    db: Database, clock: FakeClock
) -> None:
    exams = ExamService(db, "amy")
    attempt = exams.start(exams.plan("quick", seed=2))
    exams.answer(attempt, 0, "B")
    exams.flag(attempt, 3, True)
    clock.advance(minutes=6)  # the process was killed; six minutes of wall-clock pass
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert screen.position == 1  # the first unanswered question
        assert "⏱ 09:00" in text_of(app, "#exam-bar") and "已答 1　標記 1" in text_of(
            app, "#exam-bar"
        )
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SubmitReviewScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "時間到" not in text_of(app, "#report")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ExamReviewScreen)
        assert "⚑" in text_of(app, "#status") and "正確答案" in text_of(app, "#review-item")


async def test_an_exam_past_its_deadline_is_submitted_on_start(
    db: Database, clock: FakeClock
) -> None:
    exams = ExamService(db, "amy")
    attempt = exams.start(exams.plan("quick", seed=2))
    exams.answer(attempt, 0, "A")
    clock.advance(hours=2)
    assert exams.answer(attempt, 1, "A") is False  # too late to answer
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    report = exams.report(attempt)
    assert report.auto_submitted and report.state.answered == 1


async def test_setup_screen_explains_a_short_or_empty_bank(db: Database) -> None:
    exams = ExamService(db, "amy")
    app = QuizApp(db, "amy", exam_plan=exams.plan("ipas-full", seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = text_of(app, "#setup-body")
        assert "L11 只有 20 題，少於藍圖的 50 題" in body and "L12 只有 0 題" in body
    app = QuizApp(db, "amy", exam_plan=exams.plan("ipas-l12", seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "無法開始" in text_of(app, "#setup-body")
        await pilot.press("enter")  # nothing to start
        assert isinstance(app.screen, ExamSetupScreen)


def test_exam_cli_history_and_report(tmp_path: Path, db: Database, run: Run) -> None:
    exams = ExamService(db, "amy")
    attempt = exams.start(exams.plan("quick", seed=5))
    for item in exams.state(attempt).items[:7]:
        exams.answer(attempt, item.position, item.question.answer[0])
    exams.submit(attempt)
    rows = json.loads(run("exam", "history", "--json").stdout)
    assert rows[0]["attempt"] == attempt and rows[0]["scores"] == {"*": 70.0}
    assert rows[0]["passed"] is True
    out = tmp_path / "report.md"
    assert run("exam", "report", str(attempt), "-o", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "# 模擬考成績" in text and "答錯或未答的題目（3）" in text and "✓ 通過" in text
    assert run("exam", "report", "999").returncode == 1
    assert run("exam", "ipas-l12", "--bank", "ipas-mock-113").returncode == 1
    assert "unknown blueprint" in run("exam", "nope").stderr


async def test_one_exam_at_a_time_and_picker_shows_sitting_totals(db: Database) -> None:
    from textual.widgets import OptionList

    from quizapp.tui.screens.exam_dialogs import BlueprintPicker

    exams = ExamService(db, "amy")
    exams.start(exams.plan("quick", seed=2))
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await pilot.press("n")  # decline the resume offer on start
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, BlueprintPicker)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any("兩科全真模擬" in p and "100 題／150 分" in p for p in prompts)
        await pilot.press("enter")  # the first blueprint
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # the running exam is offered instead
        assert "一次只能考一場" in str(app.screen.query_one(".dialog-title").render())
    with db.transaction() as s:
        assert len(list(s.scalars(select(ExamAttemptRow)))) == 1
