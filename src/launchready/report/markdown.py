"""GitHub-flavoured Markdown that fits a pull-request comment.

GitHub caps a comment at 65,536 characters, so the report is built as self-contained blocks in priority
order (verdict, root causes, at most ten must-do items with their snippets or manual checks, readiness,
top risks, can-wait, not assessed, details) and blocks that no longer fit are
dropped whole, with a note, instead of cutting a table or a ``<details>`` element in half. Long parts sit in
collapsed ``<details>``. Finding text is attacker-controlled (a page title, a header value), so HTML
metacharacters are escaped and table cells cannot break out of their row; snippets go in fenced blocks
with a fence longer than any backtick run inside them.
"""

from __future__ import annotations

import re
from html import escape

from launchready.findings import Status
from launchready.report.details import detail_rows
from launchready.report.fixplan import FixItem, FixKind
from launchready.report.model import Report
from launchready.report.risks import Risk
from launchready.report.text import (
    MUST_DO_SHOWN,
    ROOTS_SHOWN,
    also_blocked,
    counts_line,
    evidence,
    filled_fix,
    item_what,
    offline_notice,
    per_host_note,
    stage_cell,
)

LIMIT = 65_000
_MARKDOWN_ACTIVE = "\\|`[]"  # backslash first: escapes must not be escaped again; brackets would make links
TOP_RISKS = 15
_STATUS_MARK = {
    Status.FAIL: "❌ fail",
    Status.UNVERIFIABLE: "❔ unverifiable",
    Status.WARN: "⚠️ warn",
    Status.PASS: "✅ pass",
    Status.NOT_ASSESSED: "⚪ not assessed",
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
    lines = [
        f"## launchready: {text(run.product)} ({text(run.domain)})",
        "",
        f"**{text(report.verdict)}**",
        "",
    ]
    notice = offline_notice(report)
    if notice:
        lines += [f"> **{text(notice)}**", ""]
    lines.append(
        f"{report.summary.total} findings: {text(counts_line(report.summary))} — run "
        f"{run.started_at.isoformat()} ({report.duration_s:.1f}s), launchready {text(run.tool_version)}"
    )
    return "\n".join(lines)


def _roots(report: Report, show_all: bool) -> str | None:
    roots = report.root_causes
    if not roots:
        return None
    shown = roots if show_all else roots[:ROOTS_SHOWN]
    lines = ["### Root causes", "", "Fix these first: every check they blocked is folded under them.", ""]
    for risk in shown:
        f = risk.finding
        tail = also_blocked(risk)
        lines.append(
            f"- {_STATUS_MARK[f.status]} {code(f.rule_id)} on {code(f.target)}"
            + (f" — **{tail}**" if tail else "")
            + f" — {text(evidence(f))}"
        )
        if risk.blocked:
            blocked = "".join(f"<li>{escape(b.rule_id)} on {escape(b.target)}</li>" for b in risk.blocked)
            lines.append(f"  <details><summary>{escape(tail)}</summary><ul>{blocked}</ul></details>")
    if len(roots) > len(shown):
        lines.append(f"- …and {len(roots) - len(shown)} more root causes (`--all`)")
    return "\n".join(lines)


def _indent(block: str, spaces: int = 3) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in block.splitlines())


def _item(n: int, item: FixItem) -> str:
    """One numbered must-do item: what — where — why, then the snippets or the manual check."""
    targets = ", ".join(code(t) for t in item.targets)
    why = f" — {text(item.why_words)}" if item.why_words else ""
    parts = [f"{n}. **{text(item_what(item))}** — {targets}{why}"]
    body: list[str] = []
    if item.why:
        body += [text(item.why)]
    if item.kind is FixKind.VERIFY:
        if item.verify:
            body += ["Verify by hand:", fenced("\n".join(item.verify), "sh")]
        body += [f"Could not look: {text(r)}" for r in item.reasons]
    elif item.fix is not None:
        body += [text(per_host_note(item))] if item.per_host else []
        body += [f"{i}. {text(step)}" for i, step in enumerate(item.fix.steps, start=1)]
        for where_to, snippet in sorted(item.fix.snippets.items()):
            body += [f"{text(where_to)}:", fenced(snippet)]
    parts += ["", _indent("\n\n".join(body))] if body else []
    return "\n".join(parts)


def _must_do(report: Report, show_all: bool) -> str:
    items = report.plan.must_do_now
    if not items:
        return "### Must do now\n\nNothing."
    shown = items if show_all else items[:MUST_DO_SHOWN]
    lines = [f"### Must do now ({len(items)})", "", *(_item(n, i) for n, i in enumerate(shown, start=1))]
    rest = items[len(shown) :]
    if rest:
        more = "\n\n".join(_item(n, i) for n, i in enumerate(rest, start=len(shown) + 1))
        lines += [
            "",
            f"<details><summary>{len(rest)} more must-do items</summary>",
            "",
            more,
            "",
            "</details>",
        ]
    return "\n\n".join(lines).replace("\n\n\n\n", "\n\n")


def _readiness(report: Report) -> str:
    lines = [
        "### Readiness by stage",
        "",
        "| Stage | Score | Fail | Unverifiable | Warn | Pass | Not assessed | Blockers |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report.stages:
        c = s.counts
        cells = (
            c[Status.FAIL],
            c[Status.UNVERIFIABLE],
            c[Status.WARN],
            c[Status.PASS],
            c[Status.NOT_ASSESSED],
        )
        numbers = " | ".join(str(n) for n in (*cells, s.blockers)) if s.tally.total else " | " * 5 + " "
        lines.append(f"| {s.stage.value} | {stage_cell(s)} | {numbers} |")
    t = report.summary
    c = t.counts
    totals = (c[Status.FAIL], c[Status.UNVERIFIABLE], c[Status.WARN], c[Status.PASS], c[Status.NOT_ASSESSED])
    lines.append(
        f"| **overall** | **{report.overall}/100** | {' | '.join(str(n) for n in (*totals, t.blockers))} |"
    )
    covered = ", ".join(s.value for s in report.covered_stages) or "nothing"
    lines += ["", f"The readiness score covers: {covered}."]
    return "\n".join(lines)


def _group_line(item: FixItem) -> str:
    targets = ", ".join(code(t) for t in item.targets)
    return f"- [ ] **{text(item_what(item))}** — {text(item.title)} ({item.severity.value}) on {targets}"


def _plan(title: str, items: tuple[FixItem, ...], collapsed: bool) -> str:
    if not items:
        return f"### {title}\n\nNothing."
    body = "\n".join(_group_line(g) for g in items)
    if collapsed:
        return f"### {title}\n\n<details><summary>{len(items)} fixes</summary>\n\n{body}\n\n</details>"
    return f"### {title}\n\n{body}"


def _risks(report: Report, show_all: bool) -> str:
    shown = report.risks if show_all else report.risks[:TOP_RISKS]
    if not shown:
        return "### Top risks\n\nNo risk found."
    lines = [
        "### Top risks",
        "",
        "| # | Status | Severity | Rule | Where | Evidence |",
        "|---:|---|---|---|---|---|",
    ]
    for risk in shown:
        f = risk.finding
        where_cell = "<br>".join(code(t) for t in risk.locations)
        note = f" (root cause, {also_blocked(risk)})" if risk.root_cause and risk.blocked else ""
        lines.append(
            f"| {risk.rank} | {_STATUS_MARK[f.status]} | {f.severity.value} | {code(f.rule_id)} | "
            f"{where_cell} | {text(evidence(f) + note)} |"
        )
    if len(report.risks) > len(shown):
        lines += ["", f"…and {len(report.risks) - len(shown)} more below."]
    return "\n".join(lines)


def _not_assessed(report: Report) -> str | None:
    groups = report.not_assessed
    if not groups:
        return None
    lines = ["### Not assessed", "", "Never blocks, earns no credit: what would let launchready look.", ""]
    for g in groups:
        rules = ", ".join(code(r) for r in g.rule_ids)
        lines.append(f"- {text(g.line)} <details><summary>rules</summary>{rules}</details>")
    return "\n".join(lines)


def _finding_details(report: Report, risk: Risk, item: FixItem | None) -> str:
    """A risk in full: its evidence, every place it was seen (with details), and its plan item's fix or
    manual check (already in the product's names)."""
    finding = risk.finding
    parts = [
        f"<details><summary>#{risk.rank} {escape(finding.rule_id)} on {escape(finding.target)} "
        f"({finding.status.value}, {finding.severity.value})</summary>",
        "",
        f"**{text(finding.title)}** — stage `{finding.stage.value}`",
    ]
    for member in risk.members:
        parts += ["", f"{code(member.target)}: {text(evidence(member))}"]
        rows = detail_rows(member.details, limit=200)
        if rows:
            parts += ["", "| Detail | Value |", "|---|---|", *(f"| {text(k)} | {text(v)} |" for k, v in rows)]
    if item is not None and item.kind is FixKind.VERIFY:
        parts += ["", "**Not verified:** check it by hand first."]
        if item.verify:
            parts += ["", fenced("\n".join(item.verify), "sh")]
    elif item is not None:
        fix = filled_fix(report, finding)
        parts += ["", f"**Fix:** {text(fix.summary)}"]
        if fix.steps:
            parts += ["", *(f"{i}. {text(step)}" for i, step in enumerate(fix.steps, start=1))]
        for where, snippet in sorted(fix.snippets.items()):
            parts += ["", f"{text(where)}:", "", fenced(snippet)]
        if fix.references:
            parts += ["", *(f"- {text(ref)}" for ref in fix.references)]
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


def _blocks(report: Report, show_all: bool) -> list[str]:
    blocks = [b for b in (_header(report), _roots(report, show_all)) if b]
    blocks += [
        _must_do(report, show_all),
        _readiness(report),
        _risks(report, show_all),
        _plan("Can wait", report.plan.can_wait, collapsed=not show_all),
    ]
    blocks += [b for b in (_not_assessed(report), _attempts(report)) if b]
    if report.risks:
        blocks.append("### Details")
        items = {rank: item for item in report.plan.items for rank in item.ranks}
        blocks += [_finding_details(report, r, items.get(r.rank)) for r in report.risks]
    blocks += [b for b in (_artifacts(report),) if b]
    return blocks


def render(report: Report, limit: int = LIMIT, show_all: bool = False) -> str:
    """The Markdown report, at most ``limit`` characters (whole blocks dropped from the tail, with a note).

    ``show_all`` lists every must-do item, root cause and risk at the top level instead of collapsing
    the rest."""
    blocks = _blocks(report, show_all)
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
