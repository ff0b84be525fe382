"""Home: the banks with the candidate's progress; Enter starts practising the chosen one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.i18n import t
from quizapp.services.study import StudyService

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

ALL_BANKS = "__all__"


class HomeScreen(Screen[None]):
    """The first screen: which bank to practise, and how much was done today."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "quit", show=False),
        Binding("n", "notes", "notes", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(t("app.title"), id="home-title")
        yield Static("", id="home-user")
        yield Static(t("home.heading"), id="home-heading")
        yield OptionList(id="bank-list")
        yield Static(t("home.hint"), id="hint", classes="hint")

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def on_screen_resume(self) -> None:
        """Refresh counts every time the candidate comes back from practice."""
        self.refresh_banks()

    def refresh_banks(self) -> None:
        """Reload the bank list and today's count from the services."""
        banks = self.quiz.banks.list_banks(self.quiz.user)
        today = StudyService(self.quiz.db, self.quiz.user).answered_today()
        self.query_one("#home-user", Static).update(
            Text(t("home.user", user=self.quiz.user, today=today))
        )
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

    @on(OptionList.OptionSelected, "#bank-list")
    def start_practice(self, event: OptionList.OptionSelected) -> None:
        """Enter on a bank: practise it."""
        from quizapp.tui.screens.practice import PracticeScreen

        bank_id = event.option.id
        if bank_id is None:
            return
        self.app.push_screen(PracticeScreen(None if bank_id == ALL_BANKS else bank_id))
