"""``launchready cost``: monthly LLM spend with a range, savings and the worst case per call.

Thin: gather the traffic from flags and saved runs (``--usage``: tokens and the chat error rate a load,
eval or red-team run recorded; ``--report``: the long-input probe's size), call ``launchready.cost``,
render. ``--into REPORT.json`` adds the estimate to a saved audit as its ``cost`` section (re-render with
``launchready report``). ``--nameserver``/``--ca-bundle`` are accepted like every command's, and unused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate


def register(app: typer.Typer) -> None:
    app.command("cost")(cost)


def _number(what: str, minimum: float, maximum: float, unit: str = "") -> object:
    return opt.checked(lambda v: validate.number(v, what=what, minimum=minimum, maximum=maximum, unit=unit))


def cost(
    users: Annotated[
        float | None,
        typer.Option("--users", help="Active users per day.", callback=_number("--users", 0, 1e9)),
    ] = None,
    messages: Annotated[
        float | None,
        typer.Option("--messages", help="Messages per user per day.", callback=_number("--messages", 0, 1e5)),
    ] = None,
    input_tokens: Annotated[
        float | None,
        typer.Option(
            "--input-tokens",
            help="Input tokens per call (prompt, history, context).",
            callback=_number("--input-tokens", 0, 1e7),
        ),
    ] = None,
    output_tokens: Annotated[
        float | None,
        typer.Option(
            "--output-tokens", help="Output tokens per answer.", callback=_number("--output-tokens", 0, 1e6)
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", help="Model id in the price file.")] = "gpt-4o-mini",
    prices: Annotated[
        Path | None,
        typer.Option(
            "--prices",
            help="Your price file (TOML, like launchready/cost/data/prices.toml): replaces or adds models.",
            callback=opt.existing_file("price file"),
        ),
    ] = None,
    cache_hit: Annotated[
        float,
        typer.Option(
            "--cache-hit",
            help="Share of messages answered from your cache (0-1).",
            callback=_number("--cache-hit", 0, 1),
        ),
    ] = 0.0,
    retry_rate: Annotated[
        float,
        typer.Option(
            "--retry-rate",
            help="Extra full calls per answered message (regenerate, retries).",
            callback=_number("--retry-rate", 0, 10),
        ),
    ] = 0.0,
    error_rate: Annotated[
        float | None,
        typer.Option(
            "--error-rate",
            help="Share of calls that fail (billed input, retried); default: the --usage load run's, else 0.",
            callback=_number("--error-rate", 0, 0.95),
        ),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Days in the month.", min=1, max=31)] = 30,
    cache_target: Annotated[
        float | None,
        typer.Option(
            "--cache-target",
            help="Cache hit rate to price the saving of (default: [targets] cache_hit_ratio with --config).",
            callback=_number("--cache-target", 0, 1),
        ),
    ] = None,
    cheaper_model: Annotated[
        str | None, typer.Option("--cheaper-model", help="A cheaper model for part of the traffic.")
    ] = None,
    cheaper_share: Annotated[
        float,
        typer.Option(
            "--cheaper-share",
            help="Share of traffic the cheaper model could take (0-1).",
            callback=_number("--cheaper-share", 0, 1),
        ),
    ] = 0.3,
    usage: Annotated[
        list[Path] | None,
        typer.Option(
            "--usage",
            help="A saved load/eval/red-team run whose recorded usage (tokens, chat errors) to use (repeatable).",
            callback=opt.checked(lambda paths: [validate.existing_file(p, what="usage file") for p in paths]),
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="A saved audit or red-team run (JSON): its long-input probe gives the worst case per call.",
            callback=opt.existing_file("report"),
        ),
    ] = None,
    probe_chars: Annotated[
        int | None,
        typer.Option(
            "--probe-chars", help="Worst-case message size in characters (instead of --report).", min=1
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Add the estimate to this saved audit report (JSON) as its cost section.",
            callback=opt.existing_file("report"),
        ),
    ] = None,
    config: opt.OptionalConfigOption = None,
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
) -> None:
    """Estimate the monthly LLM bill: low/expected/high, savings from caching and a cheaper model, worst case."""
    from datetime import UTC, datetime

    from launchready.cli import common
    from launchready.cli.options import OutputFormat
    from launchready.cost import (
        PriceFileError,
        Traffic,
        combine,
        estimate,
        load_prices,
        probe_from_run,
        read_usage,
        render_json,
        render_markdown,
        render_terminal,
        to_document,
        worst_case,
    )  # fmt: skip

    resolved = common.resolve_format(fmt, output, OutputFormat.TERMINAL)
    if resolved is OutputFormat.SARIF:
        raise common.fail_usage("cost renders terminal, json, markdown or html, not sarif")
    launch_config = common.load_config_or_exit(config) if config is not None else None
    try:
        book = load_prices(prices)
    except PriceFileError as exc:
        raise common.fail_usage(str(exc)) from None
    recorded = []
    for path in usage or []:
        try:
            recorded.append(read_usage(path))
        except (OSError, ValueError) as exc:
            raise common.fail_usage(f"{path}: {exc}") from None
    combined = combine(recorded)
    notes = list(combined.notes)
    input_tokens = combined.input_tokens if input_tokens is None else input_tokens
    output_tokens = combined.output_tokens if output_tokens is None else output_tokens
    error_rate = combined.error_rate if error_rate is None else error_rate
    missing = [name for name, value in (("--users", users), ("--messages", messages), ("--input-tokens", input_tokens), ("--output-tokens", output_tokens)) if value is None]  # fmt: skip
    if missing:
        raise common.fail_usage(
            f"give {', '.join(missing)} (tokens may come from --usage with recorded usage)"
        )
    assert (
        users is not None and messages is not None and input_tokens is not None and output_tokens is not None
    )
    traffic = Traffic(
        users, messages, input_tokens, output_tokens, cache_hit, retry_rate, error_rate or 0.0, days
    )
    if cache_target is None and launch_config is not None:
        cache_target = launch_config.targets.cache_hit_ratio
    worst = None
    try:
        main_price = book.price(model)
        if cheaper_model is not None:
            book.price(cheaper_model)
    except KeyError as exc:
        raise common.fail_usage(str(exc.args[0])) from None
    if report is not None:
        from launchready.report import load_report_json

        try:
            run = load_report_json(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise common.fail_usage(f"{report}: not a launchready JSON report: {str(exc)[:200]}") from None
        seen = probe_from_run(run)
        if seen is None:
            notes.append(
                f"{report.name}: no long-input probe on record (perf.payload.oversized-input or redteam.input.long): no worst case"
            )
        else:
            worst = worst_case(
                traffic, main_price, seen.chars, seen.status, f"{seen.key}: {seen.evidence}",
                prompt_tokens=seen.prompt_tokens, completion_tokens=seen.completion_tokens,
            )  # fmt: skip
    elif probe_chars is not None:
        worst = worst_case(traffic, main_price, probe_chars, "not run", f"--probe-chars {probe_chars}")
    today = datetime.now(UTC).date().isoformat()
    result = estimate(
        traffic, book, model, today_iso=today, cache_target=cache_target,
        cheaper_model=cheaper_model, cheaper_share=cheaper_share if cheaper_model else 0.0,
        worst=worst, notes=tuple(notes),
    )  # fmt: skip
    if into is not None:
        _attach(into, to_document(result))
    match resolved:
        case OutputFormat.JSON:
            text = render_json(result)
        case OutputFormat.MARKDOWN:
            text = render_markdown(result)
        case OutputFormat.HTML:
            from launchready.cost.render import render_html_section

            text = f"<!doctype html><html lang='en'><meta charset='utf-8'><title>LLM cost</title>{render_html_section(to_document(result))}</html>"
        case _:
            text = render_terminal(result)
    common.write_text(text, output)


def _attach(path: Path, document: dict[str, object]) -> None:
    """Write the estimate into a saved audit report's artifacts (validated by loading it back)."""
    import json

    from launchready.cli import common
    from launchready.report import load_report_json

    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        saved.setdefault("artifacts", {})["cost"] = document
        text = json.dumps(saved, indent=2, ensure_ascii=False) + "\n"
        load_report_json(text)
        path.write_text(text, encoding="utf-8")
    except (OSError, ValueError, AttributeError) as exc:
        raise common.fail_usage(f"--into {path}: {str(exc)[:200]}") from None
    common.stderr_console().print(f"cost section added to {path}", markup=False)
