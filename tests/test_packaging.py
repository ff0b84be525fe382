"""The wheel carries the bundled banks, notes and migrations, and works from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# Not storage behaviour: once, on the SQLite run, is enough.
pytestmark = pytest.mark.sqlite_only


ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_content_and_runs_elsewhere(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("quizapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "quizapp/_bundled/question_banks/ipas-mock-113.md",
        "quizapp/_bundled/question_banks/topics.toml",
        "quizapp/_bundled/study_notes/carbon-neutrality.md",
        "quizapp/db/migrations/env.py",
        "quizapp/db/migrations/versions/0001_initial_schema.py",
        "quizapp/tui/app.tcss",
    ):
        assert required in names, required
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "QUIZAPP_DB": str(elsewhere / "db.sqlite3")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import quizapp, sys; sys.argv=['quizapp','bank','list','--json'];"
            "print(quizapp.__file__, file=sys.stderr); from quizapp.cli import main; main()",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stderr.strip().startswith(str(site))  # the installed copy, not the checkout
    banks = {b["id"]: b["questions"] for b in json.loads(out.stdout)}
    assert banks["ipas-mock-113"] == 20
