"""Small modal screens of the mock exam: navigator, submit review, confirmations, setup."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.domain.blueprint import Blueprint
from quizapp.i18n import get_lang, t
from quizapp.services.exams import MIXED, ExamPlan, ExamState
from quizapp.tui.guard import DatabaseGuard

COLUMNS = 10


def status_symbol(answered: bool, flagged: bool) -> str:
    """Answered ■ / unanswered □, followed by ⚑ when flagged (shapes, not colours)."""
    return ("■" if answered else "□") + ("⚑" if flagged else " ")


class NavigatorGrid(Widget, can_focus=True):
    """Every question as `NN■`, ten to a row; arrows move, Enter picks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", show=False),
        Binding("right", "step(1)", show=False),
        Binding("up", f"step({-COLUMNS})", show=False),
        Binding("down", f"step({COLUMNS})", show=False),
    ]
    cursor: reactive[int] = reactive(0)
    """The highlighted question (0-based)."""

    def __init__(self, state: ExamState, cursor: int) -> None:
        super().__init__()
        self.state = state
        self.set_reactive(NavigatorGrid.cursor, cursor)

    def render(self) -> Text:
        """The grid as text; the cursor cell is reversed."""
        text = Text()
        for item in self.state.items:
            cell = f"{item.position + 1:>3}{status_symbol(bool(item.chosen), item.flagged)}"
            text.append(cell, style="reverse bold" if item.position == self.cursor else "")
            if (item.position + 1) % COLUMNS == 0:
                text.append("\n")
        return text

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """One line per row of ten."""
        return (len(self.state.items) + COLUMNS - 1) // COLUMNS

    def action_step(self, step: int) -> None:
        """Move the cursor."""
        self.cursor = min(max(self.cursor + step, 0), len(self.state.items) - 1)


class NavigatorScreen(DatabaseGuard, ModalScreen[int | None]):
    """Jump to any question; returns its position, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", show=False),
        Binding("escape,v,g,q", "close", show=False),
    ]

    def __init__(self, state: ExamState, position: int) -> None:
        super().__init__()
        self.state = state
        self.position = position

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("exam.nav_title"), classes="dialog-title")
            yield NavigatorGrid(self.state, self.position)
            yield Static(t("exam.nav_legend"), classes="hint-inline")

    def on_mount(self) -> None:
        """Arrows work at once."""
        self.query_one(NavigatorGrid).focus()

    def action_pick(self) -> None:
        """Enter: go to the highlighted question."""
        self.dismiss(self.query_one(NavigatorGrid).cursor)

    def action_close(self) -> None:
        """Esc: stay where you were."""
        self.dismiss(None)


class SubmitReviewScreen(DatabaseGuard, ModalScreen[int | None]):
    """Unanswered and flagged questions before submitting.

    Returns -1 to go on to the confirmation, a position to jump there, None to go back.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "submit", show=False),
        Binding("escape,q", "close", show=False),
    ]

    def __init__(self, state: ExamState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        unanswered = [i.position for i in self.state.items if not i.chosen]
        flagged = [i.position for i in self.state.items if i.flagged]
        with Vertical(classes="dialog"):
            yield Static(t("exam.review_title"), classes="dialog-title")
            yield Static(
                t(
                    "exam.review_counts",
                    answered=self.state.answered,
                    total=len(self.state.items),
                    unanswered=len(unanswered),
                    flagged=len(flagged),
                )
            )
            options = OptionList(id="review-list")
            for pos in unanswered:
                options.add_option(
                    Option(Text(t("exam.review_unanswered", n=pos + 1)), id=str(pos))
                )
            for pos in flagged:
                options.add_option(Option(Text(t("exam.review_flagged", n=pos + 1)), id=f"f{pos}"))
            yield options
            yield Static(t("exam.review_hint"), classes="hint-inline")

    def on_mount(self) -> None:
        """Focus the list (Enter jumps to a question)."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id.lstrip("f")))

    def action_submit(self) -> None:
        """s: submit (a confirmation follows)."""
        self.dismiss(-1)

    def action_close(self) -> None:
        """Esc: back to the exam."""
        self.dismiss(None)


class ConfirmScreen(DatabaseGuard, ModalScreen[bool]):
    """Yes or no: y / Enter confirms, n / Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield Static(t("dialog.yes_no"), classes="hint-inline")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


class ExamSetupScreen(DatabaseGuard, ModalScreen[bool]):
    """What the exam will be (and any shortfall); Enter starts, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", show=False),
        Binding("escape,q", "cancel", show=False),
    ]

    def __init__(self, plan: ExamPlan, pass_average: float, pass_min: float) -> None:
        super().__init__()
        self.plan = plan
        self.pass_average = pass_average
        self.pass_min = pass_min

    def compose(self) -> ComposeResult:
        plan = self.plan
        lines = [
            t("exam.setup_questions", total=plan.total, minutes=plan.minutes),
            t(
                "exam.setup_rules",
                average=f"{self.pass_average:.0f}",
                minimum=f"{self.pass_min:.0f}",
            ),
            t("exam.setup_seed", seed=plan.seed),
        ]
        for d in plan.draws:
            if d.short:
                subject = t("exam.all_subjects") if d.subject == "*" else d.subject
                lines.append(
                    t(
                        "exam.setup_short",
                        subject=subject,
                        have=len(d.question_ids),
                        wanted=d.wanted,
                    )
                )
        if plan.total == 0:
            lines.append(t("exam.setup_empty"))
        with Vertical(classes="dialog"):
            yield Static(Text(plan.title), classes="dialog-title")
            yield Static(Text("\n".join(lines)), id="setup-body")
            yield Static(
                t("exam.setup_hint") if plan.total else t("exam.setup_hint_empty"),
                classes="hint-inline",
            )

    def action_start(self) -> None:
        """Enter: start the clock (only when there is something to ask)."""
        if self.plan.total:
            self.dismiss(True)

    def action_cancel(self) -> None:
        """Esc: do not start."""
        self.dismiss(False)


class BlueprintPicker(DatabaseGuard, ModalScreen[str | None]):
    """Choose a mock-exam blueprint."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", show=False)]

    def __init__(self, blueprints: tuple[Blueprint, ...]) -> None:
        super().__init__()
        self.blueprints = blueprints

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("exam.pick_title"), classes="dialog-title")
            options = OptionList(id="blueprint-list")
            for b in self.blueprints:
                title = b.title_zh if get_lang() == "zh-TW" else b.title_en
                # Per-subject figures add up for a sitting of several subjects.
                sittings = 1 if b.id in MIXED else len(b.subjects)
                line = t(
                    "exam.pick_line",
                    title=title,
                    questions=b.questions * sittings,
                    minutes=b.minutes * sittings,
                )
                options.add_option(Option(Text(line), id=b.id))
            yield options
            yield Static(t("exam.pick_hint"), classes="hint-inline")

    def on_mount(self) -> None:
        """Arrows and Enter work at once, from the first entry."""
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        """Esc: no exam."""
        self.dismiss(None)
