"""Practice: which question comes next, and recording an answer (one transaction each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from quizapp.db import repo
from quizapp.domain import grading, scheduling
from quizapp.domain.model import AnswerResult, StudyItem
from quizapp.services.context import Database

QUEUE_SIZE = 50


class StudyService:
    """A candidate's practice session over one bank (or all banks)."""

    def __init__(self, db: Database, user: str, bank_id: str | None = None) -> None:
        self.db = db
        self.bank_id = bank_id
        with db.transaction() as s:
            self.user_id = repo.get_or_create_user(s, user, db.clock())

    def queue(self, limit: int = QUEUE_SIZE) -> list[int]:
        """Ids of the next questions: due reviews first, then new questions in bank order."""
        with self.db.transaction() as s:
            return repo.practice_queue(s, self.user_id, self.bank_id, self.db.clock(), limit)

    def answered_today(self) -> int:
        """Answers given since local midnight (the candidate's day, not UTC's)."""
        now = self.db.clock()
        local = now.astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        with self.db.transaction() as s:
            return repo.count_reviews(s, self.user_id, since=midnight.astimezone(dt.UTC))

    def item(self, question_id: int) -> StudyItem:
        """A question ready to show."""
        with self.db.transaction() as s:
            item = repo.study_item(s, question_id)
        if item is None:
            raise KeyError(question_id)
        return item

    def answer(
        self,
        item: StudyItem,
        chosen: Sequence[str],
        *,
        duration_ms: int | None = None,
        guessed: bool = False,
    ) -> AnswerResult:
        """Grade, append the review and reschedule the card, all in one committed transaction.

        When this returns, the answer is on disk: the caller may show the feedback.
        """
        correct = grading.is_correct(item.question, chosen)
        rating = grading.rating_for(correct, guessed)
        now = self.db.clock()
        with self.db.transaction() as s:
            review_id = repo.add_review(
                s,
                user_id=self.user_id,
                question_id=item.question_id,
                chosen=sorted(c.upper() for c in chosen),
                correct=correct,
                rating=rating,
                reviewed_at=now,
                duration_ms=duration_ms,
            )
            card = scheduling.review(
                repo.get_card(s, self.user_id, item.question_id), rating, now, item.question_id
            )
            repo.save_card(s, self.user_id, item.question_id, card)
        return AnswerResult(
            question_id=item.question_id,
            chosen=tuple(sorted(c.upper() for c in chosen)),
            correct=correct,
            answer=item.question.answer,
            rating=rating,
            review_id=review_id,
            due=card.due,
        )
