"""Moodle GIFT format → domain objects (multiple choice, multiple answer, true/false).

Supported: `::title::`, `$CATEGORY:` (its last path part becomes the topic), `//` comments,
escapes `\\:` `\\=` `\\~` `\\#` `\\{` `\\}` `\\\\`, `[markdown]`/`[html]`/`[plain]`/`[moodle]`
markers (HTML reduced to text), per-option feedback `#…` and general feedback `####…` (kept as
the explanation). Types the app cannot ask (short answer, numerical, matching, essay,
description) are skipped with a warning, or are errors with ``strict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.banks.common import (
    BankMeta,
    conclude,
    html_to_text,
    key_from_title,
    make_options,
    prepare,
)
from quizapp.domain.model import MAX_OPTIONS, ParseResult, Problem, Question

# Escaped characters are swapped for private-use code points while parsing.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\:": "\ue001",
    "\\=": "\ue002",
    "\\~": "\ue003",
    "\\#": "\ue004",
    "\\{": "\ue005",
    "\\}": "\ue006",
    "\\n": "\n",
}
_UNESCAPE = {v: k[1] for k, v in _ESCAPES.items() if k != "\\n"}
_FORMAT = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE = {"T", "TRUE"}
_FALSE = {"F", "FALSE"}
TRUE_FALSE = ("正確", "錯誤")


def _escape(text: str) -> str:
    return re.sub(r"\\[\\:=~#{}n]", lambda m: _ESCAPES[m.group(0)], text)


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


@dataclass
class _Chunk:
    line: int
    text: str
    category: str


def _chunks(lines: list[str], file: str, problems: list[Problem]) -> list[_Chunk]:
    """Questions are separated by blank lines outside braces; comments are dropped."""
    out: list[_Chunk] = []
    current: list[str] = []
    start = 0
    depth = 0
    opened = 0
    category = ""
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if depth == 0 and stripped.startswith("//"):
            continue
        if depth == 0 and not current and stripped.startswith("$CATEGORY:"):
            category = stripped.split(":", 1)[1].strip()
            continue
        if depth == 0 and not stripped:
            if current:
                out.append(_Chunk(start, "\n".join(current), category))
                current = []
            continue
        if not current:
            start = n
        current.append(line)
        for ch in line:
            if ch == "{":
                if depth == 0:
                    opened = n
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    problems.append(Problem(file, n, "'}' without a matching '{'"))
                    depth = 0
    if depth > 0:
        problems.append(Problem(file, opened, "unclosed '{' (the answer block never ends)"))
    elif current:
        out.append(_Chunk(start, "\n".join(current), category))
    return out


def _text(value: str, markup: str) -> str:
    value = _unescape(value).strip()
    if markup == "html":
        value = html_to_text(value)
    return re.sub(r"[ \t]*\n[ \t]*", "\n", value).strip()


def _split_answers(block: str) -> list[tuple[str, str]]:
    """'=a #fb ~b' → [('=', 'a #fb'), ('~', 'b')]."""
    parts = re.split(r"([=~])", block)
    out = []
    for i in range(1, len(parts) - 1, 2):
        out.append((parts[i], parts[i + 1]))
    return out


def parse_gift(
    text: str, file: str = "<gift>", meta: BankMeta | None = None, *, strict: bool = False
) -> ParseResult:
    """Parse a GIFT file; unsupported question types are warnings (errors when strict)."""
    meta = meta or BankMeta.for_file(file)
    text, problems = prepare(text, file)
    questions: list[Question] = []
    keys: dict[str, int] = {}
    for chunk in _chunks(_escape(text).split("\n"), file, problems):
        q = _question(chunk, len(questions) + 1, file, problems, strict)
        if q is None:
            continue
        if q.key in keys:
            problems.append(
                Problem(
                    file, chunk.line, f"duplicate question title {q.key!r} (line {keys[q.key]})"
                )
            )
            continue
        keys[q.key] = chunk.line
        questions.append(q)
    if not questions and not any(p.level == "error" for p in problems):
        problems.append(Problem(file, 1, "no question the app can ask in this file"))
    problems.sort(key=lambda p: p.line)
    return conclude(meta, questions, problems)


def _question(
    chunk: _Chunk, number: int, file: str, problems: list[Problem], strict: bool
) -> Question | None:
    body = chunk.text
    title = ""
    m = re.match(r"^\s*::(.*?)::", body, re.DOTALL)
    if m:
        title = _unescape(m.group(1)).strip()
        body = body[m.end() :]
    markup = "moodle"
    fm = _FORMAT.match(body)
    if fm:
        markup = fm.group(1).lower()
        body = body[fm.end() :]
    level = "error" if strict else "warning"
    start = body.find("{")
    if start < 0:
        problems.append(
            Problem(
                file,
                chunk.line,
                "a description (no answers) is not a question the app can ask: skipped",
                level,
            )
        )
        return None
    end = body.rfind("}")
    stem = _text(
        body[:start] + ("＿＿＿" if body[end + 1 :].strip() else "") + body[end + 1 :], markup
    )
    block = body[start + 1 : end].strip()
    general = ""
    if "####" in block:
        block, general = block.split("####", 1)
        block = block.strip()
    key = key_from_title(title, f"Q{number}") if title else f"Q{number}"
    topics = (chunk.category.rstrip("/").split("/")[-1].strip(),) if chunk.category else ()
    explanation = _text(general, markup)

    def skip(kind: str) -> None:
        problems.append(
            Problem(
                file, chunk.line, f"{kind} questions cannot be asked by the app: skipped", level
            )
        )

    if not block:
        skip("essay")
        return None
    if block.startswith("#"):
        skip("numerical")
        return None
    head = block.split("#", 1)[0].strip().upper()
    if head in _TRUE | _FALSE:
        feedback = block.split("#", 1)[1] if "#" in block else ""
        truth = head in _TRUE
        if not explanation and feedback:
            explanation = _text(feedback.split("#")[0], markup)
        options = make_options([(TRUE_FALSE[0], truth), (TRUE_FALSE[1], not truth)])
        return Question(key, stem, options, explanation, topics, line=chunk.line)
    answers = _split_answers(block)
    if not answers:
        problems.append(Problem(file, chunk.line, "answer block has no '=' or '~' answers"))
        return None
    if any("->" in a for _, a in answers):
        skip("matching")
        return None
    if all(sign == "=" for sign, _ in answers):
        skip("short-answer")
        return None
    parsed: list[tuple[str, bool]] = []
    feedbacks: list[str] = []
    weighted = False
    for sign, raw in answers:
        raw = raw.strip()
        weight = None
        wm = _WEIGHT.match(raw)
        if wm:
            weighted = True
            weight = float(wm.group(1))
            raw = raw[wm.end() :]
        option, _, feedback = raw.partition("#")
        correct = weight > 0 if weight is not None else sign == "="
        parsed.append((_text(option, markup), correct))
        feedbacks.append(_text(feedback, markup))
    if any(not t for t, _ in parsed):
        problems.append(Problem(file, chunk.line, "an empty answer in the answer block"))
        return None
    if len(parsed) < 2:
        problems.append(Problem(file, chunk.line, "fewer than two options"))
        return None
    if len(parsed) > MAX_OPTIONS:
        problems.append(Problem(file, chunk.line, f"more than {MAX_OPTIONS} options"))
        return None
    right = sum(ok for _, ok in parsed)
    if right == 0:
        problems.append(Problem(file, chunk.line, "no answer: no '=' option or positive weight"))
        return None
    multi = right > 1
    if right > 1 and not weighted:
        problems.append(
            Problem(file, chunk.line, f"{right} options marked '=' in a single-answer question")
        )
        return None
    options = tuple(
        o.__class__(o.label, o.text, o.is_correct, fb)
        for o, fb in zip(make_options(parsed), feedbacks, strict=True)
    )
    return Question(key, stem, options, explanation, topics, multi=multi, line=chunk.line)
