"""Small hand-built audit runs, one per sprint: each pins a recommendation to a sample report.

Real rule ids from the rule files (the sprint rules select by rule id prefix), fixed timestamps, and every
pass with an honest ``exercised`` record. Each sample is turned into a saved JSON report and loaded back,
so the score is computed exactly as ``launchready score REPORT.json`` computes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from launchready.engine.runner import AuditRun
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage
from launchready.report import Report, ReportFormat, load_report, render
from launchready.rules import rule

STARTED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SEEN = {"responses_read": 1}
MONITOR = RuleSpec(
    rule_id="monitor.uptime.checked",
    title="A monitor watches the product",
    stage=Stage.MONITORING,
    severity=Severity.HIGH,
    description="A monitor checks the product every minute and alerts a person.",
    impact=Impact(launch_delay=1, support_load=2, customer_trust=2),
    fix=Fix(summary="Run launchready monitor."),
)


def basics() -> list[Finding]:
    """The minimum bar met: the core stages each pass something."""
    return [
        rule("dns.caa.missing").passed("chatbot.test", "CAA issue letsencrypt.org", exercised={"answers": 1}),
        rule("http.https-redirect.missing").passed("chatbot.test", "301 to https", exercised=SEEN),
        rule("perf.ratelimit.chat-missing").passed(
            "chatbot.test", "429 after 20", exercised={"requests": 25}
        ),
    ]


def gates() -> list[Finding]:
    """CI gates, a drill and a monitor, each shown to work."""
    return [
        rule("deploy.smoke.unwired").passed("repo", "smoke runs after deploy", exercised={"workflows": 1}),
        rule("deploy.build.unverified").passed("repo", "build is verified", exercised={"workflows": 1}),
        rule("deploy.rollback.drill").passed("repo", "drill 3 days ago: 2 m", exercised={"drills": 1}),
        MONITOR.passed("chatbot.test", "monitor checks 3 routes", exercised={"checks": 3}),
    ]


def saved(findings: list[Finding], artifacts: dict[str, Any] | None = None) -> Report:
    run = AuditRun(
        product="Chatbot Test",
        domain="chatbot.test",
        started_at=STARTED,
        finished_at=STARTED,
        deadline_s=60,
        findings=tuple(findings),
        attempts=(),
        artifacts=artifacts or {},
    )
    return load_report(render(run, ReportFormat.JSON))


def rescue_report() -> Report:
    leak = rule("secrets.source.exposed").failed(
        "app/settings.py:3", "OpenAI key sk-proj-…AbCd in the source"
    )
    return saved([*basics(), *gates(), leak])


def launch_report() -> Report:
    missing = rule("perf.ratelimit.login-missing").failed("chatbot.test", "40 logins, no 429")
    return saved([*basics(), *gates(), missing])


def automate_report() -> Report:
    no_drill = rule("deploy.rollback.drill").not_assessed("repo", "no drill on record")
    kept = [f for f in gates() if f.rule_id != "deploy.rollback.drill"]
    return saved([*basics(), *kept, no_drill])


LOAD = {
    "achieved_rate": 40.0,
    "routes": [
        {"route": "home", "is_chat": False, "error_rate": 0.0, "latency": {"p95_ms": 120.0}},
        {"route": "chat", "is_chat": True, "error_rate": 0.002, "latency": {"p95_ms": 9000.0},
         "chat": {"ttft": {"p95_ms": 4500.0}}},
    ],
}  # fmt: skip


def scale_report() -> Report:
    return saved([*basics(), *gates()], {"load": LOAD})
