"""Spaced repetition: grading, queue policy, FSRS state vs the log, undo, readiness maths."""

from __future__ import annotations

import datetime as dt

import pytest
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from quizapp.db.tables import CardRow, ReviewRow
from quizapp.domain import calibration, grading, mastery, scheduling
from quizapp.domain.blueprint import ExamRules
from quizapp.domain.model import Topic
from quizapp.domain.queueing import (
    Candidate,
    DayContext,
    gain,
    interleave_by_coverage,
    new_pace,
    plan_queue,
)
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


def test_new_questions_keep_every_area_at_the_same_share_seen() -> None:
    # area a has 2 of 10 seen, b none of 5: b comes first until it catches up to a's share
    out = interleave_by_coverage(
        {"a": list(range(8)), "b": list(range(100, 105))}, {"a": 2}, {"a": 10, "b": 10}
    )
    assert out[:2] == [100, 0] or out[:1] == [100]
    assert [x for x in out if x < 100] == list(range(8))  # bank order kept inside an area
    assert len(out) == 13
    # after any prefix, the seen shares stay within one question of each other
    for n in range(1, len(out) + 1):
        a = (2 + sum(1 for x in out[:n] if x < 100)) / 10
        b = sum(1 for x in out[:n] if x >= 100) / 5
        assert abs(a - b) <= 0.2 + 1e-9


def test_pace_sees_the_whole_scope_before_the_last_days() -> None:
    assert new_pace(300, None) == 0
    assert new_pace(0, 30) == 0
    days, unseen, seen_by = 45, 324, None
    for day in range(days):
        take = min(unseen, new_pace(unseen, days - day))
        unseen -= take
        if unseen == 0 and seen_by is None:
            seen_by = day + 1
    assert seen_by is not None and seen_by <= days - 7


def _card(due: dt.datetime, last: dt.datetime, stability: float) -> CardState:
    return CardState(2, None, stability, 5.0, due, last)


def _day(now: dt.datetime, new_today: int = 0, per_day: int = 20) -> DayContext:
    return DayContext(now.replace(hour=0, minute=0), new_today, per_day, 30)


def test_plan_gives_new_questions_their_quota_and_skips_what_was_just_recalled() -> None:
    now = START
    weak_memory = _card(now - dt.timedelta(days=1), now - dt.timedelta(days=20), 2.0)
    just_answered = _card(now + dt.timedelta(days=3), now - dt.timedelta(minutes=5), 3.0)
    recalled = _card(now + dt.timedelta(days=60), now - dt.timedelta(days=2), 200.0)
    pool = [
        Candidate(1, "cbam", weak_memory),
        Candidate(2, "cbam", None),
        Candidate(3, "cbam", just_answered),
        Candidate(4, "disclosure", None),
        Candidate(5, "cbam", recalled),
        Candidate(6, "disclosure", None),
    ]
    weights = {"cbam": 10, "disclosure": 10}
    exam = now + dt.timedelta(days=20)
    plan = plan_queue(pool, mode="all", now=now, weights=weights, day=_day(now), exam_at=exam)
    assert set(plan) == {1, 2, 4, 6}  # 3 was answered today, 5 is recalled at > 0.95
    assert plan_queue(pool, mode="due", now=now, weights=weights) == [1]
    assert plan_queue(pool, mode="new", now=now, weights=weights, new_limit=1) == [4]
    # cbam has 3 of 4 seen, disclosure none of 2: disclosure catches up first
    assert plan_queue(pool, mode="new", now=now, weights=weights) == [4, 6, 2]


def test_plan_orders_reviews_by_exam_day_gain() -> None:
    now = START
    fragile = _card(now + dt.timedelta(days=3), now - dt.timedelta(days=2), 4.0)
    solid = _card(now + dt.timedelta(days=300), now - dt.timedelta(days=40), 60.0)
    pool = [Candidate(1, "x", solid), Candidate(2, "x", fragile)]
    exam = now + dt.timedelta(days=10)
    plan = plan_queue(pool, mode="all", now=now, weights={}, day=_day(now), exam_at=exam)
    assert plan == [2, 1]
    assert gain(fragile, now, exam, 4) > gain(solid, now, exam, 4) > 0


def test_uncalibrated_plan_puts_due_reviews_before_extra_new() -> None:
    now = START
    due = _card(now - dt.timedelta(hours=1), now - dt.timedelta(days=3), 3.0)
    pool = [Candidate(1, "x", None), Candidate(2, "x", None), Candidate(3, "x", due)]
    kwargs = {"mode": "all", "now": now, "weights": {}, "day": _day(now, per_day=0)}
    assert plan_queue(pool, exam_by_gain=False, **kwargs)[0] == 3  # type: ignore[arg-type]
    # by gain, a never-seen question is worth more than a review FSRS expects to be recalled
    assert plan_queue(pool, exam_by_gain=True, **kwargs)[0] == 1  # type: ignore[arg-type]


def test_plan_weak_and_starred_modes() -> None:
    pool = [Candidate(1, "a", None), Candidate(2, "b", None, starred=True), Candidate(3, "b", None)]
    assert plan_queue(pool, mode="weak", now=START, weights={}, weak_topics=["b"]) == [2, 3]
    assert plan_queue(pool, mode="starred", now=START, weights={}) == [2]
    with pytest.raises(ValueError):
        plan_queue(pool, mode="random", now=START, weights={})


def test_fractional_days_in_retrievability() -> None:
    card = _card(START + dt.timedelta(days=1), START, 1.0)
    almost_a_day = scheduling.retrievability(card, START + dt.timedelta(hours=23, minutes=54))
    assert almost_a_day < 0.91  # fsrs alone reads whole days: 1.0 here
    assert scheduling.retrievability(card, START + dt.timedelta(days=1)) == pytest.approx(0.9)
    assert scheduling.retrievability(card, START + dt.timedelta(hours=12), 2.0) == pytest.approx(
        scheduling.retrievability(card, START + dt.timedelta(days=1))
    )


# ---------------------------------------------------------------- calibration


def test_time_scale_fit_recovers_faster_forgetting() -> None:
    import random

    rng = random.Random(3)
    obs = []
    for _ in range(600):
        stability = rng.uniform(1, 20)
        elapsed = rng.uniform(0.5, 30)
        true_p = 0.25 + 0.75 * scheduling.forgetting_curve(elapsed * 3.0, stability)
        obs.append(calibration.Observation(stability, elapsed, rng.random() < true_p))
    assert 2.0 < calibration.fit_time_scale(obs) < 4.5
    assert calibration.fit_time_scale(obs[:5]) == 1.0  # too little evidence: FSRS's defaults


def test_observations_skip_first_answers_and_feedback_echoes() -> None:
    log = [(3, START, True), (3, START + dt.timedelta(minutes=10), True)]
    log += [(1, START + dt.timedelta(days=2), False)]
    (only,) = calibration.observations([log])
    assert only.elapsed_days == pytest.approx(2 - 10 / 1440) and not only.correct


# ---------------------------------------------------------------- weak topics and readiness


TOPICS = [
    Topic("S", "科目", "Subject"),
    Topic("a", "甲", "A", "S", 60),
    Topic("b", "乙", "B", "S", 40),
    Topic("c", "丙", "C", "S", 0),
]


def test_unseen_questions_are_predicted_from_first_answers() -> None:
    now = START
    fresh = CardState(2, None, 10.0, 5.0, now + dt.timedelta(days=10), now)
    progress = [
        mastery.QuestionProgress(q, ("a",), 4, fresh, reviews=1, correct=1, first_correct=True)
        for q in range(1, 9)
    ] + [mastery.QuestionProgress(q, ("b",), 4, None) for q in range(9, 13)]
    priors = mastery.first_answer_priors(progress, ["a", "b"])
    assert priors["a"].mean > priors["b"].mean > 0.25  # b: shrunk to the candidate's level
    stats = {s.topic_id: s for s in mastery.topic_stats(progress, TOPICS, now, exam_at=None)}
    assert stats["b"].expected_now == pytest.approx(priors["b"].mean)
    assert stats["a"].expected_now == pytest.approx(1.0)  # just reviewed: recalled
    (ready,) = mastery.readiness(list(stats.values()), TOPICS[:1], progress, ExamRules())
    expected = (60 * 1.0 + 40 * priors["b"].mean) / 100 * 100
    assert ready.score == pytest.approx(expected, abs=0.05)
    assert ready.low < ready.score < ready.high
    assert (ready.questions, ready.seen) == (12, 8)


def test_weak_topics_rank_by_knowledge_not_by_coverage() -> None:
    now = START
    progress = [mastery.QuestionProgress(q, ("a",), 4, None) for q in range(1, 41)]
    progress += [mastery.QuestionProgress(q, ("b",), 4, None) for q in range(41, 45)]
    progress += [mastery.QuestionProgress(q, ("c",), 4, None) for q in range(45, 50)]
    # a: 40 answers at 50 %; b: 4 answers, all right; c: never answered
    answers = [mastery.Answer(q, q % 2 == 0, now - dt.timedelta(days=1)) for q in range(1, 41)]
    answers += [mastery.Answer(q, True, now - dt.timedelta(days=1)) for q in range(41, 45)]
    stats = mastery.topic_stats(progress, TOPICS, now, None, answers=answers)
    assert [s.topic_id for s in mastery.weakest(stats)] == ["a", "b"]  # c has no evidence
    by = {s.topic_id: s for s in stats}
    assert by["b"].knowledge is not None and by["b"].overall is not None
    assert by["b"].overall < by["b"].knowledge < 1.0  # shrunk towards the overall accuracy
    assert mastery.weakest(mastery.topic_stats(progress, TOPICS, now, None)) == []


def test_verdict_applies_the_real_rule() -> None:
    rules = ExamRules(pass_average=70, pass_min_subject=60)

    def r(score: float) -> mastery.Readiness:
        return mastery.Readiness("S", "", score, 60, 50, 50, score - 3, score + 3)

    assert mastery.verdict([r(85), r(58)], rules).passing is False  # average 71.5, one below 60
    assert mastery.verdict([r(75), r(66)], rules).passing is True
    assert mastery.verdict([r(80), r(70)], rules).p_pass > 0.95
    assert mastery.verdict([r(62), r(62)], rules).p_pass < 0.05


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


def test_wrong_comes_back_tomorrow_first_right_goes_days_out(
    db: Database, clock: FakeClock
) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    wrong = next(o.label for o in item.question.options if not o.is_correct)
    result = study.answer(item, [wrong])
    # no learning step: a four-option question re-asked minutes after its key was shown
    # measures the feedback, not memory (docs/learning.md)
    assert result.due is not None and dt.timedelta(hours=12) <= result.due - clock.now
    assert result.due - clock.now <= dt.timedelta(days=1, hours=1)
    assert item.question_id not in study.queue()  # answered today: not planned again today
    clock.advance(days=1)
    assert study.queue()[0] == item.question_id  # failed yesterday: the largest gain today
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
    # a bank chosen on purpose is practised whole, whatever today's new-question target
    assert len(study.queue()) == 20
    first = study.item(study.queue()[0])
    study.answer(first, list(first.question.answer))
    assert len(StudyService(db, "amy", "ipas-mock-113", mode="new").queue()) == 19
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
    study.answer(item, ["Z"])  # wrong: due again tomorrow
    study.settings.set_exam_date((clock.now + dt.timedelta(days=40)).date())
    ov = ProgressService(db, "amy").overview()
    assert (ov.answered_today, ov.new_available) == (1, 19)
    assert ov.days_to_exam is not None and 39 <= ov.days_to_exam <= 40
    assert [r.subject for r in ov.readiness] == ["L11", "L12"]
    assert ov.readiness[1].score == 25.0 and ov.readiness[1].questions == 0
    # only areas with answers are judged: the answered question's own
    assert {s.topic_id for s in ov.weakest} == set(item.question.topics)
    assert not ov.verdict.passing and ov.verdict.p_pass < 0.01


def test_a_wrong_answer_never_raises_the_expected_score(db: Database) -> None:
    before = {s.topic_id: s.expected for s in ProgressService(db, "amy").mastery()[0]}
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    study.answer(item, ["Z"])
    after = {s.topic_id: s for s in ProgressService(db, "amy").mastery()[0]}
    for topic in item.question.topics:
        assert after[topic].expected <= before[topic] + 1e-9
        assert after[topic].retrievability_exam is None  # no exam date: nothing shown for it
        assert after[topic].retrievability_now == 0.0  # a wrong answer is no memory


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
