"""Instructors' formats: GIFT, Aiken, CSV, JSON in; every format out; safety of imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.banks.aiken import parse_aiken
from quizapp.banks.csvfmt import parse_csv
from quizapp.banks.formats import ReadOptions, detect, read_any
from quizapp.banks.gift import parse_gift
from quizapp.banks.jsonfmt import parse_json
from quizapp.banks.native import parse_bank
from quizapp.db.tables import CardRow, ReviewRow
from quizapp.domain.model import ParseResult
from quizapp.services.banks import BankService
from quizapp.services.browse import search
from quizapp.services.context import Database
from quizapp.services.study import StudyService
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.practice import PracticeScreen
from tests.conftest import Run
from tests.tui_helpers import text_of

FIX = Path(__file__).parent / "fixtures"


def test_gift_fixture_every_feature() -> None:
    result = read_any(str(FIX / "instructor.gift"))
    assert result.bank is not None
    q = {x.key: x for x in result.bank.questions}
    assert set(q) == {"CBAM1", "CBAM2", "KYOTO-TF", "KYOTO-MULTI", "ESC"}
    assert q["CBAM1"].stem == "哪一項**不是** CBAM 目前列管的產品？"
    assert q["CBAM1"].answer == ("A",) and q["CBAM1"].options[0].feedback == "對：塑膠不在列管範圍"
    assert q["CBAM1"].explanation.startswith("CBAM 目前涵蓋") and q["CBAM1"].topics == ("cbam",)
    assert [o.text for o in q["KYOTO-TF"].options] == ["正確", "錯誤"]
    assert q["KYOTO-TF"].topics == ("climate-governance",)
    assert q["KYOTO-MULTI"].multi and q["KYOTO-MULTI"].answer == ("A", "B", "C")
    assert q["ESC"].stem == "比例 1:1 的說法&寫法"  # escapes and HTML reduced to text
    assert [o.text for o in q["ESC"].options] == ["a=b", "c~d", "e#f {g}"]
    skipped = [(p.line, p.level) for p in result.problems]
    assert skipped == [(32, "warning"), (34, "warning"), (36, "warning")]
    strict = read_any(str(FIX / "instructor.gift"), ReadOptions(strict=True))
    assert strict.bank is None and [p.line for p in strict.errors] == [32, 34, 36]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::a:: 題目 {=是 ~否\n\n::b:: 題 {=1 ~2}", 1, "unclosed '{'"),
        ("::a:: 題 {~1 ~2}", 1, "no answer"),
        ("::a:: 題 {=1 =2 ~3}", 1, "2 options marked '='"),
        ("::a:: 題 {=1}\n\n::b:: 題 {=only ~x}\n\n::b:: 題 {=z ~y}", 5, "duplicate question title"),
        ("x}\n", 1, "'}' without"),
    ],
)
def test_gift_errors_name_the_line(text: str, line: int, message: str) -> None:
    result = parse_gift(text, "bad.gift")
    assert result.bank is None
    assert any(p.line == line and message in p.message for p in result.errors), result.problems


def test_aiken_and_its_errors() -> None:
    result = read_any(str(FIX / "instructor.aiken.txt"), ReadOptions(topic="ghg-fundamentals"))
    assert result.bank is not None
    assert [q.answer for q in result.bank.questions] == [("B",), ("A",)]
    assert result.bank.questions[0].topics == ("ghg-fundamentals",)
    bad = parse_aiken("題？\nA. 1\nB. 2\nANSWER: C\n", "x.txt")
    assert [str(p) for p in bad.errors] == [
        "x.txt:4: error: answer 'C' is not among the options A–B"
    ]
    assert "no 'ANSWER: X'" in str(parse_aiken("題？\nA. 1\nB. 2\n", "x.txt").errors[0])
    assert "out of order" in str(parse_aiken("題？\nA. 1\nC. 2\nANSWER: A\n", "x.txt").errors[0])


def test_csv_with_bom_multiline_and_errors() -> None:
    for name in ("instructor.csv", "instructor-bom.csv"):
        result = read_any(str(FIX / name))
        assert result.bank is not None and result.problems == ()
        assert result.bank.questions[1].stem == "多行題幹\n第二行？"
        assert result.bank.questions[0].notes == ("carbon-pricing.md#碳稅與碳費",)
    bad = parse_csv("key,stem,a,b,answer\nk1,題？,甲,乙,C\n\nk2,題？,甲,,A\n", "x.csv")
    assert [p.line for p in bad.errors] == [2, 4]
    assert "answer C is not among the options A–B" in bad.errors[0].message
    assert "missing column" in str(parse_csv("stem,a\n", "x.csv").errors[0])


def test_json_errors_point_at_the_question() -> None:
    text = json.dumps(
        {
            "id": "j",
            "title": "J",
            "questions": [
                {
                    "key": "Q1",
                    "stem": "s",
                    "options": [{"label": "A", "text": "x"}, {"label": "B", "text": "y"}],
                    "answer": ["C"],
                }
            ],
        },
        indent=2,
    )
    result = parse_json(text, "x.json")
    assert result.bank is None and result.errors[0].line == 6
    assert parse_json("{", "x.json").errors[0].message.startswith("not valid JSON")


def test_detection_by_extension_and_content() -> None:
    assert detect("a.gift", "") == "gift" and detect("a.csv", "") == "csv"
    assert detect("a.txt", "題？\nA. x\nB. y\nANSWER: A\n") == "aiken"
    assert detect("a.txt", "::t:: 題 {=a ~b}") == "gift"
    assert detect("a.txt", '{"id": "x", "questions": []}') == "json"
    assert detect("a.dat", "---\nid: x\n---\n") == "native"


def test_big5_needs_the_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "big5.gift"
    path.write_bytes("::b1:: 哪一項是溫室氣體？ {=甲烷 ~氮氣}\n".encode("cp950"))
    plain = read_any(str(path))
    assert plain.bank is None and "try --encoding cp950" in plain.errors[0].message
    assert plain.errors[0].line == 1
    decoded = read_any(str(path), ReadOptions(encoding="cp950"))
    assert decoded.bank is not None and decoded.bank.questions[0].options[0].text == "甲烷"


def test_controls_are_stripped_and_markup_is_kept_literally() -> None:
    result = parse_gift("::c:: [bold]題[/bold]\x1b[2J？ {=是\x07 ~否}", "c.gift")
    assert result.bank is not None
    q = result.bank.questions[0]
    assert q.stem == "[bold]題[/bold][2J？" and q.options[0].text == "是"
    assert any("control characters" in p.message for p in result.problems)


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["native", "json", "gift", "csv"])
def test_every_format_round_trips(db: Database, tmp_path: Path, fmt: str) -> None:
    service = BankService(db)
    exported = service.export("ipas-mock-113", fmt)
    assert exported is not None and exported[1] == []
    path = (
        tmp_path / f"again.{ {'native': 'md', 'json': 'json', 'gift': 'gift', 'csv': 'csv'}[fmt] }"
    )
    path.write_text(exported[0], encoding="utf-8")
    again = read_any(str(path), ReadOptions(bank_id="ipas-mock-113"))
    assert again.bank is not None, again.problems
    original = read_any("question_banks/ipas-mock-113.md").bank
    assert original is not None
    for a, b in zip(original.questions, again.bank.questions, strict=True):
        assert (a.key, a.stem, a.answer) == (b.key, b.stem, b.answer)
        assert [o.text for o in a.options] == [o.text for o in b.options]
        assert a.explanation == b.explanation
        if fmt != "gift":
            assert (a.topics, a.notes) == (b.topics, b.notes)


def test_aiken_export_says_what_it_drops(db: Database) -> None:
    exported = BankService(db).export("ipas-mock-113", "aiken")
    assert exported is not None
    text, lost = exported
    assert text.count("ANSWER:") == 20 and len(lost) == 20
    assert "no explanation" in lost[0]
    assert [q.answer for q in parse_aiken(text, "x.txt").bank.questions] == [  # type: ignore[union-attr]
        (c,) for c in "ACCCDABBDCCADDCBDCCA"
    ]


# ---------------------------------------------------------------- fuzzing


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_parsers_never_raise_on_arbitrary_text(text: str) -> None:
    for parse in (parse_bank, parse_gift, parse_aiken, parse_csv, parse_json):
        assert isinstance(parse(text, "fuzz"), ParseResult)  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "::t::",
                "{",
                "}",
                "=",
                "~",
                "#",
                "\\",
                "%50%",
                "->",
                "\n",
                "\n\n",
                "題",
                "A. x",
                "ANSWER: A",
                "[html]",
                "$CATEGORY: a/b",
                "//c",
                ",",
                '"',
                "---",
                "- [x] a",
                "## Q1",
            ]
        ),
        max_size=40,
    )
)
def test_parsers_never_raise_on_format_shaped_text(parts: list[str]) -> None:
    text = "".join(parts)
    for parse in (parse_bank, parse_gift, parse_aiken, parse_csv, parse_json):
        assert isinstance(parse(text, "fuzz"), ParseResult)  # type: ignore[operator]


# ---------------------------------------------------------------- import safety


def test_error_in_the_last_question_stores_nothing(empty_db: Database, tmp_path: Path) -> None:
    good = (FIX / "instructor.gift").read_text(encoding="utf-8")
    path = tmp_path / "broken.gift"
    path.write_text(good + "\n::LAST:: 最後一題 {=a =b ~c}\n", encoding="utf-8")
    outcome = BankService(empty_db).import_files([str(path)])
    assert not outcome.ok and outcome.problems[-1].line == 38
    assert BankService(empty_db).list_banks() == []


def test_reimport_keeps_history_and_resets_cards_only_when_the_key_changes(
    empty_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "class.gift"
    text = (FIX / "instructor.gift").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    service = BankService(empty_db)
    assert service.import_files([str(path)]).ok
    study = StudyService(empty_db, "amy", "class")
    for qid in study.queue()[:5]:
        item = study.item(qid)
        study.answer(item, list(item.question.answer))
    reworded = text.replace("歐盟宣稱 CBAM 的主要目的為何？", "CBAM 官方說明的主要目的為何？")
    rekeyed = reworded.replace("=塑膠 #對", "~塑膠 #對").replace("~鋼鐵 #鋼鐵", "=鋼鐵 #鋼鐵")
    path.write_text(rekeyed, encoding="utf-8")
    dry = service.import_files([str(path)], dry_run=True).reports[0]
    assert set(dry.keys["updated"]) == {"CBAM1", "CBAM2"} and dry.keys["reset"] == ("CBAM1",)
    report = service.import_files([str(path)]).reports[0]
    assert report.keys["reset"] == ("CBAM1",)
    with empty_db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(ReviewRow)) == 5
        assert s.scalar(select(func.count()).select_from(CardRow)) == 4


def test_cli_import_validate_export_and_remove(run: Run, tmp_path: Path) -> None:
    gift = str(FIX / "instructor.gift")
    checked = run("bank", "validate", gift)
    assert checked.returncode == 0 and "instructor.gift:32: warning: short-answer" in checked.stderr
    assert run("bank", "validate", "--strict", gift).returncode == 1
    imported = run("bank", "import", gift, "--id", "class", "--subject", "L11")
    assert imported.returncode == 0, imported.stderr
    assert "新增: CBAM1, CBAM2, KYOTO-TF, KYOTO-MULTI, ESC" in imported.stdout
    listed = {b["id"]: b for b in json.loads(run("bank", "list", "--json").stdout)}
    assert listed["class"]["questions"] == 5 and listed["class"]["subject"] == "L11"
    out = tmp_path / "class.csv"
    assert run("bank", "export", "class", "--format", "csv", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffkey,stem,a,b,c,d,answer")
    aiken = run("bank", "export", "class", "--format", "aiken")
    assert aiken.returncode == 0 and "warning: KYOTO-MULTI" in aiken.stderr
    assert run("bank", "remove", "class").returncode == 1  # no terminal to confirm in
    removed = run("bank", "remove", "class", "--yes")
    assert removed.returncode == 0 and "5" in removed.stdout
    assert "class" not in {b["id"] for b in json.loads(run("bank", "list", "--json").stdout)}
    assert run("bank", "import", gift, "--id", "class").returncode == 0
    assert "class" in {b["id"] for b in json.loads(run("bank", "list", "--json").stdout)}


async def test_option_feedback_is_shown_and_survives_json(empty_db: Database) -> None:
    service = BankService(empty_db)
    assert service.import_files([str(FIX / "instructor.gift")]).ok
    exported = service.export("instructor", "json")
    assert exported is not None and '"feedback": "鋼鐵是列管產品"' in exported[0]
    again = parse_json(exported[0], "x.json").bank
    assert again is not None and again.questions[0].options[1].feedback == "鋼鐵是列管產品"
    (found,) = search(empty_db, "amy", "列管的產品")
    app = QuizApp(empty_db, "amy")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(PracticeScreen(None, question_ids=(found.question_id,)))
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        feedback = text_of(app, "#feedback")
        assert "選項 B：鋼鐵是列管產品" in feedback and "選項 A：對：塑膠不在列管範圍" in feedback
