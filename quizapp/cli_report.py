"""Plain-text rendering of `quizapp stats` (the JSON numbers, laid out for a terminal)."""

from __future__ import annotations

from typing import Any

from quizapp.domain.mastery import Verdict
from quizapp.i18n import t


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def verdict_line(v: Verdict) -> str:
    """The real pass rule applied to the expected scores, with its probability (home, stats)."""
    return t(
        "home.verdict",
        average=f"{v.average:.0f}",
        need=f"{v.pass_average:.0f}",
        minimum=f"{v.pass_min_subject:.0f}",
        verdict=t("stats.pass") if v.passing else t("stats.below"),
        p=f"{v.p_pass * 100:.0f}",
    )


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
                low=r["low"],
                high=r["high"],
                mark=r["pass_mark"],
                verdict=verdict,
                seen=r["seen"],
                total=r["questions"],
            )
        )
    lines.append(verdict_line(Verdict(**data["verdict"])).strip())
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
