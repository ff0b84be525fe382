"""SQLAlchemy 2.x typed ORM tables (the schema of design.md §2).

Changing anything here needs an Alembic revision in ``quizapp/db/migrations/versions``; a test
compares this metadata with the migrated database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always read back as an aware UTC datetime.

    SQLite has no time zones; keeping every stored value in UTC makes comparisons in SQL
    (``due <= now``) correct on both SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class AppMeta(Base):
    """Small key/value facts about this database (e.g. which bundled bank files were loaded)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BankRow(Base):
    """A question bank as imported."""

    __tablename__ = "banks"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(50), default="")
    version: Mapped[str] = mapped_column(String(50), default="1")
    description: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    valid_as_of: Mapped[dt.date | None] = mapped_column(Date, default=None)
    questions: Mapped[list[QuestionRow]] = relationship(back_populates="bank")


class TopicRow(Base):
    """A node of the syllabus tree."""

    __tablename__ = "topics"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("topics.id"), default=None)
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    exam_weight: Mapped[float] = mapped_column(Float, default=0.0)


class QuestionRow(Base):
    """A question; ``uid`` = ``bank_id/key`` is what every user's history hangs on."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "key", name="uq_questions_bank_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[str] = mapped_column(ForeignKey("banks.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    uid: Mapped[str] = mapped_column(String(201), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    stem: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    multi: Mapped[bool] = mapped_column(Boolean, default=False)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    valid_as_of: Mapped[dt.date | None] = mapped_column(Date, default=None)
    content_hash: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    bank: Mapped[BankRow] = relationship(back_populates="questions")
    options: Mapped[list[OptionRow]] = relationship(
        order_by="OptionRow.label", cascade="all, delete-orphan"
    )
    topics: Mapped[list[QuestionTopicRow]] = relationship(
        order_by="QuestionTopicRow.position", cascade="all, delete-orphan"
    )
    note_links: Mapped[list[NoteLinkRow]] = relationship(
        order_by="NoteLinkRow.position", cascade="all, delete-orphan"
    )


class OptionRow(Base):
    """One option of a question."""

    __tablename__ = "options"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[str] = mapped_column(String(2), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    is_correct: Mapped[bool] = mapped_column(Boolean)
    feedback: Mapped[str] = mapped_column(Text, default="")


class QuestionTopicRow(Base):
    """A topic tag of a question (not a foreign key: instructors' banks may use new topics)."""

    __tablename__ = "question_topics"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class NoteLinkRow(Base):
    """A link from a question to a study-note heading (``file.md#anchor``)."""

    __tablename__ = "note_links"
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    """A candidate; the default is the OS login name."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CardRow(Base):
    """FSRS state of one (user, question); derived from ``reviews``, which is the truth."""

    __tablename__ = "cards"
    __table_args__ = (Index("ix_cards_user_due", "user_id", "due"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    state: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer, default=None)
    stability: Mapped[float | None] = mapped_column(Float, default=None)
    difficulty: Mapped[float | None] = mapped_column(Float, default=None)
    due: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    # Counts over the card's log, kept with the state so statistics never scan `reviews`.
    reps: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    correct_reps: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lapses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReviewRow(Base):
    """One answer, append-only: the source of truth for progress and card state."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_user_time", "user_id", "reviewed_at"),
        # Serves both "this card's log, in time order" and per-question grouping: without the
        # time column SQLite walks ix_reviews_user_time over every review of the user.
        Index("ix_reviews_user_question_time", "user_id", "question_id", "reviewed_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    chosen: Mapped[str] = mapped_column(String(20))
    correct: Mapped[bool] = mapped_column(Boolean)
    rating: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(20), default="practice")
    exam_attempt_id: Mapped[int | None] = mapped_column(Integer, default=None)
    guessed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class UserSettingRow(Base):
    """A per-user setting (exam date, daily goal, new questions per day)."""

    __tablename__ = "user_settings"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class QuestionMarkRow(Base):
    """A candidate's star and personal note on a question (their paper notebook)."""

    __tablename__ = "question_marks"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ExamAttemptRow(Base):
    """One sitting of a mock exam; the deadline is wall-clock, as in the real exam."""

    __tablename__ = "exam_attempts"
    __table_args__ = (Index("ix_exam_attempts_user", "user_id", "started_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    blueprint: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(Integer)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    auto_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    scores: Mapped[dict[str, float] | None] = mapped_column(JSON, default=None)
    passed: Mapped[bool | None] = mapped_column(Boolean, default=None)


class ExamItemRow(Base):
    """One question of an attempt; every answer and flag is written the moment it is given."""

    __tablename__ = "exam_items"
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("exam_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    subject: Mapped[str] = mapped_column(String(50), default="")
    option_order: Mapped[str] = mapped_column(String(20))
    chosen: Mapped[str | None] = mapped_column(String(20), default=None)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
