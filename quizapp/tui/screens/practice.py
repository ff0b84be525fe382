"""Practice: one question at a time, answer with a key, feedback at once, then the next."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.domain.model import OPTION_LABELS, AnswerResult, StudyItem
from quizapp.i18n import t
from quizapp.services.study import StudyService
from quizapp.tui.widgets.question_view import FeedbackView, OptionView, StemView

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def _answer_bindings() -> list[Binding]:
    keys = []
    for i, label in enumerate("ABCD"):
        keys.append(Binding(f"{label.lower()},{i + 1}", f"answer('{label}')", "answer", show=False))
    for label in OPTION_LABELS[4:]:
        keys.append(Binding(label.lower(), f"answer('{label}')", "answer", show=False))
    return keys


class PracticeScreen(Screen[None]):
    """Asks the questions of one bank (or all) in the order the scheduler gives."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_answer_bindings(),
        Binding("enter,n", "next", "next", show=False),
        Binding("o", "open_note", "note", show=False),
        Binding("r", "requeue", "ask again", show=False),
        Binding("q,escape", "back", "back", show=False),
    ]

    def __init__(self, bank_id: str | None) -> None:
        super().__init__()
        self.bank_id = bank_id
        self.item: StudyItem | None = None
        self.result: AnswerResult | None = None
        self.selected: set[str] = set()
        self.shown_at = 0.0
        self.number = 0
        self.right = 0
        self.done = 0
        self.requeued: list[tuple[int, int]] = []  # (question id, earliest question number)

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with VerticalScroll(id="body"):
            yield StemView(id="stem")
            yield Vertical(id="options")
            yield FeedbackView(id="feedback")
        yield Static("", id="hint", classes="hint")

    def on_mount(self) -> None:
        """Open the session and show the first question."""
        self.study = StudyService(self.quiz.db, self.quiz.user, self.bank_id)
        self.show_next()

    def show_next(self) -> None:
        """Ask the next question the scheduler picks, or say the session is complete."""
        current = self.item.question_id if self.item else None
        waiting = [q for q, _ in self.requeued]
        scheduled = [q for q in self.study.queue(limit=3) if q != current and q not in waiting]
        # A question the candidate asked to see again comes back after one other question
        # (or at once when nothing else is left), ahead of the scheduler's order.
        ready = [q for q, at in self.requeued if at <= self.number + 1]
        candidates = [*ready, *scheduled, *waiting]
        pick: int | None = candidates[0] if candidates else None
        if pick is not None and pick in waiting:
            self.requeued = [(q, at) for q, at in self.requeued if q != pick]
        upcoming = [pick] if pick is not None else []
        self.result, self.selected = None, set()
        feedback = self.query_one("#feedback", FeedbackView)
        feedback.display = False
        options = self.query_one("#options", Vertical)
        options.remove_children()
        if not upcoming:
            self.item = None
            self.query_one("#stem", StemView).update(
                Text(
                    t("practice.done")
                    + "\n\n"
                    + t("practice.done_detail", right=self.right, done=self.done)
                )
            )
            self.query_one("#hint", Static).update(t("home.hint"))
            self._status()
            return
        self.item = self.study.item(upcoming[0])
        self.number += 1
        self.query_one("#stem", StemView).show(self.item.question)
        options.mount_all(OptionView(o) for o in self.item.question.options)
        self.query_one("#hint", Static).update(t("practice.prompt"))
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self._status()
        self.shown_at = time.monotonic()

    def _status(self) -> None:
        bank = self.item.bank_title if self.item else (self.bank_id or t("home.all_banks"))
        line = t("practice.session", right=self.right, done=self.done) + "　｜　"
        line += t("practice.progress", bank=bank, n=self.number) if self.item else bank
        # One line whatever the width: a long bank title is cut with an ellipsis.
        self.query_one("#status", Static).update(Text(line, no_wrap=True, overflow="ellipsis"))

    def action_answer(self, label: str) -> None:
        """A–D / 1–4: answer (multi-answer questions: toggle, then Enter submits)."""
        if self.item is None or self.result is not None:
            return
        labels = [o.label for o in self.item.question.options]
        if label not in labels:
            self.notify(t("practice.no_option", label=label), severity="warning")
            return
        if self.item.question.multi:
            self.selected ^= {label}
            for view in self.query(OptionView):
                view.show_mark(
                    "▸" if view.option.label in self.selected else None,
                    view.option.label in self.selected,
                )
            return
        self._submit([label])

    def _submit(self, chosen: list[str]) -> None:
        assert self.item is not None
        elapsed = int((time.monotonic() - self.shown_at) * 1000)
        # The service commits before returning: the feedback is only shown for a stored answer.
        self.result = self.study.answer(self.item, chosen, duration_ms=elapsed)
        self.done += 1
        self.right += int(self.result.correct)
        for view in self.query(OptionView):
            label = view.option.label
            if view.option.is_correct:
                view.show_mark("✓", label in chosen)
            elif label in chosen:
                view.show_mark("✗", True)
        feedback = self.query_one("#feedback", FeedbackView)
        feedback.show(self.item.question, self.result, self.quiz.notes)
        feedback.display = True
        self.query_one("#hint", Static).update(t("practice.next_prompt"))
        self._status()
        self.call_after_refresh(self._reveal_feedback)

    def _reveal_feedback(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_to_widget(
            self.query_one("#feedback"), animate=False, top=False
        )

    def action_next(self) -> None:
        """Enter / n: next question (submits a multi-answer selection first)."""
        if self.item is None:
            return
        if self.result is None:
            if self.item.question.multi and self.selected:
                self._submit(sorted(self.selected))
            return
        self.show_next()

    def action_open_note(self) -> None:
        """o: open the first study note this question links to; q there comes back here."""
        from quizapp.tui.screens.notes import NotesScreen

        if self.item is None:
            return
        if not self.item.question.notes:
            self.notify(t("notes.none"))
            return
        link = self.item.question.notes[0]
        if self.quiz.notes.resolve(link) is None:
            self.notify(t("notes.missing", link=link), severity="warning")
            return
        self.app.push_screen(NotesScreen(link), self._back_from_note)

    def _back_from_note(self, _result: None = None) -> None:
        if self.result is not None:
            self.query_one("#hint", Static).update(t("practice.after_note"))

    def action_requeue(self) -> None:
        """r: put this (answered) question back into the session, to be asked again soon."""
        if self.item is None or self.result is None:
            return
        if all(q != self.item.question_id for q, _ in self.requeued):
            self.requeued.append((self.item.question_id, self.number + 2))
        self.notify(t("practice.requeued"))

    def action_back(self) -> None:
        """q / Esc: back to the home screen (every answer is already saved)."""
        self.dismiss()
