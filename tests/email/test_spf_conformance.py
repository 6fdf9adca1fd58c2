"""The OpenSPF RFC 7208 test suite (tests/data/spf, license beside it), every case through ``evaluate_sender``
(the function ``launchready spf`` calls) against its zone data served by the lab DNS server on loopback.

Zone data follows the suite's driver conventions: an ``SPF`` entry is served as type SPF and, unless the name
lists a TXT of its own (``TXT: NONE`` suppresses it), also as TXT; ``TIMEOUT`` makes the name silent.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import pytest
import yaml

from launchready.email.spf_eval import evaluate_sender
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord
from launchready.net import DnsResolver, Limits

SUITE = Path(__file__).parents[1] / "data" / "spf" / "rfc7208-tests.yml"
DOCUMENTS: list[dict[str, Any]] = list(yaml.safe_load_all(SUITE.read_text(encoding="utf-8")))
CASES = [(index, name, case) for index, doc in enumerate(DOCUMENTS) for name, case in doc["tests"].items()]


def _bytes(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _txt_rdata(value: str | list[str], rdtype: str) -> ZoneRecord | None:
    strings = [value] if isinstance(value, str) else list(value)
    payload = [_bytes(s) for s in strings] or [b""]
    rdata = dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.from_text(rdtype), payload)
    return ZoneRecord("", rdtype, rdata)


class SuiteZone(Zone):
    """Authoritative for every name, as the suite's driver is: an unknown name is NXDOMAIN, not REFUSED."""

    def origin_of(self, name: str) -> str | None:
        return super().origin_of(name) or name.rsplit(".", 1)[-1]


def suite_zone(zonedata: dict[str, list[Any]]) -> Zone:
    records: list[ZoneRecord] = []
    silent: set[str] = set()
    for raw_name, entries in zonedata.items():
        name = dns.name.from_text(raw_name).to_text()  # the server compares names in presentation form
        explicit_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
        seen_txt = False
        for entry in entries:
            if entry == "TIMEOUT":
                if not seen_txt:
                    silent.add(name)
                continue
            ((rdtype, value),) = entry.items()
            if value == "NONE":
                continue
            if rdtype in ("TXT", "SPF"):
                types = [rdtype] if rdtype == "TXT" or explicit_txt else ["SPF", "TXT"]
                for kind in types:
                    template = _txt_rdata(value, kind)
                    assert template is not None
                    records.append(ZoneRecord(name, kind, template.rdata))
                seen_txt = seen_txt or rdtype == "TXT"
            elif rdtype == "MX":
                priority, host = value
                records.append(
                    ZoneRecord(name, "MX", f"{priority} {host.rstrip('.')}." if host else f"{priority} .")
                )
            elif rdtype in ("CNAME", "PTR"):
                records.append(ZoneRecord(name, rdtype, value.rstrip(".") + "."))
            else:
                records.append(ZoneRecord(name, rdtype, value))
    origins = {n.rstrip(".").rsplit(".", 1)[-1].lower() for n in zonedata} | {"arpa", "com", "net", "org"}
    return SuiteZone(origins=tuple(origins), records=records, silent=silent)


@pytest.fixture(scope="module")
def suite_servers() -> Iterator[dict[int, DnsServer]]:
    servers: dict[int, DnsServer] = {}
    try:
        for index, doc in enumerate(DOCUMENTS):
            host = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
            server = DnsServer(suite_zone(doc["zonedata"]), host=host)
            server.start()
            servers[index] = server
        yield servers
    finally:
        for server in servers.values():
            server.stop()


def test_suite_is_complete() -> None:
    assert len(CASES) == 203
    assert (SUITE.parent / "rfc7208-tests.LICENSE").is_file()


@pytest.mark.parametrize(("index", "name", "case"), CASES, ids=[f"{i}-{n}" for i, n, _ in CASES])
async def test_rfc7208_case(
    suite_servers: dict[int, DnsServer], index: int, name: str, case: dict[str, Any]
) -> None:
    resolver = DnsResolver(Limits(dns_timeout=0.6), nameserver=suite_servers[index].address, cache=False)
    evaluation = await evaluate_sender(
        resolver, case["host"], case["mailfrom"], case.get("helo", ""), default_explanation="DEFAULT"
    )
    allowed = case["result"] if isinstance(case["result"], list) else [case["result"]]
    assert evaluation.result.value in allowed, f"{name}: {evaluation.reason}"
    if "explanation" in case and evaluation.result.value == "fail":
        assert evaluation.explanation == case["explanation"]
