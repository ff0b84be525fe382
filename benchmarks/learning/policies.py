"""Study policies at a fixed number of answers a day: the app's (through its real services) and
the naive baselines it must beat (random order, bank order, Leitner, plain FSRS).

A policy picks the next question (``next``), grades the learner's response (``answer``) and, for
the app only, reports what it would show the candidate (``probe``: weak topics and readiness).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from fsrs import Card, Rating, Scheduler

from benchmarks.learning.protocol import Response, SimQuestion
from quizapp.services.context import open_database
from quizapp.services.progress import ProgressService
from quizapp.services.session import PracticeSession
from quizapp.services.settings import UserSettings
from quizapp.services.study import StudyService


@dataclass(frozen=True, slots=True)
class Probe:
    """What the app shows on a given day: its five weakest areas and readiness per subject.

    ``readiness`` is the expected score of a mock taken now, ``exam_day`` the app's projection
    for exam day if the candidate stopped studying now.
    """

    weakest: tuple[str, ...]
    readiness: dict[str, float]
    readiness_low: dict[str, float]
    readiness_high: dict[str, float]
    exam_day: dict[str, float | None]


class Policy(Protocol):
    """One way of choosing questions."""

    def start_day(self, now: dt.datetime) -> None:
        """A new day's sitting begins."""
        ...

    def next(self, now: dt.datetime) -> int | None:
        """The id of the next question to ask (None: the policy has nothing to ask)."""
        ...

    def answer(self, question: SimQuestion, response: Response, now: dt.datetime) -> bool:
        """Record the response; True when it was right."""
        ...

    def probe(self, now: dt.datetime) -> Probe | None:
        """Weak topics and readiness as the app would show them (None for baselines)."""
        ...

    def close(self) -> None:
        """Release what the policy holds."""
        ...


def _right(question: SimQuestion, response: Response) -> bool:
    return tuple(sorted(response.chosen)) == tuple(sorted(question.answer))


class _Baseline:
    """Shared bookkeeping of the pure-Python baselines."""

    def __init__(self, questions: Sequence[SimQuestion], seed: int) -> None:
        self.questions = list(questions)
        self.rng = random.Random(seed)

    def start_day(self, now: dt.datetime) -> None:
        """Nothing to prepare by default."""

    def probe(self, now: dt.datetime) -> Probe | None:
        """Baselines show nothing."""
        return None

    def close(self) -> None:
        """Baselines hold nothing."""

    def answer(self, question: SimQuestion, response: Response, now: dt.datetime) -> bool:
        """Grade; subclasses also update their state."""
        return _right(question, response)


class RandomOrder(_Baseline):
    """Shuffled passes over the whole bank, reshuffled each pass."""

    def __init__(self, questions: Sequence[SimQuestion], seed: int) -> None:
        super().__init__(questions, seed)
        self.order: list[int] = []

    def next(self, now: dt.datetime) -> int | None:
        """The next question of the current shuffled pass."""
        if not self.order:
            self.order = [q.id for q in self.questions]
            self.rng.shuffle(self.order)
        return self.order.pop()


class BankOrder(_Baseline):
    """The bank from top to bottom, again and again."""

    def __init__(self, questions: Sequence[SimQuestion], seed: int) -> None:
        super().__init__(questions, seed)
        self.position = 0

    def next(self, now: dt.datetime) -> int | None:
        """The next question in bank order."""
        q = self.questions[self.position % len(self.questions)]
        self.position += 1
        return q.id


class Leitner(_Baseline):
    """Five boxes reviewed after 1, 2, 4, 8, 16 days; due boxes first, then new, then ahead."""

    INTERVALS = (1, 2, 4, 8, 16)

    def __init__(self, questions: Sequence[SimQuestion], seed: int) -> None:
        super().__init__(questions, seed)
        self.box: dict[int, int] = {}
        self.due: dict[int, dt.datetime] = {}
        self.today: set[int] = set()

    def start_day(self, now: dt.datetime) -> None:
        """Forget what was asked yesterday."""
        self.today = set()

    def next(self, now: dt.datetime) -> int | None:
        """Due cards (lowest box first), then new in bank order, then the soonest due."""
        due = sorted(
            (q for q, at in self.due.items() if at <= now and q not in self.today),
            key=lambda q: (self.box[q], self.due[q]),
        )
        if due:
            return due[0]
        fresh = next((q.id for q in self.questions if q.id not in self.box), None)
        if fresh is not None:
            return fresh
        ahead = sorted((q for q in self.due if q not in self.today), key=lambda q: self.due[q])
        return ahead[0] if ahead else None

    def answer(self, question: SimQuestion, response: Response, now: dt.datetime) -> bool:
        """Right: one box up; wrong: back to box 1."""
        ok = _right(question, response)
        box = min(len(self.INTERVALS), self.box.get(question.id, 0) + 1) if ok else 1
        self.box[question.id] = box
        self.due[question.id] = now + dt.timedelta(days=self.INTERVALS[box - 1], hours=-2)
        self.today.add(question.id)
        return ok


class PlainFsrs(_Baseline):
    """FSRS with its defaults and no exam date: due first, then new in bank order, then ahead."""

    def __init__(self, questions: Sequence[SimQuestion], seed: int) -> None:
        super().__init__(questions, seed)
        self.scheduler = Scheduler(enable_fuzzing=False)
        self.cards: dict[int, Card] = {}

    def next(self, now: dt.datetime) -> int | None:
        """Due (learning steps included), then new, then the soonest due card."""
        due = sorted(
            (q for q, c in self.cards.items() if c.due <= now), key=lambda q: self.cards[q].due
        )
        if due:
            return due[0]
        fresh = next((q.id for q in self.questions if q.id not in self.cards), None)
        if fresh is not None:
            return fresh
        return min(self.cards, key=lambda q: self.cards[q].due) if self.cards else None

    def answer(self, question: SimQuestion, response: Response, now: dt.datetime) -> bool:
        """Again when wrong, Hard when a marked guess, Good otherwise (the app's own rule)."""
        ok = _right(question, response)
        rating = Rating.Again if not ok else Rating.Hard if response.guessed else Rating.Good
        card = self.cards.get(question.id) or Card(card_id=question.id, due=now)
        self.cards[question.id], _ = self.scheduler.review_card(card, rating, now)
        return ok


class AppPolicy:
    """quizapp's own policy, driven through its real services on a copy of a database."""

    def __init__(self, template: Path, workdir: Path, exam_day: dt.date, per_day: int) -> None:
        self.now = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        path = workdir / "app.sqlite3"
        shutil.copy(template, path)
        self.db = open_database(f"sqlite:///{path}", clock=lambda: self.now, load_bundled=False)
        self.user = "sim"
        settings = UserSettings(self.db, StudyService(self.db, self.user).user_id)
        settings.set_exam_date(exam_day)
        settings.set_int("daily_goal", per_day)
        self.session: PracticeSession | None = None

    def start_day(self, now: dt.datetime) -> None:
        """Open the app: a new practice session in the default mode."""
        self.now = now
        self.session = PracticeSession(StudyService(self.db, self.user))

    def next(self, now: dt.datetime) -> int | None:
        """Whatever the practice screen would ask next."""
        self.now = now
        assert self.session is not None
        item = self.session.next()
        return item.question_id if item else None

    def answer(self, question: SimQuestion, response: Response, now: dt.datetime) -> bool:
        """Answer through the service, as the practice screen does."""
        self.now = now
        assert self.session is not None
        result = self.session.answer(
            response.chosen, duration_ms=response.duration_ms, guessed=response.guessed
        )
        return result.correct

    def probe(self, now: dt.datetime) -> Probe | None:
        """The home screen's weakest areas and readiness."""
        self.now = now
        overview = ProgressService(self.db, self.user).overview()
        return Probe(
            weakest=tuple(t.topic_id for t in overview.weakest),
            readiness={r.subject: r.score for r in overview.readiness},
            readiness_low={r.subject: r.low for r in overview.readiness},
            readiness_high={r.subject: r.high for r in overview.readiness},
            exam_day={r.subject: r.exam_day for r in overview.readiness},
        )

    def close(self) -> None:
        """Release the database."""
        self.db.engine.dispose()


BASELINES: dict[str, Callable[[Sequence[SimQuestion], int], Policy]] = {
    "random": RandomOrder,
    "bank": BankOrder,
    "leitner": Leitner,
    "fsrs": PlainFsrs,
}
