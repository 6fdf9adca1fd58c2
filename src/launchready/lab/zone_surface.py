"""Extra DNS records for the public-surface audit's planted risks (dangling CNAMEs, extra subdomains, CAA...).

Owned by the public-surface work; the lab composes these into its zone.
"""

from __future__ import annotations

from launchready.lab.dns_server import ZoneRecord
from launchready.lab.variant import LabVariant


def surface_records(domain: str, variant: LabVariant, addresses: dict[str, str]) -> list[ZoneRecord]:
    """``addresses`` maps each lab host name to the loopback address it is served on."""
    return []
