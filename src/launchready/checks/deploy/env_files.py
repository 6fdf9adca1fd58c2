"""Env files shipped where they must not go (issue 14: "production env files readable by the web server").

Two ways an env file leaves the server it belongs on, both read from the repository:

- it sits under a directory the web server or the framework serves as-is (``public/``, ``static/``,
  ``dist/``, ``build/``, ``out/``, ``www/``...): one GET of ``/.env`` reads it;
- a Dockerfile copies the whole build context (``COPY . .`` / ``ADD . .``) and ``.dockerignore`` does not
  leave env files out: every image layer, registry copy and ``docker pull`` then carries the keys.

``.dockerignore`` is matched as Docker does (Go ``filepath.Match`` patterns, ``**``, ``!`` exceptions, the
last matching line wins), closely enough for the env-file names it needs to judge.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.repo import DeployRepo
from launchready.checks.deploy.shared import findings_for, repo_target
from launchready.checks.interface import Check
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.secrets.tree import is_env_example, is_env_file

WEB_ROOTS = frozenset({"public", "static", "www", "htdocs", "wwwroot", "dist", "build", "out", "assets"})
_COPY_ALL = re.compile(r"(?im)^\s*(COPY|ADD)\s+(--\S+\s+)*\.\s+\S+")


def env_files(repo: DeployRepo) -> list[str]:
    return [p for p in repo.all_paths if is_env_file(p) and not is_env_example(p)]


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether ``.dockerignore`` lines leave ``path`` out of the build context (last match wins)."""
    ignored = False
    for raw in patterns:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip().lstrip("/").removeprefix("./")
        candidates = {pattern, pattern.replace("**/", "")}
        parts = PurePosixPath(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatchcase(p, c) for c in candidates for p in prefixes):
            ignored = not negate
    return ignored


class EnvFilesShipped(Check):
    name = "deploy.env-files"
    needs_network = False
    rules = (R.ENV_SHIPPED,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        return await findings_for(ctx, self.rules, judge_env_files)


def judge_env_files(repo: DeployRepo, config: LaunchConfig) -> list[Finding]:
    target = repo_target(config)
    files = env_files(repo)
    if not files:
        return [R.ENV_SHIPPED.not_assessed(target, "no env file in the repository checkout")]
    found: list[Finding] = []
    for path in files:
        served = next((part for part in PurePosixPath(path).parts[:-1] if part in WEB_ROOTS), None)
        if served:
            found.append(R.ENV_SHIPPED.failed(path, f"{path} is under {served}/, which is served as-is"))
    ignore_text = repo.read(".dockerignore") if ".dockerignore" in repo.all_paths else None
    patterns = ignore_text.splitlines() if ignore_text is not None else []
    copying = [d for d in repo.dockerfiles if _COPY_ALL.search(d.text)]
    for dockerfile in copying:
        leaked = [p for p in files if not dockerignored(p, patterns)]
        if leaked:
            why = "no .dockerignore" if ignore_text is None else ".dockerignore does not leave them out"
            found.append(
                R.ENV_SHIPPED.failed(
                    dockerfile.path,
                    f"{dockerfile.path} copies the whole repository and {why}: {', '.join(leaked[:6])} "
                    "go into the image",
                    details={"env_files": leaked},
                )
            )
    if found:
        return found
    docker = (
        f"; {len(copying)} Dockerfiles copy the repository, .dockerignore leaves them out" if copying else ""
    )
    return [
        R.ENV_SHIPPED.passed(
            target,
            f"{len(files)} env files, none under a web root{docker}",
            exercised={"env_files_checked": len(files), "dockerfiles_read": len(repo.dockerfiles)},
        )
    ]
