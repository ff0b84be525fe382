"""Moodle's Aiken format → domain objects.

    哪一項不是 CBAM 的產品？
    A. 氫
    B) 塑膠
    C. 鋼鐵
    D. 肥料
    ANSWER: B

Questions are separated by blank lines. Aiken has no explanations, topics or titles: questions
are keyed Q1, Q2… in file order and the whole file can be given a topic with ``--topic``.
"""

from __future__ import annotations

import re

from quizapp.banks.common import BankMeta, conclude, make_options, prepare
from quizapp.domain.model import MAX_OPTIONS, OPTION_LABELS, ParseResult, Problem, Question

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)


def parse_aiken(
    text: str, file: str = "<aiken>", meta: BankMeta | None = None, topics: tuple[str, ...] = ()
) -> ParseResult:
    """Parse an Aiken file; every problem names its line."""
    meta = meta or BankMeta.for_file(file)
    text, problems = prepare(text, file)
    questions: list[Question] = []
    block: list[tuple[int, str]] = []
    for n, raw in enumerate([*text.split("\n"), ""], start=1):
        if raw.strip():
            block.append((n, raw.rstrip()))
            continue
        if block:
            q = _question(block, len(questions) + 1, file, problems, topics)
            if q is not None:
                questions.append(q)
            block = []
    if not questions and not problems:
        problems.append(Problem(file, 1, "no questions found"))
    return conclude(meta, questions, problems)


def _question(
    block: list[tuple[int, str]],
    number: int,
    file: str,
    problems: list[Problem],
    topics: tuple[str, ...],
) -> Question | None:
    first = block[0][0]
    stem: list[str] = []
    options: list[tuple[int, str, str]] = []
    answer: tuple[int, str] | None = None
    for n, line in block:
        om = _OPTION.match(line.strip())
        am = _ANSWER.match(line.strip())
        if am:
            answer = (n, am.group(1).upper())
        elif om and (options or stem):
            options.append((n, om.group(1), om.group(2)))
        elif options:
            problems.append(
                Problem(
                    file, n, f"expected an option like 'C. text' or 'ANSWER: X': {line.strip()!r}"
                )
            )
            return None
        else:
            stem.append(line.strip())
    if not stem:
        problems.append(Problem(file, first, "no question text before the options"))
        return None
    if len(options) < 2:
        problems.append(Problem(file, first, "fewer than two options"))
        return None
    if len(options) > MAX_OPTIONS:
        problems.append(Problem(file, options[MAX_OPTIONS][0], f"more than {MAX_OPTIONS} options"))
        return None
    expected = OPTION_LABELS[: len(options)]
    for (n, label, _), want in zip(options, expected, strict=True):
        if label != want:
            problems.append(Problem(file, n, f"option {label} is out of order (expected {want})"))
            return None
    if answer is None:
        problems.append(Problem(file, options[-1][0], "no 'ANSWER: X' line after the options"))
        return None
    if answer[1] not in expected:
        problems.append(
            Problem(
                file, answer[0], f"answer {answer[1]!r} is not among the options A–{expected[-1]}"
            )
        )
        return None
    built = make_options([(t, label == answer[1]) for _, label, t in options])
    return Question(f"Q{number}", "\n".join(stem), built, "", topics, line=first)
