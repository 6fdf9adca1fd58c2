"""Edge, hosting-provider and bot-protection fingerprints, loaded from the package's TOML data files.

Fingerprints are data, not code (issue 3): a new CDN or a provider's changed error page is a one-line
edit in ``checks/data/*.toml``. This module only parses them into frozen types and matches them.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class HeaderSign:
    """``name`` present, or (when ``contains`` is set) its value contains that text, case-insensitively."""

    name: str
    contains: str | None = None

    @classmethod
    def parse(cls, text: str) -> HeaderSign:
        name, sep, value = text.partition("=")
        return cls(name.strip().lower(), value.strip().lower() if sep else None)

    def seen_in(self, headers: Iterable[tuple[str, str]]) -> str | None:
        """The matching ``name: value`` header line, or None."""
        for key, value in headers:
            if key.lower() == self.name and (self.contains is None or self.contains in value.lower()):
                return f"{key}: {value}"
        return None


@dataclass(frozen=True)
class Edge:
    name: str
    headers: tuple[HeaderSign, ...]
    cname: tuple[str, ...]
    ranges: tuple[_Network, ...]
    ranges_source: str


@dataclass(frozen=True)
class TakeoverProvider:
    name: str
    cname: tuple[str, ...]
    body: tuple[str, ...]


@dataclass(frozen=True)
class BotVendor:
    name: str
    headers: tuple[HeaderSign, ...]
    body: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    text = resources.files("launchready.checks").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def edges() -> tuple[Edge, ...]:
    return tuple(
        Edge(
            name=entry["name"],
            headers=tuple(HeaderSign.parse(h) for h in entry.get("headers", [])),
            cname=tuple(s.lower() for s in entry.get("cname", [])),
            ranges=tuple(ipaddress.ip_network(r) for r in entry.get("ranges", [])),
            ranges_source=entry.get("ranges_source", ""),
        )
        for entry in _load("edges.toml")["edge"]
    )


@cache
def takeover_providers() -> tuple[TakeoverProvider, ...]:
    return tuple(
        TakeoverProvider(
            name=entry["name"],
            cname=tuple(s.lower() for s in entry.get("cname", [])),
            body=tuple(entry.get("body", [])),
        )
        for entry in _load("takeover.toml")["provider"]
    )


@cache
def bot_vendors() -> tuple[BotVendor, ...]:
    return tuple(
        BotVendor(
            name=entry["name"],
            headers=tuple(HeaderSign.parse(h) for h in entry.get("headers", [])),
            body=tuple(entry.get("body", [])),
        )
        for entry in _load("bot_protection.toml")["vendor"]
    )


def edge_for_address(address: str) -> Edge | None:
    """The edge whose published ranges contain ``address``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    for edge in edges():
        if any(ip.version == net.version and ip in net for net in edge.ranges):
            return edge
    return None


def edge_for_cname(target: str) -> Edge | None:
    target = target.lower().rstrip(".")
    return next((e for e in edges() if any(target.endswith(s) for s in e.cname)), None)


def edge_for_headers(headers: Iterable[tuple[str, str]]) -> tuple[Edge, str] | None:
    """The first edge one of whose header signs appears, with the header line as evidence."""
    headers = tuple(headers)
    for edge in edges():
        for sign in edge.headers:
            line = sign.seen_in(headers)
            if line is not None:
                return edge, line
    return None


def provider_for_cname(target: str) -> TakeoverProvider | None:
    target = target.lower().rstrip(".")
    return next((p for p in takeover_providers() if any(target.endswith(s) for s in p.cname)), None)
