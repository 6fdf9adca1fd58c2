"""The deadline is a contract: ``audit --deadline S`` ends within S + 1 s, whatever the network does."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.cli import app
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("deadline", [1.0, 2.0])
def test_audit_ends_within_its_deadline_when_dns_never_answers(
    deadline: float, zone_server: Callable[..., DnsServer], tmp_path: Path
) -> None:
    zone = Zone(origins=("slow.test",), records=[ZoneRecord("slow.test", "A", "127.0.0.9")])
    silent = zone_server(zone, silent=True)
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "Slow"\ndomain = "slow.test"\n')
    args = ["audit", "--config", str(config), "--nameserver", silent.address, "--deadline", f"{deadline:g}"]
    started = time.monotonic()
    result = CliRunner().invoke(app, [*args, "--format", "json"], env={"NO_COLOR": "1"})
    elapsed = time.monotonic() - started
    assert elapsed < deadline + 1.0, f"took {elapsed:.2f}s for a {deadline:g}s deadline"
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert findings and not any(f["status"] == "pass" and f["rule_id"].startswith("dns.") for f in findings)
