"""The sprint and risk-score rules, loaded from ``data/sprints.toml`` and validated at load.

What a signal means, which sprint it points to and how many points a risk weighs are data, so the
recommendation can be tuned (and reviewed) without touching the code that reads a report.
"""

from __future__ import annotations

import enum
import functools
import tomllib
from datetime import date
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchready.findings import Severity, Stage, Status


class SignalKind(enum.StrEnum):
    FINDINGS = "findings"
    NO_PASS = "no_pass"
    STAGE_BELOW = "stage_below"
    BOTTLENECK = "bottleneck"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signal(_Data):
    name: str = ""
    kind: SignalKind
    rule_prefixes: tuple[str, ...] = ()
    exclude_prefixes: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    must_do_now: bool = False
    stage: Stage | None = None
    stages: tuple[Stage, ...] = ()
    below: int = Field(default=80, ge=0, le=100)
    says: str
    question: str
    risk_points: int = Field(default=0, ge=0, le=100)

    def matches_rule(self, rule_id: str) -> bool:
        if any(rule_id.startswith(prefix) for prefix in self.exclude_prefixes):
            return False
        return any(rule_id.startswith(prefix) for prefix in self.rule_prefixes)


class Sprint(_Data):
    id: str
    title: str
    goal: str
    when_any: tuple[str, ...]


class RiskLevel(_Data):
    at_least: int = Field(ge=0, le=100)
    name: str


class RiskWeights(_Data):
    cap: int = Field(default=100, gt=0)
    unverifiable_factor: float = Field(ge=0, le=1)
    warn_factor: float = Field(ge=0, le=1)
    missing_stage_points: int = Field(ge=0)
    missing_stages: tuple[Stage, ...]
    points: dict[Severity, int]
    level: tuple[RiskLevel, ...]

    def level_of(self, score: int) -> str:
        return max((lvl for lvl in self.level if score >= lvl.at_least), key=lambda lvl: lvl.at_least).name


class SprintRules(_Data):
    updated: date
    signal: dict[str, Signal]
    sprint: tuple[Sprint, ...] = Field(min_length=1)
    risk: RiskWeights

    @model_validator(mode="after")
    def _signals_known(self) -> SprintRules:
        for sprint in self.sprint:
            unknown = [name for name in sprint.when_any if name not in self.signal]
            if unknown:
                raise ValueError(f"sprint {sprint.id} names unknown signals: {', '.join(unknown)}")
        return self

    @property
    def signals(self) -> tuple[Signal, ...]:
        return tuple(s.model_copy(update={"name": name}) for name, s in self.signal.items())


def parse_rules(text: str) -> SprintRules:
    raw: dict[str, Any] = tomllib.loads(text)
    return SprintRules.model_validate(raw)


@functools.cache
def load_rules() -> SprintRules:
    """The packaged rules, parsed once per process (a malformed file raises at the first use)."""
    text = resources.files("launchready.score").joinpath("data", "sprints.toml").read_text(encoding="utf-8")
    return parse_rules(text)
