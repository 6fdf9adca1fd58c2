"""Server-side secrets in source files (issue 5; roadmap: secure delivery)."""

from __future__ import annotations

from launchready.checks.interface import Check
from launchready.checks.secrets import findings as F
from launchready.checks.secrets import rules as R
from launchready.checks.secrets.shared import findings_for
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class SecretsInSource(Check):
    name = "secrets.source"
    needs_network = False
    timeout_s = 300.0
    """The tree scan is CPU work that grows with the repository; the run's deadline still cuts it."""
    rules = (R.IN_SOURCE,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, F.source_findings)
