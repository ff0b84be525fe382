"""The bundled banks and notes: the seed's answer key, topics, explanations, note links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import resources
from quizapp.banks.native import read_bank_file
from quizapp.banks.topics import load_topics
from quizapp.domain.model import Bank
from quizapp.notes.index import NoteIndex, slugify

# The key printed in the seed document (../shared/seeds/000_6f4b5a456b9c35e4.txt), Q1..Q20.
SEED_KEY = "ACCCDABBDCCADDCBDCCA"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_6f4b5a456b9c35e4.txt"


def _bundled_banks() -> list[Bank]:
    banks = []
    for path in sorted(resources.banks_dir().glob("*.md")):
        result = read_bank_file(str(path))
        assert result.bank is not None, [str(p) for p in result.problems]
        banks.append(result.bank)
    return banks


def test_mock_bank_holds_the_seed_answer_key() -> None:
    bank = next(b for b in _bundled_banks() if b.id == "ipas-mock-113")
    assert bank.subject == "L11"
    assert [q.key for q in bank.questions] == [f"Q{i}" for i in range(1, 21)]
    assert "".join(q.answer[0] for q in bank.questions) == SEED_KEY
    assert all(len(q.options) == 4 and len(q.answer) == 1 for q in bank.questions)


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside this checkout")
def test_seed_document_key_matches() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = dict(re.findall(r"Q(\d+)[^\n]*?\(答案: ([A-D])\)", text))
    assert "".join(found[str(i)] for i in range(1, 21)) == SEED_KEY


def test_seed_options_are_the_banks_options() -> None:
    """Every option text of Q1–Q20 appears in the seed (modulo spacing and bracket width)."""
    if not SEED.exists():
        pytest.skip("the shared seed is not beside this checkout")

    def norm(s: str) -> str:
        return re.sub(r"[\s()（）/／,，]", "", s)

    seed = norm(SEED.read_text(encoding="utf-8"))
    bank = next(b for b in _bundled_banks() if b.id == "ipas-mock-113")
    for q in bank.questions:
        for o in q.options:
            assert norm(o.text) in seed, (q.key, o.text)


def test_every_question_has_topics_explanation_and_a_live_note_link() -> None:
    topics = {t.id for t in load_topics(resources.banks_dir() / "topics.toml")}
    notes = NoteIndex.load(resources.notes_dir())
    for bank in _bundled_banks():
        for q in bank.questions:
            where = f"{bank.id}/{q.key}"
            assert q.topics and set(q.topics) <= topics, where
            assert len(q.explanation) > 40, where
            assert q.notes, where
            for link in q.notes:
                hit = notes.resolve(link)
                assert hit is not None and hit[1] is not None, f"{where}: dangling {link}"


def test_links_between_notes_resolve() -> None:
    notes = NoteIndex.load(resources.notes_dir())
    assert notes.notes, "no bundled notes found"
    for note in notes.notes.values():
        for target in re.findall(r"\]\(([^)\s]+\.md(?:#[^)\s]*)?)\)", note.text):
            assert notes.resolve(target) is not None, f"{note.name}: dangling {target}"


def test_topic_weights_add_up_per_subject() -> None:
    topics = load_topics(resources.banks_dir() / "topics.toml")
    for subject in ("L11", "L12"):
        assert sum(t.exam_weight for t in topics if t.parent_id == subject) == 100


def test_slugify_is_github_style() -> None:
    assert slugify("ISO 14068-1 碳中和報告") == "iso-14068-1-碳中和報告"
    assert slugify("CBAM的目的") == "cbam的目的"
    assert slugify("碳中和：PAS 2060 與 ISO 14068-1") == "碳中和pas-2060-與-iso-14068-1"
