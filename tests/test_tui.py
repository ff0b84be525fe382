"""The TUI driven with Pilot: what the candidate sees, and what lands in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import OptionList, Static

from quizapp.db.tables import ReviewRow
from quizapp.i18n import set_lang
from quizapp.services.context import Database
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.notes import NotesScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.question_view import OptionView


def _text(app: QuizApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _reviews(db: Database) -> list[tuple[str, bool]]:
    with db.transaction() as s:
        return [(r.chosen, r.correct) for r in s.scalars(select(ReviewRow).order_by(ReviewRow.id))]


async def test_home_lists_banks_and_enter_starts_practice(db: Database) -> None:
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one("#bank-list", OptionList)
        assert "ipas-mock-113" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert "推動抵換類型計畫的好處" in _text(app, "#stem")


async def test_right_answer_shows_correct_and_is_stored(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _reviews(db) == []
        await pilot.press("a")
        await pilot.pause()
        feedback = _text(app, "#feedback")
        assert "✓ 正確" in feedback and "正確答案：A" in feedback
        assert "抵換計畫是讓減量發生在成本較低的地方" in feedback
        assert "碳權與抵換 › 抵換計畫的效益" in feedback
        assert _reviews(db) == [("A", True)]  # stored before the next question is asked
        marks = {v.option.label: str(v.render())[:1] for v in app.screen.query(OptionView)}
        assert marks["A"] == "✓"


async def test_wrong_answer_shows_wrong_and_the_key(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")  # (C) via the number key
        await pilot.pause()
        feedback = _text(app, "#feedback")
        assert "✗ 錯誤" in feedback and "你的答案：C" in feedback and "正確答案：A" in feedback
        assert _reviews(db) == [("C", False)]
        marks = {v.option.label: str(v.render())[:1] for v in app.screen.query(OptionView)}
        assert (marks["A"], marks["C"]) == ("✓", "✗")
        # a second key press cannot change a recorded answer
        await pilot.press("a")
        assert _reviews(db) == [("C", False)]
        await pilot.press("enter")
        await pilot.pause()
        assert "環境部認可" in _text(app, "#stem")
        assert not app.screen.query_one("#feedback").display


async def test_back_home_shows_progress(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", "n", "c", "q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "已練習 2 題" in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "今日已答 2 題" in _text(app, "#home-user")


@pytest.mark.parametrize("size", [(80, 24), (200, 50), (60, 20)])
async def test_long_cjk_text_stays_inside_the_screen(db: Database, size: tuple[int, int]) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        width = size[0]
        for widget in [*app.screen.query(OptionView), app.screen.query_one("#feedback")]:
            assert widget.region.right <= width, widget
        # nothing is lost to wrapping: the whole explanation is in the rendered lines
        lines = app.screen.query_one("#feedback").render_lines(
            app.screen.query_one("#feedback").region.reset_offset
        )
        rendered = "".join(seg.text for line in lines for seg in line)
        rendered = rendered.replace(" ", "").replace("┃", "").replace("│", "")
        assert "國家與企業也能藉此達成排放目標。" in rendered
        status = app.screen.query_one("#status")
        assert status.region.height == 1  # the status bar never wraps


async def test_english_ui(db: Database) -> None:
    set_lang("en")
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert "✓ Correct" in _text(app, "#feedback")
        assert "Correct answer: A" in _text(app, "#feedback")


async def test_help_and_note_screens(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "開啟本題的參考筆記" in _text(app, "#help-body")
        await pilot.press("escape")
        await pilot.press("a", "o")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.pause()
        assert app.screen.current_heading == "抵換計畫的效益"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)


async def test_theme_cycle_includes_high_contrast(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = set()
        for _ in range(3):
            await pilot.press("f2")
            seen.add(app.theme)
        assert {"textual-light", "quizapp-high-contrast", "textual-dark"} == seen
        await pilot.press("d")
        await pilot.pause()
        assert "✗ 錯誤" in _text(app, "#feedback")


async def test_session_complete_when_nothing_left(empty_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from quizapp.services.banks import BankService
    from tests.test_services import BANK

    path = tmp_path / "demo.md"
    path.write_text(BANK, encoding="utf-8")
    assert BankService(empty_db).import_files([str(path)]).ok
    app = QuizApp(empty_db, "amy", bank_id="demo", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", "enter", "b", "enter")
        await pilot.pause()
        assert "本輪練習完成" in _text(app, "#stem")
        assert "答對 2 / 已答 2" in _text(app, "#stem")
