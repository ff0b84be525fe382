"""Queue policy: which question to ask next (pure functions over plain data).

Order (see docs/scheduling.md): due reviews, lowest retrievability first; then, when the exam
is near, cards predicted to be below the desired retention on exam day; then new questions,
interleaved across topics in proportion to the exam's topic weights, up to the daily limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from quizapp.domain.scheduling import DESIRED_RETENTION, CardState, retrievability

K = TypeVar("K")


def interleave_by_weight(
    groups: Mapping[str, Sequence[K]], weights: Mapping[str, float]
) -> list[K]:
    """Merge per-topic lists so topics appear in proportion to their weight.

    Smooth weighted round-robin: every step each non-empty topic gains its weight, the one with
    the most credit gives its next item and pays the total back. Deterministic, and a topic of
    weight 20 comes up twice as often as one of weight 10. Missing or zero weights count as 1.
    """
    queues = {t: list(items) for t, items in groups.items() if items}
    credit = dict.fromkeys(queues, 0.0)
    out: list[K] = []
    while queues:
        total = 0.0
        for topic in queues:
            w = weights.get(topic, 0.0) or 1.0
            credit[topic] += w
            total += w
        best = max(queues, key=lambda t: (credit[t], t))
        credit[best] -= total
        out.append(queues[best].pop(0))
        if not queues[best]:
            del queues[best], credit[best]
    return out


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question that could be asked: its primary topic, FSRS state and star."""

    question_id: int
    topic: str
    card: CardState | None
    starred: bool = False


MODES = ("all", "due", "new", "weak", "starred")
EXAM_FOCUS_DAYS = 30


def plan_queue(
    candidates: Sequence[Candidate],
    *,
    mode: str,
    now: dt.datetime,
    new_limit: int | None,
    weights: Mapping[str, float],
    exam_at: dt.datetime | None = None,
    weak_topics: Sequence[str] = (),
) -> list[int]:
    """The order in which to ask ``candidates`` (given in bank order) for a practice mode.

    - ``due``: due reviews, lowest retrievability now first.
    - ``new``: never-seen questions, interleaved by topic weight, at most ``new_limit``.
    - ``all``: due, then (within EXAM_FOCUS_DAYS of the exam) cards predicted below the desired
      retention on exam day, weakest first, then new.
    - ``weak``: only the ``weak_topics``: due, then seen cards below the desired retention
      now, then every new question of those topics (no daily limit: the candidate asked).
    - ``starred``: starred questions, unseen and least retrievable first.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (use {', '.join(MODES)})")
    if mode == "weak":
        wanted = set(weak_topics)
        candidates = [c for c in candidates if c.topic in wanted]
        new_limit = None

    def r_at(when: dt.datetime) -> Callable[[Candidate], float]:
        return lambda c: retrievability(c.card, when) if c.card else -1.0

    if mode == "starred":
        return [c.question_id for c in sorted((c for c in candidates if c.starred), key=r_at(now))]
    seen = [c for c in candidates if c.card is not None]
    due = sorted((c for c in seen if c.card and c.card.due <= now), key=r_at(now))
    due_ids = [c.question_id for c in due]
    if mode == "due":
        return due_ids
    fresh: dict[str, list[int]] = {}
    for c in candidates:
        if c.card is None:
            fresh.setdefault(c.topic, []).append(c.question_id)
    new_ids = interleave_by_weight(fresh, weights)
    if new_limit is not None:
        new_ids = new_ids[: max(0, new_limit)]
    if mode == "new":
        return new_ids
    later = [c for c in seen if c.card and c.card.due > now]
    if mode == "weak":
        shaky = sorted(
            (c for c in later if retrievability(c.card, now) < DESIRED_RETENTION),  # type: ignore[arg-type]
            key=r_at(now),
        )
        return due_ids + [c.question_id for c in shaky] + new_ids
    at_risk: list[int] = []
    if exam_at is not None and now < exam_at <= now + dt.timedelta(days=EXAM_FOCUS_DAYS):
        risky = [c for c in later if retrievability(c.card, exam_at) < DESIRED_RETENTION]  # type: ignore[arg-type]
        at_risk = [c.question_id for c in sorted(risky, key=r_at(exam_at))]
    return due_ids + at_risk + new_ids
