"""``launchready explain RULE``: what a rule checks, why it matters, how to verify it by hand, the fix.

The answer to "should I trust this finding?" without reading launchready's code: the manual command (dig,
openssl, curl) reproduces the observation, in the product's own names when ``--config`` is given, else with
``{{domain}}``/``{{host}}`` left for the reader to fill.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchready.cli import options as opt

if TYPE_CHECKING:
    from launchready.findings import RuleSpec

NOT_WRITTEN = "(not written yet for this rule)"


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def find_rule(rule_id: str) -> RuleSpec:
    """The rule with this id (data files first, then the checks' declarations), or ``KeyError``."""
    from launchready.checks.registry import all_checks
    from launchready.engine.runner import ENGINE_RULES
    from launchready.rules import all_rules

    wanted = rule_id.strip().lower()
    for spec in [*all_rules(), *ENGINE_RULES, *(s for c in all_checks() for s in c.rules)]:
        if spec.rule_id == wanted:
            return spec
    raise KeyError(rule_id)


def _block(title: str, body: str, indent: str = "  ") -> list[str]:
    lines = [title]
    for paragraph in (body.strip() or NOT_WRITTEN).splitlines():
        lines += textwrap.wrap(paragraph, 100, initial_indent=indent, subsequent_indent=indent) or [""]
    return [*lines, ""]


def render_explanation(spec: RuleSpec, names: dict[str, str] | None = None) -> str:
    """The explanation as plain text; ``names`` (domain, host, canonical) fill the placeholders."""
    from launchready.rules import fill as fill_text
    from launchready.rules import fill_fix

    fix = spec.fix

    def fill(text: str) -> str:
        return fill_text(text, **names) if names else text

    if names:
        fix = fill_fix(fix, **names)
    lines = [
        f"{spec.rule_id} — {spec.title}",
        f"stage: {spec.stage.value} · severity: {spec.severity.value}",
        "",
    ]
    lines += _block("What it checks", spec.description)
    lines += _block("Why it matters", spec.why)
    lines += ["How to verify it by hand"]
    lines += [f"  {line}" for line in (fill(spec.verify).strip() or NOT_WRITTEN).splitlines()] + [""]
    lines += _block("Fix", fix.summary)
    for number, step in enumerate(fix.steps, 1):
        lines += textwrap.wrap(step, 100, initial_indent=f"  {number}. ", subsequent_indent="     ")
    for where, snippet in fix.snippets.items():
        lines += ["", f"  {where}:"] + [f"    {line}" for line in snippet.rstrip().splitlines()]
    if fix.references:
        lines += ["", "References"] + [f"  {ref}" for ref in fix.references]
    return "\n".join(lines).rstrip() + "\n"


def _known_rule(rule_id: str) -> str:
    """The argument's callback: an unknown rule is a usage error with a "did you mean"."""
    from launchready.cli import validate

    try:
        return find_rule(validate.text(rule_id, what="the rule id", max_length=200)).rule_id
    except (KeyError, ValueError):
        ids, _ = opt.known_rule_selectors()
        hint = validate.did_you_mean(rule_id, ids)
        raise typer.BadParameter(
            f"no rule {validate.shown(rule_id)}{hint} (`launchready checks` lists them)"
        ) from None


def explain(
    rule_id: Annotated[
        str,
        typer.Argument(
            metavar="RULE", help="A rule id, as `launchready checks` lists.", callback=_known_rule
        ),
    ],
    config: opt.OptionalConfigOption = None,
) -> None:
    """Explain a rule: what it checks, why it matters, how to verify it by hand, and the fix."""
    from launchready.cli import common

    spec = find_rule(rule_id)
    names = None
    if config is not None:
        launch_config = common.load_config_or_exit(Path(config))
        names = {
            "domain": launch_config.apex,
            "host": launch_config.canonical_host,
            "canonical": launch_config.canonical_host,
        }
    typer.echo(render_explanation(spec, names), nl=False)
