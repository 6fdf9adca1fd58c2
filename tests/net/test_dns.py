"""The resolver seam keeps the CNAME chain on NXDOMAIN and NODATA, against the lab's real DNS server.

Negative test of issue 9 part 3: before, an NXDOMAIN answer came back with an empty chain, so a CNAME to a
name that no longer exists read as "no CNAME" and the takeover rule passed.
"""

from __future__ import annotations

from collections.abc import Callable

from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.net import DnsResolver, DnsStatus, Limits

DOMAIN = "seam.test"
RECORDS = [
    ZoneRecord(DOMAIN, "A", "127.0.0.1"),
    ZoneRecord(f"legacy.{DOMAIN}", "CNAME", f"gone-app.{DOMAIN}."),
    ZoneRecord(f"promo.{DOMAIN}", "CNAME", f"promo-cdn.{DOMAIN}."),
    ZoneRecord(f"promo-cdn.{DOMAIN}", "CNAME", f"promo-gone.{DOMAIN}."),
    ZoneRecord(f"www.{DOMAIN}", "CNAME", f"{DOMAIN}."),
]


def _resolver(server: DnsServer) -> DnsResolver:
    return DnsResolver(Limits(dns_timeout=2.0), nameserver=server.address)


async def test_nxdomain_keeps_the_cname_chain(zone_server: Callable[..., DnsServer]) -> None:
    resolver = _resolver(zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS))))
    answer = await resolver.query(f"legacy.{DOMAIN}", "A")
    assert answer.status is DnsStatus.NXDOMAIN
    assert answer.cname_chain == (f"gone-app.{DOMAIN}",)
    again = await resolver.query(f"legacy.{DOMAIN}", "A")  # from dnspython's cache: the chain survives
    assert again.status is DnsStatus.NXDOMAIN and again.cname_chain == (f"gone-app.{DOMAIN}",)
    two_hops = await resolver.query(f"promo.{DOMAIN}", "TXT")
    assert two_hops.status is DnsStatus.NXDOMAIN
    assert two_hops.cname_chain == (f"promo-cdn.{DOMAIN}", f"promo-gone.{DOMAIN}")


async def test_nodata_keeps_the_chain_and_a_plain_nxdomain_has_none(
    zone_server: Callable[..., DnsServer],
) -> None:
    resolver = _resolver(zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS))))
    nodata = await resolver.query(f"www.{DOMAIN}", "MX")
    assert nodata.status is DnsStatus.NODATA and nodata.cname_chain == (DOMAIN,)
    missing = await resolver.query(f"nothing.{DOMAIN}", "A")
    assert missing.status is DnsStatus.NXDOMAIN and missing.cname_chain == ()
    live = await resolver.query(f"www.{DOMAIN}", "A")
    assert live.exists and live.cname_chain == (DOMAIN,) and live.records == ("127.0.0.1",)


async def test_a_cached_nxdomain_still_shows_the_alias_record(zone_server: Callable[..., DnsServer]) -> None:
    """dnspython caches an NXDOMAIN for every type of the name; the CNAME of a dangling alias still exists."""
    resolver = _resolver(zone_server(Zone(origins=(DOMAIN,), records=list(RECORDS))))
    await resolver.query(f"legacy.{DOMAIN}", "A")
    cname = await resolver.query(f"legacy.{DOMAIN}", "CNAME")
    assert cname.status is DnsStatus.NOERROR and cname.records == (f"gone-app.{DOMAIN}.",)
    txt = await resolver.query(f"legacy.{DOMAIN}", "TXT")
    assert txt.status is DnsStatus.NXDOMAIN and txt.cname_chain == (f"gone-app.{DOMAIN}",)
