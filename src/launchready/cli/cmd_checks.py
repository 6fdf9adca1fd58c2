"""``launchready checks``: every rule with its id, stage, severity and what it verifies."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from launchready.checks.interface import Check
    from launchready.findings import RuleSpec


def register(app: typer.Typer) -> None:
    app.command("checks")(checks)


def all_rules() -> list[tuple[Check, RuleSpec]]:
    """(check, rule) for every registered rule, in registry order."""
    from launchready.checks.registry import all_checks

    return [(check, rule) for check in all_checks() for rule in check.rules]


def checks(
    as_json: Annotated[bool, typer.Option("--json", help="Print the rules as JSON.")] = False,
) -> None:
    """List every rule launchready can report (`launchready explain RULE` tells more about one)."""
    rules = all_rules()
    if as_json:
        payload = [
            {
                "rule_id": rule.rule_id,
                "check": check.name,
                "stage": rule.stage.value,
                "severity": rule.severity.value,
                "title": rule.title,
                "description": rule.description,
                "opt_in": check.opt_in,
            }
            for check, rule in rules
        ]
        typer.echo(json.dumps(payload, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rules)} rules", show_lines=False)
    for column in ("rule id", "stage", "severity", "verifies"):
        table.add_column(column, overflow="fold")
    for _, rule in rules:
        table.add_row(rule.rule_id, rule.stage.value, rule.severity.value, rule.description)
    Console(highlight=False).print(table)
