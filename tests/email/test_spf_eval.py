"""The SPF evaluator beyond the suite: lookup count and include tree, timeouts, and ``launchready spf``."""

from __future__ import annotations

import json
from collections.abc import Callable

from typer.testing import CliRunner

from launchready.cli import app
from launchready.email.spf_audit import analyze_spf
from launchready.email.spf_eval import evaluate_sender
from launchready.email.spf_result import SpfResult
from launchready.lab.dns_server import DnsServer, Zone, ZoneRecord, txt
from launchready.lab.variant import LabVariant
from launchready.lab.zone_email import email_records
from launchready.net import DnsResolver, Limits

DOMAIN = "spf.test"


def _zone() -> Zone:
    return Zone(
        origins=(DOMAIN,),
        records=[
            ZoneRecord(DOMAIN, "TXT", txt(f"v=spf1 include:_a.{DOMAIN} redirect=_b.{DOMAIN}")),
            ZoneRecord(f"_a.{DOMAIN}", "TXT", txt("v=spf1 ip4:192.0.2.0/24 -all")),
            ZoneRecord(f"_b.{DOMAIN}", "TXT", txt(f"v=spf1 a:host.{DOMAIN} ~all")),
            ZoneRecord(f"host.{DOMAIN}", "A", "198.51.100.7"),
        ],
    )


async def test_include_tree_lookups_and_final_qualifier(zone_server: Callable[..., DnsServer]) -> None:
    resolver = DnsResolver(nameserver=zone_server(_zone()).address)
    passed = await evaluate_sender(resolver, "192.0.2.9", f"alice@{DOMAIN}")
    assert passed.result is SpfResult.PASS and passed.lookups == 1
    assert (
        passed.tree.children[0].domain == f"_a.{DOMAIN}" and passed.tree.children[0].result is SpfResult.PASS
    )
    redirected = await evaluate_sender(resolver, "198.51.100.7", f"alice@{DOMAIN}")
    assert redirected.result is SpfResult.PASS and redirected.lookups == 3
    assert [c.via for c in redirected.tree.children] == ["include", "redirect"]
    soft = await evaluate_sender(resolver, "203.0.113.1", f"alice@{DOMAIN}")
    assert soft.result is SpfResult.SOFTFAIL


async def test_the_flawed_lab_chain_counts_thirteen_lookups(zone_server: Callable[..., DnsServer]) -> None:
    domain = "chatbot.test"
    zone = Zone(
        origins=(domain,),
        records=[ZoneRecord(domain, "A", "127.0.0.9"), *email_records(domain, LabVariant.FLAWED)],
    )
    resolver = DnsResolver(nameserver=zone_server(zone).address)
    analysis = await analyze_spf(resolver, domain)
    assert analysis.lookups == 13 and analysis.all_qualifier == "~" and analysis.ptr_at == [domain]
    assert analysis.evaluation is not None and analysis.evaluation.result is SpfResult.PERMERROR


async def test_a_dns_timeout_is_temperror_not_none(zone_server: Callable[..., DnsServer]) -> None:
    silent = zone_server(_zone(), silent=True)
    resolver = DnsResolver(Limits(dns_timeout=0.5), nameserver=silent.address)
    evaluation = await evaluate_sender(resolver, "192.0.2.9", f"alice@{DOMAIN}")
    assert evaluation.result is SpfResult.TEMPERROR


def test_launchready_spf_command(zone_server: Callable[..., DnsServer]) -> None:
    server = zone_server(_zone())
    runner = CliRunner()
    result = runner.invoke(
        app, ["spf", "203.0.113.1", f"bob@{DOMAIN}", "--nameserver", server.address, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["result"] == "softfail" and data["lookups"] == 3
    assert [c["domain"] for c in data["include_tree"]["children"]] == [f"_a.{DOMAIN}", f"_b.{DOMAIN}"]
    text = runner.invoke(app, ["spf", "192.0.2.9", f"bob@{DOMAIN}", "--nameserver", server.address])
    assert "result: pass" in text.stdout and f"include:_a.{DOMAIN} -> pass" in text.stdout
    bad = runner.invoke(app, ["spf", "not-an-ip", f"bob@{DOMAIN}", "--nameserver", server.address])
    assert bad.exit_code == 2


async def test_default_explanation_names_the_client(zone_server: Callable[..., DnsServer]) -> None:
    resolver = DnsResolver(nameserver=zone_server(_zone()).address)
    failed = await evaluate_sender(resolver, "203.0.113.1", f"x@_a.{DOMAIN}")
    assert failed.result is SpfResult.FAIL
    assert (
        failed.explanation
        == f"_a.{DOMAIN} does not designate 203.0.113.1 as a permitted sender of mail from x@_a.{DOMAIN}"
    )
