"""SARIF 2.1.0 (OASIS) for GitHub code scanning and other SARIF viewers.

One run, one ``tool.driver`` rule per rule id with a result, and one result per problem finding (fail,
unverifiable, warn), so the result count equals the report summary's problem count. ``not_assessed``
findings are not results (nothing was judged). A finding folded under a root cause is still a result, with
the root's key in ``properties.blockedBy`` (and no rank of its own); grouped findings carry their
``properties.group`` and the rank of the one risk they make up. The run's ``properties.summary`` is the
report's one tally (the same numbers as the JSON summary and every headline). Levels follow the
spec's meaning (§3.27.10): ``error`` for a fail at critical/high, ``warning`` for a medium fail, any
warning at medium or above and every unverifiable finding (not checked is not a pass), ``note`` below.
``properties.security-severity`` carries GitHub's numeric severity so code scanning sorts alerts the way
launchready ranks them.

Locations: launchready targets are files, URLs or host names; see ``location`` for how each is mapped so
GitHub accepts the upload.
``partialFingerprints`` hash rule id + target, so an alert keeps its identity across runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any
from urllib.parse import urlsplit

from launchready.findings import Finding, Fix, Severity, Status
from launchready.report.model import Report
from launchready.report.ranking import is_must_do_now

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"

_RULE_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
_FILE_SUFFIXES = frozenset(
    {
        *("py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "json", "toml", "yaml", "yml", "env", "log", "txt"),
        *("md", "cfg", "ini", "conf", "sh", "map", "html", "css", "sql", "lock"),
    }
)
_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<column>\d+))?$")


def result_level(finding: Finding) -> str:
    if finding.status is Status.FAIL:
        return _RULE_LEVEL[finding.severity]
    if finding.status is Status.UNVERIFIABLE:
        return "warning"
    return "warning" if finding.severity.at_least(Severity.MEDIUM) else "note"


def _looks_like_file(target: str) -> bool:
    if "/" in target or "\\" in target or target.startswith("."):
        return True
    suffix = target.rsplit(".", 1)[-1].split(":", 1)[0].lower()
    return suffix in _FILE_SUFFIXES


def _as_repository_path(target: str) -> str:
    """``https://api.x:8443/chat?q=1`` -> ``api.x_8443/chat`` (GitHub wants repository paths)."""
    if "://" in target:
        parts = urlsplit(target)
        path = parts.path if parts.path not in ("", "/") else ""
        return parts.netloc.replace(":", "_") + path
    return target.replace(":", "_")


def location(target: str) -> dict[str, Any]:
    """The SARIF location of a launchready target (URL, file or host).

    Every location has ``physicalLocation.artifactLocation.uri`` (GitHub code scanning rejects a result
    without one, and rejects ``https:`` URIs): a file keeps its path (and line), a URL or host gets a
    repository-relative stand-in (``api.x_8443/chat``) and the real target as a ``logicalLocation``.
    """
    if "://" not in target and _looks_like_file(target):
        line = _LINE.match(target)
        if line:
            region = {"startLine": int(line["line"])}
            if line["column"]:
                region["startColumn"] = int(line["column"])  # two secrets on one minified line
            return {"physicalLocation": {"artifactLocation": {"uri": line["path"]}, "region": region}}
        return {"physicalLocation": {"artifactLocation": {"uri": target}}}
    return {
        "physicalLocation": {"artifactLocation": {"uri": _as_repository_path(target)}},
        "logicalLocations": [{"name": target, "fullyQualifiedName": target, "kind": "resource"}],
    }


def fingerprint(finding: Finding) -> str:
    return hashlib.sha256(f"{finding.rule_id}\0{finding.target}".encode()).hexdigest()[:32]


def _help(fix: Fix) -> dict[str, str]:
    text = [fix.summary, *(f"{i}. {step}" for i, step in enumerate(fix.steps, start=1))]
    markdown = [f"**Fix:** {fix.summary}", ""]
    markdown += [f"{i}. {step}" for i, step in enumerate(fix.steps, start=1)]
    for where, snippet in sorted(fix.snippets.items()):
        fence = "`" * max(3, _longest_backtick_run(snippet) + 1)
        markdown += ["", f"{where}:", "", fence, snippet.rstrip("\n"), fence]
    if fix.references:
        markdown += ["", *(f"- <{ref}>" for ref in fix.references)]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _longest_backtick_run(text: str) -> int:
    runs = re.findall(r"`+", text)
    return max((len(r) for r in runs), default=0)


def _problems(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.is_problem]


def _rules(report: Report) -> list[dict[str, Any]]:
    """One rule per rule id, described from its highest-ranked finding (the run carries no RuleSpec)."""
    seen: dict[str, Finding] = {}
    worst: dict[str, Severity] = {}
    for finding in _problems(report):
        seen.setdefault(finding.rule_id, finding)
        if finding.rule_id not in worst or finding.severity.weight > worst[finding.rule_id].weight:
            worst[finding.rule_id] = finding.severity
    rules = []
    for rule_id in sorted(seen):
        finding = seen[rule_id]
        severity = worst[rule_id]
        rule: dict[str, Any] = {
            "id": rule_id,
            "name": "".join(part.capitalize() for part in re.split(r"[._-]", rule_id)),
            "shortDescription": {"text": finding.title},
            "fullDescription": {"text": f"{finding.title}. Fix: {finding.fix.summary}"},
            "help": _help(finding.fix),
            "defaultConfiguration": {"level": _RULE_LEVEL[severity]},
            "properties": {
                "tags": ["launchready", "security", finding.stage.value],
                "security-severity": _SECURITY_SEVERITY[severity],
            },
        }
        if finding.fix.references:
            rule["helpUri"] = finding.fix.references[0]
        rules.append(rule)
    return rules


def _root_of(report: Report, finding: Finding) -> str | None:
    """The key of the root cause this finding is folded under (``None`` when it is ranked itself)."""
    return next((r.finding.key for r in report.root_causes if any(b is finding for b in r.blocked)), None)


def _message(finding: Finding) -> str:
    if finding.status is Status.UNVERIFIABLE:
        blocked = f"; blocked by {finding.blocked_by}" if finding.blocked_by else ""
        return f"{finding.title} on {finding.target}: could not verify ({finding.reason}{blocked})."
    return f"{finding.title} on {finding.target}: {finding.evidence}. Fix: {finding.fix.summary}"


def to_document(report: Report) -> dict[str, Any]:
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    ranks = {m.key: r.rank for r in report.risks for m in r.members}
    roots = {r.finding.key for r in report.root_causes}
    results = [
        {
            "ruleId": finding.rule_id,
            "ruleIndex": index[finding.rule_id],
            "level": result_level(finding),
            "message": {"text": _message(finding)},
            "locations": [location(finding.target)],
            "partialFingerprints": {"launchready/v1": fingerprint(finding)},
            "properties": {
                "target": finding.target,
                "status": finding.status.value,
                "severity": finding.severity.value,
                "stage": finding.stage.value,
                "rank": ranks.get(finding.key),
                "mustDoNow": is_must_do_now(finding) and finding.key in ranks,
                "rootCause": finding.key in roots,
                "blockedBy": _root_of(report, finding),
                "group": finding.group,
            },
        }
        for finding in _problems(report)
    ]
    run = report.run
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "launchready",
                        "version": run.tool_version,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.incomplete_attempts,
                        "startTimeUtc": run.started_at.isoformat(),
                        "endTimeUtc": run.finished_at.isoformat(),
                    }
                ],
                "automationDetails": {"id": f"launchready/{run.domain}/"},
                "properties": {"verdict": report.verdict, "summary": report.summary.as_dict()},
                "results": results,
            }
        ],
    }


def render(report: Report) -> str:
    return json.dumps(to_document(report), indent=2, ensure_ascii=False) + "\n"
