"""A study note, opened at the heading a question links to."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from quizapp.i18n import t

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class NoteScreen(ModalScreen[None]):
    """Shows one note (rendered from Markdown by markdown-it-py) scrolled to the anchor."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,o", "close", "close", show=False)]

    def __init__(self, link: str) -> None:
        super().__init__()
        self.link = link
        self.current_heading = ""

    def compose(self) -> ComposeResult:
        hit = cast("QuizApp", self.app).notes.resolve(self.link)
        text = hit[0].text if hit else t("notes.missing", link=self.link)
        with VerticalScroll(id="note-scroll"):
            yield Markdown(text, id="note-body", open_links=False)
        yield Static(t("key.close") + "：Esc／q", classes="hint")

    def on_mount(self) -> None:
        """Focus the note so arrow keys and PgUp/PgDn scroll it."""
        self.query_one("#note-scroll", VerticalScroll).focus()

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        """Once the document is built, scroll to the linked heading.

        Textual's own anchors percent-encode CJK, so the heading is found by position instead:
        our note index and the Markdown widget both list headings in document order.
        """
        hit = cast("QuizApp", self.app).notes.resolve(self.link)
        if hit is None:
            return
        note, heading = hit
        if heading is None:
            return
        index = note.headings.index(heading)
        toc = event.table_of_contents
        if index < len(toc) and toc[index][2]:
            target = self.query_one(f"#{toc[index][2]}")
            self.call_after_refresh(target.scroll_visible, top=True, animate=False)
        self.current_heading = heading.text

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss()
