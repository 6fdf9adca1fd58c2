"""The long-input probes' message size, read from a saved run: the worst case a single call can cost.

Two probes send long messages. ``redteam.input.long`` (``launchready redteam``) records each size it sent
with the token usage the product reported: when present, the largest answered size with usage is the worst
case, measured. ``perf.payload.oversized-input`` (the audit) sends ``[performance] payload_chars``
characters and records the size first in its evidence (``"100,000-char message: ..."``); tokens are then
estimated. Accepted and sent on, every such message is a real bill; refused, the product caps it below
that size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launchready.engine.runner import AuditRun
from launchready.findings import Status

PROBE_RULE = "perf.payload.oversized-input"
_SIZE = re.compile(r"^([\d,]+)-char message")


REDTEAM_RULE = "redteam.input.long"


@dataclass(frozen=True)
class ProbeSeen:
    chars: int
    status: str
    evidence: str
    key: str
    prompt_tokens: int | None = None
    """Measured: the usage the product reported for this message (redteam), else None (estimate)."""
    completion_tokens: int | None = None


def _billed(record: dict[str, object]) -> str:
    status = record.get("status")
    if isinstance(status, int) and 200 <= status < 300:
        return "answered: sent on and billed"
    if isinstance(status, int) and 400 <= status < 500:
        return f"refused (HTTP {status})"
    return f"server error (HTTP {status}): possibly sent on and billed"


def _redteam(run: AuditRun) -> ProbeSeen | None:
    """The largest message the red-team run sent that the product did not refuse (else the largest one)."""
    seen: list[ProbeSeen] = []
    for finding in run.findings:
        if finding.rule_id != REDTEAM_RULE:
            continue
        attempts = finding.details.get("attempts")
        for record in attempts if isinstance(attempts, list) else ():
            chars = record.get("chars") if isinstance(record, dict) else None
            if not isinstance(chars, int):
                continue
            usage = record.get("usage")
            prompt = usage.get("prompt") if isinstance(usage, dict) else None
            completion = usage.get("completion") if isinstance(usage, dict) else None
            status = _billed(record)
            reason = str(record.get("reason") or "")
            seen.append(
                ProbeSeen(
                    chars, status, reason, finding.key,
                    prompt if isinstance(prompt, int) else None,
                    completion if isinstance(completion, int) else None,
                )
            )  # fmt: skip
    billed = [p for p in seen if not p.status.startswith("refused")]
    return max(billed or seen, key=lambda p: p.chars, default=None)


def probe_from_run(run: AuditRun) -> ProbeSeen | None:
    """The probe's size and outcome (measured usage first), or None when no long-input probe is on record."""
    measured = _redteam(run)
    if measured is not None:
        return measured
    for finding in run.findings:
        if finding.rule_id != PROBE_RULE:
            continue
        match = _SIZE.match(finding.evidence)
        if match is None:
            continue
        status = {Status.FAIL: "accepted", Status.PASS: "refused"}.get(finding.status, finding.status.value)
        return ProbeSeen(int(match.group(1).replace(",", "")), status, finding.evidence, finding.key)
    return None
