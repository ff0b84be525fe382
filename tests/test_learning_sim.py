"""The learning simulator drives the real services and loads learners written elsewhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.learning.run import build_world, load_learner, run_one

pytestmark = pytest.mark.sqlite_only

OUTSIDE_LEARNER = '''
import datetime as dt

class Perfect:
    """Knows every answer; remembers how often it was asked each question."""

    def __init__(self, questions, seed):
        self.asked = {}

    def answer(self, question, now):
        from benchmarks.learning.protocol import Response
        self.asked[question.id] = self.asked.get(question.id, 0) + 1
        return Response(question.answer)

    def feedback(self, question, correct, now):
        assert correct

    def p_correct(self, question, when):
        return 1.0 if question.id in self.asked else 0.25

def make(questions, seed):
    return Perfect(questions, seed)
'''


def test_app_and_baseline_runs_with_a_learner_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "outside.py"
    path.write_text(OUTSIDE_LEARNER, "utf-8")
    spec = f"{path}:make"
    assert callable(load_learner(spec))
    world = build_world(tmp_path)
    assert len(world.questions) > 300 and set(world.subjects) == {"L11", "L12"}
    app = run_one(world, spec, "app", seed=1, days=3, per_day=10)
    bank = run_one(world, spec, "bank", seed=1, days=3, per_day=10)
    for out in (app, bank):
        assert out.answers == 30 and out.idle == 0
        # a learner who always knows: every answer is new, nothing is re-asked for nothing
        assert out.never_shown == len(world.questions) - 30
        assert out.score_bank == pytest.approx(100 * (30 + 0.25 * out.never_shown) / 324)
    assert app.over_95 == 0.0


def test_builtin_learners_forget_and_learn(tmp_path: Path) -> None:
    world = build_world(tmp_path)
    q = world.questions[0]
    now = dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC)
    for name in ("exp", "actr"):
        learner = load_learner(name)(world.questions, 7)
        before = learner.p_correct(q, now)
        learner.answer(q, now)
        learner.feedback(q, True, now)
        soon = learner.p_correct(q, now + dt.timedelta(hours=1))
        later = learner.p_correct(q, now + dt.timedelta(days=30))
        assert 0.25 <= before < soon and later < soon, name
