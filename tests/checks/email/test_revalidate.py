"""``launchready email --baseline``: a DMARC policy weakened in a running DNS server shows up as a change."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from launchready.cli import app
from launchready.email.baseline import ChangeKind, compare_postures
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt
from launchready.lab.variant import LabVariant
from launchready.lab.zone_email import email_records

DOMAIN = "mailbase.test"


def _zone(dmarc: str | None = None) -> Zone:
    records = [ZoneRecord(DOMAIN, "A", "127.0.0.9"), *email_records(DOMAIN, LabVariant.HARDENED)]
    if dmarc is not None:
        records = [r for r in records if r.name != f"_dmarc.{DOMAIN}"]
        records.append(ZoneRecord(f"_dmarc.{DOMAIN}", "TXT", txt(dmarc)))
    return Zone(origins=(DOMAIN,), records=records)


def test_baseline_reports_a_weakened_dmarc_policy(
    zone_server: Callable[..., DnsServer], tmp_path: Path
) -> None:
    server = zone_server(_zone())
    config = tmp_path / "launchready.toml"
    config.write_text(f'[product]\nname = "Mail"\ndomain = "{DOMAIN}"\n', encoding="utf-8")
    baseline = tmp_path / "before.json"
    runner = CliRunner()
    common = ["email", "--config", str(config), "--nameserver", server.address, "--deadline", "30"]
    first = runner.invoke(app, [*common, "--format", "json", "--output", str(baseline), "--fail-on", "never"])
    assert first.exit_code == 0, first.output
    assert json.loads(baseline.read_text())["artifacts"]["email"]["domains"][DOMAIN]["dmarc"]["p"] == "reject"

    unchanged = runner.invoke(
        app, [*common, "--baseline", str(baseline), "--format", "json", "--fail-on", "never"]
    )
    changes = [f for f in json.loads(unchanged.stdout)["findings"] if f["rule_id"] == "email.posture.changed"]
    assert [c["status"] for c in changes] == ["pass"]

    server.zone = _zone("v=DMARC1; p=none")  # the DNS change: DMARC weakened, reports dropped
    second = runner.invoke(app, [*common, "--baseline", str(baseline), "--format", "json"])
    assert second.exit_code == 1, second.output
    report = json.loads(second.stdout)
    changed = [f for f in report["findings"] if f["rule_id"] == "email.posture.changed"]
    weakened = [f for f in changed if f["status"] == "fail"]
    assert any("DMARC policy weakened (reject -> none)" in f["evidence"] for f in weakened)
    assert any("rua" in f["evidence"] and "removed" in f["evidence"] for f in weakened)
    assert report["artifacts"]["email_changes"]


def test_a_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text(f'[product]\nname = "Mail"\ndomain = "{DOMAIN}"\n', encoding="utf-8")
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["email", "--config", str(config), "--baseline", str(tmp_path / "bad.json")]
    )
    assert result.exit_code == 2


def test_compare_postures_ranks_changes() -> None:
    before = {
        "domains": {
            DOMAIN: {
                "spf": {"records": ["v=spf1 -all"], "all": "-", "lookups": 2},
                "dmarc": {
                    "record": "v=DMARC1; p=quarantine",
                    "p": "quarantine",
                    "sp": "quarantine",
                    "testing": False,
                    "rua": [],
                },
                "dkim": {"google": {"bits": 2048}},
                "mx": ["10 mx.a."],
                "mta_sts": {"records": ["v=STSv1; id=1"], "mode": "testing"},
                "tlsrpt": None,
                "unverified": [],
            }
        }
    }
    after = {
        "domains": {
            DOMAIN: {
                "spf": {"records": ["v=spf1 ~all"], "all": "~", "lookups": 12},
                "dmarc": {
                    "record": "v=DMARC1; p=reject",
                    "p": "reject",
                    "sp": "reject",
                    "testing": True,
                    "rua": [],
                },
                "dkim": {"google": {"bits": 1024}, "s1": {"bits": 2048}},
                "mx": ["10 mx.b."],
                "mta_sts": {"records": ["v=STSv1; id=2"], "mode": "enforce"},
                "tlsrpt": ["v=TLSRPTv1; rua=mailto:t@a"],
                "unverified": [],
            }
        }
    }
    kinds = {(c.item, c.kind) for c in compare_postures(before, after)}
    assert ("SPF all", ChangeKind.WEAKENED) in kinds and ("SPF DNS lookups", ChangeKind.WEAKENED) in kinds
    assert ("DMARC policy", ChangeKind.STRENGTHENED) in kinds
    assert ("DMARC testing mode (t=y)", ChangeKind.WEAKENED) in kinds
    assert ("DKIM selector google key size", ChangeKind.WEAKENED) in kinds
    assert ("DKIM selector s1", ChangeKind.ADDED) in kinds and ("MX", ChangeKind.CHANGED) in kinds
    assert ("MTA-STS mode", ChangeKind.STRENGTHENED) in kinds and (
        "TLS-RPT record",
        ChangeKind.ADDED,
    ) in kinds
    unverified = {"domains": {DOMAIN: {**after["domains"][DOMAIN], "dmarc": None, "unverified": ["dmarc"]}}}
    assert not [c for c in compare_postures(before, unverified) if c.item.startswith("DMARC")]
