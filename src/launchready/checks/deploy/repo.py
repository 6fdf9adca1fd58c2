"""What the deploy checks read from a repository: one snapshot per audit run, shared by every deploy check.

The deploy checklist (roadmap stage 4) is verified from files, not from a form the founder fills in: the CI
workflows, the platform configs (Dockerfile, docker-compose, fly.toml, render.yaml, vercel.json,
netlify.toml, Procfile, Kubernetes manifests), the deploy scripts beside them, migrations, runbooks and the
``.env.example``. Reading them once (in a thread, it is file I/O) gives each check the same view and an
honest count of what was read, which is the evidence record a pass needs.

YAML is parsed with ``yaml.safe_load``; a file that does not parse is kept as text (``parsed`` is None) and
listed in ``unreadable`` so a check can say it could not judge it instead of passing over it.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from launchready.secrets.tree import SKIP_DIRS

MAX_FILE_BYTES = 512 * 1024
"""Deploy configs are small; a bigger file is generated or vendored and not read."""
MAX_SOURCE_FILES = 20_000
SOURCE_SUFFIXES = frozenset({".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".rb", ".go", ".php"})
_EXTRA_SKIP = frozenset({"dist", "build", "out", ".next", "vendor", "coverage", "site-packages"})

PLATFORM_FILES = (
    "vercel.json", "fly.toml", "render.yaml", "netlify.toml", "Procfile", "app.json", "heroku.yml",
    "railway.json", "railway.toml", "app.yaml",
)  # fmt: skip
K8S_DIRS = ("k8s", "kubernetes", "deploy", "manifests", "helm", "charts", "kustomize", ".k8s")
ENV_EXAMPLES = (".env.example", ".env.sample", ".env.template", ".env.dist")
RUNBOOK_NAME = re.compile(r"(?i)(runbook|rollback|playbook|release|deploy(ing|ment)?)[^/]*\.(md|rst|txt)$")
DEPLOY_SCRIPT_NAME = re.compile(
    r"(?i)^(deploy|release|ship|rollout|push-prod)[\w.-]*(\.(sh|bash|py|js|ts|rb))?$"
)


@dataclass(frozen=True)
class RepoFile:
    """One deploy-relevant file: its text and, for YAML/JSON/TOML, the parsed document(s)."""

    path: str
    text: str
    parsed: Any = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass
class DeployRepo:
    root: Path
    default_branch: str
    workflows: list[RepoFile] = field(default_factory=list)
    """GitHub Actions workflows (``.github/workflows/*.yml``), parsed."""
    gitlab: RepoFile | None = None
    dockerfiles: list[RepoFile] = field(default_factory=list)
    compose: list[RepoFile] = field(default_factory=list)
    platform: list[RepoFile] = field(default_factory=list)
    """vercel.json, fly.toml, render.yaml, netlify.toml, Procfile..., parsed where the format allows."""
    manifests: list[RepoFile] = field(default_factory=list)
    """Kubernetes manifests: YAML documents with ``apiVersion`` and ``kind``."""
    scripts: list[RepoFile] = field(default_factory=list)
    """Deploy scripts beside the pipeline: deploy.sh, scripts/deploy*, a Makefile or package.json target."""
    runbooks: list[RepoFile] = field(default_factory=list)
    env_example: RepoFile | None = None
    sources: list[str] = field(default_factory=list)
    """Relative paths of application source files (for env reads and migration tools)."""
    all_paths: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)
    files_read: int = 0

    @property
    def ci_files(self) -> list[RepoFile]:
        return [*self.workflows, *([self.gitlab] if self.gitlab else [])]

    @property
    def config_files(self) -> list[RepoFile]:
        """Every file a deployment reads its settings from (the config-secrets review)."""
        return [*self.dockerfiles, *self.compose, *self.platform, *self.manifests, *self.ci_files]

    def read(self, rel: str) -> str | None:
        """Text of any file in the repository (for sources), counted as read; None when unreadable."""
        try:
            full = self.root / rel
            if full.stat().st_size > MAX_FILE_BYTES:
                return None
            text = full.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        self.files_read += 1
        return text


def walk_repo(root: Path) -> list[str]:
    skip = SKIP_DIRS | _EXTRA_SKIP
    found: list[str] = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in sorted(files):
            full = Path(current, name)
            if full.is_file() and not full.is_symlink():
                found.append(full.relative_to(root).as_posix())
    return found


def default_branch(root: Path) -> str:
    """The branch production is built from: origin's HEAD, else the checked-out branch, else ``main``."""
    for args in (
        ["symbolic-ref", "--short", "refs/remotes/origin/HEAD"],
        ["symbolic-ref", "--short", "HEAD"],
    ):
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            break
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip().removeprefix("origin/")
    return "main"


def _parse(rel: str, text: str) -> tuple[Any, str | None]:
    suffix = PurePosixPath(rel).suffix.lower()
    try:
        if suffix in (".yml", ".yaml"):
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
            return (docs[0] if len(docs) == 1 else docs), None
        if suffix == ".json":
            import json

            return json.loads(text), None
        if suffix == ".toml":
            import tomllib

            return tomllib.loads(text), None
    except (yaml.YAMLError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None, None


def is_manifest(doc: Any) -> bool:
    return isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc


def _classify(rel: str) -> str | None:
    posix = PurePosixPath(rel)
    name, parts = posix.name, posix.parts
    if len(parts) == 3 and parts[:2] == (".github", "workflows") and posix.suffix in (".yml", ".yaml"):
        return "workflow"
    if rel == ".gitlab-ci.yml":
        return "gitlab"
    if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile"):
        return "docker"
    if re.fullmatch(r"(docker-)?compose([.\w-]*)?\.ya?ml", name):
        return "compose"
    if len(parts) <= 2 and name in PLATFORM_FILES:
        return "platform"
    if posix.suffix in (".yml", ".yaml") and any(p in K8S_DIRS for p in parts[:-1]):
        return "manifest?"
    if name in ENV_EXAMPLES and len(parts) == 1:
        return "env-example"
    if name in ("Makefile", "package.json", "fabfile.py") and len(parts) == 1:
        return "script?"
    if DEPLOY_SCRIPT_NAME.match(name) and (
        len(parts) == 1 or parts[0] in ("scripts", "bin", "script", "ops")
    ):
        return "script"
    if posix.suffix.lower() in (".md", ".rst", ".txt") and RUNBOOK_NAME.search(name):
        return "runbook"
    return None


def _is_deploy_target(file: RepoFile) -> bool:
    """A Makefile with a ``deploy:`` target or a package.json with a deploy script is a deploy path."""
    if file.name == "Makefile":
        return re.search(r"(?m)^(deploy|release|ship)[\w-]*\s*:", file.text) is not None
    if file.name == "package.json":
        scripts = file.parsed.get("scripts", {}) if isinstance(file.parsed, dict) else {}
        return isinstance(scripts, dict) and any(re.match(r"deploy|release", str(k)) for k in scripts)
    return file.name == "fabfile.py"


def load_deploy_repo(root: Path, runbook: Path | None = None) -> DeployRepo:
    """Read every deploy-relevant file of the repository at ``root`` (a directory)."""
    repo = DeployRepo(root=root, default_branch=default_branch(root))
    repo.all_paths = walk_repo(root)
    for rel in repo.all_paths:
        kind = _classify(rel)
        if PurePosixPath(rel).suffix in SOURCE_SUFFIXES and len(repo.sources) < MAX_SOURCE_FILES:
            repo.sources.append(rel)
        if kind is None:
            continue
        text = repo.read(rel)
        if text is None:
            repo.unreadable[rel] = "larger than 512 KiB or unreadable"
            continue
        parsed, error = _parse(rel, text)
        if error:
            repo.unreadable[rel] = error
        file = RepoFile(rel, text, parsed)
        match kind:
            case "workflow":
                repo.workflows.append(file)
            case "gitlab":
                repo.gitlab = file
            case "docker":
                repo.dockerfiles.append(file)
            case "compose":
                repo.compose.append(file)
            case "platform":
                repo.platform.append(file)
            case "manifest?":
                docs = parsed if isinstance(parsed, list) else [parsed]
                if any(is_manifest(d) for d in docs):
                    repo.manifests.append(file)
            case "env-example":
                repo.env_example = repo.env_example or file
            case "script?":
                if _is_deploy_target(file):
                    repo.scripts.append(file)
            case "script":
                repo.scripts.append(file)
            case "runbook":
                repo.runbooks.append(file)
    if runbook is not None and runbook.as_posix() not in {r.path for r in repo.runbooks}:
        text = repo.read(runbook.as_posix())
        if text is not None:
            repo.runbooks.append(RepoFile(runbook.as_posix(), text))
    return repo
