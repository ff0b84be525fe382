"""Repository: query functions that take a Session and return domain objects (never rows).

Callers (services) own the transaction; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from quizapp.db.tables import (
    AppMeta,
    BankRow,
    CardRow,
    NoteLinkRow,
    OptionRow,
    QuestionRow,
    QuestionTopicRow,
    ReviewRow,
    TopicRow,
    UserRow,
)
from quizapp.domain.model import (
    Bank,
    BankSummary,
    Option,
    Question,
    Source,
    StudyItem,
    Topic,
)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What importing one bank changed."""

    bank_id: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    restored: int = 0
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)


# ---------------------------------------------------------------- meta


def get_meta(session: Session, key: str) -> str | None:
    """A stored app_meta value."""
    row = session.get(AppMeta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    """Store an app_meta value."""
    row = session.get(AppMeta, key)
    if row is None:
        session.add(AppMeta(key=key, value=value))
    else:
        row.value = value


# ---------------------------------------------------------------- topics


def sync_topics(session: Session, topics: Sequence[Topic]) -> None:
    """Insert or update the topic tree (topics are never deleted: questions may use them)."""
    existing = {t.id: t for t in session.scalars(select(TopicRow))}
    for t in topics:  # parents come first in the file, so the FK always resolves
        row = existing.get(t.id)
        if row is None:
            session.add(
                TopicRow(
                    id=t.id,
                    parent_id=t.parent_id,
                    title_zh=t.title_zh,
                    title_en=t.title_en,
                    exam_weight=t.exam_weight,
                )
            )
            session.flush()
        else:
            row.parent_id, row.title_zh = t.parent_id, t.title_zh
            row.title_en, row.exam_weight = t.title_en, t.exam_weight


def list_topics(session: Session) -> list[Topic]:
    """Every topic of the tree."""
    return [
        Topic(r.id, r.title_zh, r.title_en, r.parent_id, r.exam_weight)
        for r in session.scalars(select(TopicRow).order_by(TopicRow.id))
    ]


# ---------------------------------------------------------------- banks


def question_hash(q: Question) -> str:
    """Content hash of a question: changes whenever anything a candidate sees changes."""
    payload = {
        "stem": q.stem,
        "options": [[o.label, o.text, o.is_correct, o.feedback] for o in q.options],
        "explanation": q.explanation,
        "topics": list(q.topics),
        "notes": list(q.notes),
        "sources": [[s.title, s.url, s.quote] for s in q.sources],
        "valid_as_of": q.valid_as_of.isoformat() if q.valid_as_of else None,
        "multi": q.multi,
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def bank_hash(bank: Bank) -> str:
    """Content hash of a whole bank."""
    h = hashlib.sha256(f"{bank.id}\0{bank.title}\0{bank.subject}\0{bank.version}".encode())
    for q in bank.questions:
        h.update(f"\0{q.key}\0{question_hash(q)}".encode())
    return h.hexdigest()


def import_bank(session: Session, bank: Bank, now: dt.datetime) -> ImportReport:
    """Insert or update a bank, matching questions by uid so every user's history survives.

    Edited questions get a new revision; questions missing from the file are retired (never
    deleted: reviews point at them); a retired question that comes back is restored. When the
    answer key of a question changes, every card of it is reset: answers given to the old key
    no longer count for scheduling (``answer_changed_at``), but stay in the history.
    """
    row = session.get(BankRow, bank.id)
    if row is None:
        row = BankRow(id=bank.id, imported_at=now, content_hash="")
        session.add(row)
    row.title, row.subject, row.version = bank.title, bank.subject, bank.version
    row.description, row.content_hash, row.imported_at = bank.description, bank_hash(bank), now
    row.valid_as_of = bank.valid_as_of
    session.flush()
    # What is stored, without ORM objects: most questions of a re-import are unchanged.
    stored = {
        r.key: r
        for r in session.execute(
            select(
                QuestionRow.id,
                QuestionRow.key,
                QuestionRow.content_hash,
                QuestionRow.retired,
                QuestionRow.position,
            ).where(QuestionRow.bank_id == bank.id)
        )
    }
    keys: dict[str, list[str]] = {
        k: [] for k in ("added", "updated", "unchanged", "retired", "restored", "reset")
    }
    new: list[tuple[int, Question, str]] = []
    changed: dict[int, tuple[int, Question, str]] = {}
    moved: list[dict[str, int]] = []
    for position, q in enumerate(bank.questions):
        digest = question_hash(q)
        meta = stored.pop(q.key, None)
        if meta is None:
            new.append((position, q, digest))
            keys["added"].append(q.key)
        elif meta.content_hash == digest and not meta.retired:
            if meta.position != position:
                moved.append({"id": meta.id, "position": position})
            keys["unchanged"].append(q.key)
        else:
            changed[meta.id] = (position, q, digest)
    rows = session.scalars(
        select(QuestionRow)
        .where(QuestionRow.id.in_(changed))
        .options(
            selectinload(QuestionRow.options),
            selectinload(QuestionRow.topics),
            selectinload(QuestionRow.note_links),
        )
    ).all()
    for qrow in sorted(rows, key=lambda r: changed[r.id][0]):  # in file order
        position, q, digest = changed[qrow.id]
        if qrow.retired:
            keys["restored"].append(q.key)
        if qrow.content_hash != digest:
            qrow.revision += 1
            keys["updated"].append(q.key)
            if _answer_texts(qrow) != frozenset(o.text for o in q.options if o.is_correct):
                qrow.answer_changed_at = now
                session.execute(delete(CardRow).where(CardRow.question_id == qrow.id))
                keys["reset"].append(q.key)
        _fill_question(qrow, q, position, digest)
    gone = [meta for meta in stored.values() if not meta.retired]
    keys["retired"] = [meta.key for meta in gone]
    session.flush()
    # Bulk UPDATEs by primary key: new positions, and questions no longer in the file.
    if moved:
        session.execute(update(QuestionRow), moved)
    if gone:
        session.execute(update(QuestionRow), [{"id": m.id, "retired": True} for m in gone])
    _insert_new_questions(session, bank.id, new)
    return ImportReport(
        bank_id=bank.id,
        added=len(keys["added"]),
        updated=len(keys["updated"]),
        unchanged=len(keys["unchanged"]),
        retired=len(keys["retired"]),
        restored=len(keys["restored"]),
        keys={k: tuple(v) for k, v in keys.items()},
    )


def _insert_new_questions(
    session: Session, bank_id: str, new: Sequence[tuple[int, Question, str]]
) -> None:
    """Insert questions that were not stored yet with four multi-row INSERTs.

    A new bank is all new questions: building ORM objects for each question, option, topic
    and note link was four fifths of the import time (1.8k questions/s for a 10k bank).
    """
    if not new:
        return
    ids = {
        key: qid
        for qid, key in session.execute(
            insert(QuestionRow).returning(
                QuestionRow.id, QuestionRow.key, sort_by_parameter_order=True
            ),
            [
                {
                    "bank_id": bank_id,
                    "key": q.key,
                    "uid": f"{bank_id}/{q.key}",
                    "revision": 1,
                    "position": position,
                    "stem": q.stem,
                    "explanation": q.explanation,
                    "multi": q.multi,
                    "sources": _sources(q),
                    "valid_as_of": q.valid_as_of,
                    "content_hash": digest,
                    "retired": False,
                }
                for position, q, digest in new
            ],
        )
    }
    options = [
        {
            "question_id": ids[q.key],
            "label": o.label,
            "text": o.text,
            "is_correct": o.is_correct,
            "feedback": o.feedback,
        }
        for _, q, _ in new
        for o in q.options
    ]
    topics = [
        {"question_id": ids[q.key], "topic_id": t, "position": i}
        for _, q, _ in new
        for i, t in enumerate(dict.fromkeys(q.topics))
    ]
    notes = [
        {"question_id": ids[q.key], "position": i, "target": n}
        for _, q, _ in new
        for i, n in enumerate(q.notes)
    ]
    for table, rows in ((OptionRow, options), (QuestionTopicRow, topics), (NoteLinkRow, notes)):
        if rows:
            session.execute(insert(table), rows)


def _sources(q: Question) -> list[dict[str, str]]:
    return [{"title": s.title, "url": s.url, "quote": s.quote} for s in q.sources]


def _answer_texts(row: QuestionRow) -> frozenset[str]:
    return frozenset(o.text for o in row.options if o.is_correct)


def retire_bank(session: Session, bank_id: str) -> int:
    """Retire every live question of a bank (history stays); returns how many."""
    rows = list(
        session.scalars(
            select(QuestionRow).where(
                QuestionRow.bank_id == bank_id, QuestionRow.retired.is_(False)
            )
        )
    )
    for r in rows:
        r.retired = True
    row = session.get(BankRow, bank_id)
    if row is not None:
        row.content_hash = ""  # a later re-import of the same file must restore it
    return len(rows)


def _fill_question(row: QuestionRow, q: Question, position: int, digest: str) -> None:
    row.position, row.stem, row.explanation, row.multi = position, q.stem, q.explanation, q.multi
    row.sources = _sources(q)
    row.valid_as_of, row.content_hash, row.retired = q.valid_as_of, digest, False
    row.options = [
        OptionRow(label=o.label, text=o.text, is_correct=o.is_correct, feedback=o.feedback)
        for o in q.options
    ]
    row.topics = [
        QuestionTopicRow(topic_id=t, position=i) for i, t in enumerate(dict.fromkeys(q.topics))
    ]
    row.note_links = [NoteLinkRow(position=i, target=n) for i, n in enumerate(q.notes)]


def list_banks(session: Session, user_id: int | None = None) -> list[BankSummary]:
    """Every bank with its number of live questions (and how many this user has answered)."""
    counts = (
        select(QuestionRow.bank_id, func.count().label("n"))
        .where(QuestionRow.retired.is_(False))
        .group_by(QuestionRow.bank_id)
        .subquery()
    )
    answered: dict[str, int] = {}
    if user_id is not None:
        answered = {
            bank_id: n
            for bank_id, n in session.execute(
                select(QuestionRow.bank_id, func.count(func.distinct(ReviewRow.question_id)))
                .join(ReviewRow, ReviewRow.question_id == QuestionRow.id)
                .where(ReviewRow.user_id == user_id, QuestionRow.retired.is_(False))
                .group_by(QuestionRow.bank_id)
            )
        }
    rows = session.execute(
        select(BankRow, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.bank_id == BankRow.id)
        .order_by(BankRow.id)
    )
    # A removed bank keeps its rows (history points at them) but has no live question.
    return [
        BankSummary(b.id, b.title, b.subject, b.version, n, answered.get(b.id, 0))
        for b, n in rows
        if n > 0
    ]


def bank_exists(session: Session, bank_id: str) -> bool:
    """Whether a bank with this id is stored."""
    return session.get(BankRow, bank_id) is not None


def _by_question(session: Session, query: Select[tuple[int, str]]) -> dict[int, list[str]]:
    """(question id, value) rows grouped by question, in query order."""
    out: dict[int, list[str]] = defaultdict(list)
    for qid, value in session.execute(query):
        out[qid].append(value)
    return out


def _load_questions(
    session: Session, where: ColumnElement[bool], order: Any = QuestionRow.id
) -> list[tuple[int, str, str, Question]]:
    """(id, bank id, bank title, question) of the matching questions, in ``order``.

    Four Core queries (questions with their bank's title, then options, topics and note links
    of all of them): asking a question must be fast, and ORM objects with three eager
    loads cost several milliseconds per question in identity-map and cache-key work.
    """
    q = QuestionRow
    rows = session.execute(
        select(
            q.id,
            q.bank_id,
            BankRow.title,
            q.key,
            q.stem,
            q.explanation,
            q.multi,
            q.sources,
            q.valid_as_of,
        )
        .join(BankRow, BankRow.id == q.bank_id)
        .where(where)
        .order_by(order)
    ).all()
    ids = [r.id for r in rows]
    if not ids:
        return []
    options: dict[int, list[Option]] = defaultdict(list)
    for qid, label, text_, correct, feedback in session.execute(
        select(
            OptionRow.question_id,
            OptionRow.label,
            OptionRow.text,
            OptionRow.is_correct,
            OptionRow.feedback,
        )
        .where(OptionRow.question_id.in_(ids))
        .order_by(OptionRow.question_id, OptionRow.label)
    ):
        options[qid].append(Option(label, text_, correct, feedback))
    topics = _by_question(
        session,
        select(QuestionTopicRow.question_id, QuestionTopicRow.topic_id)
        .where(QuestionTopicRow.question_id.in_(ids))
        .order_by(QuestionTopicRow.question_id, QuestionTopicRow.position),
    )
    notes = _by_question(
        session,
        select(NoteLinkRow.question_id, NoteLinkRow.target)
        .where(NoteLinkRow.question_id.in_(ids))
        .order_by(NoteLinkRow.question_id, NoteLinkRow.position),
    )
    return [
        (
            r.id,
            r.bank_id,
            r.title,
            Question(
                key=r.key,
                stem=r.stem,
                options=tuple(options[r.id]),
                explanation=r.explanation,
                topics=tuple(topics[r.id]),
                notes=tuple(notes[r.id]),
                sources=tuple(
                    Source(s["title"], s.get("url", ""), s.get("quote", "")) for s in r.sources
                ),
                valid_as_of=r.valid_as_of,
                multi=r.multi,
            ),
        )
        for r in rows
    ]


def load_bank(session: Session, bank_id: str) -> Bank | None:
    """A stored bank with its live questions in file order (None if unknown)."""
    row = session.get(BankRow, bank_id)
    if row is None:
        return None
    live = (QuestionRow.bank_id == bank_id) & QuestionRow.retired.is_(False)
    questions = _load_questions(session, live, QuestionRow.position)
    return Bank(
        id=row.id,
        title=row.title,
        subject=row.subject,
        version=row.version,
        description=row.description,
        questions=tuple(q for *_, q in questions),
    )


def question_ids(session: Session, bank_id: str) -> dict[str, int]:
    """key → question id of a bank's questions (live or retired)."""
    return {
        key: qid
        for key, qid in session.execute(
            select(QuestionRow.key, QuestionRow.id).where(QuestionRow.bank_id == bank_id)
        )
    }


def study_item(session: Session, question_id: int) -> StudyItem | None:
    """One stored question, ready to be asked."""
    return study_items(session, [question_id]).get(question_id)


def study_items(session: Session, question_ids: Iterable[int]) -> dict[int, StudyItem]:
    """Many stored questions by id, in four queries whatever their number (an exam's 50)."""
    ids = sorted(set(question_ids))
    if not ids:
        return {}
    return {
        qid: StudyItem(qid, bank_id, title, question)
        for qid, bank_id, title, question in _load_questions(session, QuestionRow.id.in_(ids))
    }


# ---------------------------------------------------------------- users, cards, reviews


def get_or_create_user(session: Session, name: str, now: dt.datetime) -> int:
    """The id of the user with this name, creating the user on first use."""
    uid = session.scalar(select(UserRow.id).where(UserRow.name == name))
    if uid is None:
        row = UserRow(name=name, created_at=now)
        session.add(row)
        session.flush()
        uid = row.id
    return uid


def add_review(
    session: Session,
    *,
    user_id: int,
    question_id: int,
    chosen: Sequence[str],
    correct: bool,
    rating: int,
    reviewed_at: dt.datetime,
    duration_ms: int | None,
    mode: str = "practice",
    exam_attempt_id: int | None = None,
    guessed: bool = False,
) -> int:
    """Append one answer to the review log and return its id."""
    row = ReviewRow(
        user_id=user_id,
        question_id=question_id,
        chosen="".join(chosen),
        correct=correct,
        rating=rating,
        duration_ms=duration_ms,
        reviewed_at=reviewed_at,
        mode=mode,
        exam_attempt_id=exam_attempt_id,
        guessed=guessed,
    )
    session.add(row)
    session.flush()
    return row.id


def count_reviews(session: Session, user_id: int, since: dt.datetime | None = None) -> int:
    """How many answers this user has given (since a moment, when given)."""
    query = select(func.count()).where(ReviewRow.user_id == user_id)
    if since is not None:
        query = query.where(ReviewRow.reviewed_at >= since)
    return session.scalar(query) or 0
