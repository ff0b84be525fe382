"""A small modal to write a personal note on a question (the candidate's notebook)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from quizapp.i18n import t
from quizapp.tui.guard import DatabaseGuard


class NoteEditor(DatabaseGuard, ModalScreen[str | None]):
    """Edit a note; Ctrl+S saves (returns the text), Esc cancels (returns None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "save", show=False, priority=True),
        Binding("escape", "cancel", "cancel", show=False),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor"):
            yield Static(t("practice.note_title"), id="note-editor-title")
            yield TextArea(self.text, id="note-editor-text", soft_wrap=True)
            yield Static(t("practice.note_hint"), classes="hint-inline")

    def on_mount(self) -> None:
        """Start typing at once."""
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        """Ctrl+S: keep the note."""
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Esc: leave without saving."""
        self.dismiss(None)
