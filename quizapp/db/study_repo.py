"""Repository queries for studying: candidates for the queue, review logs, settings, marks.

Like ``repo``: functions take a Session, return plain data, and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, delete, func, select
from sqlalchemy.orm import Session

from quizapp.db.tables import (
    CardRow,
    OptionRow,
    QuestionMarkRow,
    QuestionRow,
    QuestionTopicRow,
    ReviewRow,
    TopicRow,
    UserSettingRow,
)
from quizapp.domain.mastery import QuestionProgress
from quizapp.domain.queueing import Candidate
from quizapp.domain.scheduling import CardState


@dataclass(frozen=True, slots=True)
class Scope:
    """Which questions a session draws from: a bank, a topic (with its sub-topics), or all."""

    bank_id: str | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class Mark:
    """A candidate's star and personal note on one question."""

    starred: bool = False
    note: str = ""


def topic_family(session: Session, topic: str) -> list[str]:
    """A topic id and all its descendants (so `--topic L11` means every L11 area)."""
    family, frontier = [topic], [topic]
    while frontier:
        children = list(
            session.scalars(select(TopicRow.id).where(TopicRow.parent_id.in_(frontier)))
        )
        family += children
        frontier = children
    return family


def scoped(session: Session, query: Select, scope: Scope) -> Select:  # type: ignore[type-arg]
    query = query.where(QuestionRow.retired.is_(False))
    if scope.bank_id is not None:
        query = query.where(QuestionRow.bank_id == scope.bank_id)
    if scope.topic is not None:
        tagged = select(QuestionTopicRow.question_id).where(
            QuestionTopicRow.topic_id.in_(topic_family(session, scope.topic))
        )
        query = query.where(QuestionRow.id.in_(tagged))
    return query


CARD_COLUMNS = (
    CardRow.state,
    CardRow.step,
    CardRow.stability,
    CardRow.difficulty,
    CardRow.due,
    CardRow.last_review,
)


def _card(row: CardRow | None) -> CardState | None:
    if row is None:
        return None
    return CardState(row.state, row.step, row.stability, row.difficulty, row.due, row.last_review)


def _card_of(values: Sequence[object]) -> CardState | None:
    """A card from the six CARD_COLUMNS of a row (None when the outer join found no card)."""
    if values[0] is None:
        return None
    return CardState(*values)  # type: ignore[arg-type]


def primary_topics(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    topics: dict[int, list[str]] = {}
    for qid, topic in session.execute(
        select(QuestionTopicRow.question_id, QuestionTopicRow.topic_id)
        .where(QuestionTopicRow.question_id.in_(ids))
        .order_by(QuestionTopicRow.question_id, QuestionTopicRow.position)
    ):
        topics.setdefault(qid, []).append(topic)
    return {k: tuple(v) for k, v in topics.items()}


def candidates(session: Session, user_id: int, scope: Scope) -> list[Candidate]:
    """Every live question in scope, in bank order, with this user's card and star."""
    rows = session.execute(
        scoped(
            session,
            select(QuestionRow.id, func.coalesce(QuestionMarkRow.starred, False), *CARD_COLUMNS)
            .outerjoin(
                CardRow, (CardRow.question_id == QuestionRow.id) & (CardRow.user_id == user_id)
            )
            .outerjoin(
                QuestionMarkRow,
                (QuestionMarkRow.question_id == QuestionRow.id)
                & (QuestionMarkRow.user_id == user_id),
            )
            .order_by(QuestionRow.bank_id, QuestionRow.position),
            scope,
        )
    ).all()
    topics = primary_topics(session, [r[0] for r in rows])
    return [
        Candidate(r[0], (topics.get(r[0]) or ("",))[0], _card_of(r[2:]), bool(r[1])) for r in rows
    ]


def due_now(
    session: Session, user_id: int, scope: Scope, now: dt.datetime, limit: int
) -> list[int]:
    """Question ids whose card is due (most overdue first): the cheap check between questions."""
    query = (
        select(QuestionRow.id)
        .join(CardRow, (CardRow.question_id == QuestionRow.id) & (CardRow.user_id == user_id))
        .where(CardRow.due <= now)
        .order_by(CardRow.due)
        .limit(limit)
    )
    return list(session.scalars(scoped(session, query, scope)))


def review_log(session: Session, user_id: int, question_id: int) -> list[tuple[int, dt.datetime]]:
    """(rating, time) of the reviews that count for one card, oldest first.

    Answers given before the question's answer key last changed do not count: they answered a
    different question.
    """
    since = session.scalar(
        select(QuestionRow.answer_changed_at).where(QuestionRow.id == question_id)
    )
    query = select(ReviewRow.rating, ReviewRow.reviewed_at).where(
        ReviewRow.user_id == user_id, ReviewRow.question_id == question_id
    )
    if since is not None:
        query = query.where(ReviewRow.reviewed_at >= since)
    return [
        (rating, when)
        for rating, when in session.execute(query.order_by(ReviewRow.reviewed_at, ReviewRow.id))
    ]


def set_card(session: Session, user_id: int, question_id: int, card: CardState | None) -> None:
    """Store (or, for None, delete) a card's state."""
    row = session.get(CardRow, (user_id, question_id))
    if card is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = CardRow(user_id=user_id, question_id=question_id)
        session.add(row)
    row.state, row.step, row.stability = card.state, card.step, card.stability
    row.difficulty, row.due, row.last_review = card.difficulty, card.due, card.last_review


def get_review(session: Session, review_id: int) -> ReviewRow | None:
    """One review row (services read its fields; it never leaves the service)."""
    return session.get(ReviewRow, review_id)


def delete_review(session: Session, review_id: int) -> None:
    """Remove one review (undo)."""
    session.execute(delete(ReviewRow).where(ReviewRow.id == review_id))


def lapses(session: Session, user_id: int, question_id: int) -> int:
    """Wrong answers to a question after it was first answered right (forgetting, not learning)."""
    log = session.execute(
        select(ReviewRow.correct)
        .where(ReviewRow.user_id == user_id, ReviewRow.question_id == question_id)
        .order_by(ReviewRow.reviewed_at, ReviewRow.id)
    ).scalars()
    count, known = 0, False
    for correct in log:
        if correct:
            known = True
        elif known:
            count += 1
    return count


def new_today(session: Session, user_id: int, since: dt.datetime) -> int:
    """How many questions this user saw for the first time since ``since``."""
    firsts = (
        select(func.min(ReviewRow.reviewed_at).label("first"))
        .where(ReviewRow.user_id == user_id)
        .group_by(ReviewRow.question_id)
        .subquery()
    )
    return session.scalar(select(func.count()).where(firsts.c.first >= since)) or 0


def review_days(
    session: Session, user_id: int, since: dt.datetime, utc_offset: dt.timedelta
) -> set[dt.date]:
    """The local calendar days with at least one answer (computed in SQL: one row a day)."""
    minutes = int(utc_offset.total_seconds() // 60)
    if session.get_bind().dialect.name == "sqlite":
        day = func.date(ReviewRow.reviewed_at, f"{minutes:+d} minutes")
    else:
        day = func.date(ReviewRow.reviewed_at + dt.timedelta(minutes=minutes))
    rows = session.execute(
        select(day).where(ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since).distinct()
    )
    out = set()
    for (value,) in rows:
        out.add(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
    return out


def review_times(session: Session, user_id: int, since: dt.datetime) -> list[dt.datetime]:
    """Times of this user's reviews since ``since`` (for streaks and activity)."""
    return list(
        session.scalars(
            select(ReviewRow.reviewed_at).where(
                ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since
            )
        )
    )


def progress(
    session: Session, user_id: int, recent_since: dt.datetime, scope: Scope | None = None
) -> list[QuestionProgress]:
    """Per-question progress (card, answer counts, lapses) of every live question."""
    scope = scope or Scope()
    stats = {
        qid: (n, right, rn, rr)
        for qid, n, right, rn, rr in session.execute(
            select(
                ReviewRow.question_id,
                func.count(),
                func.sum(case((ReviewRow.correct, 1), else_=0)),
                func.sum(case((ReviewRow.reviewed_at >= recent_since, 1), else_=0)),
                func.sum(
                    case(((ReviewRow.reviewed_at >= recent_since) & ReviewRow.correct, 1), else_=0)
                ),
            )
            .where(ReviewRow.user_id == user_id)
            .group_by(ReviewRow.question_id)
        )
    }
    lapses_by_question = lapse_counts(session, user_id)
    option_counts: dict[int, int] = {
        qid: n
        for qid, n in session.execute(
            select(OptionRow.question_id, func.count()).group_by(OptionRow.question_id)
        )
    }
    rows = session.execute(
        scoped(
            session,
            select(QuestionRow.id, *CARD_COLUMNS).outerjoin(
                CardRow, (CardRow.question_id == QuestionRow.id) & (CardRow.user_id == user_id)
            ),
            scope,
        )
    ).all()
    topics = primary_topics(session, [r[0] for r in rows])
    out = []
    for r in rows:
        qid, card = r[0], _card_of(r[1:])
        n, right, rn, rr = stats.get(qid, (0, 0, 0, 0))
        out.append(
            QuestionProgress(
                question_id=qid,
                topics=topics.get(qid, ()),
                options=option_counts.get(qid, 4),
                card=card,
                reviews=n,
                correct=int(right or 0),
                recent_reviews=int(rn or 0),
                recent_correct=int(rr or 0),
                lapses=lapses_by_question.get(qid, 0),
            )
        )
    return out


def lapse_counts(session: Session, user_id: int) -> dict[int, int]:
    """Wrong answers after a question's first right answer, per question, in one query."""
    first_right = (
        select(ReviewRow.question_id, func.min(ReviewRow.reviewed_at).label("at"))
        .where(ReviewRow.user_id == user_id, ReviewRow.correct.is_(True))
        .group_by(ReviewRow.question_id)
        .subquery()
    )
    query = (
        select(ReviewRow.question_id, func.count())
        .join(first_right, first_right.c.question_id == ReviewRow.question_id)
        .where(
            ReviewRow.user_id == user_id,
            ReviewRow.correct.is_(False),
            ReviewRow.reviewed_at > first_right.c.at,
        )
        .group_by(ReviewRow.question_id)
    )
    return {qid: n for qid, n in session.execute(query)}


def cards(session: Session, user_id: int) -> list[CardState]:
    """Every card of this user (for the due forecast)."""
    rows = session.execute(select(*CARD_COLUMNS).where(CardRow.user_id == user_id))
    return [c for c in (_card_of(r) for r in rows) if c]


# ---------------------------------------------------------------- settings and marks


def get_setting(session: Session, user_id: int, key: str) -> str | None:
    """A per-user setting, or None."""
    row = session.get(UserSettingRow, (user_id, key))
    return row.value if row else None


def set_setting(session: Session, user_id: int, key: str, value: str | None) -> None:
    """Store a per-user setting (None deletes it)."""
    row = session.get(UserSettingRow, (user_id, key))
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(UserSettingRow(user_id=user_id, key=key, value=value))
    else:
        row.value = value


def get_mark(session: Session, user_id: int, question_id: int) -> Mark:
    """The star and note of a question (empty when none)."""
    row = session.get(QuestionMarkRow, (user_id, question_id))
    return Mark(row.starred, row.note) if row else Mark()


def set_mark(
    session: Session, user_id: int, question_id: int, mark: Mark, now: dt.datetime
) -> None:
    """Store a question's star and note."""
    row = session.get(QuestionMarkRow, (user_id, question_id))
    if row is None:
        row = QuestionMarkRow(user_id=user_id, question_id=question_id)
        session.add(row)
    row.starred, row.note, row.updated_at = mark.starred, mark.note, now


def review_outcomes(
    session: Session, user_id: int, since: dt.datetime
) -> list[tuple[dt.datetime, bool]]:
    """(time, right?) of this user's answers since ``since`` (accuracy over time)."""
    return [
        (when, bool(correct))
        for when, correct in session.execute(
            select(ReviewRow.reviewed_at, ReviewRow.correct).where(
                ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since
            )
        )
    ]
