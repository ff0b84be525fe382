"""CSV banks (spreadsheet-friendly), in and out.

Columns, named in a header row (any order, case-insensitive):
``key, stem, a, b, c, d[, e … j], answer, explanation, topics, notes, valid_as_of``.
Required: ``stem``, ``a``, ``b``, ``answer`` (``B``, or ``A;C`` for several). ``topics`` and
``notes`` are separated by ``;`` or ``,``. Quoted multi-line cells and Excel's UTF-8 BOM work.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from quizapp.banks.common import BankMeta, conclude, make_options, prepare
from quizapp.domain.model import OPTION_LABELS, Bank, ParseResult, Problem, Question

OPTION_COLUMNS = [c.lower() for c in OPTION_LABELS]
KNOWN = {"key", "stem", *OPTION_COLUMNS, "answer", "explanation", "topics", "notes", "valid_as_of"}
REQUIRED = ("stem", "a", "b", "answer")


def _split(value: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[;,\s]+", value.strip()) if p)


def parse_csv(text: str, file: str = "<csv>", meta: BankMeta | None = None) -> ParseResult:
    """Parse a CSV bank; problems carry the line where the record starts."""
    meta = meta or BankMeta.for_file(file)
    text, problems = prepare(text, file)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return ParseResult(None, (Problem(file, 1, "empty file: a header row is needed"),))
    except csv.Error as exc:
        return ParseResult(None, (Problem(file, 1, f"not valid CSV: {exc}"),))
    unknown = [h for h in header if h and h not in KNOWN]
    if unknown:
        problems.append(
            Problem(
                file,
                1,
                f"unknown column(s) {', '.join(unknown)} "
                f"(known: key, stem, a–j, answer, explanation, topics, notes, "
                f"valid_as_of)",
            )
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(Problem(file, 1, f"missing column(s): {', '.join(missing)}"))
        return ParseResult(None, tuple(problems))
    questions: list[Question] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            row = {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header)}
            q = _question(row, len(questions) + 1, start, file, problems)
            if q is None:
                continue
            if q.key in seen:
                problems.append(
                    Problem(file, start, f"duplicate key {q.key!r} (line {seen[q.key]})")
                )
                continue
            seen[q.key] = start
            questions.append(q)
    except csv.Error as exc:
        problems.append(Problem(file, reader.line_num, f"not valid CSV: {exc}"))
    if not questions and not problems:
        problems.append(Problem(file, 2, "no questions: add a row under the header"))
    return conclude(meta, questions, problems)


def _question(
    row: dict[str, str], number: int, line: int, file: str, problems: list[Problem]
) -> Question | None:
    texts = [row.get(c, "") for c in OPTION_COLUMNS]
    while texts and not texts[-1]:
        texts.pop()
    if not row["stem"]:
        problems.append(Problem(file, line, "empty stem"))
        return None
    if len(texts) < 2 or any(not t for t in texts):
        problems.append(
            Problem(file, line, "options must fill columns a, b, … without gaps (at least two)")
        )
        return None
    answer = tuple(a.upper() for a in _split(row["answer"]))
    labels = OPTION_LABELS[: len(texts)]
    if not answer:
        problems.append(Problem(file, line, "no answer in the answer column"))
        return None
    bad = [a for a in answer if a not in labels]
    if bad:
        problems.append(
            Problem(file, line, f"answer {', '.join(bad)} is not among the options A–{labels[-1]}")
        )
        return None
    valid = None
    if row.get("valid_as_of"):
        try:
            valid = dt.date.fromisoformat(row["valid_as_of"])
        except ValueError:
            problems.append(
                Problem(
                    file, line, f"valid_as_of {row['valid_as_of']!r} is not a date (YYYY-MM-DD)"
                )
            )
            return None
    key = row.get("key") or f"Q{number}"
    options = make_options([(t, labels[i] in answer) for i, t in enumerate(texts)])
    return Question(
        key,
        row["stem"],
        options,
        row.get("explanation", ""),
        _split(row.get("topics", "")),
        _split(row.get("notes", "")),
        valid_as_of=valid,
        multi=len(answer) > 1,
        line=line,
    )


def to_csv(bank: Bank) -> str:
    """The bank as CSV with a BOM, so Excel opens the Chinese text correctly."""
    width = max((len(q.options) for q in bank.questions), default=4)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "key",
            "stem",
            *OPTION_COLUMNS[:width],
            "answer",
            "explanation",
            "topics",
            "notes",
            "valid_as_of",
        ]
    )
    for q in bank.questions:
        options = [o.text for o in q.options] + [""] * (width - len(q.options))
        writer.writerow(
            [
                q.key,
                q.stem,
                *options,
                ";".join(q.answer),
                q.explanation,
                ";".join(q.topics),
                ";".join(q.notes),
                q.valid_as_of.isoformat() if q.valid_as_of else "",
            ]
        )
    return "\ufeff" + out.getvalue()
