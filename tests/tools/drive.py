"""A real quizapp process driven headless, for kill -9 tests.

    python -m tests.tools.drive practice DB      answers questions forever
    python -m tests.tools.drive exam DB          starts a quick exam and answers it

After each answer the screen has acknowledged (feedback shown / answer marked), it prints
`ACK <question id> <label>` and flushes, so the parent knows what the user saw.
"""

from __future__ import annotations

import asyncio
import sys

from quizapp.services.context import open_database
from quizapp.services.exams import ExamService
from quizapp.tui.app import QuizApp


async def practice(db_path: str) -> None:
    db = open_database(db_path, bundled_only=("ipas-mock-113.md",))
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        while True:
            item = app.screen.item  # type: ignore[attr-defined]
            label = item.question.answer[0].lower()
            await pilot.press(label)
            await pilot.pause()
            if app.screen.query_one("#feedback").display:
                print(f"ACK {item.question_id} {label.upper()}", flush=True)
            await pilot.press("enter")
            await pilot.pause()


async def exam(db_path: str) -> None:
    db = open_database(db_path, bundled_only=("ipas-mock-113.md",))
    plan = ExamService(db, "amy").plan("quick", seed=11)
    app = QuizApp(db, "amy", exam_plan=plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # start the clock
        await pilot.pause()
        while True:
            screen = app.screen
            item = screen.state.items[screen.position]  # type: ignore[attr-defined]
            await pilot.press("b")
            await pilot.pause()
            print(f"ACK {item.position} B", flush=True)
            await pilot.press("right")
            await pilot.pause()


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    asyncio.run(practice(path) if mode == "practice" else exam(path))
