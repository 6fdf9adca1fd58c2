"""Rules are data: what each rule *is* lives in one TOML file per roadmap stage, validated at import.

Like gitleaks' and Semgrep's rule files, ``data/<stage>.toml`` holds each rule's id, title, severity,
the three impact axes, the fix (summary, steps, snippets, references), why it matters and how to verify it
by hand. Check modules only observe and judge, and refer to their rules by id (``rule("tls.cert.expired")``).
A rule whose file names the wrong stage, a duplicate id or a malformed field stops the import with the file
and the rule id, so a broken rule file never reaches a user's audit.

Snippets and manual commands may say ``{{domain}}`` (the product's apex), ``{{host}}`` (the finding's
host) and ``{{canonical}}`` (the host users land on); ``fill`` puts the product's own names in.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from launchready.findings import Fix, Impact, RuleSpec, Severity, Stage

__all__ = ["RuleFileError", "all_rules", "fill", "fill_fix", "rule", "rules_of_stage"]


class RuleFileError(RuntimeError):
    """A rule file is malformed: a packaging bug, reported with the file and rule id."""


class _RuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    severity: Severity
    description: str
    why: str = ""
    verify: str = ""
    root_cause: bool = False
    impact: Impact
    fix: Fix


class _RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: list[_RuleEntry] = Field(default_factory=list)


def _load_stage(stage: Stage) -> list[RuleSpec]:
    name = f"{stage.value}.toml"
    source = resources.files("launchready.rules").joinpath("data", name)
    if not source.is_file():
        return []
    try:
        raw: dict[str, Any] = tomllib.loads(source.read_text(encoding="utf-8"))
        parsed = _RuleFile.model_validate(raw)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise RuleFileError(f"rules/data/{name}: {exc}") from exc
    specs = []
    for entry in parsed.rule:
        try:
            specs.append(
                RuleSpec(
                    rule_id=entry.id,
                    title=entry.title,
                    stage=stage,
                    severity=entry.severity,
                    description=entry.description,
                    impact=entry.impact,
                    fix=entry.fix,
                    why=entry.why,
                    verify=entry.verify,
                    root_cause=entry.root_cause,
                )
            )
        except ValidationError as exc:
            raise RuleFileError(f"rules/data/{name}: rule {entry.id}: {exc}") from exc
    return specs


@functools.cache
def _catalogue() -> dict[str, RuleSpec]:
    catalogue: dict[str, RuleSpec] = {}
    for stage in Stage:
        for spec in _load_stage(stage):
            if spec.rule_id in catalogue:
                raise RuleFileError(f"rules/data/{stage.value}.toml: duplicate rule id {spec.rule_id}")
            catalogue[spec.rule_id] = spec
    return catalogue


def rule(rule_id: str) -> RuleSpec:
    """The rule with this id; a KeyError (a packaging bug) when no rule file declares it."""
    try:
        return _catalogue()[rule_id]
    except KeyError:
        raise KeyError(f"no rule file declares {rule_id!r}") from None


def all_rules() -> list[RuleSpec]:
    """Every rule of every stage, in stage then id order."""
    return list(_catalogue().values())


def rules_of_stage(stage: Stage) -> list[RuleSpec]:
    return [spec for spec in _catalogue().values() if spec.stage is stage]


_PLACEHOLDER = re.compile(r"\{\{\s*(domain|host|canonical)\s*\}\}")


def fill(text: str, *, domain: str, host: str | None = None, canonical: str | None = None) -> str:
    """Put the product's own names into a snippet or a manual command."""
    values = {"domain": domain, "host": host or domain, "canonical": canonical or domain}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def fill_fix(fix: Fix, *, domain: str, host: str | None = None, canonical: str | None = None) -> Fix:
    """The fix with every snippet and step in the product's own names."""

    def f(text: str) -> str:
        return fill(text, domain=domain, host=host, canonical=canonical)

    return fix.model_copy(
        update={
            "summary": f(fix.summary),
            "steps": tuple(f(step) for step in fix.steps),
            "snippets": {key: f(value) for key, value in fix.snippets.items()},
        }
    )
