"""The classroom load test, small: concurrent candidates lose no answer (PostgreSQL run only).

The full run (50 candidates, figures in docs/benchmarks.md) is `python -m benchmarks.load`.
"""

from __future__ import annotations

import pytest

from benchmarks import load
from tests import pg


@pytest.mark.skipif(not pg.server_url(), reason="needs PostgreSQL (QUIZAPP_TEST_PG)")
def test_concurrent_candidates_lose_nothing_and_are_scored_right() -> None:
    figures = load.run(pg.server_url() or "", candidates=6, think_ms=10)
    assert figures["problems"] == []
    assert figures["answers"] == 6 * 50
    assert figures["answer_ms"]["p99"] is not None
