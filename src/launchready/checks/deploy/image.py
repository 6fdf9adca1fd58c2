"""Secrets in a built image (issue 14: "and in image layers of a built image when a tarball is given").

A ``docker save`` tarball (``[deploy] image_tarball``) holds ``manifest.json``, the image config (its
``Env`` and the ``history`` of build steps, where every ``ENV``/``ARG`` value and ``RUN`` build-arg is
recorded in clear) and one tar per layer. All three are read: a key deleted by a later layer is still in
the earlier one, which is exactly what a registry serves. Layer files are scanned with the same secrets
engine as the repository, bounded in size, and env files found in a layer are reported even when no rule
knows the format of what they hold.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from launchready.checks.deploy import rules as R
from launchready.checks.deploy.shared import SECRET_NAME
from launchready.checks.secrets.findings import match_details, rotation_fix
from launchready.findings import Finding
from launchready.secrets import Matcher, RedactedSecret
from launchready.secrets.matcher import is_placeholder
from launchready.secrets.tree import is_env_example, is_env_file

MAX_MEMBER_BYTES = 1024 * 1024
MAX_SCANNED_BYTES = 256 * 1024 * 1024
"""A layer file over 1 MiB is a binary or a bundle; past 256 MiB in all, the rest is left (and said so)."""


class ImageError(Exception):
    """The tarball is missing or not a ``docker save`` archive: the image could not be reviewed."""


@dataclass
class ImageScan:
    image: str
    findings: list[Finding] = field(default_factory=list)
    layers: int = 0
    files: int = 0
    bytes: int = 0
    truncated: bool = False


def _json(archive: tarfile.TarFile, name: str) -> Any:
    member = archive.extractfile(name)
    if member is None:
        raise ImageError(f"{name} is not a file in the archive")
    return json.load(member)


def _layer_members(archive: tarfile.TarFile, name: str) -> Iterator[tuple[str, bytes]]:
    blob = archive.extractfile(name)
    if blob is None:
        return
    with tarfile.open(fileobj=io.BytesIO(blob.read()), mode="r:*") as layer:
        for member in layer:
            whiteout = PurePosixPath(member.name).name.startswith(".wh.")  # a deletion marker, no content
            if member.isfile() and member.size <= MAX_MEMBER_BYTES and not whiteout:
                data = layer.extractfile(member)
                if data is not None:
                    yield member.name.removeprefix("./"), data.read()


def _settings(scan: ImageScan, where: str, text: str, key: bytes) -> None:
    """Secret-named ``NAME=value`` pairs with a literal value (Env entries, recorded ARG/ENV steps)."""
    for token in text.replace('"', " ").split():
        name, sep, value = token.partition("=")
        literal = sep and len(value) >= 8 and not value.startswith("$") and not is_placeholder(value)
        if literal and SECRET_NAME.search(name):
            secret = RedactedSecret.of(value, "image config", key=key)
            scan.findings.append(
                R.CONFIG_SECRET.failed(
                    f"{scan.image}:{where}",
                    f"{name} holds a literal value {secret.display} in the image's {where} (kept in every pull)",
                    details={"variable": name, "fingerprint": secret.fingerprint},
                    group=f"secret:{secret.fingerprint}",
                )
            )


def _matches(scan: ImageScan, where: str, data: bytes, matcher: Matcher, seen: set[str]) -> None:
    for match in matcher.scan(data):
        fp = match.secret.fingerprint
        if not match.rule.is_secret or f"{where}|{fp}" in seen:
            continue
        seen.add(f"{where}|{fp}")
        scan.findings.append(
            R.CONFIG_SECRET.failed(
                f"{scan.image}:{where}",
                f"{match.rule.title}: {match.secret.display} in the image at {where}:{match.line}",
                fix=rotation_fix(R.CONFIG_SECRET, match),
                details=match_details(match, source="image"),
                group=f"secret:{fp}",
            )
        )


def scan_image(path: Path, key: bytes) -> ImageScan:
    """Every plaintext secret in the image's config, build history and layer files."""
    scan = ImageScan(image=path.name)
    matcher = Matcher(key=key)
    seen: set[str] = set()
    try:
        with tarfile.open(path, mode="r:*") as archive:
            manifest = _json(archive, "manifest.json")
            if not isinstance(manifest, list) or not manifest or "Config" not in manifest[0]:
                raise ImageError("manifest.json is not a docker save manifest")
            entry = manifest[0]
            config = _json(archive, entry["Config"])
            env = (config.get("config") or {}).get("Env") or []
            _settings(scan, "config Env", " ".join(env), key)
            for index, step in enumerate(config.get("history") or []):
                created_by = str(step.get("created_by", ""))
                _settings(scan, f"history[{index}]", created_by, key)
                _matches(scan, f"history[{index}]", created_by.encode(), matcher, seen)
            for layer in entry.get("Layers") or []:
                scan.layers += 1
                short = PurePosixPath(layer).parts[-2 if layer.endswith("layer.tar") else -1][:12]
                for name, data in _layer_members(archive, layer):
                    if scan.bytes + len(data) > MAX_SCANNED_BYTES:
                        scan.truncated = True
                        break
                    scan.files += 1
                    scan.bytes += len(data)
                    where = f"{short}/{name}"
                    before = len(scan.findings)
                    _matches(scan, where, data, matcher, seen)
                    if is_env_file(name) and not is_env_example(name) and len(scan.findings) == before:
                        scan.findings.append(  # no known key format in it, but an env file has no place here
                            R.CONFIG_SECRET.failed(
                                f"{scan.image}:{where}",
                                f"env file {name} is inside the image (layer {short})",
                            )
                        )
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise ImageError(f"{path}: {type(exc).__name__}: {exc}") from exc
    return scan
