"""Where the bundled question banks and study notes are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder of bundled ``question_banks`` or ``study_notes``.

    A wheel carries them inside the package (``quizapp/_bundled/...``, see pyproject.toml);
    a source checkout or an editable install has them at the repository root.
    """
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def banks_dir() -> Path:
    """Folder of the bundled banks (``*.md``) and of ``topics.toml``."""
    return bundled_dir("question_banks")


def notes_dir() -> Path:
    """Folder of the bundled study notes (``*.md``)."""
    return bundled_dir("study_notes")
