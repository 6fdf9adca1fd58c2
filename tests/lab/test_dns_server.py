"""The lab DNS server answers a dangling CNAME the way real authoritative servers do (RFC 6604 2.1).

A CNAME inside the zone to a name that does not exist is NXDOMAIN with the CNAME chain in the answer section
and the SOA in the authority section; the lab used to answer NOERROR there, which hid the resolver bug that
made ``dns.cname.dangling`` pass on the very case it exists for.
"""

from __future__ import annotations

from collections.abc import Callable

import dns.asyncquery
import dns.message
import dns.rcode
import dns.rdatatype

from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord

DOMAIN = "dangle.test"
RECORDS = [
    ZoneRecord(DOMAIN, "SOA", f"ns1.{DOMAIN}. hostmaster.{DOMAIN}. 1 3600 600 86400 300"),
    ZoneRecord(DOMAIN, "A", "127.0.0.1"),
    ZoneRecord(f"legacy.{DOMAIN}", "CNAME", f"gone-app.{DOMAIN}."),
    ZoneRecord(f"promo.{DOMAIN}", "CNAME", f"promo-cdn.{DOMAIN}."),
    ZoneRecord(f"promo-cdn.{DOMAIN}", "CNAME", f"promo-gone.{DOMAIN}."),
    ZoneRecord(f"www.{DOMAIN}", "CNAME", f"{DOMAIN}."),
]


async def _ask(server: DnsServer, name: str, rdtype: str = "A") -> dns.message.Message:
    query = dns.message.make_query(name, rdtype)
    response: dns.message.Message = await dns.asyncquery.udp(query, server.host, port=server.port, timeout=2)
    return response


def _chain(response: dns.message.Message) -> list[tuple[str, str]]:
    return [
        (rrset.name.to_text(), next(iter(rrset)).to_text())
        for rrset in response.answer
        if rrset.rdtype == dns.rdatatype.CNAME
    ]


async def test_cname_to_a_missing_name_is_nxdomain_with_the_cname(
    zone_server: Callable[..., DnsServer],
) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS)))
    response = await _ask(server, f"legacy.{DOMAIN}")
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert _chain(response) == [(f"legacy.{DOMAIN}.", f"gone-app.{DOMAIN}.")]
    assert [r.rdtype for r in response.authority] == [dns.rdatatype.SOA]


async def test_two_hop_chain_to_a_missing_name_keeps_every_hop(zone_server: Callable[..., DnsServer]) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS)))
    response = await _ask(server, f"promo.{DOMAIN}", "TXT")
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert _chain(response) == [
        (f"promo.{DOMAIN}.", f"promo-cdn.{DOMAIN}."),
        (f"promo-cdn.{DOMAIN}.", f"promo-gone.{DOMAIN}."),
    ]


async def test_live_chain_is_noerror_and_a_missing_name_plain_nxdomain(
    zone_server: Callable[..., DnsServer],
) -> None:
    server = zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS)))
    live = await _ask(server, f"www.{DOMAIN}")
    assert live.rcode() == dns.rcode.NOERROR
    assert [r.rdtype for r in live.answer] == [dns.rdatatype.CNAME, dns.rdatatype.A]
    nodata = await _ask(server, f"www.{DOMAIN}", "MX")
    assert nodata.rcode() == dns.rcode.NOERROR and _chain(nodata) == [(f"www.{DOMAIN}.", f"{DOMAIN}.")]
    missing = await _ask(server, f"nothing.{DOMAIN}")
    assert missing.rcode() == dns.rcode.NXDOMAIN and missing.answer == []
