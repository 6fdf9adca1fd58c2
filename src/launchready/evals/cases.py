"""The eval cases file: cases with an input or a conversation, and promptfoo-named assertions.

YAML (what promptfoo users port), JSON or TOML, by suffix. The shape follows promptfoo's test cases so a
case moves over with little editing: ``tests`` (or ``cases``), each with ``description``, the message as
``input`` or ``vars.message`` (promptfoo's variable), or a ``conversation`` of user turns (the assertions
judge the last answer), and ``assert``: a list of ``{type, value, threshold}``. ``defaults.assert``
(promptfoo's ``defaultTest``) applies to every case. A ``not-`` prefix negates any text assertion.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

TEXT_TYPES = frozenset({"contains", "icontains", "regex", "equals", "is-json", "starts-with"})
METRIC_TYPES = frozenset({"max-latency", "latency", "max-ttft", "ttft", "max-length", "cost"})


class EvalFileError(ValueError):
    """The cases file cannot be read or does not have the expected shape (exit 2, never a crash)."""


class Assertion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    type: str
    value: Any = None
    threshold: float | None = None

    @model_validator(mode="after")
    def _known(self) -> Assertion:
        base = self.type.removeprefix("not-")
        if base not in TEXT_TYPES | METRIC_TYPES:
            known = ", ".join(sorted(TEXT_TYPES | METRIC_TYPES))
            raise ValueError(f"unknown assertion type {self.type!r} (known: {known}, and not-<text type>)")
        if base in METRIC_TYPES and self.type.startswith("not-"):
            raise ValueError(f"{self.type!r}: a limit cannot be negated")
        if base in METRIC_TYPES and self.limit is None:
            raise ValueError(f"{self.type!r} needs a threshold (or a numeric value)")
        if base in {"contains", "icontains", "regex", "equals", "starts-with"} and not isinstance(
            self.value, str
        ):
            raise ValueError(f"{self.type!r} needs a text value")
        return self

    @property
    def limit(self) -> float | None:
        if self.threshold is not None:
            return self.threshold
        return float(self.value) if isinstance(self.value, int | float) else None


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    description: str = ""
    input: str | None = None
    vars: dict[str, Any] = Field(default_factory=dict)
    conversation: tuple[str, ...] = ()
    assertions: tuple[Assertion, ...] = Field(default=(), alias="assert")

    @model_validator(mode="after")
    def _one_message(self) -> EvalCase:
        if not self.turns:
            raise ValueError("a case needs an input, vars.message or a conversation")
        return self

    @property
    def turns(self) -> tuple[str, ...]:
        if self.conversation:
            return self.conversation
        message = self.input if self.input is not None else self.vars.get("message")
        return (str(message),) if message is not None else ()


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    assertions: tuple[Assertion, ...] = Field(default=(), alias="assert")


class EvalSuite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    description: str = ""
    defaults: Defaults = Field(default_factory=Defaults, alias="defaultTest")
    tests: tuple[EvalCase, ...] = Field(min_length=1)

    def case_ids(self) -> list[str]:
        """A stable id per case (its description, else its first message), unique within the file."""
        ids: list[str] = []
        for index, case in enumerate(self.tests, 1):
            name = case.description or case.turns[0][:60]
            ids.append(name if name not in ids else f"{name} #{index}")
        return ids


def load_cases(path: Path) -> EvalSuite:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvalFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".json":
            raw = json.loads(text)
        elif path.suffix.lower() == ".toml":
            raw = tomllib.loads(text)
        else:
            raw = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise EvalFileError(f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}") from None
    if isinstance(raw, list):
        raw = {"tests": raw}
    if isinstance(raw, dict) and "cases" in raw and "tests" not in raw:
        raw["tests"] = raw.pop("cases")
    if isinstance(raw, dict) and "defaults" in raw:
        raw["defaultTest"] = raw.pop("defaults")
    for key in ("prompts", "providers"):  # promptfoo's own wiring: the product's [chat] replaces it
        if isinstance(raw, dict):
            raw.pop(key, None)
    try:
        return EvalSuite.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EvalFileError(f"{path}: {where}: {first['msg']}") from None
