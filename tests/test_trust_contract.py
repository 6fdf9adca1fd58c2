"""Issue 9's promise, end to end from the CLI: a founder can act on the list without re-checking it.

- With no DNS answers at all, the audit says so once, as one root cause, exits 1 quickly, and gives no
  per-host certificate or CNAME advice about hosts nobody reached.
- A product done right that simply has no env files, no client bundles and no logs is green: the missing
  inputs are listed as not assessed, never as blockers.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import time
from pathlib import Path

from typer.testing import CliRunner

from launchready.checks.registry import all_checks
from launchready.cli import app
from launchready.lab import Lab

runner = CliRunner()


def _closed_udp_port() -> int:
    """A loopback UDP port with nothing listening: every DNS question to it is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_no_dns_at_all_is_one_root_cause_with_no_per_host_advice(tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text(
        '[product]\nname = "Offline Bot"\ndomain = "chatbot.test"\nsubdomains = ["app", "api", "docs"]\n'
        f'[repo]\npath = "{tmp_path.as_posix()}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.json"
    started = time.monotonic()
    result = runner.invoke(
        app,
        [
            "audit",
            "--config",
            str(config),
            "--nameserver",
            f"127.0.0.1:{_closed_udp_port()}",
            "--format",
            "json",
            "--output",
            str(out),
        ],
        env={"NO_COLOR": "1"},
    )
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert elapsed < 5, f"took {elapsed:.1f}s"
    findings = json.loads(out.read_text())["findings"]
    roots = [f for f in findings if f["rule_id"] == "engine.dns.unavailable"]
    assert len(roots) == 1
    root_key = f"{roots[0]['rule_id']}@{roots[0]['target']}"
    local = {spec.rule_id for check in all_checks() if not check.needs_network for spec in check.rules}
    unexplained = [
        f["rule_id"]
        for f in findings
        if f["status"] in ("fail", "unverifiable", "warn")
        and f is not roots[0]
        and f.get("blocked_by") != root_key
        and f["rule_id"] not in local  # the repo's own files are read with no network at all
    ]
    assert unexplained == []
    terminal = runner.invoke(
        app, ["audit", "--config", str(config), "--nameserver", f"127.0.0.1:{_closed_udp_port()}"]
    ).stdout
    banner = terminal.lower().find("nothing could be observed")
    assert banner != -1 and terminal.lower().count("nothing could be observed") == 1, terminal
    assert banner < terminal.lower().find("must do now"), "the no-network banner comes first"
    advice = re.compile(r"public CA|delete the CNAME|CNAME record", re.IGNORECASE)
    assert not advice.search(terminal), terminal


def _without_inputs(lab: Lab, dest: Path) -> Path:
    """The hardened lab's config and repo with no env files, no client bundles and no logs."""
    repo = dest / "repo"
    shutil.copytree(lab.repo, repo, symlinks=True)
    for env_file in repo.glob(".env*"):
        if env_file.name != ".env.example":
            env_file.unlink()
    for generated in (".next", "dist", "build", "out", "logs"):
        shutil.rmtree(repo / generated, ignore_errors=True)
    text = lab.config_path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[environments\]\n.*?(?=^\[)", "", text)
    text = re.sub(r"(?m)^logs = .*$", "logs = []", text)
    text = re.sub(r'(?m)^path = ".*/repo"$', f'path = "{repo.as_posix()}"', text)
    config = dest / "launchready.toml"
    config.write_text(text, encoding="utf-8")
    return config


def test_hardened_product_without_env_files_or_bundles_is_green(hardened_lab: Lab, tmp_path: Path) -> None:
    config = _without_inputs(hardened_lab, tmp_path)
    out = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "audit",
            "--config",
            str(config),
            "--nameserver",
            hardened_lab.nameserver,
            "--ca-bundle",
            hardened_lab.ca_bundle,
            "--fail-on",
            "high",
            "--deadline",
            "120",
            "--format",
            "json",
            "--output",
            str(out),
        ],
    )
    findings = json.loads(out.read_text())["findings"]
    blockers = [
        f"{f['rule_id']} {f['target']}: {f['evidence']}"
        for f in findings
        if f["status"] in ("fail", "unverifiable")
    ]
    assert result.exit_code == 0, blockers
    not_assessed = {f["rule_id"] for f in findings if f["status"] == "not_assessed"}
    missing_inputs = {
        "secrets.bundle.exposed",  # no client bundle to scan
        "secrets.logs.exposed",  # no log file to scan
        "secrets.environments.shared",  # no [environments] to compare
    }
    assert missing_inputs <= not_assessed, sorted(missing_inputs - not_assessed)
    passes_on_nothing = [
        f["rule_id"] for f in findings if f["rule_id"] in missing_inputs and f["status"] == "pass"
    ]
    assert passes_on_nothing == []
