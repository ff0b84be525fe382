"""One simulated study period: a learner, a policy, N days at a fixed number of answers a day.

Everything is measured against the learner's own truth (``p_correct``), never against what the
app believes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.learning.learners import BUILTIN
from benchmarks.learning.policies import BASELINES, AppPolicy, Policy, Probe
from benchmarks.learning.protocol import LearnerFactory, SimQuestion
from quizapp.domain.exam import PoolQuestion, draw

PROBE_DAYS = (7, 14, 20)
SECONDS_PER_ANSWER = 45
MOCK_DRAWS = 100
MOCK_REPLICATES = 10
START = dt.date(2027, 1, 4)
POLICIES = ("app", "random", "bank", "leitner", "fsrs")


def load_learner(spec: str) -> LearnerFactory:
    """A factory from a built-in name, ``package.module:factory`` or ``path/file.py:factory``."""
    if spec in BUILTIN:
        return BUILTIN[spec]
    module_name, _, attr = spec.rpartition(":")
    if not module_name:
        raise SystemExit(f"--learner {spec!r}: use a built-in name or module:factory")
    if module_name.endswith(".py") or "/" in module_name:
        path = Path(module_name).resolve()
        loaded = importlib.util.spec_from_file_location(f"_learner_{path.stem}", path)
        if loaded is None or loaded.loader is None:
            raise SystemExit(f"--learner {spec!r}: cannot load {path}")
        module = importlib.util.module_from_spec(loaded)
        sys.modules[loaded.name] = module
        loaded.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    factory: LearnerFactory = getattr(module, attr)
    return factory


@dataclass(frozen=True, slots=True)
class World:
    """The bank as the simulator sees it, from a database the app itself built."""

    template: Path
    questions: tuple[SimQuestion, ...]
    weights: dict[str, float]
    subjects: tuple[str, ...]
    pass_average: float
    pass_min: float


def build_world(folder: Path) -> World:
    """Create the app's database with the bundled banks once; read the questions back."""
    from quizapp.services.context import open_database
    from quizapp.services.settings import exam_data

    path = folder / "template.sqlite3"
    open_database(f"sqlite:///{path}").engine.dispose()
    con = sqlite3.connect(path)
    labels: dict[int, list[tuple[str, bool]]] = {}
    for qid, label, ok in con.execute("SELECT question_id, label, is_correct FROM options"):
        labels.setdefault(qid, []).append((label, bool(ok)))
    rows = con.execute(
        "SELECT q.id, q.key, b.subject, (SELECT topic_id FROM question_topics t WHERE "
        "t.question_id = q.id ORDER BY t.position LIMIT 1) FROM questions q JOIN banks b ON "
        "b.id = q.bank_id WHERE NOT q.retired ORDER BY q.bank_id, q.position"
    ).fetchall()
    questions = tuple(
        SimQuestion(
            id=qid,
            index=i,
            key=key,
            area=area or "",
            subject=subject,
            labels=tuple(sorted(lab for lab, _ in labels[qid])),
            answer=tuple(sorted(lab for lab, ok in labels[qid] if ok)),
        )
        for i, (qid, key, subject, area) in enumerate(rows)
    )
    weights = {
        tid: float(w)
        for tid, w in con.execute("SELECT id, exam_weight FROM topics WHERE parent_id IS NOT NULL")
    }
    con.close()
    rules = exam_data().rules
    subjects = tuple(sorted({q.subject for q in questions}))
    return World(path, questions, weights, subjects, rules.pass_average, rules.pass_min_subject)


def local(day: dt.date, hour: int) -> dt.datetime:
    """``hour`` o'clock local time on ``day``, as aware UTC (the app counts local days)."""
    return dt.datetime.combine(day, dt.time(hour)).astimezone().astimezone(dt.UTC)


@dataclass
class Outcome:
    """The figures of one run."""

    score_bank: float = 0.0
    score_mock: float = 0.0
    p_pass: float = 0.0
    never_shown: int = 0
    answers: int = 0
    idle: int = 0
    over_95: float = 0.0
    precision: dict[int, float] = field(default_factory=dict)
    precision_naive: dict[int, float] = field(default_factory=dict)
    readiness_error: dict[int, dict[str, float]] = field(default_factory=dict)
    projection_error: dict[int, dict[str, float]] = field(default_factory=dict)
    readiness_covered: dict[int, float] = field(default_factory=dict)
    first_day_all_seen: int | None = None


def subject_truth(world: World, p: dict[int, float]) -> dict[str, float]:
    """Expected score per subject on a blueprint mock: exam-weighted mean of area means × 100."""
    out = {}
    for subject in world.subjects:
        areas: dict[str, list[float]] = {}
        for q in world.questions:
            if q.subject == subject:
                areas.setdefault(q.area, []).append(p[q.id])
        total = sum(world.weights.get(a, 0.0) or 1.0 for a in areas)
        out[subject] = (
            100
            * sum(
                (world.weights.get(a, 0.0) or 1.0) * statistics.fmean(v) for a, v in areas.items()
            )
            / total
        )
    return out


def weakest_truth(world: World, p: dict[int, float], n: int = 5) -> set[str]:
    """The ``n`` areas the learner truly knows least (lowest mean chance of a right answer)."""
    areas: dict[str, list[float]] = {}
    for q in world.questions:
        areas.setdefault(q.area, []).append(p[q.id])
    return set(sorted(areas, key=lambda a: statistics.fmean(areas[a]))[:n])


def naive_weakest(world: World, log: Sequence[tuple[int, bool]], n: int = 5) -> set[str]:
    """Areas ranked by their raw accuracy so far (the issue's 'own accuracy' yardstick)."""
    area_of = {q.id: q.area for q in world.questions}
    right: dict[str, list[bool]] = {a: [] for a in set(area_of.values())}
    for qid, ok in log:
        right[area_of[qid]].append(ok)
    acc = {a: statistics.fmean(v) if v else 0.25 for a, v in right.items()}
    return set(sorted(acc, key=lambda a: (acc[a], a))[:n])


def mock_figures(world: World, p: dict[int, float], seed: int) -> tuple[float, float]:
    """(expected mock score, P(pass)) over blueprint draws (50 per subject) and Bernoulli trials."""
    pool = [PoolQuestion(q.id, q.subject, q.area) for q in world.questions]
    rng = random.Random(seed)
    scores: list[float] = []
    passes = 0
    trials = 0
    for k in range(MOCK_DRAWS):
        draws = draw(pool, world.subjects, 50, world.weights, seed=seed * 1000 + k)
        expected = [100 * statistics.fmean(p[q] for q in d.question_ids) for d in draws]
        scores.append(statistics.fmean(expected))
        for _ in range(MOCK_REPLICATES):
            marks = [
                100 * sum(rng.random() < p[q] for q in d.question_ids) / len(d.question_ids)
                for d in draws
            ]
            trials += 1
            passes += statistics.fmean(marks) >= world.pass_average and min(marks) >= world.pass_min
    return statistics.fmean(scores), passes / trials


def make_policy(
    name: str, world: World, seed: int, exam_day: dt.date, per_day: int, tmp: Path
) -> Policy:
    """A policy by name (``app`` runs the real services on a copy of the template)."""
    if name == "app":
        return AppPolicy(world.template, tmp, exam_day, per_day)
    return BASELINES[name](world.questions, seed)


def run_one(
    world: World, learner_spec: str, policy_name: str, seed: int, days: int, per_day: int
) -> Outcome:
    """Simulate ``days`` days of ``per_day`` answers and measure everything on exam day."""
    from quizapp.services.settings import exam_moment

    factory = load_learner(learner_spec)
    learner = factory(world.questions, seed)
    by_id = {q.id: q for q in world.questions}
    exam_day = START + dt.timedelta(days=days)
    exam_at = exam_moment(exam_day)
    out = Outcome()
    seen: set[int] = set()
    log: list[tuple[int, bool]] = []
    over = 0
    with tempfile.TemporaryDirectory() as tmp:
        policy = make_policy(policy_name, world, seed, exam_day, per_day, Path(tmp))
        try:
            for day in range(days):
                now = local(START + dt.timedelta(days=day), 19)
                policy.start_day(now)
                for answered in range(per_day):
                    qid = policy.next(now)
                    if qid is None:  # the policy has nothing left today: the rest is idle
                        out.idle += per_day - answered
                        break
                    q = by_id[qid]
                    over += learner.p_correct(q, now) > 0.95
                    response = learner.answer(q, now)
                    ok = policy.answer(q, response, now)
                    learner.feedback(q, ok, now)
                    log.append((qid, ok))
                    seen.add(qid)
                    now += dt.timedelta(seconds=SECONDS_PER_ANSWER)
                if out.first_day_all_seen is None and len(seen) == len(world.questions):
                    out.first_day_all_seen = day + 1
                if day + 1 in PROBE_DAYS:
                    probe = policy.probe(now)
                    p_now = {q.id: learner.p_correct(q, now) for q in world.questions}
                    truth_weak = weakest_truth(world, p_now)
                    out.precision_naive[day + 1] = len(naive_weakest(world, log) & truth_weak) / 5
                    if probe is not None:
                        _score_probe(out, day + 1, probe, truth_weak, world, learner, now, exam_at)
        finally:
            policy.close()
    p_exam = {q.id: learner.p_correct(q, exam_at) for q in world.questions}
    out.score_bank = 100 * statistics.fmean(p_exam.values())
    out.score_mock, out.p_pass = mock_figures(world, p_exam, seed)
    out.never_shown = len(world.questions) - len(seen)
    out.answers = len(log)
    out.over_95 = over / len(log) if log else 0.0
    return out


def _score_probe(
    out: Outcome,
    day: int,
    probe: Probe,
    truth_weak: set[str],
    world: World,
    learner: Any,
    now: dt.datetime,
    exam_at: dt.datetime,
) -> None:
    out.precision[day] = len(set(probe.weakest) & truth_weak) / 5
    truth = subject_truth(world, {q.id: learner.p_correct(q, now) for q in world.questions})
    out.readiness_error[day] = {s: probe.readiness[s] - truth[s] for s in world.subjects}
    later = subject_truth(world, {q.id: learner.p_correct(q, exam_at) for q in world.questions})
    out.projection_error[day] = {s: (probe.exam_day[s] or 0.0) - later[s] for s in world.subjects}
    inside = [probe.readiness_low[s] <= truth[s] <= probe.readiness_high[s] for s in world.subjects]
    out.readiness_covered[day] = sum(inside) / len(inside)
