"""Keep environments apart: no secret shared between two of them, and no variable missing in one.

Roadmap: "API keys are shared across environments" is a launch blocker — a leaked dev key then opens
production, and a dev load test bills the production account. Values are compared by fingerprint only
(the keyed ``redaction.fingerprint``), so no two values are ever held side by side in a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from launchready.secrets.envfiles import parse_env
from launchready.secrets.matcher import Matcher, is_placeholder
from launchready.secrets.redaction import RedactedSecret

_SECRET_NAME = re.compile(r"(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?|DSN|DATABASE_URL)$", re.I)


@dataclass(frozen=True)
class SharedSecret:
    fingerprint: str
    secret: RedactedSecret
    variables: tuple[str, ...]
    environments: tuple[str, ...]


@dataclass(frozen=True)
class MissingVariables:
    environment: str
    missing: tuple[str, ...]
    """Variables another environment defines and this one does not."""


@dataclass
class EnvironmentComparison:
    environments: tuple[str, ...]
    shared: list[SharedSecret] = field(default_factory=list)
    missing: list[MissingVariables] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)
    """Environment → why its file could not be read (permissions, encoding): unverifiable."""
    absent: dict[str, str] = field(default_factory=dict)
    """Environment → its configured file, which does not exist: nothing to compare (not assessed)."""

    @property
    def compared(self) -> int:
        """Environments whose variables were really read and compared."""
        return len(self.missing)


def _secret_values(variables: dict[str, str], matcher: Matcher) -> dict[str, tuple[str, RedactedSecret]]:
    """fingerprint → (variable, redacted) for every value that is a server-side secret."""
    found: dict[str, tuple[str, RedactedSecret]] = {}
    for name, value in variables.items():
        matches = [m for m in matcher.scan(f"{name}={value}".encode()) if m.rule.is_secret]
        if matches:
            for match in matches:
                found[match.secret.fingerprint] = (name, match.secret)
        elif _SECRET_NAME.search(name) and len(value) >= 8 and not is_placeholder(value):
            redacted = RedactedSecret.of(value, "Generic", key=matcher.key)
            found[redacted.fingerprint] = (name, redacted)
    return found


def compare_environments(envs: dict[str, Path], matcher: Matcher) -> EnvironmentComparison:
    comparison = EnvironmentComparison(environments=tuple(envs))
    parsed: dict[str, dict[str, str]] = {}
    for name, path in envs.items():
        if not path.is_file():
            comparison.absent[name] = str(path)
            continue
        try:
            parsed[name] = parse_env(path)
        except (OSError, UnicodeDecodeError) as exc:
            comparison.unreadable[name] = f"{path}: {type(exc).__name__}"
    secret_values = {env: _secret_values(values, matcher) for env, values in parsed.items()}
    by_fingerprint: dict[str, list[tuple[str, str, RedactedSecret]]] = {}
    for env, found in secret_values.items():
        for fp, (variable, redacted) in found.items():
            by_fingerprint.setdefault(fp, []).append((env, variable, redacted))
    for fp, places in sorted(by_fingerprint.items()):
        envs_with = tuple(dict.fromkeys(env for env, _, _ in places))
        if len(envs_with) > 1:
            variables = tuple(dict.fromkeys(v for _, v, _ in places))
            comparison.shared.append(SharedSecret(fp, places[0][2], variables, envs_with))
    every = set().union(*(set(v) for v in parsed.values())) if parsed else set()
    for env, values in parsed.items():
        missing = tuple(sorted(every - set(values)))
        comparison.missing.append(MissingVariables(env, missing))
    return comparison
