"""Classical item analysis over mock-exam attempts (what Moodle's quiz statistics show).

Per question: the facility index (share of right answers), the discrimination index (the
point-biserial correlation between getting this item right and the rest of the exam score),
how often each option was chosen, and flags for items that look broken.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MIN_ATTEMPTS = 5  # below this, discrimination is not computed: it would be noise
STRONG_SHARE = 0.27  # Kelley's classic top group


@dataclass(frozen=True, slots=True)
class Response:
    """One candidate's answer to one item within one attempt."""

    attempt_id: int
    chosen: str | None
    correct: bool
    rest_score: float  # share right on the attempt's other items, 0–1


@dataclass(frozen=True, slots=True)
class ItemStats:
    """The analysis of one question."""

    question_id: int
    key: str
    answer: str
    responses: int
    facility: float | None
    discrimination: float | None
    choices: dict[str, int]
    flags: tuple[str, ...]


def point_biserial(correct: Sequence[bool], rest: Sequence[float]) -> float | None:
    """Correlation between a 0/1 item score and the rest score (None when undefined)."""
    n = len(correct)
    if n < 2:
        return None
    p = sum(correct) / n
    mean = sum(rest) / n
    sd = math.sqrt(sum((r - mean) ** 2 for r in rest) / n)
    if p in (0.0, 1.0) or sd == 0:
        return None
    mean_right = sum(r for r, c in zip(rest, correct, strict=True) if c) / sum(correct)
    mean_wrong = sum(r for r, c in zip(rest, correct, strict=True) if not c) / (n - sum(correct))
    return (mean_right - mean_wrong) / sd * math.sqrt(p * (1 - p))


def analyse(
    question_id: int, key: str, answer: str, labels: Sequence[str], responses: Sequence[Response]
) -> ItemStats:
    """Facility, discrimination, option counts and broken-item flags of one question."""
    n = len(responses)
    choices = Counter(r.chosen or "—" for r in responses)
    facility = sum(r.correct for r in responses) / n if n else None
    discrimination = None
    flags: list[str] = []
    if n >= MIN_ATTEMPTS:
        discrimination = point_biserial(
            [r.correct for r in responses], [r.rest_score for r in responses]
        )
        if discrimination is not None and discrimination < 0:
            flags.append("negative-discrimination")
        strong = sorted(responses, key=lambda r: r.rest_score, reverse=True)
        strong = strong[: max(1, round(n * STRONG_SHARE))]
        top = Counter(r.chosen for r in strong if r.chosen)
        if any(top[label] > top[answer] for label in labels if label != answer):
            flags.append("distractor-beats-key")
    return ItemStats(
        question_id,
        key,
        answer,
        n,
        facility,
        discrimination,
        {label: choices.get(label, 0) for label in [*labels, "—"]},
        tuple(flags),
    )
