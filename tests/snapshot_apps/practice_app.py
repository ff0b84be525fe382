"""A practice session on a fresh temporary database, for snapshot tests.

Built at import (pytest-textual-snapshot imports the module and takes ``app``); run only as
``__main__``. The clock is fixed so nothing on screen depends on when the test runs.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from quizapp.i18n import set_lang
from quizapp.services.context import open_database
from quizapp.tui.app import QuizApp

set_lang("zh-TW")
_db = open_database(
    str(Path(tempfile.mkdtemp(prefix="quizapp-snap-")) / "snap.sqlite3"),
    clock=lambda: dt.datetime(2026, 11, 29, 1, 0, tzinfo=dt.UTC),
    bundled_only=("ipas-mock-113.md",),
)
app = QuizApp(_db, "snapshot", bank_id="ipas-mock-113", start_practice=True)

if __name__ == "__main__":
    app.run()
