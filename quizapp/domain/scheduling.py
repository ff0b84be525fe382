"""Spaced repetition: a thin wrapper over the ``fsrs`` package (never hand-written maths).

Card state travels as a plain ``CardState`` so the database layer does not need fsrs and the
UI does not need either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler, State


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
_scheduler = Scheduler(enable_fuzzing=False)


def review(card: CardState | None, rating: int, now: dt.datetime, card_id: int = 1) -> CardState:
    """The state after answering with ``rating`` (1 Again … 4 Easy) at ``now`` (aware UTC)."""
    fsrs_card = (
        Card(card_id=card_id, due=now)
        if card is None
        else Card(
            card_id=card_id,
            state=State(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )
    )
    new, _log = _scheduler.review_card(fsrs_card, Rating(rating), review_datetime=now)
    return CardState(
        int(new.state), new.step, new.stability, new.difficulty, new.due, new.last_review
    )


def retrievability(card: CardState, now: dt.datetime) -> float:
    """Probability of recalling the card at ``now`` (0 for a card never reviewed)."""
    if card.last_review is None:
        return 0.0
    fsrs_card = Card(
        card_id=1,
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    return float(_scheduler.get_card_retrievability(fsrs_card, current_datetime=now))
