"""Widgets of one question: the stem, the options and the feedback after answering."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from quizapp.domain.model import AnswerResult, Option, Question
from quizapp.i18n import describe_interval, t
from quizapp.notes.index import NoteIndex
from quizapp.tui.render import markdown_text


class OptionView(Static):
    """One option line, ``(A) text``; after answering it is marked ✓ / ✗ (never colour only)."""

    def __init__(self, option: Option) -> None:
        super().__init__(classes="option")
        self.option = option
        self.show_mark(None)

    def show_mark(self, mark: str | None, selected: bool = False) -> None:
        """Redraw with a mark: '✓' correct, '✗' chosen but wrong, '▸' selected, None plain."""
        prefix = f"{mark} " if mark else "  "
        text = Text(prefix)
        text.append(f"({self.option.label}) ", style="bold")
        text.append_text(markdown_text(self.option.text))
        self.update(text)
        self.set_class(mark == "✓", "-correct")
        self.set_class(mark == "✗", "-wrong")
        self.set_class(selected, "-selected")


class StemView(Static):
    """The question text (bank Markdown rendered as text, never as Textual markup)."""

    def show(self, question: Question) -> None:
        """Display a question's stem."""
        self.update(markdown_text(question.stem))


class FeedbackView(Static):
    """Right/wrong, the correct answer, the explanation and the study-note links."""

    def show(
        self,
        question: Question,
        result: AnswerResult,
        notes: NoteIndex,
        now: dt.datetime,
        my_note: str = "",
    ) -> None:
        """Display the feedback of an answer: verdict, key, rating, explanation, notes."""
        text = Text()
        if result.correct:
            text.append(t("practice.correct"), style="bold")
        else:
            text.append(t("practice.wrong"), style="bold")
            text.append("　")
            text.append(t("practice.your_answer", answer="、".join(result.chosen) or "—"))
        text.append("　")
        text.append(t("practice.answer_is", answer="、".join(result.answer)), style="bold")
        text.append("\n")
        rating = t(f"rating.{result.rating}")
        when = describe_interval(result.due - now) if result.due else "—"
        text.append(t("practice.rating_line", rating=rating, when=when))
        if result.guessed and result.correct:
            text.append("　" + t("practice.was_guess"))
        if result.leech:
            text.append("\n")
            text.append(t("practice.leech", n=result.lapses), style="bold")
        # Per-option feedback (GIFT '#…'): for what was chosen, and for the key.
        for o in question.options:
            if o.feedback and (o.label in result.chosen or o.is_correct):
                text.append("\n" + t("practice.option_feedback", label=o.label, text=o.feedback))
        if my_note:
            text.append(f"\n\n{t('practice.my_note')}\n", style="bold underline")
            text.append(my_note)
        if question.explanation:
            text.append(f"\n\n{t('practice.explanation')}\n", style="bold underline")
            text.append_text(markdown_text(question.explanation))
        if question.notes:
            text.append(f"\n\n{t('practice.notes')}\n", style="bold underline")
            for n, link in enumerate(question.notes, start=1):
                text.append(f"[{n}] {notes.describe(link)}\n")
        self.set_class(result.correct, "-correct")
        self.set_class(not result.correct, "-wrong")
        text.rstrip()
        self.update(text)
