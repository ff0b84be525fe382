"""Study notes: anchors, link resolution, search, and the answer → note → re-ask loop."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from textual.widgets import Input, OptionList, Static

from quizapp.db.tables import ReviewRow
from quizapp.notes.index import NoteIndex, parse_note, search, slugify
from quizapp.services.context import Database
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.notes import NotesScreen
from quizapp.tui.screens.practice import PracticeScreen
from tests.tui_helpers import right_key, shown, wrong_key


def _bundled() -> NoteIndex:
    from quizapp import resources

    return NoteIndex.load(resources.notes_dir())


_BUNDLED = _bundled()

NOTE = """# 標題

前言文字。

## 碳費

徵收對象與費率。

## 碳費

第二個同名標題。

## PAS 2060：承諾（Commitment）宣告!

```
## 不是標題
```
"""


def test_anchors_chinese_punctuation_and_duplicates() -> None:
    note = parse_note("n.md", NOTE)
    assert [h.anchor for h in note.headings] == [
        "標題",
        "碳費",
        "碳費-1",
        "pas-2060承諾commitment宣告",
    ]
    assert note.headings[1].line == 5
    assert slugify("  A  b ") == "a--b"
    assert slugify("ISO 14064-1:2018 組織型盤查") == "iso-14064-12018-組織型盤查"


def test_resolve_rejects_dangling_and_escaping_links() -> None:
    index = NoteIndex({"n.md": parse_note("n.md", NOTE)})
    assert index.resolve("n.md#碳費-1") is not None
    assert index.resolve("n.md") is not None
    assert index.resolve("n.md#不存在") is None
    assert index.resolve("other.md#碳費") is None
    assert index.resolve("../n.md#碳費") is None
    assert index.resolve("sub/n.md") is None
    assert index.describe("n.md#碳費") == "標題 › 碳費"


def test_search_finds_chinese_substrings_per_section() -> None:
    index = NoteIndex({"n.md": parse_note("n.md", NOTE)})
    hits = search(index, "費率")
    assert [h.link for h in hits] == ["n.md#碳費"]
    assert "徵收對象與費率" in hits[0].snippet
    assert search(index, "  ") == []
    assert [h.link for h in search(index, "前言")] == ["n.md#標題"]


def test_bundled_notes_cover_every_l11_area() -> None:
    from quizapp import resources

    names = set(NoteIndex.load(resources.notes_dir()).notes)
    assert names >= {
        "carbon-neutrality.md",
        "carbon-credits.md",
        "cbam.md",
        "climate-governance.md",
        "disclosure.md",
        "taiwan-policy.md",
        "energy-transition.md",
        "carbon-pricing.md",
    }
    for name in names:
        text = (resources.notes_dir() / name).read_text(encoding="utf-8")
        assert "## 容易混淆" in text, name


def _status(app: QuizApp) -> str:
    return str(app.screen.query_one("#notes-status", Static).render())


async def test_wrong_answer_note_and_back_to_the_same_question(db: Database) -> None:
    app = QuizApp(db, "amy", bank_id="ipas-mock-113", start_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = shown(app)
        wrong = wrong_key(app)
        await pilot.press(wrong, "o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        await pilot.pause()
        note, heading = app.notes.resolve(first.notes[0])  # type: ignore[misc]
        assert heading is not None
        assert screen.current_heading == heading.text
        assert _status(app) == f"{note.title} › {heading.text}"
        # the heading is at the top of the note pane (scrolled unless it is the first lines)
        scroll = screen.query_one("#note-scroll")
        assert scroll.scroll_y > 0
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert shown(app) == first
        assert "按 r" in str(app.screen.query_one("#hint").render())
        await pilot.press("r", "enter")
        await pilot.pause()
        second = shown(app)
        assert second != first  # one other question first, then the re-asked one
        second_key = right_key(app)
        await pilot.press(second_key, "enter")
        await pilot.pause()
        assert shown(app) == first
        await pilot.press(right_key(app))
        await pilot.pause()
        with db.transaction() as s:
            rows = [
                (r.chosen, r.correct) for r in s.scalars(select(ReviewRow).order_by(ReviewRow.id))
            ]
        assert rows == [(wrong.upper(), False), (second_key.upper(), True), (first.answer[0], True)]


async def test_notes_command_opens_note_at_top_and_search_jumps(db: Database) -> None:
    app = QuizApp(db, "amy", start_notes="cbam.md")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NotesScreen)
        assert _status(app) == "歐盟碳邊境調整機制 CBAM"
        assert screen.query_one("#note-scroll").scroll_y == 0
        await pilot.press("slash")
        for ch in "塑膠":
            await pilot.press(ch)
        await pilot.pause()
        assert screen.query_one("#notes-search", Input).value == "塑膠"
        results = screen.query_one("#notes-results", OptionList)
        assert results.option_count > 0
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert not screen.query_one("#notes-search").display
        assert "塑膠" in (Path(__file__).parents[1] / "study_notes" / screen.note.name).read_text()  # type: ignore[union-attr]
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, NotesScreen)


async def test_home_n_opens_notes(db: Database) -> None:
    app = QuizApp(db, "amy")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_link_resolver_never_raises_or_escapes(link: str) -> None:
    from quizapp import resources

    index = _BUNDLED
    hit = index.resolve(link)
    if hit is not None:
        note, heading = hit
        assert note.name in index.notes and "/" not in link.partition("#")[0]
        assert (resources.notes_dir() / note.name).is_file()
        assert heading is None or heading in note.headings


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["../", "/", "..\\\\", "./", "%2e%2e/", ""]),
    st.sampled_from(["cbam.md", "etc/passwd", "cbam.md#涵蓋產品", "..", "carbon-credits.md"]),
)
def test_link_resolver_rejects_paths(prefix: str, target: str) -> None:
    hit = _BUNDLED.resolve(prefix + target)
    if prefix:
        assert hit is None


def test_search_puts_real_sections_before_note_introductions() -> None:
    hits = search(_BUNDLED, "費率")
    assert hits and hits[0].heading is not None and hits[0].heading.level >= 2


async def test_down_arrow_moves_from_search_to_results(db: Database) -> None:
    app = QuizApp(db, "amy", start_notes="cbam.md")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", "碳", "費", "down")
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
