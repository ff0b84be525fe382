"""The command line as scripts use it: output, exit codes, and an unchanged database on errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run
from tests.test_services import BANK


def test_bank_list_json(run: Run) -> None:
    result = run("bank", "list", "--json")
    assert result.returncode == 0, result.stderr
    banks = {b["id"]: b for b in json.loads(result.stdout)}
    assert banks["ipas-mock-113"]["questions"] == 20 and banks["ipas-mock-113"]["subject"] == "L11"


def test_export_json_prints_the_seed_key(run: Run) -> None:
    result = run("bank", "export", "ipas-mock-113", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["questions"]) == 20
    assert "".join(q["answer"][0] for q in data["questions"]) == "ACCCDABBDCCADDCBDCCA"


def test_bad_bank_fails_with_file_line_and_changes_nothing(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(BANK.replace("- [x] 鋼鐵", "- [ ] 鋼鐵"), encoding="utf-8")
    before = run("bank", "export", "ipas-mock-113").stdout
    for command in (("bank", "validate", str(bad)), ("bank", "import", str(bad))):
        result = run(*command)
        assert result.returncode == 1
        assert f"{bad}:12: error: question Q1: no answer" in result.stderr
        assert "Traceback" not in result.stderr
    listed = json.loads(run("bank", "list", "--json").stdout)
    assert "demo" not in [b["id"] for b in listed]
    assert run("bank", "export", "ipas-mock-113").stdout == before


def test_import_dry_run_then_real(run: Run, tmp_path: Path) -> None:
    good = tmp_path / "demo.md"
    good.write_text(BANK, encoding="utf-8")
    dry = run("bank", "import", "--dry-run", str(good))
    assert dry.returncode == 0 and "新增 2" in dry.stdout and "試跑" in dry.stdout
    assert "demo" not in run("bank", "list").stdout
    real = run("bank", "import", str(good))
    assert real.returncode == 0, real.stderr
    assert "demo" in run("bank", "list").stdout
    exported = run("bank", "export", "demo", "--format", "native").stdout
    assert "- [x] 鋼鐵" in exported


def test_errors_and_usage_exit_codes(run: Run) -> None:
    missing = run("bank", "export", "nope")
    assert missing.returncode == 1 and "找不到題庫：nope" in missing.stderr
    assert run("bank", "export", "ipas-mock-113", "--format", "xml").returncode == 1
    assert run("bank", "frobnicate").returncode == 2
    assert run("--lang", "fr", "bank", "list").returncode == 2


def test_english_output(run: Run) -> None:
    assert "No such bank: nope" in run("--lang", "en", "bank", "export", "nope").stderr


def test_db_upgrade_reports_revision(run: Run) -> None:
    result = run("db", "upgrade")
    from quizapp.db.migrate import head_revision

    assert result.returncode == 0 and head_revision() in result.stdout
