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


@dataclass(frozen=True, slots=True)
class CardState:
    """FSRS memory state of one (user, question)."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None


# Fuzzing off: the card state must be reproducible from the review log alone.
_scheduler = Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)


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


def retrievability(card: CardState, when: dt.datetime) -> float:
    """Probability of recalling the card at ``when`` (0 for a card never reviewed).

    ``when`` may be in the future: that is the predicted retrievability on exam day.
    """
    if card.last_review is None:
        return 0.0
    return float(_scheduler.get_card_retrievability(_to_fsrs(card), current_datetime=when))


def replay(card_id: int, log: Sequence[tuple[int, dt.datetime]]) -> CardState | None:
    """The card state rebuilt from its review log of (rating, time); None for an empty log.

    Uses fsrs's own ``reschedule_card``, so the stored state and the log can never disagree.
    """
    if not log:
        return None
    logs = [ReviewLog(card_id, Rating(rating), when, None) for rating, when in log]
    first = min(when for _, when in log)
    return _from_fsrs(_scheduler.reschedule_card(Card(card_id=card_id, due=first), logs))
