"""Domain objects → bank files: the native Markdown format and the JSON schema of the CLI."""

from __future__ import annotations

import json
from typing import Any

from quizapp.domain.model import Bank, Question


def to_native(bank: Bank) -> str:
    """Write a bank in the native Markdown format; ``parse_bank`` reads it back unchanged."""
    out = ["---", f"id: {bank.id}", f"title: {bank.title}"]
    if bank.subject:
        out.append(f"subject: {bank.subject}")
    out.append(f"version: {bank.version}")
    if bank.description:
        out.append(f"description: {bank.description}")
    if bank.valid_as_of:
        out.append(f"valid_as_of: {bank.valid_as_of.isoformat()}")
    out += ["---", ""]
    for q in bank.questions:
        out += _native_question(q)
    return "\n".join(out).rstrip("\n") + "\n"


def _native_question(q: Question) -> list[str]:
    out = [f"## {q.key}"]
    fields = []
    if q.topics:
        fields.append(f"topics: {', '.join(q.topics)}")
    if q.notes:
        fields.append(f"notes: {', '.join(q.notes)}")
    if q.valid_as_of:
        fields.append(f"valid_as_of: {q.valid_as_of.isoformat()}")
    if q.multi:
        fields.append("type: multi")
    for s in q.sources:
        parts = [s.title, s.url, s.quote]
        while parts and not parts[-1]:
            parts.pop()
        fields.append("source: " + " | ".join(parts))
    if fields:
        out += ["", *fields]
    out += ["", q.stem, ""]
    for o in q.options:
        lines = o.text.split("\n")
        out.append(f"- [{'x' if o.is_correct else ' '}] {lines[0]}")
        out += [f"  {line}" for line in lines[1:]]
    if q.explanation:
        out.append("")
        for i, line in enumerate(q.explanation.split("\n")):
            text = f"解析：{line}" if i == 0 else line
            out.append(f"> {text}" if text else ">")
    out.append("")
    return out


def to_json_dict(bank: Bank) -> dict[str, Any]:
    """The `bank export --format json` schema of design.md §3."""
    return {
        "id": bank.id,
        "title": bank.title,
        "subject": bank.subject,
        "version": bank.version,
        "questions": [
            {
                "key": q.key,
                "stem": q.stem,
                "options": [
                    {
                        "label": o.label,
                        "text": o.text,
                        **({"feedback": o.feedback} if o.feedback else {}),
                    }
                    for o in q.options
                ],
                "answer": list(q.answer),
                "topics": list(q.topics),
                "explanation": q.explanation,
                "notes": list(q.notes),
                "valid_as_of": q.valid_as_of.isoformat() if q.valid_as_of else None,
                "sources": [{"title": s.title, "url": s.url, "quote": s.quote} for s in q.sources],
            }
            for q in bank.questions
        ],
    }


def to_json(bank: Bank) -> str:
    """The JSON export as text (UTF-8, CJK unescaped, stable indentation)."""
    return json.dumps(to_json_dict(bank), ensure_ascii=False, indent=2) + "\n"


_GIFT_SPECIAL = str.maketrans({c: "\\" + c for c in "\\:=~#{}"})


def _gift_text(text: str) -> str:
    return text.translate(_GIFT_SPECIAL).replace("\n", "\\n")


def to_gift(bank: Bank) -> str:
    """The bank in Moodle GIFT: one `$CATEGORY:` per first topic, feedback as `####`."""
    out = [f"// {bank.title} ({bank.id})", ""]
    category = None
    for q in bank.questions:
        topic = q.topics[0] if q.topics else ""
        if topic != category:
            out += [f"$CATEGORY: {bank.id}/{topic}" if topic else f"$CATEGORY: {bank.id}", ""]
            category = topic
        out.append(f"::{q.key}::[markdown]{_gift_text(q.stem)} {{")
        share = 100 / len(q.answer) if q.answer else 100
        for o in q.options:
            if q.multi:
                weight = f"%{share:g}%" if o.is_correct else "%-100%"
                line = f"  ~{weight}{_gift_text(o.text)}"
            else:
                line = f"  {'=' if o.is_correct else '~'}{_gift_text(o.text)}"
            if o.feedback:
                line += f" #{_gift_text(o.feedback)}"
            out.append(line)
        if q.explanation:
            out.append(f"  ####{_gift_text(q.explanation)}")
        out += ["}", ""]
    return "\n".join(out)


def to_aiken(bank: Bank) -> tuple[str, list[str]]:
    """The bank in Aiken, and what Aiken cannot hold (explanations, multi-answer questions)."""
    out: list[str] = []
    lost: list[str] = []
    for q in bank.questions:
        if q.multi:
            lost.append(f"{q.key}: multi-answer questions cannot be written in Aiken: left out")
            continue
        out.append(q.stem.replace("\n", " "))
        out += [f"{o.label}. {o.text.replace(chr(10), ' ')}" for o in q.options]
        out += [f"ANSWER: {q.answer[0]}", ""]
        if q.explanation or q.topics or q.notes:
            lost.append(f"{q.key}: Aiken has no explanation, topics or note links: dropped")
    return "\n".join(out), lost
