"""Study-note index: headings → anchors, and resolution of ``file.md#anchor`` links.

Anchors follow GitHub's rule (lowercase; drop everything but letters, digits, ``_``, spaces
and ``-``; spaces become ``-``; repeats get ``-1``, ``-2``), so links written for a Markdown
viewer work here too. CJK characters are letters and stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark")
_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def slugify(heading: str) -> str:
    """GitHub-style anchor of a heading text."""
    return _DROP.sub("", heading.strip().lower()).replace(" ", "-")


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading of a note: its level, text, anchor and 1-based source line."""

    level: int
    text: str
    anchor: str
    line: int


@dataclass(frozen=True, slots=True)
class Note:
    """A study note: its file name, title (first heading) and headings."""

    name: str
    title: str
    headings: tuple[Heading, ...]
    text: str

    def heading(self, anchor: str) -> Heading | None:
        """The heading with this anchor (or None)."""
        return next((h for h in self.headings if h.anchor == anchor), None)


def parse_note(name: str, text: str) -> Note:
    """Index the headings of a note (headings inside code blocks are not headings)."""
    tokens = _md.parse(text)
    seen: dict[str, int] = {}
    headings = []
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open":
            continue
        title = tokens[i + 1].content.strip()
        base = slugify(title)
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}-{count}"
        line = tok.map[0] + 1 if tok.map else 0
        headings.append(Heading(int(tok.tag[1]), title, anchor, line))
    title = headings[0].text if headings else name
    return Note(name=name, title=title, headings=tuple(headings), text=text)


class NoteIndex:
    """All notes of a folder, loaded once, with link resolution."""

    def __init__(self, notes: dict[str, Note]) -> None:
        self.notes = notes

    @classmethod
    def load(cls, folder: Path) -> NoteIndex:
        """Index every ``*.md`` note directly inside ``folder``."""
        notes = {}
        if folder.is_dir():
            for path in sorted(folder.glob("*.md")):
                notes[path.name] = parse_note(path.name, path.read_text(encoding="utf-8"))
        return cls(notes)

    def resolve(self, link: str) -> tuple[Note, Heading | None] | None:
        """The note and heading a ``file.md#anchor`` link points at, or None if dangling.

        Links may not leave the notes folder: a path with a directory part never resolves.
        """
        name, _, anchor = link.partition("#")
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        note = self.notes.get(name)
        if note is None:
            return None
        if not anchor:
            return note, None
        heading = note.heading(anchor)
        return (note, heading) if heading is not None else None

    def describe(self, link: str) -> str:
        """A human label for a link: ``note title › heading``, or the link itself."""
        hit = self.resolve(link)
        if hit is None:
            return link
        note, heading = hit
        return f"{note.title} › {heading.text}" if heading else note.title


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A note section containing the query, with a one-line snippet around the match."""

    note: str
    heading: Heading | None
    snippet: str

    @property
    def link(self) -> str:
        """``file.md#anchor`` of the section (just the file for text before any heading)."""
        return f"{self.note}#{self.heading.anchor}" if self.heading else self.note


def sections(note: Note) -> list[tuple[Heading | None, str]]:
    """The note cut at every heading: (heading, text under it up to the next heading)."""
    lines = note.text.split("\n")
    starts = [(h.line - 1, h) for h in note.headings]
    out: list[tuple[Heading | None, str]] = []
    first = starts[0][0] if starts else len(lines)
    if first > 0:
        out.append((None, "\n".join(lines[:first])))
    for i, (start, heading) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines)
        out.append((heading, "\n".join(lines[start:end])))
    return out


_MARKUP = re.compile(r"\*\*|__|`|^#+\s*|^\s*[-*+]\s+|^\s*\d+\.\s+|^\s*>\s?|\|", re.MULTILINE)


def _plain(text: str) -> str:
    """A snippet without Markdown markers, on one line."""
    return " ".join(_MARKUP.sub(" ", text).split())


def search(index: NoteIndex, query: str, limit: int = 50) -> list[SearchHit]:
    """Case-insensitive substring search over every section (works for Chinese: no tokenising)."""
    needle = query.strip().lower()
    if not needle:
        return []
    hits = []
    for name, note in index.notes.items():
        for heading, text in sections(note):
            pos = text.lower().find(needle)
            if pos < 0:
                continue
            start = max(0, pos - 12)
            snippet = _plain(text[start : pos + len(needle) + 24])
            hits.append(SearchHit(name, heading, snippet))
    # Sections under a real heading first: every note's introduction carries the same
    # "資料日期" boilerplate, which would otherwise top many searches.
    hits.sort(key=lambda h: h.heading is None or h.heading.level == 1)
    return hits[:limit]
