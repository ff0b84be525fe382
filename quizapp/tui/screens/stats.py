"""Statistics: the per-topic table (sortable), the due forecast and accuracy over time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from quizapp.cli_report import verdict_line
from quizapp.domain.mastery import Readiness, TopicStats
from quizapp.i18n import get_lang, t
from quizapp.services.progress import ProgressService
from quizapp.tui.guard import DatabaseGuard
from quizapp.tui.widgets.charts import BarChart

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def short_title(stats: TopicStats) -> str:
    """A topic's title in the UI language, without its parenthesised list of examples."""
    if get_lang() == "en" and stats.title_en:
        return stats.title_en.split(" (")[0]
    return stats.title.split("（")[0]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _none_last(value: float | None) -> float:
    return -1.0 if value is None else value


# (header key, cell text, sort key) for each column
COLUMNS: list[tuple[str, Callable[[TopicStats], str], Callable[[TopicStats], Any]]] = [
    ("stats.col_topic", short_title, short_title),
    ("stats.col_seen", lambda s: f"{s.seen}/{s.total}", lambda s: s.seen / (s.total or 1)),
    ("stats.col_acc", lambda s: _pct(s.accuracy), lambda s: _none_last(s.accuracy)),
    (
        "stats.col_recent",
        lambda s: _pct(s.recent_accuracy),
        lambda s: _none_last(s.recent_accuracy),
    ),
    (
        "stats.col_r_now",
        lambda s: _pct(s.retrievability_now),
        lambda s: _none_last(s.retrievability_now),
    ),
    (
        "stats.col_r_exam",
        lambda s: _pct(s.retrievability_exam),
        lambda s: _none_last(s.retrievability_exam),
    ),
    ("stats.col_expected", lambda s: f"{s.expected * 100:.0f}", lambda s: s.expected),
    ("stats.col_lapses", lambda s: str(s.lapses), lambda s: s.lapses),
]


def readiness_line(r: Readiness) -> str:
    """One subject's expected score now with its 80 % interval."""
    return t(
        "home.ready_line",
        subject=r.subject,
        score=f"{r.score:.0f}",
        low=f"{r.low:.0f}",
        high=f"{r.high:.0f}",
    )


class StatsScreen(DatabaseGuard, Screen[None]):
    """Per-topic mastery table and two charts; keys 1–8 sort by a column."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "back", show=False),
        *[Binding(str(i + 1), f"sort({i})", "sort", show=False) for i in range(len(COLUMNS))],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_column = 6
        self.reverse = False
        self.stats: list[TopicStats] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="stats-summary")
        with VerticalScroll(id="stats-body"):
            yield DataTable(id="topic-table", cursor_type="row", zebra_stripes=True)
            yield BarChart(id="forecast-chart")
            yield BarChart(id="accuracy-chart")
        yield Static(t("stats.hint"), classes="hint")

    def on_mount(self) -> None:
        """Compute everything once and draw it."""
        quiz = cast("QuizApp", self.app)
        progress = ProgressService(quiz.db, quiz.user)
        overview = progress.overview()
        self.stats = [s for s in overview.topics if s.total > 0] or overview.topics
        summary = Text("　".join(readiness_line(r) for r in overview.readiness))
        summary.append("\n" + verdict_line(overview.verdict).strip())
        self.query_one("#stats-summary", Static).update(summary)
        table = self.query_one("#topic-table", DataTable)
        for key, _, _ in COLUMNS:
            table.add_column(t(key))
        self._fill()
        forecast = progress.forecast(30)
        self.query_one("#forecast-chart", BarChart).plot(
            t("stats.forecast_title"),
            [n for _, n in forecast],
            forecast[0][0].strftime("%m-%d"),
            forecast[-1][0].strftime("%m-%d"),
        )
        weeks = progress.accuracy_by_week(12)
        self.query_one("#accuracy-chart", BarChart).plot(
            t("stats.accuracy_title"),
            [round(right / n * 100) if n else 0 for _, n, right in weeks],
            weeks[0][0].strftime("%m-%d"),
            weeks[-1][0].strftime("%m-%d"),
            unit="%",
            top=100,
        )
        # The scroll area has the focus so arrows scroll to the charts; 1–8 sort from anywhere.
        self.query_one("#stats-body").focus()

    def _fill(self) -> None:
        table = self.query_one("#topic-table", DataTable)
        table.clear()
        _, _, key = COLUMNS[self.sort_column]
        for s in sorted(self.stats, key=key, reverse=self.reverse):
            table.add_row(*(Text(cell(s)) for _, cell, _ in COLUMNS), key=s.topic_id)

    def action_sort(self, column: int) -> None:
        """1–8: sort by that column; the same key again reverses the order."""
        self.reverse = not self.reverse if column == self.sort_column else False
        self.sort_column = column
        self._fill()

    def action_back(self) -> None:
        """Back to home."""
        self.dismiss()
