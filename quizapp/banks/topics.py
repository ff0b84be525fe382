"""The syllabus topic tree, read from ``topics.toml`` (pure: no database)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from quizapp.domain.model import Problem, Topic


def parse_topics(text: str, file: str = "topics.toml") -> tuple[list[Topic], list[Problem]]:
    """Parse the topic file; return the topics and any problems (unknown parent, duplicates)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [Problem(file, getattr(exc, "lineno", 0), f"not valid TOML: {exc}")]
    topics: list[Topic] = []
    problems: list[Problem] = []
    for n, raw in enumerate(data.get("topic", []), start=1):
        try:
            topics.append(
                Topic(
                    id=str(raw["id"]),
                    title_zh=str(raw["zh"]),
                    title_en=str(raw.get("en", raw["zh"])),
                    parent_id=raw.get("parent"),
                    exam_weight=float(raw.get("weight", 0)),
                )
            )
        except KeyError as exc:
            problems.append(Problem(file, 0, f"topic #{n} has no {exc.args[0]!r}"))
    ids = [t.id for t in topics]
    for t in topics:
        if ids.count(t.id) > 1:
            problems.append(Problem(file, 0, f"topic id {t.id!r} is defined twice"))
        if t.parent_id is not None and t.parent_id not in ids:
            problems.append(Problem(file, 0, f"topic {t.id!r} has unknown parent {t.parent_id!r}"))
    return topics, problems


def load_topics(path: Path) -> list[Topic]:
    """Load the topic tree; raise ValueError listing the problems if the file is broken."""
    topics, problems = parse_topics(path.read_text(encoding="utf-8"), str(path))
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    return topics
