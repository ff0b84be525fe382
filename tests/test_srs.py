"""Spaced repetition: grading, queue policy, FSRS state vs the log, undo, readiness maths."""

from __future__ import annotations

import datetime as dt

import pytest
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from quizapp.db.tables import CardRow, ReviewRow
from quizapp.domain import grading, mastery, scheduling
from quizapp.domain.model import Topic
from quizapp.domain.queueing import Candidate, interleave_by_weight, plan_queue
from quizapp.domain.scheduling import CardState
from quizapp.services.context import Database
from quizapp.services.progress import ProgressService
from quizapp.services.study import StudyService
from tests.conftest import START, FakeClock

# ---------------------------------------------------------------- grading


def test_rating_rules() -> None:
    assert grading.rating_for(False) == grading.AGAIN
    assert grading.rating_for(True) == grading.GOOD
    assert grading.rating_for(True, guessed=True) == grading.HARD
    assert grading.rating_for(False, guessed=True) == grading.AGAIN
    assert grading.is_guess(False, grading.SLOW_ANSWER_MS + 1)
    assert not grading.is_guess(False, grading.SLOW_ANSWER_MS)
    assert grading.is_guess(True, None)


@pytest.mark.parametrize(
    ("correct", "guessed", "allowed"),
    [(False, False, {1}), (True, True, {1, 2}), (True, False, {1, 2, 3, 4})],
)
def test_override_rules(correct: bool, guessed: bool, allowed: set[int]) -> None:
    assert {r for r in range(0, 6) if grading.allowed_override(correct, guessed, r)} == allowed


# ---------------------------------------------------------------- queue policy


def test_interleave_follows_weights() -> None:
    out = interleave_by_weight(
        {"a": list(range(10)), "b": list(range(100, 110))}, {"a": 20, "b": 10}
    )
    first_six = ["a" if x < 100 else "b" for x in out[:6]]
    assert first_six.count("a") == 4 and first_six.count("b") == 2
    assert [x for x in out if x < 100] == list(range(10))  # bank order kept inside a topic
    assert len(out) == 20


def _card(due: dt.datetime, last: dt.datetime, stability: float) -> CardState:
    return CardState(2, None, stability, 5.0, due, last)


def test_plan_orders_due_by_retrievability_then_new_with_limit() -> None:
    now = START
    weak_memory = _card(now - dt.timedelta(days=1), now - dt.timedelta(days=20), 2.0)
    strong_memory = _card(now - dt.timedelta(hours=1), now - dt.timedelta(days=3), 30.0)
    not_due = _card(now + dt.timedelta(days=5), now - dt.timedelta(days=1), 10.0)
    pool = [
        Candidate(1, "cbam", strong_memory),
        Candidate(2, "cbam", None),
        Candidate(3, "cbam", weak_memory),
        Candidate(4, "disclosure", None),
        Candidate(5, "cbam", not_due),
        Candidate(6, "disclosure", None),
    ]
    weights = {"cbam": 10, "disclosure": 10}
    assert plan_queue(pool, mode="due", now=now, new_limit=10, weights=weights) == [3, 1]
    plan = plan_queue(pool, mode="all", now=now, new_limit=2, weights=weights)
    assert plan[:2] == [3, 1] and len(plan) == 4 and set(plan[2:]) <= {2, 4, 6}
    assert set(plan_queue(pool, mode="new", now=now, new_limit=0, weights=weights)) == set()


def test_plan_near_exam_adds_cards_at_risk_on_exam_day() -> None:
    now = START
    fragile = _card(now + dt.timedelta(days=3), now - dt.timedelta(days=1), 4.0)
    solid = _card(now + dt.timedelta(days=300), now - dt.timedelta(days=1), 400.0)
    pool = [Candidate(1, "x", fragile), Candidate(2, "x", solid)]
    near = plan_queue(
        pool, mode="all", now=now, new_limit=5, weights={}, exam_at=now + dt.timedelta(days=10)
    )
    far = plan_queue(
        pool, mode="all", now=now, new_limit=5, weights={}, exam_at=now + dt.timedelta(days=100)
    )
    assert near == [1] and far == []


def test_plan_weak_and_starred_modes() -> None:
    pool = [Candidate(1, "a", None), Candidate(2, "b", None, starred=True), Candidate(3, "b", None)]
    assert plan_queue(pool, mode="weak", now=START, new_limit=0, weights={}, weak_topics=["b"]) == [
        2,
        3,
    ]
    assert plan_queue(pool, mode="starred", now=START, new_limit=0, weights={}) == [2]
    with pytest.raises(ValueError):
        plan_queue(pool, mode="random", now=START, new_limit=0, weights={})


# ---------------------------------------------------------------- readiness maths


def test_expected_and_readiness_hand_computed() -> None:
    assert mastery.expected_correct(None) == 0.25
    assert mastery.expected_correct(0.8, 4) == pytest.approx(0.85)
    now = START
    # a card reviewed just now has retrievability 1.0 → expected 1.0
    fresh = CardState(2, None, 10.0, 5.0, now + dt.timedelta(days=10), now)
    topics = [
        Topic("S", "科目", "Subject"),
        Topic("a", "甲", "A", "S", 60),
        Topic("b", "乙", "B", "S", 40),
        Topic("c", "丙", "C", "S", 0),
    ]
    progress = [
        mastery.QuestionProgress(1, ("a",), 4, fresh, reviews=2, correct=1),
        mastery.QuestionProgress(2, ("a",), 4, None),
        mastery.QuestionProgress(3, ("b",), 4, None),
    ]
    stats = {s.topic_id: s for s in mastery.topic_stats(progress, topics, now, exam_at=now)}
    assert stats["a"].expected == pytest.approx((1.0 + 0.25) / 2)
    assert stats["b"].expected == pytest.approx(0.25)
    assert stats["a"].accuracy == 0.5 and stats["b"].accuracy is None
    (ready,) = mastery.readiness(list(stats.values()), topics[:1], progress, 70)
    # area c has exam weight 0: it does not count
    expected = (60 * 0.625 + 40 * 0.25) / 100 * 100
    assert ready.score == round(expected, 1) and not ready.passing
    assert (ready.questions, ready.seen) == (3, 1)
    assert [s.topic_id for s in mastery.weakest(list(stats.values()), 1)] == ["b"]


# ---------------------------------------------------------------- FSRS state and the log


def _rows(db: Database) -> tuple[list[ReviewRow], list[CardRow]]:
    with db.transaction() as s:
        return list(s.scalars(select(ReviewRow))), list(s.scalars(select(CardRow)))


def test_card_state_is_reproducible_from_the_log(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    key = item.question.answer[0]
    wrong = next(o.label for o in item.question.options if not o.is_correct)
    fsrs_card, scheduler = (
        Card(card_id=item.question_id, due=clock.now),
        Scheduler(enable_fuzzing=False),
    )
    for chosen, minutes in (
        (wrong, 2),
        (key, 15),
        (key, 60 * 24 * 3),
        (wrong, 60 * 24 * 9),
        (key, 30),
    ):
        result = study.answer(item, [chosen])
        fsrs_card, _ = scheduler.review_card(fsrs_card, Rating(result.rating), clock.now)
        clock.advance(minutes=minutes)
    (card,) = _rows(db)[1]
    assert card.due == fsrs_card.due and card.stability == pytest.approx(fsrs_card.stability)
    with db.transaction() as s:
        from quizapp.db import study_repo

        log = study_repo.review_log(s, study.user_id, item.question_id)
    replayed = scheduling.replay(item.question_id, log)
    assert replayed is not None
    assert (replayed.due, replayed.state) == (card.due, card.state)
    assert replayed.difficulty == pytest.approx(card.difficulty)


def test_wrong_comes_back_in_the_session_right_goes_days_out(
    db: Database, clock: FakeClock
) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    wrong = next(o.label for o in item.question.options if not o.is_correct)
    result = study.answer(item, [wrong])
    assert result.due is not None and result.due - clock.now <= dt.timedelta(minutes=10)
    clock.advance(minutes=11)
    assert study.queue()[0] == item.question_id  # relearning step is due: asked first
    study.answer(item, list(item.question.answer))
    clock.advance(minutes=11)
    final = study.answer(item, list(item.question.answer))
    assert final.due is not None and final.due - clock.now >= dt.timedelta(days=1)


def test_undo_removes_the_review_and_restores_the_card(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    study.answer(item, list(item.question.answer))
    clock.advance(minutes=15)
    (before,) = _rows(db)[1]
    before_state = (before.due, before.stability, before.state)
    last = study.answer(item, list(item.question.answer))
    study.undo(last)
    reviews, cards = _rows(db)
    assert len(reviews) == 1
    assert (cards[0].due, cards[0].stability, cards[0].state) == before_state
    first = StudyService(db, "amy", "ipas-mock-113")
    only = first.answer(first.item(first.queue()[0]), ["A"])
    first.undo(only)
    assert len(_rows(db)[1]) == 1  # a card with no review left is deleted


def test_guess_is_never_good_and_override_follows_rules(db: Database) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    result = study.answer(item, list(item.question.answer), guessed=True)
    assert (result.rating, result.guessed) == (grading.HARD, True)
    assert study.override(result, grading.GOOD) is None
    easy_try = study.answer(study.item(study.queue()[0]), ["Z"])
    assert study.override(easy_try, grading.EASY) is None
    right = study.item(study.queue()[0])
    plain = study.answer(right, list(right.question.answer))
    changed = study.override(plain, grading.EASY)
    assert changed is not None and changed.rating == grading.EASY
    with db.transaction() as s:
        ratings = [r.rating for r in s.scalars(select(ReviewRow).order_by(ReviewRow.id))]
        guessed = [r.guessed for r in s.scalars(select(ReviewRow).order_by(ReviewRow.id))]
    assert ratings == [grading.HARD, grading.AGAIN, grading.EASY]
    assert guessed == [True, False, False]


def test_leech_after_repeated_lapses(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    wrong = next(o.label for o in item.question.options if not o.is_correct)
    study.answer(item, list(item.question.answer))
    results = []
    for _ in range(4):
        clock.advance(days=1)
        results.append(study.answer(item, [wrong]))
    assert [r.lapses for r in results] == [1, 2, 3, 4]
    assert [r.leech for r in results] == [False, False, False, True]


def test_daily_new_limit_and_starred_mode(db: Database) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    study.settings.set_int("new_per_day", 3)
    assert len(study.queue()) == 3
    first = study.item(study.queue()[0])
    study.answer(first, list(first.question.answer))
    assert len(StudyService(db, "amy", "ipas-mock-113", mode="new").queue()) == 2
    assert study.toggle_star(first.question_id) is True
    starred = StudyService(db, "amy", mode="starred")
    assert starred.queue() == [first.question_id]
    study.set_note(first.question_id, "  記得：只扣抵原產國實付碳價 ")
    assert study.mark(first.question_id).note == "記得：只扣抵原產國實付碳價"


def test_topic_filter_includes_sub_topics(db: Database) -> None:
    cbam = StudyService(db, "amy", topic="cbam", mode="new")
    assert cbam.queue()
    for qid in cbam.queue():
        assert "cbam" in cbam.item(qid).question.topics
    assert len(StudyService(db, "amy", topic="L11", mode="new").queue()) == 20


def test_streak_counts_consecutive_local_days(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    progress = ProgressService(db, "amy")
    assert progress.streak() == 0
    ids = study.queue()
    for day in range(3):
        study.answer(study.item(ids[day]), ["A"])
        clock.advance(days=1)
    assert progress.streak() == 3  # today has no answer yet: the streak runs to yesterday
    clock.advance(days=1)
    assert progress.streak() == 0


def test_overview_numbers(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    study.answer(item, ["Z"])  # wrong: due again today
    study.settings.set_exam_date((clock.now + dt.timedelta(days=40)).date())
    ov = ProgressService(db, "amy").overview()
    assert (ov.answered_today, ov.due_today, ov.new_available) == (1, 1, 19)
    assert ov.days_to_exam is not None and 39 <= ov.days_to_exam <= 40
    assert [r.subject for r in ov.readiness] == ["L11", "L12"]
    assert ov.readiness[1].score == 25.0 and ov.readiness[1].questions == 0
    assert len(ov.weakest) == 5


def test_a_wrong_answer_never_raises_the_expected_score(db: Database) -> None:
    before = {s.topic_id: s.expected for s in ProgressService(db, "amy").mastery()[0]}
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    study.answer(item, ["Z"])
    after = {s.topic_id: s for s in ProgressService(db, "amy").mastery()[0]}
    for topic in item.question.topics:
        assert after[topic].expected <= before[topic] + 1e-9
        assert after[topic].retrievability_exam is None  # no exam date: nothing shown for it


def test_forecast_and_due_count_match_the_cards(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    for i, qid in enumerate(study.queue(8)):
        item = study.item(qid)
        key = item.question.answer[0]
        wrong = next(o.label for o in item.question.options if o.label != key)
        study.answer(item, [key if i % 3 else wrong])
        clock.advance(minutes=1)
    clock.advance(days=2)
    with db.transaction() as s:
        dues = [d.replace(tzinfo=dt.UTC) for d in s.scalars(select(CardRow.due))]
    today = clock.now.astimezone().date()
    expected: dict[dt.date, int] = {}
    for due in dues:
        day = max(due.astimezone().date(), today)  # overdue reviews are due today
        expected[day] = expected.get(day, 0) + 1
    progress = ProgressService(db, "amy")
    forecast = dict(progress.forecast(30))
    assert {d: n for d, n in forecast.items() if n} == {
        d: n for d, n in expected.items() if d < today + dt.timedelta(days=30)
    }
    assert forecast[today] >= 3  # the wrong answers, due a few minutes later, are overdue now
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time()).astimezone()
    assert progress.overview().due_today == sum(1 for d in dues if d < tomorrow)


def test_a_long_streak_and_new_questions_today(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    progress = ProgressService(db, "amy")
    first = study.item(study.queue()[0])
    for _ in range(45):  # longer than the first window the streak reads
        study.answer(first, ["A"])
        clock.advance(days=1)
    study.answer(first, ["A"])  # today: an old question again …
    fresh = [q for q in study.queue() if q != first.question_id][:2]
    for qid in fresh:  # … and two never seen before
        study.answer(study.item(qid), ["A"])
    assert progress.streak() == 46
    from quizapp.db import study_repo
    from quizapp.services.settings import local_midnight

    with db.transaction() as s:
        assert study_repo.new_today(s, progress.user_id, local_midnight(clock.now)) == 2
