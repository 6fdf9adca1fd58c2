"""How strong each host's HSTS policy is: max-age of a year, includeSubDomains, preload (RFC 6797,
hstspreload.org).

The spine's ``headers.hsts.missing`` says whether HSTS is there at all; these rules grade the policy so a
``max-age=300`` left over from testing does not pass as protection. Preload eligibility only means something
at the apex (the preload list is keyed by registrable domain), so it is judged there alone.
"""

from __future__ import annotations

import asyncio

from launchready.checks.interface import Check
from launchready.checks.secure_delivery.header_policy import ONE_YEAR_S, SIX_MONTHS_S, parse_hsts
from launchready.checks.secure_delivery.page_probe import homepage
from launchready.engine.context import CheckContext
from launchready.findings import Finding
from launchready.rules import rule

HSTS_SHORT = rule("headers.hsts.short")
HSTS_SUBDOMAINS = rule("headers.hsts.subdomains")
HSTS_PRELOAD = rule("headers.hsts.preload")
_ONE_RESPONSE = {"responses": 1}


class HstsPolicyStrength(Check):
    name = "headers.hsts-policy"
    rules = (HSTS_SHORT, HSTS_SUBDOMAINS, HSTS_PRELOAD)

    async def run(self, ctx: CheckContext) -> list[Finding]:
        results = await asyncio.gather(*(self._host(ctx, host) for host in ctx.config.public_hosts))
        return [f for found in results for f in found]

    async def _host(self, ctx: CheckContext, host: str) -> list[Finding]:
        apex = host == ctx.config.apex
        rules = (HSTS_SHORT, HSTS_SUBDOMAINS, HSTS_PRELOAD) if apex else (HSTS_SHORT,)
        probe = await homepage(ctx, host)
        if not probe.usable or probe.response is None:
            return [rule.unverifiable(host, probe.reason or "no response", probe.evidence) for rule in rules]
        value = probe.response.header("strict-transport-security")
        if value is None:
            note = "no Strict-Transport-Security header (reported by headers.hsts.missing)"
            return [rule.warned(host, note) for rule in rules]
        policy = parse_hsts(value)
        details: dict[str, object] = {
            "value": value,
            "max_age": policy.max_age,
            "include_subdomains": policy.include_subdomains,
            "preload": policy.preload,
        }
        age = policy.max_age or 0
        evidence = f"Strict-Transport-Security: {value}"
        if age < SIX_MONTHS_S:
            found = [
                HSTS_SHORT.failed(host, f"{evidence} (max-age {age}s is under six months)", details=details)
            ]
        elif age < ONE_YEAR_S:
            found = [HSTS_SHORT.warned(host, f"{evidence} (max-age {age}s is under a year)", details=details)]
        else:
            found = [HSTS_SHORT.passed(host, evidence, details=details, exercised=_ONE_RESPONSE)]
        if not apex:
            return found
        if policy.include_subdomains:
            found.append(HSTS_SUBDOMAINS.passed(host, evidence, details=details, exercised=_ONE_RESPONSE))
        else:
            found.append(HSTS_SUBDOMAINS.warned(host, f"{evidence} (no includeSubDomains)", details=details))
        if policy.preload_eligible:
            found.append(
                HSTS_PRELOAD.passed(
                    host,
                    f"{evidence}: eligible for hstspreload.org",
                    details=details,
                    exercised=_ONE_RESPONSE,
                )
            )
        else:
            missing = [
                name
                for name, ok in (
                    ("max-age ≥ 31536000", age >= ONE_YEAR_S),
                    ("includeSubDomains", policy.include_subdomains),
                    ("preload", policy.preload),
                )
                if not ok
            ]
            found.append(
                HSTS_PRELOAD.warned(
                    host, f"{evidence}; missing for preload: {', '.join(missing)}", details=details
                )
            )
        return found
