"""Settings: database URL, user, language and data folder (flags > environment > defaults)."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

LANGS = ("zh-TW", "en")


def data_dir() -> Path:
    """The per-user data folder (platformdirs), e.g. ~/.local/share/quizapp on Linux."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("quizapp", appauthor=False))


def default_db_url() -> str:
    """SQLite file in the user data folder."""
    return f"sqlite:///{data_dir() / 'quizapp.sqlite3'}"


def default_user() -> str:
    """The OS login name (a stable default for a single-user laptop)."""
    try:
        return getpass.getuser() or "candidate"
    except Exception:  # no login name in some containers
        return "candidate"


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings for one run of the app."""

    db_url: str
    user: str
    lang: str

    @classmethod
    def resolve(
        cls, db: str | None = None, user: str | None = None, lang: str | None = None
    ) -> Settings:
        """Flags win over QUIZAPP_DB / QUIZAPP_USER / QUIZAPP_LANG, which win over defaults."""
        language = lang or os.environ.get("QUIZAPP_LANG") or "zh-TW"
        if language not in LANGS:
            raise ValueError(f"unknown language {language!r} (use {' or '.join(LANGS)})")
        return cls(
            db_url=db or os.environ.get("QUIZAPP_DB") or default_db_url(),
            user=user or os.environ.get("QUIZAPP_USER") or default_user(),
            lang=language,
        )
