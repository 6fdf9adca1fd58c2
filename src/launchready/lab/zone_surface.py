"""Extra DNS records for the public-surface audit's planted risks (dangling CNAMEs, extra subdomains, CAA...).

Owned by the public-surface work; the lab composes these into its zone. Flawed: a single nameserver, no
CAA, no DNSSEC, a forgotten ``staging`` host, a CNAME to a name that no longer exists (``legacy``), a
two-hop chain whose last name was deleted (``preview`` → ``preview-cdn`` → gone: the lab's DNS server
answers it NXDOMAIN *with the chain*, as real authoritative servers do, RFC 6604), and a CNAME to a hosting
target that shows GitHub Pages' "no site here" page (``old``). Hardened: two nameservers
(the zone's default), CAA for the lab CA, and a DNSKEY so the zone reads as signed.
"""

from __future__ import annotations

from launchready.lab.dns_server import ZoneRecord
from launchready.lab.variant import LabVariant

LAB_DNSKEY = (
    "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="
)


def surface_records(domain: str, variant: LabVariant, addresses: dict[str, str]) -> list[ZoneRecord]:
    """``addresses`` maps each lab host name to the loopback address it is served on."""
    if not variant.flawed:
        return [
            ZoneRecord(domain, "CAA", '0 issue "lab-ca.chatbot.test"', 3600),
            ZoneRecord(domain, "CAA", f'0 iodef "mailto:security@{domain}"', 3600),
            ZoneRecord(domain, "DNSKEY", LAB_DNSKEY, 3600),
        ]
    nameserver = getattr(addresses, "nameserver", None) or addresses.get(f"ns1.{domain}", "127.0.0.1")
    old = f"old.{domain}"
    return [
        ZoneRecord(domain, "NS", f"ns1.{domain}.", 86400),
        ZoneRecord(f"ns1.{domain}", "A", nameserver, 86400),
        ZoneRecord(f"staging.{domain}", "A", addresses[f"staging.{domain}"]),
        ZoneRecord(f"legacy.{domain}", "CNAME", f"chatbot-legacy-app.{domain}."),
        ZoneRecord(f"preview.{domain}", "CNAME", f"chatbot-preview-cdn.{domain}."),
        ZoneRecord(f"chatbot-preview-cdn.{domain}", "CNAME", f"chatbot-preview-deleted.{domain}."),
        ZoneRecord(old, "CNAME", f"chatbot-old-pages.{domain}."),
        ZoneRecord(f"chatbot-old-pages.{domain}", "A", addresses[old]),
    ]
