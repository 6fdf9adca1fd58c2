"""A product folder for handover tests: a config with owners, monitor and deploy settings, and the saved
reports ``launchready handover`` reads from ``.launchready/`` — an audit with a DNS map (Cloudflare NS,
Google mail, a Vercel CNAME), email results, two leaked keys (one from a provider without rotation steps on
file), a fix plan; a monitor run; a load run with a bottleneck; and a recent drill."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from launchready.deploy.history import DrillRecord, PhaseRecord, append_record
from launchready.engine.runner import AuditRun
from launchready.findings import Finding
from launchready.report import ReportFormat, render
from launchready.rules import rule

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DOMAIN = "chatbot.example"

CONFIG = """\
[product]
name = "Chatbot Example"
domain = "chatbot.example"

[[routes]]
name = "health"
path = "/health"
host = "api"

[[routes]]
name = "chat"
role = "chat"
method = "POST"
path = "/v1/chat"
host = "api"

[deploy]
command = "fly deploy --image registry.fly.io/bot:{{version}}"
rollback_command = "fly releases rollback"

[monitor]
alert_urls = ["slack://T000/B000/XXXXSECRETTOKEN", "mailto://alerts:hunter2@mail.chatbot.example"]

[[owners]]
name = "Ada"
role = "Founder"
email = "ada@chatbot.example"
backup = "Grace"
systems = ["registrar", "dns", "edge", "hosting", "email", "repo", "monitor", "llm"]

[[owners]]
name = "Grace"
role = "Contractor"
email = "grace@chatbot.example"
systems = ["dns", "hosting", "repo", "monitor", "llm"]
"""

DNS_MAP = {
    "domain": DOMAIN,
    "records": [
        {"name": DOMAIN, "rdtype": "NS", "value": "kim.ns.cloudflare.com.", "ttl": 86400, "note": "authoritative nameserver"},
        {"name": DOMAIN, "rdtype": "NS", "value": "lou.ns.cloudflare.com.", "ttl": 86400, "note": "authoritative nameserver"},
        {"name": DOMAIN, "rdtype": "SOA", "value": "kim.ns.cloudflare.com. dns.cloudflare.com. 2 10000 2400 604800 1800", "ttl": 1800, "note": "zone authority"},
        {"name": DOMAIN, "rdtype": "MX", "value": "1 smtp.google.com.", "ttl": 300, "note": "inbound mail"},
        {"name": DOMAIN, "rdtype": "TXT", "value": '"v=spf1 include:_spf.google.com ~all"', "ttl": 300, "note": "SPF"},
        {"name": f"app.{DOMAIN}", "rdtype": "CNAME", "value": "cname.vercel-dns.com.", "ttl": 300, "note": "app: alias"},
    ],
    "missing": [], "errors": [], "names": [DOMAIN, f"app.{DOMAIN}"],
}  # fmt: skip
EMAIL = {
    "domains": {
        DOMAIN: {
            "role": "sending",
            "spf": {"records": ["v=spf1 include:_spf.google.com ~all"], "all": "~", "lookups": 4},
            "dmarc": {"found_at": DOMAIN, "record": "v=DMARC1; p=quarantine; rua=mailto:dmarc@chatbot.example", "p": "quarantine"},
            "dkim": {"google": {"bits": 2048, "revoked": False, "type": "rsa"}},
        }
    }
}  # fmt: skip
LOAD = {
    "engine": "native", "model": "open", "achieved_rate": 20.0,
    "routes": [
        {"route": "health", "is_chat": False, "requests": 400, "errors": 0, "error_rate": 0.0, "latency": {"p95_ms": 40.0}},
        {"route": "chat", "is_chat": True, "requests": 200, "errors": 10, "error_rate": 0.05, "latency": {"p95_ms": 8000.0},
         "chat": {"ttft": {"p95_ms": 2500.0}}},
    ],
}  # fmt: skip


def _leak(provider: str, detector: str, target: str, fingerprint: str) -> Finding:
    details = {"provider": provider, "detector": detector, "prefix": "sk-proj-", "last4": "AbCd"}
    return rule("secrets.source.exposed").failed(
        target, f"{provider} key sk-proj-…AbCd in the source", details=details, group=f"secret:{fingerprint}"
    )


def audit_run() -> AuditRun:
    findings = (
        _leak("OpenAI", "secrets.openai.project-key", "app/settings.py:3", "fp2:aaa"),
        _leak("Pinecone", "secrets.pinecone.api-key", "app/vector.py:9", "fp2:bbb"),
        rule("http.https-redirect.missing").failed(f"app.{DOMAIN}", "HTTP answers 200 without redirect"),
        rule("dns.caa.missing").warned(DOMAIN, "no CAA record"),
        rule("perf.ratelimit.chat-missing").passed(
            DOMAIN, "429 after 20 chats in 10 s", exercised={"requests": 25}
        ),
    )
    return AuditRun(
        product="Chatbot Example", domain=DOMAIN, started_at=NOW - timedelta(hours=2),
        finished_at=NOW - timedelta(hours=2), deadline_s=60, findings=findings, attempts=(),
        artifacts={"dns_map": DNS_MAP, "edges": {DOMAIN: "Cloudflare", f"app.{DOMAIN}": "Vercel"}, "email": EMAIL},
    )  # fmt: skip


def monitor_run() -> AuditRun:
    up = rule("monitor.route.down").passed(
        f"https://api.{DOMAIN}/health", "200 in 40 ms", exercised={"requests": 1}
    )
    return AuditRun(product="Chatbot Example", domain=DOMAIN, started_at=NOW - timedelta(hours=1),
                    finished_at=NOW - timedelta(hours=1), deadline_s=60, findings=(up,), attempts=())  # fmt: skip


def drill(age_days: int = 3, ok: bool = True) -> DrillRecord:
    phases = tuple(
        PhaseRecord(name=name, ok=True, duration_s=seconds, deadline_s=300)
        for name, seconds in (("baseline", 0.5), ("deploy", 62.0), ("wait-new", 20.0), ("rollback", 95.0), ("wait-previous", 25.0))
    )  # fmt: skip
    return DrillRecord(
        started_at=NOW - timedelta(days=age_days), ok=ok, previous_version="1.4.0", new_version="1.5.0",
        rollback_s=120.0, total_s=202.5, deadline_s=600, phases=phases, failure=None if ok else "rollback: exit status 1",
    )  # fmt: skip


def product(root: Path, *, config: str = CONFIG, reports: bool = True, drilled: bool = True) -> Path:
    """Write the product folder; returns the config path."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "launchready.toml"
    path.write_text(config, encoding="utf-8")
    saved = root / ".launchready"
    saved.mkdir(exist_ok=True)
    if reports:
        (saved / "audit.json").write_text(render(audit_run(), ReportFormat.JSON), encoding="utf-8")
        (saved / "monitor.json").write_text(render(monitor_run(), ReportFormat.JSON), encoding="utf-8")
        (saved / "load.json").write_text(json.dumps(LOAD), encoding="utf-8")
    if drilled:
        append_record(saved / "drills.jsonl", drill())
    return path
