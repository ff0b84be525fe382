"""Helpers for Pilot tests: read what the screen shows and find the keys to press."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from quizapp.domain.model import Question


def text_of(app: App[None], selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


def shown(app: App[None]) -> Question:
    """The question on the practice screen."""
    item = app.screen.item  # type: ignore[attr-defined]
    assert item is not None
    return item.question  # type: ignore[no-any-return]


def right_key(app: App[None]) -> str:
    """The key that answers the question on screen correctly."""
    return shown(app).answer[0].lower()


def wrong_key(app: App[None]) -> str:
    """A key that answers the question on screen wrongly."""
    return next(o.label for o in shown(app).options if not o.is_correct).lower()


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    """Wait for background workers (the home screen's overview) and the repaint after them."""
    await app.workers.wait_for_complete()
    await pilot.pause()
