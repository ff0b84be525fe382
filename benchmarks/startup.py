"""Child process for start-up and memory figures: `python -m benchmarks.startup MODE DB`.

MODE is `bare` (a Textual app painting one line: the floor), `home` or `practice`. The process
notes the wall-clock moment its first screen is painted, exits, and prints that moment and its
peak RSS in KiB.
"""

from __future__ import annotations

import resource
import sys
import time
from typing import Any

PAINTED: list[float] = []


def painted(app: Any) -> None:
    """The first screen is on the terminal: note the moment, then leave."""
    PAINTED.append(time.time())
    app.exit()


def main() -> None:
    """Build the app for MODE, paint once, exit."""
    mode, db_path = sys.argv[1], sys.argv[2]
    if mode == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("hello")

            def on_mount(self) -> None:
                self.call_after_refresh(painted, self)

        Bare().run(headless=True)
    else:
        from quizapp.services.context import open_database
        from quizapp.tui.app import QuizApp

        db = open_database(db_path, load_bundled=False)

        class Timed(QuizApp):
            def on_mount(self) -> None:
                super().on_mount()
                self.call_after_refresh(lambda: self.call_after_refresh(painted, self))

        Timed(db, "bench", bank_id="bench", start_practice=mode == "practice").run(headless=True)
    print(PAINTED[0], flush=True)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)


if __name__ == "__main__":
    main()
