"""Email records (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT) of the lab zone, per variant.

Owned by the email-authentication work; the lab composes these into its zone.
"""

from __future__ import annotations

from launchready.lab.dns_server import ZoneRecord
from launchready.lab.variant import LabVariant


def email_records(domain: str, variant: LabVariant) -> list[ZoneRecord]:
    return []
