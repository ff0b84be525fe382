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


# A right answer that took longer than this is treated like a guess: the candidate had to
# work it out by elimination rather than recall it. Ninety seconds is well above the ~60 s per
# question (50 questions in 75 minutes with reading time) of the real exam.
SLOW_ANSWER_MS = 90_000


def is_guess(marked_guess: bool, duration_ms: int | None) -> bool:
    """A guess is marked with `g` before answering, or is an unusually slow answer."""
    return marked_guess or (duration_ms is not None and duration_ms > SLOW_ANSWER_MS)


def rating_for(correct: bool, guessed: bool = False) -> int:
    """The FSRS rating of an answer: wrong → Again, a guessed right answer → Hard, else Good.

    A guessed right answer never counts as Good: the candidate did not know it.
    """
    if not correct:
        return AGAIN
    return HARD if guessed else GOOD


def allowed_override(correct: bool, guessed: bool, rating: int) -> bool:
    """Whether the candidate may change an answer's rating to ``rating`` (Anki's 1–4).

    Any rating may be chosen for a right answer that was not a guess; a wrong answer may only
    be Again, and a guessed right answer may be Again or Hard, never Good or Easy.
    """
    if rating not in (AGAIN, HARD, GOOD, EASY):
        return False
    if not correct:
        return rating == AGAIN
    return rating <= HARD if guessed else True
