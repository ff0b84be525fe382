"""Plain-text rendering of `quizapp stats` (the JSON numbers, laid out for a terminal)."""

from __future__ import annotations

from typing import Any

from quizapp.i18n import t


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def stats_text(data: dict[str, Any]) -> str:
    """Readiness, today, the topic table and the forecast as aligned text."""
    lines = []
    exam = data["exam_date"] or "—"
    lines.append(
        t(
            "stats.exam",
            date=exam,
            days=data["days_to_exam"] if data["days_to_exam"] is not None else "—",
        )
    )
    today = data["today"]
    lines.append(t("stats.today", **today))
    lines.append("")
    for r in data["readiness"]:
        verdict = t("stats.pass") if r["passing"] else t("stats.below")
        lines.append(
            t(
                "stats.readiness",
                subject=r["subject"],
                title=r["title"],
                score=r["score"],
                mark=r["pass_mark"],
                verdict=verdict,
                seen=r["seen"],
                total=r["questions"],
            )
        )
    lines.append("")
    lines.append(t("stats.topic_header"))
    for tp in data["topics"]:
        lines.append(
            f"{tp['topic_id']:<26}{tp['seen']:>4}/{tp['total']:<4}"
            f"{_pct(tp['accuracy']):>7}{_pct(tp['recent_accuracy']):>7}"
            f"{_pct(tp['retrievability_now']):>7}{_pct(tp['retrievability_exam']):>7}"
            f"{tp['lapses']:>5}  {tp['title']}"
        )
    lines.append("")
    due = [f"{d['date'][5:]}:{d['due']}" for d in data["forecast"][:14] if d["due"]]
    lines.append(t("stats.forecast") + ("  ".join(due) if due else "—"))
    return "\n".join(lines)
