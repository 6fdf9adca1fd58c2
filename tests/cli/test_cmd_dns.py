"""``launchready dns`` prints the DNS map with notes, as Markdown or JSON, from a real DNS server."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from launchready.cli import cmd_dns
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt

DOMAIN = "mapped.test"


@pytest.fixture
def served_zone() -> Iterator[DnsServer]:
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    zone = Zone(
        origins=(DOMAIN,),
        records=[
            ZoneRecord(DOMAIN, "SOA", f"ns1.{DOMAIN}. hostmaster.{DOMAIN}. 3 3600 600 86400 300"),
            ZoneRecord(DOMAIN, "NS", f"ns1.{DOMAIN}."),
            ZoneRecord(DOMAIN, "A", "127.0.0.1"),
            ZoneRecord(DOMAIN, "TXT", txt("v=spf1 -all")),
            ZoneRecord(f"www.{DOMAIN}", "CNAME", f"{DOMAIN}."),
            ZoneRecord(f"api.{DOMAIN}", "A", "127.0.0.2"),
        ],
    )
    with DnsServer(zone, host=address) as server:
        yield server


def _app() -> typer.Typer:
    app = typer.Typer()
    cmd_dns.register(app)
    return app


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "launchready.toml"
    path.write_text(f'[product]\nname = "Mapped"\ndomain = "{DOMAIN}"\nsubdomains = ["api", "app"]\n')
    return path


def test_markdown_map_with_notes(served_zone: DnsServer, tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["-c", str(_config(tmp_path)), "--nameserver", served_zone.address])
    assert result.exit_code == 0, result.output
    assert f"# DNS map of {DOMAIN}" in result.output
    assert "www: alias of the apex" in result.output
    assert "SPF for outbound mail" in result.output
    assert f"app.{DOMAIN}" in result.output  # configured but missing: listed as such


def test_json_map_to_a_file(served_zone: DnsServer, tmp_path: Path) -> None:
    out = tmp_path / "out" / "dns.json"
    args = ["-c", str(_config(tmp_path)), "--nameserver", served_zone.address, "-f", "json", "-o", str(out)]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["domain"] == DOMAIN
    assert {"name": f"api.{DOMAIN}", "rdtype": "A", "value": "127.0.0.2"}.items() <= next(
        r for r in data["records"] if r["name"] == f"api.{DOMAIN}" and r["rdtype"] == "A"
    ).items()
    assert f"app.{DOMAIN}" in data["missing"]
    # names the records point at are followed too: here an NS host the zone never defined
    assert {"name": f"ns1.{DOMAIN}", "why": f"nameserver of {DOMAIN}"} in data["names"]
    assert set(data["missing"]) <= {f"app.{DOMAIN}", f"ns1.{DOMAIN}"}
