"""A fixed, hand-built ``AuditRun`` for the report tests: every status, severity and root stage, snippets
with placeholders, a root cause that blocked three checks, one secret seen in four places (a group), the
same fix on two hosts, not-assessed rules, an internal-error attempt and artifacts, with fixed timestamps so
goldens are stable. Rules are built here with ids no rule file declares, so the rule files' wording
(``why``, ``verify``) cannot move the goldens; tests of what the report reads from the rule files use
real rule ids on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from launchready.engine.runner import AttemptOutcome, AuditRun, CheckAttempt
from launchready.findings import Finding, Fix, Impact, RuleSpec, Severity, Stage

STARTED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> | `tick` [bold]markup[/bold]'
SEEN = {"responses_read": 1}


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
    steps=("Add the header on every HTTPS response of {{host}}.", "Check it with curl -I https://{{host}}/."),
    snippets={
        "nginx": 'server_name {{host}};\nadd_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
        "caddy": '{{host}} {\n  header Strict-Transport-Security "max-age=31536000; includeSubDomains"\n}',
    },
    references=("https://www.rfc-editor.org/rfc/rfc6797#section-6.1",),
)
ROTATE = Fix(summary="Rotate the key at the provider, then remove it from the code and the history.")
CERT_EXPIRED = rule(
    "tls.cert.lapsed",
    Stage.SECURE_DELIVERY,
    Severity.CRITICAL,
    (3, 3, 3),
    Fix(summary="Renew the certificate.", steps=("Run certbot renew.",), snippets={"shell": "certbot renew"}),
)
HSTS = rule("headers.hsts.absent", Stage.SECURE_DELIVERY, Severity.HIGH, (1, 1, 2), HSTS_FIX)
CSP = rule("headers.csp.loose", Stage.SECURE_DELIVERY, Severity.MEDIUM)
BANNER = rule("headers.banner.leak", Stage.SECURE_DELIVERY, Severity.LOW, (0, 0, 1))
CHAIN = rule("tls.chain.partial", Stage.SECURE_DELIVERY, Severity.HIGH, (1, 2, 2))
WWW = rule("dns.www.inconsistent", Stage.DNS_EDGE, Severity.MEDIUM, (1, 2, 1))
GONE = rule(
    "dns.sample.unresolved",
    Stage.DNS_EDGE,
    Severity.HIGH,
    (3, 1, 1),
    Fix(summary="Publish an A/AAAA record for {{host}} or stop linking to it."),
)
SECRET = rule("secrets.source.found", Stage.AUDIT, Severity.CRITICAL, (3, 1, 3), ROTATE)
HISTORY = rule("secrets.history.leaked", Stage.AUDIT, Severity.CRITICAL, (3, 1, 3), ROTATE)
BUNDLE = rule("secrets.bundle.leaked", Stage.AUDIT, Severity.CRITICAL, (3, 2, 3), ROTATE)
ENVFILE = rule("secrets.envfile.leaked", Stage.AUDIT, Severity.HIGH, (2, 1, 3), ROTATE)
ENVSEP = rule("secrets.env.shared", Stage.AUDIT, Severity.HIGH, (1, 1, 2))
LOGS = rule("secrets.logs.leak", Stage.AUDIT, Severity.HIGH, (1, 1, 2))
DBPOOL = rule("db.pool.exhausted", Stage.PERFORMANCE, Severity.MEDIUM, (1, 1, 0))
TTFT = rule("perf.ttft.slow", Stage.PERFORMANCE, Severity.HIGH, (2, 2, 2))
CRASHED = rule(
    "engine.sample.crash",
    Stage.AUDIT,
    Severity.HIGH,
    (1, 0, 0),
    Fix(summary="Re-run with --debug and report the traceback to the launchready issue tracker."),
)
GROUP = "secret:fp-0123456789abcdef"
STAGING = "staging.chatbot.test"
GONE_KEY = f"{GONE.rule_id}@{STAGING}"


def sample_findings() -> tuple[Finding, ...]:
    return (
        CSP.passed("app.chatbot.test", "Content-Security-Policy: default-src 'self'", exercised=SEEN),
        HSTS.failed("app.chatbot.test", "GET https://app.chatbot.test/ has no Strict-Transport-Security"),
        BANNER.warned("api.chatbot.test", f"Server: {HOSTILE}"),
        CERT_EXPIRED.failed("api.chatbot.test", "certificate expired on 2025-12-01 (32 days ago)"),
        HSTS.failed("api.chatbot.test", "GET https://api.chatbot.test/ has no Strict-Transport-Security"),
        CHAIN.passed("app.chatbot.test", "chain of 3 certificates, complete", exercised={"handshakes": 1}),
        WWW.warned("www.chatbot.test", "www.chatbot.test resolves to 127.0.0.9, chatbot.test to 127.0.0.8"),
        GONE.failed(STAGING, f"{STAGING} has no A or AAAA record (NXDOMAIN)"),
        CHAIN.unverifiable(STAGING, "no address to connect to", blocked_by=GONE_KEY),
        HSTS.unverifiable(STAGING, "no address to connect to", blocked_by=GONE_KEY),
        CERT_EXPIRED.unverifiable(STAGING, "no address to connect to", blocked_by=GONE_KEY),
        SECRET.failed(
            "src/app/settings.py:12",
            "Stripe live key sk_live_…abcd at src/app/settings.py:12",
            group=GROUP,
            details={
                "fingerprint": "fp:0123456789abcdef",
                "api_token": "RAW-TOKEN-VALUE-MUST-NOT-SHOW",
                "nested": {"client_secret": "RAW-NESTED-SECRET", "line": 12},
            },
        ),
        HISTORY.failed("git:3f2a9c1 src/app/old_settings.py", "the same key in commit 3f2a9c1", group=GROUP),
        BUNDLE.failed("dist/assets/index-4f2a.js", "the same key in the browser bundle", group=GROUP),
        ENVFILE.warned(".env.production", "the same key in a committed env file", group=GROUP),
        ENVSEP.not_assessed("chatbot.test", "add [environments] to check env separation"),
        LOGS.not_assessed("chatbot.test", "add [logs] paths to scan the logs for secrets"),
        DBPOOL.not_assessed("chatbot.test", "add [environments] to check env separation"),
        TTFT.unverifiable("https://chatbot.test/api/chat", "the chat route answered 403 (bot protection)"),
        CRASHED.unverifiable("perf.probe", "internal error in check perf.probe: KeyError: 'route'"),
    )


def sample_run(findings: tuple[Finding, ...] | None = None) -> AuditRun:
    return AuditRun(
        tool_version="0.1.0-test",
        product="Chatbot Test",
        domain="chatbot.test",
        started_at=STARTED,
        finished_at=STARTED + timedelta(seconds=12.5),
        deadline_s=60.0,
        findings=sample_findings() if findings is None else findings,
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
                    {
                        "name": "www.chatbot.test",
                        "rdtype": "A",
                        "value": "127.0.0.9",
                        "ttl": 300,
                        "note": "www",
                    },
                    {"name": "chatbot.test", "rdtype": "TXT", "value": HOSTILE, "ttl": 300, "note": "txt"},
                ],
                "missing": [],
                "errors": [],
            },
            "inventory": {"hosts": 3, "api_token": "RAW-ARTIFACT-TOKEN"},
        },
    )


DKIM = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 9 + "IDAQAB"
LONG_URL = (
    "https://app.chatbot.test/"
    + "/".join(f"segment-{i}-with-a-long-name" for i in range(12))
    + "?q="
    + "x" * 120
)
TOKEN = "sk_live_" + "A1b2C3d4" * 20


def big_run(n_hosts: int = 14) -> AuditRun:
    """A realistic, large run with long values: a DKIM key, long URLs and tokens in evidence, details and the
    DNS map; many hosts with the same fix; a root cause that blocked a dozen checks; not-assessed rules."""
    findings = list(sample_findings())
    for i in range(n_hosts):
        host = f"tenant-{i:02d}-with-a-rather-long-subdomain-name.chatbot.test"
        findings.append(HSTS.failed(host, f"GET {LONG_URL} has no Strict-Transport-Security"))
        findings.append(BANNER.warned(host, f"Server: nginx/1.25.{i} ({TOKEN[:40]}…)"))
        findings.append(
            CSP.warned(host, f"Content-Security-Policy: {DKIM}", details={"policy": DKIM, "url": LONG_URL})
        )
        findings.append(
            CERT_EXPIRED.unverifiable(f"gone-{i}.{STAGING}", "no address to connect to", blocked_by=GONE_KEY)
        )
    findings.append(WWW.warned(LONG_URL, f"TXT default._domainkey.chatbot.test: {DKIM}"))
    for i in range(8):
        findings.append(
            rule(f"perf.sample.rule{i}", Stage.PERFORMANCE, Severity.HIGH, (2, 1, 1)).failed(
                f"https://chatbot.test/api/v{i}/chat", f"p95 first token {12 + i}s; {TOKEN[:24]}…"
            )
        )
        findings.append(
            rule(f"secrets.sample.reason{i}", Stage.AUDIT, Severity.MEDIUM).not_assessed(
                "chatbot.test",
                f"add [secrets.extra{i}] with a very long explanation of what to configure " * 2,
            )
        )
    run = sample_run(tuple(findings))
    records = [
        {"name": f"tenant-{i:02d}-with-a-rather-long-subdomain-name.chatbot.test", "rdtype": "CNAME",
         "value": f"tenant-{i}.eu-west-1.elb.amazonaws.com.very-long-provider-name.example.net", "ttl": 300, "note": "tenant"}
        for i in range(n_hosts)
    ]  # fmt: skip
    records.append(
        {
            "name": "default._domainkey.chatbot.test",
            "rdtype": "TXT",
            "value": DKIM,
            "ttl": 300,
            "note": "dkim",
        }
    )
    artifacts = {**run.artifacts, "dns_map": {**run.artifacts["dns_map"], "records": records}}
    artifacts["inventory"] = {"hosts": n_hosts, "longest_url": LONG_URL, "token_hint": TOKEN}
    return run.model_copy(update={"artifacts": artifacts})
