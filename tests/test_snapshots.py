"""Pixel-level regressions of the practice screen at 80×24 (SVG snapshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# Not storage behaviour: once, on the SQLite run, is enough.
pytestmark = pytest.mark.sqlite_only


APP = Path(__file__).parent / "snapshot_apps" / "practice_app.py"


def test_question_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(APP, terminal_size=(80, 24))


def test_wrong_answer_feedback_at_80x24(snap_compare: Any) -> None:
    assert snap_compare(APP, press=["c"], terminal_size=(80, 24))
