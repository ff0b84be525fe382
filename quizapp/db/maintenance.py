"""Backups, restores and integrity checks of the SQLite database file.

Backups use SQLite's online backup API: a consistent copy even while another quizapp is
writing. They are plain SQLite files that `quizapp db restore` (or any SQLite tool) can read.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

KEEP_BACKUPS = 10


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of an SQLite engine (None for other engines or in-memory)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def backup_dir(db_file: Path) -> Path:
    """Where automatic backups of a database file go: a `backups` folder beside it."""
    return db_file.parent / "backups"


def backup_file(src: Path, dest: Path) -> Path:
    """Copy a live database consistently with SQLite's backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    with sqlite3.connect(src, timeout=30) as source, sqlite3.connect(tmp) as target:
        source.backup(target)
    tmp.replace(dest)  # a half-written backup never looks like a backup
    return dest


def auto_backup(db_file: Path, reason: str, keep: int | None = None) -> Path | None:
    """A timestamped backup before a risky change; keeps the newest ``keep`` of them."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    keep = keep if keep is not None else int(os.environ.get("QUIZAPP_KEEP_BACKUPS", KEEP_BACKUPS))
    folder = backup_dir(db_file)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backup_file(db_file, folder / f"{db_file.stem}-{stamp}-{reason}.sqlite3")
    backups = sorted(folder.glob(f"{db_file.stem}-*.sqlite3"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)
    return dest


def latest_backup(db_file: Path) -> Path | None:
    """The newest automatic backup of a database file, if any."""
    backups = sorted(backup_dir(db_file).glob(f"{db_file.stem}-*.sqlite3"))
    return backups[-1] if backups else None


def restore_file(backup: Path, db_file: Path) -> None:
    """Replace the database with a backup (the caller backs up the current one first)."""
    with sqlite3.connect(backup) as source, sqlite3.connect(db_file, timeout=30) as target:
        source.backup(target)


@dataclass
class CheckReport:
    """What `quizapp db check` found."""

    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check(engine: Engine, code_head: str, current: str | None) -> CheckReport:
    """Integrity, foreign keys, schema revision and consistency of derived data."""
    report = CheckReport()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            if integrity != ["ok"]:
                report.problems += [f"integrity: {line}" for line in integrity[:20]]
            else:
                report.facts.append("integrity_check: ok")
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                report.problems.append(f"foreign keys: {len(broken)} broken reference(s)")
            else:
                report.facts.append("foreign_key_check: ok")
        if current != code_head:
            report.problems.append(f"schema revision {current}, code expects {code_head}")
        else:
            report.facts.append(f"schema revision: {current}")
        if current is not None:
            orphans = conn.execute(
                text(
                    "SELECT count(*) FROM cards c WHERE NOT EXISTS (SELECT 1 FROM reviews r "
                    "WHERE r.user_id = c.user_id AND r.question_id = c.question_id)"
                )
            ).scalar()
            if orphans:
                report.problems.append(f"{orphans} card(s) without any review in the log")
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("banks", "questions", "users", "reviews", "exam_attempts")
            }
            report.facts.append(", ".join(f"{k} {v}" for k, v in counts.items()))
    return report
