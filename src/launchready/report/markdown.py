"""GitHub-flavoured Markdown that fits a pull-request comment.

GitHub caps a comment at 65,536 characters, so the report is built as self-contained blocks in priority
order (verdict, readiness, must-do-now, top risks, can-wait, details) and blocks that no longer fit are
dropped whole, with a note, instead of cutting a table or a ``<details>`` element in half. Long parts sit in
collapsed ``<details>``. Finding text is attacker-controlled (a page title, a header value), so HTML
metacharacters are escaped and table cells cannot break out of their row; snippets go in fenced blocks
with a fence longer than any backtick run inside them.
"""

from __future__ import annotations

import re
from html import escape

from launchready.findings import Finding, Status
from launchready.report.details import detail_rows
from launchready.report.model import Report
from launchready.report.ranking import FixGroup

LIMIT = 65_000
_MARKDOWN_ACTIVE = "\\|`[]"  # backslash first: escapes must not be escaped again; brackets would make links
TOP_RISKS = 15
_STATUS_MARK = {
    Status.FAIL: "❌ fail",
    Status.UNVERIFIABLE: "❔ unverifiable",
    Status.WARN: "⚠️ warn",
    Status.PASS: "✅ pass",
}


def text(value: str) -> str:
    """Inline text safe for Markdown and the HTML GitHub allows inside it."""
    escaped = escape(" ".join(value.split()), quote=False)
    for char in _MARKDOWN_ACTIVE:
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def code(value: str) -> str:
    """Inline code span that survives backticks and pipes in the value."""
    fence = "`" * (max((len(r) for r in re.findall(r"`+", value)), default=0) + 1)
    inner = " ".join(value.split()).replace("|", "\\|")
    return (
        f"{fence} {inner} {fence}"
        if inner.startswith("`") or inner.endswith("`")
        else f"{fence}{inner}{fence}"
    )


def fenced(body: str, info: str = "") -> str:
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
    return f"{fence}{info}\n{body.rstrip()}\n{fence}"


def _header(report: Report) -> str:
    run = report.run
    c = report.counts
    return "\n".join(
        [
            f"## launchready: {text(run.product)} ({text(run.domain)})",
            "",
            f"**{text(report.verdict)}**",
            "",
            f"{c[Status.FAIL]} fail · {c[Status.UNVERIFIABLE]} unverifiable · {c[Status.WARN]} warn · "
            f"{c[Status.PASS]} pass — run {run.started_at.isoformat()} ({report.duration_s:.1f}s), "
            f"launchready {text(run.tool_version)}",
        ]
    )


def _readiness(report: Report) -> str:
    lines = [
        "### Readiness by stage",
        "",
        "| Stage | Score | Fail | Unverifiable | Warn | Pass |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in report.stages:
        score = "not assessed" if s.score is None else f"{s.score}/100"
        c = s.counts
        lines.append(
            f"| {s.stage.value} | {score} | {c[Status.FAIL]} | {c[Status.UNVERIFIABLE]} | {c[Status.WARN]} | "
            f"{c[Status.PASS]} |"
        )
    lines.append(f"| **overall** | **{report.overall}/100** | | | | |")
    return "\n".join(lines)


def _group_line(group: FixGroup) -> str:
    targets = ", ".join(code(t) for t in group.targets)
    return f"- [ ] **{text(group.fix.summary)}** — {text(group.title)} ({group.severity.value}) on {targets}"


def _plan(title: str, groups: tuple[FixGroup, ...], collapsed: bool) -> str:
    if not groups:
        return f"### {title}\n\nNothing."
    body = "\n".join(_group_line(g) for g in groups)
    if collapsed:
        return f"### {title}\n\n<details><summary>{len(groups)} fixes</summary>\n\n{body}\n\n</details>"
    return f"### {title}\n\n{body}"


def _risks(report: Report) -> str:
    shown = report.risks[:TOP_RISKS]
    if not shown:
        return "### Top risks\n\nNo risk found."
    lines = [
        "### Top risks",
        "",
        "| # | Status | Severity | Rule | Target | Evidence |",
        "|---:|---|---|---|---|---|",
    ]
    for risk in shown:
        f = risk.finding
        lines.append(
            f"| {risk.rank} | {_STATUS_MARK[f.status]} | {f.severity.value} | {code(f.rule_id)} | "
            f"{code(f.target)} | {text(_evidence(f))} |"
        )
    if len(report.risks) > TOP_RISKS:
        lines += ["", f"…and {len(report.risks) - TOP_RISKS} more below."]
    return "\n".join(lines)


def _evidence(finding: Finding) -> str:
    if finding.status is Status.UNVERIFIABLE:
        return f"could not verify: {finding.reason}"
    return finding.evidence


def _finding_details(rank: int, finding: Finding) -> str:
    fix = finding.fix
    parts = [
        f"<details><summary>#{rank} {escape(finding.rule_id)} on {escape(finding.target)} "
        f"({finding.status.value}, {finding.severity.value})</summary>",
        "",
        f"**{text(finding.title)}** — stage `{finding.stage.value}`",
        "",
        f"Evidence: {text(finding.evidence)}",
    ]
    if finding.reason and finding.reason != finding.evidence:
        parts += ["", f"Reason: {text(finding.reason)}"]
    parts += ["", f"**Fix:** {text(fix.summary)}"]
    if fix.steps:
        parts += ["", *(f"{i}. {text(step)}" for i, step in enumerate(fix.steps, start=1))]
    for where, snippet in sorted(fix.snippets.items()):
        parts += ["", f"{text(where)}:", "", fenced(snippet)]
    if fix.references:
        parts += ["", *(f"- {text(ref)}" for ref in fix.references)]
    rows = detail_rows(finding.details, limit=200)
    if rows:
        parts += ["", "| Detail | Value |", "|---|---|", *(f"| {text(k)} | {text(v)} |" for k, v in rows)]
    parts += ["", "</details>"]
    return "\n".join(parts)


def _attempts(report: Report) -> str | None:
    incomplete = report.incomplete_attempts
    if not incomplete:
        return None
    lines = ["### Checks that did not complete (the audit is partial)", ""]
    lines += [
        f"- {code(a.check)}: {a.outcome.value} — {text(a.reason or 'no reason given')}" for a in incomplete
    ]
    return "\n".join(lines)


def _artifacts(report: Report) -> str | None:
    if not report.run.artifacts:
        return None
    names = ", ".join(code(name) for name in sorted(report.run.artifacts))
    return f"Also in this run (see the HTML or JSON report): {names}."


def _blocks(report: Report) -> list[str]:
    blocks = [
        _header(report),
        _readiness(report),
        _plan("Must do now", report.plan.must_do_now, collapsed=False),
        _risks(report),
        _plan("Can wait", report.plan.can_wait, collapsed=True),
    ]
    blocks += [b for b in (_attempts(report),) if b]
    if report.risks:
        blocks.append("### Details")
        blocks += [_finding_details(r.rank, r.finding) for r in report.risks]
    blocks += [b for b in (_artifacts(report),) if b]
    return blocks


def render(report: Report, limit: int = LIMIT) -> str:
    """The Markdown report, at most ``limit`` characters (whole blocks dropped from the tail, with a note)."""
    blocks = _blocks(report)
    kept: list[str] = []
    size = 0
    reserve = 200
    for i, block in enumerate(blocks):
        if size + len(block) + 2 > limit - reserve:
            dropped = len(blocks) - i
            kept.append(
                f"> **Truncated:** {dropped} more sections did not fit in a comment; "
                "see the HTML or JSON report for everything."
            )
            break
        kept.append(block)
        size += len(block) + 2
    return "\n\n".join(kept) + "\n"
