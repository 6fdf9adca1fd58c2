"""Secrets in any blob of the git history (issue 5; roadmap: secure delivery)."""

from __future__ import annotations

from launchready.checks.interface import Check
from launchready.checks.secrets import findings as F
from launchready.checks.secrets import rules as R
from launchready.checks.secrets.shared import findings_for
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class SecretsInHistory(Check):
    name = "secrets.history"
    needs_network = False
    rules = (R.IN_HISTORY,)
    timeout_s = 600.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, F.history_findings, history=True)
