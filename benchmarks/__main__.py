"""Run every benchmark and print figure, floor, ratio and target (docs/benchmarks.md).

python -m benchmarks            sizes 1k and 10k questions, 10k–1M reviews
python -m benchmarks --full     adds 100k questions

With the `anki` package installed (optional, `pip install anki`), Anki's backend is timed on the
same sizes as the peer (benchmarks/anki_peer.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.data import build, gift_text

ROOT = Path(__file__).resolve().parents[1]
ROWS: list[tuple[str, str, str, str, str]] = []


def row(name: str, value: str, floor: str = "", ratio: str = "", target: str = "") -> None:
    """Record and print one figure."""
    ROWS.append((name, value, floor, ratio, target))
    print(f"{name:<52} {value:>12} {floor:>12} {ratio:>8} {target:>10}", flush=True)


def child(mode: str, db: Path) -> tuple[float, int]:
    """Seconds from spawning a start-up child to its first paint, and its peak RSS (KiB).

    The child prints the wall-clock moment of its first paint: what happens after it (Textual
    shutting down, the home screen's overview still computing in its thread) is not start-up.
    """
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup", mode, str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    painted, peak = out.strip().splitlines()[-2:]
    return float(painted) - start, int(peak)


def startup(db: Path, runs: int = 5) -> None:
    """Start-up and memory, each against a bare Textual app in the same run."""
    times: dict[str, list[float]] = {"bare": [], "home": [], "practice": []}
    rss: dict[str, int] = {}
    for _ in range(runs):
        for mode in times:
            wall, peak = child(mode, db)
            times[mode].append(wall)
            rss[mode] = max(rss.get(mode, 0), peak)
    floor = statistics.median(times["bare"])
    for mode, target in (("home", 1.3), ("practice", 1.8)):
        t = statistics.median(times[mode])
        row(
            f"start-up to {mode} painted (10k q, 100k reviews)",
            f"{t * 1000:.0f} ms",
            f"{floor * 1000:.0f} ms",
            f"{t / floor:.2f}×",
            f"≤ {target}×",
        )
    row(
        "peak RSS, practice session (10k q)",
        f"{rss['practice'] / 1024:.0f} MiB",
        f"{rss['bare'] / 1024:.0f} MiB",
        f"{rss['practice'] / rss['bare']:.2f}×",
        "≤ 1.5×",
    )


def answer_next(db: Path, label: str, n: int = 150) -> tuple[float, float]:
    """p50/p95 of recording an answer and picking the next question (service level)."""
    from quizapp.services.context import open_database
    from quizapp.services.session import PracticeSession
    from quizapp.services.study import StudyService

    database = open_database(str(db), load_bundled=False)
    session = PracticeSession(StudyService(database, "bench", "bench"))
    item = session.next()
    samples = []
    for i in range(n):
        assert item is not None
        start = time.perf_counter()
        session.answer(["A" if i % 4 else "B"])
        item = session.next()
        samples.append(time.perf_counter() - start)
    database.engine.dispose()
    samples.sort()
    p50, p95 = samples[len(samples) // 2], samples[int(len(samples) * 0.95)]
    row(f"answer → next question p50 ({label})", f"{p50 * 1000:.2f} ms")
    row(f"answer → next question p95 ({label})", f"{p95 * 1000:.2f} ms", "", "", "≤ 5 ms")
    return p50, p95


def peer(db: Path, tmp: Path, questions: int, reviews: int, ours: tuple[float, float]) -> None:
    """Anki's backend on the same data: open + first due card, answer + next (ratio = ours/Anki)."""
    from benchmarks import anki_peer

    label = f"{questions // 1000}k q, {reviews // 1000}k reviews"
    collection = tmp / f"anki-{questions}-{reviews}.anki2"
    anki_peer.build_collection(collection, questions, reviews)
    theirs = anki_peer.open_first_due(collection)
    mine = anki_peer.ours_open_first_due(db)
    row(
        f"open + first due vs Anki ({label})",
        f"{mine * 1000:.1f} ms",
        f"{theirs * 1000:.1f} ms",
        f"{mine / theirs:.1f}×",
        "peer",
    )
    p50, p95 = anki_peer.answer_next(collection)
    row(
        f"answer → next p50 vs Anki ({label})",
        f"{ours[0] * 1000:.2f} ms",
        f"{p50 * 1000:.2f} ms",
        f"{ours[0] / p50:.1f}×",
        "peer",
    )
    row(
        f"answer → next p95 vs Anki ({label})",
        f"{ours[1] * 1000:.2f} ms",
        f"{p95 * 1000:.2f} ms",
        f"{ours[1] / p95:.1f}×",
        "peer",
    )


def pilot_p95(app: Any, n: int) -> float:
    """p95 of `a` then Enter, each followed by a Pilot pause, on a headless app."""
    import asyncio

    samples: list[float] = []

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(n):
                start = time.perf_counter()
                await pilot.press("a")
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
                samples.append(time.perf_counter() - start)

    asyncio.run(drive())
    samples.sort()
    return samples[int(n * 0.95)]


def answer_next_ui(db: Path, n: int = 60) -> None:
    """p95 through the UI: key → feedback, Enter → next question, against a bare app."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from quizapp.services.context import open_database
    from quizapp.tui.app import QuizApp

    class Bare(App[None]):
        """The floor: the same two keys on an app that only updates a Static."""

        BINDINGS = [("a", "bump", "a"), ("enter", "bump", "enter")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            yield Static("0", id="s")

        def action_bump(self) -> None:
            self.query_one("#s", Static).update(str(time.perf_counter()))

    database = open_database(str(db), load_bundled=False)
    ours = pilot_p95(QuizApp(database, "bench", bank_id="bench", start_practice=True), n)
    database.engine.dispose()
    floor = pilot_p95(Bare(), n)
    row(
        "answer → next question through the UI, p95",
        f"{ours * 1000:.1f} ms",
        f"{floor * 1000:.1f} ms",
        f"{ours / floor:.2f}×",
        "≤ 50 ms",
    )


def import_speed(questions: int, tmp: Path) -> None:
    """GIFT import throughput against raw sqlite3 executemany of the same rows."""
    from quizapp.services.banks import BankService
    from quizapp.services.context import open_database

    gift = tmp / f"bench-{questions}.gift"
    gift.write_text(gift_text(questions), encoding="utf-8")
    db = tmp / f"import-{questions}.sqlite3"
    db.unlink(missing_ok=True)
    database = open_database(str(db), load_bundled=False)
    start = time.perf_counter()
    outcome = BankService(database).import_files([str(gift)])
    ours = time.perf_counter() - start
    assert outcome.ok, outcome.problems[:3]
    database.engine.dispose()
    raw = tmp / f"raw-{questions}.sqlite3"
    raw.unlink(missing_ok=True)
    con = sqlite3.connect(raw)
    con.execute("CREATE TABLE q (id INTEGER PRIMARY KEY, key TEXT, stem TEXT, expl TEXT)")
    con.execute("CREATE TABLE o (qid INTEGER, label TEXT, text TEXT, ok INTEGER)")
    con.execute("CREATE TABLE t (qid INTEGER, topic TEXT)")
    start = time.perf_counter()
    with con:
        con.executemany(
            "INSERT INTO q VALUES (?, ?, ?, ?)",
            ((i, f"B{i}", f"第 {i} 題", "解析") for i in range(questions)),
        )
        con.executemany(
            "INSERT INTO o VALUES (?, ?, ?, ?)",
            ((i, lab, f"選項{i}", lab == "A") for i in range(questions) for lab in "ABCD"),
        )
        con.executemany("INSERT INTO t VALUES (?, ?)", ((i, "cbam") for i in range(questions)))
    floor = time.perf_counter() - start
    con.close()
    row(
        f"import GIFT {questions:,} questions",
        f"{questions / ours:,.0f} q/s",
        f"{questions / floor:,.0f} q/s",
        f"{ours / floor:.1f}×",
        "≥10k q/s, ≤3×",
    )


def stats_time(db: Path, label: str) -> None:
    """`stats --json` computation (topics, readiness, forecast)."""
    from quizapp.services.context import open_database
    from quizapp.services.progress import ProgressService

    database = open_database(str(db), load_bundled=False)
    service = ProgressService(database, "bench")
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        service.as_json()
        samples.append(time.perf_counter() - start)
    database.engine.dispose()
    row(f"stats --json ({label})", f"{min(samples) * 1000:.0f} ms", "", "", "≤ 300 ms")


def main() -> None:
    """Build the data, run every figure, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also 100k questions")
    args = parser.parse_args()
    print(
        f"# quizapp benchmarks {dt.date.today()} · Python {platform.python_version()} · "
        f"{platform.machine()} · {os.cpu_count()} CPUs",
        flush=True,
    )
    from benchmarks import anki_peer

    with_anki = anki_peer.available()
    if with_anki:
        print(f"# peer: Anki {anki_peer.version()} (floor column of the 'vs Anki' rows)")
    else:
        print("# peer: the anki package is not installed (pip install anki): Anki rows skipped")
    print(f"{'figure':<52} {'value':>12} {'floor':>12} {'ratio':>8} {'target':>10}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        main_db = tmp / "10k-100k.sqlite3"
        build(main_db, 10_000, 100_000)
        startup(main_db)
        answer_next_ui(main_db)
        sizes = [(1_000, 10_000), (10_000, 100_000), (10_000, 1_000_000)]
        if args.full:
            sizes.append((100_000, 1_000_000))
        for questions, reviews in sizes:
            db = tmp / f"{questions}-{reviews}.sqlite3"
            if not db.exists():
                build(db, questions, reviews)
            label = f"{questions // 1000}k q, {reviews // 1000}k reviews"
            ours = answer_next(db, label)
            stats_time(db, label)
            if with_anki:
                peer(db, tmp, questions, reviews, ours)
        for questions in [1_000, 10_000] + ([100_000] if args.full else []):
            import_speed(questions, tmp)


if __name__ == "__main__":
    main()
