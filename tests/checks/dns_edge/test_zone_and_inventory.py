"""Zone health, inventory and dangling-record rules against the lab's real DNS server."""

from __future__ import annotations

from zone_fixture import DOMAIN, Audit

from launchready.checks.dns_edge.inventory import SubdomainInventory
from launchready.checks.dns_edge.takeover import DanglingRecords
from launchready.checks.dns_edge.zone_health import ZoneHealth
from launchready.engine import AuditRun
from launchready.findings import Status
from launchready.lab.dns_server import ZoneRecord, txt


def status(run: AuditRun, rule: str, target: str = DOMAIN) -> Status:
    return next(f.status for f in run.findings if f.rule_id == rule and f.target == target)


async def test_single_nameserver_no_caa_unsigned(audit_zone: Audit) -> None:
    run = await audit_zone([ZoneRecord(DOMAIN, "NS", f"ns1.{DOMAIN}.")], [ZoneHealth()])
    assert status(run, "dns.ns.too-few") is Status.FAIL
    assert status(run, "dns.caa.missing") is Status.WARN
    assert status(run, "dns.dnssec.unsigned") is Status.WARN


async def test_healthy_zone_passes_and_builds_the_map(audit_zone: Audit) -> None:
    records = [
        ZoneRecord(DOMAIN, "NS", f"ns1.{DOMAIN}."),
        ZoneRecord(DOMAIN, "NS", f"ns2.{DOMAIN}."),
        ZoneRecord(DOMAIN, "CAA", '0 issue "letsencrypt.org"'),
        ZoneRecord(
            DOMAIN,
            "DNSKEY",
            "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+"
            "KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
        ),
        ZoneRecord(DOMAIN, "MX", f"10 mx.{DOMAIN}."),
        ZoneRecord(DOMAIN, "TXT", txt("v=spf1 include:_spf.mail.test -all")),
        ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt("v=DMARC1; p=reject")),
    ]
    run = await audit_zone(records, [ZoneHealth()])
    assert {f.status for f in run.findings} == {Status.PASS}
    dns_map = run.artifacts["dns_map"]
    notes = {(r["name"], r["rdtype"]): r["note"] for r in dns_map["records"]}
    www = notes[(f"www.{DOMAIN}", "CNAME")]
    assert www == "www: alias of the apex (the config names the apex canonical); resolves to 127.0.0.1"
    assert "redirect" not in www  # an alias is not a redirect, and the map observed none
    assert notes[(DOMAIN, "TXT")].startswith("SPF for outbound mail")
    assert "p=reject" in notes[(f"_dmarc.{DOMAIN}", "TXT")]
    assert "letsencrypt.org" in notes[(DOMAIN, "CAA")]
    assert (DOMAIN, "SOA") in notes and (DOMAIN, "MX") in notes


async def test_unlisted_subdomains_are_inventoried(audit_zone: Audit) -> None:
    records = [
        ZoneRecord(f"staging.{DOMAIN}", "A", "127.0.0.2"),
        ZoneRecord(f"admin.{DOMAIN}", "A", "127.0.0.3"),
    ]
    run = await audit_zone(records, [SubdomainInventory()])
    flagged = {f.target for f in run.findings if f.status is Status.WARN}
    assert flagged == {f"staging.{DOMAIN}", f"admin.{DOMAIN}"}
    quiet = await audit_zone([], [SubdomainInventory()])
    assert [f.status for f in quiet.findings] == [Status.PASS]


async def test_wildcard_answers_are_not_listed_as_hosts(audit_zone: Audit) -> None:
    run = await audit_zone([ZoneRecord(f"*.{DOMAIN}", "A", "127.0.0.9")], [SubdomainInventory()])
    assert [f.status for f in run.findings] == [Status.PASS]
    assert "wildcard" in run.findings[0].evidence


async def test_cname_to_a_missing_name_is_dangling(audit_zone: Audit) -> None:
    records = [ZoneRecord(f"old.{DOMAIN}", "CNAME", f"gone-app.{DOMAIN}.")]
    run = await audit_zone(records, [DanglingRecords()])
    assert status(run, "dns.cname.dangling", f"old.{DOMAIN}") is Status.FAIL
    assert status(run, "dns.cname.dangling", DOMAIN) is Status.PASS
    evidence = next(f.evidence for f in run.findings if f.target == f"old.{DOMAIN}")
    assert "NXDOMAIN" in evidence and f"gone-app.{DOMAIN}" in evidence


async def test_dns_map_names_the_whole_cname_chain(audit_zone: Audit) -> None:
    records = [
        ZoneRecord(f"cdn.{DOMAIN}", "CNAME", f"edge.{DOMAIN}."),
        ZoneRecord(f"edge.{DOMAIN}", "CNAME", f"{DOMAIN}."),
    ]
    product = {"name": "Z", "domain": DOMAIN, "subdomains": ["cdn"]}
    run = await audit_zone(records, [ZoneHealth()], product=product)
    row = next(r for r in run.artifacts["dns_map"]["records"] if r["name"] == f"cdn.{DOMAIN}")
    assert row["rdtype"] == "CNAME"
    assert f"chain cdn.{DOMAIN} → edge.{DOMAIN} → {DOMAIN} → 127.0.0.1" in row["note"]


async def test_dangling_cname_answered_as_real_servers_do_fails_with_delete_fix(audit_zone: Audit) -> None:
    """Negative test (issue 9 part 3): the lab answers NXDOMAIN *with* the CNAME (RFC 6604), as real servers
    do; the old resolver dropped the chain on NXDOMAIN and the rule said "has no CNAME" — pass."""
    records = [
        ZoneRecord(f"promo.{DOMAIN}", "CNAME", f"promo-cdn.{DOMAIN}."),
        ZoneRecord(f"promo-cdn.{DOMAIN}", "CNAME", f"promo-gone.{DOMAIN}."),
    ]
    product = {"name": "Z", "domain": DOMAIN, "subdomains": ["promo"]}
    run = await audit_zone(records, [DanglingRecords()], product=product)
    finding = next(f for f in run.findings if f.target == f"promo.{DOMAIN}")
    assert finding.status is Status.FAIL
    assert f"promo-gone.{DOMAIN} does not exist (NXDOMAIN)" in finding.evidence
    assert finding.fix.summary.startswith(f"Delete the CNAME promo.{DOMAIN} → promo-cdn.{DOMAIN}")
    assert f"promo.{DOMAIN}.  300  IN  CNAME  promo-cdn.{DOMAIN}." in finding.fix.snippets["zone-file"]
    live = next(f for f in run.findings if f.target == DOMAIN)
    assert live.status is Status.PASS and live.exercised == {"dns_answers": 1}


async def test_inventory_lists_a_dangling_name_and_takeover_checks_it(audit_zone: Audit) -> None:
    records = [ZoneRecord(f"legacy.{DOMAIN}", "CNAME", f"legacy-app.{DOMAIN}.")]
    run = await audit_zone(records, [SubdomainInventory(), DanglingRecords()])
    assert status(run, "dns.subdomain.unlisted", f"legacy.{DOMAIN}") is Status.WARN
    assert status(run, "dns.cname.dangling", f"legacy.{DOMAIN}") is Status.FAIL


async def test_probing_turned_off_is_not_assessed(audit_zone: Audit) -> None:
    run = await audit_zone([], [SubdomainInventory()], surface={"probe_subdomains": False})
    finding = run.findings[0]
    assert finding.status is Status.NOT_ASSESSED and "probe_subdomains = true" in (finding.reason or "")


async def test_dns_map_gives_a_record_reached_through_a_cname_to_its_owner(audit_zone: Audit) -> None:
    records = [
        ZoneRecord(f"app.{DOMAIN}", "CNAME", f"app-host.{DOMAIN}."),
        ZoneRecord(f"app-host.{DOMAIN}", "A", "127.0.0.5"),
        ZoneRecord(f"app-host.{DOMAIN}", "TXT", txt("google-site-verification=abc")),
    ]
    product = {"name": "Z", "domain": DOMAIN, "subdomains": ["app"]}
    run = await audit_zone(records, [ZoneHealth()], product=product)
    rows = run.artifacts["dns_map"]["records"]
    txt_rows = [(r["name"], r["note"]) for r in rows if r["rdtype"] == "TXT"]
    assert [name for name, _ in txt_rows] == [f"app-host.{DOMAIN}"]  # not the alias app.zone.test
    assert f"reached through the alias app.{DOMAIN}" in txt_rows[0][1]
    assert not [r for r in rows if r["name"] == f"app.{DOMAIN}" and r["rdtype"] != "CNAME"]


async def test_dns_map_lists_every_name_the_audit_touched(audit_zone: Audit) -> None:
    records = [
        ZoneRecord(DOMAIN, "NS", f"ns1.{DOMAIN}."),
        ZoneRecord(DOMAIN, "NS", f"ns2.{DOMAIN}."),
        ZoneRecord(f"ns1.{DOMAIN}", "A", "127.0.0.53"),
        ZoneRecord(f"ns2.{DOMAIN}", "A", "127.0.0.54"),
        ZoneRecord(DOMAIN, "MX", f"10 mx.{DOMAIN}."),
        ZoneRecord(f"mx.{DOMAIN}", "A", "127.0.0.25"),
        ZoneRecord(DOMAIN, "TXT", txt(f"v=spf1 include:_spf.{DOMAIN} -all")),
        ZoneRecord(f"_spf.{DOMAIN}", "TXT", txt(f"v=spf1 include:_spf2.{DOMAIN} -all")),
        ZoneRecord(f"_spf2.{DOMAIN}", "TXT", txt("v=spf1 ip4:127.0.0.0/8 -all")),
        ZoneRecord(f"staging.{DOMAIN}", "A", "127.0.0.7"),
        ZoneRecord(f"legacy.{DOMAIN}", "CNAME", f"legacy-app.{DOMAIN}."),
        ZoneRecord(f"_smtp._tls.{DOMAIN}", "TXT", txt(f"v=TLSRPTv1; rua=mailto:tls@{DOMAIN}")),
    ]
    run = await audit_zone(records, [ZoneHealth()])
    dns_map = run.artifacts["dns_map"]
    why = {n["name"]: n["why"] for n in dns_map["names"]}
    assert why[f"mx.{DOMAIN}"] == f"mail server (MX of {DOMAIN})"
    assert why[f"ns1.{DOMAIN}"] == why[f"ns2.{DOMAIN}"] == f"nameserver of {DOMAIN}"
    assert why[f"_spf.{DOMAIN}"] == f"SPF of {DOMAIN} includes it"
    assert why[f"_spf2.{DOMAIN}"] == f"SPF of _spf.{DOMAIN} includes it"
    assert why[f"staging.{DOMAIN}"].startswith("discovered by probing")
    rows = {(r["name"], r["rdtype"]) for r in dns_map["records"]}
    for row in [
        (f"mx.{DOMAIN}", "A"),
        (f"ns1.{DOMAIN}", "A"),
        (f"_spf2.{DOMAIN}", "TXT"),
        (f"staging.{DOMAIN}", "A"),
        (f"legacy.{DOMAIN}", "CNAME"),
        (f"_smtp._tls.{DOMAIN}", "TXT"),
    ]:
        assert row in rows, row
    legacy = next(r for r in dns_map["records"] if r["name"] == f"legacy.{DOMAIN}")
    assert "does not exist (dangling)" in legacy["note"]
    assert f"legacy-app.{DOMAIN}" in dns_map["missing"]
