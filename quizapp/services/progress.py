"""Progress: today's numbers, streak, per-topic mastery, exam-day readiness, forecasts.

Read-only; each public method is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass

from quizapp.db import repo, study_repo
from quizapp.domain import calibration, mastery
from quizapp.domain.mastery import Readiness, TopicStats, Verdict
from quizapp.services.context import Database
from quizapp.services.settings import (
    Settings,
    UserSettings,
    exam_data,
    exam_moment,
    local_date,
    local_midnight,
)

RECENT_DAYS = 14
KNOWLEDGE_DAYS = 60  # answers older than this weigh < 0.3 % (half-life a week): not read
STREAK_LOOKBACK_DAYS = 400
SHORT_LOOKBACK_DAYS = 31


@dataclass(frozen=True, slots=True)
class Overview:
    """What the home screen shows."""

    user: str
    answered_today: int
    daily_goal: int
    streak: int
    due_today: int
    new_available: int
    exam_date: dt.date | None
    exam_date_is_default: bool
    days_to_exam: int | None
    readiness: list[Readiness]
    verdict: Verdict
    weakest: list[TopicStats]
    topics: list[TopicStats]


def _run_up_to(days: set[dt.date], today: dt.date) -> int:
    """Length of the run of consecutive days ending today, or yesterday if today is empty."""
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


def _utc_offset(now: dt.datetime) -> dt.timedelta:
    """The candidate's local offset from UTC at ``now`` (days are counted in local time)."""
    return now.astimezone().utcoffset() or dt.timedelta(0)


class ProgressService:
    """Numbers about one candidate's progress."""

    def __init__(self, db: Database, user: str) -> None:
        self.db = db
        self.user = user
        with db.transaction() as s:
            self.user_id = repo.get_or_create_user(s, user, db.clock())
        self.settings = UserSettings(db, self.user_id)

    def mastery(self, settings: Settings | None = None) -> tuple[list[TopicStats], list[Readiness]]:
        """Per-area mastery (retrievability predicted at the exam date) and readiness."""
        now = self.db.clock()
        settings = settings or self.settings.load()
        exam_at = exam_moment(settings.exam_date) if settings.exam_date else None
        with self.db.transaction() as s:
            progress = study_repo.progress(s, self.user_id, now - dt.timedelta(days=RECENT_DAYS))
            answers = study_repo.recent_answers(
                s, self.user_id, now - dt.timedelta(days=KNOWLEDGE_DAYS)
            )
            topics = repo.list_topics(s)
            logs = study_repo.recent_logs(s, self.user_id, calibration.MAX_QUESTIONS)
        forgetting = calibration.fit(logs)
        stats = mastery.topic_stats(
            progress, topics, now, exam_at, answers=answers, time_scale=forgetting.time_scale
        )
        subjects = [t for t in topics if t.parent_id is None]
        ready = mastery.readiness(stats, subjects, progress, exam_data().rules, exam_at)
        return stats, ready

    def streak(self) -> int:
        """Consecutive local days with at least one answer, up to today (or yesterday).

        The last month is read first; only a streak that reaches back that far needs the
        whole lookback (with a year of history, that is most of the review log).
        """
        now = self.db.clock()
        count = 0
        for lookback in (SHORT_LOOKBACK_DAYS, STREAK_LOOKBACK_DAYS):
            with self.db.transaction() as s:
                days = study_repo.review_days(
                    s, self.user_id, now - dt.timedelta(days=lookback), _utc_offset(now)
                )
            count = _run_up_to(days, local_date(now))
            if count < lookback - 1:  # the run ended inside the window read
                break
        return count

    def overview(self) -> Overview:
        """Everything the home screen shows, computed once."""
        now = self.db.clock()
        settings = self.settings.load()
        stats, ready = self.mastery(settings)
        midnight = local_midnight(now)
        tomorrow = midnight + dt.timedelta(days=1)
        with self.db.transaction() as s:
            answered = repo.count_reviews(s, self.user_id, since=midnight)
            new_seen = study_repo.new_today(s, self.user_id, midnight)
            seen, due = study_repo.card_counts(s, self.user_id, tomorrow)
            live = sum(b.question_count for b in repo.list_banks(s))
        unseen = max(0, live - seen)
        days = (settings.exam_date - local_date(now)).days if settings.exam_date else None
        return Overview(
            user=self.user,
            answered_today=answered,
            daily_goal=settings.daily_goal,
            streak=self.streak(),
            due_today=due,
            new_available=min(unseen, max(0, settings.new_per_day - new_seen)),
            exam_date=settings.exam_date,
            exam_date_is_default=settings.exam_date_is_default,
            days_to_exam=days,
            readiness=ready,
            verdict=mastery.verdict(ready, exam_data().rules),
            weakest=mastery.weakest(stats),
            topics=stats,
        )

    def forecast(self, days: int = 30) -> list[tuple[dt.date, int]]:
        """Reviews falling due on each of the next ``days`` local days (overdue count today)."""
        now = self.db.clock()
        today = local_date(now)
        with self.db.transaction() as s:
            by_day = study_repo.due_by_day(s, self.user_id, _utc_offset(now))
        counts: Counter[dt.date] = Counter()
        for day, n in by_day.items():
            counts[max(day, today)] += n  # overdue reviews are due today
        return [
            (today + dt.timedelta(days=i), counts.get(today + dt.timedelta(days=i), 0))
            for i in range(days)
        ]

    def accuracy_by_week(self, weeks: int = 12) -> list[tuple[dt.date, int, int]]:
        """(week start, answers, right answers) for the last ``weeks`` weeks, oldest first."""
        now = self.db.clock()
        today = local_date(now)
        start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
        with self.db.transaction() as s:
            rows = study_repo.review_outcomes(
                s, self.user_id, local_midnight(now) - dt.timedelta(days=7 * weeks + 7)
            )
        totals: Counter[dt.date] = Counter()
        right: Counter[dt.date] = Counter()
        for when, correct in rows:
            day = local_date(when)
            week = day - dt.timedelta(days=day.weekday())
            if week >= start:
                totals[week] += 1
                right[week] += int(correct)
        return [
            (
                start + dt.timedelta(weeks=i),
                totals[start + dt.timedelta(weeks=i)],
                right[start + dt.timedelta(weeks=i)],
            )
            for i in range(weeks)
        ]

    def as_json(self) -> dict[str, object]:
        """The numbers of `quizapp stats --json`."""
        ov = self.overview()
        stats = ov.topics
        return {
            "user": self.user,
            "generated_at": self.db.clock().isoformat(),
            "exam_date": ov.exam_date.isoformat() if ov.exam_date else None,
            "days_to_exam": ov.days_to_exam,
            "today": {
                "answered": ov.answered_today,
                "goal": ov.daily_goal,
                "due": ov.due_today,
                "new_available": ov.new_available,
                "streak": ov.streak,
            },
            "readiness": [asdict(r) | {"passing": r.passing} for r in ov.readiness],
            "verdict": asdict(ov.verdict),
            "topics": [
                asdict(t) | {"accuracy": t.accuracy, "recent_accuracy": t.recent_accuracy}
                for t in stats
            ],
            "weakest": [t.topic_id for t in ov.weakest],
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast()],
        }
