"""Queue policy: which question to ask next (pure functions over plain data).

The engine exists to raise the expected score on one exam date with a fixed number of answers a
day (docs/scheduling.md, measured in docs/learning.md). In the default mode ``all``:

1. **Coverage first.** A question never seen scores little better than a guess on exam day, so
   every day's first answers mix in the pace of new questions that sees the whole scope a week
   before the exam. New questions go to the area with the smallest share seen so far, so no
   area is starved and the mix carries over between sessions.
2. **Then the largest expected gain.** Everything else in scope (due reviews, review-ahead and
   further new questions) is ordered by how much one answer now is predicted to add to the
   chance of a right answer on exam day (FSRS's forgetting curve before and after the answer,
   with the candidate's fitted time scale). Exam-day risk orders the reviews; it never pushes
   new questions out. Until the time scale is fitted, due reviews come first, then new
   questions up to ``new-per-day``, then the rest by gain.
3. **Nothing re-asked for nothing.** A question answered today is not planned again today (a
   wrong answer is due the next day), nor one recalled at ≥ 0.95.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from quizapp.domain.scheduling import (
    CardState,
    predicted_after_review,
    retrievability,
)

K = TypeVar("K")

MODES = ("all", "due", "new", "weak", "starred")
NO_EXAM_HORIZON = dt.timedelta(days=30)  # what "exam day" means for a candidate without a date
RECALLED = 0.95  # above this, one more answer now buys almost nothing
GOOD = 3
REVIEW_WEEK = 7  # days before the exam kept free of new questions


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question that could be asked: its primary topic, FSRS state and star."""

    question_id: int
    topic: str
    card: CardState | None
    starred: bool = False
    options: int = 4


def interleave_by_coverage(
    groups: Mapping[str, Sequence[K]],
    seen: Mapping[str, int],
    weights: Mapping[str, float],
) -> list[K]:
    """Merge per-area lists of new questions so that every area's seen share grows evenly.

    Each step takes the next question (bank order within an area) of the area with the lowest
    share of its questions seen, counting those already seen before (``seen``) and those taken
    earlier in this list; ties go to the heavier exam weight. Because the state is the seen
    counts themselves, the mix carries over from one session to the next.
    """
    queues = {t: list(items) for t, items in groups.items() if items}
    taken = {t: seen.get(t, 0) for t in queues}
    total = {t: seen.get(t, 0) + len(items) for t, items in queues.items()}
    out: list[K] = []
    while queues:
        best = min(queues, key=lambda t: (taken[t] / total[t], -weights.get(t, 0.0), t))
        out.append(queues[best].pop(0))
        taken[best] += 1
        if not queues[best]:
            del queues[best]
    return out


def new_pace(unseen_at_day_start: int, days_left: int | None) -> int:
    """New questions a day that see ``unseen_at_day_start`` before the exam's last days.

    The last week is kept for reviews, so that the last new questions get a review before the
    exam too; within a week of the exam, everything left is due today. A fixed week, not a
    share of what is left: a share would move the deadline back every day and the last new
    question would land on the eve of the exam. Without an exam date there is no pace.
    """
    if days_left is None or unseen_at_day_start <= 0:
        return 0
    reserve = REVIEW_WEEK
    return math.ceil(unseen_at_day_start / max(1, days_left - reserve))


def gain(
    card: CardState | None,
    now: dt.datetime,
    target: dt.datetime,
    options: int,
    time_scale: float = 1.0,
) -> float:
    """Predicted rise in the chance of a right answer at ``target`` from answering now.

    A seen card: exam-day retrievability after a right answer now, minus without it (low
    recall now gives the largest rise, as in FSRS's stability model). A new question: from a
    guess to what one study now leaves on exam day. Scaled to right answers on a question of
    ``options`` options (a forgotten answer can still be guessed).
    """
    guess = 1.0 / max(options, 1)
    before = retrievability(card, target, time_scale) if card else 0.0
    after = predicted_after_review(card, GOOD, now, target, time_scale)
    return max(0.0, after - before) * (1.0 - guess)


def _days_left(now: dt.datetime, exam_at: dt.datetime | None) -> int | None:
    if exam_at is None or exam_at <= now:
        return None
    return max(1, math.ceil((exam_at - now).total_seconds() / 86400))


def _spread(items: list[K], through: list[K]) -> list[K]:
    """``items`` spread evenly through ``through`` (the first item first), order kept in both."""
    if not items:
        return through
    size = len(items) + len(through)
    slots = {math.floor(i * size / len(items)) for i in range(len(items))}
    mine, theirs = iter(items), iter(through)
    return [next(mine) if pos in slots else next(theirs) for pos in range(size)]


@dataclass(frozen=True, slots=True)
class DayContext:
    """What the plan needs to know about the candidate's day.

    ``day_start`` is local midnight; ``new_today`` the questions first seen since then;
    ``new_per_day`` the new questions a day before extra new ones compete by gain (and, until
    the time scale is fitted, after the due reviews); ``daily_goal`` the
    answers a day the candidate means to give (the span the quota is spread over).
    """

    day_start: dt.datetime
    new_today: int = 0
    new_per_day: int = 20
    daily_goal: int = 30


def plan_queue(
    candidates: Sequence[Candidate],
    *,
    mode: str,
    now: dt.datetime,
    weights: Mapping[str, float],
    day: DayContext | None = None,
    exam_at: dt.datetime | None = None,
    weak_topics: Sequence[str] = (),
    new_limit: int | None = None,
    time_scale: float = 1.0,
    exam_by_gain: bool = True,
) -> list[int]:
    """The order in which to ask ``candidates`` (given in bank order) for a practice mode.

    - ``all``: today's new-question quota (coverage pace) spread through the first answers,
      then everything else by expected exam-day gain (see the module docstring).
    - ``due``: due reviews, most at risk on exam day first.
    - ``new``: never-seen questions by area coverage, at most ``new_limit`` (None: all).
    - ``weak``: only the ``weak_topics``, ordered as ``all`` with no new-question quota.
    - ``starred``: starred questions, unseen and least retrievable first.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (use {', '.join(MODES)})")
    day = day or DayContext(day_start=now - dt.timedelta(days=1))
    target = exam_at if exam_at is not None and exam_at > now else now + NO_EXAM_HORIZON

    def r_at(when: dt.datetime) -> Callable[[Candidate], float]:
        return lambda c: retrievability(c.card, when) if c.card else -1.0

    if mode == "starred":
        return [c.question_id for c in sorted((c for c in candidates if c.starred), key=r_at(now))]
    if mode == "weak":
        wanted = set(weak_topics)
        candidates = [c for c in candidates if c.topic in wanted]
    seen_by_area: dict[str, int] = {}
    fresh: dict[str, list[int]] = {}
    for c in candidates:
        if c.card is None:
            fresh.setdefault(c.topic, []).append(c.question_id)
        else:
            seen_by_area[c.topic] = seen_by_area.get(c.topic, 0) + 1
    new_ids = interleave_by_coverage(fresh, seen_by_area, weights)
    if mode == "due":
        due = [c for c in candidates if c.card is not None and c.card.due <= now]
        return [c.question_id for c in sorted(due, key=r_at(target))]
    if mode == "new":
        return new_ids if new_limit is None else new_ids[: max(0, new_limit)]
    # A card answered today waits until it is due again (tomorrow at the earliest); one
    # recalled at ≥ RECALLED now gains nearly nothing from another answer.
    reviews = [
        c
        for c in candidates
        if c.card is not None
        and (
            c.card.due <= now
            or (
                (c.card.last_review is None or c.card.last_review < day.day_start)
                and retrievability(c.card, now, time_scale) < RECALLED
            )
        )
    ]
    scored = [(gain(c.card, now, target, c.options, time_scale), c.question_id) for c in reviews]
    quota = allowance = 0
    if mode == "all":
        pace = new_pace(len(new_ids) + day.new_today, _days_left(now, exam_at))
        quota = max(0, pace - day.new_today)
        allowance = max(0, max(day.new_per_day, pace) - day.new_today - quota)
    head, later_new = new_ids[:quota], new_ids[quota:]
    options = {c.question_id: c.options for c in candidates}
    per_options: dict[int, float] = {}  # every new question of n options gains the same
    new_scored = []
    for qid in later_new:
        n = options[qid]
        if n not in per_options:
            per_options[n] = gain(None, now, target, n, time_scale)
        new_scored.append((per_options[n], qid))

    def by_gain(items: list[tuple[float, int]]) -> list[int]:
        # Stable: among equal gains, coverage order (new) and bank order (reviews) stay.
        return [qid for _, qid in sorted(items, key=lambda x: -x[0])]

    if exam_by_gain:
        rest = by_gain(scored + new_scored)
    else:
        # Until the candidate's forgetting is fitted, FSRS's defaults cannot weigh a review
        # against a new question: due reviews first (their answers are what the fit needs),
        # then new questions up to new-per-day, then the rest by gain.
        due_ids = {c.question_id for c in reviews if c.card is not None and c.card.due <= now}
        ranked = by_gain(scored)
        allowed = [qid for _, qid in new_scored[:allowance]]
        rest = (
            [q for q in ranked if q in due_ids]
            + allowed
            + by_gain([x for x in scored if x[1] not in due_ids] + new_scored[allowance:])
        )
    # Today's quota is spread through the answers the candidate means to give today.
    span = max(0, day.daily_goal - len(head))
    return _spread(head, rest[:span]) + rest[span:]
