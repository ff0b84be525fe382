"""Exam rules, mock-exam blueprints and official exam dates, from ``blueprints.toml``."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExamRules:
    """How the real exam is scored and passed."""

    points_per_subject: int = 100
    pass_average: float = 70
    pass_min_subject: float = 60
    source: str = ""
    checked: dt.date | None = None

    def passed(self, scores: Sequence[float]) -> bool:
        """Pass: average ≥ pass_average and no subject below pass_min_subject."""
        if not scores:
            return False
        average = sum(scores) / len(scores)
        return average >= self.pass_average and min(scores) >= self.pass_min_subject


@dataclass(frozen=True, slots=True)
class ExamDate:
    """An official exam sitting."""

    date: dt.date
    label: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A mock-exam recipe: questions and minutes per subject."""

    id: str
    title_zh: str
    title_en: str
    subjects: tuple[str, ...]
    questions: int
    minutes: int


@dataclass(frozen=True, slots=True)
class ExamData:
    """Everything in blueprints.toml."""

    rules: ExamRules
    dates: tuple[ExamDate, ...]
    blueprints: tuple[Blueprint, ...]

    def next_date(self, today: dt.date) -> ExamDate | None:
        """The first official exam date on or after ``today``."""
        upcoming = sorted((d for d in self.dates if d.date >= today), key=lambda d: d.date)
        return upcoming[0] if upcoming else None

    def blueprint(self, blueprint_id: str) -> Blueprint | None:
        """A blueprint by id."""
        return next((b for b in self.blueprints if b.id == blueprint_id), None)


def parse_exam_data(text: str) -> ExamData:
    """Parse blueprints.toml; raises ValueError naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"blueprints.toml: {exc}") from None
    try:
        raw = data.get("rules", {})
        rules = ExamRules(
            points_per_subject=int(raw.get("points_per_subject", 100)),
            pass_average=float(raw.get("pass_average", 70)),
            pass_min_subject=float(raw.get("pass_min_subject", 60)),
            source=str(raw.get("source", "")),
            checked=raw.get("checked"),
        )
        dates = tuple(
            ExamDate(d["date"], str(d.get("label", "")), str(d.get("source", "")))
            for d in data.get("exam_date", [])
        )
        blueprints = tuple(
            Blueprint(
                id=str(b["id"]),
                title_zh=str(b["zh"]),
                title_en=str(b.get("en", b["zh"])),
                subjects=tuple(b["subjects"]),
                questions=int(b["questions"]),
                minutes=int(b["minutes"]),
            )
            for b in data.get("blueprint", [])
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"blueprints.toml: missing or bad field {exc}") from None
    return ExamData(rules, dates, blueprints)
