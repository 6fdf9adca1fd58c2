"""Redirects and the canonical host: one permanent hop to HTTPS keeping path and query, one canonical
host (apex or www, per ``product.canonical``), no loops or long chains, no unintended off-site hop
(roadmap stage 2).

Redirect *policy* does not depend on certificate trust, which the ``tls.cert.*`` rules judge: when a verified
HTTPS request is refused for its certificate, the hop is read again without verification and the evidence
says so, instead of hiding a redirect problem behind a certificate one. ``http://www → https://www →
https://apex`` is accepted as well as the direct hop, because hstspreload.org requires HTTP to redirect to
HTTPS on the same host first.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from launchready.checks.interface import Check
from launchready.checks.targets import require_addresses
from launchready.config import LaunchConfig
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import HttpClient, HttpResponse, NetError, TlsError
from launchready.rules import rule

PROBE_PATH = "/launchready-redirect-probe?from=launchready&x=1"
_PERMANENT = frozenset({301, 308})
_MAX_HOPS = 6


PATH_DROPPED = rule("http.redirect.path-dropped")
CANONICAL = rule("http.canonical.not-enforced")
CHAIN = rule("http.redirect.chain")
OFFSITE = rule("http.redirect.offsite")

RULES = (PATH_DROPPED, CANONICAL, CHAIN, OFFSITE)


@dataclass(frozen=True)
class Hop:
    url: str
    status: int
    location: str | None
    unverified: str | None = None
    """Set when the certificate was not verified for this hop (the reason)."""


@dataclass(frozen=True)
class Chain:
    hops: tuple[Hop, ...]
    loop: bool = False
    error: str | None = None

    @property
    def redirects(self) -> int:
        return sum(1 for hop in self.hops if hop.location is not None)

    @property
    def final(self) -> Hop | None:
        return self.hops[-1] if self.hops else None

    def describe(self) -> str:
        text = " → ".join(f"{h.url} [{h.status}]" for h in self.hops)
        return text + (" → (loop)" if self.loop else "") + (f" → error: {self.error}" if self.error else "")


def same_url(a: str, b: str) -> bool:
    """Scheme, host, port (default ports made explicit), path and query equal."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (
        pa.scheme == pb.scheme
        and (pa.hostname or "") == (pb.hostname or "")
        and _port(pa) == _port(pb)
        and (pa.path or "/") == (pb.path or "/")
        and pa.query == pb.query
    )


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def on_product(config: LaunchConfig, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    allowed = {h.lower() for h in config.surface.allowed_redirect_hosts}
    return host == config.apex or host.endswith("." + config.apex) or host in allowed


class RedirectPolicy(Check):
    name = "http.redirects"
    rules = RULES

    async def run(self, ctx: CheckContext) -> list[Finding]:
        async with ctx.http.pinned_to({}, verify=False) as insecure:
            walker = _Walker(ctx, insecure)
            hosts = ctx.config.public_hosts
            results = await asyncio.gather(*(self._host(ctx, walker, host) for host in hosts))
            findings = [f for found in results for f in found]
            findings.append(await _canonical(ctx, walker))
        return findings

    async def _host(self, ctx: CheckContext, walker: _Walker, host: str) -> list[Finding]:
        try:
            await require_addresses(ctx, host)
        except NetError as exc:
            return [r.unverifiable(host, str(exc)) for r in (PATH_DROPPED, CHAIN, OFFSITE)]
        chain, secure_chain, probe = await asyncio.gather(
            walker.walk(ctx.config.url(host, "/", "http")),
            walker.walk(ctx.config.url(host, "/", "https")),
            walker.get(ctx.config.url(host, PROBE_PATH, "http")),
        )
        return [_path_kept(ctx, host, probe), _chain(host, chain), _offsite(ctx, host, chain, secure_chain)]


class _Walker:
    """Follows redirects hop by hop, sharing each hop's fetch with the rest of the run."""

    def __init__(self, ctx: CheckContext, insecure: HttpClient) -> None:
        self.ctx = ctx
        self.insecure = insecure

    async def get(self, url: str) -> Hop | str:
        note = None
        try:
            response: HttpResponse = await self.ctx.fetch_once(url)
        except TlsError as exc:
            note = f"certificate not verified for this redirect probe ({exc})"
            try:
                response = await self.insecure.fetch(url, max_body_bytes=65536)
            except NetError as again:
                return str(again)
        except NetError as exc:
            return str(exc)
        location = urljoin(url, response.header("location") or "") if response.is_redirect else None
        return Hop(url, response.status, location, note)

    async def walk(self, url: str) -> Chain:
        hops: list[Hop] = []
        seen: set[str] = set()
        current = url
        for _ in range(_MAX_HOPS):
            hop = await self.get(current)
            if isinstance(hop, str):
                return Chain(tuple(hops), error=hop)
            hops.append(hop)
            seen.add(current)
            if hop.location is None:
                return Chain(tuple(hops))
            if hop.location in seen:
                return Chain(tuple(hops), loop=True)
            if not _in_domain(self.ctx.config, hop.location):
                return Chain(tuple(hops))  # never follow off-site: the audit stays on the product's hosts
            current = hop.location
        return Chain(tuple(hops), loop=True)


def _path_kept(ctx: CheckContext, host: str, probe: Hop | str) -> Finding:
    http_url = ctx.config.url(host, PROBE_PATH, "http")
    if isinstance(probe, str):
        return PATH_DROPPED.unverifiable(host, probe)
    if probe.location is None:
        return PATH_DROPPED.warned(
            host, f"GET {http_url} → {probe.status}, no redirect to check (see http.https-redirect.missing)"
        )
    path_query = PROBE_PATH
    target = urlsplit(probe.location)
    kept = (
        target.scheme == "https"
        and (target.path + ("?" + target.query if target.query else "")) == path_query
    )
    evidence = f"GET {http_url} → {probe.status} Location: {probe.location}"
    if kept:
        return PATH_DROPPED.passed(host, evidence, exercised={"responses": 1})
    return PATH_DROPPED.failed(host, evidence + " (path or query not kept)", exercised={"responses": 1})


def _chain(host: str, chain: Chain) -> Finding:
    if chain.error and not chain.hops:
        return CHAIN.unverifiable(host, chain.error)
    evidence = chain.describe()
    details: dict[str, object] = {"hops": [h.url for h in chain.hops], "redirects": chain.redirects}
    if chain.loop:
        return CHAIN.failed(
            host, f"redirect loop: {evidence}", details=details, exercised={"responses": len(chain.hops)}
        )
    if chain.redirects > 2:
        return CHAIN.failed(
            host,
            f"{chain.redirects} redirects: {evidence}",
            details=details,
            exercised={"responses": len(chain.hops)},
        )
    if chain.error:
        return CHAIN.unverifiable(host, f"the chain broke before the landing page: {chain.error}", evidence)
    return CHAIN.passed(host, evidence, details=details, exercised={"responses": len(chain.hops)})


def _offsite(ctx: CheckContext, host: str, *chains: Chain) -> Finding:
    """Judged on the chains from both http:// and https:// (a site may redirect away only on one)."""
    walked = [c for c in chains if c.hops]
    if not walked:
        return OFFSITE.unverifiable(host, "; ".join(c.error or "no response" for c in chains))
    for chain in walked:
        for hop in chain.hops:
            if hop.location is not None and not on_product(ctx.config, hop.location):
                evidence = f"{hop.url} → {hop.status} Location: {hop.location}"
                return OFFSITE.failed(host, evidence, details={"target": hop.location})
    described = "; ".join(c.describe() for c in walked)
    return OFFSITE.passed(
        host,
        f"all redirects stay on {ctx.config.apex}: {described}",
        exercised={"responses": sum(len(c.hops) for c in walked)},
    )


async def _canonical(ctx: CheckContext, walker: _Walker) -> Finding:
    config = ctx.config
    other = config.www if config.canonical_host == config.apex else config.apex
    canonical_home = config.url(config.canonical_host, "/", "https")
    verdicts: list[str] = []
    problems: list[str] = []
    worst = "pass"
    read = 0
    for scheme in ("http", "https"):
        url = config.url(other, "/", scheme)
        chain = await walker.walk(url)
        if chain.error and not chain.hops:
            verdicts.append(f"{url}: {chain.error}")
            worst = "unverifiable" if worst == "pass" else worst
            continue
        verdicts.append(chain.describe())
        read += len(chain.hops)
        first = chain.hops[0]
        if first.location is None:
            if 200 <= first.status < 300:
                problems.append(f"{url} answers {first.status}: users land on mixed versions of the site")
                worst = "fail"
            else:  # no redirect observed: visitors who type this name get an error, not the site
                problems.append(
                    f"{url} answers {first.status} without redirecting to {config.canonical_host}"
                )
                worst = "warn" if worst in ("pass", "unverifiable") else worst
            continue
        landed = [
            h for h in chain.hops if same_url(h.url, canonical_home) or _host_is(h.url, config.canonical_host)
        ]
        hops_to_canonical = next((i for i, h in enumerate(chain.hops) if h in landed), None)
        statuses = [h.status for h in chain.hops if h.location is not None]
        if hops_to_canonical is None:
            problems.append(f"{url} never reaches {config.canonical_host}")
            worst = "fail"
        elif any(s not in _PERMANENT for s in statuses[:hops_to_canonical]):
            problems.append(f"{url} uses a temporary redirect ({statuses}) to the canonical host")
            worst = "warn" if worst == "pass" else worst
        elif hops_to_canonical > (2 if scheme == "http" else 1):
            problems.append(f"{url} takes {hops_to_canonical} hops to the canonical host")
            worst = "warn" if worst == "pass" else worst
    evidence = "; ".join(problems or verdicts)
    details: dict[str, object] = {"canonical": config.canonical_host, "chains": verdicts}
    exercised = {"responses": read}
    if worst == "fail":
        return CANONICAL.failed(other, evidence, details=details, exercised=exercised)
    if worst == "warn":
        return CANONICAL.warned(other, evidence, details=details, exercised=exercised)
    if worst == "unverifiable":
        return CANONICAL.unverifiable(other, evidence, details=details)
    return CANONICAL.passed(other, evidence, details=details, exercised=exercised)


def _in_domain(config: LaunchConfig, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == config.apex or host.endswith("." + config.apex)


def _host_is(url: str, host: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == host
