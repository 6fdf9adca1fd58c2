"""``launchready handover`` on the hardened lab after ``audit``, ``load``, ``monitor`` and ``drill`` have run
for real (short, bounded runs on loopback), and the HTML pack in Debian's chromium at 1400 and 390 px: every
section filled or naming what is missing, no horizontal scroll. Screenshots land in the test's tmp dir."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from handover_samples import product
from typer.testing import CliRunner

from launchready.cli import app
from launchready.config import load_config
from launchready.config.model import DeployConfig, OwnerConfig
from launchready.deploy.drill import drill_plan, run_drill
from launchready.deploy.history import append_record, history_path
from launchready.engine.runner import AuditRun
from launchready.findings import Stage, Status
from launchready.handover import build_pack, gather, render_html
from launchready.lab import Lab
from launchready.lab.deploy_app import DeployableApp
from launchready.load import LoadOptions, run_load
from launchready.monitor.once import monitor_once
from launchready.report import ReportFormat, render

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WIDTHS = (1400, 390)
T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a worker thread: sync Playwright keeps an event loop on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=120)


@pytest.fixture(scope="module")
def lab_pack(hardened_lab: Lab, hardened_run: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lab's config beside its saved audit, load run, monitor run and drill history; returns the pack dir."""
    root = tmp_path_factory.mktemp("lab-handover")
    saved = root / ".launchready"
    saved.mkdir()
    (saved / "audit.json").write_text(render(hardened_run, ReportFormat.JSON), encoding="utf-8")
    config = hardened_lab.config
    quick = config.model_copy(
        update={
            "load": config.load.model_copy(
                update={"rate": 8.0, "duration_s": 1.0, "routes": ("health", "chat")}
            )
        }
    )
    options = LoadOptions(nameserver=hardened_lab.nameserver, ca_bundle=hardened_lab.ca_bundle)
    results = _run(run_load(quick, options))
    (saved / "load.json").write_text(results.model_dump_json(), encoding="utf-8")
    monitor_run, _ = _run(monitor_once(config, hardened_lab.run_options(60)))
    (saved / "monitor.json").write_text(render(monitor_run, ReportFormat.JSON), encoding="utf-8")
    with DeployableApp(root / "app") as deployable:
        deploy = DeployConfig(
            command=deployable.command("deploy", "--to", "2.0.0"), rollback_command=deployable.command("rollback"),
            version_url=deployable.url("/version"), health_url=deployable.url("/health"),
            deploy_timeout_s=20.0, rollback_timeout_s=20.0, settle_timeout_s=10.0,
        )  # fmt: skip
        drilled = config.model_copy(update={"deploy": deploy})
        record = _run(run_drill(drill_plan(drilled)))
    assert record.ok, record.failure
    owners = (
        OwnerConfig(name="Ada Launch", email="ada@chatbot.test", backup="Grace Oncall"),
        OwnerConfig(name="Grace Oncall", phone="+1 555 0101"),
    )
    final = config.model_copy(
        update={
            "deploy": deploy.model_copy(update={"drill_history": saved / "drills.jsonl"}),
            "owners": owners,
        }
    )
    append_record(history_path(final), record)
    config_path = root / "launchready.toml"
    config_path.write_text(hardened_lab.config_path.read_text(encoding="utf-8"), encoding="utf-8")
    inputs = gather(final, config_path)
    assert inputs.audit and inputs.load and inputs.monitor and inputs.drills  # each saved run was found
    pack, run = build_pack(inputs, output_dir=root)
    (root / "handover.html").write_text(render_html(pack, run), encoding="utf-8")
    (root / "handover.json").write_text(render(run, ReportFormat.JSON), encoding="utf-8")
    return root


def test_every_section_of_the_lab_pack_is_filled_or_names_what_is_missing(lab_pack: Path) -> None:
    document = json.loads((lab_pack / "handover.json").read_text())
    sections = document["artifacts"]["handover"]["sections"]
    assert [s["id"] for s in sections] == [
        "where",
        "owners",
        "secrets",
        "email",
        "alerts",
        "rollback",
        "risks",
        "scale",
    ]
    for section in sections:
        assert section["claims"] or section["tables"] or section["missing"], section["id"]
        assert all(claim["evidence"] for claim in section["claims"]), section["id"]
    by_id = {s["id"]: s for s in sections}
    where = " ".join(c["text"] for c in by_id["where"]["claims"])
    assert "Edge/CDN (headers and address ranges): Cloudflare" in where  # the lab's edge, from its headers
    assert "rollback in" in " ".join(c["text"] for c in by_id["rollback"]["claims"])  # the real drill
    scale = " ".join(c["text"] for c in by_id["scale"]["claims"])
    assert "The load run met every target" in scale or "First bottleneck" in scale
    assert "Last monitor run" in " ".join(c["text"] for c in by_id["alerts"]["claims"])
    handover = {f["key"]: f["status"] for f in document["findings"] if f["stage"] == Stage.HANDOVER.value}
    assert handover["handover.inputs.audit-missing@chatbot.test"] == Status.PASS.value
    assert handover["handover.scale.unmeasured@chatbot.test"] == Status.PASS.value
    # The lab's zone runs its own nameservers: the pack says the DNS host is unknown instead of guessing.
    assert handover["handover.where.unknown@dns:chatbot.test"] == Status.FAIL.value
    row = next(s for s in document["readiness"]["stages"] if s["stage"] == "handover")
    assert row["score"] is not None and row["total"] == len(handover)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_html_pack_never_scrolls_sideways(
    hardened_run: AuditRun, lab_pack: Path, browser: Browser, tmp_path: Path, width: int
) -> None:
    # hardened_run first: pytest sets session fixtures up before module ones, and the audit's asyncio.run
    # cannot start once sync Playwright holds the main thread's event loop.
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((lab_pack / "handover.html").as_uri())
        shot = tmp_path / f"handover-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        headings = page.evaluate("[...document.querySelectorAll('section h2')].map(h => h.textContent)")
        assert headings[0] == "Where things live" and headings[-1] == "Readiness by stage"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        offenders = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map(el => el.tagName + ': ' + (el.textContent || '').slice(0, 60))"""
        )
        assert scroll_width <= inner_width, f"{scroll_width}px wide in a {inner_width}px window: {offenders}"
    finally:
        page.close()


def test_a_hostile_value_is_escaped_in_the_html(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script>'
    config_path = product(tmp_path)
    text = config_path.read_text().replace('name = "Grace"', f"name = {json.dumps(hostile)}")
    config_path.write_text(text.replace('backup = "Grace"', f"backup = {json.dumps(hostile)}"))
    pack, run = build_pack(gather(load_config(config_path), config_path))
    html = render_html(pack, run)
    assert hostile not in html and "&lt;script&gt;" in html


def test_cli_handover_takes_the_shared_options(hardened_lab: Lab, lab_pack: Path) -> None:
    args = ["handover", "--config", str(lab_pack / "launchready.toml"), "--nameserver", hardened_lab.nameserver,
            "--ca-bundle", hardened_lab.ca_bundle, "--format", "html", "--output", str(lab_pack / "cli.html")]  # fmt: skip
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "<h2>Where things live</h2>" in (lab_pack / "cli.html").read_text()
