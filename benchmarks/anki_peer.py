"""The peer: Anki's own backend (the `anki` package from PyPI) on the same sizes.

Optional: `python -m benchmarks` runs it only when `anki` is installed
(`pip install anki`); it is never a dependency of quizapp. Both sides are timed in the same
process, after their imports, on data of the same shape as benchmarks/data.py: one deck of N
four-option questions (Anki: Basic notes), the first N/10… questions seen, with a card each
(due from ten days ago to thirty days ahead) and M review-log rows spread over a year.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

DAY_MS = 86_400_000


def build_collection(path: Path, questions: int, reviews: int, seed: int = 1) -> None:
    """An Anki collection shaped like benchmarks.data.build (same counts, same spread)."""
    from anki.collection import Collection

    rng = random.Random(seed)
    col: Any = Collection(str(path))  # the package is typed loosely (Optional db, scheduler union)
    try:
        model = col.models.by_name("Basic")
        assert model is not None
        deck = col.decks.id("bench")
        assert deck is not None
        for i in range(1, questions + 1):
            note = col.new_note(model)
            note["Front"] = f"第 {i} 題：下列何者為真？ (A) 選項A{i} (B) 選項B{i}"
            note["Back"] = "A"
            col.add_note(note, deck)
        col.decks.select(deck)
        card_ids = col.db.list("select id from cards order by nid")
        seen = max(1, min(questions, reviews // 10))
        today = col.sched.today
        # Seen cards become review cards due between ten days ago and thirty days ahead.
        col.db.executemany(
            "update cards set type = 2, queue = 2, ivl = ?, due = ?, factor = 2500, reps = 3"
            " where id = ?",
            [(rng.randint(1, 60), today + rng.randint(-10, 30), cid) for cid in card_ids[:seen]],
        )
        now_ms = int(time.time() * 1000)
        ids = rng.sample(range(now_ms - 365 * DAY_MS, now_ms), reviews)
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?, ?, -1, ?, 1, 1, 2500, 5000, 1)",
            [(rid, card_ids[rng.randrange(seen)], rng.choice((1, 3))) for rid in ids],
        )
    finally:
        col.close()


def open_first_due(path: Path, runs: int = 5) -> float:
    """Median seconds to open the collection and fetch its first due card."""
    from anki.collection import Collection

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        col: Any = Collection(str(path))
        queued = col.sched.get_queued_cards()
        assert queued.cards
        samples.append(time.perf_counter() - start)
        col.close()
    return statistics.median(samples)


def answer_next(path: Path, n: int = 150) -> tuple[float, float]:
    """p50 and p95 seconds of answering the current card and fetching the next one."""
    from anki.cards import Card
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col: Any = Collection(str(path))  # the package is typed loosely (Optional db, scheduler union)
    samples = []
    try:
        queued = col.sched.get_queued_cards()
        for i in range(n):
            top = queued.cards[0]
            start = time.perf_counter()
            card = Card(col, backend_card=top.card)
            card.start_timer()  # as Anki's reviewer does when it shows the question
            rating = CardAnswer.GOOD if i % 4 else CardAnswer.AGAIN
            changes = col.sched.build_answer(card=card, states=top.states, rating=rating)
            col.sched.answer_card(changes)
            queued = col.sched.get_queued_cards()
            samples.append(time.perf_counter() - start)
    finally:
        col.close()
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95)]


def ours_open_first_due(db: Path, runs: int = 5) -> float:
    """Median seconds for quizapp to open its database and pick the first question."""
    from quizapp.services.context import open_database
    from quizapp.services.session import PracticeSession
    from quizapp.services.study import StudyService

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        database = open_database(str(db), load_bundled=False)
        item: Any = PracticeSession(StudyService(database, "bench", "bench")).next()
        assert item is not None
        samples.append(time.perf_counter() - start)
        database.engine.dispose()
    return statistics.median(samples)


def available() -> bool:
    """Whether the `anki` package can be imported here."""
    import importlib.util

    return importlib.util.find_spec("anki") is not None


def version() -> str:
    """The installed Anki version."""
    from anki.buildinfo import version as v

    return str(v)
