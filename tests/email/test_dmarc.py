"""DMARC (RFC 9989): tag parsing with positions, the DNS tree walk, and report destination authorization,
against the lab DNS server on loopback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from launchready.email.dmarc import Policy, discover_dmarc, parse_dmarc, report_authorized, walk_names
from launchready.email.errors import DmarcParseError
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt
from launchready.net import DnsResolver, Limits
from launchready.net.errors import DnsError


def test_parses_tags_and_flags_removed_ones() -> None:
    record = parse_dmarc(
        "v=DMARC1; p=quarantine; sp=none; np=reject; t=y; pct=20; rf=afrf; ri=3600; "
        "rua=mailto:a@example.com,mailto:b@reports.example.net; adkim=s; psd=n; future=1"
    )
    assert record.policy is Policy.QUARANTINE and record.subdomain_policy is Policy.NONE
    assert record.nonexistent_policy is Policy.REJECT and record.testing and record.adkim == "s"
    assert record.removed_tags == ("pct", "rf", "ri") and record.unknown_tags == ("future",)
    assert record.rua == ("mailto:a@example.com", "mailto:b@reports.example.net")
    assert record.psd == "n"


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("v=DMARC1; p=block", 12),
        ("v=DMARC1; p=none; adkim=x", 24),
        ("v=DMARC1; p=none; rua=reports@example.com", 22),
        ("p=none; v=DMARC1", 0),
        ("v=DMARC1; p=none; p=reject", 18),
        ("v=DMARC1; sp=none", 0),
    ],
)
def test_syntax_errors_point_at_the_tag(text: str, position: int) -> None:
    with pytest.raises(DmarcParseError) as caught:
        parse_dmarc(text)
    assert caught.value.position == position


def test_rua_without_p_is_a_monitoring_policy() -> None:
    assert parse_dmarc("v=DMARC1; rua=mailto:d@example.com").effective_policy is Policy.NONE


def test_tree_walk_is_capped_at_eight_queries() -> None:
    long_name = ".".join(f"l{i}" for i in range(12)) + ".example.com"
    names = walk_names(long_name)
    assert len(names) == 8
    assert names[0] == long_name and names[1].count(".") == 6 and names[-1] == "com"
    assert walk_names("mail.example.com") == ["mail.example.com", "example.com", "com"]


@pytest.fixture
def dmarc_dns(zone_server: Callable[..., DnsServer]) -> DnsServer:
    zone = Zone(
        origins=("example.test", "reports.test"),
        records=[
            ZoneRecord(
                "_dmarc.example.test",
                "TXT",
                txt("v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@reports.test"),
            ),
            ZoneRecord("_dmarc.two.example.test", "TXT", txt("v=DMARC1; p=none")),
            ZoneRecord("_dmarc.two.example.test", "TXT", txt("v=DMARC1; p=reject")),
            ZoneRecord("_dmarc.bad.example.test", "TXT", txt("v=DMARC1; p=maybe")),
            ZoneRecord("example.test._report._dmarc.reports.test", "TXT", txt("v=DMARC1")),
        ],
    )
    return zone_server(zone)


async def test_subdomain_inherits_by_tree_walk(dmarc_dns: DnsServer) -> None:
    resolver = DnsResolver(nameserver=dmarc_dns.address)
    found = await discover_dmarc(resolver, "a.b.c.example.test")
    assert found.found_at == "example.test" and found.inherited
    assert found.queried == ("a.b.c.example.test", "b.c.example.test", "c.example.test", "example.test")
    assert found.record is not None and found.record.effective_subdomain_policy is Policy.QUARANTINE


async def test_multiple_records_and_syntax_errors_are_kept(dmarc_dns: DnsServer) -> None:
    resolver = DnsResolver(nameserver=dmarc_dns.address)
    two = await discover_dmarc(resolver, "two.example.test")
    assert two.multiple and two.record is None
    bad = await discover_dmarc(resolver, "bad.example.test")
    assert bad.error is not None and bad.error.position == 12


async def test_external_report_authorization(dmarc_dns: DnsServer) -> None:
    resolver = DnsResolver(nameserver=dmarc_dns.address)
    assert await report_authorized(resolver, "example.test", "reports.test")
    assert not await report_authorized(resolver, "other.test", "reports.test")


async def test_a_silent_server_is_an_error_not_a_missing_record(
    zone_server: Callable[..., DnsServer],
) -> None:
    silent = zone_server(Zone(origins=("example.test",)), silent=True)
    resolver = DnsResolver(Limits(dns_timeout=0.5), nameserver=silent.address)
    with pytest.raises(DnsError):
        await discover_dmarc(resolver, "example.test")


async def test_tree_walk_reaches_a_public_suffix_policy(zone_server: Callable[..., DnsServer]) -> None:
    zone = Zone(
        origins=("psd", "org.psd"),
        records=[ZoneRecord("_dmarc.psd", "TXT", txt("v=DMARC1; p=reject; psd=y"))],
    )
    resolver = DnsResolver(nameserver=zone_server(zone).address)
    found = await discover_dmarc(resolver, "mail.org.psd")
    assert found.found_at == "psd" and found.record is not None and found.record.psd == "y"
    assert found.queried == ("mail.org.psd", "org.psd", "psd")
