"""Per-user settings (exam date, daily goal, new questions per day) and local-day helpers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quizapp import resources
from quizapp.db import study_repo
from quizapp.domain.blueprint import ExamData, parse_exam_data
from quizapp.i18n import t
from quizapp.services.context import Database

DEFAULT_DAILY_GOAL = 30
DEFAULT_NEW_PER_DAY = 20
EXAM_START = dt.time(9, 0)  # iPAS sittings start in the morning; predictions aim at that hour


@lru_cache(maxsize=1)
def exam_data() -> ExamData:
    """The bundled blueprints.toml (rules, blueprints, official dates), read once."""
    return parse_exam_data((resources.banks_dir() / "blueprints.toml").read_text("utf-8"))


def local_midnight(now: dt.datetime) -> dt.datetime:
    """Start of the candidate's local day containing ``now``, as aware UTC."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def local_date(moment: dt.datetime) -> dt.date:
    """The candidate's local calendar date of a UTC moment."""
    return moment.astimezone().date()


def exam_moment(day: dt.date) -> dt.datetime:
    """The exam's start on ``day`` in local time, as aware UTC."""
    return dt.datetime.combine(day, EXAM_START).astimezone().astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class Settings:
    """A candidate's settings with defaults filled in."""

    exam_date: dt.date | None
    exam_date_is_default: bool
    daily_goal: int
    new_per_day: int


class UserSettings:
    """Reads and writes one user's settings."""

    def __init__(self, db: Database, user_id: int) -> None:
        self.db = db
        self.user_id = user_id

    def load(self) -> Settings:
        """Settings with defaults: the exam date defaults to the next official sitting."""
        with self.db.transaction() as s:
            raw = {
                k: study_repo.get_setting(s, self.user_id, k)
                for k in ("exam_date", "daily_goal", "new_per_day")
            }
        exam = dt.date.fromisoformat(raw["exam_date"]) if raw["exam_date"] else None
        default = exam is None
        if exam is None:
            upcoming = exam_data().next_date(local_date(self.db.clock()))
            exam = upcoming.date if upcoming else None
        return Settings(
            exam_date=exam,
            exam_date_is_default=default,
            daily_goal=int(raw["daily_goal"] or DEFAULT_DAILY_GOAL),
            new_per_day=int(raw["new_per_day"] or DEFAULT_NEW_PER_DAY),
        )

    def set_exam_date(self, day: dt.date | None) -> None:
        """Set (or, with None, clear) the candidate's exam date."""
        with self.db.transaction() as s:
            study_repo.set_setting(s, self.user_id, "exam_date", day.isoformat() if day else None)

    def set_int(self, key: str, value: int) -> None:
        """Set ``daily_goal`` or ``new_per_day`` (must be ≥ 0)."""
        if key not in ("daily_goal", "new_per_day") or value < 0:
            raise ValueError(f"bad setting {key}={value}")
        with self.db.transaction() as s:
            study_repo.set_setting(s, self.user_id, key, str(value))


def parse_exam_date(value: str, today: dt.date) -> tuple[dt.date | None, str]:
    """A future date from YYYY-MM-DD (full-width digits from a Chinese IME accepted)."""
    normal = unicodedata.normalize("NFKC", value).strip()
    try:
        day = dt.date.fromisoformat(normal)
    except ValueError:
        return None, t("cli.bad_date", value=value)
    if day < today:
        return None, t("examdate.past", value=normal)
    return day, ""

    def action_cancel(self) -> None:
        """Esc: leave the date as it was."""
        self.dismiss(False)
