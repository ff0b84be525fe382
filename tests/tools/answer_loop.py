"""One of two processes answering on one database: `python -m tests.tools.answer_loop DB USER N`."""

from __future__ import annotations

import sys

from quizapp.services.context import open_database
from quizapp.services.study import StudyService

if __name__ == "__main__":
    path, user, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = open_database(path, bundled_only=("ipas-mock-113.md",))
    study = StudyService(db, user, "ipas-mock-113", mode="new")
    items = [study.item(q) for q in study.queue()]
    for n in range(count):
        item = items[n % len(items)]
        study.answer(item, [item.question.answer[0] if n % 3 else "Z"])
    print("done", flush=True)
