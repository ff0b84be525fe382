"""The learner protocol: what a simulated candidate must provide to the simulator.

A learner is built by a factory ``make(questions, seed) -> Learner`` and then, one question at a
time, answers (``answer``), sees the feedback (``feedback``), and at any moment tells its *true*
chance of answering any question right (``p_correct``), which the simulator uses to score every
policy on exam day and to check the app's weak topics and readiness. A learner written elsewhere
plugs in unchanged with ``--learner path/to/file.py:make`` or ``--learner package.module:make``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class SimQuestion:
    """A question as the learner sees it (ids are stable for one run).

    ``index`` is the position in bank order (0-based), ``area`` the syllabus area (primary
    topic), ``subject`` the exam subject (L11/L12), ``labels`` its option labels and ``answer``
    the keyed labels (the learner may only use them to decide what it *would* answer).
    """

    id: int
    index: int
    key: str
    area: str
    subject: str
    labels: tuple[str, ...]
    answer: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Response:
    """A learner's answer: the labels it chose, whether it marked a guess, how long it took."""

    chosen: tuple[str, ...]
    guessed: bool = False
    duration_ms: int = 30_000


class Learner(Protocol):
    """A simulated candidate. Times are aware UTC datetimes and never go backwards."""

    def answer(self, question: SimQuestion, now: dt.datetime) -> Response:
        """Answer ``question`` at ``now`` (before seeing any feedback)."""
        ...

    def feedback(self, question: SimQuestion, correct: bool, now: dt.datetime) -> None:
        """See whether the answer was right and the keyed answer with its explanation."""
        ...

    def p_correct(self, question: SimQuestion, when: dt.datetime) -> float:
        """True chance of a right answer at ``when`` (≥ the last event) with no study between."""
        ...


LearnerFactory = Callable[[Sequence[SimQuestion], int], Learner]
