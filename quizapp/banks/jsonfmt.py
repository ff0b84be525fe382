"""The JSON bank schema of `bank export --format json`, read back (round-trip safe)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from quizapp.banks.common import prepare
from quizapp.domain.model import Bank, Option, ParseResult, Problem, Question, Source


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def parse_json(text: str, file: str = "<json>") -> ParseResult:
    """Parse a JSON bank; a question's problems point at the line of its key."""
    text, problems = prepare(text, file)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return ParseResult(None, (Problem(file, exc.lineno, f"not valid JSON: {exc.msg}"),))
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return ParseResult(None, (Problem(file, 1, "expected an object with a 'questions' list"),))
    for field in ("id", "title"):
        if not isinstance(data.get(field), str) or not data[field]:
            problems.append(Problem(file, 1, f"missing bank field {field!r}"))
    questions = []
    seen: set[str] = set()
    for n, raw in enumerate(data["questions"], start=1):
        q = _question(raw, n, text, file, problems)
        if q is None:
            continue
        if q.key in seen:
            problems.append(Problem(file, q.line, f"duplicate key {q.key!r}"))
            continue
        seen.add(q.key)
        questions.append(q)
    if any(p.level == "error" for p in problems):
        return ParseResult(None, tuple(problems))
    bank = Bank(
        str(data["id"]),
        str(data["title"]),
        str(data.get("subject", "")),
        str(data.get("version", "1")),
        questions=tuple(questions),
    )
    return ParseResult(bank, tuple(problems))


def _question(raw: Any, n: int, text: str, file: str, problems: list[Problem]) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, 1, f"question #{n} is not an object"))
        return None
    key = str(raw.get("key") or f"Q{n}")
    line = _line_of(text, f'"key": "{key}"') if raw.get("key") else 1
    try:
        labels = [str(o["label"]) for o in raw["options"]]
        answer = [str(a).upper() for a in raw["answer"]]
        options = tuple(
            Option(
                str(o["label"]),
                str(o["text"]),
                str(o["label"]) in answer,
                str(o.get("feedback", "")),
            )
            for o in raw["options"]
        )
        valid = raw.get("valid_as_of")
        question = Question(
            key=key,
            stem=str(raw["stem"]),
            options=options,
            explanation=str(raw.get("explanation", "")),
            topics=tuple(str(t) for t in raw.get("topics", [])),
            notes=tuple(str(t) for t in raw.get("notes", [])),
            sources=tuple(
                Source(str(s.get("title", "")), str(s.get("url", "")), str(s.get("quote", "")))
                for s in raw.get("sources", [])
            ),
            valid_as_of=dt.date.fromisoformat(valid) if valid else None,
            multi=len(answer) > 1,
            line=line,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        problems.append(Problem(file, line, f"question {key}: missing or bad field ({exc})"))
        return None
    if len(options) < 2:
        problems.append(Problem(file, line, f"question {key}: fewer than two options"))
        return None
    if not answer or any(a not in labels for a in answer):
        problems.append(
            Problem(
                file, line, f"question {key}: answer {answer} is not among the options {labels}"
            )
        )
        return None
    return question
