"""The lab's ``chatbot.test`` zone: SOA, nameservers, one A record per served host, plus the email and
public-surface records owned by those areas.

The spine's own plant lives here by omission: a host whose profile does not resolve gets no record, so its
name is NXDOMAIN (roadmap stage 2, "every expected subdomain resolves").
"""

from __future__ import annotations

from collections.abc import Mapping

from launchready.lab.dns_server import Zone, ZoneRecord
from launchready.lab.sites import SiteProfile
from launchready.lab.variant import LabVariant
from launchready.lab.zone_email import email_records
from launchready.lab.zone_surface import surface_records

SERIAL = 2026112501


def lab_zone(
    domain: str,
    variant: LabVariant,
    sites: Mapping[str, SiteProfile],
    addresses: dict[str, str],
    nameserver_address: str,
) -> Zone:
    """The whole zone; ``addresses`` maps every host (served or not) to its loopback address."""
    extra = [*surface_records(domain, variant, addresses), *email_records(domain, variant)]
    records = [
        ZoneRecord(domain, "SOA", f"ns1.{domain}. hostmaster.{domain}. {SERIAL} 3600 600 1209600 300", 3600),
    ]
    if not any(r.rdtype.upper() == "NS" and _same(r.name, domain) for r in extra):
        for ns in ("ns1", "ns2"):
            records.append(ZoneRecord(domain, "NS", f"{ns}.{domain}.", 86400))
            records.append(ZoneRecord(f"{ns}.{domain}", "A", nameserver_address, 86400))
    taken = {_norm(r.name) for r in extra if r.rdtype.upper() in ("A", "AAAA", "CNAME")}
    for host, site in sites.items():
        if site.resolves and _norm(host) not in taken:
            records.append(ZoneRecord(host, "A", addresses[host]))
    return Zone(origins=(domain,), records=[*records, *extra])


def _norm(name: str) -> str:
    return name.strip().rstrip(".").lower()


def _same(a: str, b: str) -> bool:
    return _norm(a) == _norm(b)
