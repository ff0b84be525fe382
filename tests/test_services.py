"""Repository and services on a real SQLite file: import, re-import, answers, queue, export."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from quizapp.db.tables import CardRow, QuestionRow, ReviewRow
from quizapp.services.banks import BankService
from quizapp.services.context import Database
from quizapp.services.study import StudyService
from tests.conftest import FakeClock

BANK = """---
id: demo
title: 示範
subject: L11
---

## Q1
topics: cbam

CBAM 涵蓋哪一項？

- [x] 鋼鐵
- [ ] 塑膠

> 解析：鋼鐵在附件一。

## Q2
topics: cbam

CBAM 的目的？

- [ ] 增加稅收
- [x] 防止碳洩漏

> 解析：官方說法是防止碳洩漏。
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(db: Database, column: object) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(column)) or 0  # type: ignore[arg-type]


def test_first_open_loads_bundled_bank(db: Database) -> None:
    banks = BankService(db).list_banks()
    assert [(b.id, b.question_count) for b in banks] == [("ipas-mock-113", 20)]


def test_import_then_reimport_keeps_history(empty_db: Database, tmp_path: Path) -> None:
    service = BankService(empty_db)
    path = _write(tmp_path, "demo.md", BANK)
    outcome = service.import_files([path])
    assert outcome.ok and outcome.reports[0].added == 2
    study = StudyService(empty_db, "amy", "demo")
    item = study.item(study.queue()[0])
    study.answer(item, ["A"])
    edited = BANK.replace("CBAM 涵蓋哪一項？", "CBAM 列管哪一項產品？").split("## Q2")[0]
    _write(tmp_path, "demo.md", edited)
    report = service.import_files([path]).reports[0]
    assert (report.updated, report.retired, report.added) == (1, 1, 0)
    with empty_db.transaction() as s:
        q1 = s.scalars(select(QuestionRow).where(QuestionRow.key == "Q1")).one()
        q2 = s.scalars(select(QuestionRow).where(QuestionRow.key == "Q2")).one()
        assert (q1.revision, q1.stem, q1.retired) == (2, "CBAM 列管哪一項產品？", False)
        assert q2.retired
        assert s.scalar(select(func.count()).select_from(ReviewRow)) == 1
    assert service.list_banks()[0].question_count == 1
    # bringing Q2 back restores it rather than creating a new question
    _write(tmp_path, "demo.md", BANK)
    assert service.import_files([path]).reports[0].restored == 1


def test_import_is_all_or_nothing(empty_db: Database, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.md", BANK)
    bad = _write(
        tmp_path,
        "bad.md",
        BANK.replace("id: demo", "id: other").replace("- [x] 鋼鐵", "- [ ] 鋼鐵"),
    )
    outcome = BankService(empty_db).import_files([good, bad])
    assert not outcome.ok
    assert any(
        str(p).startswith(f"{bad}:12: error: question Q1: no answer") for p in outcome.problems
    )
    assert BankService(empty_db).list_banks() == []


def test_dry_run_reports_but_writes_nothing(empty_db: Database, tmp_path: Path) -> None:
    outcome = BankService(empty_db).import_files([_write(tmp_path, "d.md", BANK)], dry_run=True)
    assert outcome.ok and outcome.reports[0].added == 2
    assert BankService(empty_db).list_banks() == []


def test_answer_is_committed_with_review_and_card(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    item = study.item(study.queue()[0])
    key = item.question.answer[0]
    other = next(o.label for o in item.question.options if o.label != key)
    wrong = study.answer(item, [other.lower()], duration_ms=1234)
    assert (wrong.correct, wrong.answer, wrong.rating) == (False, (key,), 1)
    with db.transaction() as s:
        review = s.scalars(select(ReviewRow)).one()
        assert (review.chosen, review.correct, review.rating, review.duration_ms) == (
            other,
            False,
            1,
            1234,
        )
        assert review.reviewed_at == clock.now
        card = s.scalars(select(CardRow)).one()
        assert card.last_review == clock.now and card.due > clock.now


def test_queue_puts_due_reviews_before_new_questions(db: Database, clock: FakeClock) -> None:
    study = StudyService(db, "amy", "ipas-mock-113")
    first = study.item(study.queue()[0])
    wrong = next(o.label for o in first.question.options if not o.is_correct)
    study.answer(first, [wrong])  # wrong: back tomorrow, not in today's plan
    assert first.question_id not in study.queue()
    clock.advance(days=1)
    assert study.queue()[0] == first.question_id
    assert study.answered_today() == 0


def test_users_progress_is_separate(db: Database) -> None:
    amy, ben = StudyService(db, "amy"), StudyService(db, "ben")
    first = amy.item(amy.queue()[0])
    amy.answer(first, list(first.question.answer))
    assert amy.answered_today() == 1 and ben.answered_today() == 0
    assert BankService(db).list_banks("amy")[0].answered == 1
    assert BankService(db).list_banks("ben")[0].answered == 0


def test_export_json_has_the_seed_key(db: Database) -> None:
    exported = BankService(db).export("ipas-mock-113", "json")
    assert exported is not None
    data = json.loads(exported[0])
    assert [q["answer"][0] for q in data["questions"]] == list("ACCCDABBDCCADDCBDCCA")
    assert set(data["questions"][0]) >= {
        "key",
        "stem",
        "options",
        "answer",
        "topics",
        "explanation",
        "notes",
    }


def test_native_export_reimports_unchanged(db: Database, tmp_path: Path) -> None:
    exported = BankService(db).export("ipas-mock-113", "native")
    assert exported is not None
    text = exported[0]
    report = BankService(db).import_files([_write(tmp_path, "again.md", text)]).reports[0]
    assert (report.unchanged, report.updated, report.added) == (20, 0, 0)


def test_reimport_in_a_new_order_moves_questions_and_restores_retired_ones(
    empty_db: Database, tmp_path: Path
) -> None:
    from quizapp.db import repo

    service = BankService(empty_db)
    head, q1, q2 = BANK.split("## ")
    path = _write(tmp_path, "demo.md", BANK)
    assert service.import_files([path]).ok
    _write(tmp_path, "demo.md", head + "## " + q2)  # Q1 dropped: retired
    assert service.import_files([path]).reports[0].retired == 1
    _write(tmp_path, "demo.md", head + "## " + q2 + "## " + q1)  # Q1 back, after Q2
    report = service.import_files([path]).reports[0]
    assert report.keys["restored"] == ("Q1",) and report.keys["unchanged"] == ("Q2",)
    with empty_db.transaction() as s:
        bank = repo.load_bank(s, "demo")
        assert bank is not None and [q.key for q in bank.questions] == ["Q2", "Q1"]
        assert bank.questions[1].options[0].text == "鋼鐵"
