"""Run the email stage on its own and, given a saved run, report what changed since (roadmap: "email
authentication validation after DNS changes"; the monitor runs the same thing on a schedule).

Changes become findings of one rule so every report format shows them: a weakened or removed protection is
a fail, a changed record a warning, an added or strengthened one a pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from launchready.checks.email import EMAIL_CHECKS
from launchready.checks.email.shared import ARTIFACT
from launchready.config import LaunchConfig
from launchready.email.baseline import ChangeKind, EmailChange, compare_postures
from launchready.engine import AuditRun, RunObserver, RunOptions, run_audit
from launchready.findings import Finding
from launchready.rules import rule

POSTURE_CHANGED = rule("email.posture.changed")
BASELINE_ARTIFACT = "email_changes"


class BaselineError(ValueError):
    """The baseline file cannot be read or holds no email posture."""


def load_baseline(path: Path) -> dict[str, Any]:
    """The ``email`` artifact of a saved JSON report (``launchready email --format json --output ...``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc}") from None
    artifacts = data.get("artifacts") if isinstance(data, dict) else None
    posture = artifacts.get(ARTIFACT) if isinstance(artifacts, dict) else None
    if not isinstance(posture, dict):
        raise BaselineError(f"{path} holds no email posture: save it with `launchready email --format json`")
    return posture


async def email_audit(
    config: LaunchConfig,
    options: RunOptions,
    baseline: dict[str, Any] | None = None,
    observer: RunObserver | None = None,
) -> AuditRun:
    run = await run_audit(config, [check() for check in EMAIL_CHECKS], options, observer)
    if baseline is None:
        return run
    current = run.artifacts.get(ARTIFACT)
    if not isinstance(current, dict):
        finding = POSTURE_CHANGED.unverifiable(config.apex, "this run could not observe the email posture")
        return run.model_copy(update={"findings": (*run.findings, finding)})
    changes = compare_postures(baseline, current)
    compared = current.get("domains")
    findings = change_findings(
        config.apex, changes, compared=len(compared) if isinstance(compared, dict) else 1
    )
    artifacts = {**run.artifacts, BASELINE_ARTIFACT: [c.as_dict() for c in changes]}
    return run.model_copy(update={"findings": (*run.findings, *findings), "artifacts": artifacts})


def change_findings(apex: str, changes: list[EmailChange], compared: int = 1) -> list[Finding]:
    """One finding per change; ``compared`` is how many mail domains were compared with the baseline."""
    exercised = {"domains_compared": compared}
    if not changes and compared == 0:
        return [POSTURE_CHANGED.not_assessed(apex, "neither run observed a mail domain: nothing to compare")]
    if not changes:
        return [
            POSTURE_CHANGED.passed(
                apex, "no email authentication change since the baseline", exercised=exercised
            )
        ]
    out = []
    for change in changes:
        details: dict[str, object] = {"change": change.as_dict()}
        evidence = change.describe()
        if change.kind in (ChangeKind.WEAKENED, ChangeKind.REMOVED):
            out.append(POSTURE_CHANGED.failed(change.domain, evidence, details=details))
        elif change.kind is ChangeKind.CHANGED:
            out.append(POSTURE_CHANGED.warned(change.domain, evidence, details=details))
        else:
            out.append(POSTURE_CHANGED.passed(change.domain, evidence, details=details, exercised=exercised))
    return out
