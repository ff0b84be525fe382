"""Item analysis of a bank over every submitted mock-exam attempt (all users)."""

from __future__ import annotations

from collections import defaultdict

from quizapp.db import exam_repo, repo
from quizapp.domain import grading
from quizapp.domain.item_analysis import ItemStats, Response, analyse
from quizapp.services.context import Database


def bank_item_stats(db: Database, bank_id: str) -> list[ItemStats] | None:
    """Stats of every live question of a bank, in bank order; None if there is no such bank."""
    with db.transaction() as s:
        bank = repo.load_bank(s, bank_id)
        if bank is None or not bank.questions:
            return None
        ids = repo.question_ids(s, bank_id)
        rows = exam_repo.responses_for_bank(s, bank_id)
        answers = repo.study_items(s, (q for _, q, _ in rows))
    correct_of: dict[int, dict[int, bool]] = defaultdict(dict)
    for attempt, qid, chosen in rows:
        item = answers[qid]
        correct_of[attempt][qid] = chosen is not None and grading.is_correct(item.question, chosen)
    per_question: dict[int, list[Response]] = defaultdict(list)
    for attempt, qid, chosen in rows:
        results = correct_of[attempt]
        others = [ok for other, ok in results.items() if other != qid]
        rest = sum(others) / len(others) if others else 0.0
        per_question[qid].append(Response(attempt, chosen, results[qid], rest))
    return [
        analyse(
            ids[q.key],
            q.key,
            q.answer[0],
            [o.label for o in q.options],
            per_question.get(ids[q.key], []),
        )
        for q in bank.questions
    ]
