"""Text hygiene for untrusted bank content (pure functions)."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls: a bank must never be able to
# send escape sequences to the candidate's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> tuple[str, bool]:
    """Remove terminal control characters; return the clean text and whether any were removed."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return cleaned, cleaned != text.replace("\r\n", "\n")
