"""The key help: a modal listing every key of every screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.tui.guard import DatabaseGuard


class HelpScreen(DatabaseGuard, ModalScreen[None]):
    """Lists the keys; any of Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(t("help.title"), id="help-title")
            yield Static(t("help.body"), id="help-body", markup=False)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
