"""After the exam: the report, and a review of every question with the key and explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from quizapp.i18n import t
from quizapp.services.exam_report import minutes_seconds, pass_rule, verdict
from quizapp.services.exams import ExamQuestion, ExamReport
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.render import markdown_text

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class ReportScreen(DatabaseGuard, Screen[None]):
    """Scores per subject, pass/fail, time, topics, earlier attempts; r / w / f review."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review('all')", show=False),
        Binding("w", "review('wrong')", show=False),
        Binding("f", "review('flagged')", show=False),
        Binding("escape,q", "back", show=False),
    ]

    def __init__(self, report: ExamReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report-body"):
            yield Static(self._text(), id="report")
        yield Static(t("exam.report_hint"), classes="hint")

    def _text(self) -> Text:
        r = self.report
        text = Text(f"{t('exam.report_title')}　{r.state.title}\n", style="bold")
        if r.auto_submitted:
            text.append(t("exam.auto_submitted") + "\n", style="bold")
        text.append("\n")
        for s in r.subjects:
            label = t("exam.all_subjects") if s.subject == "*" else f"{s.subject} {s.title}"
            text.append(f"{label}：{s.correct}/{s.total}　{s.score:.1f} 分\n", style="bold")
        text.append(verdict(r.passed), style="bold reverse")
        text.append("　" + pass_rule(r) + "\n")
        total = r.state.deadline_at - r.state.started_at
        text.append(
            t("exam.time_used", used=minutes_seconds(r.time_used), total=minutes_seconds(total))
            + "\n\n"
        )
        text.append(t("exam.md_topics") + "\n", style="bold underline")
        for tp in sorted(r.topics, key=lambda x: x.correct / (x.total or 1)):
            bar = "■" * tp.correct + "□" * (tp.total - tp.correct)
            name = tp.title.split("（")[0]
            pad = " " * max(0, 20 - cell_len(name))
            text.append(f"  {name}{pad} {tp.correct}/{tp.total} {bar}\n")
        if r.earlier:
            text.append("\n" + t("exam.md_earlier") + "\n", style="bold underline")
            for when, scores, passed in r.earlier:
                listed = "、".join(
                    f"{k if k != '*' else ''} {v:.1f}".strip() for k, v in scores.items()
                )
                text.append(f"  {when.astimezone():%m-%d %H:%M}　{listed}　{verdict(passed)}\n")
        return text

    def action_review(self, which: str) -> None:
        """r all, w wrong only, f flagged only."""
        items = list(self.report.state.items)
        if which == "wrong":
            items = [i for i in items if not i.correct]
        elif which == "flagged":
            items = [i for i in items if i.flagged]
        if not items:
            self.notify(t("exam.review_none"))
            return
        self.app.push_screen(ExamReviewScreen(items))

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()


class ExamReviewScreen(DatabaseGuard, Screen[None]):
    """One question at a time: your answer, the key, the explanation and the note links."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n", "move(1)", show=False),
        Binding("left,p", "move(-1)", show=False),
        Binding("o", "open_note", show=False),
        Binding("escape,q", "back", show=False),
    ]

    def __init__(self, items: list[ExamQuestion]) -> None:
        super().__init__()
        self.items = items
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with VerticalScroll(id="body"):
            yield Static("", id="review-item")
        yield Static(t("exam.review_screen_hint"), classes="hint")

    def on_mount(self) -> None:
        """Show the first question."""
        self.show()

    def show(self) -> None:
        """Draw the current question with ✓ on the key and ✗ on a wrong choice."""
        item = self.items[self.index]
        q = item.question
        status = t(
            "exam.review_position", k=self.index + 1, n=len(self.items), number=item.position + 1
        )
        if item.flagged:
            status += "　⚑"
        self.query_one("#status", Static).update(Text(status))
        text = markdown_text(q.stem)
        text.append("\n\n")
        for o in q.options:
            chosen = item.chosen is not None and o.label in item.chosen
            mark = "✓" if o.is_correct else ("✗" if chosen else " ")
            text.append(f"{mark} ({o.label}) ", style="bold" if o.is_correct or chosen else "")
            text.append_text(markdown_text(o.text))
            text.append("\n")
        text.append("\n")
        verdict_key = "practice.correct" if item.correct else "practice.wrong"
        text.append(t(verdict_key), style="bold")
        mine = item.chosen or t("exam.unanswered")
        text.append("　" + t("practice.your_answer", answer=mine))
        text.append("　" + t("practice.answer_is", answer="、".join(q.answer)) + "\n")
        if q.explanation:
            text.append(f"\n{t('practice.explanation')}\n", style="bold underline")
            text.append_text(markdown_text(q.explanation))
            text.append("\n")
        notes = cast("QuizApp", self.app).notes
        if q.notes:
            text.append(f"\n{t('practice.notes')}\n", style="bold underline")
            for n, link in enumerate(q.notes, start=1):
                text.append(f"[{n}] {notes.describe(link)}\n")
        self.query_one("#review-item", Static).update(text)
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        """→ next, ← previous."""
        self.index = min(max(self.index + step, 0), len(self.items) - 1)
        self.show()

    def action_open_note(self) -> None:
        """o: the study note of this question."""
        from quizapp.tui.screens.notes import NotesScreen

        q = self.items[self.index].question
        if q.notes and cast("QuizApp", self.app).notes.resolve(q.notes[0]):
            self.app.push_screen(NotesScreen(q.notes[0]))
        else:
            self.notify(t("notes.none"))

    def action_back(self) -> None:
        """Back to the report."""
        self.dismiss()
