"""Two learner models of our own, neither of them FSRS-shaped.

Both have a per-learner level, a per-area ability and a per-question difficulty (so some areas
are truly weak), prior knowledge (some questions are known before any study), 25 % guessing on
four options (and a guess is sometimes marked with ``g``), and they learn from the feedback of
every answer, right or wrong.

- ``exp``: a memory trace that decays *exponentially* (no long tail, unlike FSRS's power law);
  a successful retrieval multiplies its stability, more so when it was hard (spacing effect),
  a failure re-encodes it at the item's initial stability.
- ``actr``: ACT-R's declarative memory with Pavlik & Anderson's spacing rule: activation is the
  log of a sum of power-law decaying traces, each trace decaying faster the stronger memory was
  when it was laid down (massed practice helps less), recall is a logistic of activation.

Factories (``module:factory`` for ``--learner``): ``exp``, ``actr`` (a typical candidate) and
``exp_slow``, ``actr_slow`` (a weaker candidate with less prior knowledge).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.learning.protocol import Learner, Response, SimQuestion

DAY = 86400.0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass
class _Base:
    """What both models share: abilities, prior knowledge, guessing, answering."""

    questions: Sequence[SimQuestion]
    seed: int
    level: float = 0.0
    prior_shift: float = -1.2
    area_sd: float = 0.8
    item_sd: float = 0.8
    mark_guess: float = 0.6
    known_last: bool = False  # whether the last answer came from knowing, not a lucky guess
    rng: random.Random = field(init=False)
    ability: dict[int, float] = field(init=False)
    prior: dict[int, float] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        areas = sorted({q.area for q in self.questions})
        area_ability = {a: self.rng.gauss(0.0, self.area_sd) for a in areas}
        self.ability = {
            q.id: self.level + area_ability[q.area] - self.rng.gauss(0.0, self.item_sd)
            for q in self.questions
        }
        self.prior = {q.id: _sigmoid(self.ability[q.id] + self.prior_shift) for q in self.questions}

    def recall(self, q: SimQuestion, when: dt.datetime) -> float:
        """Chance of knowing the answer at ``when`` from study (overridden by the models)."""
        raise NotImplementedError

    def knows(self, q: SimQuestion, when: dt.datetime) -> float:
        """Chance of knowing the answer: prior knowledge or memory from study."""
        return 1.0 - (1.0 - self.prior[q.id]) * (1.0 - self.recall(q, when))

    def p_correct(self, question: SimQuestion, when: dt.datetime) -> float:
        """Knowing it, or guessing right among the options."""
        k = self.knows(question, when)
        return k + (1.0 - k) / max(1, len(question.labels))

    def answer(self, question: SimQuestion, now: dt.datetime) -> Response:
        """The keyed answer when it knows it; otherwise a random option, sometimes marked."""
        known = self.rng.random() < self.knows(question, now)
        self.known_last = known
        if known:
            return Response(question.answer, False, int(self.rng.uniform(12_000, 40_000)))
        pick = (self.rng.choice(question.labels),)
        marked = self.rng.random() < self.mark_guess
        return Response(pick, marked, int(self.rng.uniform(20_000, 60_000)))


@dataclass
class ExpLearner(_Base):
    """Exponential forgetting; stability grows on hard successful retrievals."""

    first_stability: float = 3.0  # days, for an item of ability 0
    growth: float = 4.0
    stability: dict[int, float] = field(default_factory=dict)
    last: dict[int, dt.datetime] = field(default_factory=dict)

    def recall(self, q: SimQuestion, when: dt.datetime) -> float:
        """exp(−t / S) since the last study of the item."""
        if q.id not in self.last:
            return 0.0
        age = max(0.0, (when - self.last[q.id]).total_seconds() / DAY)
        return math.exp(-age / self.stability[q.id])

    def feedback(self, question: SimQuestion, correct: bool, now: dt.datetime) -> None:
        """Learn from the answer and the shown key."""
        qid = question.id
        s0 = self.first_stability * math.exp(0.6 * self.ability[qid])
        m = self.recall(question, now)
        if qid not in self.last:
            self.stability[qid] = s0
        elif self.known_last and correct:
            gain = 1.0 + self.growth * math.exp(0.3 * self.ability[qid]) * (1.0 - m) + 0.1
            self.stability[qid] *= gain
        else:
            self.stability[qid] = max(s0, 0.5 * self.stability[qid])
        self.last[qid] = now


@dataclass
class ActrLearner(_Base):
    """ACT-R activation with Pavlik & Anderson's spacing-dependent decay."""

    c: float = 0.25
    alpha: float = 0.18
    tau: float = -0.2
    s: float = 0.4
    traces: dict[int, list[tuple[dt.datetime, float]]] = field(default_factory=dict)

    def _activation(self, qid: int, when: dt.datetime) -> float | None:
        traces = self.traces.get(qid)
        if not traces:
            return None
        total = 0.0
        for at, d in traces:
            age = max(0.0035, (when - at).total_seconds() / DAY)  # five minutes at least
            total += age ** (-d)
        return math.log(total)

    def recall(self, q: SimQuestion, when: dt.datetime) -> float:
        """Logistic of activation plus the item's ability."""
        m = self._activation(q.id, when)
        if m is None:
            return 0.0
        return _sigmoid((m + self.ability[q.id] - self.tau) / self.s)

    def feedback(self, question: SimQuestion, correct: bool, now: dt.datetime) -> None:
        """Every answer with its feedback is a presentation; its decay depends on spacing."""
        m = self._activation(question.id, now)
        # massed practice decays fast; capped so a burst of repeats cannot overflow
        d = self.alpha if m is None else self.c * math.exp(min(m, 1.5)) + self.alpha
        self.traces.setdefault(question.id, []).append((now, d))


def exp(questions: Sequence[SimQuestion], seed: int) -> Learner:
    """A typical candidate with exponential forgetting."""
    return ExpLearner(questions, seed)


def exp_slow(questions: Sequence[SimQuestion], seed: int) -> Learner:
    """A weaker candidate with exponential forgetting: lower level, less prior knowledge."""
    return ExpLearner(questions, seed, level=-0.7, prior_shift=-1.6)


def actr(questions: Sequence[SimQuestion], seed: int) -> Learner:
    """A typical candidate with ACT-R memory."""
    return ActrLearner(questions, seed)


def actr_slow(questions: Sequence[SimQuestion], seed: int) -> Learner:
    """A weaker candidate with ACT-R memory."""
    return ActrLearner(questions, seed, level=-0.7, prior_shift=-1.6)


BUILTIN = {"exp": exp, "actr": actr, "exp_slow": exp_slow, "actr_slow": actr_slow}
