"""Bank management for the CLI and the UI: list, validate, import (all-or-nothing), export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizapp import resources
from quizapp.banks.csvfmt import to_csv
from quizapp.banks.export import to_aiken, to_gift, to_json, to_native
from quizapp.banks.formats import ReadOptions, read_any
from quizapp.db import repo
from quizapp.domain.model import Bank, BankSummary, ParseResult, Problem
from quizapp.notes.index import NoteIndex
from quizapp.services.context import Database

EXPORT_FORMATS = ("native", "json", "gift", "aiken", "csv")
# Far above any real exam question; a bank beyond them is broken or hostile.
MAX_STEM = 10_000
MAX_OPTION = 2_000
MAX_EXPLANATION = 20_000


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The result of importing several files: problems, and reports when it went through."""

    problems: tuple[Problem, ...]
    reports: tuple[repo.ImportReport, ...] = ()
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when no file had an error (so the import was, or would be, applied)."""
        return not any(p.level == "error" for p in self.problems)


class _DryRun(Exception):
    """Raised inside a dry-run import so its transaction rolls back."""


class BankService:
    """Bank operations; each public method is one transaction."""

    def __init__(self, db: Database, notes: NoteIndex | None = None) -> None:
        self.db = db
        self._notes = notes

    @property
    def notes(self) -> NoteIndex:
        """The bundled study-note index (loaded on first use)."""
        if self._notes is None:
            self._notes = NoteIndex.load(resources.notes_dir())
        return self._notes

    def list_banks(self, user: str | None = None) -> list[BankSummary]:
        """Every stored bank with question counts (and the user's progress when given)."""
        with self.db.transaction() as s:
            uid = repo.get_or_create_user(s, user, self.db.clock()) if user else None
            return repo.list_banks(s, uid)

    def validate(
        self, paths: Sequence[str], options: ReadOptions | None = None
    ) -> list[ParseResult]:
        """Parse each file and check topics, note links and duplicate stems."""
        with self.db.transaction() as s:
            known_topics = {t.id for t in repo.list_topics(s)}
        results = []
        stems: dict[str, str] = {}
        for path in paths:
            result = read_any(path, options)
            if result.bank is not None:
                extra = self._cross_check(path, result.bank, known_topics, stems)
                result = ParseResult(result.bank, result.problems + tuple(extra))
            results.append(result)
        return results

    def _cross_check(
        self, path: str, bank: Bank, topics: set[str], stems: dict[str, str]
    ) -> list[Problem]:
        out = []
        for q in bank.questions:
            for what, value, limit in (
                ("stem", q.stem, MAX_STEM),
                ("explanation", q.explanation, MAX_EXPLANATION),
                *(("option " + o.label, o.text, MAX_OPTION) for o in q.options),
            ):
                if len(value) > limit:
                    out.append(
                        Problem(
                            path,
                            q.line,
                            f"{q.key}: {what} is {len(value):,} "
                            f"characters, more than the {limit:,} allowed",
                        )
                    )
            normal = "".join(q.stem.split()).replace("*", "")
            if normal in stems:
                out.append(
                    Problem(path, q.line, f"{q.key}: same stem as {stems[normal]}", "warning")
                )
            else:
                stems[normal] = f"{Path(path).name}:{q.line}"
            for t in q.topics:
                if topics and t not in topics:
                    out.append(Problem(path, q.line, f"{q.key}: unknown topic {t!r}", "warning"))
            for link in q.notes:
                if self.notes.resolve(link) is None:
                    out.append(
                        Problem(path, q.line, f"{q.key}: dangling note link {link!r}", "warning")
                    )
        return out

    def import_files(
        self,
        paths: Sequence[str],
        *,
        options: ReadOptions | None = None,
        encoding: str = "utf-8",
        dry_run: bool = False,
    ) -> ImportOutcome:
        """Import every file in one transaction; any error anywhere and nothing is written."""
        options = options or ReadOptions(encoding=encoding)
        results = self.validate(paths, options)
        problems = tuple(p for r in results for p in r.problems)
        ids: dict[str, str] = {}
        for path, r in zip(paths, results, strict=True):
            if r.bank is None:
                continue
            if r.bank.id in ids:
                problems += (
                    Problem(path, 1, f"bank id {r.bank.id!r} is also used by {ids[r.bank.id]}"),
                )
            ids[r.bank.id] = path
        outcome = ImportOutcome(problems, dry_run=dry_run)
        if not outcome.ok:
            return outcome
        reports: tuple[repo.ImportReport, ...] = ()
        if not dry_run:
            self.db.backup_before("import")
        try:
            with self.db.transaction() as s:
                reports = tuple(
                    repo.import_bank(s, r.bank, self.db.clock())
                    for r in results
                    if r.bank is not None
                )
                if dry_run:  # compute the real report, then roll everything back
                    raise _DryRun
        except _DryRun:
            pass
        return ImportOutcome(problems, reports, dry_run)

    def export(self, bank_id: str, fmt: str = "json") -> tuple[str, list[str]] | None:
        """A stored bank as text in ``fmt``, and what that format could not hold.

        None if the bank is unknown.
        """
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})")
        with self.db.transaction() as s:
            bank = repo.load_bank(s, bank_id)
        if bank is None or not bank.questions:
            return None
        if fmt == "aiken":
            return to_aiken(bank)
        writer = {"json": to_json, "native": to_native, "gift": to_gift, "csv": to_csv}[fmt]
        return writer(bank), []

    def remove(self, bank_id: str) -> int | None:
        """Retire every question of a bank (history stays); None if there is no such bank."""
        with self.db.transaction() as s:
            if not repo.bank_exists(s, bank_id):
                return None
        self.db.backup_before("remove")
        with self.db.transaction() as s:
            return repo.retire_bank(s, bank_id)
