"""Question browser, item analysis and practising a selection."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable

from quizapp.db.tables import ReviewRow
from quizapp.domain.item_analysis import Response, analyse, point_biserial
from quizapp.services.browse import search
from quizapp.services.context import Database
from quizapp.services.exams import ExamService
from quizapp.services.item_stats import bank_item_stats
from quizapp.services.study import StudyService
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browser import BrowserScreen, ItemStatsScreen, QuestionScreen
from quizapp.tui.screens.practice import PracticeScreen
from tests.conftest import Run
from tests.tui_helpers import right_key, text_of


def test_search_by_text_and_status(db: Database) -> None:
    cbam = search(db, "amy", "CBAM")
    assert {f.key for f in cbam} >= {"Q3", "Q5", "Q9", "Q10", "Q17"}
    assert all("never-seen" in f.status for f in cbam)
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    study.answer(item, ["Z"])
    study.toggle_star(item.question_id)
    assert [f.question_id for f in search(db, "amy", status="wrong-recently")] == [item.question_id]
    assert [f.question_id for f in search(db, "amy", status="starred")] == [item.question_id]
    assert search(db, "amy", "土壤")[0].key == "Q20"  # text in an option


def test_point_biserial_and_flags() -> None:
    assert point_biserial([True, True, False, False], [0.9, 0.8, 0.2, 0.1]) is not None
    assert point_biserial([True, True], [0.5, 0.7]) is None  # no variance in the item
    strong_wrong = [Response(i, "B", False, 0.9) for i in range(3)] + [
        Response(10 + i, "A", True, 0.2) for i in range(4)
    ]
    stats = analyse(1, "Q1", "A", ["A", "B", "C", "D"], strong_wrong)
    assert stats.facility == 4 / 7 and stats.discrimination is not None
    assert set(stats.flags) == {"negative-discrimination", "distractor-beats-key"}
    assert stats.choices == {"A": 4, "B": 3, "C": 0, "D": 0, "—": 0}


def test_item_stats_over_exam_attempts(db: Database) -> None:
    for seed in range(6):
        exams = ExamService(db, f"user{seed}")
        attempt = exams.start(exams.plan("quick", seed=seed, bank="ipas-mock-113"))
        for item in exams.state(attempt).items[: 3 + seed]:
            exams.answer(attempt, item.position, item.question.answer[0])
        exams.submit(attempt)
    stats = bank_item_stats(db, "ipas-mock-113")
    assert stats is not None and len(stats) == 20
    assert sum(s.responses for s in stats) == 60
    assert all(s.facility is None or 0 <= s.facility <= 1 for s in stats)


def test_cli_search_and_stats(run: Run) -> None:
    found = run("bank", "search", "京都議定書", "--bank", "ipas-mock-113")
    assert found.returncode == 0 and "ipas-mock-113/Q19" in found.stdout
    assert run("bank", "search", "--status", "nope").returncode == 2
    stats = run("bank", "stats", "ipas-mock-113")
    assert stats.returncode == 0 and stats.stdout.count("\n") >= 21
    assert run("bank", "stats", "nope").returncode == 1


async def test_browser_finds_opens_and_practises_a_selection(db: Database) -> None:
    app = QuizApp(db, "amy")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        for ch in "碳權":
            await pilot.press(ch)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        wanted = {f.question_id for f in search(db, "amy", "碳權")}
        assert table.row_count == len(wanted) > 0
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert "作答紀錄（0 次）" in text_of(app, "#question-detail")
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, ItemStatsScreen)
        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        asked = set()
        for _ in range(len(wanted)):
            asked.add(app.screen.item.question_id)  # type: ignore[union-attr]
            assert app.screen.item.question_id in wanted  # type: ignore[union-attr]
            await pilot.press(right_key(app), "enter")
            await pilot.pause()
        assert asked == wanted and "本輪練習完成" in text_of(app, "#stem")
    with db.transaction() as s:
        assert len(list(s.scalars(select(ReviewRow)))) == len(wanted)


async def test_question_detail_shows_history_and_item_statistics(db: Database) -> None:
    exams = ExamService(db, "amy")
    attempt = exams.start(exams.plan("quick", seed=1, bank="ipas-mock-113"))
    first = exams.state(attempt).items[0]
    exams.answer(attempt, 0, first.question.answer[0])
    exams.submit(attempt)
    app = QuizApp(db, "amy")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(QuestionScreen(first.question_id))
        await pilot.pause()
        detail = text_of(app, "#question-detail")
        assert "模擬考統計：1 次作答，難易度 1.00" in detail
        assert "作答紀錄（1 次）" in detail and "exam" in detail
