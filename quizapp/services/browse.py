"""Finding questions: by Chinese substring, topic, bank and status; and one question's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from quizapp.db import repo, study_repo
from quizapp.db.study_repo import Scope, scoped
from quizapp.db.tables import CardRow, OptionRow, QuestionMarkRow, QuestionRow, ReviewRow
from quizapp.services.context import Database
from quizapp.services.progress import RECENT_DAYS
from quizapp.services.study import LEECH_LAPSES

STATUSES = ("never-seen", "wrong-recently", "starred", "leech")


@dataclass(frozen=True, slots=True)
class Found:
    """A question that matched, with what the candidate's progress says about it."""

    question_id: int
    bank_id: str
    key: str
    stem: str
    topics: tuple[str, ...]
    status: frozenset[str]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One past answer to a question."""

    reviewed_at: dt.datetime
    chosen: str
    correct: bool
    rating: int
    mode: str


def search(
    db: Database,
    user: str,
    text: str = "",
    *,
    topic: str | None = None,
    bank: str | None = None,
    status: str | None = None,
    limit: int = 500,
) -> list[Found]:
    """Questions matching every given filter, in bank order."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    now = db.clock()
    with db.transaction() as s:
        user_id = repo.get_or_create_user(s, user, now)
        query = select(QuestionRow.id, QuestionRow.bank_id, QuestionRow.key, QuestionRow.stem)
        needle = text.strip()
        if needle:
            in_options = select(OptionRow.question_id).where(OptionRow.text.contains(needle))
            query = query.where(
                or_(
                    QuestionRow.stem.contains(needle),
                    QuestionRow.explanation.contains(needle),
                    QuestionRow.id.in_(in_options),
                )
            )
        rows = s.execute(
            scoped(s, query, Scope(bank, topic)).order_by(QuestionRow.bank_id, QuestionRow.position)
        ).all()
        ids = [r[0] for r in rows]
        topics = study_repo.primary_topics(s, ids)
        seen = set(s.scalars(select(CardRow.question_id).where(CardRow.user_id == user_id)))
        starred = set(
            s.scalars(
                select(QuestionMarkRow.question_id).where(
                    QuestionMarkRow.user_id == user_id, QuestionMarkRow.starred.is_(True)
                )
            )
        )
        wrong = set(
            s.scalars(
                select(ReviewRow.question_id).where(
                    ReviewRow.user_id == user_id,
                    ReviewRow.correct.is_(False),
                    ReviewRow.reviewed_at >= now - dt.timedelta(days=RECENT_DAYS),
                )
            )
        )
        lapses: dict[int, int] = {
            qid: n
            for qid, n in s.execute(
                select(CardRow.question_id, CardRow.lapses).where(CardRow.user_id == user_id)
            )
        }
    out = []
    for qid, bank_id, key, stem in rows:
        flags = set()
        if qid not in seen:
            flags.add("never-seen")
        if qid in wrong:
            flags.add("wrong-recently")
        if qid in starred:
            flags.add("starred")
        if lapses.get(qid, 0) >= LEECH_LAPSES:
            flags.add("leech")
        if status is None or status in flags:
            out.append(Found(qid, bank_id, key, stem, topics.get(qid, ()), frozenset(flags)))
        if len(out) >= limit:
            break
    return out


def history(db: Database, user: str, question_id: int) -> list[HistoryEntry]:
    """Every answer this user gave to a question, newest first."""
    with db.transaction() as s:
        user_id = repo.get_or_create_user(s, user, db.clock())
        rows = s.scalars(
            select(ReviewRow)
            .where(ReviewRow.user_id == user_id, ReviewRow.question_id == question_id)
            .order_by(ReviewRow.reviewed_at.desc())
        )
        return [HistoryEntry(r.reviewed_at, r.chosen, r.correct, r.rating, r.mode) for r in rows]
