"""The TUI driven with Pilot: what the candidate sees, and what lands in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import OptionList

from quizapp.db.tables import ReviewRow
from quizapp.i18n import set_lang
from quizapp.services.banks import BankService
from quizapp.services.context import Database
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.notes import NotesScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.question_view import OptionView
from tests.test_services import BANK
from tests.tui_helpers import right_key, settle, shown, text_of, wrong_key


def _reviews(db: Database) -> list[tuple[str, bool]]:
    with db.transaction() as s:
        return [(r.chosen, r.correct) for r in s.scalars(select(ReviewRow).order_by(ReviewRow.id))]


def _marks(app: QuizApp) -> dict[str, str]:
    return {v.option.label: str(v.render())[:1] for v in app.screen.query(OptionView)}


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
        assert shown(app).stem.replace("**", "") in text_of(app, "#stem")


async def test_right_answer_shows_correct_and_is_stored(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _reviews(db) == []
        question, key = shown(app), right_key(app)
        await pilot.press(key)
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert "✓ 正確" in feedback and f"正確答案：{key.upper()}" in feedback
        assert question.explanation.splitlines()[0] in feedback
        assert "評分：良好" in feedback
        assert " › " in feedback  # the note link, as 'note title › heading'
        assert _reviews(db) == [(key.upper(), True)]  # stored before the next question
        assert _marks(app)[key.upper()] == "✓"


async def test_wrong_answer_shows_wrong_and_the_key(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first, key, wrong = shown(app), right_key(app).upper(), wrong_key(app).upper()
        await pilot.press(str("ABCD".index(wrong) + 1))  # the number key for that option
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert "✗ 錯誤" in feedback and f"你的答案：{wrong}" in feedback
        assert f"正確答案：{key}" in feedback and "評分：重來" in feedback
        assert _reviews(db) == [(wrong, False)]
        assert (_marks(app)[key], _marks(app)[wrong]) == ("✓", "✗")
        await pilot.press("a")  # a letter after answering cannot change the recorded answer
        assert _reviews(db) == [(wrong, False)]
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app) != first
        assert not app.screen.query_one("#feedback").display


async def test_back_home_shows_progress(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(right_key(app), "n")
        await pilot.press(wrong_key(app), "q")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "已練習 2 題" in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "今日已答 2 題" in text_of(app, "#home-user")


@pytest.mark.parametrize("size", [(80, 24), (200, 50), (60, 20)])
async def test_long_cjk_text_stays_inside_the_screen(db: Database, size: tuple[int, int]) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        explanation = shown(app).explanation
        await pilot.press(wrong_key(app))
        await pilot.pause()
        width = size[0]
        for widget in [*app.screen.query(OptionView), app.screen.query_one("#feedback")]:
            assert widget.region.right <= width, widget
        # nothing is lost to wrapping: the whole explanation is in the rendered lines
        feedback = app.screen.query_one("#feedback")
        lines = feedback.render_lines(feedback.region.reset_offset)
        rendered = "".join(seg.text for line in lines for seg in line)
        rendered = rendered.replace(" ", "").replace("┃", "").replace("│", "")
        assert explanation.replace("\n", "").replace(" ", "") in rendered
        status = app.screen.query_one("#status")
        assert status.region.height == 1  # the status bar never wraps


async def test_english_ui(db: Database) -> None:
    set_lang("en")
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        key = right_key(app)
        await pilot.press(key)
        await pilot.pause()
        assert "✓ Correct" in text_of(app, "#feedback")
        assert f"Correct answer: {key.upper()}" in text_of(app, "#feedback")


async def test_help_and_note_screens(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "開啟本題的參考筆記" in text_of(app, "#help-body")
        await pilot.press("escape")
        link = shown(app).notes[0]
        await pilot.press(right_key(app), "o")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.pause()
        hit = app.notes.resolve(link)
        assert hit is not None and hit[1] is not None
        assert app.screen.current_heading == hit[1].text
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
        await pilot.press(wrong_key(app))
        await pilot.pause()
        assert "✗ 錯誤" in text_of(app, "#feedback")


async def test_session_complete_when_nothing_left(empty_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "demo.md"
    path.write_text(BANK, encoding="utf-8")
    assert BankService(empty_db).import_files([str(path)]).ok
    app = QuizApp(empty_db, "amy", bank_id="demo", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(right_key(app), "enter")
        await pilot.press(right_key(app), "enter")
        await pilot.pause()
        assert "本輪練習完成" in text_of(app, "#stem")
        assert "答對 2 / 已答 2" in text_of(app, "#stem")
