"""Build verification, smoke tests wired in, one deploy path (roadmap stage 4: "one command or one pipeline
that builds, tests, migrates if needed, and rolls out safely"; automation: "a deploy pipeline with build
checks and smoke tests")."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.pipeline_model import (
    BUILD,
    BUILD_ACTIONS,
    DEPLOY,
    DEPLOY_ACTIONS,
    SMOKE,
    TEST,
    CiJob,
    ci_jobs,
)
from launchready.checks.deploy.repo import DeployRepo, RepoFile
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding


class DeployPipeline(Check):
    name = "deploy.pipeline"
    needs_network = False
    rules = (R.BUILD_UNVERIFIED, R.SMOKE_UNWIRED, R.PATH_MULTIPLE)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, judge_pipeline)


def judge_pipeline(repo: DeployRepo, config: LaunchConfig) -> list[Finding]:
    target = repo_target(config)
    jobs = ci_jobs(repo)
    return [
        build_verdict(repo, jobs, target),
        smoke_verdict(repo, jobs, target),
        path_verdict(repo, jobs, target),
    ]


def _ci_read(repo: DeployRepo) -> dict[str, int]:
    return {"ci_files_read": len(repo.ci_files)}


def _unparsed(repo: DeployRepo) -> list[str]:
    return [f.path for f in repo.ci_files if f.path in repo.unreadable]


def build_verdict(repo: DeployRepo, jobs: list[CiJob], target: str) -> Finding:
    branch = repo.default_branch
    if not repo.ci_files:
        platform = [f.path for f in repo.platform if f.name in ("vercel.json", "netlify.toml", "render.yaml")]
        extra = f"; {', '.join(platform)} builds on the platform but runs no tests" if platform else ""
        return R.BUILD_UNVERIFIED.failed(
            target, f"no CI workflow (.github/workflows/*.yml, .gitlab-ci.yml){extra}"
        )
    if len(_unparsed(repo)) == len(repo.ci_files):
        reason = (
            f"no CI file could be parsed: {', '.join(f'{p} ({repo.unreadable[p]})' for p in _unparsed(repo))}"
        )
        return R.BUILD_UNVERIFIED.unverifiable(target, reason)
    on_branch = [j for j in jobs if j.on_default_branch]
    testing = [j for j in on_branch if j.first(TEST) is not None]
    building = [j for j in on_branch if j.first(BUILD, BUILD_ACTIONS) is not None]
    if testing and building:
        t, b = testing[0], building[0]
        where = f"{t.file}: job {t.name}" + ("" if b is t else f"; builds in {b.file}: job {b.name}")
        return R.BUILD_UNVERIFIED.passed(
            target, f"{where} builds and runs tests on {branch}", exercised=_ci_read(repo)
        )
    files = ", ".join(f.path for f in repo.ci_files)
    if not on_branch:
        return R.BUILD_UNVERIFIED.failed(
            target, f"{files}: no job runs on pushes or pull requests to {branch}"
        )
    missing = "run no tests" if not testing else "never build the product"
    return R.BUILD_UNVERIFIED.failed(target, f"{files}: the jobs on {branch} {missing}")


def smoke_verdict(repo: DeployRepo, jobs: list[CiJob], target: str) -> Finding:
    if not repo.ci_files:
        return R.SMOKE_UNWIRED.failed(target, "no CI pipeline, so no smoke test runs after a deploy")
    for job in jobs:
        index = job.first(SMOKE)
        if index is not None:
            step = job.steps[index]
            return R.SMOKE_UNWIRED.passed(
                target, f"{job.file}: job {job.name}, step '{step.name or step.run[:40]}' smoke-tests the deploy",
                exercised=_ci_read(repo),
            )  # fmt: skip
    called = _scripts_called(repo, jobs)
    for script in called:
        if SMOKE.search(script.text):
            return R.SMOKE_UNWIRED.passed(
                target, f"{script.path}, run by the pipeline, smoke-tests the deploy",
                exercised={**_ci_read(repo), "scripts_read": len(called)},
            )  # fmt: skip
    deploying = [f"{j.file}: {j.name}" for j in jobs if j.first(DEPLOY, DEPLOY_ACTIONS) is not None]
    where = f"the deploy job ({deploying[0]})" if deploying else "the pipeline"
    return R.SMOKE_UNWIRED.failed(target, f"{where} runs no smoke test after deploying")


def _invocations(script: RepoFile) -> list[str]:
    """How a pipeline line would call this script."""
    if script.name == "Makefile":
        targets = re.findall(r"(?m)^((?:deploy|release|ship)[\w-]*)\s*:", script.text)
        return [f"make {t}" for t in targets]
    if script.name == "package.json":
        return ["run deploy", "run release", "yarn deploy", "pnpm deploy"]
    return [script.path, PurePosixPath(script.path).name]


def _scripts_called(repo: DeployRepo, jobs: list[CiJob]) -> list[RepoFile]:
    lines = "\n".join(step.run for job in jobs for step in job.steps)
    return [s for s in repo.scripts if any(call in lines for call in _invocations(s))]


def path_verdict(repo: DeployRepo, jobs: list[CiJob], target: str) -> Finding:
    deploying = [j for j in jobs if j.first(DEPLOY, DEPLOY_ACTIONS) is not None]
    called = {s.path for s in _scripts_called(repo, jobs)}
    beside = [s for s in repo.scripts if s.path not in called]
    read = {**_ci_read(repo), "scripts_read": len(repo.scripts)}
    if deploying and beside:
        job = deploying[0]
        return R.PATH_MULTIPLE.warned(
            target,
            f"the pipeline deploys ({job.file}: job {job.name}) and {', '.join(s.path for s in beside)} "
            "deploys by hand beside it, skipping the pipeline's tests",
            details={"pipeline": f"{job.file}:{job.name}", "manual": [s.path for s in beside]},
        )
    if deploying:
        return R.PATH_MULTIPLE.passed(
            target, f"one path to production: {deploying[0].file}: job {deploying[0].name}", exercised=read
        )
    if len(beside) == 1:
        return R.PATH_MULTIPLE.passed(target, f"one path to production: {beside[0].path}", exercised=read)
    if beside:
        names = ", ".join(s.path for s in beside)
        return R.PATH_MULTIPLE.warned(target, f"several deploy scripts, no pipeline deploy: {names}")
    return R.PATH_MULTIPLE.not_assessed(
        target,
        "no deploy step found in CI or in a deploy script (the platform may deploy on push); "
        "nothing to compare",
    )
