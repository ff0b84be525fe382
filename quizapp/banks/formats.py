"""Reading any supported bank file: format detection, encodings, and dispatch to parsers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from quizapp.banks.aiken import parse_aiken
from quizapp.banks.common import BankMeta
from quizapp.banks.csvfmt import parse_csv
from quizapp.banks.gift import parse_gift
from quizapp.banks.jsonfmt import parse_json
from quizapp.banks.native import parse_bank
from quizapp.domain.model import ParseResult, Problem

FORMATS = ("native", "gift", "aiken", "csv", "json")
_BY_SUFFIX = {
    ".md": "native",
    ".markdown": "native",
    ".gift": "gift",
    ".csv": "csv",
    ".json": "json",
}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read files: format (None: detect), encoding, strictness, and bank metadata for
    formats that carry none (GIFT, Aiken, CSV)."""

    fmt: str | None = None
    encoding: str = "utf-8"
    strict: bool = False
    bank_id: str | None = None
    title: str | None = None
    subject: str | None = None
    topic: str | None = None


def detect(path: str, text: str) -> str:
    """The format of a file, from its extension or else its content."""
    suffix = Path(path).suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("---"):
        return "native"
    if head.startswith("{"):
        try:
            json.loads(text.removeprefix("\ufeff"))
            return "json"
        except ValueError:
            pass
    lines = [ln.strip() for ln in text.splitlines()]
    if any(ln.upper().startswith("ANSWER:") for ln in lines):
        return "aiken"
    if "{" in text and ("~" in text or "=" in text or "{T" in text.upper()):
        return "gift"
    if lines and "stem" in lines[0].lower() and "," in lines[0]:
        return "csv"
    return "native"


def decode(path: str, data: bytes, encoding: str) -> tuple[str | None, Problem | None]:
    """Bytes → text, or a problem naming the first bad line (and suggesting cp950)."""
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = " (a Big5 file? try --encoding cp950)" if encoding.lower().startswith("utf") else ""
        return None, Problem(path, line, f"not valid {encoding} text{hint}")
    except LookupError:
        return None, Problem(path, 0, f"unknown encoding {encoding!r}")


def read_any(path: str, options: ReadOptions | None = None) -> ParseResult:
    """Read and parse one bank file of any supported format."""
    options = options or ReadOptions()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return ParseResult(None, (Problem(path, 0, f"cannot read file: {exc.strerror}"),))
    text, problem = decode(path, data, options.encoding)
    if text is None:
        assert problem is not None
        return ParseResult(None, (problem,))
    fmt = options.fmt or detect(path, text)
    if fmt not in FORMATS:
        return ParseResult(None, (Problem(path, 0, f"unknown format {fmt!r}"),))
    meta = BankMeta.for_file(path, options.bank_id, options.title, options.subject)
    topics = (options.topic,) if options.topic else ()
    if fmt == "native":
        return parse_bank(text, path)
    if fmt == "json":
        return parse_json(text, path)
    if fmt == "gift":
        result = parse_gift(text, path, meta, strict=options.strict)
    elif fmt == "aiken":
        result = parse_aiken(text, path, meta, topics)
    else:
        result = parse_csv(text, path, meta)
    return _with_topic(result, topics)


def _with_topic(result: ParseResult, topics: tuple[str, ...]) -> ParseResult:
    """Give questions without topics the --topic of the command line."""
    if result.bank is None or not topics:
        return result
    from dataclasses import replace

    questions = tuple(q if q.topics else replace(q, topics=topics) for q in result.bank.questions)
    return ParseResult(replace(result.bank, questions=questions), result.problems)
