"""Layering rules of design.md: the core never imports the UI; the CLI starts light."""

from __future__ import annotations

import subprocess
import sys


def _imported_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_core_packages_do_not_import_textual() -> None:
    mods = _imported_after(
        "import quizapp.domain.model, quizapp.domain.grading, quizapp.domain.scheduling\n"
        "import quizapp.banks.native, quizapp.banks.export, quizapp.banks.topics\n"
        "import quizapp.db.tables, quizapp.db.repo, quizapp.db.migrate, quizapp.db.engine\n"
        "import quizapp.services.banks, quizapp.services.study, quizapp.notes.index"
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


def test_domain_imports_neither_textual_nor_sqlalchemy() -> None:
    mods = _imported_after("import quizapp.domain.model, quizapp.domain.grading")
    assert not any(m.split(".")[0] in ("textual", "sqlalchemy") for m in mods)


def test_cli_module_starts_without_textual_or_the_orm() -> None:
    mods = _imported_after("import quizapp.cli")
    assert "textual" not in mods and "sqlalchemy.orm" not in mods
