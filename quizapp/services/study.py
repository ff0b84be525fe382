"""Practice: what to ask next, recording answers, rating overrides, undo, stars and notes.

Every public method is one transaction (one user action).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from quizapp.db import repo, study_repo
from quizapp.db.study_repo import Scope
from quizapp.domain import calibration, grading, scheduling
from quizapp.domain.model import AnswerResult, Mark, StudyItem
from quizapp.domain.queueing import DayContext, plan_queue
from quizapp.services.context import Database
from quizapp.services.settings import UserSettings, exam_moment, local_midnight

LEECH_LAPSES = 4


class StudyService:
    """A candidate's practice session over a scope (bank / topic / all) in one mode."""

    def __init__(
        self,
        db: Database,
        user: str,
        bank_id: str | None = None,
        *,
        topic: str | None = None,
        mode: str = "all",
        weak_topics: Sequence[str] = (),
        question_ids: Sequence[int] = (),
    ) -> None:
        self.db = db
        # A fixed selection (from the question browser) is asked in its own order, once.
        self.question_ids = tuple(question_ids)
        self.bank_id = bank_id
        self.scope = Scope(bank_id, topic)
        self.mode = mode
        self.weak_topics = tuple(weak_topics)
        with db.transaction() as s:
            self.user_id = repo.get_or_create_user(s, user, db.clock())
        self.settings = UserSettings(db, self.user_id)

    def queue(self, limit: int | None = None) -> list[int]:
        """Question ids in the order this mode asks them (see docs/scheduling.md)."""
        if self.question_ids:
            return list(self.question_ids if limit is None else self.question_ids[:limit])
        now = self.db.clock()
        settings = self.settings.load()
        midnight = local_midnight(now)
        with self.db.transaction() as s:
            pool = study_repo.candidates(s, self.user_id, self.scope)
            weights = {t.id: t.exam_weight for t in repo.list_topics(s)}
            seen_today = study_repo.new_today(s, self.user_id, midnight)
            logs = study_repo.recent_logs(s, self.user_id, calibration.MAX_QUESTIONS)
        forgetting = calibration.fit(logs)
        exam_at = exam_moment(settings.exam_date) if settings.exam_date else None
        order = plan_queue(
            pool,
            mode=self.mode,
            now=now,
            weights=weights,
            day=DayContext(midnight, seen_today, settings.new_per_day, settings.daily_goal),
            exam_at=exam_at,
            weak_topics=self.weak_topics,
            time_scale=forgetting.time_scale,
            # Until the candidate's forgetting is known, FSRS's defaults cannot weigh reviews
            # against new questions: due reviews go first, which also gathers the evidence.
            exam_by_gain=forgetting.calibrated,
        )
        return order if limit is None else order[:limit]

    def answered_today(self) -> int:
        """Answers given since local midnight (the candidate's day, not UTC's)."""
        with self.db.transaction() as s:
            since = local_midnight(self.db.clock())
            return repo.count_reviews(s, self.user_id, since=since)

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
        labels = tuple(sorted(c.upper() for c in chosen))
        correct = grading.is_correct(item.question, labels)
        guess = grading.is_guess(guessed, duration_ms)
        rating = grading.rating_for(correct, guess)
        now = self.db.clock()
        with self.db.transaction() as s:
            review_id = repo.add_review(
                s,
                user_id=self.user_id,
                question_id=item.question_id,
                chosen=labels,
                correct=correct,
                rating=rating,
                reviewed_at=now,
                duration_ms=duration_ms,
                guessed=guess,
            )
            card, lapses = study_repo.apply_answer(
                s, self.user_id, item.question_id, rating, correct, now
            )
        return AnswerResult(
            question_id=item.question_id,
            chosen=labels,
            correct=correct,
            answer=item.question.answer,
            rating=rating,
            review_id=review_id,
            due=card.due,
            guessed=guess,
            lapses=lapses,
            leech=lapses >= LEECH_LAPSES,
        )

    def _rebuild(self, s: Session, question_id: int) -> scheduling.CardState | None:
        return study_repo.rebuild_card(s, self.user_id, question_id)

    def override(self, result: AnswerResult, rating: int) -> AnswerResult | None:
        """Change the rating of the last answer (Anki's 1–4); None if not allowed.

        A wrong answer stays Again and a guessed right answer can never become Good or Easy.
        The card is rebuilt from the log, so the log stays the single source of truth.
        """
        if not grading.allowed_override(result.correct, result.guessed, rating):
            return None
        with self.db.transaction() as s:
            row = study_repo.get_review(s, result.review_id)
            if row is None or row.user_id != self.user_id:
                return None
            row.rating = rating
            s.flush()
            card = self._rebuild(s, result.question_id)
        return replace(result, rating=rating, due=card.due if card else None)

    def undo(self, result: AnswerResult) -> None:
        """Remove an answer from the log and restore the card to what it was before it."""
        with self.db.transaction() as s:
            row = study_repo.get_review(s, result.review_id)
            if row is None or row.user_id != self.user_id:
                return
            study_repo.delete_review(s, result.review_id)
            s.flush()
            self._rebuild(s, result.question_id)

    def mark(self, question_id: int) -> Mark:
        """The candidate's star and note on a question."""
        with self.db.transaction() as s:
            return study_repo.get_mark(s, self.user_id, question_id)

    def toggle_star(self, question_id: int) -> bool:
        """Star or unstar a question; returns the new state."""
        with self.db.transaction() as s:
            mark = study_repo.get_mark(s, self.user_id, question_id)
            new = Mark(not mark.starred, mark.note)
            study_repo.set_mark(s, self.user_id, question_id, new, self.db.clock())
        return new.starred

    def set_note(self, question_id: int, note: str) -> Mark:
        """Keep a personal note on a question (empty text clears it); returns the stored mark."""
        with self.db.transaction() as s:
            mark = Mark(study_repo.get_mark(s, self.user_id, question_id).starred, note.strip())
            study_repo.set_mark(s, self.user_id, question_id, mark, self.db.clock())
        return mark
