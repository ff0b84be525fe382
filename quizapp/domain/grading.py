"""Grading: the options a candidate chose → right or wrong, and the FSRS rating it earns.

Ratings use FSRS's scale (1 Again, 2 Hard, 3 Good, 4 Easy) as plain ints so this module stays
free of the scheduler library.
"""

from __future__ import annotations

from collections.abc import Iterable

from quizapp.domain.model import Question

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def is_correct(question: Question, chosen: Iterable[str]) -> bool:
    """True when the chosen labels are exactly the question's correct labels."""
    return frozenset(c.upper() for c in chosen) == frozenset(question.answer)


def rating_for(correct: bool, guessed: bool = False) -> int:
    """The FSRS rating of an answer: wrong → Again, a guessed right answer → Hard, else Good.

    A guessed right answer never counts as Good: the candidate did not know it.
    """
    if not correct:
        return AGAIN
    return HARD if guessed else GOOD
