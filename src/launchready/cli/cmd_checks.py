"""``launchready checks``: every rule with its id, stage, severity and what it verifies."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.table import Table

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
    if not as_json:
        # The rule files alone: importing every check would load the network stack for a listing.
        from launchready.cli.common import console
        from launchready.rules import all_rules as rules_in_data

        console().print(*rule_tables(rules_in_data()))
        return
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
        for check, rule in all_rules()
    ]
    typer.echo(json.dumps(payload, indent=2))


def rule_tables(rules: list[RuleSpec]) -> list[Table]:
    """One table per stage (the stage is the title), so the rule id column can stay whole at 80 columns."""
    from rich import box
    from rich.table import Table

    longest = max((len(rule.rule_id) for rule in rules), default=10)
    stages: dict[str, list[RuleSpec]] = {}
    for rule in rules:
        stages.setdefault(rule.stage.value, []).append(rule)
    tables = []
    for stage, specs in stages.items():
        table = Table(title=f"{stage}: {len(specs)} rules", box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("rule id", no_wrap=True, min_width=longest)
        table.add_column("severity", no_wrap=True)
        table.add_column("verifies", overflow="fold", ratio=1)
        for rule in specs:
            table.add_row(rule.rule_id, rule.severity.value, rule.description, end_section=False)
        tables.append(table)
    return tables
