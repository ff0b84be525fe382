"""The Textual application: built by a factory from services so tests can inject their own."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import Theme

from quizapp import resources
from quizapp.i18n import t
from quizapp.notes.index import NoteIndex
from quizapp.services.banks import BankService
from quizapp.services.context import Database
from quizapp.services.exams import ExamPlan, ExamService, ExamState
from quizapp.services.settings import UserSettings, exam_data
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.screens.exam import ExamScreen, clock_text
from quizapp.tui.screens.exam_dialogs import ConfirmScreen, ExamSetupScreen
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.notes import NotesScreen
from quizapp.tui.screens.practice import PracticeScreen

HIGH_CONTRAST = Theme(
    name="quizapp-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    error="#ff5f5f",
    warning="#ffaf00",
    dark=True,
)
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)


class QuizApp(DatabaseGuard, App[None]):
    """quizapp's terminal UI: home (banks) → practice (question, answer, feedback)."""

    # Absolute, so that subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).resolve().parent / "app.tcss"
    TITLE = "quizapp"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", show=False),
        Binding("f2", "cycle_theme", "theme", show=False),
    ]

    def __init__(
        self,
        db: Database,
        user: str,
        *,
        bank_id: str | None = None,
        start_practice: bool = False,
        start_notes: str | None = None,
        topic: str | None = None,
        mode: str = "all",
        exam_plan: ExamPlan | None = None,
        notes: NoteIndex | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.user = user
        self.banks = BankService(db, notes)
        self._notes = notes
        self._start_bank = bank_id
        self._start_practice = start_practice
        self._start_notes = start_notes
        self._topic = topic
        self._mode = mode
        self._exam_plan = exam_plan
        self.register_theme(HIGH_CONTRAST)

    @property
    def notes(self) -> NoteIndex:
        """The study-note index, parsed on first use (not needed to paint the home screen)."""
        if self._notes is None:
            self._notes = NoteIndex.load(resources.notes_dir())
        return self._notes

    def on_mount(self) -> None:
        """Show the home screen, or go straight into practice for `quizapp practice`."""
        self.title = t("app.title")
        self.push_screen(HomeScreen())
        if self._start_practice:
            self.push_screen(PracticeScreen(self._start_bank, topic=self._topic, mode=self._mode))
        elif self._start_notes is not None:
            self.push_screen(NotesScreen(self._start_notes or None))
        elif self._exam_plan is not None:
            self.start_exam(self._exam_plan)

    def start_exam(self, plan: ExamPlan) -> None:
        """Show what the exam will be; on Enter, start the clock and sit it."""
        rules = exam_data().rules
        running = ExamService(self.db, self.user).running()
        if running is not None:
            # One sitting at a time, as in the real exam: offer the running one instead.
            self.offer_resume(running, "exam.running_instead")
            return

        def begin(go: bool | None) -> None:
            if go:
                attempt = ExamService(self.db, self.user).start(plan)
                self.push_screen(ExamScreen(attempt))

        self.push_screen(ExamSetupScreen(plan, rules.pass_average, rules.pass_min_subject), begin)

    def offer_resume(self, running: ExamState, message: str) -> None:
        """Ask whether to go back to a running exam (with the time really left)."""
        left = int(running.remaining(self.db.clock()).total_seconds())
        question = t(
            message,
            title=running.title,
            answered=running.answered,
            total=len(running.items),
            left=clock_text(left),
        )

        def resume(yes: bool | None) -> None:
            if yes:
                self.push_screen(ExamScreen(running.attempt_id))

        self.push_screen(ConfirmScreen(question), resume)

    def settings_for_user(self) -> UserSettings:
        """The settings service of the current user."""
        from quizapp.db import repo

        with self.db.transaction() as s:
            uid = repo.get_or_create_user(s, self.user, self.db.clock())
        return UserSettings(self.db, uid)

    def action_help(self) -> None:
        """Show every key (a modal; Esc or ? closes it)."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_cycle_theme(self) -> None:
        """Dark → light → high contrast → dark."""
        current = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(current + 1) % len(THEMES)]
