"""Per-topic mastery and exam-day readiness (pure: plain data in, plain data out).

The expected chance of answering a question right on exam day is the predicted FSRS
retrievability R on that day plus a guess among the options for the rest:
``p = R + (1 − R) / n``; a question never studied is a pure guess, ``1 / n``. A subject's
readiness is the exam-weighted mean of its areas' expected scores, out of 100; an area with no
question in any bank counts as a guess, because the real exam will still ask about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.domain.model import Topic
from quizapp.domain.scheduling import CardState, retrievability

GUESS_OPTIONS = 4


@dataclass(frozen=True, slots=True)
class QuestionProgress:
    """What mastery needs to know about one question for one candidate."""

    question_id: int
    topics: tuple[str, ...]
    options: int
    card: CardState | None
    reviews: int = 0
    correct: int = 0
    recent_reviews: int = 0
    recent_correct: int = 0
    lapses: int = 0


def expected_correct(r: float | None, options: int = GUESS_OPTIONS) -> float:
    """Chance of a right answer given recall probability ``r`` (None: never studied)."""
    guess = 1.0 / max(options, 1)
    return guess if r is None else r + (1.0 - r) * guess


@dataclass(frozen=True, slots=True)
class TopicStats:
    """One syllabus area for one candidate."""

    topic_id: str
    title: str
    subject: str
    weight: float
    total: int
    seen: int
    reviews: int
    correct: int
    recent_reviews: int
    recent_correct: int
    lapses: int
    retrievability_now: float | None
    retrievability_exam: float | None
    expected: float
    title_en: str = ""

    @property
    def accuracy(self) -> float | None:
        """All-time share of right answers (None before any answer)."""
        return self.correct / self.reviews if self.reviews else None

    @property
    def recent_accuracy(self) -> float | None:
        """Share of right answers in the recent window (None without recent answers)."""
        return self.recent_correct / self.recent_reviews if self.recent_reviews else None


@dataclass(frozen=True, slots=True)
class Readiness:
    """Expected exam-day score of one subject, out of 100, against its pass mark."""

    subject: str
    title: str
    score: float
    pass_mark: float
    questions: int
    seen: int

    @property
    def passing(self) -> bool:
        """Whether the expected score reaches the pass mark."""
        return self.score >= self.pass_mark


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def topic_stats(
    progress: Sequence[QuestionProgress],
    topics: Sequence[Topic],
    now: dt.datetime,
    exam_at: dt.datetime | None,
    horizon: dt.timedelta = dt.timedelta(days=14),
) -> list[TopicStats]:
    """Stats of every area (topics with a parent); a question counts in each of its areas.

    The expected score is predicted at the exam, or ``horizon`` from now when there is no exam
    date: recall right after a review is always near 100%, even for a question just failed, so
    "now" would reward wrong answers.
    """
    out = []
    for topic in topics:
        if topic.parent_id is None:
            continue
        qs = [p for p in progress if topic.id in p.topics]
        seen = [p for p in qs if p.card is not None]
        r_now = [retrievability(p.card, now) if p.correct else 0.0 for p in seen if p.card]
        when = exam_at or now + horizon
        # A question never answered right has shown no memory to forget: it stays a guess.
        r_exam = {p.question_id: retrievability(p.card, when) for p in seen if p.card and p.correct}
        expected = _mean([expected_correct(r_exam.get(p.question_id), p.options) for p in qs])
        out.append(
            TopicStats(
                topic_id=topic.id,
                title=topic.title_zh,
                subject=topic.parent_id,
                weight=topic.exam_weight,
                total=len(qs),
                seen=len(seen),
                reviews=sum(p.reviews for p in qs),
                correct=sum(p.correct for p in qs),
                recent_reviews=sum(p.recent_reviews for p in qs),
                recent_correct=sum(p.recent_correct for p in qs),
                lapses=sum(p.lapses for p in qs),
                retrievability_now=_mean(r_now),
                retrievability_exam=(
                    _mean([r_exam.get(p.question_id, 0.0) for p in seen]) if exam_at else None
                ),
                expected=expected if expected is not None else expected_correct(None),
                title_en=topic.title_en,
            )
        )
    return out


def readiness(
    stats: Sequence[TopicStats],
    subjects: Sequence[Topic],
    progress: Sequence[QuestionProgress],
    pass_mark: float = 70.0,
) -> list[Readiness]:
    """Expected score per subject: exam-weighted mean of its areas' expected scores × 100.

    ``progress`` gives the distinct question counts (a question in two areas counts once).
    """
    out = []
    for subject in subjects:
        areas = [s for s in stats if s.subject == subject.id]
        area_ids = {s.topic_id for s in areas}
        mine = [p for p in progress if area_ids.intersection(p.topics)]
        # Exam weights as given; if a subject has none at all, its areas count equally.
        weights = [s.weight for s in areas] if any(s.weight for s in areas) else [1.0] * len(areas)
        total = sum(weights) or 1.0
        score = sum(w * s.expected for w, s in zip(weights, areas, strict=True)) / total * 100
        out.append(
            Readiness(
                subject=subject.id,
                title=subject.title_zh,
                score=round(score, 1),
                pass_mark=pass_mark,
                questions=len(mine),
                seen=sum(1 for p in mine if p.card is not None),
            )
        )
    return out


def weakest(stats: Sequence[TopicStats], n: int = 5) -> list[TopicStats]:
    """The ``n`` areas with the lowest expected exam-day score among those with questions.

    Ties (e.g. all unseen) go to the heavier exam weight first: it costs more points.
    """
    asked = [s for s in stats if s.total > 0]
    return sorted(asked, key=lambda s: (s.expected, -s.weight, s.topic_id))[:n]
