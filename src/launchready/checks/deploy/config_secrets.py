"""Plaintext secrets in deploy configs (issue 14, "deploy-config review"; roadmap: "secret scanning in CI").

Two passes over every Dockerfile, docker-compose file, CI workflow, platform config and Kubernetes manifest:

- the secrets engine (``launchready.secrets.Matcher``: the same rules, placeholders and redaction as
  ``launchready secrets``) finds provider-format keys anywhere in the file;
- a secret-named setting (``*_KEY``, ``*_SECRET``, ``*_TOKEN``, ``*PASSWORD``) given a literal value is
  reported even when no rule knows its format: in a Dockerfile ``ENV``/``ARG`` the value is baked into
  every image layer, in a manifest it sits in plain text beside the code.

Only the redacted form of a value ever leaves this module. Findings carry ``group = secret:<fingerprint>``
so the same key found by the source scan is one problem, not two.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.image import ImageError, scan_image
from launchready.checks.deploy.repo import DeployRepo, RepoFile
from launchready.checks.deploy.shared import SECRET_NAME, deploy_repo, repo_target
from launchready.checks.interface import Check
from launchready.checks.secrets.findings import match_details, rotation_fix
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.secrets import Matcher, RedactedSecret
from launchready.secrets.matcher import is_placeholder
from launchready.secrets.redaction import fingerprint_key

_DOCKER_SETTING = re.compile(r"^\s*(ENV|ARG)\s+(.+)$")
_REFERENCE = re.compile(r"^\$|^\$\{|\$\{\{|^\{\{|secretKeyRef|^<.*>$")


@dataclass(frozen=True)
class LiteralSetting:
    path: str
    line: int
    name: str
    value: str
    how: str


def _line_of(file: RepoFile, needle: str) -> int:
    for number, line in enumerate(file.lines(), start=1):
        if needle in line:
            return number
    return 1


def docker_settings(file: RepoFile) -> Iterator[LiteralSetting]:
    for number, line in enumerate(file.lines(), start=1):
        match = _DOCKER_SETTING.match(line)
        if not match:
            continue
        keyword, rest = match.groups()
        pairs = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S+)", rest)
        if not pairs and keyword == "ENV":
            name, _, value = rest.strip().partition(" ")
            pairs = [(name, value.strip())]
        for name, value in pairs:
            yield LiteralSetting(file.path, number, name, value.strip("\"'"), f"Dockerfile {keyword}")


def _named_values(node: Any) -> Iterator[tuple[str, str]]:
    """(name, value) settings in a parsed config: mappings, ``{name, value}`` items and ``K=V`` strings."""
    if isinstance(node, dict):
        name = node.get("name", node.get("key"))
        if isinstance(name, str) and isinstance(node.get("value"), (str, int)):
            yield name, str(node["value"])
        for key, value in node.items():
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                yield str(key), str(value)
            else:
                yield from _named_values(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str) and "=" in item:
                key, _, value = item.partition("=")
                yield key.strip(), value.strip()
            else:
                yield from _named_values(item)


def literal_settings(file: RepoFile) -> Iterator[LiteralSetting]:
    if file.name.startswith("Dockerfile") or file.name.endswith(".Dockerfile"):
        candidates: Iterator[LiteralSetting] = docker_settings(file)
    elif file.name == "Procfile":
        candidates = (
            LiteralSetting(file.path, _line_of(file, m.group(0)), m.group(1), m.group(2), "Procfile")
            for m in re.finditer(r"\b([A-Z][A-Z0-9_]*)=(\S+)", file.text)
        )
    else:
        candidates = (
            LiteralSetting(file.path, _line_of(file, value), name, value, file.name)
            for name, value in _named_values(file.parsed)
        )
    for setting in candidates:
        value = setting.value
        named = SECRET_NAME.search(setting.name) and len(value) >= 8
        if named and not _REFERENCE.search(value) and not is_placeholder(value):
            yield setting


def _named(variable: str | None) -> str:
    return f" as {variable}" if variable else ""


def _baked(file: RepoFile) -> str:
    docker = file.name.startswith("Dockerfile") or file.name.endswith(".Dockerfile")
    return " (baked into every image layer)" if docker else ""


def scan_configs(repo: DeployRepo) -> tuple[list[Finding], int]:
    """Every plaintext secret in the deploy configs, and how many files were scanned."""
    key, _ = fingerprint_key(repo.root)  # the same fingerprints as `launchready secrets` on this repo
    matcher = Matcher(key=key)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    files = repo.config_files
    for file in files:
        for match in matcher.scan(file.text.encode("utf-8", "surrogateescape")):
            if not match.rule.is_secret:
                continue
            fp = match.secret.fingerprint
            seen.add((file.path, fp))
            findings.append(
                R.CONFIG_SECRET.failed(
                    f"{file.path}:{match.line}",
                    f"{match.rule.title}: {match.secret.display}{_named(match.assigned_to)} in {file.path}:"
                    f"{match.line}{_baked(file)}",
                    fix=rotation_fix(R.CONFIG_SECRET, match),
                    details=match_details(match, source="deploy-config"),
                    group=f"secret:{fp}",
                )
            )
        for setting in literal_settings(file):
            secret = RedactedSecret.of(setting.value, setting.how, key=key)
            if (file.path, secret.fingerprint) in seen:
                continue
            seen.add((file.path, secret.fingerprint))
            findings.append(
                R.CONFIG_SECRET.failed(
                    f"{file.path}:{setting.line}",
                    f"{setting.how} {setting.name} holds a literal value {secret.display}{_baked(file)}",
                    details={
                        "variable": setting.name,
                        "fingerprint": secret.fingerprint,
                        "line": setting.line,
                    },
                    group=f"secret:{secret.fingerprint}",
                )
            )
    return findings, len(files)


class DeployConfigSecrets(Check):
    name = "deploy.config-secrets"
    needs_network = False
    timeout_s = 120.0  # a built image is up to 256 MiB of layer files to scan
    rules = (R.CONFIG_SECRET,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        target = repo_target(ctx.config)
        if not ctx.config.repo.path.is_dir():
            return [R.CONFIG_SECRET.unverifiable(target, f"repository path {target} does not exist")]
        try:
            repo = await deploy_repo(ctx)
        except OSError as exc:
            return [R.CONFIG_SECRET.unverifiable(target, f"cannot read the repository: {exc}")]
        findings, scanned = await asyncio.to_thread(scan_configs, repo)
        exercised = {"config_files_scanned": scanned}
        seen = [f"{scanned} deploy configs"]
        tarball = ctx.config.deploy.image_tarball
        if tarball is not None:
            path = tarball if tarball.is_absolute() else ctx.config.repo.path / tarball
            key, _ = fingerprint_key(repo.root)
            try:
                image = await asyncio.to_thread(scan_image, path, key)
            except ImageError as exc:
                findings.append(R.CONFIG_SECRET.unverifiable(str(path), f"image not reviewed: {exc}"))
            else:
                findings += image.findings
                exercised |= {"image_layers_scanned": image.layers, "image_files_scanned": image.files}
                cut = " (stopped at the 256 MiB cap)" if image.truncated else ""
                seen.append(f"{image.layers} image layers ({image.files} files{cut})")
        if not scanned and tarball is None:
            reason = "no deploy config in the repository (Dockerfile, compose, workflows, fly/render/vercel/netlify, Procfile, k8s)"
            return [R.CONFIG_SECRET.not_assessed(target, reason)]
        if findings:
            return findings
        names = ", ".join(f.path for f in repo.config_files[:6])
        return [
            R.CONFIG_SECRET.passed(
                target, f"{' and '.join(seen)} hold no plaintext secret ({names})", exercised=exercised
            )
        ]
