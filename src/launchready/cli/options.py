"""The options commands share, each validated by a callback before the command body runs.

Why callbacks: click runs every parameter's conversion and callback before it invokes the command, so a bad
value ends the call (exit 2, one line naming the option) before a config is read, a lab started or a packet
sent — and the same holds when a test registers one command on its own ``typer.Typer``.

This module is imported by every ``cmd_*`` module at start-up, so it imports only typer and the standard
library: the engine, the report renderers and the rule catalogue load inside the callbacks that need them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from launchready.cli import validate

T = TypeVar("T")


class OutputFormat(enum.StrEnum):
    """The report formats (the values of ``launchready.report.ReportFormat``; a test keeps them equal).

    A copy rather than an import, so ``--help`` does not load the five renderers.
    """

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    SARIF = "sarif"
    JUNIT = "junit"


class FailOn(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"
    NEVER = "never"


SUFFIX_FORMAT = {
    ".json": OutputFormat.JSON,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
    ".sarif": OutputFormat.SARIF,
    ".txt": OutputFormat.TERMINAL,
    ".xml": OutputFormat.JUNIT,
}


def checked(check: Callable[[T], T]) -> Callable[[T | None], T | None]:
    """A typer callback running ``check`` on a given value; its ValueError becomes click's BadParameter."""

    def callback(value: T | None) -> T | None:
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return callback


def existing_file(what: str) -> Callable[[Path | None], Path | None]:
    """A typer callback: the path must be an existing file (``what`` names it in the one-line error)."""
    return checked(lambda path: validate.existing_file(path, what=what))


def each(check: Callable[[str], str]) -> Callable[[list[str] | None], list[str] | None]:
    """The same for a repeatable option: every value is checked."""

    def callback(values: list[str] | None) -> list[str] | None:
        if values is None:
            return None
        try:
            return [check(value) for value in values]
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return callback


def _deadline(value: float) -> float:
    return validate.number(value, what="the deadline", minimum=1, maximum=3600, unit="seconds")


def _output(ctx: typer.Context, value: Path | None) -> Path | None:
    """The report file: writable, and its suffix names a format unless ``--format`` (eager) does."""
    if value is None:
        return None
    try:
        validate.writable_path(value, what="report")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if ctx.params.get("fmt") is None and value.suffix.lower() not in SUFFIX_FORMAT:
        known = ", ".join(sorted(SUFFIX_FORMAT))
        raise typer.BadParameter(
            f"cannot tell the report format from {validate.shown(value.name)}; "
            f"add --format, or end the name in one of {known}"
        )
    return value


def known_rule_selectors() -> tuple[set[str], set[str]]:
    """(rule ids, stages and id prefixes) that ``--only``/``--skip`` accept: ``tls``, ``tls.cert``…"""
    from launchready.checks.registry import all_checks
    from launchready.engine.runner import ENGINE_RULES
    from launchready.findings import Stage
    from launchready.rules import all_rules

    ids = {spec.rule_id for spec in all_rules()}
    ids |= {spec.rule_id for check in all_checks() for spec in check.rules}
    ids |= {spec.rule_id for spec in ENGINE_RULES}
    prefixes = {
        rule_id.rsplit(".", depth)[0] for rule_id in ids for depth in range(1, rule_id.count(".") + 1)
    }
    return ids, prefixes | {stage.value for stage in Stage}


def known_groups() -> set[str]:
    """The opt-in groups ``--with`` accepts (each check's ``opt_in``)."""
    from launchready.checks.registry import all_checks

    return {check.opt_in for check in all_checks() if check.opt_in}


def _selectors(values: list[str] | None) -> list[str] | None:
    if not values:
        return values
    ids, others = known_rule_selectors()
    for value in values:
        validate.text(value, what="a rule selector", max_length=200)
        token = value.strip().lower()
        bare = token[:-2] if token.endswith(".*") else token
        if bare not in ids and bare not in others:
            hint = validate.did_you_mean(bare, ids | others)
            raise typer.BadParameter(
                f"no rule id, id prefix or stage {validate.shown(value)}{hint} (`launchready checks` lists them)"
            )
    return values


def _groups(values: list[str] | None) -> list[str] | None:
    if not values:
        return values
    groups = known_groups()
    for value in values:
        if value.strip().lower() not in groups:
            hint = validate.did_you_mean(value, groups) or f" (known: {', '.join(sorted(groups))})"
            raise typer.BadParameter(f"no check group {validate.shown(value)}{hint}")
    return [value.strip().lower() for value in values]


def _selectors_callback(values: list[str] | None) -> list[str] | None:
    try:
        return _selectors(values)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config",
        "-c",
        help="The launchready.toml to use.",
        show_default=True,
        callback=checked(validate.config_path),
    ),
]
OptionalConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help="A launchready.toml to read.", callback=checked(validate.config_path)
    ),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format (default: terminal, or from the --output file's suffix).",
        is_eager=True,  # processed before --output, whose suffix check needs to know it
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to this file instead of stdout (.json .md .html .sarif .xml .txt).",
        callback=_output,
    ),
]
PlainOutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout.",
        callback=checked(validate.writable_path),
    ),
]
FailOnOption = Annotated[
    FailOn,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a fail or unverifiable finding is at or above this severity ('never' to always exit 0).",
    ),
]
NameserverOption = Annotated[
    str | None,
    typer.Option(
        "--nameserver",
        help="Send every DNS query to this server: IP, IP:PORT or [IPv6]:PORT.",
        show_default=False,
        callback=checked(validate.nameserver),
    ),
]
CaBundleOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-bundle",
        help="Also trust the CA certificates in this PEM file.",
        callback=checked(lambda path: validate.existing_file(path, what="CA bundle")),
    ),
]
DeadlineOption = Annotated[
    float,
    typer.Option(
        "--deadline",
        help="Deadline for the whole run, in seconds (1-3600); the command ends within it plus 1 s.",
        callback=checked(_deadline),
    ),
]
OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only", help="Run only these rule ids, id prefixes (tls) or stages.", callback=_selectors_callback
    ),
]
SkipOption = Annotated[
    list[str] | None,
    typer.Option("--skip", help="Skip these rule ids, id prefixes or stages.", callback=_selectors_callback),
]
WithOption = Annotated[
    list[str] | None,
    typer.Option(
        "--with",
        help="Also run an opt-in group of checks, e.g. 'performance' (sends load).",
        callback=_groups,
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Print internal tracebacks of crashed checks.")]
AllOption = Annotated[
    bool,
    typer.Option(
        "--all", help="Terminal report: list every root cause, must-do and can-wait item, not the top."
    ),
]
