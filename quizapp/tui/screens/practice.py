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

from quizapp.domain.model import AnswerResult, Mark, StudyItem
from quizapp.i18n import t
from quizapp.services.session import PracticeSession
from quizapp.services.study import StudyService
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.screens.note_editor import NoteEditor
from quizapp.tui.widgets.question_view import FeedbackView, OptionView, StemView

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

# Letters a–f answer (g, m, n, o, q, r, s, u are commands); digits answer any of ten options.
_LETTER_KEYS = "abcdef"
_DIGIT_KEYS = "1234567890"


def _answer_bindings() -> list[BindingType]:
    keys: list[BindingType] = []
    for i, label in enumerate("ABCDEFGHIJ"):
        names = [_DIGIT_KEYS[i]]
        if i < len(_LETTER_KEYS):
            names.insert(0, _LETTER_KEYS[i])
        keys.append(Binding(",".join(names), f"key('{label}')", "answer", show=False))
    return keys


class PracticeScreen(DatabaseGuard, Screen[None]):
    """Asks the questions of a scope (bank, topic, or all) in the order the scheduler gives."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_answer_bindings(),
        Binding("enter,n", "next", "next", show=False),
        Binding("g", "guess", "guess", show=False),
        Binding("u", "undo", "undo", show=False),
        Binding("s", "star", "star", show=False),
        Binding("m", "note", "my note", show=False),
        Binding("o", "open_note", "study note", show=False),
        Binding("r", "requeue", "ask again", show=False),
        Binding("q,escape", "back", "back", show=False),
    ]

    def __init__(
        self,
        bank_id: str | None,
        *,
        topic: str | None = None,
        mode: str = "all",
        weak_topics: tuple[str, ...] = (),
        question_ids: tuple[int, ...] = (),
    ) -> None:
        super().__init__()
        self.question_ids = question_ids
        self.bank_id = bank_id
        self.topic = topic
        self.mode = mode
        self.weak_topics = weak_topics
        self.selected: set[str] = set()
        self.guess = False
        self.shown_at = 0.0
        self.mark = Mark()

    @property
    def quiz(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    @property
    def item(self) -> StudyItem | None:
        """The question on screen (None when the session is complete)."""
        return self.session.current

    @property
    def result(self) -> AnswerResult | None:
        """The answer to the question on screen, once given."""
        return self.session.last

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with VerticalScroll(id="body"):
            yield StemView(id="stem")
            yield Vertical(id="options")
            yield FeedbackView(id="feedback")
        yield Static("", id="hint", classes="hint")

    def on_mount(self) -> None:
        """Open the session and show the first question."""
        study = StudyService(
            self.quiz.db,
            self.quiz.user,
            self.bank_id,
            topic=self.topic,
            mode=self.mode,
            weak_topics=self.weak_topics,
            question_ids=self.question_ids,
        )
        self.session = PracticeSession(study)
        self.show(self.session.next())

    def show(self, item: StudyItem | None) -> None:
        """Display a question unanswered, or the end of the session when ``item`` is None."""
        self.selected, self.guess = set(), False
        self.query_one("#feedback", FeedbackView).display = False
        options = self.query_one("#options", Vertical)
        options.remove_children()
        current = self.session.current
        if item is None or current is None:
            self.query_one("#stem", StemView).update(
                Text(
                    t("practice.done")
                    + "\n\n"
                    + t("practice.done_detail", right=self.session.right, done=self.session.done)
                )
            )
            self.query_one("#hint", Static).update(t("practice.done_hint"))
            self._status()
            return
        # The star and note are read once per question, not at every redraw of the status.
        self.mark = self.session.study.mark(current.question_id)
        self.query_one("#stem", StemView).show(current.question)
        options.mount_all(OptionView(o) for o in current.question.options)
        labels = [o.label for o in current.question.options]
        prompt = "practice.prompt_multi" if current.question.multi else "practice.prompt_choices"
        self.query_one("#hint", Static).update(
            t(prompt, first=labels[0], last=labels[-1], n=len(labels))
        )
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self._status()
        self.shown_at = time.monotonic()

    def _status(self) -> None:
        s = self.session
        line = t("practice.session", right=s.right, done=s.done) + "　｜　"
        if s.current:
            star = "★ " if self.mark.starred else ""
            line += star + t("practice.progress", bank=s.current.bank_title, n=s.number)
            if self.guess and self.result is None:
                line = t("practice.guess_on") + "　" + line
        else:
            line += self.bank_id or t("home.all_banks")
        self.query_one("#status", Static).update(Text(line))

    def action_key(self, label: str) -> None:
        """A–F / 1–0 answer; after answering, 1–4 change the rating (as in Anki)."""
        item = self.session.current
        if item is None:
            return
        if self.result is not None:
            if label in "ABCD":
                self._override("ABCD".index(label) + 1)
            return
        labels = [o.label for o in item.question.options]
        if label not in labels:
            self.notify(t("practice.no_option", label=label), severity="warning")
            return
        if item.question.multi:
            self.selected ^= {label}
            for view in self.query(OptionView):
                chosen = view.option.label in self.selected
                view.show_mark("▸" if chosen else None, chosen)
            return
        self._submit([label])

    def _submit(self, chosen: list[str]) -> None:
        elapsed = int((time.monotonic() - self.shown_at) * 1000)
        # The service commits before returning: feedback is only shown for a stored answer.
        result = self.session.answer(chosen, duration_ms=elapsed, guessed=self.guess)
        for view in self.query(OptionView):
            label = view.option.label
            if view.option.is_correct:
                view.show_mark("✓", label in chosen)
            elif label in chosen:
                view.show_mark("✗", True)
        self._show_feedback(result)
        self.query_one("#hint", Static).update(t("practice.next_prompt"))
        self.call_after_refresh(self._reveal_feedback)

    def _show_feedback(self, result: AnswerResult) -> None:
        item = self.session.current
        assert item is not None
        feedback = self.query_one("#feedback", FeedbackView)
        feedback.show(item.question, result, self.quiz.notes, self.quiz.db.clock(), self.mark.note)
        feedback.display = True
        self._status()

    def _reveal_feedback(self) -> None:
        self.query_one("#body", VerticalScroll).scroll_to_widget(
            self.query_one("#feedback"), animate=False, top=False
        )

    def _override(self, rating: int) -> None:
        changed = self.session.override(rating)
        if changed is None:
            self.notify(t("practice.rating_refused"), severity="warning")
            return
        self._show_feedback(changed)

    def action_next(self) -> None:
        """Enter / n: next question (submits a multi-answer selection first)."""
        item = self.session.current
        if item is None:
            return
        if self.result is None:
            if item.question.multi and self.selected:
                self._submit(sorted(self.selected))
            return
        self.show(self.session.next())

    def action_guess(self) -> None:
        """g (before answering): I am guessing; a right guess is rated Hard, never Good."""
        if self.session.current is None or self.result is not None:
            return
        self.guess = not self.guess
        self._status()

    def action_undo(self) -> None:
        """u: take back the answer just given; the question is asked again."""
        item = self.session.undo()
        if item is None:
            return
        self.notify(t("practice.undone"))
        self.show(item)

    def action_star(self) -> None:
        """s: star or unstar this question (practise starred ones with --mode starred)."""
        if self.session.current is None:
            return
        starred = self.session.study.toggle_star(self.session.current.question_id)
        self.mark = Mark(starred, self.mark.note)
        self.notify(t("practice.starred" if starred else "practice.unstarred"))
        self._status()

    def action_note(self) -> None:
        """m: write a personal note on this question."""
        item = self.session.current
        if item is None:
            return

        def save(text: str | None) -> None:
            if text is None:
                return
            self.mark = self.session.study.set_note(item.question_id, text)
            self.notify(t("practice.note_saved"))
            if self.result is not None:
                self._show_feedback(self.result)

        self.app.push_screen(NoteEditor(self.mark.note), save)

    def action_open_note(self) -> None:
        """o: open the first study note this question links to; q there comes back here."""
        from quizapp.tui.screens.notes import NotesScreen

        item = self.session.current
        if item is None:
            return
        if not item.question.notes:
            self.notify(t("notes.none"))
            return
        link = item.question.notes[0]
        if self.quiz.notes.resolve(link) is None:
            self.notify(t("notes.missing", link=link), severity="warning")
            return
        self.app.push_screen(NotesScreen(link), self._back_from_note)

    def _back_from_note(self, _result: None = None) -> None:
        if self.result is not None:
            self.query_one("#hint", Static).update(t("practice.after_note"))

    def action_requeue(self) -> None:
        """r: put this (answered) question back into the session, to be asked again soon."""
        if self.session.requeue():
            self.notify(t("practice.requeued"))
            self.query_one("#hint", Static).update(t("practice.requeued_hint"))

    def action_back(self) -> None:
        """q / Esc: back to the home screen (every answer is already saved)."""
        self.dismiss()
