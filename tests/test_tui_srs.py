"""Pilot tests of the spaced-repetition features: home numbers, weak topics, g/u/1–4/s/m."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, OptionList, TextArea

from quizapp.db.tables import QuestionMarkRow, ReviewRow
from quizapp.services.context import Database
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.exam_date import ExamDateScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.stats import StatsScreen
from tests.conftest import FakeClock, Run
from tests.tui_helpers import right_key, settle, shown, text_of, wrong_key


def _reviews(db: Database) -> list[tuple[str, bool, int, bool]]:
    with db.transaction() as s:
        rows = s.scalars(select(ReviewRow).order_by(ReviewRow.id))
        return [(r.chosen, r.correct, r.rating, r.guessed) for r in rows]


async def test_home_shows_today_exam_readiness_and_weak_topics(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(wrong_key(app), "q")
        await settle(app, pilot)
        assert "今日已答 1 題" in text_of(app, "#home-user")
        assert "新題 19" in text_of(app, "#home-user")
        assert "L11 預估" in text_of(app, "#home-ready")
        assert "L12 預估 25（" in text_of(app, "#home-ready")  # no L12 question: a guess
        assert "各科 ≥ 60：✗ 未達" in text_of(app, "#home-ready")  # the real rule
        assert "及格機率 0%" in text_of(app, "#home-ready")
        weak = text_of(app, "#home-weak")
        assert "最弱主題" in weak and "先答幾題" not in weak
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamDateScreen)
        await pilot.press(*"2099-13-01", "enter")
        await pilot.pause()
        assert "不是有效的日期" in text_of(app, "#exam-date-error")
        await pilot.press(*["backspace"] * 10, *"2020-01-01", "enter")
        await pilot.pause()
        assert "已經過了" in text_of(app, "#exam-date-error")
        await pilot.press(*["backspace"] * 10, *"２０２７－０５－１６", "enter")
        await settle(app, pilot)
        assert "考試日期 2027-05-16" in text_of(app, "#home-exam")


async def test_weak_topics_practice_asks_only_those_topics(db: Database) -> None:
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "先答幾題" in text_of(app, "#home-weak")  # nothing to judge weakness by yet
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, PracticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(6):
            await pilot.press(wrong_key(app), "enter")
            await pilot.pause()
        await pilot.press("q")
        await settle(app, pilot)
        weak = {s.topic_id for s in app.screen.overview.weakest}  # type: ignore[attr-defined]
        assert weak
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.mode == "weak"
        for _ in range(4):
            assert weak.intersection(shown(app).topics)
            await pilot.press(right_key(app), "enter")
            await pilot.pause()


async def test_guess_override_undo_star_and_note(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        assert "【猜測】" in text_of(app, "#status")
        key = right_key(app)
        await pilot.press(key)
        await pilot.pause()
        assert "評分：困難" in text_of(app, "#feedback") and "標記為猜測" in text_of(
            app, "#feedback"
        )
        await pilot.press("3")  # a guess can never become Good
        assert _reviews(db) == [(key.upper(), True, 2, True)]
        await pilot.press("1")  # but it may be lowered to Again
        await pilot.pause()
        assert "評分：重來" in text_of(app, "#feedback")
        assert _reviews(db)[0][2] == 1
        question = shown(app)
        await pilot.press("u")
        await pilot.pause()
        assert _reviews(db) == [] and shown(app) == question
        assert not app.screen.query_one("#feedback").display
        await pilot.press("s")
        await pilot.pause()
        assert "★" in text_of(app, "#status")
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("看清楚「不是」")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(wrong_key(app))
        await pilot.pause()
        assert "我的筆記" in text_of(app, "#feedback") and "看清楚「不是」" in text_of(
            app, "#feedback"
        )
    with db.transaction() as s:
        mark = s.scalars(select(QuestionMarkRow)).one()
        assert (mark.starred, mark.note) == (True, "看清楚「不是」")


async def test_stats_screen_sorts_topics(db: Database, clock: FakeClock) -> None:
    app = QuizApp(db, "amy")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 8  # the L11 areas that have questions
        await pilot.press("2")  # sort by 'seen'
        await pilot.pause()
        assert "未來 30 天每日到期題數" in str(app.screen.query_one("#forecast-chart").render())


def test_stats_json_reports_readiness_and_exam_day_retrievability(run: Run) -> None:
    assert run("config", "exam-date", "2027-05-16").returncode == 0
    assert run("config", "exam-date", "someday").returncode == 1
    data = json.loads(run("stats", "--json").stdout)
    assert data["exam_date"] == "2027-05-16"
    assert {r["subject"] for r in data["readiness"]} == {"L11", "L12"}
    assert all("retrievability_exam" in t for t in data["topics"])
    assert len(data["forecast"]) == 30
    assert data["verdict"]["pass_average"] == 70 and data["verdict"]["pass_min_subject"] == 60
    assert data["verdict"]["passing"] is False
    text = run("stats")
    assert text.returncode == 0 and "L11" in text.stdout
    # the real rule, not a per-subject 70: an average and a subject minimum
    assert "平均 25／70、各科 ≥ 60：✗ 未達" in text.stdout
    assert "單科最低 60" in text.stdout


async def test_home_paints_and_takes_keys_before_its_numbers_are_ready(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from quizapp.services.progress import ProgressService

    release = threading.Event()
    slow = ProgressService.overview

    def held(self: ProgressService) -> Any:
        release.wait(timeout=30)  # a big history: the overview is still being computed
        return slow(self)

    monkeypatch.setattr(ProgressService, "overview", held)
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "正在計算今日進度" in text_of(app, "#home-user")
        assert "ipas-mock-113" in str(
            app.screen.query_one(OptionList).get_option_at_index(0).prompt
        )
        release.set()
        await settle(app, pilot)
        assert "今日已答 0 題" in text_of(app, "#home-user")
        release.clear()
        await pilot.press("enter")  # practise while home refreshes later on
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        release.set()
