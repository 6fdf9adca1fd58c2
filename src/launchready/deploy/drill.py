"""A timed rollback drill (issue 14; roadmap: "rollback verification once per release cycle", failure signal
"cannot roll back within 10 minutes").

The drill does what an incident would make someone do, and times each step:

1. ``baseline``: read the running version and check health (the version to come back to);
2. ``deploy``: run ``[deploy] command`` under ``deploy_timeout_s``;
3. ``wait-new``: poll until health answers 2xx and the version is no longer the baseline (``settle_timeout_s``),
   then, with ``--smoke``, the post-deploy smoke tests must pass;
4. ``rollback``: run ``[deploy] rollback_command`` under ``rollback_timeout_s``;
5. ``wait-previous``: poll until health answers 2xx and the baseline version is back.

Each phase is killed at its own deadline, and no phase may outlive the drill's (``drill_deadline_s``, the
roadmap's 10 minutes at most). The rollback time is from the rollback command's start to the previous
version serving again. Command output is kept redacted; the record is appended to the history either way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.rollback import failed_drill_fix
from launchready.config import LaunchConfig
from launchready.config.model import RouteRole
from launchready.deploy.history import DrillRecord, PhaseRecord, describe, minutes
from launchready.deploy.process import run_command
from launchready.deploy.smoke import running_version, version_url
from launchready.engine import AuditRun
from launchready.findings import Finding
from launchready.net import DnsResolver, HttpClient, Limits, NetError

POLL_INTERVAL_S = 0.25
BASELINE_TIMEOUT_S = 30.0


class DrillConfigError(ValueError):
    """The config lacks what a drill needs (a command, a version endpoint): a usage error, exit 2."""


@dataclass(frozen=True)
class DrillPlan:
    deploy_command: str
    rollback_command: str
    workdir: Path
    health_url: str | None
    version_url: str
    version_path: str
    deploy_timeout_s: float
    settle_timeout_s: float
    rollback_timeout_s: float
    deadline_s: float

    def describe(self, smoke: bool = False) -> str:
        """The plan, as ``--dry-run`` prints it."""
        health = self.health_url or "(no health URL: version only)"
        settle = minutes(self.settle_timeout_s)
        lines = [
            f"rollback drill, at most {minutes(self.deadline_s)} in all (commands run in {self.workdir}):",
            f"  1. baseline       read {self.version_url} ({self.version_path}) and {health}",
            f"  2. deploy         {self.deploy_command}   [killed after {minutes(self.deploy_timeout_s)}]",
            f"  3. wait-new       health 2xx and a new version   [{settle}]",
            f"  4. rollback       {self.rollback_command}   [killed after {minutes(self.rollback_timeout_s)}]",
            f"  5. wait-previous  health 2xx and the baseline version back   [{settle}]",
            "  once the deploy has started, the rollback runs even if a later step fails",
        ]
        if smoke:
            lines.insert(4, f"     smoke          launchready smoke on the new version   [{settle}]")
        return "\n".join(lines)


def drill_plan(config: LaunchConfig) -> DrillPlan:
    deploy = config.deploy
    missing = [
        name
        for name, value in (("command", deploy.command), ("rollback_command", deploy.rollback_command))
        if not value
    ]
    url = version_url(config)
    if url is None:
        missing.append("version_url")
    if missing:
        raise DrillConfigError(f"[deploy] needs {', '.join(missing)} for a drill")
    health_route = next(iter(config.routes_with_role(RouteRole.HEALTH)), None)
    health = deploy.health_url or (config.route_url(health_route) if health_route else None)
    return DrillPlan(
        deploy_command=deploy.command or "", rollback_command=deploy.rollback_command or "",
        workdir=deploy.workdir or config.repo.path, health_url=health, version_url=url or "",
        version_path=deploy.version_path, deploy_timeout_s=deploy.deploy_timeout_s,
        settle_timeout_s=deploy.settle_timeout_s, rollback_timeout_s=deploy.rollback_timeout_s,
        deadline_s=deploy.drill_deadline_s,
    )  # fmt: skip


class _PhaseFailed(Exception):
    pass


class _Drill:
    def __init__(self, plan: DrillPlan, http: HttpClient) -> None:
        self.plan = plan
        self.http = http
        self.phases: list[PhaseRecord] = []
        self.started = time.monotonic()
        self.commands = 0

    def remaining(self) -> float:
        return self.plan.deadline_s - (time.monotonic() - self.started)

    async def serving(self) -> tuple[str | None, str]:
        """(version, what was seen) when healthy, else (None, why not)."""
        if self.plan.health_url:
            try:
                response = await self.http.fetch(self.plan.health_url)
            except NetError as exc:
                return None, f"health: {exc}"
            if not 200 <= response.status < 300:
                return None, f"health answered {response.status}"
        return await running_version(self.http, self.plan.version_url, self.plan.version_path)

    async def phase(
        self,
        name: str,
        budget_s: float,
        body: Callable[[float], Awaitable[tuple[bool, str, str]]],
        *,
        restoring: bool = False,
    ) -> str:
        deadline = budget_s if restoring else min(budget_s, max(0.0, self.remaining()))
        begun = time.monotonic()
        ok, detail, output = await body(deadline)
        took = time.monotonic() - begun
        self.phases.append(PhaseRecord(name=name, ok=ok, duration_s=round(took, 3), deadline_s=round(deadline, 3),
                                       detail=detail, output=output))  # fmt: skip
        if not ok:
            raise _PhaseFailed(f"{name}: {detail}")
        return detail

    def command(self, line: str) -> Callable[[float], Awaitable[tuple[bool, str, str]]]:
        async def body(deadline: float) -> tuple[bool, str, str]:
            self.commands += 1
            result = await run_command(line, self.plan.workdir, deadline, env={"LAUNCHREADY_DRILL": "1"})
            if result.timed_out:
                return False, f"killed at its {minutes(deadline)} deadline", result.output
            if result.returncode != 0:
                return False, f"exit status {result.returncode}", result.output
            return True, f"done in {minutes(result.duration_s)}", result.output

        return body

    def wait_for(
        self, accept: Callable[[str], bool], wanted: str
    ) -> Callable[[float], Awaitable[tuple[bool, str, str]]]:
        async def body(deadline: float) -> tuple[bool, str, str]:
            ends = time.monotonic() + deadline
            seen = "nothing read yet"
            while True:
                version, seen = await self.serving()
                if version is not None and accept(version):
                    return True, version, ""
                if time.monotonic() + POLL_INTERVAL_S > ends:
                    return False, f"{wanted} not seen within {minutes(deadline)} (last: {seen})", ""
                await asyncio.sleep(POLL_INTERVAL_S)

        return body


SmokeHook = Callable[[], Awaitable[tuple[bool, str]]]
"""Post-deploy smoke tests run between ``wait-new`` and ``rollback``: (all passed, what was seen)."""


async def run_drill(
    plan: DrillPlan,
    *,
    nameserver: str | None = None,
    ca_bundle: str | None = None,
    smoke: SmokeHook | None = None,
) -> DrillRecord:
    """Run the drill. Once the deploy has started, the rollback always runs, even after a failure: a drill
    must leave the system as it found it. A rollback that restores after a failure gets its own phase budgets,
    past the drill's deadline if it must (the measured drill has already failed by then)."""
    started_at = datetime.now(UTC)
    limits = Limits(request_timeout=5.0)
    async with HttpClient(DnsResolver(limits, nameserver=nameserver), limits, ca_bundle=ca_bundle) as http:
        drill = _Drill(plan, http)
        previous: str | None = None
        new: str | None = None
        rollback_s: float | None = None
        failure: str | None = None
        try:
            previous = await drill.phase(
                "baseline", BASELINE_TIMEOUT_S, drill.wait_for(lambda v: True, "a healthy version")
            )
        except _PhaseFailed as exc:
            failure = str(exc)  # nothing was changed: nothing to roll back
        if previous is not None:
            try:
                await drill.phase("deploy", plan.deploy_timeout_s, drill.command(plan.deploy_command))
                new = await drill.phase(
                    "wait-new",
                    plan.settle_timeout_s,
                    drill.wait_for(lambda v: v != previous, "a new version"),
                )
                if smoke is not None:
                    await drill.phase("smoke", plan.settle_timeout_s, _smoke_phase(smoke))
            except _PhaseFailed as exc:
                failure = str(exc)
            restoring = failure is not None
            rollback_started = time.monotonic()
            try:
                await drill.phase(
                    "rollback",
                    plan.rollback_timeout_s,
                    drill.command(plan.rollback_command),
                    restoring=restoring,
                )
                await drill.phase(
                    "wait-previous",
                    plan.settle_timeout_s,
                    drill.wait_for(lambda v: v == previous, f"version {previous}"),
                    restoring=restoring,
                )
                rollback_s = round(time.monotonic() - rollback_started, 3)
            except _PhaseFailed as exc:
                failure = failure or str(exc)
    total = time.monotonic() - drill.started
    return DrillRecord(
        started_at=started_at, ok=failure is None, previous_version=previous, new_version=new,
        rollback_s=rollback_s, total_s=round(total, 3), deadline_s=plan.deadline_s, phases=tuple(drill.phases),
        failure=failure,
    )  # fmt: skip


def _smoke_phase(smoke: SmokeHook) -> Callable[[float], Awaitable[tuple[bool, str, str]]]:
    async def body(deadline: float) -> tuple[bool, str, str]:
        try:
            ok, seen = await asyncio.wait_for(smoke(), timeout=deadline)
        except TimeoutError:
            return False, f"smoke tests not finished within {minutes(deadline)}", ""
        return ok, seen, ""

    return body


def drill_finding(plan: DrillPlan, record: DrillRecord) -> Finding:
    timings = ", ".join(f"{p.name} {minutes(p.duration_s)}{'' if p.ok else ' FAILED'}" for p in record.phases)
    details: dict[str, object] = {
        "phases": [p.model_dump() for p in record.phases],
        "previous_version": record.previous_version, "new_version": record.new_version,
        "rollback_s": record.rollback_s, "total_s": record.total_s,
    }  # fmt: skip
    evidence = f"{describe(record)} ({timings})"
    commands = sum(p.name in ("deploy", "rollback") for p in record.phases)
    if record.ok:
        return R.ROLLBACK_DRILL.passed(
            plan.version_url, evidence, details=details,
            exercised={"phases_run": len(record.phases), "commands_run": commands},
        )  # fmt: skip
    return R.ROLLBACK_DRILL.failed(plan.version_url, evidence, details=details, fix=failed_drill_fix(record))


def drill_run(config: LaunchConfig, record: DrillRecord, finding: Finding) -> AuditRun:
    return AuditRun(
        product=config.product.name, domain=config.product.domain, started_at=record.started_at,
        finished_at=datetime.now(UTC), deadline_s=record.deadline_s, findings=(finding,), attempts=(),
    )  # fmt: skip
