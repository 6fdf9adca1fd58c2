"""``launchready eval CASES``: run an eval set through the product's chat; exit 1 when a case fails.

Thin: parse, load the config and the cases, run ``launchready.evals`` inside the deadline, compare with
``--baseline`` when given, render (terminal, json, junit, markdown, html), exit 0 / 1 / 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchready.cli import options as opt
from launchready.cli import validate

if TYPE_CHECKING:
    from launchready.config import LaunchConfig
    from launchready.evals.cases import EvalSuite
    from launchready.evals.runner import EvalRun

EvalFormatArg = Annotated[
    str | None,
    typer.Option("--format", "-f", help="terminal, json, junit, markdown or html (default: from --output)."),
]


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_cases)


def eval_cases(
    cases: Annotated[
        Path,
        typer.Argument(
            help="Cases file (YAML, JSON or TOML; promptfoo-style tests).",
            callback=opt.checked(lambda p: validate.existing_file(p, what="cases file")),
        ),
    ],
    config: opt.ConfigOption = Path("launchready.toml"),
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="A previous run's JSON (--format json): show new failures, fixed cases, latency/TTFT shifts.",
            callback=opt.checked(lambda p: validate.existing_file(p, what="baseline")),
        ),
    ] = None,
    fmt: EvalFormatArg = None,
    output: opt.PlainOutputOption = None,
    fail_on: opt.FailOnOption = opt.FailOn.HIGH,
    deadline: opt.DeadlineOption = 180.0,
) -> None:
    """Run an eval set (contains, regex, is-json, max-latency, max-ttft...) against the chat."""
    from launchready.cli import common
    from launchready.cli.exit_status import ExitStatus
    from launchready.cli.runtime import DeadlineExceeded
    from launchready.evals.baseline import BaselineError, compare, load_baseline
    from launchready.evals.cases import EvalFileError, load_cases
    from launchready.evals.formats import SUFFIXES, EvalFormat, render

    try:
        chosen = (
            EvalFormat(fmt)
            if fmt
            else SUFFIXES.get(output.suffix.lower(), EvalFormat.TERMINAL)
            if output
            else EvalFormat.TERMINAL
        )
    except ValueError:
        raise common.fail_usage(
            f"--format {fmt!r}: expected one of {', '.join(f.value for f in EvalFormat)}"
        ) from None
    launch_config = common.load_config_or_exit(config)
    try:
        suite = load_cases(cases)
        previous = load_baseline(baseline) if baseline is not None else None
    except (EvalFileError, BaselineError) as exc:
        raise common.fail_usage(str(exc)) from None
    try:
        run = common.run_async(
            _run(launch_config, suite, cases.name, nameserver, ca_bundle), deadline_s=deadline
        )
    except DeadlineExceeded as exc:
        common.echo_error(f"the eval {exc}")
        raise typer.Exit(ExitStatus.BLOCKERS) from None
    except LookupError as exc:
        raise common.fail_usage(str(exc)) from None
    comparison = compare(run, previous, str(baseline)) if previous is not None and baseline else None
    common.write_text(render(run, comparison, chosen), output)
    if output is not None:
        common.stderr_console().print(f"eval results written to {output}", markup=False)
    failed = bool(run.failed) and fail_on is not opt.FailOn.NEVER
    raise typer.Exit(ExitStatus.BLOCKERS if failed else ExitStatus.READY)


async def _run(
    config: LaunchConfig, suite: EvalSuite, name: str, nameserver: str | None, ca_bundle: Path | None
) -> EvalRun:
    from launchready.chat import ChatClient, ChatConfigError
    from launchready.chat.client import estimate_run
    from launchready.cli import common
    from launchready.evals.runner import run_suite
    from launchready.net import DnsResolver, HttpClient, Limits

    turns = [turn for case in suite.tests for turn in case.turns]
    common.stderr_console().print(
        f"eval: {estimate_run(config.chat, len(turns), sum(map(len, turns))).describe()}", markup=False
    )
    limits = Limits()
    async with HttpClient(
        DnsResolver(limits, nameserver=nameserver), limits, ca_bundle=str(ca_bundle) if ca_bundle else None
    ) as http:
        try:
            client = ChatClient(config, http)
        except ChatConfigError as exc:
            raise LookupError(str(exc)) from None
        return await run_suite(client, suite, name)
