"""`quizapp classroom …`: set up a class on PostgreSQL, add and remove students, report."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from quizapp.i18n import t

classroom_app = typer.Typer(
    help="A class on one PostgreSQL database: roles, student logins, the class report."
)


def _service() -> Any:
    from quizapp import cli
    from quizapp.services.classroom import ClassroomError, ClassroomService

    try:
        return ClassroomService(cli._open())
    except ClassroomError as exc:
        cli.fail(f"quizapp: {exc}")


def _guard(action: Any) -> Any:
    """Run ``action``; a ClassroomError becomes a one-line message and exit 1."""
    from quizapp import cli
    from quizapp.services.classroom import ClassroomError

    try:
        return action()
    except ClassroomError as exc:
        cli.fail(f"quizapp: {exc}")


@classroom_app.command("init")
def init() -> None:
    """Create the students' and instructors' roles, grants and row-level security (owner)."""
    result = _guard(_service().init)
    typer.echo(t("class.init_done", db=result.database))
    typer.echo(t("class.init_roles", students=result.roles.students, inst=result.roles.instructors))
    if not result.catalog_hidden:
        typer.echo(t("class.catalog_visible"), err=True)


def _add_login(name: str, *, student: bool) -> None:
    service = _service()
    url = _guard(lambda: service.add_student(name) if student else service.add_instructor(name))
    typer.echo(t("class.added" if student else "class.added_instructor", name=name))
    typer.echo(url)


@classroom_app.command("add-student")
def add_student(
    name: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, _.")],
) -> None:
    """Create a login for one student and print its connection URL (shown only this once)."""
    _add_login(name, student=True)


@classroom_app.command("add-instructor")
def add_instructor(
    name: Annotated[str, typer.Argument(help="Login name: lowercase letters, digits, _.")],
) -> None:
    """Create a login for a co-instructor (manages banks, reads the class's results)."""
    _add_login(name, student=False)


@classroom_app.command("remove-student")
def remove_student(name: Annotated[str, typer.Argument(help="The student's login name.")]) -> None:
    """Revoke a student's login; their results stay in the report."""
    service = _service()
    _guard(lambda: service.remove_student(name))
    typer.echo(t("class.removed", name=name))


@classroom_app.command("report")
def report(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Per student: answers, accuracy, reviews due, expected scores and mock-exam results."""
    service = _service()
    data = _guard(service.report)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(report_text(data))


def _pad(text: str, width: int) -> str:
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def report_text(data: dict[str, Any]) -> str:
    """The class report as an aligned table (names are ASCII, headers may be CJK)."""
    subjects = sorted({s for row in data["students"] for s in row["expected"]})
    head = [
        _pad(t("class.col_name"), 16),
        _pad(t("class.col_answers"), 8),
        _pad(t("class.col_accuracy"), 8),
        _pad(t("class.col_due"), 8),
        *(_pad(s, 6) for s in subjects),
        t("class.col_exams"),
    ]
    lines = [t("class.report_title", db=data["database"]), "", "".join(head)]
    for row in data["students"]:
        acc = "—" if row["accuracy"] is None else f"{row['accuracy'] * 100:.0f}%"
        exams = row["exams"]
        if exams:
            last = exams[-1]
            scores = "/".join(f"{v:.0f}" for v in last["scores"].values())
            verdict = t("class.passed") if last["passed"] else t("class.failed")
            mock = t("class.mock", n=len(exams), scores=scores, verdict=verdict)
            if not all(e["stored_matches"] for e in exams):
                mock += "  " + t("class.tampered")
        else:
            mock = "—"
        name = row["name"] + ("" if row["active"] else " ✗")
        cells = [
            _pad(name, 16),
            _pad(str(row["answers"]), 8),
            _pad(acc, 8),
            _pad(str(row["due"]), 8),
            *(_pad(f"{row['expected'].get(s, 0):.0f}", 6) for s in subjects),
            mock,
        ]
        lines.append("".join(cells))
    if not data["students"]:
        lines.append(t("class.empty"))
    return "\n".join(lines)
