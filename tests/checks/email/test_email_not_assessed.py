"""Nothing of the email stage silently vanishes: a rule with nothing to judge is ``not_assessed`` with a reason
that says what would let it be assessed, and a pass always carries what was read.

Negative tests: before, a domain with ``[email] sends_mail = false`` returned no SPF, DKIM, DMARC, MX or
MTA-STS finding at all (the rules vanished from the report), and a missing SPF record dropped the five
rules that judge its content.
"""

from __future__ import annotations

from collections.abc import Callable

from launchready.checks.email import EMAIL_CHECKS
from launchready.config import LaunchConfig
from launchready.config.model import EmailConfig, ProductConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.engine.runner import MISSING_VERDICT
from launchready.findings import Status
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt
from launchready.lab.zone_email import dkim_public_key
from launchready.net import Limits

DOMAIN = "quiet.test"
GOOD = [
    ZoneRecord(DOMAIN, "TXT", txt("v=spf1 ip4:127.0.0.0/8 -all")),
    ZoneRecord(DOMAIN, "MX", f"10 mx.{DOMAIN}."),
    ZoneRecord(f"mx.{DOMAIN}", "A", "127.0.0.25"),
    ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt(f"v=DMARC1; p=reject; rua=mailto:d@{DOMAIN}")),
    ZoneRecord(f"s1._domainkey.{DOMAIN}", "TXT", txt(f"v=DKIM1; p={dkim_public_key(2048)}")),
    ZoneRecord(f"_smtp._tls.{DOMAIN}", "TXT", txt(f"v=TLSRPTv1; rua=mailto:tls@{DOMAIN}")),
]
ALL_RULES = {spec.rule_id for check in EMAIL_CHECKS for spec in check.rules}


async def _audit(server: DnsServer, **email: object) -> AuditRun:
    config = LaunchConfig(product=ProductConfig(name="Q", domain=DOMAIN), email=EmailConfig(**email))  # type: ignore[arg-type]
    options = RunOptions(nameserver=server.address, limits=Limits(dns_timeout=1.0), deadline_s=30)
    return await run_audit(config, [check() for check in EMAIL_CHECKS], options)


def _by_rule(run: AuditRun) -> dict[str, set[Status]]:
    out: dict[str, set[Status]] = {}
    for finding in run.findings:
        out.setdefault(finding.rule_id, set()).add(finding.status)
    return out


def _no_runner_fill(run: AuditRun) -> None:
    filled = [f"{f.rule_id} {f.target}" for f in run.findings if MISSING_VERDICT in (f.reason or "")]
    assert filled == [], "a check relied on the runner to fill a rule it had nothing to say about"


async def test_a_domain_that_sends_no_mail_lists_every_sending_rule_as_not_assessed(
    zone_server: Callable[..., DnsServer],
) -> None:
    records = [ZoneRecord(DOMAIN, "MX", "0 ."), ZoneRecord(DOMAIN, "TXT", txt("v=spf1 -all"))]
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=records)), sends_mail=False)
    _no_runner_fill(run)
    statuses = _by_rule(run)
    assert set(statuses) == ALL_RULES
    assert statuses["email.nomail.unprotected"] == {Status.PASS}
    for rule_id in (
        "email.spf.missing",
        "email.dmarc.policy-none",
        "email.dkim.weak-key",
        "email.mx.missing",
    ):
        assert statuses[rule_id] == {Status.NOT_ASSESSED}, rule_id
    spf = next(f for f in run.findings if f.rule_id == "email.spf.all-qualifier")
    assert "sends_mail = true" in (spf.reason or "")


async def test_missing_records_leave_their_content_rules_not_assessed(
    zone_server: Callable[..., DnsServer],
) -> None:
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=[ZoneRecord(DOMAIN, "A", "127.0.0.9")])))
    _no_runner_fill(run)
    statuses = _by_rule(run)
    assert set(statuses) == ALL_RULES
    assert statuses["email.spf.missing"] == {Status.FAIL}
    for rule_id in ("email.spf.lookup-limit", "email.spf.all-qualifier", "email.spf.ptr"):
        assert statuses[rule_id] == {Status.NOT_ASSESSED}, rule_id
    assert statuses["email.dmarc.syntax"] == {Status.NOT_ASSESSED}
    assert statuses["email.nomail.unprotected"] == {Status.NOT_ASSESSED}
    ptr = next(f for f in run.findings if f.rule_id == "email.spf.ptr")
    assert "publish one" in (ptr.reason or "")


async def test_every_pass_records_what_it_read(zone_server: Callable[..., DnsServer]) -> None:
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=list(GOOD))), dkim_selectors=("s1",))
    _no_runner_fill(run)
    passes = [f for f in run.findings if f.status is Status.PASS]
    assert {f.rule_id for f in passes} >= {
        "email.spf.lookup-limit",
        "email.dkim.weak-key",
        "email.mx.missing",
    }
    assert all(any(n > 0 for n in f.exercised.values()) for f in passes)
    lookups = next(f for f in passes if f.rule_id == "email.spf.lookup-limit")
    assert lookups.exercised["records_evaluated"] == 1
