"""The native bank format: one Markdown file per bank (see docs/bank-format.md).

Parsed with markdown-it-py, whose block tokens carry source line maps, so every problem is
reported as ``file:line: message``. The parser is a pure function over text: it never touches
the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from quizapp.banks.common import prepare
from quizapp.domain.model import (
    MAX_OPTIONS,
    OPTION_LABELS,
    Bank,
    Option,
    ParseResult,
    Problem,
    Question,
    Source,
)

BANK_FIELDS = ("id", "title", "subject", "version", "description", "valid_as_of")
REQUIRED_BANK_FIELDS = ("id", "title")
QUESTION_FIELDS = ("topics", "notes", "source", "valid_as_of", "type")
EXPLANATION_PREFIXES = ("解析：", "解析:", "Explanation:")

_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_BANK_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_META_LINE_RE = re.compile(r"^([a-z_]+)\s*:\s?(.*)$")
_CHECKBOX_RE = re.compile(r"^\[([ xX])\]\s?(.*)$", re.DOTALL)

_md = MarkdownIt("commonmark")
MAX_NESTING = 16  # below markdown-it's own limit, which drops deeper content silently


@dataclass
class _Ctx:
    """Mutable state of one parse: the file name, its lines and the problems found."""

    file: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, "error"))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message, "warning"))

    def source(self, token: Token) -> list[str]:
        """The source lines a block token spans."""
        assert token.map is not None
        start, end = token.map
        return self.lines[start:end]


def parse_bank(text: str, file: str = "<bank>") -> ParseResult:
    """Parse a native-format bank. Returns the bank, or None plus problems when any error."""
    text, cleaning = prepare(text, file)
    ctx = _Ctx(file=file, lines=text.split("\n"), problems=cleaning)
    meta, body_start = _front_matter(ctx)
    # Blank the front matter instead of cutting it so token line maps stay file line numbers.
    body = "\n" * body_start + "\n".join(ctx.lines[body_start:])
    tokens = _md.parse(body)
    too_deep = next((t for t in tokens if t.level >= MAX_NESTING), None)
    if too_deep is not None:
        # markdown-it silently drops what lies beyond its nesting limit: refuse instead.
        line = next((t.map[0] + 1 for t in tokens if t.map and t.level >= MAX_NESTING - 2), 1)
        ctx.error(line, f"Markdown nested more than {MAX_NESTING} levels deep")
        return ParseResult(None, tuple(ctx.problems))
    questions = _questions(ctx, tokens)
    seen: dict[str, int] = {}
    for q in questions:
        if q.key in seen:
            ctx.error(
                q.line, f"duplicate question key {q.key!r} (first used on line {seen[q.key]})"
            )
        else:
            seen[q.key] = q.line
    if not questions and not ctx.problems:
        ctx.error(body_start + 1, "no questions: each question starts with a '## KEY' heading")
    problems = tuple(sorted(ctx.problems, key=lambda p: p.line))
    if any(p.level == "error" for p in problems):
        return ParseResult(None, problems)
    bank_date = None
    if meta.get("valid_as_of"):
        try:
            bank_date = dt.date.fromisoformat(meta["valid_as_of"])
        except ValueError:
            ctx.error(1, f"valid_as_of: {meta['valid_as_of']!r} is not a date (use YYYY-MM-DD)")
            return ParseResult(None, tuple(sorted(ctx.problems, key=lambda p: p.line)))
    bank = Bank(
        id=meta["id"],
        title=meta["title"],
        subject=meta.get("subject", ""),
        version=meta.get("version", "1"),
        description=meta.get("description", ""),
        questions=tuple(questions),
        valid_as_of=bank_date,
    )
    return ParseResult(bank, problems)


def _front_matter(ctx: _Ctx) -> tuple[dict[str, str], int]:
    """Read the ``---`` front matter; return its fields and the index of the first body line."""
    meta: dict[str, str] = {}
    if not ctx.lines or ctx.lines[0].strip() != "---":
        ctx.error(1, "missing front matter: the file must start with '---', id: and title:")
        return meta, 0
    end = next((i for i in range(1, len(ctx.lines)) if ctx.lines[i].strip() == "---"), None)
    if end is None:
        ctx.error(1, "front matter is not closed: add a line '---' after the bank fields")
        return meta, len(ctx.lines)
    for i in range(1, end):
        raw = ctx.lines[i]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        m = _META_LINE_RE.match(raw.strip())
        if not m:
            ctx.error(i + 1, f"front matter line is not 'field: value': {raw.strip()!r}")
            continue
        name, value = m.group(1), m.group(2).strip()
        if name not in BANK_FIELDS:
            ctx.error(
                i + 1, f"unknown front-matter field {name!r} (known: {', '.join(BANK_FIELDS)})"
            )
        elif name in meta:
            ctx.error(i + 1, f"front-matter field {name!r} given twice")
        else:
            meta[name] = _unquote(value)
    for name in REQUIRED_BANK_FIELDS:
        if not meta.get(name):
            ctx.error(1, f"front matter has no {name}:")
    if meta.get("id") and not _BANK_ID_RE.match(meta["id"]):
        ctx.error(1, f"bank id {meta['id']!r} must be lowercase letters, digits, '-', '_' or '.'")
    return meta, end + 1


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _questions(ctx: _Ctx, tokens: list[Token]) -> list[Question]:
    """Split top-level blocks into '## KEY' sections and build one question from each."""
    sections: list[tuple[Token, str, list[Token]]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open" and tok.level == 0:
            title = tokens[i + 1].content.strip()
            if tok.tag == "h2":
                sections.append((tok, title, []))
            elif sections:
                ctx.error(
                    _line(tok), f"only '## KEY' headings may start a question, not {tok.markup}"
                )
            i += 3
            continue
        if sections and tok.level == 0 and tok.nesting >= 0:
            sections[-1][2].append(tok)
        i += 1
    out: list[Question] = []
    for heading, key, blocks in sections:
        q = _question(ctx, heading, key, blocks, tokens)
        if q is not None:
            out.append(q)
    return out


def _line(tok: Token) -> int:
    return (tok.map[0] + 1) if tok.map else 0


def _question(
    ctx: _Ctx, heading: Token, key: str, blocks: list[Token], tokens: list[Token]
) -> Question | None:
    line = _line(heading)
    errors_before = sum(p.level == "error" for p in ctx.problems)
    if not _KEY_RE.match(key):
        ctx.error(line, f"question key {key!r} must be letters, digits, '-', '_' or '.' (e.g. Q1)")
    meta: dict[str, list[tuple[int, str]]] = {}
    stem_parts: list[str] = []
    options: list[tuple[int, bool, str]] = []
    explanation: list[str] = []
    for n, tok in enumerate(blocks):
        if tok.type == "paragraph_open" and n == 0 and _META_LINE_RE.match(ctx.source(tok)[0]):
            _meta_block(ctx, tok, meta)
        elif tok.type == "bullet_list_open" and _is_option_list(ctx, tok, tokens):
            if options:
                ctx.error(_line(tok), "a second option list: a question has one list of options")
            else:
                options = _options(ctx, tok, tokens)
        elif tok.type == "blockquote_open":
            explanation.append(_blockquote_text(ctx.source(tok)))
        elif options or explanation:
            ctx.error(_line(tok), "text after the options must be in a '> 解析：' block")
        elif tok.map is not None:
            stem_parts.append("\n".join(ctx.source(tok)).strip())
    stem = "\n\n".join(p for p in stem_parts if p)
    if not stem:
        ctx.error(line, f"question {key}: no stem (the question text goes after the heading)")
    multi = _single(meta, "type", "single") == "multi"
    if _single(meta, "type", "single") not in ("single", "multi"):
        ctx.error(meta["type"][0][0], "type: must be 'single' or 'multi'")
    if not options:
        ctx.error(line, f"question {key}: no options (write them as '- [ ] text' and '- [x] text')")
    elif len(options) < 2:
        ctx.error(options[0][0], f"question {key}: fewer than two options")
    elif len(options) > MAX_OPTIONS:
        ctx.error(options[MAX_OPTIONS][0], f"question {key}: more than {MAX_OPTIONS} options")
    correct = [o for o in options if o[1]]
    if options and not correct:
        ctx.error(options[0][0], f"question {key}: no answer: mark the correct option with [x]")
    if len(correct) > 1 and not multi:
        ctx.error(
            correct[1][0],
            f"question {key}: {len(correct)} options marked [x] in a single-answer question "
            "(add 'type: multi' if several are correct)",
        )
    explanation_text = _strip_prefix("\n\n".join(explanation).strip())
    if not explanation_text:
        ctx.warn(line, f"question {key}: no explanation ('> 解析：…' after the options)")
    topics = tuple(t for _, v in meta.get("topics", []) for t in _split(v))
    if not topics:
        ctx.warn(line, f"question {key}: no topics: line")
    notes = tuple(t for _, v in meta.get("notes", []) for t in _split(v))
    sources = tuple(_source(v) for _, v in meta.get("source", []))
    valid_as_of = _date(ctx, meta)
    if sum(p.level == "error" for p in ctx.problems) > errors_before:
        return None
    return Question(
        key=key,
        stem=stem,
        options=tuple(
            Option(OPTION_LABELS[i], text, ok) for i, (_, ok, text) in enumerate(options)
        ),
        explanation=explanation_text,
        topics=topics,
        notes=notes,
        sources=sources,
        valid_as_of=valid_as_of,
        multi=multi,
        line=line,
    )


def _meta_block(ctx: _Ctx, tok: Token, meta: dict[str, list[tuple[int, str]]]) -> None:
    assert tok.map is not None
    for offset, raw in enumerate(ctx.source(tok)):
        lineno = tok.map[0] + offset + 1
        m = _META_LINE_RE.match(raw.strip())
        if not m:
            ctx.error(lineno, f"expected 'field: value' in the question's field block: {raw!r}")
            continue
        name, value = m.group(1), m.group(2).strip()
        if name not in QUESTION_FIELDS:
            ctx.error(
                lineno, f"unknown question field {name!r} (known: {', '.join(QUESTION_FIELDS)})"
            )
            continue
        if name in ("valid_as_of", "type") and name in meta:
            ctx.error(lineno, f"field {name!r} given twice")
            continue
        meta.setdefault(name, []).append((lineno, value))


def _single(meta: dict[str, list[tuple[int, str]]], name: str, default: str) -> str:
    values = meta.get(name)
    return values[0][1] if values else default


def _date(ctx: _Ctx, meta: dict[str, list[tuple[int, str]]]) -> dt.date | None:
    if "valid_as_of" not in meta:
        return None
    lineno, value = meta["valid_as_of"][0]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        ctx.error(lineno, f"valid_as_of: {value!r} is not a date (use YYYY-MM-DD)")
        return None


def _split(value: str) -> list[str]:
    return [part for part in re.split(r"[,\s]+", value) if part]


def _source(value: str) -> Source:
    parts = [p.strip() for p in value.split("|")]
    parts += [""] * (3 - len(parts))
    return Source(title=parts[0], url=parts[1], quote="|".join(parts[2:]).strip(" |"))


def _children(tokens: list[Token], open_tok: Token) -> list[Token]:
    """The tokens between a block's open token and its matching close token."""
    start = next(i for i, t in enumerate(tokens) if t is open_tok)
    depth, out = 0, []
    for tok in tokens[start:]:
        depth += tok.nesting
        out.append(tok)
        if depth == 0:
            break
    return out


def _items(ctx: _Ctx, list_tok: Token, tokens: list[Token]) -> list[tuple[int, str]]:
    """(line, source text) of each item of a bullet list, list marker removed."""
    items = []
    for tok in _children(tokens, list_tok):
        if tok.type == "list_item_open" and tok.level == list_tok.level + 1:
            src = ctx.source(tok)
            first = src[0].lstrip()[len(tok.markup) :].lstrip()
            rest = [s.strip() for s in src[1:]]
            text = "\n".join([first, *rest]).strip()
            items.append((_line(tok), text))
    return items


def _is_option_list(ctx: _Ctx, list_tok: Token, tokens: list[Token]) -> bool:
    items = _items(ctx, list_tok, tokens)
    boxed = [bool(_CHECKBOX_RE.match(t)) for _, t in items]
    if any(boxed) and not all(boxed):
        bad = next(n for (n, _), b in zip(items, boxed, strict=True) if not b)
        ctx.error(bad, "every option needs a checkbox: '- [ ] text' or '- [x] text'")
    return any(boxed)


def _options(ctx: _Ctx, list_tok: Token, tokens: list[Token]) -> list[tuple[int, bool, str]]:
    out = []
    for lineno, text in _items(ctx, list_tok, tokens):
        m = _CHECKBOX_RE.match(text)
        if not m:
            continue
        body = m.group(2).strip()
        if not body:
            ctx.error(lineno, "empty option")
        out.append((lineno, m.group(1) in "xX", body))
    return out


def _blockquote_text(lines: list[str]) -> str:
    out = []
    for raw in lines:
        s = raw.lstrip()
        if s.startswith(">"):
            s = s[1:]
            s = s.removeprefix(" ")
        out.append(s.rstrip())
    return "\n".join(out).strip()


def _strip_prefix(text: str) -> str:
    for prefix in EXPLANATION_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


def read_bank_file(path: str, encoding: str = "utf-8") -> ParseResult:
    """Read and parse a native bank file; an undecodable file is reported with its line."""
    from quizapp.banks.formats import ReadOptions, read_any

    return read_any(path, ReadOptions(fmt="native", encoding=encoding))
