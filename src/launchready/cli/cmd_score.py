"""``launchready score [REPORT.json]``: app-risk score, launch-readiness verdict and the next sprint.

Thin: read a saved audit (schema 2) or the questionnaire's answers (``--interactive`` or ``--answer``),
call ``launchready.score``, render. Exit 0 with a verdict, 2 on bad input. ``--nameserver`` and
``--ca-bundle`` are accepted like every command's, and unused: scoring reads files, never the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchready.cli import options as opt

AnswerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        help="Answer a questionnaire item without prompting: NAME=yes|no (repeatable; see --interactive).",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def _parse_answers(values: list[str]) -> dict[str, bool]:
    from launchready.cli import common
    from launchready.score import load_rules

    known = load_rules().signal
    answers: dict[str, bool] = {}
    for value in values:
        name, _, said = value.partition("=")
        said = said.strip().lower()
        if name not in known or said not in ("yes", "no", "y", "n", "true", "false"):
            names = ", ".join(known)
            raise common.fail_usage(f"--answer {value!r}: expected NAME=yes|no with NAME one of {names}")
        answers[name] = said in ("yes", "y", "true")
    return answers


def _ask(answers: dict[str, bool]) -> dict[str, bool]:
    from launchready.score import load_rules

    for name, signal in load_rules().signal.items():
        if name not in answers:
            answers[name] = typer.confirm(signal.question, default=False, err=True)
    return answers


def score(
    saved: Annotated[
        Path | None,
        typer.Argument(
            help="A JSON audit report (launchready audit -o run.json). Without one, answer the questionnaire.",
            callback=opt.existing_file("report"),
        ),
    ] = None,
    config: opt.OptionalConfigOption = None,
    nameserver: opt.NameserverOption = None,
    ca_bundle: opt.CaBundleOption = None,
    fmt: opt.FormatOption = None,
    output: opt.OutputOption = None,
    load: Annotated[
        Path | None,
        typer.Option(
            "--load",
            help="A saved load run (launchready load -o load.json) whose bottleneck points to the scale sprint.",
            callback=opt.existing_file("load results"),
        ),
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Ask the short questionnaire (when there is no report)."),
    ] = False,
    answer: AnswerOption = None,
) -> None:
    """Score the app's risk, say whether it is ready to launch, and recommend the next sprint."""
    import json

    from launchready.cli import common
    from launchready.cli.options import OutputFormat
    from launchready.score import (
        render_html,
        render_json,
        render_markdown,
        render_terminal,
        score_answers,
        score_report,
    )  # fmt: skip

    resolved = common.resolve_format(fmt, output, OutputFormat.TERMINAL)
    if resolved is OutputFormat.SARIF:
        raise common.fail_usage("score renders terminal, json, markdown or html, not sarif")
    launch_config = common.load_config_or_exit(config) if config is not None else None
    if saved is not None:
        if interactive or answer:
            raise common.fail_usage("give either a saved report or questionnaire answers, not both")
        from launchready.report import load_report

        try:
            report = load_report(saved.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise common.fail_usage(f"{saved}: not a launchready JSON report: {first[:200]}") from None
        load_doc = None
        if load is not None:
            try:
                load_doc = json.loads(load.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise common.fail_usage(f"{load}: not a load results file: {exc}") from None
            if not isinstance(load_doc, dict) or "routes" not in load_doc:
                raise common.fail_usage(f"{load}: not a load results file (no routes)")
        targets = launch_config.targets if launch_config else None
        result = score_report(report, load=load_doc, targets=targets)
    elif interactive or answer:
        answers = _parse_answers(answer or [])
        if interactive:
            answers = _ask(answers)
        product = launch_config.product.name if launch_config else ""
        domain = launch_config.apex if launch_config else ""
        result = score_answers(answers, product=product, domain=domain)
    else:
        raise common.fail_usage(
            "give a saved audit report (launchready audit -o run.json), or --interactive / --answer NAME=yes|no"
        )
    match resolved:
        case OutputFormat.JSON:
            text = render_json(result)
        case OutputFormat.MARKDOWN:
            text = render_markdown(result)
        case OutputFormat.HTML:
            text = render_html(result)
        case _:
            text = render_terminal(result)
    common.write_text(text, output)
    if output is not None:
        common.stderr_console().print(f"score written to {output}", markup=False)
