"""Mock exams: plan from a blueprint, sit (every answer saved at once), submit, report.

The deadline is wall-clock: an attempt resumed after a crash has exactly the time really left,
and one whose deadline passed is submitted with the answers it had.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from sqlalchemy.orm import Session

from quizapp.db import exam_repo, repo, study_repo
from quizapp.db.study_repo import Scope
from quizapp.db.tables import ExamItemRow
from quizapp.domain import exam, grading
from quizapp.domain.blueprint import Blueprint
from quizapp.services.context import Database
from quizapp.services.exam_models import (
    ExamError,
    ExamPlan,
    ExamQuestion,
    ExamReport,
    ExamState,
    SubjectResult,
    TopicResult,
)
from quizapp.services.settings import exam_data

CUSTOM = "custom"
MIXED = (CUSTOM, "quick")  # blueprints scored as one pool, not per subject

__all__ = [
    "MIXED",
    "ExamError",
    "ExamPlan",
    "ExamQuestion",
    "ExamReport",
    "ExamService",
    "ExamState",
    "SubjectResult",
    "TopicResult",
]


class ExamService:
    """Mock exams of one candidate; each public method is one transaction."""

    def __init__(self, db: Database, user: str) -> None:
        self.db = db
        with db.transaction() as s:
            self.user_id = repo.get_or_create_user(s, user, db.clock())

    # ------------------------------------------------------------ planning

    def plan(
        self,
        blueprint_id: str | None = None,
        *,
        questions: int | None = None,
        minutes: int | None = None,
        seed: int | None = None,
        bank: str | None = None,
        topic: str | None = None,
    ) -> ExamPlan:
        """Draw an exam from a blueprint (or a custom size); raises ExamError if impossible."""
        data = exam_data()
        scope = Scope(bank, topic)
        with self.db.transaction() as s:
            if bank is not None and not repo.bank_exists(s, bank):
                raise ExamError(f"no such bank: {bank}")
            pool = exam_repo.pool(s, scope)
            weights = {t.id: t.exam_weight for t in repo.list_topics(s)}
        if blueprint_id is None or blueprint_id == CUSTOM:
            if questions is None or minutes is None:
                raise ExamError("a custom exam needs --questions N and --minutes M")
            bp = Blueprint(
                CUSTOM,
                f"自訂模擬考（{questions} 題）",
                f"Custom ({questions})",
                ("*",),
                questions,
                minutes,
            )
        else:
            found = data.blueprint(blueprint_id)
            if found is None:
                known = ", ".join(b.id for b in data.blueprints)
                raise ExamError(f"unknown blueprint {blueprint_id!r} (known: {known})")
            bp = Blueprint(
                found.id,
                found.title_zh,
                found.title_en,
                found.subjects,
                questions or found.questions,
                minutes or found.minutes,
            )
        if bp.id in MIXED:  # one pool and one score across subjects
            pool = [exam.PoolQuestion(q.question_id, "*", q.topic) for q in pool]
            draw_subjects = ["*"]
        else:
            draw_subjects = list(bp.subjects)
        seed = seed if seed is not None else secrets.randbelow(2**31)
        draws = tuple(exam.draw(pool, draw_subjects, bp.questions, weights, seed))
        wanted = bp.questions * len(draw_subjects)
        actual = sum(len(d.question_ids) for d in draws)
        # Each subject of the real exam has its own time: a two-subject sitting gets both.
        total_minutes = exam.scaled_minutes(bp.minutes * len(draw_subjects), wanted, actual)
        return ExamPlan(
            bp.id,
            bp.title_zh,
            tuple(draw_subjects),
            bp.questions,
            total_minutes,
            seed,
            draws,
            scope,
        )

    def start(self, plan: ExamPlan) -> int:
        """Begin the attempt now; returns its id. Refuses an exam without questions."""
        if plan.total == 0:
            raise ExamError("no questions to ask")
        now = self.db.clock()
        with self.db.transaction() as s:
            subject_of = {q.question_id: q.subject for q in exam_repo.pool(s, plan.scope)}
            items = []
            found = repo.study_items(s, (q for d in plan.draws for q in d.question_ids))
            for d in plan.draws:
                for qid in d.question_ids:
                    question = found[qid]
                    order = "".join(o.label for o in question.question.options)
                    items.append((qid, subject_of.get(qid, ""), order))
            return exam_repo.create_attempt(
                s,
                user_id=self.user_id,
                blueprint=plan.blueprint,
                title=plan.title,
                seed=plan.seed,
                config={
                    "subjects": list(plan.subjects),
                    "questions": plan.wanted,
                    "minutes": plan.minutes,
                    "bank": plan.scope.bank_id,
                    "topic": plan.scope.topic,
                },
                started_at=now,
                deadline_at=now + dt.timedelta(minutes=plan.minutes),
                items=items,
            )

    # ------------------------------------------------------------ sitting

    def state(self, attempt_id: int) -> ExamState:
        """The attempt with its questions, answers and flags."""
        with self.db.transaction() as s:
            row = exam_repo.attempt(s, attempt_id)
            if row is None or row.user_id != self.user_id:
                raise ExamError(f"no such exam attempt: {attempt_id}")
            items = []
            rows = exam_repo.items(s, attempt_id)
            found = repo.study_items(s, (it.question_id for it in rows))
            for it in rows:
                study = found[it.question_id]
                items.append(
                    ExamQuestion(
                        it.position,
                        it.question_id,
                        it.subject,
                        study.question,
                        it.chosen,
                        it.flagged,
                    )
                )
            return ExamState(
                row.id,
                row.blueprint,
                row.title,
                row.started_at,
                row.deadline_at,
                row.submitted_at,
                tuple(items),
            )

    def _open_item(self, s: Session, attempt_id: int, position: int) -> ExamItemRow | None:
        row = exam_repo.attempt(s, attempt_id, lock=True)
        if row is None or row.user_id != self.user_id or row.submitted_at is not None:
            return None
        if self.db.clock() >= row.deadline_at:
            return None
        return exam_repo.item(s, attempt_id, position)

    def answer(self, attempt_id: int, position: int, label: str | None) -> bool:
        """Record (or clear, with None) an answer; False when time is up or it was submitted."""
        with self.db.transaction() as s:
            item = self._open_item(s, attempt_id, position)
            if item is None:
                return False
            item.chosen = label.upper() if label else None
            item.answered_at = self.db.clock() if label else None
            return True

    def flag(self, attempt_id: int, position: int, flagged: bool) -> bool:
        """Flag or unflag a question for review; False when time is up or it was submitted."""
        with self.db.transaction() as s:
            item = self._open_item(s, attempt_id, position)
            if item is None:
                return False
            item.flagged = flagged
            return True

    def running(self) -> ExamState | None:
        """The unsubmitted attempt still within its time, after submitting expired ones."""
        self.finish_expired()
        with self.db.transaction() as s:
            rows = exam_repo.running(s, self.user_id)
            attempt_id = rows[0].id if rows else None
        return self.state(attempt_id) if attempt_id is not None else None

    def finish_expired(self) -> list[int]:
        """Submit every attempt whose deadline has passed, with the answers it had."""
        now = self.db.clock()
        with self.db.transaction() as s:
            expired = [r.id for r in exam_repo.running(s, self.user_id) if r.deadline_at <= now]
        for attempt_id in expired:
            self.submit(attempt_id, auto=True)
        return expired

    # ------------------------------------------------------------ submitting and reporting

    def submit(self, attempt_id: int, *, auto: bool = False) -> ExamReport:
        """Score the attempt and feed its answers to the review log (mode 'exam')."""
        state = self.state(attempt_id)
        if state.submitted_at is None:
            now = self.db.clock()
            # Auto-submission means the time ran out: the answers stand as at the deadline.
            at = state.deadline_at if auto else min(now, state.deadline_at)
            subjects, passed = self._score(state)
            with self.db.transaction() as s:
                row = exam_repo.attempt(s, attempt_id, lock=True)
                assert row is not None
                if row.submitted_at is not None:  # submitted meanwhile (timer and key at once)
                    return self.report(attempt_id)
                row.submitted_at, row.auto_submitted = at, auto
                row.scores = {r.subject: r.score for r in subjects}
                row.passed = passed
                answered_at = {it.position: it.answered_at for it in exam_repo.items(s, attempt_id)}
                for item in state.items:
                    if item.chosen is None:
                        continue
                    correct = item.correct
                    repo.add_review(
                        s,
                        user_id=self.user_id,
                        question_id=item.question_id,
                        chosen=list(item.chosen),
                        correct=correct,
                        rating=grading.rating_for(correct),
                        mode="exam",
                        reviewed_at=answered_at[item.position] or at,
                        duration_ms=None,
                        exam_attempt_id=attempt_id,
                    )
                s.flush()
                study_repo.rebuild_cards(
                    s, self.user_id, (i.question_id for i in state.items if i.chosen)
                )
        return self.report(attempt_id)

    def _score(self, state: ExamState) -> tuple[list[SubjectResult], bool]:
        rules = exam_data().rules
        with self.db.transaction() as s:
            titles = {t.id: t.title_zh for t in repo.list_topics(s)}
        groups: dict[str, list[ExamQuestion]] = defaultdict(list)
        scored_by = "*" if state.blueprint in MIXED else None
        for item in state.items:
            groups[scored_by or item.subject].append(item)
        results = [
            SubjectResult(
                subject,
                titles.get(subject, "全部" if subject == "*" else subject),
                sum(i.correct for i in items),
                len(items),
                exam.subject_score(
                    sum(i.correct for i in items), len(items), rules.points_per_subject
                ),
            )
            for subject, items in sorted(groups.items())
        ]
        return results, rules.passed([r.score for r in results])

    def report(self, attempt_id: int) -> ExamReport:
        """The report of a submitted attempt."""
        state = self.state(attempt_id)
        if state.submitted_at is None:
            raise ExamError(f"exam attempt {attempt_id} has not been submitted")
        subjects, passed = self._score(state)
        with self.db.transaction() as s:
            row = exam_repo.attempt(s, attempt_id)
            assert row is not None
            auto = row.auto_submitted
            titles = {t.id: t.title_zh for t in repo.list_topics(s)}
            earlier = tuple(
                (r.submitted_at, dict(r.scores or {}), bool(r.passed))
                for r in exam_repo.submitted(s, self.user_id, state.blueprint)
                if r.id != attempt_id
                and r.submitted_at is not None
                and r.submitted_at < state.submitted_at
            )
        per_topic: dict[str, list[bool]] = defaultdict(list)
        for item in state.items:
            topic = item.question.topics[0] if item.question.topics else ""
            per_topic[topic].append(item.correct)
        topics = tuple(
            TopicResult(t, titles.get(t, t), sum(v), len(v)) for t, v in sorted(per_topic.items())
        )
        used = min(state.submitted_at, state.deadline_at) - state.started_at
        return ExamReport(state, auto, tuple(subjects), passed, used, topics, earlier[:5])

    def history(self, blueprint: str | None = None) -> list[ExamReport]:
        """Reports of every submitted attempt, newest first."""
        with self.db.transaction() as s:
            ids = [r.id for r in exam_repo.submitted(s, self.user_id, blueprint)]
        return [self.report(i) for i in ids]
