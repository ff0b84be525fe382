"""The notes browser: list of notes with their headings, the note itself, and search.

Opened from home (`n`), from the command line (`quizapp notes [NOTE[#ANCHOR]]`) and from a
question's feedback (`o`), in which case leaving it returns to the same question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Markdown, OptionList, Static, Tree
from textual.widgets.option_list import Option

from quizapp.i18n import t
from quizapp.notes.index import Heading, Note, search
from quizapp.tui.guard import DatabaseGuard

if TYPE_CHECKING:
    from quizapp.notes.index import NoteIndex
    from quizapp.tui.app import QuizApp


class NotesScreen(DatabaseGuard, Screen[None]):
    """Table of contents on the left, the open note on the right, `/` to search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "back", show=False),
        Binding("slash", "search", "search", show=False),
        Binding("t", "toggle_toc", "contents", show=False),
    ]

    def __init__(self, link: str | None = None) -> None:
        super().__init__()
        self.link = link
        self.note: Note | None = None
        self.current_heading = ""
        self._pending: Heading | None = None

    @property
    def index(self) -> NoteIndex:
        """The study-note index of the app."""
        return cast("QuizApp", self.app).notes

    def compose(self) -> ComposeResult:
        yield Static("", id="notes-status")
        yield Input(placeholder=t("notes.search_placeholder"), id="notes-search")
        yield OptionList(id="notes-results")
        with Horizontal(id="notes-main"):
            yield Tree(t("notes.contents"), id="notes-toc")
            with VerticalScroll(id="note-scroll"):
                yield Markdown("", id="note-body", open_links=False)
        yield Static(t("notes.hint"), classes="hint")

    def on_mount(self) -> None:
        """Fill the contents tree and open the requested note (or the first one)."""
        self.query_one("#notes-search").display = False
        self.query_one("#notes-results").display = False
        tree = self.query_one("#notes-toc", Tree)
        tree.show_root = False
        for name, note in self.index.notes.items():
            node = tree.root.add(note.title, data=name, expand=False)
            for heading in note.headings[1:]:
                if heading.level == 2:
                    node.add_leaf(heading.text, data=f"{name}#{heading.anchor}")
        link = self.link or next(iter(self.index.notes), None)
        if link is None:
            self._status(t("notes.missing", link="study_notes/*.md"))
            return
        self.open_link(link)
        self.query_one("#note-scroll").focus()
        # Below 100 columns the contents would squeeze tables and long lines: start hidden.
        self.query_one("#notes-toc").display = self.app.size.width >= 100

    def _status(self, text: str) -> None:
        self.query_one("#notes-status", Static).update(Text(text))

    def open_link(self, link: str) -> None:
        """Show the note of ``file.md#anchor`` scrolled to the anchor's heading."""
        hit = self.index.resolve(link)
        if hit is None:
            self._status(t("notes.missing", link=link))
            return
        note, heading = hit
        self._pending = heading
        self.current_heading = heading.text if heading else note.title
        self._status(self.index.describe(link))
        if self.note is not note:
            self.note = note
            self.query_one("#note-body", Markdown).update(note.text)
            self._expand(note.name)
        else:
            self._scroll_to_pending()

    def _expand(self, name: str) -> None:
        for node in self.query_one("#notes-toc", Tree).root.children:
            if node.data == name:
                node.expand()
            else:
                node.collapse()

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        """The document is built: now the pending heading can be scrolled to."""
        event.stop()
        self._toc = event.table_of_contents
        self._scroll_to_pending()

    def _scroll_to_pending(self) -> None:
        # Textual's own anchors percent-encode CJK, so the heading is found by position
        # instead: our index and the Markdown widget both list headings in document order.
        scroll = self.query_one("#note-scroll", VerticalScroll)
        heading, note = self._pending, self.note
        toc = getattr(self, "_toc", [])
        if heading is None or note is None or heading not in note.headings:
            self.call_after_refresh(scroll.scroll_home, animate=False)
            return
        position = note.headings.index(heading)
        if position < len(toc) and toc[position][2]:
            target = self.query_one(f"#{toc[position][2]}")
            self.call_after_refresh(scroll.scroll_to_widget, target, top=True, animate=False)

    @on(Tree.NodeSelected, "#notes-toc")
    def _toc_selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data:
            self.open_link(event.node.data)

    def action_search(self) -> None:
        """/: search every note (substring, so Chinese works)."""
        box = self.query_one("#notes-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#notes-search")
    def _search_changed(self, event: Input.Changed) -> None:
        results = self.query_one("#notes-results", OptionList)
        results.clear_options()
        hits = search(self.index, event.value)
        results.display = bool(event.value.strip())
        if not hits and event.value.strip():
            results.add_option(Option(Text(t("notes.no_results")), disabled=True))
        for hit in hits:
            label = Text(self.index.describe(hit.link), style="bold")
            label.append("\n  " + hit.snippet, style="")
            results.add_option(Option(label, id=hit.link))

    def on_key(self, event: events.Key) -> None:
        """↓ in the search box goes to the results, as Enter does."""
        if event.key == "down" and isinstance(self.focused, Input):
            event.stop()
            self._search_submitted()

    @on(Input.Submitted, "#notes-search")
    def _search_submitted(self) -> None:
        results = self.query_one("#notes-results", OptionList)
        if results.option_count:
            results.highlighted = 0
            results.focus()

    @on(OptionList.OptionSelected, "#notes-results")
    def _result_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._close_search()
            self.open_link(event.option.id)
            self.query_one("#note-scroll").focus()

    def _close_search(self) -> None:
        self.query_one("#notes-search").display = False
        self.query_one("#notes-results").display = False

    def action_toggle_toc(self) -> None:
        """t: show or hide the contents (more room for the note on a narrow terminal)."""
        toc = self.query_one("#notes-toc")
        toc.display = not toc.display

    def action_back(self) -> None:
        """Esc / q: close the search first, else leave the notes."""
        if self.query_one("#notes-search").display:
            self._close_search()
            self.query_one("#note-scroll").focus()
            return
        self.dismiss()
