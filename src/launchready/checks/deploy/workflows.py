"""GitHub Actions workflows that leak or hand over secrets (issue 14, deploy-config review).

Three patterns, each a known way a pipeline loses its deploy keys:

- a step that prints a secret (``echo ${{ secrets.X }}``, or ``echo $X`` where ``X`` comes from secrets):
  log masking is best-effort and misses any transformed value;
- ``pull_request_target`` (which runs with the base repository's secrets and a write token) checking out
  the pull request's head: anyone's fork code then runs with those secrets (GitHub Security Lab,
  "Preventing pwn requests");
- a third-party action referenced by a tag or branch instead of a full commit SHA: whoever moves the tag
  changes what runs with your secrets (tj-actions/changed-files, March 2025).
"""

from __future__ import annotations

import re

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.pipeline_model import CiJob, github_jobs, workflow_triggers
from launchready.checks.deploy.repo import DeployRepo, RepoFile
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding

_PRINT = re.compile(r"\b(echo|printf|print)\b(?![^\n]*[|>])")
"""A print to the log: ``echo``/``printf`` whose output is not piped or redirected (``echo "$T" | docker
login --password-stdin`` is the documented way to hand a secret to a tool, not a leak)."""
_SECRET_EXPR = re.compile(r"\$\{\{\s*secrets\.([A-Za-z0-9_]+)\s*\}\}")
_VAR = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
_PR_HEAD = re.compile(
    r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/|"
    r"github\.event\.pull_request\.merge_commit_sha"
)
_SHA = re.compile(r"^[0-9a-f]{40}$")
FIRST_PARTY = frozenset({"actions", "github"})


def _line_no(file: RepoFile, needle: str) -> int:
    for number, line in enumerate(file.lines(), start=1):
        if needle.strip() and needle.strip() in line:
            return number
    return 1


def echoed_secrets(file: RepoFile, jobs: list[CiJob]) -> list[Finding]:
    found: list[Finding] = []
    for job in jobs:
        for step in job.steps:
            env = {**job.env, **step.env}
            from_secrets = {name for name, value in env.items() if _SECRET_EXPR.search(value)}
            for line in step.run.splitlines():
                if not _PRINT.search(line):
                    continue
                direct = _SECRET_EXPR.findall(line)
                via_env = [v for v in _VAR.findall(line) if v in from_secrets]
                if direct or via_env:
                    names = ", ".join(dict.fromkeys([*direct, *via_env]))
                    number = _line_no(file, line)
                    found.append(
                        R.SECRET_ECHOED.failed(
                            f"{file.path}:{number}",
                            f"job {job.name}, step '{step.name}' prints {names}: {line.strip()[:120]}",
                            details={"secrets": names.split(", "), "line": number},
                        )
                    )
    return found


def pr_target_checkouts(file: RepoFile, jobs: list[CiJob]) -> list[Finding]:
    doc = file.parsed if isinstance(file.parsed, dict) else {}
    triggers = workflow_triggers(doc)
    names = triggers if isinstance(triggers, (list, dict)) else [triggers]
    if "pull_request_target" not in names:
        return []
    found: list[Finding] = []
    for job in jobs:
        for step in job.steps:
            checkout = step.uses.startswith("actions/checkout") and _PR_HEAD.search(step.with_.get("ref", ""))
            cli = re.search(r"\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b[^\n]*pull/", step.run)
            if checkout or cli:
                what = f"ref: {step.with_.get('ref')}" if checkout else (cli.group(0) if cli else "")
                number = _line_no(file, step.with_.get("ref", "") if checkout else what)
                found.append(
                    R.PR_TARGET_CHECKOUT.failed(
                        f"{file.path}:{number}",
                        f"on pull_request_target, job {job.name} checks out the pull request's head ({what}) "
                        "with the repository's secrets",
                    )
                )
    return found


def unpinned_actions(file: RepoFile, jobs: list[CiJob]) -> list[Finding]:
    found: dict[str, Finding] = {}
    for job in jobs:
        for step in job.steps:
            uses = step.uses.strip()
            if not uses or uses.startswith("./"):
                continue
            if uses.startswith("docker://"):
                pinned = "@sha256:" in uses
            else:
                action, _, ref = uses.partition("@")
                if action.split("/")[0].lower() in FIRST_PARTY:
                    continue
                pinned = bool(_SHA.match(ref))
            if not pinned and uses not in found:
                number = _line_no(file, uses)
                found[uses] = R.UNPINNED_ACTION.failed(
                    f"{file.path}:{number}",
                    f"{uses} is not pinned to a commit SHA (job {job.name})",
                    details={"action": uses, "line": number},
                )
    return list(found.values())


class WorkflowSafety(Check):
    name = "deploy.workflows"
    needs_network = False
    rules = (R.SECRET_ECHOED, R.PR_TARGET_CHECKOUT, R.UNPINNED_ACTION)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, judge_workflows)


def judge_workflows(repo: DeployRepo, config: LaunchConfig) -> list[Finding]:
    target = repo_target(config)
    if not repo.workflows:
        reason = "no GitHub Actions workflow (.github/workflows/*.yml) to review"
        return [spec.not_assessed(target, reason) for spec in WorkflowSafety.rules]
    parsed = [wf for wf in repo.workflows if isinstance(wf.parsed, dict)]
    if not parsed:
        reason = "no workflow could be parsed: " + ", ".join(f"{p}: {e}" for p, e in repo.unreadable.items())
        return [spec.unverifiable(target, reason) for spec in WorkflowSafety.rules]
    findings: list[Finding] = []
    counts = {"workflows_read": len(parsed)}
    for judge, spec, ok in (
        (echoed_secrets, R.SECRET_ECHOED, "no step prints a secret"),
        (pr_target_checkouts, R.PR_TARGET_CHECKOUT, "no pull_request_target workflow checks out the PR head"),
        (unpinned_actions, R.UNPINNED_ACTION, "every third-party action is pinned to a commit SHA"),
    ):
        found = [f for wf in parsed for f in judge(wf, github_jobs(wf, repo.default_branch))]
        findings += found or [spec.passed(target, f"{len(parsed)} workflows: {ok}", exercised=counts)]
        # a workflow that does not parse is not passed over: it is its own unverifiable finding
        findings += [
            spec.unverifiable(wf.path, f"does not parse: {repo.unreadable.get(wf.path, 'not a mapping')}")
            for wf in repo.workflows
            if wf not in parsed
        ]
    return findings
