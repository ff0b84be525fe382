"""A practice session: the order of questions within one sitting, on top of StudyService.

Keeps the screen free of queue logic: what comes next (questions the candidate asked to see
again, then the scheduler's plan), and the running score.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain.model import AnswerResult, StudyItem
from quizapp.services.study import StudyService

REASK_GAP = 2  # a question asked for again comes back after one other question


class PracticeSession:
    """One sitting of practice; every answer is committed by StudyService as it is given."""

    def __init__(self, study: StudyService) -> None:
        self.study = study
        self.plan: list[int] | None = None
        self.asked: set[int] = set()  # in this sitting
        self.requeued: list[tuple[int, int]] = []  # (question id, earliest question number)
        self.current: StudyItem | None = None
        self.last: AnswerResult | None = None
        self.number = 0
        self.right = 0
        self.done = 0

    def _pick(self, refresh: bool) -> int | None:
        current = self.current.question_id if self.current else None
        waiting = [q for q, _ in self.requeued]
        if self.plan is None or (refresh and not self.study.question_ids):
            # ``asked`` is kept: a question is asked once a sitting; a wrong answer comes back
            # the next day (no learning steps), or in this sitting when the candidate asks (r).
            self.plan = self.study.queue()
        ready = [q for q, at in self.requeued if at <= self.number + 1]
        planned = [
            q for q in self.plan if q not in self.asked and q != current and q not in waiting
        ]
        ordered = [*ready, *planned, *waiting]
        return ordered[0] if ordered else None

    def next(self) -> StudyItem | None:
        """The next question to ask, or None when this mode has nothing left for now."""
        pick = self._pick(refresh=False)
        if pick is None:
            pick = self._pick(refresh=True)
        if pick is None:
            self.current = None
            return None
        self.requeued = [(q, at) for q, at in self.requeued if q != pick]
        self.asked.add(pick)
        self.current = self.study.item(pick)
        self.last = None
        self.number += 1
        return self.current

    def answer(
        self, chosen: Sequence[str], *, duration_ms: int | None = None, guessed: bool = False
    ) -> AnswerResult:
        """Record the answer to the current question (committed before this returns)."""
        assert self.current is not None and self.last is None
        self.last = self.study.answer(
            self.current, chosen, duration_ms=duration_ms, guessed=guessed
        )
        self.done += 1
        self.right += int(self.last.correct)
        return self.last

    def override(self, rating: int) -> AnswerResult | None:
        """Change the last answer's rating (None when the rule forbids it)."""
        if self.last is None:
            return None
        changed = self.study.override(self.last, rating)
        if changed is not None:
            self.last = changed
        return changed

    def undo(self) -> StudyItem | None:
        """Take back the last answer: the review is removed and the question asked again."""
        if self.last is None or self.current is None:
            return None
        self.study.undo(self.last)
        self.done -= 1
        self.right -= int(self.last.correct)
        self.last = None
        return self.current

    def requeue(self) -> bool:
        """Ask the current (answered) question again later in this sitting."""
        if self.current is None or self.last is None:
            return False
        qid = self.current.question_id
        if all(q != qid for q, _ in self.requeued):
            self.requeued.append((qid, self.number + REASK_GAP))
        return True
