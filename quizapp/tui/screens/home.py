"""Home: today's numbers, exam countdown, readiness, weakest topics, and the banks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from quizapp.cli_report import verdict_line
from quizapp.i18n import get_lang, t
from quizapp.services.context import database_problem
from quizapp.services.exams import ExamService
from quizapp.services.progress import Overview, ProgressService
from quizapp.services.settings import exam_data
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.screens.exam_date import ExamDateScreen
from quizapp.tui.screens.exam_dialogs import BlueprintPicker
from quizapp.tui.screens.stats import readiness_line, short_title

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

ALL_BANKS = "__all__"


def _goal_bar(done: int, goal: int, width: int = 10) -> str:
    filled = min(width, round(done / goal * width)) if goal else width
    return "▰" * filled + "▱" * (width - filled)


class HomeScreen(DatabaseGuard, Screen[None]):
    """The first screen: what to do today, how ready the candidate is, and the banks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "quit", show=False),
        Binding("n", "notes", "notes", show=False),
        Binding("w", "practise('weak')", "weak topics", show=False),
        Binding("d", "practise('due')", "due", show=False),
        Binding("s", "practise('starred')", "starred", show=False),
        Binding("t", "stats", "stats", show=False),
        Binding("e", "exam_date", "exam date", show=False),
        Binding("x", "exam", "mock exam", show=False),
        Binding("b", "browse", "browse", show=False),
    ]

    overview: Overview | None = None

    def compose(self) -> ComposeResult:
        yield Static(t("app.title"), id="home-title")
        yield Static("", id="home-user")
        yield Static("", id="home-exam")
        yield Static("", id="home-ready")
        yield Static("", id="home-weak")
        yield Static(t("home.heading"), id="home-heading")
        yield OptionList(id="bank-list")
        yield Static(t("home.hint"), id="hint", classes="hint")

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def on_mount(self) -> None:
        """After the first paint, deal with a mock exam left running or timed out."""
        self.call_after_refresh(self.check_exams)

    def check_exams(self) -> None:
        """Submit timed-out exams (and say so); offer to resume one still running."""
        if self.app.screen is not self:
            return
        exams = ExamService(self.quiz.db, self.quiz.user)
        if exams.finish_expired():
            self.notify(t("exam.expired"), severity="warning", timeout=10)
            self.refresh_all()
        running = exams.running()
        if running is not None:
            self.quiz.offer_resume(running, "exam.resume")

    def action_exam(self) -> None:
        """x: choose a blueprint, see the plan, start the clock."""

        def picked(blueprint: str | None) -> None:
            if blueprint is not None:
                self.quiz.start_exam(ExamService(self.quiz.db, self.quiz.user).plan(blueprint))

        self.app.push_screen(BlueprintPicker(exam_data().blueprints), picked)

    def on_screen_resume(self) -> None:
        """Refresh every number each time the candidate comes back to this screen."""
        self.refresh_all()

    def refresh_all(self) -> None:
        """Reload the bank list now and the overview in a thread.

        The banks are what the candidate acts on, and cheap; the overview (readiness and
        retrievability of every card) takes a third of a second with 10k questions, so the
        screen paints first and the numbers follow.
        """
        self._banks()
        if self.overview is None:
            self.query_one("#home-user", Static).update(Text(t("home.loading")))
        self.call_after_refresh(self._start_overview)

    def _start_overview(self) -> None:
        # Not when another screen went on top at once (`quizapp practice`): the numbers would
        # be computed for nobody, competing with that screen's first question. They are
        # computed when the candidate comes back here.
        if self.is_current:
            self.run_worker(self._load_overview, thread=True, exclusive=True, group="overview")

    def _load_overview(self) -> None:
        worker = get_current_worker()
        try:
            ov = ProgressService(self.quiz.db, self.quiz.user).overview()
        except Exception as error:  # a worker's exception would end the app
            problem = database_problem(error)
            if problem is None:
                raise
            self.app.call_from_thread(self.app.notify, problem, severity="error", timeout=20)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_overview, ov)

    def _show_overview(self, ov: Overview) -> None:
        """Fill in today's numbers, the exam countdown, readiness and the weakest topics."""
        self.overview = ov
        self.query_one("#home-user", Static).update(
            Text(
                t("home.user", user=ov.user, today=ov.answered_today)
                + f" {_goal_bar(ov.answered_today, ov.daily_goal)} "
                + t(
                    "home.today",
                    goal=ov.daily_goal,
                    streak=ov.streak,
                    due=ov.due_today,
                    new=ov.new_available,
                )
            )
        )
        if ov.exam_date is None:
            exam = t("home.no_exam")
        else:
            source = t("home.exam_default") if ov.exam_date_is_default else ""
            exam = t("home.exam", date=ov.exam_date.isoformat(), days=ov.days_to_exam) + source
        self.query_one("#home-exam", Static).update(Text(exam))
        ready = "　".join(readiness_line(r) for r in ov.readiness)
        if not any(r.seen for r in ov.readiness):
            ready += t("home.guess_baseline")
        else:
            # its own line: at 80 columns the rule would otherwise wrap mid-phrase
            ready += "\n" + verdict_line(ov.verdict).strip()
        self.query_one("#home-ready", Static).update(Text(t("home.ready") + ready))
        # Knowledge (shrunk recent accuracy), the figure weak topics are ranked by.
        weak = ("、" if get_lang() == "zh-TW" else ", ").join(
            f"{short_title(s)} {(s.knowledge or 0) * 100:.0f}%" for s in ov.weakest
        )
        self.query_one("#home-weak", Static).update(
            Text(t("home.weak") + (weak or t("home.weak_none")))
        )

    def _banks(self) -> None:
        banks = self.quiz.banks.list_banks(self.quiz.user)
        options = self.query_one("#bank-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not banks:
            options.add_option(Option(Text(t("home.empty")), disabled=True))
            return
        for b in banks:
            line = t(
                "home.bank_line",
                title=b.title,
                id=b.id,
                count=b.question_count,
                answered=b.answered,
            )
            options.add_option(Option(Text(line), id=b.id))
        if len(banks) > 1:
            total = sum(b.question_count for b in banks)
            done = sum(b.answered for b in banks)
            options.add_option(
                Option(Text(t("home.all_line", count=total, answered=done)), id=ALL_BANKS)
            )
        options.highlighted = highlighted if highlighted is not None else 0
        options.focus()

    def action_notes(self) -> None:
        """n: browse the study notes."""
        from quizapp.tui.screens.notes import NotesScreen

        self.app.push_screen(NotesScreen())

    def action_browse(self) -> None:
        """b: the question browser."""
        from quizapp.tui.screens.browser import BrowserScreen

        self.app.push_screen(BrowserScreen())

    def action_stats(self) -> None:
        """t: the statistics screen."""
        from quizapp.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_practise(self, mode: str) -> None:
        """w / d / s: practise the weakest topics, the due reviews or the starred questions."""
        from quizapp.tui.screens.practice import PracticeScreen

        weak = tuple(s.topic_id for s in self.overview.weakest) if self.overview else ()
        if mode == "weak" and not weak:
            self.notify(t("home.weak_none_notice"))
            return
        self.app.push_screen(PracticeScreen(None, mode=mode, weak_topics=weak))

    def action_exam_date(self) -> None:
        """e: set the exam date."""
        current = self.overview.exam_date if self.overview else None

        def save(day: dt.date | bool | None) -> None:
            if day is False:
                return
            self.quiz.settings_for_user().set_exam_date(day if isinstance(day, dt.date) else None)
            self.refresh_all()

        self.app.push_screen(ExamDateScreen(current), save)

    @on(OptionList.OptionSelected, "#bank-list")
    def start_practice(self, event: OptionList.OptionSelected) -> None:
        """Enter on a bank: practise it."""
        from quizapp.tui.screens.practice import PracticeScreen

        bank_id = event.option.id
        if bank_id is None:
            return
        self.app.push_screen(PracticeScreen(None if bank_id == ALL_BANKS else bank_id))
