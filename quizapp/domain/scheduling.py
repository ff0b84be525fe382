"""Spaced repetition: a thin wrapper over the ``fsrs`` package (never hand-written maths).

Card state travels as a plain ``CardState`` so the database layer does not need fsrs and the
UI does not need either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fsrs import Card, Rating, ReviewLog, Scheduler, State

DESIRED_RETENTION = 0.9
# No learning or relearning steps: a right answer goes straight to review, a wrong one comes
# back the next day. A four-option question shows its key after every try, so re-asking it
# minutes later measures the feedback just read, not memory: in the simulator the old
# 1 min / 10 min steps went to questions the learner still recalled, and dropping them raised
# the exam-day score (docs/learning.md, "Learning steps").
LEARNING_STEPS: tuple[dt.timedelta, ...] = ()
RELEARNING_STEPS: tuple[dt.timedelta, ...] = ()


@dataclass(frozen=True, slots=True)
class CardState:
    """FSRS memory state of one (user, question)."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None


class _Scheduler(Scheduler):
    """fsrs's scheduler with elapsed time counted in fractional days.

    ``fsrs`` 6 counts whole days (``timedelta.days``), so a card reviewed 23.9 hours ago reads
    R = 1.0 and a prediction for exam morning ignores the hours before it. Same forgetting
    curve, same parameters: only the elapsed time is exact.
    """

    def get_card_retrievability(
        self, card: Card, current_datetime: dt.datetime | None = None
    ) -> float:
        if card.last_review is None or card.stability is None:
            return 0.0
        when = current_datetime or dt.datetime.now(dt.UTC)
        return self.curve(elapsed_days(card.last_review, when), card.stability)

    def curve(self, elapsed_days: float, stability: float) -> float:
        """FSRS's forgetting curve with this scheduler's decay (fractional days)."""
        return float((1 + self._FACTOR * elapsed_days / stability) ** self._DECAY)


# Fuzzing off: the card state must be reproducible from the review log alone.
_scheduler = _Scheduler(
    desired_retention=DESIRED_RETENTION,
    learning_steps=LEARNING_STEPS,
    relearning_steps=RELEARNING_STEPS,
    enable_fuzzing=False,
)


def review(card: CardState | None, rating: int, now: dt.datetime, card_id: int = 1) -> CardState:
    """The state after answering with ``rating`` (1 Again … 4 Easy) at ``now`` (aware UTC)."""
    fsrs_card = Card(card_id=card_id, due=now) if card is None else _to_fsrs(card, card_id)
    new, _log = _scheduler.review_card(fsrs_card, Rating(rating), review_datetime=now)
    return _from_fsrs(new)


def _to_fsrs(card: CardState, card_id: int = 1) -> Card:
    return Card(
        card_id=card_id,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def _from_fsrs(card: Card) -> CardState:
    return CardState(
        int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review
    )


def retrievability(card: CardState, when: dt.datetime, time_scale: float = 1.0) -> float:
    """Probability of recalling the card at ``when`` (0 for a card never reviewed).

    ``when`` may be in the future: that is the predicted retrievability on exam day.
    ``time_scale`` > 1 means this candidate forgets faster than FSRS's defaults assume
    (fitted by ``calibration.fit_time_scale``): elapsed time counts that many times over.
    """
    if card.last_review is None or card.stability is None:
        return 0.0
    return forgetting_curve(elapsed_days(card.last_review, when) * time_scale, card.stability)


def elapsed_days(since: dt.datetime, when: dt.datetime) -> float:
    """Days from ``since`` to ``when``, fractional, never negative."""
    return max(0.0, (when - since).total_seconds() / 86400)


def forgetting_curve(elapsed_days: float, stability: float) -> float:
    """FSRS's recall probability after ``elapsed_days`` at ``stability`` (the scheduler's own)."""
    return _scheduler.curve(elapsed_days, stability)


def predicted_after_review(
    card: CardState | None,
    rating: int,
    now: dt.datetime,
    when: dt.datetime,
    time_scale: float = 1.0,
) -> float:
    """Retrievability at ``when`` if the card were answered with ``rating`` at ``now``."""
    return retrievability(review(card, rating, now), when, time_scale)


def replay(card_id: int, log: Sequence[tuple[int, dt.datetime]]) -> CardState | None:
    """The card state rebuilt from its review log of (rating, time); None for an empty log.

    Uses fsrs's own ``reschedule_card``, so the stored state and the log can never disagree.
    """
    if not log:
        return None
    logs = [ReviewLog(card_id, Rating(rating), when, None) for rating, when in log]
    first = min(when for _, when in log)
    return _from_fsrs(_scheduler.reschedule_card(Card(card_id=card_id, due=first), logs))
