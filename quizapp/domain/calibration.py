"""Fitting FSRS's forgetting to one candidate (pure; measured in docs/learning.md).

FSRS's default parameters describe an average flashcard user. A candidate who forgets faster
(or slower) makes every prediction drift: readiness, weak topics and the queue's exam-day gains.
Anki's "Optimize" refits all 21 parameters with PyTorch; here one parameter is fitted, cheaply
and without new dependencies: a **time scale** k that stretches elapsed time in FSRS's own
forgetting curve (k = 2: a week counts as two). The chance of a right multiple-choice answer
is modelled as ``g + (1 − g) · R(k · t)``, g the guess among the options, which is what the
candidate's answers (guesses included) actually measure.

The fit maximises the likelihood of every answer after a question's first, given the FSRS
state replayed from the log before it, with a normal prior on ln k (sd 1) so that a short
history stays near FSRS's defaults.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.domain.scheduling import CardState, elapsed_days, forgetting_curve, review

MIN_OBSERVATIONS = 20
# The logs of this many most recently answered questions are replayed: recent enough to follow
# the candidate, and a bound on the cost (a replay is one fsrs review per answer; with 100k
# answers, every log of the last 3000 answers' questions took about a second).
MAX_QUESTIONS = 300
SEARCH_STEPS = 20  # golden-section steps: ln k to within 5 × 0.618^20 ≈ 0.0003
PRIOR_SD = 1.0
LOG_K_RANGE = (-2.0, 3.0)


@dataclass(frozen=True, slots=True)
class Observation:
    """One answer to a studied question: FSRS stability, days since the last answer, outcome."""

    stability: float
    elapsed_days: float
    correct: bool
    options: int = 4


def observations(
    logs: Sequence[Sequence[tuple[int, dt.datetime, bool]]], options: Sequence[int] | None = None
) -> list[Observation]:
    """Replay each question's log of (rating, time, right?) and keep every answer after the first.

    Answers within an hour of the previous one are left out: they measure the feedback just
    seen, not memory.
    """
    out: list[Observation] = []
    for i, log in enumerate(logs):
        card: CardState | None = None
        n = options[i] if options else 4
        for rating, when, ok in log:
            if card is not None and card.last_review is not None and card.stability:
                elapsed = elapsed_days(card.last_review, when)
                if elapsed >= 1 / 24:
                    out.append(Observation(card.stability, elapsed, ok, n))
            card = review(card, rating, when)
    return out


def _log_likelihood(obs: Sequence[Observation], log_k: float) -> float:
    k = math.exp(log_k)
    total = -0.5 * (log_k / PRIOR_SD) ** 2
    for o in obs:
        g = 1.0 / max(o.options, 1)
        p = g + (1 - g) * forgetting_curve(o.elapsed_days * k, o.stability)
        p = min(max(p, 1e-6), 1 - 1e-6)
        total += math.log(p if o.correct else 1 - p)
    return total


@dataclass(frozen=True, slots=True)
class Fit:
    """A candidate's fitted forgetting: the time scale and how many answers it rests on."""

    time_scale: float
    observations: int

    @property
    def calibrated(self) -> bool:
        """Whether there were enough answers to fit (below that, k is FSRS's default 1.0)."""
        return self.observations >= MIN_OBSERVATIONS


def fit(logs: Sequence[Sequence[tuple[int, dt.datetime, bool]]]) -> Fit:
    """The time scale fitted on whole question logs of (rating, time, right?)."""
    obs = observations(logs)
    return Fit(fit_time_scale(obs), len(obs))


def fit_time_scale(obs: Sequence[Observation]) -> float:
    """The time scale k that best explains the answers (1.0 with too few of them)."""
    if len(obs) < MIN_OBSERVATIONS:
        return 1.0
    lo, hi = LOG_K_RANGE
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = _log_likelihood(obs, a), _log_likelihood(obs, b)
    for _ in range(SEARCH_STEPS):  # golden-section search: the likelihood is unimodal in ln k
        if fa < fb:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = _log_likelihood(obs, b)
        else:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = _log_likelihood(obs, a)
    return math.exp((lo + hi) / 2)
