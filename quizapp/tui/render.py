"""Bank Markdown (bold, italics, code, lists) → Rich Text for display.

Bank text is untrusted: it is turned into styled Text directly, so Textual/Rich markup such as
``[bold]`` in a question is shown literally and never interpreted.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.text import Text

_md = MarkdownIt("commonmark")


def markdown_text(source: str) -> Text:
    """Render a small Markdown fragment (paragraphs, lists, emphasis) as Rich Text."""
    out = Text()
    tokens = _md.parse(source)
    if any(t.level >= 16 for t in tokens):
        return Text(source)  # too deep for markdown-it, which would drop text: show it raw
    bullet_depth = 0
    ordered: list[int] = []
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            bullet_depth += 1
            if tok.type == "ordered_list_open":
                ordered.append(int(tok.attrs.get("start", 1) or 1))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            bullet_depth -= 1
            if tok.type == "ordered_list_close":
                ordered.pop()
        elif tok.type == "list_item_open":
            if out and not out.plain.endswith("\n"):
                out.append("\n")
            indent = "  " * (bullet_depth - 1)
            if ordered and tok.info:
                out.append(f"{indent}{tok.info}. ")
            else:
                out.append(f"{indent}• ")
        elif tok.type == "paragraph_open" and not tok.hidden and out:
            out.append("\n\n" if not out.plain.endswith("\n") else "\n")
        elif tok.type == "inline":
            _inline(out, tok)
        elif tok.type in ("fence", "code_block"):
            if out:
                out.append("\n\n")
            out.append(tok.content.rstrip("\n"), style="bold")
        elif tok.type == "heading_open" and out:
            out.append("\n\n")
    return out


def _inline(out: Text, tok: Token) -> None:
    styles: list[str] = []
    for child in tok.children or []:
        if child.type == "text":
            out.append(child.content, style=" ".join(styles) or None)
        elif child.type == "strong_open":
            styles.append("bold underline")
        elif child.type == "em_open":
            styles.append("italic")
        elif child.type in ("strong_close", "em_close") and styles:
            styles.pop()
        elif child.type == "code_inline":
            out.append(child.content, style="bold")
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type == "link_open":
            styles.append("underline")
        elif child.type == "link_close" and styles:
            styles.pop()
        elif child.type in ("html_inline", "image"):
            out.append(child.content)
