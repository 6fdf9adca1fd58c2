"""Env files: parsed with python-dotenv, checked for being committed or not covered by .gitignore.

``.env`` files are where secrets are *supposed* to live on a developer's machine, so a secret in one is not a
leak by itself; committing it, or leaving it where ``git add .`` will pick it up, is (roadmap: "secrets are
not committed to git"). Example files (``.env.example``) are expected in git and must hold placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from launchready.secrets.gitcli import GitError, ignored, is_repository, tracked_files
from launchready.secrets.tree import is_env_example


def parse_env(path: Path) -> dict[str, str]:
    """Variables of one env file, without interpolation (``${X}`` stays literal: it is a placeholder)."""
    values = dotenv_values(path, interpolate=False)
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class EnvFileStatus:
    path: str
    example: bool
    tracked: bool
    ignored: bool
    in_repository: bool


def env_file_status(root: Path, env_paths: list[str]) -> list[EnvFileStatus]:
    """Whether each env file is in git's index and whether .gitignore covers it."""
    if not is_repository(root):
        return [EnvFileStatus(p, is_env_example(p), False, False, False) for p in env_paths]
    try:
        tracked = tracked_files(root)
        covered = ignored(root, env_paths)
    except GitError:
        tracked, covered = set(), set()
    tracked_env = [p for p in tracked if p in env_paths or Path(p).name.startswith(".env")]
    every = sorted(set(env_paths) | set(tracked_env))
    return [EnvFileStatus(p, is_env_example(p), p in tracked, p in covered, True) for p in every]
