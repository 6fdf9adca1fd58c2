"""``launchready handover``: every section filled from the saved reports, or naming what is missing as a
handover finding; evidence on every claim; the readiness table's handover row; the CLI's formats."""

from __future__ import annotations

import json
from pathlib import Path

from handover_samples import CONFIG, NOW, drill, product
from typer.testing import CliRunner

from launchready.cli import app
from launchready.config import load_config
from launchready.deploy.history import append_record
from launchready.engine.runner import AuditRun
from launchready.findings import Stage, Status
from launchready.handover import Pack, build_pack, gather, render_html, render_markdown
from launchready.report import ReportFormat, build_report, load_report_json, render

runner = CliRunner()


def _pack(config_path: Path) -> tuple[Pack, AuditRun]:
    inputs = gather(load_config(config_path), config_path)
    return build_pack(inputs, now=NOW, output_dir=config_path.parent)


def _handover(run: AuditRun) -> dict[str, Status]:
    return {f.key: f.status for f in run.findings if f.stage is Stage.HANDOVER}


def test_a_complete_product_fills_every_section_with_evidence(tmp_path: Path) -> None:
    pack, _run = _pack(product(tmp_path))
    sections = {s.id: s for s in pack.sections}
    assert list(sections) == ["where", "owners", "secrets", "email", "alerts", "rollback", "risks", "scale"]
    for section in pack.sections:
        assert section.filled, section.id
        assert all(claim.evidence for claim in section.claims), section.id
    where = " / ".join(c.text for c in sections["where"].claims)
    assert (
        "DNS is hosted by Cloudflare DNS (nameservers kim.ns.cloudflare.com, lou.ns.cloudflare.com" in where
    )
    assert "Email: inbound by Google Workspace; sending via Google Workspace" in where
    assert "app.chatbot.example → Vercel" in where and "Cloudflare: chatbot.example" in where
    assert sections["where"].tables[0].rows[0][:2] == ("chatbot.example", "NS")
    rotate = next(c for c in sections["secrets"].claims if "OpenAI" in c.text)
    assert "Page: https://platform.openai.com/api-keys" in rotate.detail
    assert "api.openai.com/v1/models" in rotate.code[0] and "401 = dead" in rotate.code[0]
    assert rotate.evidence[0].href == ".launchready/audit.json"
    email = next(c for c in sections["email"].claims if c.text.startswith("DKIM selector google"))
    assert email.code == ("dig +short TXT google._domainkey.chatbot.example",)
    alerts = " / ".join(c.text for c in sections["alerts"].claims)
    assert "slack://…," in alerts and "mailto://mail.chatbot.example…" in alerts
    assert "T000" not in alerts.upper() and "hunter2" not in alerts  # alert URLs carry tokens: never shown
    assert "Last monitor run 2026-11-30 11:00 UTC: 1 of 1 checks up" in alerts
    rollback = sections["rollback"]
    assert rollback.claims[1].code == ("fly releases rollback",)
    assert "passed, rollback in 2 m 0 s" in rollback.claims[2].text
    risks = sections["risks"].tables[0].rows
    assert (risks[0][0], risks[0][4]) == ("must do", "before launch")
    assert any(row[0] == "can wait" and row[4] == "2026-12-30" for row in risks)
    scale = " / ".join(c.text for c in sections["scale"].claims)
    assert "First bottleneck: chat: error rate 5.0% against a 1.0% target at 20.0 req/s" in scale
    not_yet = next(c for c in sections["scale"].claims if c.text == "What not to build yet").detail
    assert any(line.startswith("Now worth considering: Kubernetes") for line in not_yet)
    assert any(line.startswith("Not yet: A read replica") for line in not_yet)


def test_gaps_become_handover_findings_and_fill_the_readiness_row(tmp_path: Path) -> None:
    _, run = _pack(product(tmp_path))
    statuses = _handover(run)
    # Pinecone has no rotation steps on file: the one gap of this product.
    failing = sorted(key for key, status in statuses.items() if status is Status.FAIL)
    assert failing == ["handover.secrets.steps-missing@secret:Pinecone"]
    assert statuses["handover.owners.no-backup@chatbot.example"] is Status.PASS
    report = build_report(run)
    row = next(s for s in report.stages if s.stage is Stage.HANDOVER)
    assert row.score is not None and row.covered_by is None
    # The audit's and the monitor run's findings are kept beside the handover ones.
    assert {f.stage for f in run.findings} >= {Stage.SECURE_DELIVERY, Stage.MONITORING, Stage.HANDOVER}


def test_missing_owners_backup_alerts_and_drill_are_named(tmp_path: Path) -> None:
    lonely = (
        CONFIG.split("[[owners]]")[0].replace(
            'alert_urls = ["slack://T000/B000/XXXXSECRETTOKEN", "mailto://alerts:hunter2@mail.chatbot.example"]',
            "",
        )
        + '[[owners]]\nname = "Ada"\nsystems = ["dns", "repo"]\n'
    )
    config_path = product(tmp_path, config=lonely, drilled=False)
    pack, run = _pack(config_path)
    statuses = _handover(run)
    assert statuses["handover.owners.missing@system:registrar"] is Status.FAIL
    assert statuses["handover.owners.no-backup@system:dns"] is Status.FAIL  # one owner, no backup
    assert statuses["handover.owners.no-backup@owner:Ada"] is Status.FAIL  # no way to reach her
    assert statuses["handover.alerts.unrouted@monitor:alert_urls"] is Status.FAIL
    assert statuses["handover.rollback.missing@drill:none"] is Status.FAIL
    text = render_markdown(pack, run)
    assert "- no drill on record (run launchready drill) (`handover.rollback.missing`)" in text
    assert "- only Ada can act on dns, with no backup contact (`handover.owners.no-backup`)" in text


def test_an_old_or_failed_drill_does_not_count(tmp_path: Path) -> None:
    config_path = product(tmp_path, drilled=False)
    append_record(tmp_path / ".launchready" / "drills.jsonl", drill(age_days=45))
    assert _handover(_pack(config_path)[1])["handover.rollback.missing@drill:last"] is Status.FAIL
    append_record(tmp_path / ".launchready" / "drills.jsonl", drill(age_days=1, ok=False))
    pack, run = _pack(config_path)
    assert _handover(run)["handover.rollback.missing@drill:last"] is Status.FAIL
    rollback = next(s for s in pack.sections if s.id == "rollback")
    assert "FAILED: rollback: exit status 1" in rollback.claims[2].text


def test_without_saved_reports_every_section_says_what_is_missing(tmp_path: Path) -> None:
    pack, run = _pack(product(tmp_path, reports=False, drilled=False))
    statuses = _handover(run)
    assert statuses["handover.inputs.audit-missing@chatbot.example"] is Status.FAIL
    assert statuses["handover.scale.unmeasured@load:none"] is Status.FAIL
    assert statuses["handover.alerts.unrouted@monitor:runs"] is Status.FAIL
    blocked = [f for f in run.findings if f.status is Status.NOT_ASSESSED]
    assert {f.rule_id for f in blocked} == {"handover.secrets.steps-missing", "handover.email.unverifiable"}
    assert all(f.blocked_by == "handover.inputs.audit-missing@chatbot.example" for f in blocked)
    html = render_html(pack, run)
    for section in pack.sections:
        assert section.filled or section.missing or "Nothing to read for this section" in html


def test_cli_formats_and_pack_dir(tmp_path: Path) -> None:
    config_path = product(tmp_path)
    out = tmp_path / "pack"
    args = ["handover", "--config", str(config_path), "--pack-dir", str(out)]
    result = runner.invoke(app, args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert (out / "handover.md").read_text().startswith("# Handover pack: Chatbot Example (chatbot.example)")
    html = (out / "handover.html").read_text()
    assert '<a href="../.launchready/audit.json">' in html
    saved = load_report_json((out / "handover.json").read_text())
    assert saved.artifacts["handover"]["sections"][0]["id"] == "where"
    scored = runner.invoke(app, ["score", str(out / "handover.json"), "-f", "json"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["recommended"]["sprint"] == "rescue"  # the two leaked keys
    markdown = runner.invoke(app, ["handover", "-c", str(config_path), "-f", "markdown"])
    assert markdown.exit_code == 0 and "## Rollback notes" in markdown.stdout
    bad = runner.invoke(
        app, ["handover", "-c", str(config_path), "--load", str(config_path)], env={"NO_COLOR": "1"}
    )
    assert bad.exit_code == 2 and "not a launchready load file" in bad.output


def test_route53_is_told_from_the_soa_too(tmp_path: Path) -> None:
    from handover_samples import DNS_MAP

    config_path = product(tmp_path)
    saved = json.loads((tmp_path / ".launchready" / "audit.json").read_text())
    records = [r for r in DNS_MAP["records"] if r["rdtype"] not in ("NS", "SOA")]  # type: ignore[index]
    records.append({"name": "chatbot.example", "rdtype": "SOA", "ttl": 900, "note": "zone authority",
                    "value": "ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"})  # fmt: skip
    saved["artifacts"]["dns_map"] = {**DNS_MAP, "records": records}
    (tmp_path / ".launchready" / "audit.json").write_text(json.dumps(saved))
    pack, _ = _pack(config_path)
    where = " / ".join(c.text for c in pack.sections[0].claims)
    assert "DNS is hosted by Amazon Route 53 (no NS records seen; SOA primary ns-1.awsdns-01.org" in where


def test_the_saved_pack_is_a_section_of_the_html_report(tmp_path: Path) -> None:
    _, run = _pack(product(tmp_path))
    saved = tmp_path / "handover.json"
    saved.write_text(render(run, ReportFormat.JSON))
    page = render(load_report_json(saved.read_text()), ReportFormat.HTML)
    assert "<h2>Handover pack</h2>" in page and "<h2>Rollback notes</h2>" in page
    assert "fly releases rollback" in page
    assert "generated_at" not in page  # drawn as the pack's sections, not dumped as JSON


def test_only_the_right_saved_files_are_read(tmp_path: Path) -> None:
    """A load report (launchready load -o), a red-team run and an earlier pack sit beside the audit: the
    load results are taken from the load report, and neither the red-team run nor the old pack (newer
    files) replaces the audit."""
    from handover_samples import LOAD, audit_run

    config_path = product(tmp_path)
    saved = tmp_path / ".launchready"
    (saved / "load.json").unlink()
    run = audit_run()
    load_run = run.model_copy(update={"findings": (), "artifacts": {"load": LOAD}})
    load_finding = next(f for f in run.findings if f.rule_id == "perf.ratelimit.chat-missing")
    load_finding = load_finding.model_copy(
        update={"rule_id": "load.error-rate.over-target", "stage": Stage.PERFORMANCE}
    )
    (saved / "z-load.json").write_text(
        render(load_run.model_copy(update={"findings": (load_finding,)}), ReportFormat.JSON)
    )
    leak = next(f for f in run.findings if f.rule_id == "secrets.source.exposed")
    redteam = run.model_copy(
        update={"findings": (leak.model_copy(update={"rule_id": "redteam.output.secrets"}),)}
    )
    (saved / "z-redteam.json").write_text(render(redteam, ReportFormat.JSON))
    _, first = _pack(config_path)
    (saved / "z-handover.json").write_text(render(first, ReportFormat.JSON))
    inputs = gather(load_config(config_path), config_path)
    assert inputs.audit is not None and inputs.audit.path.name == "audit.json"
    assert inputs.load is not None and inputs.load.document["achieved_rate"] == LOAD["achieved_rate"]
    assert any(s.startswith("z-redteam.json: a redteam file") for s in inputs.skipped)
    assert any(s.startswith("z-handover.json: a handover file") for s in inputs.skipped)
    _, again = build_pack(inputs, now=NOW)
    keys = [f.key for f in again.findings]
    assert len(keys) == len(set(keys))  # no finding twice
    bad = runner.invoke(app, ["handover", "-c", str(config_path), "--report", str(saved / "z-redteam.json")])
    assert bad.exit_code == 2


def test_a_saved_cost_estimate_is_in_the_scale_section(tmp_path: Path) -> None:
    config_path = product(tmp_path)
    out = tmp_path / ".launchready" / "cost.json"
    args = ["cost", "--users", "1000", "--messages", "5", "--input-tokens", "1200", "--output-tokens", "300",
            "-f", "json", "-o", str(out)]  # fmt: skip
    assert runner.invoke(app, args).exit_code == 0
    pack, run = _pack(config_path)
    scale = next(s for s in pack.sections if s.id == "scale")
    spend = next(c for c in scale.claims if c.text.startswith("LLM spend"))
    assert spend.text == "LLM spend: about $54.00 a month at the estimated traffic (gpt-4o-mini)"
    assert spend.evidence[0].href == ".launchready/cost.json"
    assert run.artifacts["cost"]["model"] == "gpt-4o-mini"
