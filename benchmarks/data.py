"""Synthetic data for the benchmarks: banks of N questions and review logs of M rows.

Rows are written with raw sqlite3 into a database migrated by quizapp itself, so the schema is
the real one and generation stays fast.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

from quizapp.db import migrate
from quizapp.db.engine import make_engine

TOPICS = [
    "climate-governance",
    "disclosure",
    "carbon-pricing",
    "cbam",
    "taiwan-policy",
    "carbon-credits",
    "carbon-neutrality",
    "energy-transition",
]


def gift_text(n: int) -> str:
    """A GIFT bank of n four-option questions."""
    return "\n\n".join(
        f"$CATEGORY: bench/{TOPICS[i % len(TOPICS)]}\n"
        f"::B{i}:: 第 {i} 題：下列何者為真？ {{=正確選項{i} ~錯誤甲{i} ~錯誤乙{i} ~錯誤丙{i}"
        f" ####解析 {i}}}"
        for i in range(n)
    )


def build(path: Path, questions: int, reviews: int, seed: int = 1) -> None:
    """A database with one bank of `questions` and `reviews` answers by one user."""
    path.unlink(missing_ok=True)
    engine = make_engine(str(path))
    migrate.upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    now = dt.datetime(2026, 11, 29, 12, 0)
    con = sqlite3.connect(path)
    cur = con.cursor()
    cur.execute("INSERT INTO topics VALUES ('L11', NULL, 'L11', 'L11', 0)")
    for t in TOPICS:
        cur.execute("INSERT INTO topics VALUES (?, 'L11', ?, ?, 12.5)", (t, t, t))
    cur.execute("INSERT INTO banks VALUES ('bench', 'bench', 'L11', '1', '', 'h', ?, NULL)", (now,))
    cur.executemany(
        "INSERT INTO questions (id, bank_id, key, uid, position, stem, explanation, multi, "
        "sources, valid_as_of, content_hash, revision, retired, answer_changed_at) "
        "VALUES (?, 'bench', ?, ?, ?, ?, '解析', 0, '[]', NULL, 'h', 1, 0, NULL)",
        (
            (i, f"B{i}", f"bench/B{i}", i, f"第 {i} 題：下列何者為真？")
            for i in range(1, questions + 1)
        ),
    )
    cur.executemany(
        "INSERT INTO options VALUES (?, ?, ?, ?, '')",
        ((i, lab, f"選項{lab}{i}", lab == "A") for i in range(1, questions + 1) for lab in "ABCD"),
    )
    cur.executemany(
        "INSERT INTO question_topics VALUES (?, ?, 0)",
        ((i, TOPICS[i % len(TOPICS)]) for i in range(1, questions + 1)),
    )
    cur.execute("INSERT INTO users VALUES (1, 'bench', ?)", (now,))
    seen = max(1, min(questions, reviews // 10))
    cur.executemany(
        "INSERT INTO reviews (user_id, question_id, chosen, correct, rating, duration_ms, "
        "reviewed_at, mode, exam_attempt_id, guessed) VALUES (1, ?, ?, ?, ?, 5000, ?, 'practice', "
        "NULL, 0)",
        (
            (
                q,
                "A" if ok else "B",
                ok,
                3 if ok else 1,
                now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365)),
            )
            for q, ok in ((rng.randrange(1, seen + 1), rng.random() < 0.7) for _ in range(reviews))
        ),
    )
    cur.executemany(
        "INSERT INTO cards (user_id, question_id, state, step, stability, difficulty, due, "
        "last_review) VALUES (1, ?, 2, NULL, ?, 5.0, ?, ?)",
        (
            (
                q,
                rng.uniform(1, 60),
                now + dt.timedelta(days=rng.uniform(-10, 30)),
                now - dt.timedelta(days=rng.uniform(0, 30)),
            )
            for q in range(1, seen + 1)
        ),
    )
    cur.execute(
        "UPDATE cards SET reps = (SELECT count(*) FROM reviews r WHERE r.user_id = cards.user_id "
        "AND r.question_id = cards.question_id), correct_reps = (SELECT count(*) FROM reviews r "
        "WHERE r.user_id = cards.user_id AND r.question_id = cards.question_id AND r.correct)"
    )
    cur.execute("INSERT INTO app_meta VALUES ('bundled:topics.toml', 'bench')")
    con.commit()
    con.close()
