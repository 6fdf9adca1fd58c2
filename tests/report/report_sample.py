"""A fixed, hand-built ``AuditRun`` for the report tests: every status, severity and stage, snippets,
grouped fixes, an internal-error attempt and artifacts, with fixed timestamps so goldens are stable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from launchready.engine.runner import INTERNAL_ERROR, AttemptOutcome, AuditRun, CheckAttempt
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage

STARTED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> | `tick` [bold]markup[/bold]'


def rule(
    rule_id: str,
    stage: Stage,
    severity: Severity,
    impact: tuple[int, int, int] = (1, 1, 1),
    fix: Fix | None = None,
) -> RuleSpec:
    return RuleSpec(
        rule_id=rule_id,
        title=rule_id.replace(".", " ").capitalize(),
        stage=stage,
        severity=severity,
        description=f"Checks {rule_id}.",
        impact=Impact(launch_delay=impact[0], support_load=impact[1], customer_trust=impact[2]),
        fix=fix or Fix(summary=f"Fix {rule_id}."),
    )


HSTS_FIX = Fix(
    summary="Add a Strict-Transport-Security header with max-age of at least one year.",
    steps=("Add the header on every HTTPS response.", "Check it with curl -I."),
    snippets={
        "nginx": 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
        "caddy": 'header Strict-Transport-Security "max-age=31536000; includeSubDomains"',
    },
    references=("https://www.rfc-editor.org/rfc/rfc6797#section-6.1",),
)
CERT_EXPIRED = rule(
    "tls.cert.expired",
    Stage.SECURE_DELIVERY,
    Severity.CRITICAL,
    (3, 3, 3),
    Fix(summary="Renew the certificate.", steps=("Run certbot renew.",), snippets={"shell": "certbot renew"}),
)
HSTS = rule("headers.hsts.missing", Stage.SECURE_DELIVERY, Severity.HIGH, (1, 1, 2), HSTS_FIX)
CSP = rule("headers.csp.weak", Stage.SECURE_DELIVERY, Severity.MEDIUM)
BANNER = rule("headers.banner.leak", Stage.SECURE_DELIVERY, Severity.LOW, (0, 0, 1))
WWW = rule("dns.www.inconsistent", Stage.DNS_EDGE, Severity.MEDIUM, (1, 2, 1))
SECRET = rule("secrets.source.found", Stage.AUDIT, Severity.CRITICAL, (3, 1, 3))
TTFT = rule("perf.ttft.slow", Stage.PERFORMANCE, Severity.HIGH, (2, 2, 2))
ROLLBACK = rule("deploy.rollback.missing", Stage.DEPLOY, Severity.LOW, (1, 0, 0))
UPTIME = rule("monitoring.uptime.none", Stage.MONITORING, Severity.INFO, (0, 1, 0))
RUNBOOK = rule("handover.runbook.present", Stage.HANDOVER, Severity.MEDIUM, (0, 2, 0))


def sample_findings() -> tuple[Finding, ...]:
    return (
        CSP.passed("app.chatbot.test", "Content-Security-Policy: default-src 'self'"),
        HSTS.failed("app.chatbot.test", "GET https://app.chatbot.test/ has no Strict-Transport-Security"),
        BANNER.warned("api.chatbot.test", f"Server: {HOSTILE}"),
        CERT_EXPIRED.failed("api.chatbot.test", "certificate expired on 2025-12-01 (32 days ago)"),
        HSTS.failed("api.chatbot.test", "GET https://api.chatbot.test/ has no Strict-Transport-Security"),
        WWW.warned("www.chatbot.test", "www.chatbot.test resolves to 127.0.0.9, chatbot.test to 127.0.0.8"),
        SECRET.failed(
            "src/app/settings.py:12",
            "Stripe live key sk_live_…abcd at src/app/settings.py:12",
            details={
                "fingerprint": "fp:0123456789abcdef",
                "api_token": "RAW-TOKEN-VALUE-MUST-NOT-SHOW",
                "nested": {"client_secret": "RAW-NESTED-SECRET", "line": 12},
            },
        ),
        TTFT.unverifiable("https://chatbot.test/api/chat", "the chat route answered 403 (bot protection)"),
        ROLLBACK.failed("chatbot.test", "no previous release kept to roll back to"),
        UPTIME.warned("chatbot.test", "no uptime monitor configured"),
        RUNBOOK.passed("repo", "RUNBOOK.md present with on-call section"),
        INTERNAL_ERROR.unverifiable("perf.probe", "internal error in check perf.probe: KeyError: 'route'"),
    )


def sample_run() -> AuditRun:
    return AuditRun(
        tool_version="0.1.0-test",
        product="Chatbot Test",
        domain="chatbot.test",
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=12.5),
        deadline_s=60.0,
        findings=sample_findings(),
        attempts=(
            CheckAttempt(check="tls.certificate", outcome=AttemptOutcome.COMPLETED, duration_s=0.25),
            CheckAttempt(
                check="perf.probe",
                outcome=AttemptOutcome.ERROR,
                duration_s=0.5,
                reason="internal error in check perf.probe: KeyError: 'route'",
                traceback='Traceback (most recent call last):\n  File "probe.py", line 1\nKeyError: route',
            ),
            CheckAttempt(
                check="dns.zone",
                outcome=AttemptOutcome.TIMED_OUT,
                duration_s=10.0,
                reason="the check did not finish within its 10s time limit",
            ),
        ),
        artifacts={
            "dns_map": {
                "domain": "chatbot.test",
                "records": [
                    {"name": "chatbot.test", "rdtype": "A", "value": "127.0.0.8", "ttl": 300, "note": "apex"},
                    {"name": "www.chatbot.test", "rdtype": "A", "value": HOSTILE, "ttl": 300, "note": "www"},
                ],
                "missing": [],
                "errors": [],
            },
            "inventory": {"hosts": 3, "api_token": "RAW-ARTIFACT-TOKEN"},
        },
    )
