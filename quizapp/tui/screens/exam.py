"""Sitting a mock exam: countdown, answers, flags, navigator; no feedback until the end."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.services.exams import ExamService, ExamState
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.screens.exam_dialogs import ConfirmScreen, NavigatorScreen, SubmitReviewScreen
from quizapp.tui.widgets.question_view import OptionView, StemView

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

WARN_AT = (10 * 60, 60)  # seconds left at which the candidate is warned


def clock_text(seconds: int) -> str:
    """MM:SS (or H:MM:SS for long sittings)."""
    h, rest = divmod(max(seconds, 0), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ExamScreen(DatabaseGuard, Screen[None]):
    """One attempt; every answer and flag is saved the moment it is given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # a–d and 1–6 answer; e and f stay free (f flags), so options E/F are 5/6.
        *[
            Binding(f"{key},{i + 1}" if key else str(i + 1), f"answer('{label}')", show=False)
            for i, (label, key) in enumerate(
                zip("ABCDEF", ["a", "b", "c", "d", "", ""], strict=True)
            )
        ],
        Binding("x,backspace", "answer('')", "clear", show=False),
        Binding("right,n", "move(1)", "next", show=False),
        Binding("left,p", "move(-1)", "previous", show=False),
        Binding("f", "flag", "flag", show=False),
        Binding("v,g", "navigator", "navigator", show=False),
        Binding("s", "submit", "submit", show=False),
        Binding("escape,q", "leave", "leave", show=False),
    ]

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.attempt_id = attempt_id
        self.position = 0
        self.warned: set[int] = set()
        self.finished = False
        self.timer: Timer | None = None

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="exam-bar")
        with VerticalScroll(id="exam-body"):
            yield StemView(id="stem")
            yield Vertical(id="options")
        yield Static(t("exam.hint"), classes="hint")

    def on_mount(self) -> None:
        """Load the attempt and start the clock (a display of the wall-clock deadline)."""
        self.exams = ExamService(self.quiz.db, self.quiz.user)
        self.state: ExamState = self.exams.state(self.attempt_id)
        first_open = next((i.position for i in self.state.items if not i.chosen), 0)
        self.position = first_open
        self.show()
        self.timer = self.set_interval(1.0, self.tick)
        self.tick()

    def _stored(self, **changes: object) -> None:
        """Mirror what the service just wrote into the state on screen.

        Reloading the whole attempt (every question with its options) after each key would
        redo at every answer the work done once when the exam opened.
        """
        items = list(self.state.items)
        items[self.position] = replace(items[self.position], **changes)  # type: ignore[arg-type]
        self.state = replace(self.state, items=tuple(items))

    def show(self) -> None:
        """Draw the current question with the candidate's choice marked (▸)."""
        item = self.state.items[self.position]
        self.query_one("#stem", StemView).show(item.question)
        options = self.query_one("#options", Vertical)
        options.remove_children()
        views = [OptionView(o) for o in item.question.options]
        options.mount_all(views)
        for view in views:
            chosen = item.chosen is not None and view.option.label in item.chosen
            view.show_mark("▸" if chosen else None, chosen)
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self._bar()

    def _bar(self) -> None:
        now = self.quiz.db.clock()
        left = math.ceil(self.state.remaining(now).total_seconds())
        item = self.state.items[self.position]
        text = Text(f"⏱ {clock_text(left)}", style="bold")
        text.append("　" + t("exam.position", n=self.position + 1, total=len(self.state.items)))
        if item.flagged:
            text.append("　⚑ " + t("exam.flagged_word"), style="bold")
        text.append(
            "　" + t("exam.counts", answered=self.state.answered, flagged=self.state.flagged)
        )
        self.query_one("#exam-bar", Static).update(text)

    def tick(self) -> None:
        """Every second: update the countdown, warn at 10 and 1 minutes, submit at zero."""
        if self.finished:
            return
        remaining = self.state.remaining(self.quiz.db.clock()).total_seconds()
        left = math.ceil(remaining)  # 00:01 is shown until the very last moment
        for mark in WARN_AT:
            if left <= mark and mark not in self.warned:
                self.warned.add(mark)
                if left > 0:
                    self.notify(t("exam.warn", minutes=mark // 60), severity="warning", timeout=8)
        if remaining <= 0:
            self.finish(auto=True)
            return
        self._bar()

    def finish(self, auto: bool) -> None:
        """Submit and show the report (auto: time ran out)."""
        from quizapp.tui.screens.exam_report import ReportScreen

        if self.finished:
            return
        self.finished = True
        if self.timer is not None:
            self.timer.stop()
        report = self.exams.submit(self.attempt_id, auto=auto)
        if auto:
            self.notify(t("exam.time_up"), severity="warning", timeout=10)
        self.app.switch_screen(ReportScreen(report))

    def action_answer(self, label: str) -> None:
        """A–D / 1–4: choose (or change) the answer; x clears it."""
        item = self.state.items[self.position]
        if label and label not in [o.label for o in item.question.options]:
            self.notify(t("practice.no_option", label=label), severity="warning")
            return
        if not self.exams.answer(self.attempt_id, self.position, label or None):
            self.tick()  # the deadline has passed: submit
            return
        self._stored(chosen=label or None)
        self.show()

    def action_move(self, step: int) -> None:
        """→ / n next, ← / p previous."""
        new = min(max(self.position + step, 0), len(self.state.items) - 1)
        if new != self.position:
            self.position = new
            self.show()

    def action_flag(self) -> None:
        """f: flag (or unflag) this question to come back to it."""
        item = self.state.items[self.position]
        if self.exams.flag(self.attempt_id, self.position, not item.flagged):
            self._stored(flagged=not item.flagged)
            self._bar()
        else:
            self.tick()

    def action_navigator(self) -> None:
        """v: the grid of all questions; Enter jumps to one."""

        def jump(position: int | None) -> None:
            if position is not None:
                self.position = position
                self.show()

        self.app.push_screen(NavigatorScreen(self.state, self.position), jump)

    def action_submit(self) -> None:
        """s: review unanswered and flagged questions, then confirm to submit."""

        def reviewed(choice: int | None) -> None:
            if choice is None:
                return
            if choice >= 0:
                self.position = choice
                self.show()
                return
            self.app.push_screen(ConfirmScreen(t("exam.confirm")), confirmed)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.finish(auto=False)

        self.app.push_screen(SubmitReviewScreen(self.state), reviewed)

    def action_leave(self) -> None:
        """q / Esc: leave the exam running (the clock does not stop, as in the real exam)."""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.finished = True
                if self.timer is not None:
                    self.timer.stop()
                self.dismiss()

        self.app.push_screen(ConfirmScreen(t("exam.leave_confirm")), confirmed)
