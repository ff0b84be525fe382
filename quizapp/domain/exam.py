"""Mock exams: drawing questions by topic weight, and scoring (pure functions)."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PoolQuestion:
    """A question that may be drawn: its subject (from its bank) and primary topic."""

    question_id: int
    subject: str
    topic: str


@dataclass(frozen=True, slots=True)
class Draw:
    """The questions drawn for one subject, and how many the blueprint wanted."""

    subject: str
    wanted: int
    question_ids: tuple[int, ...]

    @property
    def short(self) -> int:
        """How many questions are missing (0 when the bank had enough)."""
        return self.wanted - len(self.question_ids)


def allocate(
    wanted: int, available: Mapping[str, int], weights: Mapping[str, float]
) -> dict[str, int]:
    """Split ``wanted`` questions over topics by weight (largest remainder), within availability.

    A topic without enough questions gives its share to the others, heaviest first, so the
    exam is as large as the banks allow and as close to the weights as possible.
    """
    topics = [t for t, n in available.items() if n > 0]
    share = dict.fromkeys(topics, 0)
    remaining = min(wanted, sum(available[t] for t in topics))
    while remaining > 0:
        open_topics = [t for t in topics if share[t] < available[t]]
        total_w = sum(weights.get(t, 0.0) or 1.0 for t in open_topics)
        quotas = {t: remaining * (weights.get(t, 0.0) or 1.0) / total_w for t in open_topics}
        given = 0
        for t in open_topics:
            add = min(math.floor(quotas[t]), available[t] - share[t])
            share[t] += add
            given += add
        leftovers = sorted(
            open_topics,
            key=lambda t: (quotas[t] - math.floor(quotas[t]), weights.get(t, 0.0), t),
            reverse=True,
        )
        for t in leftovers:
            if given >= remaining:
                break
            if share[t] < available[t]:
                share[t] += 1
                given += 1
        remaining -= given
        if given == 0:
            break
    return share


def draw(
    pool: Sequence[PoolQuestion],
    subjects: Sequence[str],
    per_subject: int,
    weights: Mapping[str, float],
    seed: int,
) -> list[Draw]:
    """Draw ``per_subject`` questions for each subject, by topic weight, without repeats.

    The same pool, weights and seed always give the same exam.
    """
    rng = random.Random(seed)
    out = []
    for subject in subjects:
        by_topic: dict[str, list[int]] = {}
        for q in pool:
            if q.subject == subject:
                by_topic.setdefault(q.topic, []).append(q.question_id)
        for ids in by_topic.values():
            ids.sort()
        share = allocate(per_subject, {t: len(v) for t, v in by_topic.items()}, weights)
        chosen: list[int] = []
        for topic in sorted(share):
            chosen += rng.sample(by_topic[topic], share[topic])
        rng.shuffle(chosen)
        out.append(Draw(subject, per_subject, tuple(chosen)))
    return out


def scaled_minutes(minutes: int, wanted: int, actual: int) -> int:
    """Time for a shortened exam: the blueprint's pace, rounded up to a whole minute."""
    if wanted <= 0 or actual >= wanted:
        return minutes
    return max(1, math.ceil(minutes * actual / wanted))


def subject_score(correct: int, total: int, points: int = 100) -> float:
    """A subject's score out of ``points``, to one decimal (0 when it had no questions)."""
    return round(points * correct / total, 1) if total else 0.0
