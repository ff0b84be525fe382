"""Per-topic knowledge, weak topics and readiness (pure: plain data in, plain data out).

Measured against simulated learners in docs/learning.md; the rules, in short:

- **A question's chance of a right answer** at a moment: ``g + (1 − g) · R(k · t)``, with R
  FSRS's forgetting curve and k the candidate's own time scale fitted on their answers
  (``calibration``), so R is recall and the guess g is counted once, as the answers show it.
  An unseen question is predicted from what the candidate showed on *first* answers in its
  area (shrunk towards the candidate's overall first-answer accuracy, itself towards a guess).
- **Weak topics** rank areas by knowledge: recency-weighted accuracy (half-life a week) shrunk
  towards the candidate's overall accuracy by the number of answers, so an area is weak because
  its answers say so, not because it has few of them. Areas without answers are not ranked.
- **Readiness** is the expected score of a blueprint mock taken now (areas weighted by the exam),
  with an 80 % interval for an actual 50-question paper; the verdict applies the real rule
  (average ≥ 70, no subject below 60, from ``blueprints.toml``) with its probability.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.domain.blueprint import ExamRules
from quizapp.domain.model import Topic
from quizapp.domain.scheduling import CardState, elapsed_days, retrievability

GUESS_OPTIONS = 4
HALF_LIFE_DAYS = 7.0  # recent answers say more about what the candidate knows now
AREA_PRIOR_ANSWERS = 5.0  # answers' worth of weight of the overall accuracy in each area
GLOBAL_PRIOR_ANSWERS = 4.0  # answers' worth of a guess in the overall first-answer accuracy
MOCK_QUESTIONS = 50
MODEL_SD = 0.05  # per-question uncertainty of a studied question's prediction
Z80 = 1.2816


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
    first_correct: bool | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer in the recent log: which question, right or not, when."""

    question_id: int
    correct: bool
    at: dt.datetime


def expected_correct(r: float | None, options: int = GUESS_OPTIONS) -> float:
    """Chance of a right answer from recall probability ``r`` (None: never studied)."""
    guess = 1.0 / max(options, 1)
    return guess if r is None else r + (1.0 - r) * guess


@dataclass(frozen=True, slots=True)
class Prior:
    """Predicted chance of a right *first* answer in an area, and its uncertainty."""

    mean: float
    sd: float
    answers: int


def first_answer_priors(
    progress: Sequence[QuestionProgress], areas: Sequence[str]
) -> dict[str, Prior]:
    """Per area, what a first answer to an unseen question is predicted to score.

    Beta-binomial shrinkage at two levels: the candidate's overall first-answer accuracy
    towards a guess, each area's towards the overall one.
    """
    firsts = [p for p in progress if p.first_correct is not None]
    right = sum(1 for p in firsts if p.first_correct)
    guess = 1.0 / GUESS_OPTIONS
    overall = (right + GLOBAL_PRIOR_ANSWERS * guess) / (len(firsts) + GLOBAL_PRIOR_ANSWERS)
    out = {}
    for area in areas:
        mine = [p for p in firsts if area in p.topics]
        k = sum(1 for p in mine if p.first_correct)
        n = len(mine) + AREA_PRIOR_ANSWERS
        mean = (k + AREA_PRIOR_ANSWERS * overall) / n
        out[area] = Prior(mean, math.sqrt(mean * (1 - mean) / (n + 1)), len(mine))
    return out


def predict(p: QuestionProgress, when: dt.datetime, prior: float, time_scale: float = 1.0) -> float:
    """Chance of a right answer to ``p`` at ``when`` with no study in between."""
    if p.card is None or p.reviews == 0:
        return prior
    studied = expected_correct(retrievability(p.card, when, time_scale), p.options)
    # Never answered right: the answers so far say it was not known, so seeing the key cannot
    # make it predict better than an unseen question of its area (a wrong answer never helps).
    return studied if p.correct else min(studied, prior)


@dataclass(frozen=True, slots=True)
class TopicStats:
    """One syllabus area for one candidate.

    ``expected_now`` / ``expected``: the mean predicted chance of a right answer now and on exam
    day (or in two weeks) without more study; ``prior_sd`` the uncertainty of the prediction for
    its unseen questions. ``knowledge``: the shrunk recency-weighted accuracy weak topics rank
    by (None before any answer), ``evidence`` the weight of answers behind it and ``overall``
    the candidate's accuracy it is compared with.
    """

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
    expected_now: float = 0.25
    knowledge: float | None = None
    evidence: float = 0.0
    overall: float | None = None
    prior_sd: float = 0.0

    @property
    def accuracy(self) -> float | None:
        """All-time share of right answers (None before any answer)."""
        return self.correct / self.reviews if self.reviews else None

    @property
    def recent_accuracy(self) -> float | None:
        """Share of right answers in the recent window (None without recent answers)."""
        return self.recent_correct / self.recent_reviews if self.recent_reviews else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _weighted_accuracy(answers: Sequence[Answer], now: dt.datetime) -> tuple[float, float]:
    """(weighted right answers, total weight), each answer weighted by its age."""
    right = total = 0.0
    for a in answers:
        w = 0.5 ** (elapsed_days(a.at, now) / HALF_LIFE_DAYS)
        total += w
        right += w * a.correct
    return right, total


def topic_stats(
    progress: Sequence[QuestionProgress],
    topics: Sequence[Topic],
    now: dt.datetime,
    exam_at: dt.datetime | None,
    horizon: dt.timedelta = dt.timedelta(days=14),
    answers: Sequence[Answer] = (),
    time_scale: float = 1.0,
) -> list[TopicStats]:
    """Stats of every area (topics with a parent); a question counts in each of its areas.

    ``time_scale`` is the candidate's fitted forgetting speed (1.0: FSRS's defaults).
    """
    areas = [t for t in topics if t.parent_id is not None]
    priors = first_answer_priors(progress, [t.id for t in areas])
    when = exam_at or now + horizon
    topics_of = {p.question_id: p.topics for p in progress}
    right_all, weight_all = _weighted_accuracy(answers, now)
    overall = right_all / weight_all if weight_all else None
    out = []
    for topic in areas:
        qs = [p for p in progress if topic.id in p.topics]
        seen = [p for p in qs if p.card is not None and p.reviews]
        # An area with no question in any bank is still on the exam: a guess.
        prior = priors[topic.id].mean if qs else 1.0 / GUESS_OPTIONS
        mine = [a for a in answers if topic.id in topics_of.get(a.question_id, ())]
        right, weight = _weighted_accuracy(mine, now)
        knowledge = None
        if overall is not None:
            knowledge = (right + AREA_PRIOR_ANSWERS * overall) / (weight + AREA_PRIOR_ANSWERS)
        # A question never answered right has shown no memory: 0, not the ~100 % FSRS gives
        # any card right after a review (a wrong answer would look remembered).
        r_now = [
            retrievability(p.card, now, time_scale) if p.correct else 0.0 for p in seen if p.card
        ]
        r_exam = [
            retrievability(p.card, when, time_scale) if p.correct else 0.0 for p in seen if p.card
        ]
        out.append(
            TopicStats(
                topic_id=topic.id,
                title=topic.title_zh,
                subject=topic.parent_id or "",
                weight=topic.exam_weight,
                total=len(qs),
                seen=len(seen),
                reviews=sum(p.reviews for p in qs),
                correct=sum(p.correct for p in qs),
                recent_reviews=sum(p.recent_reviews for p in qs),
                recent_correct=sum(p.recent_correct for p in qs),
                lapses=sum(p.lapses for p in qs),
                retrievability_now=_mean(r_now),
                retrievability_exam=_mean(r_exam) if exam_at else None,
                expected=_mean([predict(p, when, prior, time_scale) for p in qs]) or prior,
                title_en=topic.title_en,
                expected_now=_mean([predict(p, now, prior, time_scale) for p in qs]) or prior,
                knowledge=knowledge if weight > 0 else None,
                evidence=weight,
                overall=overall,
                prior_sd=priors[topic.id].sd,
            )
        )
    return out


def weakest(stats: Sequence[TopicStats], n: int = 5) -> list[TopicStats]:
    """The ``n`` areas the candidate knows least, among those with answers to judge by.

    Empty before any answer: ranking guesses would only name the heaviest areas.
    Ties go to the heavier exam weight first: it costs more points.
    """
    judged = [s for s in stats if s.total > 0 and s.knowledge is not None]
    return sorted(judged, key=lambda s: (s.knowledge or 0.0, -s.weight, s.topic_id))[:n]


@dataclass(frozen=True, slots=True)
class Readiness:
    """Expected score of one subject on a mock taken now, out of 100, with an 80 % interval.

    ``exam_day``: the expected score on exam day if the candidate stopped studying now (None
    without an exam date). ``pass_mark`` is the subject minimum of the real rule.
    """

    subject: str
    title: str
    score: float
    pass_mark: float
    questions: int
    seen: int
    low: float = 0.0
    high: float = 100.0
    exam_day: float | None = None

    @property
    def passing(self) -> bool:
        """Whether the expected score reaches the subject's minimum."""
        return self.score >= self.pass_mark


@dataclass(frozen=True, slots=True)
class Verdict:
    """The real pass rule over all subjects: average and minimum, and how likely a pass is."""

    average: float
    passing: bool
    p_pass: float
    pass_average: float
    pass_min_subject: float


def _subject_figures(
    areas: Sequence[TopicStats], value: Callable[[TopicStats], float]
) -> tuple[float, float]:
    """(expected score 0–1, sd of a 50-question paper's score) of a subject's areas.

    ``value`` is an area's expected chance of a right answer (now, or on exam day). A subject
    with no area is a guess.
    """
    if not areas:
        return 1.0 / GUESS_OPTIONS, 0.0
    # Exam weights as given; if a subject has none at all, its areas count equally.
    weights = [s.weight for s in areas] if any(s.weight for s in areas) else [1.0] * len(areas)
    total = sum(weights) or 1.0
    score = sum(w * value(s) for w, s in zip(weights, areas, strict=True)) / total
    var_est = 0.0
    for w, s in zip(weights, areas, strict=True):
        if s.total == 0:
            continue
        unseen = (s.total - s.seen) / s.total
        studied = s.seen / s.total
        var_est += (w / total) ** 2 * ((unseen * s.prior_sd) ** 2 + (studied * MODEL_SD) ** 2)
    var_paper = score * (1 - score) / MOCK_QUESTIONS
    return score, math.sqrt(var_est + var_paper)


def readiness(
    stats: Sequence[TopicStats],
    subjects: Sequence[Topic],
    progress: Sequence[QuestionProgress],
    rules: ExamRules | None = None,
    exam_at: dt.datetime | None = None,
) -> list[Readiness]:
    """Expected mock score per subject now (and on exam day without more study).

    ``progress`` gives the distinct question counts (a question in two areas counts once).
    """
    rules = rules or ExamRules()
    out = []
    for subject in subjects:
        areas = [s for s in stats if s.subject == subject.id]
        area_ids = {s.topic_id for s in areas}
        mine = [p for p in progress if area_ids.intersection(p.topics)]
        score, sd = _subject_figures(areas, lambda s: s.expected_now)
        exam_day = None
        if exam_at is not None and areas:
            exam_day = round(_subject_figures(areas, lambda s: s.expected)[0] * 100, 1)
        out.append(
            Readiness(
                subject=subject.id,
                title=subject.title_zh,
                score=round(score * 100, 1),
                pass_mark=rules.pass_min_subject,
                questions=len(mine),
                seen=sum(1 for p in mine if p.card is not None),
                low=round(max(0.0, score - Z80 * sd) * 100, 1),
                high=round(min(1.0, score + Z80 * sd) * 100, 1),
                exam_day=exam_day,
            )
        )
    return out


def verdict(ready: Sequence[Readiness], rules: ExamRules, draws: int = 2000) -> Verdict:
    """The pass rule applied to the expected scores, and P(pass) over the intervals.

    Each subject's paper score is taken as normal around its expected score with the sd its
    80 % interval implies; a fixed seed keeps the figure stable between refreshes.
    """
    scores = [r.score for r in ready]
    if not scores:
        return Verdict(0.0, False, 0.0, rules.pass_average, rules.pass_min_subject)
    rng = random.Random(0)
    sds = [max(0.1, (r.high - r.low) / (2 * Z80)) for r in ready]
    passes = 0
    for _ in range(draws):
        draw = [rng.gauss(s, sd) for s, sd in zip(scores, sds, strict=True)]
        passes += rules.passed(draw)
    return Verdict(
        average=round(sum(scores) / len(scores), 1),
        passing=rules.passed(scores),
        p_pass=passes / draws,
        pass_average=rules.pass_average,
        pass_min_subject=rules.pass_min_subject,
    )
