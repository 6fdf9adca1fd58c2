"""Rollback steps written down, a drill on record, the health route used by the platform (roadmap stage 4:
"rollback steps, health checks"; failure signal "cannot roll back within 10 minutes")."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.repo import DeployRepo
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.config.model import RouteRole
from launchready.deploy.history import DrillRecord, describe, history_path, read_history
from launchready.engine.context import CheckContext
from launchready.findings import Finding, Fix

ROLLBACK_WORDS = re.compile(r"(?i)\broll[\s-]?back|\brevert\b|\bprevious (release|version)\b")
_URL_PATH = re.compile(r"https?://[^/\s'\"]+(/[^\s'\"\]]*)")
DRILL_MAX_AGE = timedelta(days=31)
"""The roadmap asks for "rollback verification once per release cycle": an older drill proves less each day."""
HEALTH_PLATFORMS = ("fly.toml", "render.yaml", "railway.json", "railway.toml", "app.yaml", "app.json")


class RollbackReady(Check):
    name = "deploy.rollback"
    needs_network = False
    rules = (R.ROLLBACK_UNDOCUMENTED, R.ROLLBACK_DRILL, R.HEALTH_UNUSED)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        now = ctx.clock()
        return await findings_for(ctx, self.rules, lambda repo, config: judge_rollback(repo, config, now))


def judge_rollback(repo: DeployRepo, config: LaunchConfig, now: datetime) -> list[Finding]:
    target = repo_target(config)
    return [*rollback_verdicts(repo, config, target, now), health_verdict(repo, config, target)]


def rollback_verdicts(repo: DeployRepo, config: LaunchConfig, target: str, now: datetime) -> list[Finding]:
    path = history_path(config)
    records, bad = read_history(path)
    last = records[-1] if records else None
    runbooks = [r for r in repo.runbooks if ROLLBACK_WORDS.search(r.text)]
    if runbooks:
        documented = R.ROLLBACK_UNDOCUMENTED.passed(
            target, f"rollback steps in {', '.join(r.path for r in runbooks)}",
            exercised={"runbooks_read": len(repo.runbooks)},
        )  # fmt: skip
    elif last is not None and last.ok:
        documented = R.ROLLBACK_UNDOCUMENTED.passed(
            target, f"no runbook, but a drill is on record ({describe(last)})", exercised={"drills_read": 1}
        )
    else:
        looked = ", ".join(r.path for r in repo.runbooks) or "no RUNBOOK.md / docs/runbook*.md / rollback*.md"
        documented = R.ROLLBACK_UNDOCUMENTED.failed(
            target, f"no written rollback steps ({looked}) and no successful drill in {path}"
        )
    if last is None:
        why = f"{bad} unreadable lines in {path}" if bad else f"no drill on record in {path}"
        if config.deploy.rollback_command:
            drill = R.ROLLBACK_DRILL.failed(target, f"{why}: [deploy] rollback_command was never drilled")
        else:
            drill = R.ROLLBACK_DRILL.not_assessed(
                target, f"{why} and no [deploy] rollback_command to drill (run `launchready drill`)"
            )
    elif last.ok and now - last.started_at > DRILL_MAX_AGE:
        age = (now - last.started_at).days
        drill = R.ROLLBACK_DRILL.warned(
            target, f"{describe(last)}, {age} days ago: drill once per release cycle", details={"days": age}
        )
    elif last.ok:
        drill = R.ROLLBACK_DRILL.passed(
            target, describe(last), details={"drills": len(records)}, exercised={"drills_read": len(records)}
        )
    else:
        drill = R.ROLLBACK_DRILL.failed(
            target, describe(last), details={"drills": len(records)}, fix=failed_drill_fix(last)
        )
    return [documented, drill]


def failed_drill_fix(record: DrillRecord) -> Fix:
    """What to do about *this* failure: the phase that failed, its command's last output line, then re-drill."""
    failed = next((p for p in record.phases if not p.ok), None)
    last_line = (
        next((line for line in reversed(failed.output.splitlines()) if line.strip()), "") if failed else ""
    )
    said = f" (its output ends: {last_line[:160]})" if last_line else ""
    steps = [
        f"Fix the {failed.name if failed else 'failed'} phase: {record.failure}{said}.",
        "Check the system is back on the previous version before anything else (the drill rolled back if it could).",
        "Run `launchready drill` again until it passes within its deadline.",
    ]
    return R.ROLLBACK_DRILL.fix.model_copy(
        update={"summary": f"The rollback drill failed at {record.failure}: fix that step, then drill again.",
                "steps": tuple(steps)}
    )  # fmt: skip


def health_path(config: LaunchConfig) -> str | None:
    if config.deploy.health_url:
        return urlsplit(config.deploy.health_url).path or "/"
    route = next(iter(config.routes_with_role(RouteRole.HEALTH)), None)
    return route.path if route else None


def _probe_paths(node: Any) -> list[str]:
    """``httpGet.path`` of every Kubernetes probe in a manifest."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key).endswith("Probe") and isinstance(value, dict):
                get = value.get("httpGet")
                if isinstance(get, dict) and isinstance(get.get("path"), str):
                    found.append(get["path"])
            found += _probe_paths(value)
    elif isinstance(node, list):
        for value in node:
            found += _probe_paths(value)
    return found


def _keyed_paths(node: Any) -> list[str]:
    """Values of the platforms' health-check keys (fly ``checks.path``, render ``healthCheckPath``...)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            lowered = str(key).lower()
            if lowered in ("healthcheckpath", "health_check_path") and isinstance(value, str):
                found.append(value)
            elif "check" in lowered or lowered in ("readiness_check", "liveness_check"):
                found += [v for k, v in _leaves(value) if k == "path"]
            found += _keyed_paths(value)
    elif isinstance(node, list):
        for value in node:
            found += _keyed_paths(value)
    return found


def _leaves(node: Any) -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [(str(k), v) if isinstance(v, str) else ("", "") for k, v in node.items()] + [
            leaf for v in node.values() if isinstance(v, (dict, list)) for leaf in _leaves(v)
        ]
    if isinstance(node, list):
        return [leaf for v in node for leaf in _leaves(v)]
    return []


def _compose_health_paths(doc: Any) -> list[str]:
    """URL paths in each compose service's ``healthcheck.test`` (a string, or a list like ["CMD", "curl", ...])."""
    services = doc.get("services") if isinstance(doc, dict) else None
    found: list[str] = []
    for service in services.values() if isinstance(services, dict) else ():
        check = service.get("healthcheck") if isinstance(service, dict) else None
        test = check.get("test") if isinstance(check, dict) else None
        text = " ".join(map(str, test)) if isinstance(test, list) else str(test or "")
        found += _URL_PATH.findall(text)
    return found


def platform_health_checks(repo: DeployRepo) -> tuple[dict[str, list[str]], int]:
    """Health paths each platform config probes, and how many configs could carry a health check."""
    checks: dict[str, list[str]] = {}
    capable = 0
    for file in repo.platform:
        if file.name in HEALTH_PLATFORMS:
            capable += 1
            checks[file.path] = _keyed_paths(file.parsed)
    for file in repo.manifests:
        capable += 1
        checks[file.path] = _probe_paths(file.parsed)
    for file in repo.compose:
        capable += 1
        checks[file.path] = _compose_health_paths(file.parsed)
    for file in repo.dockerfiles:
        capable += 1
        checks[file.path] = [
            m
            for line in file.lines()
            if line.strip().startswith("HEALTHCHECK")
            for m in _URL_PATH.findall(line)
        ]
    return {path: sorted(set(found)) for path, found in checks.items() if found}, capable


def health_verdict(repo: DeployRepo, config: LaunchConfig, target: str) -> Finding:
    checks, capable = platform_health_checks(repo)
    wanted = health_path(config)
    if not capable:
        return R.HEALTH_UNUSED.not_assessed(
            target,
            "no platform config that runs health checks (fly.toml, render.yaml, Kubernetes, docker-compose, "
            "Dockerfile HEALTHCHECK); serverless platforms have none",
        )
    seen = "; ".join(f"{path}: {', '.join(paths)}" for path, paths in checks.items())
    if wanted is None:
        return R.HEALTH_UNUSED.warned(
            target,
            f'no health route in launchready.toml (a route with role = "health"); platform checks: {seen or "none"}',
        )
    users = [path for path, paths in checks.items() if wanted in paths]
    if users:
        return R.HEALTH_UNUSED.passed(
            target, f"{', '.join(users)} probe {wanted}", exercised={"platform_configs_read": capable}
        )
    if not checks:
        return R.HEALTH_UNUSED.failed(
            target, f"{capable} platform configs read, none probes {wanted} (or any route)"
        )
    return R.HEALTH_UNUSED.failed(target, f"the platform probes {seen}, not the health route {wanted}")
