"""The base zone: SOA, two nameservers unless the surface work sets its own, one A per resolving site."""

from __future__ import annotations

import pytest

from launchready.lab import zone as zone_module
from launchready.lab.dns_server import Zone, ZoneRecord
from launchready.lab.sites import SiteProfile
from launchready.lab.variant import LabVariant

SITES = {
    "chatbot.test": SiteProfile(host="chatbot.test"),
    "status.chatbot.test": SiteProfile(host="status.chatbot.test", resolves=False),
}
ADDRESSES = {"chatbot.test": "127.90.1.10", "status.chatbot.test": "127.90.1.11"}


def _types(name: str, zone: Zone) -> list[str]:
    """The spine's record types at ``name`` (the email work adds MX and TXT of its own)."""
    exists, records = zone.lookup(name)
    return sorted(r.rdtype for r in records if r.rdtype in ("A", "NS", "SOA")) if exists else []


def test_default_nameservers_and_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zone_module, "surface_records", lambda d, v, a: [])
    zone = zone_module.lab_zone("chatbot.test", LabVariant.HARDENED, SITES, ADDRESSES, "127.90.1.53")
    assert _types("chatbot.test", zone) == ["A", "NS", "NS", "SOA"]
    assert zone.lookup("ns2.chatbot.test")[1][0].rdata == "127.90.1.53"
    assert zone.lookup("status.chatbot.test") == (False, [])


def test_surface_nameservers_and_names_win(monkeypatch: pytest.MonkeyPatch) -> None:
    own = [
        ZoneRecord("chatbot.test", "NS", "ns1.chatbot.test."),
        ZoneRecord("chatbot.test", "A", "127.90.1.99"),
    ]
    monkeypatch.setattr(zone_module, "surface_records", lambda d, v, a: own)
    zone = zone_module.lab_zone("chatbot.test", LabVariant.FLAWED, SITES, ADDRESSES, "127.90.1.53")
    _, records = zone.lookup("chatbot.test")
    assert [r.rdata for r in records if r.rdtype == "NS"] == ["ns1.chatbot.test."]
    assert [r.rdata for r in records if r.rdtype == "A"] == ["127.90.1.99"]
