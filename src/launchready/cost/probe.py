"""The long-input probe's message size, read from a saved audit: the worst case a single call can cost.

``perf.payload.oversized-input`` sends ``[performance] payload_chars`` characters to the chat and records
the size first in its evidence (``"100,000-char message: ..."``). Accepted and sent on (a fail), every such
message is a real bill; refused (a pass), the product caps it below that size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launchready.engine.runner import AuditRun
from launchready.findings import Status

PROBE_RULE = "perf.payload.oversized-input"
_SIZE = re.compile(r"^([\d,]+)-char message")


@dataclass(frozen=True)
class ProbeSeen:
    chars: int
    status: str
    evidence: str
    key: str


def probe_from_run(run: AuditRun) -> ProbeSeen | None:
    """The probe's size and outcome, or None when the saved audit did not run it (or did not record a size)."""
    for finding in run.findings:
        if finding.rule_id != PROBE_RULE:
            continue
        match = _SIZE.match(finding.evidence)
        if match is None:
            continue
        status = {Status.FAIL: "accepted", Status.PASS: "refused"}.get(finding.status, finding.status.value)
        return ProbeSeen(int(match.group(1).replace(",", "")), status, finding.evidence, finding.key)
    return None
