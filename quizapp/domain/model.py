"""Frozen domain objects shared by parsers, the repository, services and the UI.

Pure Python: this module imports neither textual nor SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

OPTION_LABELS = "ABCDEFGHIJ"
MAX_OPTIONS = len(OPTION_LABELS)


@dataclass(frozen=True, slots=True)
class Source:
    """A reference backing a time-sensitive fact: a title, a URL and an optional quote."""

    title: str
    url: str = ""
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option of a question, labelled A, B, C, ..."""

    label: str
    text: str
    is_correct: bool
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """A multiple-choice question as written in a bank file.

    ``key`` is unique inside its bank; ``uid`` (``bank_id/key``) is unique everywhere and is
    what a user's history is attached to, so re-importing an edited bank keeps the history.
    ``line`` is where the question starts in its source file (0 when unknown).
    """

    key: str
    stem: str
    options: tuple[Option, ...]
    explanation: str = ""
    topics: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    valid_as_of: dt.date | None = None
    multi: bool = False
    line: int = 0

    @property
    def answer(self) -> tuple[str, ...]:
        """Labels of the correct options, in label order."""
        return tuple(o.label for o in self.options if o.is_correct)


@dataclass(frozen=True, slots=True)
class Bank:
    """A question bank: metadata from the front matter plus its questions in file order."""

    id: str
    title: str
    subject: str = ""
    version: str = "1"
    description: str = ""
    questions: tuple[Question, ...] = ()
    valid_as_of: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    """A node of the syllabus tree (a subject such as L11, or an area under it)."""

    id: str
    title_zh: str
    title_en: str
    parent_id: str | None = None
    exam_weight: float = 0.0


@dataclass(frozen=True, slots=True)
class BankSummary:
    """What the home screen and `bank list` show about a stored bank."""

    id: str
    title: str
    subject: str
    version: str
    question_count: int
    answered: int = 0


@dataclass(frozen=True, slots=True)
class StudyItem:
    """A stored question ready to be asked: the question plus its database identity."""

    question_id: int
    bank_id: str
    bank_title: str
    question: Question


@dataclass(frozen=True, slots=True)
class Mark:
    """A candidate's star and personal note on one question."""

    starred: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """The outcome of answering one question, as shown in the feedback panel."""

    question_id: int
    chosen: tuple[str, ...]
    correct: bool
    answer: tuple[str, ...]
    rating: int
    review_id: int
    due: dt.datetime | None = None
    guessed: bool = False
    lapses: int = 0
    leech: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a bank file: where it is, how bad, and what is wrong."""

    file: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed bank (None when any error was found) and every problem found on the way."""

    bank: Bank | None
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Only the problems at level ``error``."""
        return tuple(p for p in self.problems if p.level == "error")
