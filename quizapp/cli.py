"""Command-line interface (Typer): the TUI launcher and the bank / db subcommands.

Exit codes: 0 ok; 1 bad input or a database problem (message on stderr); 2 usage.
Heavy modules (textual, the ORM) are imported inside the commands that need them, so
``quizapp --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from quizapp import __version__
from quizapp.cli_classroom import classroom_app
from quizapp.config import Settings
from quizapp.i18n import set_lang, t

if TYPE_CHECKING:
    from quizapp.banks.formats import ReadOptions
    from quizapp.domain.model import ParseResult
    from quizapp.services.context import Database
    from quizapp.services.exams import ExamService
    from quizapp.services.settings import UserSettings

app = typer.Typer(
    name="quizapp",
    help="iPAS 淨零碳規劃管理師 題庫練習 / exam prep. Run without a command for the TUI.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bank_app = typer.Typer(help="Import, validate, list and export question banks.")
db_app = typer.Typer(help="Database maintenance.")
app.add_typer(bank_app, name="bank")
app.add_typer(db_app, name="db")
app.add_typer(classroom_app, name="classroom")


class _State:
    settings: Settings


state = _State()


def fail(message: str) -> NoReturn:
    """Print to stderr and exit 1 (bad input or an unusable database)."""
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _open() -> Database:
    from quizapp.services.context import DatabaseError, open_database

    try:
        database = open_database(state.settings.db_url)
    except DatabaseError as exc:
        fail(f"quizapp: {exc}")
    if database.classroom_user and database.classroom_user != state.settings.user:
        # A classroom login acts as itself: PostgreSQL's row-level security allows no other.
        state.settings = replace(state.settings, user=database.classroom_user)
    return database


def _version(value: bool) -> None:
    if value:
        typer.echo(f"quizapp {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option("--db", help="SQLAlchemy URL or SQLite file (env QUIZAPP_DB).")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Whose progress (env QUIZAPP_USER).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh-TW or en (env QUIZAPP_LANG).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """Resolve the global options; with no command, start the TUI on the home screen."""
    try:
        state.settings = Settings.resolve(db, user, lang)
    except ValueError as exc:
        typer.echo(f"quizapp: {exc}", err=True)
        raise typer.Exit(2) from None
    set_lang(state.settings.lang)
    if ctx.invoked_subcommand is None:
        _run_tui(bank_id=None, practice=False)


def _run_tui(
    bank_id: str | None,
    practice: bool,
    notes: str | None = None,
    *,
    topic: str | None = None,
    mode: str = "all",
) -> None:
    database = _open()
    from quizapp.db import repo

    with database.transaction() as s:
        if bank_id is not None and not repo.bank_exists(s, bank_id):
            fail(t("cli.no_bank", bank=bank_id))
        if topic is not None and topic not in {tp.id for tp in repo.list_topics(s)}:
            fail(t("cli.no_topic", topic=topic))
    from quizapp.tui.app import QuizApp

    QuizApp(
        database,
        state.settings.user,
        bank_id=bank_id,
        start_practice=practice,
        start_notes=notes,
        topic=topic,
        mode=mode,
    ).run()


@app.command()
def practice(
    bank: Annotated[
        str | None, typer.Option("--bank", "-b", help="Bank id (default: all).")
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Topic id, e.g. cbam or L11.")
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", "-m", help="all | due | new | weak | starred")
    ] = "all",
) -> None:
    """Practise: due reviews first (least remembered first), then new questions."""
    from quizapp.domain.queueing import MODES

    if mode not in MODES:
        typer.echo(f"quizapp: unknown mode {mode!r} (use {' | '.join(MODES)})", err=True)
        raise typer.Exit(2)
    _run_tui(bank_id=bank, practice=True, topic=topic, mode=mode)


config_app = typer.Typer(help="Your settings: exam date, daily goal, new questions per day.")
app.add_typer(config_app, name="config")


def _user_settings() -> UserSettings:
    from quizapp.db import repo
    from quizapp.services.settings import UserSettings

    database = _open()
    with database.transaction() as s:
        uid = repo.get_or_create_user(s, state.settings.user, database.clock())
    return UserSettings(database, uid)


@config_app.command("show")
def config_show() -> None:
    """Print your settings."""
    settings = _user_settings().load()
    exam = settings.exam_date.isoformat() if settings.exam_date else "-"
    if settings.exam_date_is_default and settings.exam_date:
        exam += " (default: next official date)"
    typer.echo(f"user\t{state.settings.user}\nexam-date\t{exam}")
    typer.echo(f"daily-goal\t{settings.daily_goal}\nnew-per-day\t{settings.new_per_day}")


@config_app.command("exam-date")
def config_exam_date(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD, or 'none' to clear.")],
) -> None:
    """Set the date of your exam (readiness and the queue aim at it)."""
    import datetime as dt

    if day.lower() == "none":
        _user_settings().set_exam_date(None)
        typer.echo(t("cli.saved"))
        return
    from quizapp.services.settings import parse_exam_date

    parsed, error = parse_exam_date(day, dt.date.today())
    if parsed is None:
        fail(error)
    _user_settings().set_exam_date(parsed)
    typer.echo(t("cli.saved"))


def _set_int(key: str, value: int) -> None:
    if value < 0:
        fail(t("cli.bad_number", value=value))
    _user_settings().set_int(key, value)
    typer.echo(t("cli.saved"))


@config_app.command("daily-goal")
def config_daily_goal(n: Annotated[int, typer.Argument(help="Questions per day.")]) -> None:
    """Set how many questions a day you aim to answer."""
    _set_int("daily_goal", n)


@config_app.command("new-per-day")
def config_new_per_day(n: Annotated[int, typer.Argument(help="New questions per day.")]) -> None:
    """Set how many never-seen questions practice may introduce per day."""
    _set_int("new_per_day", n)


@app.command(context_settings={"allow_interspersed_args": True})
def exam(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="BLUEPRINT (ipas-l11, ipas-l12, ipas-full, quick), or: history | report ATTEMPT"
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option("--minutes", help="Time limit.")] = None,
    questions: Annotated[
        int | None, typer.Option("--questions", help="Questions (per subject).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same exam.")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="Draw only from this bank.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Draw only from this topic.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="history: machine-readable.")] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="report: write to FILE.")
    ] = None,
) -> None:
    """Timed mock exams.

    `exam quick --seed 1`, `exam ipas-l11`, `exam --questions 20 --minutes 30`,
    `exam history [--json]`, `exam report ATTEMPT [-o report.md]`.
    """
    from quizapp.services.exams import ExamError, ExamService

    words = list(args or [])
    database = _open()
    exams = ExamService(database, state.settings.user)
    if words[:1] == ["history"]:
        _exam_history(exams, as_json)
        return
    if words[:1] == ["report"]:
        if len(words) != 2 or not words[1].isdigit():
            typer.echo("quizapp: usage: quizapp exam report ATTEMPT [-o FILE]", err=True)
            raise typer.Exit(2)
        _exam_report(exams, int(words[1]), output)
        return
    if len(words) > 1:
        typer.echo("quizapp: give one blueprint", err=True)
        raise typer.Exit(2)
    blueprint = words[0] if words else None
    if blueprint is None and (questions is None or minutes is None):
        blueprint = "quick" if questions is None and minutes is None else None
    try:
        plan = exams.plan(
            blueprint, questions=questions, minutes=minutes, seed=seed, bank=bank, topic=topic
        )
    except ExamError as exc:
        fail(f"quizapp: {exc}")
    if plan.total == 0:
        fail(t("exam.setup_empty"))
    from quizapp.tui.app import QuizApp

    QuizApp(database, state.settings.user, exam_plan=plan).run()


def _exam_history(exams: ExamService, as_json: bool) -> None:
    reports = exams.history()
    if as_json:
        rows = [
            {
                "attempt": r.state.attempt_id,
                "blueprint": r.state.blueprint,
                "title": r.state.title,
                "submitted_at": r.state.submitted_at.isoformat() if r.state.submitted_at else None,
                "scores": {s.subject: s.score for s in r.subjects},
                "passed": r.passed,
                "auto_submitted": r.auto_submitted,
                "seconds_used": int(r.time_used.total_seconds()),
            }
            for r in reports
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from quizapp.services.exam_report import verdict

    for r in reports:
        when = r.state.submitted_at.astimezone() if r.state.submitted_at else None
        scores = "  ".join(f"{s.subject} {s.score:.1f}" for s in r.subjects)
        typer.echo(
            f"#{r.state.attempt_id}\t{when:%Y-%m-%d %H:%M}\t{r.state.blueprint}"
            f"\t{scores}\t{verdict(r.passed)}"
        )


def _exam_report(exams: ExamService, attempt_id: int, output: Path | None) -> None:
    from quizapp import resources
    from quizapp.notes.index import NoteIndex
    from quizapp.services.exam_report import report_markdown
    from quizapp.services.exams import ExamError

    try:
        report = exams.report(attempt_id)
    except ExamError as exc:
        fail(f"quizapp: {exc}")
    text = report_markdown(report, NoteIndex.load(resources.notes_dir()))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Your progress: readiness per subject, per-topic mastery, the 30-day due forecast."""
    from quizapp.services.progress import ProgressService

    data = ProgressService(_open(), state.settings.user).as_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from quizapp.cli_report import stats_text

    typer.echo(stats_text(data))


@app.command()
def notes(
    link: Annotated[
        str | None, typer.Argument(help="A note, optionally with a heading: cbam.md#涵蓋產品")
    ] = None,
) -> None:
    """Browse the study notes, opened at NOTE[#ANCHOR] (default: the first note)."""
    if link is not None:
        from quizapp import resources
        from quizapp.notes.index import NoteIndex

        name = link if link.partition("#")[0].endswith(".md") else link.replace("#", ".md#", 1)
        if "#" not in link and not link.endswith(".md"):
            name = f"{link}.md"
        index = NoteIndex.load(resources.notes_dir())
        if index.resolve(name) is None:
            known = ", ".join(index.notes)
            fail(t("notes.missing", link=link) + f" ({known})")
        link = name
    _run_tui(bank_id=None, practice=False, notes=link or "")


@bank_app.command("list")
def bank_list(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the stored banks."""
    from quizapp.services.banks import BankService

    banks = BankService(_open()).list_banks(state.settings.user)
    if as_json:
        rows = [
            {
                "id": b.id,
                "title": b.title,
                "subject": b.subject,
                "version": b.version,
                "questions": b.question_count,
                "answered": b.answered,
            }
            for b in banks
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for b in banks:
        typer.echo(f"{b.id}\t{b.subject}\t{b.question_count}\t{b.title}")


def _print_problems(results: list[ParseResult], files: list[str]) -> tuple[int, int]:
    errors = warnings = 0
    for path, r in zip(files, results, strict=True):
        for p in r.problems:
            typer.echo(str(p), err=True)
            errors += p.level == "error"
            warnings += p.level == "warning"
        if r.bank is not None and not r.errors:
            typer.echo(t("cli.valid", file=path, n=len(r.bank.questions)))
    return errors, warnings


FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help="native | gift | aiken | csv | json (default: detect)"),
]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding, e.g. cp950.")]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="GIFT: question types the app cannot ask are errors.")
]
IdOpt = Annotated[str | None, typer.Option("--id", help="Bank id (GIFT/Aiken/CSV).")]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Bank title (GIFT/Aiken/CSV).")]
SubjectOpt = Annotated[str | None, typer.Option("--subject", help="L11 or L12 (GIFT/Aiken/CSV).")]
TopicOpt = Annotated[
    str | None, typer.Option("--topic", help="Topic for questions that have none.")
]


def _read_options(
    fmt: str | None,
    encoding: str,
    strict: bool,
    bank_id: str | None,
    title: str | None,
    subject: str | None,
    topic: str | None,
) -> ReadOptions:
    from quizapp.banks.formats import FORMATS, ReadOptions

    if fmt is not None and fmt not in FORMATS:
        typer.echo(f"quizapp: unknown format {fmt!r} (use {' | '.join(FORMATS)})", err=True)
        raise typer.Exit(2)
    return ReadOptions(fmt, encoding, strict, bank_id, title, subject, topic)


@bank_app.command("validate")
def bank_validate(
    files: Annotated[list[str], typer.Argument(help="Bank files to check.")],
    fmt: FormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    strict: StrictOpt = False,
) -> None:
    """Check bank files; print every problem as file:line: level: message. Exit 1 on errors."""
    from quizapp.services.banks import BankService

    options = _read_options(fmt, encoding, strict, None, None, None, None)
    results = BankService(_open()).validate(files, options)
    errors, warnings = _print_problems(results, files)
    typer.echo(t("cli.summary", files=len(files), errors=errors, warnings=warnings))
    if errors:
        raise typer.Exit(1)


@bank_app.command("import")
def bank_import(
    files: Annotated[list[str], typer.Argument(help="Bank files to import.")],
    fmt: FormatOpt = None,
    encoding: EncodingOpt = "utf-8",
    strict: StrictOpt = False,
    bank_id: IdOpt = None,
    title: TitleOpt = None,
    subject: SubjectOpt = None,
    topic: TopicOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes only.")] = False,
) -> None:
    """Import or update banks, all-or-nothing: one error and the database is unchanged."""
    from quizapp.services.banks import BankService

    options = _read_options(fmt, encoding, strict, bank_id, title, subject, topic)
    outcome = BankService(_open()).import_files(files, options=options, dry_run=dry_run)
    for p in outcome.problems:
        typer.echo(str(p), err=True)
    if not outcome.ok:
        fail(t("cli.import_failed", n=sum(p.level == "error" for p in outcome.problems)))
    for r in outcome.reports:
        typer.echo(
            t(
                "cli.imported",
                bank=r.bank_id,
                added=r.added,
                updated=r.updated,
                unchanged=r.unchanged,
                retired=r.retired,
            )
        )
        for kind in ("added", "updated", "retired", "restored", "reset"):
            if r.keys.get(kind):
                typer.echo(f"  {t('cli.diff_' + kind)}: {', '.join(r.keys[kind])}")
    if dry_run:
        typer.echo(t("cli.dry_run"))


@bank_app.command("export")
def bank_export(
    bank: Annotated[str, typer.Argument(help="Bank id.")],
    fmt: Annotated[
        str, typer.Option("--format", help="native | json | gift | aiken | csv")
    ] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Print (or write) a stored bank in one of the supported formats."""
    from quizapp.services.banks import EXPORT_FORMATS, BankService

    if fmt not in EXPORT_FORMATS:
        fail(f"quizapp: unknown format {fmt!r} (use {' | '.join(EXPORT_FORMATS)})")
    exported = BankService(_open()).export(bank, fmt)
    if exported is None:
        fail(t("cli.no_bank", bank=bank))
    text, lost = exported
    for message in lost:
        typer.echo(f"quizapp: warning: {message}", err=True)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


@bank_app.command("remove")
def bank_remove(
    bank: Annotated[str, typer.Argument(help="Bank id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Retire a bank's questions (everyone's history stays; re-import brings them back)."""
    from quizapp.services.banks import BankService

    service = BankService(_open())
    if not yes:
        if not sys.stdin.isatty():
            fail(t("cli.remove_needs_yes", bank=bank))
        typer.confirm(t("cli.remove_confirm", bank=bank), abort=True)
    count = service.remove(bank)
    if count is None:
        fail(t("cli.no_bank", bank=bank))
    typer.echo(t("cli.removed", bank=bank, n=count))


@bank_app.command("search")
def bank_search(
    text: Annotated[str, typer.Argument(help="Text to find (Chinese substring works).")] = "",
    topic: Annotated[str | None, typer.Option("--topic", help="Topic id.")] = None,
    bank: Annotated[str | None, typer.Option("--bank", help="Bank id.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="never-seen | wrong-recently | starred | leech"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Find questions by text, topic, bank or your progress on them."""
    from quizapp.services.browse import STATUSES, search

    if status is not None and status not in STATUSES:
        typer.echo(f"quizapp: unknown status {status!r} (use {' | '.join(STATUSES)})", err=True)
        raise typer.Exit(2)
    found = search(_open(), state.settings.user, text, topic=topic, bank=bank, status=status)
    if as_json:
        rows = [
            {
                "bank": f.bank_id,
                "key": f.key,
                "stem": f.stem,
                "topics": list(f.topics),
                "status": sorted(f.status),
            }
            for f in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for f in found:
        stem = " ".join(f.stem.replace("**", "").split())
        typer.echo(f"{f.bank_id}/{f.key}\t{','.join(sorted(f.status)) or '-'}\t{stem}")
    typer.echo(t("cli.found", n=len(found)), err=True)


@bank_app.command("stats")
def bank_stats(
    bank: Annotated[str, typer.Argument(help="Bank id.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Item analysis over every submitted mock exam: facility, discrimination, choices, flags."""
    from dataclasses import asdict

    from quizapp.services.item_stats import bank_item_stats

    stats = bank_item_stats(_open(), bank)
    if stats is None:
        fail(t("cli.no_bank", bank=bank))
    if as_json:
        typer.echo(json.dumps([asdict(s) for s in stats], ensure_ascii=False, indent=2))
        return
    typer.echo(t("cli.item_header"))
    for s in stats:
        facility = "—" if s.facility is None else f"{s.facility:.2f}"
        disc = "—" if s.discrimination is None else f"{s.discrimination:+.2f}"
        choices = " ".join(f"{k}:{v}" for k, v in s.choices.items())
        typer.echo(
            f"{s.key:<10}{s.responses:>5}  {facility:>5}  {disc:>6}  {s.answer}  "
            f"{choices}  {' '.join(s.flags)}"
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema (also done on every start)."""
    from quizapp.db import migrate

    database = _open()
    typer.echo(
        t(
            "cli.db_at",
            rev=migrate.current_revision(database.engine),
            url=database.engine.url.render_as_string(hide_password=True),
        )
    )


@db_app.command("backup")
def db_backup(
    file: Annotated[Path | None, typer.Argument(help="Where to write the copy.")] = None,
) -> None:
    """An online, consistent copy of the database (default: the backups folder beside it)."""
    from quizapp.db import maintenance

    database = _open()
    if database.file is None:
        fail(t("db.not_sqlite"))
    if file is None:
        written = maintenance.auto_backup(database.file, "manual", keep=10_000)
    else:
        written = maintenance.backup_file(database.file, file)
    typer.echo(t("db.backup_done", file=written))


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A backup made by quizapp db backup.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Replace the database with a backup (the current database is backed up first)."""
    import sqlite3

    from quizapp.db import maintenance
    from quizapp.db.engine import normalise_url

    target = Path(normalise_url(state.settings.db_url).removeprefix("sqlite:///"))
    if not normalise_url(state.settings.db_url).startswith("sqlite:///"):
        fail(t("db.not_sqlite"))
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        fail(t("db.bad_backup", file=file, why=exc))
    if ok != "ok":
        fail(t("db.bad_backup", file=file, why=ok))
    if not yes:
        if not sys.stdin.isatty():
            fail(t("cli.remove_needs_yes", bank=str(file)))
        typer.confirm(t("db.restore_confirm", backup=file), abort=True)
    saved = maintenance.auto_backup(target, "pre-restore") if target.exists() else None
    maintenance.restore_file(file, target)
    typer.echo(t("db.restored", file=saved or "-"))


@db_app.command("check")
def db_check() -> None:
    """Integrity, foreign keys, schema revision and consistency; exit 1 if anything is wrong."""
    from quizapp.db import maintenance, migrate

    database = _open()
    report = maintenance.check(
        database.engine, migrate.head_revision(), migrate.current_revision(database.engine)
    )
    for fact in report.facts:
        typer.echo(f"ok: {fact}")
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    if not report.ok:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point: never shows a traceback for an expected failure."""
    from sqlalchemy.exc import DatabaseError as SQLDatabaseError

    from quizapp.services.context import explain

    try:
        app()
    except SQLDatabaseError as exc:
        typer.echo(f"quizapp: {explain(exc)}", err=True)
        sys.exit(1)
