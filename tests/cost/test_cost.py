"""``launchready cost``: the estimate matches a hand calculation, reads usage from saved runs, and shows up
as a section of the audit report."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchready.cli import app
from launchready.cost import Traffic, estimate, load_prices, packaged_prices, read_usage
from launchready.cost.prices import PriceFileError
from launchready.engine.runner import AuditRun
from launchready.report import ReportFormat, load_report_json, render
from launchready.rules import rule

runner = CliRunner()
TODAY = "2026-11-30"


def test_expected_monthly_cost_matches_the_hand_calculation() -> None:
    traffic = Traffic(
        users_per_day=1000, messages_per_user=5, input_tokens=1200, output_tokens=300,
        cache_hit_rate=0.2, retry_rate=0.05, error_rate=0.02, days=30,
    )  # fmt: skip
    book = packaged_prices()
    mini = book.price("gpt-4o-mini")
    assert (mini.input, mini.output) == (0.15, 0.60)  # the dated price file's figures, per million tokens
    # By hand:
    #   messages = 1000 users x 5 messages x 30 days                = 150,000
    #   answered = 150,000 x (1 - 0.20 cache hits)                  = 120,000
    #   calls    = 120,000 x (1 + 0.05 retries)                     = 126,000
    #   failed   = 126,000 x 0.02 / 0.98                            =   2,571.428...
    #   per call = 1200 x $0.15/M + 300 x $0.60/M = $180/M + $180/M = $360 per million calls
    #   cost     = 126,000 x 360 / 1e6 + 2,571.43 x 1200 x 0.15 / 1e6
    #            = 45.36 + 0.462857                                 = $45.822857
    hand = 126_000 * 360 / 1e6 + (126_000 * 0.02 / 0.98) * 1200 * 0.15 / 1e6
    assert hand == pytest.approx(45.822857, abs=1e-6)
    result = estimate(traffic, book, "gpt-4o-mini", today_iso=TODAY, cache_target=0.6,
                      cheaper_model="gpt-4.1-nano", cheaper_share=0.3)  # fmt: skip
    assert result.expected.messages == 150_000
    assert result.expected.calls == pytest.approx(126_000)
    assert result.expected.cost == pytest.approx(hand, rel=1e-12)
    savings = {s.what: s.monthly for s in result.savings}
    # No cache: 150,000 x 1.05 calls; the cache saves exactly the 20 % of the uncached bill.
    assert savings["the cache already saves (20% hits)"] == pytest.approx(hand / 0.8 * 0.2)
    # 60 % hits instead of 20 %: answered drops from 80 % to 40 % of messages, i.e. half the bill.
    assert savings["raising cache hits to 60%"] == pytest.approx(hand / 2)
    # gpt-4.1-nano: $0.10/M in, $0.40/M out -> per call 1200 x 0.10 + 300 x 0.40 = $240/M (vs $360/M).
    nano = 126_000 * 240 / 1e6 + (126_000 * 0.02 / 0.98) * 1200 * 0.10 / 1e6
    assert savings["sending 30% of traffic to gpt-4.1-nano"] == pytest.approx(0.3 * (hand - nano))
    # high: 1.5x traffic, 1.5x answers, half the cache hits (10 %), twice the errors (4 %)
    calls_high = 1500 * 5 * 30 * 0.9 * 1.05
    high = calls_high * (1200 * 0.15 + 450 * 0.60) / 1e6 + calls_high * 0.04 / 0.96 * 1200 * 0.15 / 1e6
    assert result.high.cost == pytest.approx(high)
    assert result.low.cost < result.expected.cost < result.high.cost
    assert result.prices_stale  # prices checked 2025-06-01 are more than 120 days old on 2026-11-30


def test_usage_is_read_from_a_saved_run_in_either_provider_shape(tmp_path: Path) -> None:
    eval_run = tmp_path / "eval.jsonl"
    eval_run.write_text(
        json.dumps({"case": 1, "usage": {"prompt_tokens": 1000, "completion_tokens": 200}}) + "\n"
        + json.dumps({"case": 2, "response": {"usage": {"input_tokens": 1400, "output_tokens": 400}}}) + "\n"
    )  # fmt: skip
    usage = read_usage(eval_run)
    assert (usage.calls, usage.mean_input, usage.mean_output) == (2, 1200, 300)
    load = tmp_path / "load.json"
    load.write_text(json.dumps({"engine": "native", "routes": [
        {"route": "chat", "is_chat": True, "requests": 400, "errors": 8},
        {"route": "home", "is_chat": False, "requests": 900, "errors": 90},
    ]}))  # fmt: skip
    from_load = read_usage(load)
    assert from_load.error_rate == 0.02 and from_load.calls == 0
    assert any("no token usage recorded" in note for note in from_load.notes)


def test_cli_reads_usage_and_the_long_input_probe_and_adds_a_report_section(tmp_path: Path) -> None:
    eval_run = tmp_path / "eval.json"
    eval_run.write_text(json.dumps({"results": [{"usage": {"input_tokens": 1200, "output_tokens": 300}}]}))
    load = tmp_path / "load.json"
    load.write_text(
        json.dumps(
            {"engine": "native", "routes": [{"route": "chat", "is_chat": True, "requests": 50, "errors": 1}]}
        )
    )
    started = datetime(2026, 11, 2, tzinfo=UTC)
    probe = rule("perf.payload.oversized-input").failed(
        "https://chatbot.test/api/chat", "100,000-char message: HTTP 200, 40 fragments: accepted and sent on"
    )
    run = AuditRun(product="Bot", domain="chatbot.test", started_at=started, finished_at=started,
                   deadline_s=60, findings=(probe,), attempts=())  # fmt: skip
    saved = tmp_path / "run.json"
    saved.write_text(render(run, ReportFormat.JSON))
    args = ["cost", "--users", "1000", "--messages", "5", "--usage", str(eval_run), "--usage", str(load),
            "--report", str(saved), "--into", str(saved), "-f", "json"]  # fmt: skip
    result = runner.invoke(app, args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["traffic"]["input_tokens"] == 1200 and doc["traffic"]["error_rate"] == 0.02
    # 150,000 calls (no cache, no retries), 2 % errors: 150,000 x 360/1e6 + 150,000 x 0.02/0.98 x 180/1e6
    assert doc["monthly"]["expected"]["cost"] == pytest.approx(
        54 + 150_000 * 0.02 / 0.98 * 180 / 1e6, abs=1e-5
    )
    worst = doc["worst_case"]
    # 100,000 chars / 4 = 25,000 tokens x $0.15/M + 300 x $0.60/M = $0.00375 + $0.00018
    assert worst["input_tokens"] == 25_000 and worst["cost_per_call"] == pytest.approx(0.00393)
    assert worst["status"] == "accepted"
    reloaded = load_report_json(saved.read_text())
    assert reloaded.artifacts["cost"]["model"] == "gpt-4o-mini"
    page = render(reloaded, ReportFormat.HTML)
    assert "LLM cost estimate" in page and "Worst case per call" in page


def test_a_price_override_replaces_a_model_and_keeps_its_own_date(tmp_path: Path) -> None:
    mine = tmp_path / "prices.toml"
    mine.write_text('checked = 2026-11-20\n[[model]]\nid = "gpt-4o-mini"\ninput = 0.2\noutput = 0.8\n')
    book = load_prices(mine)
    price = book.price("gpt-4o-mini")
    assert (price.input, price.output, str(price.checked)) == (0.2, 0.8, "2026-11-20")
    assert str(book.price("gpt-4o").checked) == "2025-06-01"
    mine.write_text('checked = 2026-11-20\n[[model]]\nid = "x"\ninput = -1\noutput = 0\n')
    with pytest.raises(PriceFileError, match=r"model\.0\.input"):
        load_prices(mine)


def test_cli_usage_errors(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["cost", "--users", "10"], env={"NO_COLOR": "1"})
    assert missing.exit_code == 2 and "--messages" in missing.output
    unknown = runner.invoke(app, ["cost", "--users", "1", "--messages", "1", "--input-tokens", "1",
                                  "--output-tokens", "1", "--model", "gpt-9"], env={"NO_COLOR": "1"})  # fmt: skip
    assert unknown.exit_code == 2 and "no price for model 'gpt-9'" in unknown.output


def test_cli_takes_the_shared_options_and_reads_the_cache_target_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "launchready.toml"
    config.write_text('[product]\nname = "Bot"\ndomain = "chatbot.test"\n[targets]\ncache_hit_ratio = 0.5\n')
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    out = tmp_path / "cost.md"
    args = ["cost", "--users", "1000", "--messages", "5", "--input-tokens", "1200", "--output-tokens", "300",
            "--config", str(config), "--nameserver", "127.0.0.1:5353", "--ca-bundle", str(bundle),
            "--format", "markdown", "--output", str(out)]  # fmt: skip
    result = runner.invoke(app, args, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = out.read_text()
    # no cache today: 150,000 calls x $360/M = $54.00; at the config's 50 % target half of it is saved
    assert "| Monthly: expected | $54.00 |" in text
    assert "| Saving: raising cache hits to 50% | $27.00/month |" in text
