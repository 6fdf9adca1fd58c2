"""The CLI's contract with CI: exit codes 0/1/2/3, plain one-line errors, lazy start-up, the deadline."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.checks.interface import Check
from launchready.cli import app, cmd_checks, lab_extra, runtime
from launchready.cli.exit_status import ExitStatus
from launchready.cli.options import OutputFormat
from launchready.config import parse_config
from launchready.engine import AttemptOutcome, RunOptions
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Status
from launchready.report import ReportFormat
from launchready.rules import rule

runner = CliRunner()


def test_exit_codes_are_documented_values() -> None:
    assert {s.name: int(s) for s in ExitStatus} == {
        "READY": 0,
        "BLOCKERS": 1,
        "USAGE": 2,
        "INTERNAL_ERROR": 3,
        "OUTPUT_CLOSED": 141,
    }


def test_a_crash_exits_3_with_one_line_and_a_saved_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> list[object]:
        raise RuntimeError("boom in the rule list")

    monkeypatch.setattr(cmd_checks, "all_rules", boom)
    result = runner.invoke(app, ["checks", "--json"], env={"NO_COLOR": "1"})
    assert result.exit_code == ExitStatus.INTERNAL_ERROR, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("internal error: RuntimeError: boom in the rule list")
    saved = Path(lines[0].split("traceback saved to ")[1].split(";")[0])
    try:
        text = saved.read_text()
        assert text.startswith("launchready checks --json\n")
        assert "Traceback" in text and "in boom" in text and "RuntimeError: boom in the rule list" in text
    finally:
        saved.unlink()


def test_help_keeps_bracketed_words() -> None:
    result = runner.invoke(app, ["secrets", "--help"])
    assert result.exit_code == 0
    assert "(default: [repo] path, or .)" in " ".join(result.output.split())


def test_config_errors_are_plain_text_with_file_line_and_did_you_mean(tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text('# my product\n\n[prodct]\nname = "Bot"\ndomain = "bot.example"\n')
    result = runner.invoke(app, ["audit", "--config", str(config)], env={"NO_COLOR": "1"})
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.strip() == (
        f"config error: {config}:3: unknown section [prodct] at line 3 — did you mean [product]?"
    )
    assert "[/]" not in result.output and "Field required" not in result.output


def test_demo_and_lab_without_the_extra_say_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lab_extra, "missing_lab_packages", lambda: ["fastapi", "trustme"])
    for args in (["demo"], ["lab", "up"]):
        result = runner.invoke(app, args, env={"NO_COLOR": "1"})
        assert result.exit_code == ExitStatus.USAGE, result.output
        assert "pip install 'launchready[lab]'" in result.output
        assert "fastapi, trustme missing" in result.output


def test_the_cli_format_enum_is_the_reports() -> None:
    assert [f.value for f in OutputFormat] == [f.value for f in ReportFormat]


HEAVY = (
    *("fastapi", "uvicorn", "trustme", "locust", "hyperscan", "aiohttp", "pydantic", "rich", "jinja2"),
    *("dns", "cryptography", "psycopg", "jsonschema", "yaml", "sqlalchemy", "alembic", "apprise"),
)
HEAVY_OURS = ("launchready.lab", "launchready.report", "launchready.engine", "launchready.checks")


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = (
        "import sys, launchready.cli.app\n"
        f"heavy = {HEAVY!r}\nours = {HEAVY_OURS!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(ours)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout


def test_nothing_outside_the_lab_imports_the_lab_extra() -> None:
    source = Path(__file__).parents[2] / "src" / "launchready"
    offenders = []
    for path in source.rglob("*.py"):
        if "lab" in path.relative_to(source).parts[:1]:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            words = line.strip().split()
            if (
                len(words) > 1
                and words[0] in ("import", "from")
                and words[1].split(".")[0] in lab_extra.LAB_PACKAGES
            ):
                offenders.append(f"{path.relative_to(source)}:{number}: {line.strip()}")
    assert offenders == []


def test_run_async_never_waits_past_the_deadline_for_work_that_ignores_cancellation() -> None:
    async def stubborn() -> str:
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                continue  # a buggy check that swallows its cancellation
        return "never"

    started = time.monotonic()
    result = runtime.run_async(stubborn(), deadline_s=0.3, on_timeout=lambda: "cut")
    assert result == "cut"
    assert time.monotonic() - started < 0.3 + 1.0


def test_run_async_abandons_a_worker_thread_at_the_deadline() -> None:
    release = threading.Event()

    async def scan() -> str:
        await asyncio.to_thread(release.wait, 30)  # CPU-bound work handed to a thread, still running
        return "done"

    started = time.monotonic()
    try:
        with pytest.raises(runtime.DeadlineExceeded):
            runtime.run_async(scan(), deadline_s=0.3)
        assert time.monotonic() - started < 0.3 + 1.0
        assert runtime.work_abandoned()
    finally:
        release.set()
        runtime._abandoned = False


QUICK, SLOW = rule("dns.host.unresolved"), rule("tls.cert.expired")


class _Quick(Check):
    name = "test.quick"
    rules = (QUICK,)
    needs_network = False

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return [QUICK.not_assessed(ctx.config.apex, "nothing to resolve in this test")]


class _Stuck(Check):
    name = "test.stuck"
    rules = (SLOW,)
    needs_network = False

    async def run(self, ctx: CheckContext) -> list[Finding]:
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                continue


def test_a_run_cut_at_the_deadline_keeps_what_finished_and_marks_the_rest_unverifiable() -> None:
    from launchready.cli.common import bounded_audit

    config = parse_config('[product]\nname = "Bot"\ndomain = "bot.example"\n', Path("x.toml"))
    started = time.monotonic()
    run = bounded_audit(config, [_Quick(), _Stuck()], RunOptions(deadline_s=1.0))
    assert time.monotonic() - started < 1.0 + 1.0
    by_rule = {f.rule_id: f for f in run.findings}
    assert by_rule[QUICK.rule_id].status is Status.NOT_ASSESSED
    assert by_rule[QUICK.rule_id].reason == "nothing to resolve in this test"
    assert by_rule[SLOW.rule_id].status is Status.UNVERIFIABLE
    assert "deadline" in (by_rule[SLOW.rule_id].reason or "")
    outcomes = {a.check: a.outcome for a in run.attempts}
    assert outcomes == {"test.quick": AttemptOutcome.COMPLETED, "test.stuck": AttemptOutcome.TIMED_OUT}


def test_main_does_not_wait_for_a_thread_left_running_past_the_command() -> None:
    script = (
        "import sys, threading, time\n"
        "from launchready.cli.app import app, main\n"
        "@app.command('linger')\n"
        "def linger() -> None:\n"
        "    threading.Thread(target=time.sleep, args=(30,)).start()  # work cut at a deadline, still running\n"
        "    print('report written')\n"
        "sys.argv = ['launchready', 'linger']\n"
        "main()\n"
    )
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=25)
    assert time.monotonic() - started < 10
    assert done.returncode == 0, done.stderr
    assert done.stdout == "report written\n"


def test_usage_errors_keep_bracketed_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["db"], env={"NO_COLOR": "1", "LAUNCHREADY_DSN": None})
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.strip() == (
        "error: no database: pass --dsn, set LAUNCHREADY_DSN, or set [database] dsn in --config"
    )


def test_all_reaches_the_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import launchready.report as report
    from launchready.engine import AuditRun
    from launchready.engine.context import utc_now

    run = AuditRun(
        product="Bot", domain="bot.example", started_at=utc_now(), finished_at=utc_now(),
        deadline_s=1.0, findings=(), attempts=(),
    )  # fmt: skip
    seen: list[bool] = []

    def render(_run: object, _fmt: object, **options: object) -> str:
        seen.append(bool(options.get("show_all")))
        return "rendered\n"

    monkeypatch.setattr(report, "load_report_json", lambda _text: run)
    monkeypatch.setattr(report, "render", render)
    saved = tmp_path / "saved.json"
    saved.write_text("{}")
    for args, expected in ((["report", str(saved)], False), (["report", str(saved), "--all"], True)):
        result = runner.invoke(app, args, env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        assert seen[-1] is expected


def test_a_reader_that_went_away_is_not_read_as_blockers(tmp_path: Path) -> None:
    """``launchready demo 2>&1 | head -3`` exited 1 ("blockers") through click's broken-pipe handling."""
    import subprocess
    import sys

    script = "from launchready.cli.app import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "checks"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 141, stderr.decode(errors="replace")
    assert b"Traceback" not in stderr
