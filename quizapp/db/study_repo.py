"""Repository queries for studying: candidates for the queue, review logs, settings, marks.

Like ``repo``: functions take a Session, return plain data, and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Interval, Row, Select, case, delete, func, literal, select
from sqlalchemy.orm import Session, aliased

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
from quizapp.domain.mastery import Answer, QuestionProgress
from quizapp.domain.model import Mark
from quizapp.domain.queueing import Candidate
from quizapp.domain.scheduling import CardState, replay, review


@dataclass(frozen=True, slots=True)
class Scope:
    """Which questions a session draws from: a bank, a topic (with its sub-topics), or all."""

    bank_id: str | None = None
    topic: str | None = None


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


def _topics_by_question(session: Session, query: Select) -> dict[int, tuple[str, ...]]:  # type: ignore[type-arg]
    """(question id, topic id) rows, already in author order, grouped by question."""
    topics: dict[int, list[str]] = {}
    for qid, topic in session.execute(query):
        topics.setdefault(qid, []).append(topic)
    return {k: tuple(v) for k, v in topics.items()}


_TOPIC_ROWS = select(QuestionTopicRow.question_id, QuestionTopicRow.topic_id).order_by(
    QuestionTopicRow.question_id, QuestionTopicRow.position
)


def primary_topics(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The topics (in author order) of the given questions."""
    return _topics_by_question(session, _TOPIC_ROWS.where(QuestionTopicRow.question_id.in_(ids)))


def topics_in_scope(session: Session, scope: Scope) -> dict[int, tuple[str, ...]]:
    """The topics (in author order) of every live question in scope, by a join.

    Not ``IN (ids…)``: with 10k questions that is 10k bound parameters to send and parse.
    """
    joined = _TOPIC_ROWS.join(QuestionRow, QuestionRow.id == QuestionTopicRow.question_id)
    return _topics_by_question(session, scoped(session, joined, scope))


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
    topics = topics_in_scope(session, scope)
    return [
        Candidate(r[0], (topics.get(r[0]) or ("",))[0], _card_of(r[2:]), bool(r[1])) for r in rows
    ]


def _counting_logs(
    session: Session, user_id: int, question_ids: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """Per question, (rating, reviewed_at, correct) of the reviews that count, oldest first.

    Answers given before the question's answer key last changed do not count: they answered a
    different question. Two queries, however many questions.
    """
    since: dict[int, dt.datetime | None] = {
        qid: changed
        for qid, changed in session.execute(
            select(QuestionRow.id, QuestionRow.answer_changed_at).where(
                QuestionRow.id.in_(question_ids)
            )
        )
    }
    logs: dict[int, list[Row[Any]]] = {qid: [] for qid in question_ids}
    rows = session.execute(
        select(ReviewRow.question_id, ReviewRow.rating, ReviewRow.reviewed_at, ReviewRow.correct)
        .where(ReviewRow.user_id == user_id, ReviewRow.question_id.in_(question_ids))
        .order_by(ReviewRow.question_id, ReviewRow.reviewed_at, ReviewRow.id)
    )
    for r in rows:
        cut = since.get(r.question_id)
        if cut is None or r.reviewed_at >= cut:
            logs[r.question_id].append(r)
    return logs


def review_log(session: Session, user_id: int, question_id: int) -> list[tuple[int, dt.datetime]]:
    """(rating, time) of the reviews that count for one card, oldest first."""
    log = _counting_logs(session, user_id, [question_id])[question_id]
    return [(r.rating, r.reviewed_at) for r in log]


def rebuild_card(session: Session, user_id: int, question_id: int) -> CardState | None:
    """Recompute a card (FSRS state and counts) from the reviews that count for it."""
    return rebuild_cards(session, user_id, [question_id])[question_id]


def rebuild_cards(
    session: Session, user_id: int, question_ids: Iterable[int]
) -> dict[int, CardState | None]:
    """``rebuild_card`` for many questions in three queries (an exam's answers at submission)."""
    ids = sorted(set(question_ids))
    if not ids:
        return {}
    logs = _counting_logs(session, user_id, ids)
    rows = {
        row.question_id: row
        for row in session.scalars(
            select(CardRow).where(CardRow.user_id == user_id, CardRow.question_id.in_(ids))
        )
    }
    out: dict[int, CardState | None] = {}
    for qid, log in logs.items():
        card = replay(qid, [(r.rating, r.reviewed_at) for r in log])
        row = _store_card(session, rows.get(qid), user_id, qid, card)
        if row is not None:
            row.reps, row.correct_reps, row.lapses = count_log([bool(r.correct) for r in log])
        out[qid] = card
    return out


def count_log(outcomes: Sequence[bool]) -> tuple[int, int, int]:
    """(answers, right answers, lapses) of a card's log, oldest first.

    A lapse is a wrong answer after the question had been answered right: forgetting, not
    learning.
    """
    right = lapses = 0
    for ok in outcomes:
        if ok:
            right += 1
        elif right:
            lapses += 1
    return len(outcomes), right, lapses


def apply_answer(
    session: Session, user_id: int, question_id: int, rating: int, correct: bool, now: dt.datetime
) -> tuple[CardState, int]:
    """Reschedule a card for one answer and add it to the card's counts.

    Returns the new state and the card's lapses (a wrong answer after a right one). One
    lookup of the card row; the review itself is appended by ``repo.add_review``.
    """
    row = session.get(CardRow, (user_id, question_id))
    card = review(_card(row), rating, now, question_id)
    stored = _store_card(session, row, user_id, question_id, card)
    assert stored is not None
    reps, right, lapses = stored.reps or 0, stored.correct_reps or 0, stored.lapses or 0
    if not correct and right:
        lapses += 1
    stored.reps, stored.correct_reps, stored.lapses = reps + 1, right + int(correct), lapses
    return card, lapses


def _store_card(
    session: Session, row: CardRow | None, user_id: int, question_id: int, card: CardState | None
) -> CardRow | None:
    """Write ``card`` into ``row`` (the stored card, or None when there is none yet)."""
    if card is None:
        if row is not None:
            session.delete(row)
        return None
    if row is None:
        row = CardRow(user_id=user_id, question_id=question_id)
        session.add(row)
    row.state, row.step, row.stability = card.state, card.step, card.stability
    row.difficulty, row.due, row.last_review = card.difficulty, card.due, card.last_review
    return row


def get_review(session: Session, review_id: int) -> ReviewRow | None:
    """One review row (services read its fields; it never leaves the service)."""
    return session.get(ReviewRow, review_id)


def delete_review(session: Session, review_id: int) -> None:
    """Remove one review (undo)."""
    session.execute(delete(ReviewRow).where(ReviewRow.id == review_id))


def new_today(session: Session, user_id: int, since: dt.datetime) -> int:
    """How many questions this user saw for the first time since ``since``.

    Today's answers, minus questions answered before: two index lookups per answer today,
    instead of the first answer of every question in the whole log.
    """
    earlier = aliased(ReviewRow)
    answered_before = (
        select(earlier.id)
        .where(
            earlier.user_id == user_id,
            earlier.question_id == ReviewRow.question_id,
            earlier.reviewed_at < since,
        )
        .exists()
    )
    query = select(func.count(func.distinct(ReviewRow.question_id))).where(
        ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since, ~answered_before
    )
    return session.scalar(query) or 0


def _local_day(session: Session, column: Any, utc_offset: dt.timedelta) -> Any:
    """SQL for the local calendar date of a UTC timestamp column (the one dialect branch)."""
    minutes = int(utc_offset.total_seconds() // 60)
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column, f"{minutes:+d} minutes")
    # A typed literal: the column's UTC type would try to convert the interval.
    return func.date(column + literal(dt.timedelta(minutes=minutes), Interval()))


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def review_days(
    session: Session, user_id: int, since: dt.datetime, utc_offset: dt.timedelta
) -> set[dt.date]:
    """The local calendar days with at least one answer (computed in SQL: one row a day)."""
    day = _local_day(session, ReviewRow.reviewed_at, utc_offset)
    rows = session.execute(
        select(day).where(ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since).distinct()
    )
    return {_as_date(value) for (value,) in rows}


def due_by_day(session: Session, user_id: int, utc_offset: dt.timedelta) -> dict[dt.date, int]:
    """How many of this user's cards fall due on each local day (one row a day, in SQL)."""
    day = _local_day(session, CardRow.due, utc_offset)
    rows = session.execute(
        select(day, func.count()).where(CardRow.user_id == user_id).group_by(day)
    )
    return {_as_date(value): n for value, n in rows}


def card_counts(session: Session, user_id: int, due_before: dt.datetime) -> tuple[int, int]:
    """(cards, cards due before ``due_before``) of this user, counted in SQL."""
    total, due = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((CardRow.due < due_before, 1), else_=0)), 0),
        ).where(CardRow.user_id == user_id)
    ).one()
    return int(total), int(due)


def progress(
    session: Session, user_id: int, recent_since: dt.datetime, scope: Scope | None = None
) -> list[QuestionProgress]:
    """Per-question progress (card, answer counts, lapses) of every live question.

    All-time counts come from the cards; only the recent window reads `reviews` (by time).
    """
    scope = scope or Scope()
    recent = {
        qid: (n, int(right or 0))
        for qid, n, right in session.execute(
            select(
                ReviewRow.question_id,
                func.count(),
                func.sum(case((ReviewRow.correct, 1), else_=0)),
            )
            .where(ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= recent_since)
            .group_by(ReviewRow.question_id)
        )
    }
    first_id = (
        select(func.min(ReviewRow.id).label("id"))
        .where(ReviewRow.user_id == user_id)
        .group_by(ReviewRow.question_id)
        .subquery()
    )
    first: dict[int, bool] = {
        qid: bool(ok)
        for qid, ok in session.execute(
            select(ReviewRow.question_id, ReviewRow.correct).join(
                first_id, first_id.c.id == ReviewRow.id
            )
        )
    }
    option_counts: dict[int, int] = {
        qid: n
        for qid, n in session.execute(
            select(OptionRow.question_id, func.count()).group_by(OptionRow.question_id)
        )
    }
    rows = session.execute(
        scoped(
            session,
            select(
                QuestionRow.id, CardRow.reps, CardRow.correct_reps, CardRow.lapses, *CARD_COLUMNS
            ).outerjoin(
                CardRow, (CardRow.question_id == QuestionRow.id) & (CardRow.user_id == user_id)
            ),
            scope,
        )
    ).all()
    topics = topics_in_scope(session, scope)
    out = []
    for r in rows:
        qid = r[0]
        rn, rr = recent.get(qid, (0, 0))
        out.append(
            QuestionProgress(
                question_id=qid,
                topics=topics.get(qid, ()),
                options=option_counts.get(qid, 4),
                card=_card_of(r[4:]),
                reviews=r[1] or 0,
                correct=r[2] or 0,
                recent_reviews=rn,
                recent_correct=rr,
                lapses=r[3] or 0,
                first_correct=first.get(qid),
            )
        )
    return out


def recent_logs(
    session: Session, user_id: int, max_questions: int
) -> list[list[tuple[int, dt.datetime, bool]]]:
    """Whole logs of (rating, time, right?) of this user's ``max_questions`` last-answered
    questions, for those answered more than once (the forgetting fit replays them).
    """
    recent = (
        select(ReviewRow.question_id)
        .where(ReviewRow.user_id == user_id)
        .group_by(ReviewRow.question_id)
        .having(func.count() > 1)
        .order_by(func.max(ReviewRow.id).desc())
        .limit(max_questions)
    )
    logs: dict[int, list[tuple[int, dt.datetime, bool]]] = {}
    rows = session.execute(
        select(ReviewRow.question_id, ReviewRow.rating, ReviewRow.reviewed_at, ReviewRow.correct)
        .where(ReviewRow.user_id == user_id, ReviewRow.question_id.in_(recent))
        .order_by(ReviewRow.question_id, ReviewRow.reviewed_at, ReviewRow.id)
    )
    for qid, rating, when, ok in rows:
        logs.setdefault(qid, []).append((rating, when, bool(ok)))
    return list(logs.values())


def recent_answers(session: Session, user_id: int, since: dt.datetime) -> list[Answer]:
    """This user's answers since ``since`` (weak topics weigh them by age)."""
    return [
        Answer(qid, bool(ok), when)
        for qid, ok, when in session.execute(
            select(ReviewRow.question_id, ReviewRow.correct, ReviewRow.reviewed_at).where(
                ReviewRow.user_id == user_id, ReviewRow.reviewed_at >= since
            )
        )
    ]


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
