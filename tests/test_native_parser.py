"""The native Markdown bank format: what parses, and the file:line of every problem."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks.export import to_native
from quizapp.banks.native import parse_bank, read_bank_file
from quizapp.domain.model import Bank, Option, Question, Source

GOOD = """---
id: demo
title: 示範題庫
subject: L11
---

## Q1
topics: cbam, carbon-pricing
notes: cbam.md#涵蓋產品
valid_as_of: 2026-11-01
source: CBAM Regulation | https://example.org/cbam | Annex I

哪一項**不是** CBAM 的產品？

- [ ] 氫
- [x] 塑膠
- [ ] 鋼鐵

> 解析：塑膠不在附件一。
> 第二行。
"""


def test_parses_fields_options_and_explanation() -> None:
    result = parse_bank(GOOD, "demo.md")
    assert result.problems == ()
    bank = result.bank
    assert bank is not None
    assert (bank.id, bank.title, bank.subject) == ("demo", "示範題庫", "L11")
    (q,) = bank.questions
    assert q.key == "Q1" and q.line == 7
    assert q.stem == "哪一項**不是** CBAM 的產品？"
    assert [o.text for o in q.options] == ["氫", "塑膠", "鋼鐵"]
    assert q.answer == ("B",)
    assert q.topics == ("cbam", "carbon-pricing")
    assert q.notes == ("cbam.md#涵蓋產品",)
    assert q.valid_as_of == dt.date(2026, 11, 1)
    assert q.sources == (Source("CBAM Regulation", "https://example.org/cbam", "Annex I"),)
    assert q.explanation == "塑膠不在附件一。\n第二行。"


def _problems(text: str) -> list[str]:
    result = parse_bank(text, "bad.md")
    assert result.bank is None
    return [str(p) for p in result.errors]


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_replace("- [x] 塑膠", "- [ ] 塑膠"), "bad.md:15: error: question Q1: no answer"),
        (_replace("- [ ] 鋼鐵", "- [x] 鋼鐵"), "bad.md:17: error: question Q1: 2 options marked"),
        (_replace("- [ ] 氫\n", "").replace("- [ ] 鋼鐵\n", ""), "fewer than two options"),
        (_replace("subject: L11", "subjekt: L11"), "bad.md:4: error: unknown front-matter field"),
        (_replace("valid_as_of: 2026-11-01", "valid_as_of: soon"), "bad.md:10: error: valid_as_of"),
        (_replace("topics: cbam", "topic: cbam"), "bad.md:8: error: unknown question field"),
        (_replace("- [ ] 鋼鐵", "- 鋼鐵"), "bad.md:17: error: every option needs a checkbox"),
        (GOOD + "\n## Q1\n\n題目？\n\n- [x] 是\n- [ ] 否\n", "duplicate question key 'Q1'"),
        (GOOD.replace("---\nid: demo", "id: demo", 1), "bad.md:1: error: missing front matter"),
        (_replace("## Q1", "## Q 1"), "bad.md:7: error: question key"),
        (_replace("哪一項**不是** CBAM 的產品？\n", ""), "question Q1: no stem"),
    ],
)
def test_errors_name_file_line_and_problem(text: str, expected: str) -> None:
    assert any(expected in p for p in _problems(text)), _problems(text)


def test_multi_answer_needs_type_multi() -> None:
    text = _replace("topics: cbam", "type: multi\ntopics: cbam").replace("- [ ] 鋼鐵", "- [x] 鋼鐵")
    result = parse_bank(text)
    assert result.bank is not None
    assert result.bank.questions[0].answer == ("B", "C")


def test_missing_explanation_is_a_warning_not_an_error() -> None:
    result = parse_bank(GOOD.split("> 解析")[0])
    assert result.bank is not None
    assert [p.level for p in result.problems] == ["warning"]
    assert "no explanation" in result.problems[0].message


def test_control_characters_are_removed_with_a_warning() -> None:
    result = parse_bank(GOOD.replace("塑膠不在", "塑膠\x1b[31m不在"))
    assert result.bank is not None
    assert "\x1b" not in result.bank.questions[0].explanation
    assert any("control characters" in p.message for p in result.problems)


def test_crlf_and_bom_are_accepted() -> None:
    result = parse_bank("\ufeff" + GOOD.replace("\n", "\r\n"))
    assert result.bank is not None
    assert result.bank.questions[0].answer == ("B",)


def test_non_utf8_file_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "big5.md"
    path.write_bytes(GOOD.encode("utf-8").replace("哪一項".encode(), "哪一項".encode("cp950")))
    result = read_bank_file(str(path))
    assert result.bank is None
    (problem,) = result.problems
    assert problem.line == 13 and "cp950" in problem.message


def test_cp950_file_imports_with_encoding(tmp_path: Path) -> None:
    path = tmp_path / "big5.md"
    path.write_bytes(GOOD.encode("cp950"))
    result = read_bank_file(str(path), encoding="cp950")
    assert result.bank is not None
    assert result.bank.questions[0].options[1].text == "塑膠"


# ---- property: export → parse is the identity ---------------------------------------------

_safe = st.text(
    alphabet=st.sampled_from(
        list("碳中和排放減量移除抵換查證盤查範疇溫室氣體")
        + list(string.ascii_letters + string.digits)
    ),
    min_size=1,
    max_size=30,
)


@st.composite
def questions(draw: st.DrawFn, key: str) -> Question:
    n = draw(st.integers(min_value=2, max_value=6))
    correct = draw(st.integers(min_value=0, max_value=n - 1))
    options = tuple(Option("ABCDEF"[i], draw(_safe), i == correct) for i in range(n))
    return Question(
        key=key,
        stem=draw(_safe) + "？",
        options=options,
        explanation=draw(st.one_of(st.just(""), _safe)),
        topics=tuple(draw(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=3))),
        notes=tuple(
            draw(st.lists(st.from_regex(r"[a-z]{1,8}\.md#[a-z]{1,5}", fullmatch=True), max_size=2))
        ),
        valid_as_of=draw(st.one_of(st.none(), st.dates())),
        sources=tuple(
            draw(
                st.lists(
                    st.builds(Source, _safe, st.just("https://example.org"), _safe), max_size=2
                )
            )
        ),
    )


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    count = draw(st.integers(min_value=1, max_value=4))
    qs = tuple(draw(questions(f"Q{i + 1}")) for i in range(count))
    return Bank(id="b1", title=draw(_safe), subject="L11", version="2", questions=qs)


@settings(max_examples=150, deadline=None)
@given(banks())
def test_export_then_parse_round_trips(bank: Bank) -> None:
    result = parse_bank(to_native(bank))
    assert result.bank is not None, result.problems
    parsed = result.bank
    assert (parsed.id, parsed.title, parsed.subject, parsed.version) == (
        bank.id,
        bank.title,
        bank.subject,
        bank.version,
    )
    for a, b in zip(bank.questions, parsed.questions, strict=True):
        assert (a.key, a.stem, a.options, a.explanation) == (
            b.key,
            b.stem,
            b.options,
            b.explanation,
        )
        assert (a.topics, a.notes, a.valid_as_of, a.sources) == (
            b.topics,
            b.notes,
            b.valid_as_of,
            b.sources,
        )
