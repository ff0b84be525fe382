"""A small vertical bar chart drawn with block characters (readable in any theme)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

_BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_chart(
    values: Sequence[float], height: int = 6, bar_width: int = 1, top: float | None = None
) -> list[str]:
    """Rows (top first) of a bar chart; each bar is ``bar_width`` cells, one space apart."""
    top = top or max(values, default=0) or 1
    rows = []
    for level in range(height, 0, -1):
        cells = []
        for v in values:
            eighths = round(v / top * height * 8)
            fill = min(max(eighths - (level - 1) * 8, 0), 8)
            cells.append(_BLOCKS[fill] * bar_width)
        rows.append(" ".join(cells))
    return rows


class BarChart(Static):
    """A titled bar chart with its maximum on the left and labels under the first/last bars."""

    def plot(
        self,
        title: str,
        values: Sequence[float],
        first: str,
        last: str,
        unit: str = "",
        top: float | None = None,
    ) -> None:
        """Draw ``values`` (e.g. reviews due per day); ``top`` fixes the scale (e.g. 100%)."""
        top = top or max(values, default=0)
        label = f"{top:g}{unit}"
        pad = len(label)
        text = Text(title + "\n", style="bold")
        for i, row in enumerate(bar_chart(values, top=top)):
            text.append((label if i == 0 else "").rjust(pad) + " ┃" + row + "\n")
        width = len(values) * 2 - 1
        text.append(" " * pad + " ┗" + "━" * width + "\n")
        text.append(" " * (pad + 2) + first + last.rjust(max(width - len(first), len(last) + 1)))
        self.update(text)
