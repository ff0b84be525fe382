"""Helpers shared by the bank formats: bank metadata for formats that carry none, HTML."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.domain.model import OPTION_LABELS, Bank, Option, ParseResult, Problem, Question
from quizapp.domain.text import strip_controls

_SLUG = re.compile(r"[^a-z0-9]+")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6])\s*/?\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BankMeta:
    """Id, title and subject for files whose format has no front matter (GIFT, Aiken, CSV)."""

    id: str
    title: str
    subject: str = ""

    @classmethod
    def for_file(
        cls,
        path: str,
        bank_id: str | None = None,
        title: str | None = None,
        subject: str | None = None,
    ) -> BankMeta:
        """Defaults from the file name: `第三章 CBAM.gift` → id `cbam`, title `第三章 CBAM`."""
        stem = Path(path).stem
        slug = _SLUG.sub("-", stem.lower()).strip("-") or "bank"
        return cls(bank_id or slug, title or stem, subject or "")


def html_to_text(value: str) -> str:
    """Reduce HTML to safe plain text: line breaks kept, tags dropped, entities decoded."""
    text = _BLOCK_TAG.sub("\n", value)
    text = _TAG.sub("", text)
    return html.unescape(text).strip()


def make_options(texts: list[tuple[str, bool]]) -> tuple[Option, ...]:
    """Options labelled A, B, C… in order."""
    return tuple(Option(OPTION_LABELS[i], text, ok) for i, (text, ok) in enumerate(texts))


def key_from_title(title: str, fallback: str) -> str:
    """A question key from a title (letters, digits, '-', '_', '.'), else the fallback."""
    key = re.sub(r"[^A-Za-z0-9_.\-]+", "-", title.strip()).strip("-.")
    return key[:60] if key and key[0].isalnum() else fallback


def prepare(text: str, file: str) -> tuple[str, list[Problem]]:
    """Every parser's first step: drop a BOM and terminal controls (with a warning)."""
    cleaned, had_controls = strip_controls(text.removeprefix("\ufeff"))
    problems = [Problem(file, 1, "control characters removed", "warning")] if had_controls else []
    return cleaned, problems


def conclude(meta: BankMeta, questions: list[Question], problems: list[Problem]) -> ParseResult:
    """Every parser's last step: a bank only when no problem is an error."""
    problems = sorted(problems, key=lambda p: p.line)
    if any(p.level == "error" for p in problems):
        return ParseResult(None, tuple(problems))
    bank = Bank(meta.id, meta.title, meta.subject, questions=tuple(questions))
    return ParseResult(bank, tuple(problems))
