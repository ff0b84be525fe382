"""Database failures during a session are reported on screen, not fatal.

Textual stops a widget's message loop at the first exception its handlers raise and then
exits the app. For a database failure (a lost classroom server, a full disk, a denied write)
that would throw the candidate out mid-session although nothing was lost: each user action is
one transaction, so the failed one was rolled back whole and everything before it is stored.
The app and every screen mix this in, so such a failure becomes a notification and the
candidate can retry or go home. Any other exception still ends the app with a traceback.
"""

from __future__ import annotations

from textual.message import Message
from textual.message_pump import MessagePump

from quizapp.i18n import t
from quizapp.services.context import database_problem


class DatabaseGuard(MessagePump):
    """Mixin (before Screen or App in the bases): report database failures, keep running."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            problem = database_problem(error)
            if problem is None:
                raise
            self.app.notify(f"{problem}\n{t('tui.db_not_saved')}", severity="error", timeout=20)
