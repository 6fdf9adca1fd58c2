"""The handover's data files, validated at load: provider signatures, rotation steps, the pack's text.

Rotation pages are not copied here: each secret detector's ``rotate`` URL in ``secrets/rules.toml`` is the
page to visit. Edge signatures come from the audit's ``edges`` artifact, hosting also reuses the takeover
fingerprints (``checks/data/takeover.toml``) and DKIM selector owners come from
``email/data/dkim_selectors.txt``, so one fact lives in one file.
"""

from __future__ import annotations

import functools
import tomllib
from datetime import date
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DnsHost(_Data):
    name: str
    suffixes: tuple[str, ...]
    registrar: bool = False
    console: str = ""


class MailProvider(_Data):
    name: str
    mx: tuple[str, ...] = ()
    spf: tuple[str, ...] = ()


class Hosting(_Data):
    name: str
    cname: tuple[str, ...]
    body: tuple[str, ...] = ()


class Providers(_Data):
    dns: tuple[DnsHost, ...]
    mail: tuple[MailProvider, ...]
    hosting: tuple[Hosting, ...]


class Rotation(_Data):
    steps: tuple[str, ...] = Field(min_length=1)
    confirm_dead: str


class RotationBook(_Data):
    updated: date
    generic: Rotation
    provider: dict[str, Rotation]


class NotYet(_Data):
    item: str
    until: str
    unless_rules: tuple[str, ...] = ()


class PackText(_Data):
    updated: date
    can_wait_days: int = Field(gt=0)
    drill_max_age_days: int = Field(gt=0)
    playbook: tuple[str, ...]
    not_yet: tuple[NotYet, ...]


def _toml(package: str, *parts: str) -> dict[str, Any]:
    text = resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
    return tomllib.loads(text)


@functools.cache
def providers() -> Providers:
    raw = _toml("launchready.handover", "data", "providers.toml")
    takeover = _toml("launchready.checks", "data", "takeover.toml")
    hosting = [*raw["hosting"], *({"name": p["name"], "cname": p["cname"]} for p in takeover["provider"])]
    return Providers.model_validate({**raw, "hosting": hosting})


@functools.cache
def rotation_book() -> RotationBook:
    return RotationBook.model_validate(_toml("launchready.handover", "data", "rotation.toml"))


@functools.cache
def pack_text() -> PackText:
    return PackText.model_validate(_toml("launchready.handover", "data", "pack.toml"))


@functools.cache
def dkim_selector_owners() -> dict[str, str]:
    """Selector -> who publishes it by default (the comment of ``dkim_selectors.txt``)."""
    text = resources.files("launchready.email").joinpath("data", "dkim_selectors.txt").read_text("utf-8")
    owners = {}
    for line in text.splitlines():
        selector, _, comment = line.partition("#")
        if selector.strip():
            owners[selector.strip()] = comment.strip()
    return owners


@functools.cache
def rotate_pages() -> dict[str, str]:
    """Secret detector id -> its provider's rotation page (from the secret-detection rules)."""
    from launchready.secrets.rules import load_rules

    return {r.rule_id: r.rotate for r in load_rules()}
