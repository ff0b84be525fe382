"""A class sitting the same timed mock at once, against one PostgreSQL (loopback only).

    .ci/with-postgres .venv/bin/python -m benchmarks.load                 # 50 candidates
    .ci/with-postgres .venv/bin/python -m benchmarks.load --candidates 80 --think-ms 500

It makes a fresh database on the server named by ``--server`` (default: ``QUIZAPP_TEST_PG``),
loads the bundled banks, runs ``classroom init`` and one ``add-student`` per candidate, then
starts one process per candidate. Each logs in with its own role (so row-level security is on
the path being timed), starts a 50-question L11 mock, answers every question after a random
pause, and submits. Afterwards the owner checks that every answer is stored exactly once with
the label the candidate chose, and that every attempt's stored score equals a recomputation
from the key. Prints p50/p95/p99 of recording one answer; exits 1 if anything was lost.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BLUEPRINT = "ipas-l11"  # one subject of the real exam: 50 questions


@dataclass
class Candidate:
    """What one simulated candidate did, as the candidate saw it."""

    name: str
    attempt: int = 0
    chosen: dict[int, str] = field(default_factory=dict)
    correct: int = 0
    answer_ms: list[float] = field(default_factory=list)
    submit_ms: float = 0.0
    score: dict[str, float] = field(default_factory=dict)
    error: str = ""


def sit(url: str, name: str, seed: int, think_ms: int, start: Any) -> dict[str, Any]:
    """One candidate's sitting (runs in its own process)."""
    from quizapp.services.context import open_database
    from quizapp.services.exams import ExamService

    out = Candidate(name)
    try:
        db = open_database(url)
        assert db.classroom_user == name, db.classroom_user
        exams = ExamService(db, name)
        plan = exams.plan(BLUEPRINT, seed=seed)
        rng = random.Random(seed)
        start.wait()  # everyone starts together
        out.attempt = exams.start(plan)
        for item in exams.state(out.attempt).items:
            time.sleep(rng.uniform(0, think_ms) / 1000)
            label = rng.choice([o.label for o in item.question.options])
            t0 = time.perf_counter()
            ok = exams.answer(out.attempt, item.position, label)
            out.answer_ms.append((time.perf_counter() - t0) * 1000)
            assert ok, f"answer {item.position} refused"
            out.chosen[item.position] = label
            out.correct += label in item.question.answer
        t0 = time.perf_counter()
        report = exams.submit(out.attempt)
        out.submit_ms = (time.perf_counter() - t0) * 1000
        out.score = {r.subject: r.score for r in report.subjects}
        db.engine.dispose()
    except Exception as exc:  # reported, and counted as a failure by the parent
        out.error = f"{type(exc).__name__}: {exc}"
    return asdict(out)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def verify(owner_url: str, results: list[dict[str, Any]]) -> list[str]:
    """Every answer stored once with the chosen label; every stored score recomputes."""
    problems: list[str] = []
    engine = create_engine(owner_url)
    with engine.connect() as conn:
        for r in results:
            if r["error"]:
                problems.append(f"{r['name']}: {r['error']}")
                continue
            rows = conn.execute(
                text(
                    "SELECT i.position, i.chosen, bool_and(o.is_correct) FILTER"
                    " (WHERE o.label = i.chosen) AS right"
                    " FROM exam_items i JOIN options o ON o.question_id = i.question_id"
                    " WHERE i.attempt_id = :a GROUP BY i.position, i.chosen"
                ),
                {"a": r["attempt"]},
            ).all()
            stored = {pos: chosen for pos, chosen, _ in rows}
            if stored != {int(k): v for k, v in r["chosen"].items()}:
                problems.append(f"{r['name']}: stored answers differ from the ones given")
            right = sum(1 for *_, ok in rows if ok)
            if right != r["correct"]:
                problems.append(f"{r['name']}: {right} right in the database, {r['correct']} given")
            scores = conn.execute(
                text("SELECT scores, submitted_at IS NOT NULL FROM exam_attempts WHERE id = :a"),
                {"a": r["attempt"]},
            ).one()
            expected = round(100 * right / len(rows), 1) if rows else 0.0
            if not scores[1] or any(abs(v - expected) > 0.05 for v in scores[0].values()):
                problems.append(f"{r['name']}: stored score {scores[0]} != {expected}")
            once = conn.execute(
                text(
                    "SELECT count(*), count(DISTINCT question_id) FROM reviews"
                    " WHERE exam_attempt_id = :a"
                ),
                {"a": r["attempt"]},
            ).one()
            if once[0] != len(r["chosen"]) or once[0] != once[1]:
                problems.append(f"{r['name']}: {once[0]} exam reviews for {len(r['chosen'])}")
    engine.dispose()
    return problems


def run(server: str, candidates: int, think_ms: int, keep: bool = False) -> dict[str, Any]:
    """Set up a class of ``candidates``, let them sit at once, verify; returns the figures."""
    from quizapp.services.classroom import ClassroomService
    from quizapp.services.context import open_database

    name = f"quizapp_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = make_url(server).set(database=name).render_as_string(hide_password=False)
    owner = open_database(owner_url)
    service = ClassroomService(owner)
    roles = service.init().roles
    tag = uuid.uuid4().hex[:4]
    names = [f"cand_{tag}_{i:03d}" for i in range(candidates)]
    urls = [service.add_student(n) for n in names]
    ctx = mp.get_context("spawn")
    start = ctx.Manager().Event()
    wall = time.perf_counter()
    with ctx.Pool(candidates) as pool:
        jobs = [
            pool.apply_async(sit, (url, n, i + 1, think_ms, start))
            for i, (url, n) in enumerate(zip(urls, names, strict=True))
        ]
        time.sleep(0.5)  # let the workers import and connect before the bell
        start.set()
        results = [j.get(timeout=600) for j in jobs]
    wall = time.perf_counter() - wall
    problems = verify(owner_url, results)
    latencies = [ms for r in results for ms in r["answer_ms"]]
    submits = [r["submit_ms"] for r in results if not r["error"]]
    owner.engine.dispose()
    if not keep:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            for role in [*names, roles.students, roles.instructors]:
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()
    return {
        "candidates": candidates,
        "questions_each": len(results[0]["chosen"]) if results else 0,
        "think_ms_max": think_ms,
        "answers": len(latencies),
        "answer_ms": {
            "p50": _percentile(latencies, 0.50) if latencies else None,
            "p95": _percentile(latencies, 0.95) if latencies else None,
            "p99": _percentile(latencies, 0.99) if latencies else None,
            "max": max(latencies) if latencies else None,
        },
        "submit_ms_p50": statistics.median(submits) if submits else None,
        "wall_s": round(wall, 1),
        "problems": problems,
    }


def main() -> None:
    """Command line: run the load test and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("QUIZAPP_TEST_PG"))
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--think-ms", type=int, default=200, help="max pause before an answer")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.server:
        sys.exit("load: pass --server or run under .ci/with-postgres (QUIZAPP_TEST_PG)")
    figures = run(args.server, args.candidates, args.think_ms)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        ms = figures["answer_ms"]
        print(
            f"{figures['candidates']} candidates × {figures['questions_each']} questions,"
            f" {figures['answers']} answers in {figures['wall_s']} s"
        )
        print(
            f"record an answer: p50 {ms['p50']:.1f} ms  p95 {ms['p95']:.1f} ms"
            f"  p99 {ms['p99']:.1f} ms  max {ms['max']:.1f} ms;"
            f" submit p50 {figures['submit_ms_p50']:.0f} ms"
        )
        print("lost or wrong: none" if not figures["problems"] else "\n".join(figures["problems"]))
    sys.exit(1 if figures["problems"] else 0)


if __name__ == "__main__":
    main()
