"""One check for the whole red-team pass, so its probes share one chat client, login and budget.

Opt-in (``--with redteam``): it sends hostile and oversized messages to the product's chat on purpose.
The probes live in ``launchready.redteam``; this check only hands them the run's HTTP client. It takes the
performance probes' lane (``checks/performance/probe.py``) for its whole pass: its chats would be noise in
their measurements (the isolation probe's baseline), and their bursts would spend its rate-limit quota.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from launchready.checks.interface import Check
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.redteam.passes import redteam_rules, run_pass


class RedTeamPass(Check):
    name = "redteam.chat"
    rules = redteam_rules()
    opt_in = "redteam"
    timeout_s: ClassVar[float] = 150.0

    async def run(self, ctx: CheckContext) -> list[Finding]:
        lane = await ctx.once(LANE, _new_lane)
        async with lane:
            report = await run_pass(ctx.config, ctx.http)
        return report.findings


LANE = "performance:lane"
"""The same key as the performance probes' lane: one ``asyncio.Lock`` per run, shared."""


async def _new_lane() -> asyncio.Lock:
    return asyncio.Lock()
