"""The question browser: find questions by text, status, topic and bank; open one; practise
the selection. Item statistics of a bank live here too."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from quizapp.i18n import t
from quizapp.services.browse import STATUSES, Found, history, search
from quizapp.services.item_stats import bank_item_stats
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.render import markdown_text

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class BrowserScreen(DatabaseGuard, Screen[None]):
    """Type to search; Enter opens a question; 0–4 filter by status; p practises the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", show=False),
        Binding("slash", "focus_search", show=False),
        *[Binding(str(i), f"status({i})", show=False) for i in range(len(STATUSES) + 1)],
        Binding("t", "cycle('topic')", show=False),
        Binding("b", "cycle('bank')", show=False),
        Binding("p", "practise", show=False),
        Binding("i", "item_stats", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.topic: str | None = None
        self.bank: str | None = None
        self.found: list[Found] = []

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("browse.placeholder"), id="browse-input")
        yield Static("", id="browse-filters")
        yield DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("browse.hint"), classes="hint")

    def on_mount(self) -> None:
        """List everything, then let the candidate type."""
        table = self.query_one(DataTable)
        for key in ("browse.col_question", "browse.col_status", "browse.col_stem"):
            table.add_column(t(key))
        self.topics = sorted({tp for b in self._all() for tp in b.topics})
        self.banks = sorted({b.bank_id for b in self._all()})
        self.refresh_results()
        self.query_one(Input).focus()

    def _all(self) -> list[Found]:
        if not hasattr(self, "_everything"):
            self._everything = search(self.quiz.db, self.quiz.user)
        return self._everything

    def refresh_results(self) -> None:
        """Run the search with the current text and filters."""
        text = self.query_one(Input).value
        self.found = search(
            self.quiz.db, self.quiz.user, text, topic=self.topic, bank=self.bank, status=self.status
        )
        table = self.query_one(DataTable)
        table.clear()
        for f in self.found:
            stem = " ".join(f.stem.replace("**", "").split())
            flags = " ".join(t(f"browse.status_{s}") for s in sorted(f.status))
            table.add_row(
                Text(f"{f.bank_id}/{f.key}"), Text(flags), Text(stem), key=str(f.question_id)
            )
        self.query_one("#browse-filters", Static).update(
            Text(
                t(
                    "browse.filters",
                    n=len(self.found),
                    status=t(f"browse.status_{self.status}") if self.status else t("browse.any"),
                    topic=self.topic or t("browse.any"),
                    bank=self.bank or t("browse.any"),
                )
            )
        )

    @on(Input.Changed, "#browse-input")
    def _typed(self) -> None:
        self.refresh_results()

    @on(Input.Submitted, "#browse-input")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#browse-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.push_screen(QuestionScreen(int(event.row_key.value)))

    def action_focus_search(self) -> None:
        """/: back to the search box."""
        self.query_one(Input).focus()

    def action_status(self, index: int) -> None:
        """0 any status, 1 never seen, 2 wrong recently, 3 starred, 4 leech."""
        if isinstance(self.focused, Input):
            return
        self.status = None if index == 0 else STATUSES[index - 1]
        self.refresh_results()

    def action_cycle(self, what: str) -> None:
        """t / b: the next topic / bank filter (then none again)."""
        if isinstance(self.focused, Input):
            return
        values: list[str] = self.topics if what == "topic" else self.banks
        current = getattr(self, what)
        nxt = (
            values[0]
            if current is None
            else (
                values[values.index(current) + 1]
                if values.index(current) + 1 < len(values)
                else None
            )
        )
        setattr(self, what, nxt)
        self.refresh_results()

    def action_practise(self) -> None:
        """p: practise exactly the questions listed."""
        from quizapp.tui.screens.practice import PracticeScreen

        if isinstance(self.focused, Input) or not self.found:
            return
        ids = tuple(f.question_id for f in self.found)
        self.app.push_screen(PracticeScreen(None, question_ids=ids))

    def action_item_stats(self) -> None:
        """i: item analysis of the bank filter (or of the highlighted question's bank)."""
        if isinstance(self.focused, Input):
            return
        bank = self.bank
        table = self.query_one(DataTable)
        if bank is None and self.found and table.cursor_row < len(self.found):
            bank = self.found[table.cursor_row].bank_id
        if bank is not None:
            self.app.push_screen(ItemStatsScreen(bank))

    def action_back(self) -> None:
        """Esc: home."""
        self.dismiss()


class QuestionScreen(DatabaseGuard, Screen[None]):
    """One question with its key, explanation, notes and the candidate's history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", show=False),
        Binding("o", "open_note", show=False),
    ]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield Static("", id="question-detail")
        yield Static(t("browse.detail_hint"), classes="hint")

    def on_mount(self) -> None:
        """Load the question and its history."""
        from quizapp.db import repo

        quiz = cast("QuizApp", self.app)
        with quiz.db.transaction() as s:
            item = repo.study_item(s, self.question_id)
        assert item is not None
        self.item = item
        q = item.question
        text = Text(f"{item.bank_id}/{q.key}　{', '.join(q.topics)}\n\n", style="bold")
        text.append_text(markdown_text(q.stem))
        text.append("\n\n")
        for o in q.options:
            text.append(
                ("✓ " if o.is_correct else "  ") + f"({o.label}) ",
                style="bold" if o.is_correct else "",
            )
            text.append_text(markdown_text(o.text))
            text.append("\n")
        if q.explanation:
            text.append(f"\n{t('practice.explanation')}\n", style="bold underline")
            text.append_text(markdown_text(q.explanation))
            text.append("\n")
        if q.notes:
            text.append(f"\n{t('practice.notes')}\n", style="bold underline")
            for link in q.notes:
                text.append(f"• {quiz.notes.describe(link)}\n")
        stats = next(
            (
                x
                for x in bank_item_stats(quiz.db, item.bank_id) or []
                if x.question_id == self.question_id
            ),
            None,
        )
        if stats is not None and stats.responses:
            facility = "—" if stats.facility is None else f"{stats.facility:.2f}"
            disc = "—" if stats.discrimination is None else f"{stats.discrimination:+.2f}"
            text.append(
                f"\n{t('browse.item_line', n=stats.responses, facility=facility, disc=disc)}"
                f"　{' '.join(f'{k}:{v}' for k, v in stats.choices.items())}\n"
            )
        past = history(quiz.db, quiz.user, self.question_id)
        text.append(f"\n{t('browse.history', n=len(past))}\n", style="bold underline")
        for h in past[:20]:
            mark = "✓" if h.correct else "✗"
            text.append(
                f"{h.reviewed_at.astimezone():%Y-%m-%d %H:%M}　{mark} {h.chosen or '—'}"
                f"　{t(f'rating.{h.rating}')}　{h.mode}\n"
            )
        self.query_one("#question-detail", Static).update(text)

    def action_open_note(self) -> None:
        """o: the question's first study note."""
        from quizapp.tui.screens.notes import NotesScreen

        notes = self.item.question.notes
        if notes and cast("QuizApp", self.app).notes.resolve(notes[0]):
            self.app.push_screen(NotesScreen(notes[0]))

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()


class ItemStatsScreen(DatabaseGuard, Screen[None]):
    """Item analysis of one bank over every submitted mock exam."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "back", show=False)]

    def __init__(self, bank_id: str) -> None:
        super().__init__()
        self.bank_id = bank_id

    def compose(self) -> ComposeResult:
        yield Static(Text(t("items.title", bank=self.bank_id)), id="items-title")
        yield DataTable(id="items-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("items.hint"), classes="hint")

    def on_mount(self) -> None:
        """Compute and list."""
        stats = bank_item_stats(cast("QuizApp", self.app).db, self.bank_id) or []
        table = self.query_one(DataTable)
        for key in (
            "items.key",
            "items.n",
            "items.facility",
            "items.discrimination",
            "items.answer",
            "items.choices",
            "items.flags",
        ):
            table.add_column(t(key))
        for s in stats:
            table.add_row(
                s.key,
                str(s.responses),
                "—" if s.facility is None else f"{s.facility:.2f}",
                "—" if s.discrimination is None else f"{s.discrimination:+.2f}",
                s.answer,
                " ".join(f"{k}:{v}" for k, v in s.choices.items()),
                Text(" ".join(t(f"items.flag_{f}") for f in s.flags)),
            )
        table.focus()

    def action_back(self) -> None:
        """Back."""
        self.dismiss()
