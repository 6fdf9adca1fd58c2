"""One self-contained HTML file: inline CSS, no script, no external asset; the top risks come first.

It is the file a founder forwards, opens from an e-mail or attaches to a ticket, so it must work offline and
show the same thing everywhere. Every string from a finding is attacker-controlled (a page title, a header,
a DNS TXT record) and goes through ``html.escape``; snippets sit in ``<pre>`` so indentation survives.

Run artifacts (the DNS map, load results...) are drawn by ``ARTIFACT_SECTIONS``: a table from artifact name
to a function that returns an HTML section. A package that produces an artifact registers its renderer
there; any artifact without one gets the generic view (a key/value table, or masked JSON in ``<details>``).
A registered renderer must escape what it prints, exactly like this module.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from launchready.findings import Finding, Status
from launchready.report.details import detail_rows, pretty_json
from launchready.report.model import Report
from launchready.report.ranking import FixGroup

TOP_RISKS = 10


def _dns_map_section(data: Any) -> str:
    from launchready.checks.dns_edge.dns_map_render import render_dns_map_html

    return render_dns_map_html(data)


def _load_section(data: Any) -> str:
    from launchready.load.html_section import render_load_html

    return render_load_html(data)


ARTIFACT_SECTIONS: dict[str, Callable[[Any], str]] = {"dns_map": _dns_map_section, "load": _load_section}
"""Artifact name -> HTML section renderer (``"dns_map"``, ``"load"``...). Register with
``ARTIFACT_SECTIONS["name"] = fn``; ``fn`` receives ``run.artifacts["name"]`` and returns escaped HTML."""

_CSS = """
:root{--fail:#b91c1c;--unv:#7c3aed;--warn:#b45309;--pass:#047857;--line:#e5e7eb;--muted:#6b7280}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#111827}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:1.6em;margin:0 0 .2em}h2{margin-top:1.6em}
.verdict{font-size:1.2em;font-weight:700;padding:10px 14px;border-radius:6px;background:#f3f4f6}
.verdict.blocked{color:#fff;background:var(--fail)}.verdict.ok{color:#fff;background:var(--pass)}
.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}
td.num,th.num{text-align:right}code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
pre{background:#f9fafb;border:1px solid var(--line);padding:8px;overflow-x:auto;white-space:pre}
.risk{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:6px;padding:10px 14px;
margin:12px 0}
.risk.fail{border-left-color:var(--fail)}.risk.unverifiable{border-left-color:var(--unv)}
.risk.warn{border-left-color:var(--warn)}.risk h3{margin:0 0 .3em;font-size:1.05em}
.badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:.8em;font-weight:700;color:#fff}
.badge.fail{background:var(--fail)}.badge.unverifiable{background:var(--unv)}.badge.warn{background:var(--warn)}
.badge.pass{background:var(--pass)}.badge.sev{background:#374151}.evidence{overflow-wrap:anywhere}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600}
""".strip()


def e(value: object) -> str:
    return escape(str(value), quote=True)


def _badge(status: Status) -> str:
    return f'<span class="badge {status.value}">{e(status.value)}</span>'


def _fix_html(finding: Finding) -> str:
    fix = finding.fix
    parts = [f"<p><strong>Fix:</strong> {e(fix.summary)}</p>"]
    if fix.steps:
        parts.append("<ol>" + "".join(f"<li>{e(step)}</li>" for step in fix.steps) + "</ol>")
    for where, snippet in sorted(fix.snippets.items()):
        parts.append(f'<p class="muted">{e(where)}</p><pre>{e(snippet)}</pre>')
    if fix.references:
        parts.append("<ul>" + "".join(f"<li>{e(ref)}</li>" for ref in fix.references) + "</ul>")
    return "".join(parts)


def _details_table(finding: Finding) -> str:
    rows = detail_rows(finding.details)
    if not rows:
        return ""
    body = "".join(f"<tr><th>{e(k)}</th><td><code>{e(v)}</code></td></tr>" for k, v in rows)
    return f"<details><summary>Details</summary><table>{body}</table></details>"


def _risk_card(rank: int, finding: Finding) -> str:
    evidence = (
        f"could not verify: {finding.reason}" if finding.status is Status.UNVERIFIABLE else finding.evidence
    )
    return (
        f'<article class="risk {finding.status.value}">'
        f'<h3>#{rank} {_badge(finding.status)} <span class="badge sev">{e(finding.severity.value)}</span> '
        f"{e(finding.title)}</h3>"
        f"<p><code>{e(finding.rule_id)}</code> on <code>{e(finding.target)}</code> "
        f'<span class="muted">· stage {e(finding.stage.value)} · risk score {finding.risk_score}</span></p>'
        f'<p class="evidence">{e(evidence)}</p>'
        f"{_fix_html(finding)}{_details_table(finding)}</article>"
    )


def _header(report: Report) -> str:
    run = report.run
    c = report.counts
    tone = "blocked" if report.plan.must_do_now else "ok" if not c[Status.FAIL] else ""
    return (
        f'<header><h1>launchready report: {e(run.product)} <span class="muted">({e(run.domain)})</span></h1>'
        f'<p class="verdict {tone}">{e(report.verdict)}</p>'
        f"<p>{c[Status.FAIL]} fail · {c[Status.UNVERIFIABLE]} unverifiable · {c[Status.WARN]} warn · "
        f"{c[Status.PASS]} pass</p>"
        f'<p class="muted">Run {e(run.started_at.isoformat())} → {e(run.finished_at.isoformat())} '
        f"({report.duration_s:.1f}s, deadline {run.deadline_s:g}s) · launchready {e(run.tool_version)}</p>"
        "</header>"
    )


def _top_risks(report: Report) -> str:
    if not report.risks:
        return '<section id="top-risks"><h2>Top risks</h2><p>No risk found.</p></section>'
    cards = "".join(_risk_card(r.rank, r.finding) for r in report.risks[:TOP_RISKS])
    rest = report.risks[TOP_RISKS:]
    more = ""
    if rest:
        more = (
            f"<details><summary>{len(rest)} more risks</summary>"
            + "".join(_risk_card(r.rank, r.finding) for r in rest)
            + "</details>"
        )
    return f'<section id="top-risks"><h2>Top risks</h2>{cards}{more}</section>'


def _readiness(report: Report) -> str:
    head = (
        "<tr><th>Stage</th><th class=num>Score</th><th class=num>Fail</th><th class=num>Unverifiable</th>"
        "<th class=num>Warn</th><th class=num>Pass</th><th class=num>Blockers</th></tr>"
    )
    rows = []
    for s in report.stages:
        score = "not assessed" if s.score is None else f"{s.score}/100"
        c = s.counts
        rows.append(
            f"<tr><td>{e(s.stage.value)}</td><td class=num>{score}</td><td class=num>{c[Status.FAIL]}</td>"
            f"<td class=num>{c[Status.UNVERIFIABLE]}</td><td class=num>{c[Status.WARN]}</td>"
            f"<td class=num>{c[Status.PASS]}</td><td class=num>{s.blockers}</td></tr>"
        )
    rows.append(f"<tr><th>Overall</th><th class=num>{report.overall}/100</th><td colspan=5></td></tr>")
    return (
        f'<section id="readiness"><h2>Readiness by stage</h2><table>{head}{"".join(rows)}</table></section>'
    )


def _group_item(group: FixGroup) -> str:
    targets = ", ".join(f"<code>{e(t)}</code>" for t in group.targets)
    return (
        f"<li><strong>{e(group.fix.summary)}</strong> — {e(group.title)} "
        f'<span class="muted">({e(group.severity.value)}, {e(group.status.value)})</span> on {targets}</li>'
    )


def _plan(report: Report) -> str:
    def block(title: str, groups: tuple[FixGroup, ...]) -> str:
        items = "".join(_group_item(g) for g in groups) or "<li>Nothing.</li>"
        return f"<h3>{e(title)} ({len(groups)})</h3><ul>{items}</ul>"

    return (
        '<section id="fix-plan"><h2>Fix plan</h2>'
        + block("Must do now", report.plan.must_do_now)
        + block("Can wait", report.plan.can_wait)
        + "</section>"
    )


def _all_findings(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{_badge(f.status)}</td><td>{e(f.severity.value)}</td><td>{e(f.stage.value)}</td>"
        f"<td><code>{e(f.rule_id)}</code></td><td><code>{e(f.target)}</code></td>"
        f'<td class="evidence">{e(f.evidence)}</td></tr>'
        for f in report.findings
    )
    return (
        f'<section id="all-findings"><h2>All findings</h2><details><summary>{len(report.findings)} findings, '
        "passes included</summary><table><tr><th>Status</th><th>Severity</th><th>Stage</th><th>Rule</th>"
        f"<th>Target</th><th>Evidence</th></tr>{rows}</table></details></section>"
    )


def _attempts(report: Report) -> str:
    incomplete = report.incomplete_attempts
    if not incomplete:
        return ""
    items = "".join(
        f"<li><code>{e(a.check)}</code>: {e(a.outcome.value)} — {e(a.reason or 'no reason given')}</li>"
        for a in incomplete
    )
    title = "Checks that did not complete (the audit is partial)"
    return f'<section id="attempts"><h2>{title}</h2><ul>{items}</ul></section>'


def generic_artifact_section(name: str, data: Any) -> str:
    """A readable fallback: a key/value table for a flat mapping, masked JSON otherwise."""
    if isinstance(data, dict) and data and all(not isinstance(v, dict | list) for v in data.values()):
        rows = detail_rows({str(k): v for k, v in data.items()})
        body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
        content = f"<table>{body}</table>"
    else:
        content = f"<pre>{e(pretty_json(data))}</pre>"
    return (
        f'<section class="artifact"><h3>{e(name)}</h3>'
        f"<details><summary>Show {e(name)}</summary>{content}</details></section>"
    )


def _artifact_section(name: str, data: Any) -> str:
    """The registered renderer's section, or the generic view when none is registered or the data does
    not have the shape it expects (an older saved run, say): the artifact is still shown, never dropped."""
    hook = ARTIFACT_SECTIONS.get(name)
    if hook is None:
        return generic_artifact_section(name, data)
    try:
        return hook(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return generic_artifact_section(name, data)


def _artifacts(report: Report) -> str:
    artifacts = report.run.artifacts
    if not artifacts:
        return ""
    sections = []
    for name in sorted(artifacts):
        sections.append(_artifact_section(name, artifacts[name]))
    return f'<section id="artifacts"><h2>Artifacts</h2>{"".join(sections)}</section>'


def render(report: Report) -> str:
    body = "".join(
        [
            _header(report),
            _top_risks(report),
            _readiness(report),
            _plan(report),
            _attempts(report),
            _all_findings(report),
            _artifacts(report),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>launchready report: {e(report.run.product)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
