"""Content checks over every bundled bank and note (issue [banks])."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from itertools import combinations

import pytest

from quizapp import resources
from quizapp.banks.native import read_bank_file
from quizapp.banks.topics import load_topics
from quizapp.domain.model import Bank

OFFICIAL_MOCK = "ipas-mock-113"  # its key is the official one: exempt from the spread rules


def _banks() -> list[Bank]:
    out = []
    for path in sorted(resources.banks_dir().glob("*.md")):
        bank = read_bank_file(str(path)).bank
        assert bank is not None, path
        out.append(bank)
    return out


BANKS = _banks()
SYLLABUS = [b for b in BANKS if b.id != OFFICIAL_MOCK]


def _text(q) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([q.stem, *(o.text for o in q.options), q.explanation])


def _norm(stem: str) -> str:
    return re.sub(r"[\s*，。、？?！!：:（）()「」]", "", stem)


def test_each_subject_has_150_questions_and_each_area_6() -> None:
    per_subject = Counter(b.subject for b in BANKS for _ in b.questions)
    assert per_subject["L11"] >= 150 and per_subject["L12"] >= 150
    per_topic = Counter(t for b in BANKS for q in b.questions for t in set(q.topics))
    for topic in load_topics(resources.banks_dir() / "topics.toml"):
        if topic.parent_id is not None:
            assert per_topic[topic.id] >= 6, topic.id


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b.id)
def test_bank_declares_subject_and_date(bank: Bank) -> None:
    assert bank.subject in ("L11", "L12") and bank.valid_as_of is not None


@pytest.mark.parametrize("bank", BANKS, ids=lambda b: b.id)
def test_four_options_one_key(bank: Bank) -> None:
    for q in bank.questions:
        assert len(q.options) == 4 and len(q.answer) == 1, f"{bank.id}/{q.key}"


@pytest.mark.parametrize("bank", SYLLABUS, ids=lambda b: b.id)
def test_keys_are_spread_and_not_the_longest_option(bank: Bank) -> None:
    n = len(bank.questions)
    for letter, count in Counter(q.answer[0] for q in bank.questions).items():
        assert 0.15 <= count / n <= 0.35, (letter, count, n)
    longest = 0
    for q in bank.questions:
        key = next(o for o in q.options if o.is_correct)
        if all(len(key.text) > len(o.text) for o in q.options if o is not key):
            longest += 1
    assert longest / n <= 0.35


@pytest.mark.parametrize("bank", SYLLABUS, ids=lambda b: b.id)
def test_explanations_name_options_by_content(bank: Bank) -> None:
    for q in bank.questions:
        assert not re.search(r"[（(][A-D][)）]|選項\s*[A-D]", q.explanation), f"{bank.id}/{q.key}"


def test_time_sensitive_questions_carry_a_date() -> None:
    trigger = re.compile(r"碳費|費率|CBAM|憑證|AR5|AR6|排碳係數|收費辦法|管理辦法")
    for bank in SYLLABUS:
        for q in bank.questions:
            if trigger.search(q.stem):
                assert q.valid_as_of is not None or bank.valid_as_of is not None, q.key


def test_no_duplicate_or_near_duplicate_stems() -> None:
    stems = [(f"{b.id}/{q.key}", _norm(q.stem)) for b in BANKS for q in b.questions]
    seen: dict[str, str] = {}
    for where, stem in stems:
        assert stem not in seen, f"{where} repeats {seen[stem]}"
        seen[stem] = where
    for (wa, a), (wb, b) in combinations(stems, 2):
        matcher = SequenceMatcher(None, a, b)
        if matcher.real_quick_ratio() > 0.9 and matcher.quick_ratio() > 0.9:
            assert matcher.ratio() <= 0.9, f"{wa} and {wb} are near-duplicates"


# ---------------------------------------------------------------- canonical facts
# One value per fact, asserted in its note and wherever a stem or an explanation states it
# (options are left out: a distractor may be a wrong value on purpose). Change a fact here and
# the test lists every place that still says the old value.
CANONICAL = [
    ("taiwan-policy.md", r"一般費率[^。；\n]{0,15}?(\d{2,4}) ?元", "300"),
    ("taiwan-policy.md", r"(?:達|門檻)[^。；\n]{0,6}?(\d+(?:\.\d+)?) ?萬公噸", "2.5"),
    ("climate-governance.md", r"京都議定書[^。；\n]{0,12}?(\d{4}) ?年[^。；\n]{0,4}生效", "2005"),
    (
        "climate-governance.md",
        r"第一承諾期[：: ]{0,2}(\d{4}) ?[–-]|(?<!\d)(\d{4})(?= ?[–-] ?2012)",
        "2008",
    ),
    ("cbam.md", r"過渡期[^。；\n]{0,10}?(\d{4}) ?年 ?10 ?月", "2023"),
    ("ghg-fundamentals.md", r"N2O[^。\n]{0,40}?AR6[^\d\n]{0,3}(\d{3})\b", "273"),
    ("disclosure.md", r"SBTi[^。；\n]{0,40}?(\d(?:\.\d)?) ?°C", "1.5"),
]


def _values(pattern: str, text: str) -> list[str]:
    """Every captured value (patterns with alternatives have several groups)."""
    out = []
    for m in re.finditer(pattern, text):
        out += [g for g in m.groups() if g]
    return out


@pytest.mark.parametrize(("note", "pattern", "value"), CANONICAL)
def test_canonical_facts_agree_everywhere(note: str, pattern: str, value: str) -> None:
    text = (resources.notes_dir() / note).read_text(encoding="utf-8")
    in_note = _values(pattern, text)
    assert value in in_note, f"{note} no longer states {value} ({pattern})"
    assert set(in_note) == {value}, f"{note} states {set(in_note)}"
    for bank in BANKS:
        for q in bank.questions:
            found = set(_values(pattern, q.stem + "\n" + q.explanation))
            assert found <= {value}, f"{bank.id}/{q.key} states {found}, canonical is {value}"
