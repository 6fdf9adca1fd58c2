"""The email checks on small zones served by the lab DNS server: one planted problem per test."""

from __future__ import annotations

from collections.abc import Callable

from launchready.checks.email import EMAIL_CHECKS
from launchready.config import LaunchConfig
from launchready.config.model import EmailConfig, ProductConfig
from launchready.engine import AuditRun, RunOptions, run_audit
from launchready.findings import Status
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt
from launchready.lab.zone_email import dkim_public_key
from launchready.net import Limits

DOMAIN = "shop.test"
GOOD = [
    ZoneRecord(DOMAIN, "TXT", txt("v=spf1 ip4:127.0.0.0/8 -all")),
    ZoneRecord(DOMAIN, "MX", f"10 mx.{DOMAIN}."),
    ZoneRecord(f"mx.{DOMAIN}", "A", "127.0.0.25"),
    ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt(f"v=DMARC1; p=reject; rua=mailto:d@{DOMAIN}")),
    ZoneRecord(f"s1._domainkey.{DOMAIN}", "TXT", txt(f"v=DKIM1; p={dkim_public_key(2048)}")),
]


async def _audit(server: DnsServer, **email: object) -> AuditRun:
    config = LaunchConfig(product=ProductConfig(name="Shop", domain=DOMAIN), email=EmailConfig(**email))  # type: ignore[arg-type]
    options = RunOptions(nameserver=server.address, limits=Limits(dns_timeout=1.0), deadline_s=30)
    return await run_audit(config, [check() for check in EMAIL_CHECKS], options)


def _status(run: AuditRun, rule_id: str, target: str = DOMAIN) -> Status:
    matches = [f.status for f in run.findings if f.rule_id == rule_id and f.target == target]
    assert len(matches) == 1, f"{rule_id} on {target}: {matches}"
    return matches[0]


def _replace(records: list[ZoneRecord], name: str, rdtype: str, *new: ZoneRecord) -> list[ZoneRecord]:
    kept = [r for r in records if not (r.name == name and r.rdtype == rdtype)]
    return [*kept, *new]


async def test_good_zone_has_no_fail(zone_server: Callable[..., DnsServer]) -> None:
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=list(GOOD))))
    assert [f"{f.rule_id} {f.target} {f.evidence}" for f in run.findings if f.status is Status.FAIL] == []
    assert _status(run, "email.spf.all-qualifier") is Status.PASS
    assert _status(run, "email.dmarc.policy-none") is Status.PASS
    assert run.artifacts["email"]["domains"][DOMAIN]["dmarc"]["p"] == "reject"


async def test_spf_missing_multiple_and_syntax(zone_server: Callable[..., DnsServer]) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=_replace(GOOD, DOMAIN, "TXT")))
    assert _status(await _audit(server), "email.spf.missing") is Status.FAIL
    server.zone = Zone(origins=(DOMAIN,), records=[*GOOD, ZoneRecord(DOMAIN, "TXT", txt("v=spf1 -all"))])
    assert _status(await _audit(server), "email.spf.multiple") is Status.FAIL
    server.zone = Zone(
        origins=(DOMAIN,),
        records=_replace(GOOD, DOMAIN, "TXT", ZoneRecord(DOMAIN, "TXT", txt("v=spf1 ip4:10.0.0.1/40 -all"))),
    )
    run = await _audit(server)
    syntax = next(f for f in run.findings if f.rule_id == "email.spf.syntax")
    assert syntax.status is Status.FAIL and syntax.details["position"] == 19


async def test_void_lookups_over_the_limit(zone_server: Callable[..., DnsServer]) -> None:
    spf = txt(f"v=spf1 a:n1.{DOMAIN} a:n2.{DOMAIN} mx:n3.{DOMAIN} ip4:127.0.0.0/8 -all")
    server = zone_server(
        Zone(origins=(DOMAIN,), records=_replace(GOOD, DOMAIN, "TXT", ZoneRecord(DOMAIN, "TXT", spf)))
    )
    run = await _audit(server)
    finding = next(f for f in run.findings if f.rule_id == "email.spf.lookup-limit")
    assert finding.status is Status.FAIL and "void" in finding.evidence


async def test_no_mail_domain_needs_null_mx_and_dash_all(zone_server: Callable[..., DnsServer]) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=[ZoneRecord(f"docs.{DOMAIN}", "A", "127.0.0.9")]))
    run = await _audit(server, no_mail_domains=("docs",))
    assert _status(run, "email.nomail.unprotected", f"docs.{DOMAIN}") is Status.FAIL
    server.zone = Zone(
        origins=(DOMAIN,),
        records=[
            ZoneRecord(f"docs.{DOMAIN}", "MX", "0 ."),
            ZoneRecord(f"docs.{DOMAIN}", "TXT", txt("v=spf1 -all")),
        ],
    )
    run = await _audit(server, no_mail_domains=("docs",))
    assert _status(run, "email.nomail.unprotected", f"docs.{DOMAIN}") is Status.PASS


async def test_configured_selector_revoked_or_absent(zone_server: Callable[..., DnsServer]) -> None:
    records = [*GOOD, ZoneRecord(f"old._domainkey.{DOMAIN}", "TXT", txt("v=DKIM1; k=rsa; p="))]
    server = zone_server(Zone(origins=(DOMAIN,), records=records))
    run = await _audit(server, dkim_selectors=("old",))
    assert _status(run, "email.dkim.revoked", f"old._domainkey.{DOMAIN}") is Status.FAIL
    run = await _audit(server, dkim_selectors=("ses1",))
    assert _status(run, "email.dkim.missing") is Status.FAIL


async def test_external_rua_needs_authorization(zone_server: Callable[..., DnsServer]) -> None:
    dmarc = ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt("v=DMARC1; p=reject; rua=mailto:d@reports.test"))
    zone = Zone(origins=(DOMAIN, "reports.test"), records=_replace(GOOD, f"_dmarc.{DOMAIN}", "TXT", dmarc))
    server = zone_server(zone)
    assert (
        _status(await _audit(server), "email.dmarc.report-authorization", f"_dmarc.{DOMAIN}") is Status.FAIL
    )
    zone.add([ZoneRecord(f"{DOMAIN}._report._dmarc.reports.test", "TXT", txt("v=DMARC1"))])
    assert (
        _status(await _audit(server), "email.dmarc.report-authorization", f"_dmarc.{DOMAIN}") is Status.PASS
    )


async def test_mx_to_an_ip_literal_and_to_nowhere(zone_server: Callable[..., DnsServer]) -> None:
    records = _replace(
        GOOD,
        DOMAIN,
        "MX",
        ZoneRecord(DOMAIN, "MX", "10 127.0.0.25."),
        ZoneRecord(DOMAIN, "MX", f"20 gone.{DOMAIN}."),
    )
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=records)))
    assert _status(run, "email.mx.target-invalid", "127.0.0.25") is Status.FAIL
    assert _status(run, "email.mx.target-invalid", f"gone.{DOMAIN}") is Status.FAIL


async def test_dmarc_testing_mode_and_weaker_subdomains(zone_server: Callable[..., DnsServer]) -> None:
    dmarc = ZoneRecord(
        f"_dmarc.{DOMAIN}", "TXT", txt(f"v=DMARC1; p=reject; sp=none; t=y; rua=mailto:d@{DOMAIN}")
    )
    run = await _audit(
        zone_server(Zone(origins=(DOMAIN,), records=_replace(GOOD, f"_dmarc.{DOMAIN}", "TXT", dmarc)))
    )
    assert _status(run, "email.dmarc.policy-none") is Status.WARN
    assert _status(run, "email.dmarc.subdomain-policy", f"_dmarc.{DOMAIN}") is Status.WARN


async def test_a_silent_dns_server_is_unverifiable_never_missing(
    zone_server: Callable[..., DnsServer],
) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=list(GOOD)), silent=True)
    config = LaunchConfig(product=ProductConfig(name="Shop", domain=DOMAIN))
    options = RunOptions(nameserver=server.address, limits=Limits(dns_timeout=0.4), deadline_s=30)
    run = await run_audit(config, [check() for check in EMAIL_CHECKS], options)
    assert run.findings
    assert {f.status for f in run.findings} == {Status.UNVERIFIABLE}
    # no DNS answer at all: the engine's preflight skips the checks under one root cause
    assert all(a.outcome in ("completed", "skipped") for a in run.attempts)


async def test_an_empty_zone_asks_for_every_record(zone_server: Callable[..., DnsServer]) -> None:
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=[ZoneRecord(DOMAIN, "A", "127.0.0.9")])))
    assert _status(run, "email.dmarc.missing") is Status.FAIL
    assert _status(run, "email.mx.missing") is Status.FAIL
    dkim = next(f for f in run.findings if f.rule_id == "email.dkim.missing")
    assert dkim.status is Status.NOT_ASSESSED and "dkim_selectors" in (dkim.reason or "")
    assert _status(run, "email.dkim.weak-key") is Status.NOT_ASSESSED
    assert _status(run, "email.mta-sts.missing") is Status.WARN
    assert _status(run, "email.mta-sts.mode") is Status.NOT_ASSESSED
    assert _status(run, "email.tlsrpt.missing", f"_smtp._tls.{DOMAIN}") is Status.WARN


async def test_record_level_problems(zone_server: Callable[..., DnsServer]) -> None:
    records = _replace(
        GOOD, f"_dmarc.{DOMAIN}", "TXT", ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt("v=DMARC1; p=maybe"))
    )
    records = _replace(
        records,
        f"s1._domainkey.{DOMAIN}",
        "TXT",
        ZoneRecord(f"s1._domainkey.{DOMAIN}", "TXT", txt(f"v=DKIM1; t=y; p={dkim_public_key(2048)}")),
    )
    records.append(ZoneRecord(f"_mta-sts.{DOMAIN}", "TXT", txt("v=STSv1; id=1")))
    run = await _audit(zone_server(Zone(origins=(DOMAIN,), records=records)))
    syntax = next(f for f in run.findings if f.rule_id == "email.dmarc.syntax")
    assert syntax.status is Status.FAIL and syntax.details["position"] == 12
    assert _status(run, "email.dkim.testing", f"s1._domainkey.{DOMAIN}") is Status.WARN
    invalid = next(f for f in run.findings if f.rule_id == "email.mta-sts.policy-invalid")
    assert invalid.status is Status.FAIL and "could not fetch" in invalid.evidence


async def test_strict_alignment_with_a_sending_subdomain(zone_server: Callable[..., DnsServer]) -> None:
    dmarc = ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt(f"v=DMARC1; p=reject; aspf=s; rua=mailto:d@{DOMAIN}"))
    records = [
        *_replace(GOOD, f"_dmarc.{DOMAIN}", "TXT", dmarc),
        ZoneRecord(f"bounce.{DOMAIN}", "TXT", txt("v=spf1 ip4:127.0.0.0/8 -all")),
    ]
    server = zone_server(Zone(origins=(DOMAIN,), records=records))
    assert (
        _status(
            await _audit(server, sending_subdomains=("bounce",)), "email.dmarc.alignment", f"_dmarc.{DOMAIN}"
        )
        is Status.WARN
    )
    server.zone = Zone(origins=(DOMAIN,), records=list(GOOD))
    assert _status(await _audit(server), "email.dmarc.alignment", f"_dmarc.{DOMAIN}") is Status.PASS
