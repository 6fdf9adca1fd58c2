"""Strict end to end: the origin behind the edge has a valid certificate and does not serve the site
to anyone.

Where ``[hosts."<host>"] origin`` gives the origin's address, the audit connects to it directly with the
host's name (SNI and Host), as the edge does. An origin certificate that does not verify is Cloudflare's
"Full" (not "Full (strict)") mistake: the edge-to-origin hop can be intercepted. An origin that answers the
site to the audit means anyone who finds its address (certificate transparency logs, old DNS history) skips
the edge, its WAF and its DDoS protection (roadmap stage 3). Only a refusal the audit observed (a reset, a
closed connection, a TLS rejection, an error status) counts as locked down; silence is unverifiable.

Both rules are ``edge.*`` rules of the dns-edge stage, like the check's name: the origin is part of the edge
set-up, even though one of them judges a certificate.
"""

from __future__ import annotations

import asyncio

import aiohttp

from launchready.checks.dns_edge.reach import ReachOutcome, tcp_reach
from launchready.checks.interface import Check
from launchready.checks.secure_delivery.cors import probe_url
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import HttpClient, NetError
from launchready.net.errors import TlsError
from launchready.rules import rule

NOT_STRICT = rule("edge.origin.not-strict")
BYPASSABLE = rule("edge.origin.bypassable")


class OriginStrict(Check):
    name = "edge.origin"
    rules = (NOT_STRICT, BYPASSABLE)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        origins = {h: c.origin for h, c in ctx.config.hosts.items() if c.origin}
        if not origins:
            reason = (
                'no origin address is configured: add [hosts."<host>"] origin = "<origin IP>" for each host '
                "behind an edge to check the origin directly"
            )
            return [spec.not_assessed(ctx.config.apex, reason) for spec in self.rules]
        async with ctx.http.pinned_to(origins, verify=False) as direct:
            results = await asyncio.gather(*(self._host(ctx, direct, h, o) for h, o in origins.items()))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, direct: HttpClient, host: str, origin: str) -> list[Finding]:
        port = ctx.config.network.https_port
        target = f"{host} (origin {origin})"
        try:
            observation = await ctx.once(
                f"tls:{host}:{origin}:{port}", lambda: ctx.tls.observe(host, port, origin)
            )
        except NetError as exc:
            strict = NOT_STRICT.unverifiable(target, f"no TLS handshake with the origin: {exc}")
        else:
            if observation.verified:
                strict = NOT_STRICT.passed(
                    target,
                    f"origin certificate verifies for {host} ({observation.version})",
                    exercised={"handshakes": 1},
                )
            else:
                strict = NOT_STRICT.failed(target, f"origin certificate rejected: {observation.verify_error}")
        return [strict, await _bypass(ctx, direct, host, origin, target)]


async def _bypass(ctx: CheckContext, direct: HttpClient, host: str, origin: str, target: str) -> Finding:
    """Only an observed refusal (reset, closed connection, TLS rejection) or a 4xx/5xx locks the edge in.

    A timeout or an unroutable address may be a firewall dropping packets, but also an origin that is down
    or an address that is wrong: the audit saw nothing, so it cannot say the origin is closed.
    """
    port = ctx.config.network.https_port
    reach = await tcp_reach(origin, port, ctx.limits.connect_timeout)
    if reach.outcome is ReachOutcome.REFUSED:
        return BYPASSABLE.passed(
            target, f"the origin refuses direct connections: {reach.describe()}", exercised={"connects": 1}
        )
    if reach.outcome is not ReachOutcome.OPEN:
        return BYPASSABLE.unverifiable(
            target,
            f"no answer from the origin ({reach.describe()}): a firewall dropping packets, an origin that is "
            "down and a wrong address look the same from here; try the verify command from another network",
        )
    url = probe_url(ctx.config, host)
    try:
        response = await direct.fetch(url, max_body_bytes=65536)
    except NetError as exc:
        rejection = _rejection(exc)
        if rejection is None:
            return BYPASSABLE.unverifiable(target, f"direct request to the origin gave no answer: {exc}")
        return BYPASSABLE.passed(
            target, f"the origin {rejection} a direct request: {exc}", exercised={"connects": 1}
        )
    if response.status < 400:
        return BYPASSABLE.failed(
            target,
            f"GET {url} sent straight to {origin} → {response.status} {response.reason}: "
            "the site is served without the edge",
        )
    return BYPASSABLE.passed(
        target, f"origin answers {response.status} to direct requests", exercised={"responses_read": 1}
    )


def _rejection(exc: NetError) -> str | None:
    """How the origin turned the request away, when it did so observably; ``None`` for a mere silence."""
    if isinstance(exc, TlsError):
        return "rejected the TLS handshake of"
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionResetError | ConnectionRefusedError | aiohttp.ServerDisconnectedError):
            return "closed the connection on"
        cause = cause.__cause__ or cause.__context__
    return None
