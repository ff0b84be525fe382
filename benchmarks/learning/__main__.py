"""The learning simulator: python -m benchmarks.learning [--quick] [--json FILE] ...

Runs every policy (the app's through its real services, and the baselines) for every learner,
answers-per-day figure and seed, then prints mean ± sd of each figure (see docs/learning.md).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.learning.run import POLICIES, PROBE_DAYS, Outcome, World, build_world, run_one


def _task(args: tuple[World, str, str, int, int, int]) -> tuple[str, str, int, int, Outcome]:
    world, learner, policy, seed, days, per_day = args
    return learner, policy, per_day, seed, run_one(world, learner, policy, seed, days, per_day)


def _ms(values: Sequence[float], scale: float = 1.0, digits: int = 1) -> str:
    if not values:
        return "—"
    mean = statistics.fmean(values) * scale
    sd = statistics.stdev(values) * scale if len(values) > 1 else 0.0
    return f"{mean:.{digits}f}±{sd:.{digits}f}"


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Mean and sd of each figure over seeds."""

    def stat(values: Sequence[float]) -> dict[str, float]:
        return {
            "mean": statistics.fmean(values) if values else float("nan"),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        }

    out: dict[str, Any] = {
        "score_bank": stat([o.score_bank for o in outcomes]),
        "score_mock": stat([o.score_mock for o in outcomes]),
        "p_pass": stat([o.p_pass for o in outcomes]),
        "never_shown": stat([o.never_shown for o in outcomes]),
        "answers": stat([o.answers for o in outcomes]),
        "idle": stat([o.idle for o in outcomes]),
        "over_95": stat([o.over_95 for o in outcomes]),
        "all_seen_by_day": [o.first_day_all_seen for o in outcomes],
        "precision_at_5": {},
        "precision_at_5_raw_accuracy": {},
        "readiness_error": {},
        "readiness_abs_error_max": {},
        "readiness_interval_covers": {},
    }
    for day in PROBE_DAYS:
        out["precision_at_5_raw_accuracy"][day] = stat(
            [o.precision_naive[day] for o in outcomes if day in o.precision_naive]
        )
        if not any(day in o.precision for o in outcomes):
            continue
        out["precision_at_5"][day] = stat([o.precision[day] for o in outcomes])
        subjects = sorted(outcomes[0].readiness_error[day])
        out["readiness_error"][day] = {
            s: stat([o.readiness_error[day][s] for o in outcomes]) for s in subjects
        }
        out["readiness_abs_error_max"][day] = max(
            abs(o.readiness_error[day][s]) for o in outcomes for s in subjects
        )
        out["readiness_interval_covers"][day] = stat([o.readiness_covered[day] for o in outcomes])
    return out


def table(results: dict[str, dict[int, dict[str, list[Outcome]]]]) -> str:
    """Markdown tables, one per learner and answers a day."""
    lines = []
    for learner, by_rate in results.items():
        for per_day, by_policy in sorted(by_rate.items()):
            seeds = len(next(iter(by_policy.values())))
            lines += [
                f"### learner `{learner}`, {per_day} answers a day ({seeds} seeds)",
                "",
                "| policy | exam-day score, whole bank | blueprint mock | P(pass) | never shown "
                "| all seen by day | answers at p>0.95 | weak p@5 d7/14/20 | readiness error "
                "d7/14/20 (L11; L12) |",
                "|---|---|---|---|---|---|---|---|---|",
            ]
            for policy, outs in by_policy.items():
                days_seen = [o.first_day_all_seen for o in outs]
                seen_txt = (
                    "never"
                    if any(d is None for d in days_seen)
                    else f"{statistics.fmean(d for d in days_seen if d is not None):.0f}"
                )
                prec = (
                    " / ".join(_ms([o.precision[d] for o in outs], 1, 2) for d in PROBE_DAYS)
                    if outs[0].precision
                    else "—"
                )
                if outs[0].readiness_error:
                    ready = " / ".join(
                        "; ".join(
                            _ms([o.readiness_error[d][s] for o in outs])
                            for s in sorted(outs[0].readiness_error[d])
                        )
                        for d in PROBE_DAYS
                    )
                else:
                    ready = "—"
                lines.append(
                    f"| {policy} | {_ms([o.score_bank for o in outs])} "
                    f"| {_ms([o.score_mock for o in outs])} "
                    f"| {_ms([o.p_pass for o in outs], 1, 2)} "
                    f"| {_ms([o.never_shown for o in outs], 1, 0)} | {seen_txt} "
                    f"| {_ms([o.over_95 for o in outs], 100, 0)} % | {prec} | {ready} |"
                )
            lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run every combination (in parallel), print and save the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.learning", description=__doc__)
    parser.add_argument("--learner", action="append", help="built-in name or module:factory")
    parser.add_argument("--per-day", type=int, action="append", help="answers a day")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--days", type=int, default=45, help="days until the exam")
    parser.add_argument("--policy", action="append", choices=POLICIES)
    parser.add_argument("--jobs", type=int, default=max(1, multiprocessing.cpu_count()))
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--quick", action="store_true", help="2 seeds, 40 a day, 21 days")
    args = parser.parse_args(argv)
    learners = args.learner or ["exp", "actr"]
    rates = args.per_day or ([40] if args.quick else [20, 40])
    seeds = 2 if args.quick else args.seeds
    days = 21 if args.quick else args.days
    policies = args.policy or list(POLICIES)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        world = build_world(Path(tmp))
        tasks = [
            (world, learner, policy, seed, days, per_day)
            for learner in learners
            for per_day in rates
            for seed in range(1, seeds + 1)
            for policy in policies
        ]
        results: dict[str, dict[int, dict[str, list[Outcome]]]] = {}
        for learner in learners:
            for per_day in rates:
                for policy in policies:
                    results.setdefault(learner, {}).setdefault(per_day, {})[policy] = []
        if args.jobs > 1:
            with multiprocessing.Pool(args.jobs) as pool:
                done = pool.imap_unordered(_task, tasks)
                for learner, policy, per_day, _seed, outcome in done:
                    results[learner][per_day][policy].append(outcome)
        else:
            for task in tasks:
                learner, policy, per_day, _seed, outcome = _task(task)
                results[learner][per_day][policy].append(outcome)
    print(table(results))
    print(f"({len(world.questions)} questions, {days} days, {time.perf_counter() - started:.0f} s)")
    if args.json:
        payload = {
            "questions": len(world.questions),
            "days": days,
            "seeds": seeds,
            "results": {
                learner: {
                    str(per_day): {p: summarise(o) for p, o in by_policy.items()}
                    for per_day, by_policy in by_rate.items()
                }
                for learner, by_rate in results.items()
            },
            "runs": {
                learner: {
                    str(per_day): {p: [asdict(x) for x in o] for p, o in by_policy.items()}
                    for per_day, by_policy in by_rate.items()
                }
                for learner, by_rate in results.items()
            },
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str), "utf-8")


if __name__ == "__main__":
    main()
