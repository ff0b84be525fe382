"""What a mock exam is made of: plans, attempts as the candidate sees them, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from quizapp.db.study_repo import Scope
from quizapp.domain import exam, grading
from quizapp.domain.model import Question


class ExamError(Exception):
    """A plan that cannot be sat, with a message for the candidate."""


@dataclass(frozen=True, slots=True)
class ExamPlan:
    """What an exam will be: its questions per subject and its time."""

    blueprint: str
    title: str
    subjects: tuple[str, ...]
    wanted: int
    minutes: int
    seed: int
    draws: tuple[exam.Draw, ...]
    scope: Scope = field(default_factory=Scope)

    @property
    def total(self) -> int:
        """Questions actually drawn."""
        return sum(len(d.question_ids) for d in self.draws)

    @property
    def short(self) -> bool:
        """Whether the banks had fewer questions than the blueprint wants."""
        return any(d.short for d in self.draws)


@dataclass(frozen=True, slots=True)
class ExamQuestion:
    """One question of an attempt as the candidate sees it."""

    position: int
    question_id: int
    subject: str
    question: Question
    chosen: str | None
    flagged: bool

    @property
    def correct(self) -> bool:
        """Whether the chosen option is the key."""
        return self.chosen is not None and grading.is_correct(self.question, self.chosen)


@dataclass(frozen=True, slots=True)
class ExamState:
    """A running (or finished) attempt."""

    attempt_id: int
    blueprint: str
    title: str
    started_at: dt.datetime
    deadline_at: dt.datetime
    submitted_at: dt.datetime | None
    items: tuple[ExamQuestion, ...]

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        """Time left (never negative)."""
        return max(self.deadline_at - now, dt.timedelta(0))

    @property
    def answered(self) -> int:
        """Questions with an answer."""
        return sum(1 for i in self.items if i.chosen)

    @property
    def flagged(self) -> int:
        """Questions flagged for review."""
        return sum(1 for i in self.items if i.flagged)


@dataclass(frozen=True, slots=True)
class SubjectResult:
    """Score of one subject."""

    subject: str
    title: str
    correct: int
    total: int
    score: float


@dataclass(frozen=True, slots=True)
class TopicResult:
    """Right answers per syllabus area."""

    topic_id: str
    title: str
    correct: int
    total: int


@dataclass(frozen=True, slots=True)
class ExamReport:
    """Everything the report screen, `exam report` and `exam history` show."""

    state: ExamState
    auto_submitted: bool
    subjects: tuple[SubjectResult, ...]
    passed: bool
    time_used: dt.timedelta
    topics: tuple[TopicResult, ...]
    earlier: tuple[tuple[dt.datetime, dict[str, float], bool], ...]
