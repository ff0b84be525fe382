"""Exam reports as Markdown, for `quizapp exam report` (a file a candidate can send)."""

from __future__ import annotations

import datetime as dt

from quizapp.i18n import t
from quizapp.notes.index import NoteIndex
from quizapp.services.exams import ExamReport
from quizapp.services.settings import exam_data


def minutes_seconds(delta: dt.timedelta) -> str:
    """M:SS of a duration."""
    total = int(delta.total_seconds())
    return f"{total // 60}:{total % 60:02d}"


def verdict(passed: bool) -> str:
    """✓ 通過 / ✗ 未通過 (words and a shape, never colour alone)."""
    return t("exam.passed") if passed else t("exam.failed")


def pass_rule(report: ExamReport) -> str:
    """The pass rule that applied: per subject for several subjects, else one mark."""
    rules = exam_data().rules
    if len(report.subjects) > 1:
        return t(
            "exam.rule",
            average=f"{rules.pass_average:.0f}",
            minimum=f"{rules.pass_min_subject:.0f}",
        )
    return t("exam.rule_single", average=f"{rules.pass_average:.0f}")


def report_markdown(report: ExamReport, notes: NoteIndex) -> str:
    """The whole report: scores, time, topics, earlier attempts, then every wrong question."""
    state = report.state
    assert state.submitted_at is not None
    local = state.submitted_at.astimezone()
    out = [f"# {t('exam.report_title')}：{state.title}", ""]
    out.append(f"- {t('exam.md_date')}：{local:%Y-%m-%d %H:%M}")
    out.append(f"- {t('exam.md_attempt')}：#{state.attempt_id}（{state.blueprint}）")
    out.append(
        f"- {t('exam.md_time')}：{minutes_seconds(report.time_used)}"
        + (f"（{t('exam.auto_submitted')}）" if report.auto_submitted else "")
    )
    rule = pass_rule(report)
    out.append(f"- {t('exam.md_result')}：{verdict(report.passed)}（{rule}）")
    out += ["", f"## {t('exam.md_scores')}", "", "| 科目 | 答對 | 分數 |", "| --- | --- | --- |"]
    for r in report.subjects:
        out.append(f"| {r.subject} {r.title} | {r.correct}/{r.total} | {r.score:.1f} |")
    out += ["", f"## {t('exam.md_topics')}", "", "| 主題 | 答對 |", "| --- | --- |"]
    for tp in report.topics:
        out.append(f"| {tp.title} | {tp.correct}/{tp.total} |")
    if report.earlier:
        out += ["", f"## {t('exam.md_earlier')}", ""]
        for when, scores, passed in report.earlier:
            listed = "、".join(f"{k} {v:.1f}" for k, v in scores.items())
            out.append(f"- {when.astimezone():%Y-%m-%d %H:%M}：{listed} {verdict(passed)}")
    wrong = [i for i in state.items if not i.correct]
    out += ["", f"## {t('exam.md_wrong')}（{len(wrong)}）", ""]
    for item in wrong:
        q = item.question
        out.append(f"### {item.position + 1}. {q.stem}")
        out.append("")
        for o in q.options:
            out.append(f"- ({o.label}) {o.text}")
        out.append("")
        mine = item.chosen or t("exam.unanswered")
        out.append(
            f"{t('exam.md_yours')}：{mine}　{t('practice.answer_is', answer='、'.join(q.answer))}"
        )
        if q.explanation:
            out += ["", "> " + q.explanation.replace("\n", "\n> ")]
        if q.notes:
            out += ["", t("practice.notes") + "：" + "；".join(notes.describe(n) for n in q.notes)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
