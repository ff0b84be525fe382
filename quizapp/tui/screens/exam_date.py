"""A modal to set (or clear) the exam date."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from quizapp.i18n import t
from quizapp.services.settings import parse_exam_date
from quizapp.tui.guard import DatabaseGuard


class ExamDateScreen(DatabaseGuard, ModalScreen[dt.date | None | bool]):
    """Returns the new date, None to clear it, or False when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(self, current: dt.date | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-date-box"):
            yield Static(t("examdate.title"), id="exam-date-title")
            yield Input(
                value=self.current.isoformat() if self.current else "",
                placeholder="YYYY-MM-DD",
                id="exam-date-input",
            )
            yield Static("", id="exam-date-error")
            yield Static(t("examdate.hint"), classes="hint-inline")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.dismiss(None)
            return
        today = self.app.db.clock().astimezone().date()  # type: ignore[attr-defined]
        day, error = parse_exam_date(value, today)
        if day is None:
            self.query_one("#exam-date-error", Static).update(error)
        else:
            self.dismiss(day)
