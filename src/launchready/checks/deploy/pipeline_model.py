"""GitHub Actions and GitLab CI, read into one small model: jobs of ordered steps, and when they run.

The deploy checks ask the same questions of either CI (does a job on the default branch build and test? does
a step deploy, migrate, smoke-test, and in which order?), so both are normalised here once. What a step
*does* is recognised from its shell lines and its ``uses:`` action by the patterns below: they are the
commands the platforms' own docs tell people to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from launchready.checks.deploy.repo import DeployRepo, RepoFile

BUILD = re.compile(
    r"(?i)\b(npm|pnpm|yarn|bun)\s+(run\s+)?build\b|\bdocker\s+(buildx\s+)?build\b|\bpython\s+-m\s+build\b|"
    r"\b(go|cargo)\s+build\b|\bmake(\s+build)?\s*$|\bpip\s+install\b|\bpoetry\s+install\b|\buv\s+sync\b|"
    r"\bnext\s+build\b|\bvite\s+build\b|\bbundle\s+install\b|\bmvn\b|\bgradle\b"
)
BUILD_ACTIONS = re.compile(r"(?i)docker/build-push-action|actions/setup-(node|python|go)")
TEST = re.compile(
    r"(?i)\bpytest\b|\b(npm|pnpm|yarn|bun)\s+(run\s+)?test\b|\b(go|cargo)\s+test\b|\brspec\b|"
    r"\brails\s+test\b|\bmanage\.py\s+test\b|\bjest\b|\bvitest\b|\bmake\s+test\b|\btox\b|\bnox\b|"
    r"\bunittest\b|\bphpunit\b|\bmocha\b|\bplaywright\s+test\b"
)
SMOKE = re.compile(
    r"(?i)\blaunchready\s+smoke\b|\b(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?(?:test:)?smoke\b|\bmake\s+smoke\b|"
    r"(?:\./|\bscripts/|\bbin/)[\w./-]*smoke|\b(?:pytest|playwright\s+test|jest|vitest)\b[^\n]*smoke|"
    r"\bcurl\b[^\n]*(?:\s-[a-zA-Z]*f[a-zA-Z]*\b|--fail)[^\n]*/(?:health|healthz|ready)"
)
"""A step that smoke-tests: ``launchready smoke``, a smoke script or target, a smoke-marked test run, or a
``curl --fail`` of the health route. The word alone (``echo "no smoke tests yet"``) is not a smoke test."""
DEPLOY = re.compile(
    r"(?i)\b(fly(ctl)?\s+deploy|vercel\s+(deploy\s+)?--prod|netlify\s+deploy|railway\s+up|kubectl\s+(apply|"
    r"set\s+image|rollout)|helm\s+(upgrade|install)|git\s+push\s+\S*(heroku|dokku)|cap\s+\S+\s+deploy|"
    r"serverless\s+deploy|sls\s+deploy|gcloud\s+(app|run)\s+deploy|aws\s+ecs\s+update-service|"
    r"docker\s+stack\s+deploy|render\s+deploy|eb\s+deploy|kamal\s+deploy)|"
    r"(?:\./|\bbash\s+|\bsh\s+|\bscripts/|\bbin/)[\w./-]*deploy[\w.-]*|\bmake\s+deploy\b|"
    r"\b(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?deploy\b"
)
"""A step that ships: a platform CLI's deploy command, or a deploy script / make / npm target by path.
A bare word "deploy" is not enough (``prisma migrate deploy``, ``echo deploying``)."""
DEPLOY_ACTIONS = re.compile(
    r"(?i)superfly/flyctl-actions|amondnet/vercel-action|akhileshns/heroku-deploy|azure/webapps-deploy|"
    r"aws-actions/amazon-ecs-deploy|google-github-actions/deploy|appleboy/ssh-action"
)
MIGRATE = re.compile(
    r"(?i)\balembic\s+upgrade\b|\bprisma\s+migrate\s+deploy\b|\bmanage\.py\s+migrate\b|"
    r"\b(rails|rake)\s+db:migrate\b|\bknex\s+migrate:latest\b|\bflask\s+db\s+upgrade\b|"
    r"\bsequelize(-cli)?\s+db:migrate\b|\b(npm|pnpm|yarn)\s+(run\s+)?migrate\b|\bmake\s+migrate\b|"
    r"\bmigrate\s+(up|-path)\b|\bdbmate\s+up\b|\bdrizzle-kit\s+migrate\b|\btypeorm\s+migration:run\b"
)


@dataclass(frozen=True)
class CiStep:
    name: str
    run: str = ""
    uses: str = ""
    with_: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.name}\n{self.run}\n{self.uses}"

    def does(self, pattern: re.Pattern[str], actions: re.Pattern[str] | None = None) -> bool:
        if self.run and pattern.search(self.run):
            return True
        return bool(actions and self.uses and actions.search(self.uses))


@dataclass(frozen=True)
class CiJob:
    file: str
    name: str
    steps: tuple[CiStep, ...]
    on_default_branch: bool
    """The job runs for pushes or pull requests to the default branch (not only for tags or other branches)."""
    env: dict[str, str] = field(default_factory=dict)
    key: str = ""
    """The job's id in its file (``jobs.<key>`` / the GitLab job name)."""
    after: frozenset[str] = frozenset()
    """Keys of the jobs that must finish before this one starts (``needs:``, or earlier GitLab stages)."""

    def first(self, pattern: re.Pattern[str], actions: re.Pattern[str] | None = None) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.does(pattern, actions)), None)


def _str_map(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def workflow_triggers(doc: dict[Any, Any]) -> Any:
    """``on:`` — which YAML 1.1 reads as the boolean True."""
    return doc.get("on", doc.get(True))


def _branch_ok(spec: Any, branch: str) -> bool:
    if spec is None:
        return True
    if not isinstance(spec, dict):
        return True
    branches = spec.get("branches")
    if branches is None:
        return "tags" not in spec or "branches-ignore" in spec
    names = [branches] if isinstance(branches, str) else list(branches or [])
    return any(_glob(str(n), branch) for n in names)


def _glob(pattern: str, branch: str) -> bool:
    regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, branch) is not None


def runs_on_default_branch(triggers: Any, branch: str) -> bool:
    if isinstance(triggers, str):
        return triggers in ("push", "pull_request")
    if isinstance(triggers, list):
        return any(t in ("push", "pull_request") for t in triggers)
    if isinstance(triggers, dict):
        return any(_branch_ok(triggers[t], branch) for t in ("push", "pull_request") if t in triggers)
    return False


def github_jobs(file: RepoFile, branch: str) -> list[CiJob]:
    doc = file.parsed
    if not isinstance(doc, dict):
        return []
    on_default = runs_on_default_branch(workflow_triggers(doc), branch)
    jobs = doc.get("jobs") or {}
    found: list[CiJob] = []
    for job_id, job in jobs.items() if isinstance(jobs, dict) else ():
        if not isinstance(job, dict):
            continue
        steps = tuple(
            CiStep(
                name=str(s.get("name") or s.get("uses") or ""),
                run=str(s.get("run") or ""),
                uses=str(s.get("uses") or ""),
                with_=_str_map(s.get("with")),
                env=_str_map(s.get("env")),
            )
            for s in job.get("steps") or []
            if isinstance(s, dict)
        )
        if "uses" in job:  # a reusable workflow call: one step that runs it
            steps = (CiStep(name=str(job_id), uses=str(job["uses"])),)
        env = {**_str_map(doc.get("env")), **_str_map(job.get("env"))}
        needs = job.get("needs") or []
        after = frozenset([needs] if isinstance(needs, str) else map(str, needs))
        found.append(
            CiJob(file.path, str(job.get("name") or job_id), steps, on_default, env, str(job_id), after)
        )
    return found


_GITLAB_KEYWORDS = frozenset(
    {"stages", "variables", "default", "include", "workflow", "image", "services", "cache", "before_script",
     "after_script"}
)  # fmt: skip


def _script(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [line for item in value for line in _script(item)]
    return []


def _gitlab_on_default(job: dict[str, Any], branch: str) -> bool:
    only = job.get("only")
    names = _script(only.get("refs") if isinstance(only, dict) else only)
    if names and not any(
        n in (branch, "branches", "main", "master", "pushes") or _glob(n, branch) for n in names
    ):
        return False
    rules = job.get("rules")
    if isinstance(rules, list) and rules:
        text = str(rules)
        return "CI_DEFAULT_BRANCH" in text or branch in text or "when" not in text or "always" in text
    return True


def gitlab_jobs(file: RepoFile, branch: str) -> list[CiJob]:
    doc = file.parsed
    if not isinstance(doc, dict):
        return []
    stages = [str(stage) for stage in doc.get("stages") or ["build", "test", "deploy"]]
    jobs = {
        str(name): job
        for name, job in doc.items()
        if str(name) not in _GITLAB_KEYWORDS and not str(name).startswith(".") and isinstance(job, dict)
    }

    def rank(job: dict[str, Any]) -> int:
        stage = str(job.get("stage", "test"))
        return stages.index(stage) if stage in stages else len(stages)

    found: list[CiJob] = []
    for name, job in jobs.items():
        lines = _script(job.get("before_script")) + _script(job.get("script"))
        steps = tuple(CiStep(name=name, run=line) for line in lines)
        env = {**_str_map(doc.get("variables")), **_str_map(job.get("variables"))}
        earlier = frozenset(other for other, o in jobs.items() if rank(o) < rank(job))
        found.append(CiJob(file.path, name, steps, _gitlab_on_default(job, branch), env, name, earlier))
    return found


def ci_jobs(repo: DeployRepo) -> list[CiJob]:
    jobs = [job for wf in repo.workflows for job in github_jobs(wf, repo.default_branch)]
    if repo.gitlab is not None:
        jobs += gitlab_jobs(repo.gitlab, repo.default_branch)
    return jobs
