"""Helpers for DNS-check tests: a zone on the lab's DNS server, and a way to audit it with the DNS checks "
"(no web server needed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from launchready.engine import AuditRun
from launchready.lab.dns_server import ZoneRecord

DOMAIN = "zone.test"
Audit = Callable[..., Awaitable[AuditRun]]


def base_records(domain: str = DOMAIN) -> list[ZoneRecord]:
    return [
        ZoneRecord(domain, "SOA", f"ns1.{domain}. hostmaster.{domain}. 7 3600 600 86400 300"),
        ZoneRecord(domain, "A", "127.0.0.1"),
        ZoneRecord(f"www.{domain}", "CNAME", f"{domain}."),
    ]
