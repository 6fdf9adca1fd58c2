"""Inventory: subdomains that answer but are not in the config (staging, dev, admin, old...).

Forgotten hosts are where launches leak: a staging copy with test keys, an admin panel without the edge. A
short list of common labels (``[surface] probe_names``) is asked; a name that answers is listed to confirm as
intentional. A wildcard record would make every name answer, so a random label is asked first and names
answering exactly like it are not listed (they are the wildcard, not a host).
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass

from launchready.checks.interface import Check
from launchready.checks.targets import dns_query
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.net import DnsAnswer, NetError
from launchready.rules import rule

UNLISTED = rule("dns.subdomain.unlisted")


@dataclass(frozen=True)
class FoundName:
    name: str
    addresses: tuple[str, ...]
    cname_chain: tuple[str, ...]


@dataclass(frozen=True)
class Inventory:
    probed: tuple[str, ...]
    found: tuple[FoundName, ...]
    wildcard: tuple[str, ...]
    """Addresses a random name gets (a wildcard record), empty when there is none."""
    errors: tuple[str, ...]


async def inventory(ctx: CheckContext) -> Inventory:
    """Probe the common names once per run (shared with the takeover check)."""

    async def probe() -> Inventory:
        config = ctx.config
        configured = set(config.public_hosts)
        names = [f"{label}.{config.apex}" for label in config.surface.probe_names]
        names = [n for n in dict.fromkeys(names) if n not in configured]
        random_name = f"launchready-{secrets.token_hex(6)}.{config.apex}"

        async def ask(name: str) -> DnsAnswer | str:
            try:
                return await dns_query(ctx, name, "A")
            except NetError as exc:
                return str(exc)

        answers = await asyncio.gather(*(ask(n) for n in [random_name, *names]))
        wildcard_answer, rest = answers[0], answers[1:]
        wildcard = wildcard_answer.records if isinstance(wildcard_answer, DnsAnswer) else ()
        found, errors = [], []
        for name, answer in zip(names, rest, strict=True):
            if isinstance(answer, str):
                errors.append(answer)
            elif answer.records or answer.cname_chain:
                # a CNAME to a missing name is NXDOMAIN *with* the chain (RFC 6604): the name exists
                if wildcard and set(answer.records) == set(wildcard) and not answer.cname_chain:
                    continue
                found.append(FoundName(name, answer.records, answer.cname_chain))
        return Inventory(tuple(names), tuple(found), tuple(wildcard), tuple(errors))

    return await ctx.once("surface:inventory", probe)


class SubdomainInventory(Check):
    name = "dns.inventory"
    rules = (UNLISTED,)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        apex = ctx.config.apex
        if not ctx.config.surface.probe_subdomains:
            return [
                UNLISTED.not_assessed(
                    apex,
                    "subdomain probing is turned off: set [surface] probe_subdomains = true to look for "
                    "forgotten hosts",
                )
            ]
        seen = await inventory(ctx)
        ctx.artifacts["inventory"] = {
            "probed": list(seen.probed),
            "found": [
                {"name": f.name, "addresses": list(f.addresses), "cname": list(f.cname_chain)}
                for f in seen.found
            ],
            "wildcard": list(seen.wildcard),
        }
        if seen.errors and len(seen.errors) == len(seen.probed):
            return [UNLISTED.unverifiable(apex, seen.errors[0])]
        findings = []
        for found in seen.found:
            points = " → ".join(found.cname_chain) or ", ".join(found.addresses)
            findings.append(
                UNLISTED.warned(
                    found.name,
                    f"{found.name} answers ({points}) but is not in product.subdomains",
                    details={"addresses": list(found.addresses), "cname": list(found.cname_chain)},
                )
            )
        if not findings and not seen.probed:
            findings.append(
                UNLISTED.not_assessed(
                    apex, "no name to probe: list common labels in [surface] probe_names to look for them"
                )
            )
        elif not findings:
            answered = len(seen.probed) - len(seen.errors)
            note = f"; wildcard DNS answers {', '.join(seen.wildcard)}" if seen.wildcard else ""
            unanswered = (
                f"; {len(seen.errors)} could not be asked, e.g. {seen.errors[0]}" if seen.errors else ""
            )
            findings.append(
                UNLISTED.passed(
                    apex,
                    f"none of {answered} common names answers{note}{unanswered}",
                    exercised={"dns_answers": answered},
                )
            )
        return findings
